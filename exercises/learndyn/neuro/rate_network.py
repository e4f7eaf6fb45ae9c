"""A firing-rate network: fixed points, their Jacobian, and stability.

    tau dx/dt = -x + W phi(x) + I

``x`` are the neurons' input currents, ``phi(x)`` their rates.  A fixed point
``x*`` solves ``F(x) = -x + W phi(x) + I = 0``.  Near it, ``x = x* + e`` obeys
``de/dt = J e`` with

    J = (-identity + W diag(phi'(x*))) / tau

so ``x*`` is stable iff every eigenvalue of ``J`` has a negative real part.
For linear ``phi`` (``phi' = 1``) that is ``max Re eig(W) < 1``: a recurrent
gain above 1 along any mode makes that mode run away.

Two ways to find ``x*``: integrate the dynamics until they settle (finds
only stable points), or Newton's method on ``F``:

    x <- x - solve(-identity + W diag(phi'(x)), F(x))

(converges quadratically from nearby, to stable and unstable points alike).
"""
from __future__ import annotations

import numpy as np

from ..ode import solve_ivp

ACTIVATIONS = {
    "tanh": (np.tanh, lambda x: 1.0 - np.tanh(x) ** 2),
    "linear": (lambda x: x, np.ones_like),
}


def _activation(name: str):
    if name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {name!r}")
    return ACTIVATIONS[name]


def rate_dynamics(x: np.ndarray, weights: np.ndarray, inputs, tau: float = 1.0, activation: str = "tanh") -> np.ndarray:
    """``dx/dt = (-x + W phi(x) + I) / tau``."""
    phi, _ = _activation(activation)
    # --- your code for task 5.7 ---
    raise NotImplementedError('stage 5, task 5.7 (Rate network: fixed points and stability): implement rate_dynamics. Hint: python grader.py hint 5.7')
    # --- end of task 5.7 ---


def rate_jacobian(x: np.ndarray, weights: np.ndarray, tau: float = 1.0, activation: str = "tanh") -> np.ndarray:
    """``J = (-identity + W diag(phi'(x))) / tau``, the Jacobian of ``rate_dynamics`` at ``x``."""
    _, phi_prime = _activation(activation)
    # --- your code for task 5.7 ---
    raise NotImplementedError('stage 5, task 5.7 (Rate network: fixed points and stability): implement rate_jacobian. Hint: python grader.py hint 5.7')
    # --- end of task 5.7 ---


def is_stable(jacobian: np.ndarray) -> bool:
    """A fixed point is (linearly) stable iff ``max Re eig(J) < 0``."""
    # --- your code for task 5.7 ---
    raise NotImplementedError('stage 5, task 5.7 (Rate network: fixed points and stability): implement is_stable. Hint: python grader.py hint 5.7')
    # --- end of task 5.7 ---


def fixed_point_newton(weights: np.ndarray, inputs, x0, activation: str = "tanh", tol: float = 1e-12,
                       max_iter: int = 50) -> np.ndarray:
    """Newton's method on ``F(x) = -x + W phi(x) + I``; stops when ``|F(x)|_max < tol``.

    Raises ``RuntimeError`` if it has not converged after ``max_iter`` steps.
    """
    if max_iter < 1:
        raise ValueError(f"max_iter must be >= 1, got {max_iter}")
    x = np.array(x0, dtype=np.float64)
    # --- your code for task 5.7 ---
    raise NotImplementedError('stage 5, task 5.7 (Rate network: fixed points and stability): implement fixed_point_newton. Hint: python grader.py hint 5.7')
    # --- end of task 5.7 ---
    raise RuntimeError(f"Newton's method did not converge in {max_iter} steps (|F(x)| = {np.max(np.abs(residual)):.3g})")


def fixed_point_by_integration(weights: np.ndarray, inputs, x0, tau: float = 1.0, activation: str = "tanh",
                               t_final: float = 50.0) -> np.ndarray:
    """Where the dynamics from ``x0`` are at ``t_final`` (a stable fixed point, if they settle)."""
    result = solve_ivp(lambda t, x: rate_dynamics(x, weights, inputs, tau, activation), (0.0, t_final), x0,
                       rtol=1e-10, atol=1e-12, t_eval=[t_final])
    return result.y[:, -1]
