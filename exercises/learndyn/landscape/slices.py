"""Slices: looking at a loss in millions of dimensions through a line or a plane.

A 1-D slice between two parameter vectors (say the initial ``theta_start``
and the trained ``theta_end``) evaluates

    loss((1 - alpha) * theta_start + alpha * theta_end)      for each alpha in alphas

so alpha = 0 and alpha = 1 give the losses at the two ends and 0 < alpha < 1
the straight path between them (Goodfellow et al. 2015: often a smooth,
monotone descent, although training took a curved route).

A 2-D slice evaluates the loss on the plane through ``theta`` spanned by two
directions ``d1`` and ``d2``:

    surface[i, j] = loss(theta + alphas[i] * d1 + betas[j] * d2)

For a network the directions must be scaled to the weights they move, or the
picture shows the scale of the parameters rather than the geometry: see
``filter_normalized_direction`` in ``directions.py``.  Both slices leave the
model's parameters as they found them.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..nn.module import Module
from ..tensor import Tensor
from .gradients import model_loss, parameters_to_vector


def _check_vector(name: str, vector, size: int) -> np.ndarray:
    vector = np.asarray(vector, dtype=np.float64)
    if vector.shape != (size,):
        raise ValueError(f"{name} must have shape ({size},) (the model's parameter count), got {vector.shape}")
    return vector


def linear_slice(
    model: Module, loss_closure: Callable[[], Tensor], theta_start: np.ndarray, theta_end: np.ndarray, alphas: np.ndarray
) -> np.ndarray:
    """losses[k] = loss((1 - alphas[k]) * theta_start + alphas[k] * theta_end); the model is left unchanged."""
    size = parameters_to_vector(model.parameters()).size
    theta_start, theta_end = _check_vector("theta_start", theta_start, size), _check_vector("theta_end", theta_end, size)
    alphas = np.asarray(alphas, dtype=np.float64).ravel()
    loss_at = model_loss(model, loss_closure)
    # --- your code for task 4.7 ---
    raise NotImplementedError("stage 4, task 4.7 (1-D and 2-D slices of a model's loss): implement linear_slice. Hint: python grader.py hint 4.7")
    # --- end of task 4.7 ---


def planar_slice(
    model: Module,
    loss_closure: Callable[[], Tensor],
    theta: np.ndarray,
    direction_1: np.ndarray,
    direction_2: np.ndarray,
    alphas: np.ndarray,
    betas: np.ndarray,
) -> np.ndarray:
    """surface[i, j] = loss(theta + alphas[i] * direction_1 + betas[j] * direction_2), shape (len(alphas), len(betas))."""
    size = parameters_to_vector(model.parameters()).size
    theta = _check_vector("theta", theta, size)
    direction_1, direction_2 = _check_vector("direction_1", direction_1, size), _check_vector("direction_2", direction_2, size)
    alphas, betas = np.asarray(alphas, dtype=np.float64).ravel(), np.asarray(betas, dtype=np.float64).ravel()
    loss_at = model_loss(model, loss_closure)
    # --- your code for task 4.7 ---
    raise NotImplementedError("stage 4, task 4.7 (1-D and 2-D slices of a model's loss): implement planar_slice. Hint: python grader.py hint 4.7")
    # --- end of task 4.7 ---
