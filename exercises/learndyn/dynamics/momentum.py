"""Heavy-ball momentum on a quadratic: a 2x2 linear map per eigenvalue.

SGD with momentum ``beta`` (PyTorch's form, buffer ``b`` starting at 0)::

    b_next     = beta * b + grad(theta)
    theta_next = theta - lr * b_next

On a quadratic, along an eigenvector of curvature ``curvature`` the error
``x`` has gradient ``curvature * x``.  Eliminating ``b`` (``lr * b = x_prev - x``)
gives a two-step recursion

    x_next = (1 + beta - lr * curvature) * x - beta * x_prev

which is linear in the state ``(x, x_prev)``::

    [x_next]   [1 + beta - lr * curvature   -beta] [x     ]
    [x     ] = [1                             0  ] [x_prev]

Its eigenvalues are the roots of ``z**2 - (1 + beta - lr * curvature) z + beta = 0``.
Their product is ``beta``, so when they are complex (the run spirals) both
have modulus ``sqrt(beta)``.  The map is stable iff ``0 < lr * curvature < 2 + 2 * beta``
(at the upper edge one root is -1).  For curvatures in ``[lambda_min, lambda_max]``
the best choice makes every root complex with the smallest possible modulus:

    lr   = 4 / (sqrt(lambda_max) + sqrt(lambda_min))**2
    beta = ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))**2,    rate = sqrt(beta) = (sqrt(kappa) - 1) / (sqrt(kappa) + 1)

with ``kappa = lambda_max / lambda_min``: a rate set by ``sqrt(kappa)``, not ``kappa``.
"""
from __future__ import annotations

import numpy as np


def _check_beta(beta: float) -> None:
    if not 0.0 <= beta < 1.0:
        raise ValueError(f"beta must be in [0, 1), got {beta!r}")


def momentum_matrix(lr: float, curvature: float, beta: float) -> np.ndarray:
    """The 2x2 map of the state ``(x, x_prev)`` for one eigen-direction (see the module docstring)."""
    _check_beta(beta)
    # --- your code for task 3.3 ---
    raise NotImplementedError('stage 3, task 3.3 (Heavy-ball momentum as a 2x2 map): implement momentum_matrix. Hint: python grader.py hint 3.3')
    # --- end of task 3.3 ---


def momentum_spectral_radius(lr: float, curvature: float, beta: float) -> float:
    """``max |z|`` over the two eigenvalues of ``momentum_matrix``: the error's shrink factor per step."""
    # --- your code for task 3.3 ---
    raise NotImplementedError('stage 3, task 3.3 (Heavy-ball momentum as a 2x2 map): implement momentum_spectral_radius. Hint: python grader.py hint 3.3')
    # --- end of task 3.3 ---


def momentum_stability_edge(curvature: float, beta: float) -> float:
    """The largest stable lr, ``(2 + 2 * beta) / curvature``."""
    _check_beta(beta)
    if not curvature > 0:
        raise ValueError(f"curvature must be > 0, got {curvature!r}")
    # --- your code for task 3.3 ---
    raise NotImplementedError('stage 3, task 3.3 (Heavy-ball momentum as a 2x2 map): implement momentum_stability_edge. Hint: python grader.py hint 3.3')
    # --- end of task 3.3 ---


def optimal_momentum(lambda_min: float, lambda_max: float) -> tuple[float, float, float]:
    """``(lr, beta, rate)`` of the best heavy ball for curvatures in ``[lambda_min, lambda_max]``."""
    if not 0 < lambda_min <= lambda_max:
        raise ValueError(f"need 0 < lambda_min <= lambda_max, got lambda_min={lambda_min!r}, lambda_max={lambda_max!r}")
    # --- your code for task 3.3 ---
    raise NotImplementedError('stage 3, task 3.3 (Heavy-ball momentum as a 2x2 map): implement optimal_momentum. Hint: python grader.py hint 3.3')
    # --- end of task 3.3 ---
