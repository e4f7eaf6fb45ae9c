"""Gradient descent as a map, and its Jacobian.

Gradient descent with learning rate ``lr`` is a discrete-time dynamical
system: one step is the map

    theta_next = update_map(theta) = theta - lr * grad L(theta)

Near a point, the map is linear to first order; its Jacobian is

    d theta_next / d theta = I - lr * H(theta)          (H = the Hessian of L)

For a quadratic ``L(theta) = 0.5 * theta @ H @ theta`` this is exact and the
same everywhere: the error ``theta - theta_star`` is multiplied by
``I - lr * H`` every step, so along the eigenvector of eigenvalue ``lam`` it is
multiplied by ``1 - lr * lam``.  For any other loss, the Jacobian at a
minimum says how the map behaves nearby: we get it by central differences of
the map itself, column by column.

Conventions: ``loss_fn`` maps a 1-D Tensor ``theta`` to a one-element Tensor,
built from Tensor ops so that your autodiff gives its gradient.
"""
from __future__ import annotations

import numpy as np

from ..parameter_space import LossFunction, as_parameter_vector
from ..tensor import Tensor


def loss_gradient(loss_fn: LossFunction, theta: np.ndarray) -> np.ndarray:
    """grad L(theta): make ``theta`` a Tensor that requires grad, evaluate ``loss_fn``, backward.

    The home of this primitive: code that needs the gradient of a
    ``LossFunction`` imports it from here.  ``landscape.function_gradient``
    (task 4.2) and ``flow.gradient_field`` (task 5.4) are the same computation
    written again on purpose, under other names; their docstrings say why.
    """
    theta = as_parameter_vector(theta)
    # BEGIN SOLUTION 3.1
    variable = Tensor(theta, requires_grad=True)
    loss_fn(variable).backward()
    return variable.grad
    # END SOLUTION


def gradient_descent_map(loss_fn: LossFunction, theta: np.ndarray, lr: float) -> np.ndarray:
    """One step of gradient descent: ``theta - lr * grad L(theta)`` (a new array)."""
    theta = as_parameter_vector(theta)
    # BEGIN SOLUTION 3.1
    return theta - lr * loss_gradient(loss_fn, theta)
    # END SOLUTION


def update_map_jacobian(loss_fn: LossFunction, theta: np.ndarray, lr: float, eps: float = 1e-5) -> np.ndarray:
    """d update_map / d theta at ``theta``, by central differences of the map.

    Column j = (update_map(theta + eps * e_j) - update_map(theta - eps * e_j)) / (2 * eps).
    Error: truncation ~ eps**2 * |third derivative of the map|, rounding
    ~ 1e-16 * |theta| / eps: about 1e-10 for eps = 1e-5 and order-1 values.
    """
    theta = as_parameter_vector(theta)
    if not eps > 0:
        raise ValueError(f"eps must be > 0, got {eps!r}")
    # BEGIN SOLUTION 3.1
    jacobian = np.empty((theta.size, theta.size))
    for j in range(theta.size):
        step = np.zeros_like(theta)
        step[j] = eps
        plus = gradient_descent_map(loss_fn, theta + step, lr)
        minus = gradient_descent_map(loss_fn, theta - step, lr)
        jacobian[:, j] = (plus - minus) / (2 * eps)
    return jacobian
    # END SOLUTION


def loss_hessian(loss_fn: LossFunction, theta: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """The Hessian H of L at ``theta``: from the update map's Jacobian, ``H = (I - jacobian) / lr`` with lr = 1.

    Symmetrised, ``(H + H.T) / 2``, which removes part of the finite-difference error.
    Stage 3's way to the Hessian, through the map this stage is about; stage 4's
    ``landscape.finite_difference_hessian`` differentiates any ``GradientFunction``
    (a model's, from a closure) and is the one the geometry tools use.
    """
    theta = as_parameter_vector(theta)
    # BEGIN SOLUTION 3.1
    hessian = np.eye(theta.size) - update_map_jacobian(loss_fn, theta, lr=1.0, eps=eps)
    return (hessian + hessian.T) / 2
    # END SOLUTION


def quadratic_update_jacobian(hessian: np.ndarray, lr: float) -> np.ndarray:
    """The exact Jacobian ``I - lr * hessian`` of gradient descent on a quadratic."""
    hessian = np.asarray(hessian, dtype=np.float64)
    if hessian.ndim != 2 or hessian.shape[0] != hessian.shape[1]:
        raise ValueError(f"hessian must be a square matrix, got shape {hessian.shape}")
    # BEGIN SOLUTION 3.1
    return np.eye(len(hessian)) - lr * hessian
    # END SOLUTION
