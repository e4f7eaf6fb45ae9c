"""Functions of one flat parameter vector ``theta``: their types, defined once for every stage.

From stage 3 on, learning is a path through parameter space: ``theta`` is a
1-D float64 array (for a model, ``nn.flat.parameters_to_vector(model.parameters())``).
Three kinds of function of ``theta`` are passed around, under these names
everywhere:

    LossFunction       theta (1-D Tensor) -> one-element Tensor    differentiable: backward() gives grad L
    NumericLoss        theta (array)      -> float                  the value only, no graph (slices, surfaces)
    GradientFunction   theta (array)      -> array of theta's shape the gradient grad L(theta)

Where each primitive on them lives (one home each, see CONTRIBUTING.md):
the gradient of a ``LossFunction`` is ``dynamics.loss_gradient`` (task 3.1); a
finite-difference Hessian and a Hessian-vector product of a
``GradientFunction`` are ``landscape.finite_difference_hessian`` and
``landscape.hessian_vector_product`` (task 4.3).  Stage 5, which needs only
stages 1-2, writes its own under other names (``flow.gradient_field``,
``flow.gradient_field_derivative``).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .tensor import Tensor

LossFunction = Callable[[Tensor], Tensor]
NumericLoss = Callable[[np.ndarray], float]
GradientFunction = Callable[[np.ndarray], np.ndarray]


def as_parameter_vector(theta) -> np.ndarray:
    """``theta`` as a new 1-D float64 array (the caller's array is never changed); ValueError for another shape."""
    theta = np.array(theta, dtype=np.float64)
    if theta.ndim != 1:
        raise ValueError(f"theta must be a 1-D array (one entry per parameter value), got shape {theta.shape}")
    return theta
