"""Gradient flow and gradient descent on any loss built with the engine.

A loss is a function ``loss_fn(theta) -> Tensor`` of a 1-D parameter Tensor,
returning a one-element Tensor.  Its gradient comes from your autodiff.

    gradient flow      d theta / dt = -grad L(theta)
    gradient descent   theta_{k+1} = theta_k - lr * grad L(theta_k)

Gradient descent *is* forward Euler on the flow with step ``h = lr``, so it
follows the flow with a global error O(lr) over a fixed time ``T = k * lr``,
and is stable on a quadratic only while ``lr < 2 / lambda_max(H)``, Euler's
``h < 2 / |lambda|``.
"""
from __future__ import annotations

import numpy as np

from ..ode import OdeResult, solve_ivp
from ..parameter_space import LossFunction
from ..tensor import Tensor


def gradient_field(loss_fn: LossFunction, theta) -> np.ndarray:
    """``grad L(theta)`` as a float64 array of theta's shape, by backpropagation through ``loss_fn``.

    The field whose negative the flow follows.  The computation of
    ``dynamics.loss_gradient`` (task 3.1, the home of this primitive), written
    again on purpose under this name: stage 5 needs only stages 1-2, so it may
    not import stage 3's code, and its tests grade with stage 3 unsolved.
    """
    # --- your code for task 5.4 ---
    raise NotImplementedError('stage 5, task 5.4 (Gradient flow and gradient descent): implement gradient_field. Hint: python grader.py hint 5.4')
    # --- end of task 5.4 ---


def gradient_descent(loss_fn: LossFunction, theta0, lr: float, steps: int) -> np.ndarray:
    """The path of ``steps`` GD updates from ``theta0``: an array (steps + 1, n), row k = theta_k."""
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr}")
    if steps < 0:
        raise ValueError(f"steps must be >= 0, got {steps}")
    path = np.empty((steps + 1, np.size(theta0)))
    path[0] = theta0
    # --- your code for task 5.4 ---
    raise NotImplementedError('stage 5, task 5.4 (Gradient flow and gradient descent): implement gradient_descent. Hint: python grader.py hint 5.4')
    # --- end of task 5.4 ---
    return path


def gradient_flow(loss_fn: LossFunction, theta0, t_final: float, t_eval=None, method: str = "RK45",
                  rtol: float = 1e-8, atol: float = 1e-10, step: float | None = None) -> OdeResult:
    """Integrate ``d theta / dt = -grad L(theta)`` from ``theta0`` over ``[0, t_final]`` with ``solve_ivp``.

    ``method``, ``step``, ``rtol``, ``atol`` and ``t_eval`` are passed on
    (``rtol`` and ``atol`` only to the adaptive RK45).
    """
    if not t_final > 0:
        raise ValueError(f"t_final must be > 0, got {t_final}")
    # --- your code for task 5.4 ---
    raise NotImplementedError('stage 5, task 5.4 (Gradient flow and gradient descent): implement gradient_flow. Hint: python grader.py hint 5.4')
    # --- end of task 5.4 ---
