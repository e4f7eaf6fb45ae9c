"""Sharpness: the top eigenvalue of the Hessian, by power iteration on Hessian-vector products.

Write the start as a sum over eigenvectors, ``v = sum_i c_i q_i``.  Then
``H^k v = sum_i c_i lambda_i^k q_i``: every step multiplies each component by
its eigenvalue, so the one with the largest ``|lambda_i|`` takes over, with the
others shrinking like ``|lambda_2 / lambda_1|^k``.  Normalising after every
product keeps the numbers finite (without it ``H^k v`` overflows or underflows)
and makes the Rayleigh quotient ``v @ H @ v`` the eigenvalue estimate:

    v          <- initial / |initial|
    repeat:
        Hv          = hvp(v)
        eigenvalue  = v @ Hv              (Rayleigh quotient, |v| = 1)
        v          <- Hv / |Hv|
    until |eigenvalue - previous| <= tol * |eigenvalue|

Power iteration finds the eigenvalue of largest *magnitude*.  Near a minimum
(and along training, where negative curvature is small) that is the largest
eigenvalue, the sharpness.  Starting from the previous top eigenvector (a warm
start) makes a few steps enough when the Hessian changes slowly.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..parameter_space import GradientFunction
from .hessian import DEFAULT_STEP, hessian_vector_product


def power_iteration(
    hvp: Callable[[np.ndarray], np.ndarray], initial: np.ndarray, steps: int = 100, tol: float = 1e-10
) -> tuple[float, np.ndarray]:
    """(eigenvalue of largest magnitude, its unit eigenvector) of the symmetric map ``hvp``.

    Stops after ``steps`` products or when the eigenvalue estimate changes by
    at most ``tol`` relative.  A zero product (``H v = 0``) returns eigenvalue 0.
    """
    if not (isinstance(steps, (int, np.integer)) and steps >= 1):
        raise ValueError(f"steps must be an integer >= 1, got {steps!r}")
    if not tol >= 0:
        raise ValueError(f"tol must be >= 0, got {tol}")
    initial = np.asarray(initial, dtype=np.float64).ravel()
    if not np.linalg.norm(initial) > 0:
        raise ValueError("initial must be a nonzero vector, got all zeros")
    # BEGIN SOLUTION 4.4
    vector = initial / np.linalg.norm(initial)
    eigenvalue = 0.0
    for _ in range(steps):
        product = hvp(vector)
        previous, eigenvalue = eigenvalue, float(vector @ product)
        length = np.linalg.norm(product)
        if length == 0.0:
            return 0.0, vector
        vector = product / length
        if abs(eigenvalue - previous) <= tol * abs(eigenvalue):
            break
    return eigenvalue, vector
    # END SOLUTION


def sharpness(
    gradient: GradientFunction,
    theta: np.ndarray,
    initial: np.ndarray | None = None,
    steps: int = 100,
    tol: float = 1e-10,
    step: float = DEFAULT_STEP,
    rng: np.random.Generator | None = None,
) -> tuple[float, np.ndarray]:
    """Top Hessian eigenvalue of the loss at ``theta`` and its eigenvector, by power iteration on HVPs.

    ``initial`` warm-starts the iteration (e.g. the previous eigenvector);
    without it a random start is drawn from ``rng``.
    """
    theta = np.array(theta, dtype=np.float64).ravel()
    if initial is None:
        initial = (rng or np.random.default_rng(0)).normal(size=theta.size)
    return power_iteration(lambda v: hessian_vector_product(gradient, theta, v, step), initial, steps, tol)
