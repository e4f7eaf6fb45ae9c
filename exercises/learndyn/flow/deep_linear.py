"""Saxe, McClelland and Ganguli (2014): exact learning dynamics of a two-layer linear network.

A network ``y = W2 @ W1 @ x`` on whitened inputs (E[x x^T] = I) trained on the
squared error only sees the input-output correlation ``sigma_yx = E[y x^T]``:

    loss = 0.5 * ||sigma_yx - W2 @ W1||_F^2        (+ a constant)

Write ``sigma_yx = U diag(s) V^T``.  From a *balanced* start aligned with the
modes, ``W1 = R diag(a) V^T`` and ``W2 = U diag(a) R^T`` (``R`` with
orthonormal columns), every mode evolves on its own: its strength
``u = a^2 = U[:, i] @ W2 @ W1 @ V[:, i]`` obeys, under gradient flow with time
constant ``tau`` (GD with ``lr`` is time ``t = k * lr`` for ``tau = 1``),

    tau du/dt = 2 u (s - u)
    u(t) = s e^{2 s t / tau} / (e^{2 s t / tau} - 1 + s / u0)

a sigmoid: a long plateau near ``u0``, then a sudden rise to ``s``.  The
mode reaches ``s / 2`` at ``t_half = tau * ln(s / u0 - 1) / (2 s)``: stronger
modes are learned first, in time proportional to ``1 / s`` (up to the log).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..autograd import no_grad
from ..tensor import Parameter


def saxe_mode_strength(s: float, u0: float, t, tau: float = 1.0) -> np.ndarray:
    """``u(t) = s e^{2st/tau} / (e^{2st/tau} - 1 + s/u0)``, the strength of a mode of singular value ``s``."""
    if not (s > 0 and u0 > 0 and tau > 0):
        raise ValueError(f"s, u0 and tau must be > 0, got s={s}, u0={u0}, tau={tau}")
    # --- your code for task 5.6 ---
    raise NotImplementedError("stage 5, task 5.6 (Saxe's deep linear network dynamics): implement saxe_mode_strength. Hint: python grader.py hint 5.6")
    # --- end of task 5.6 ---


def balanced_init(sigma_yx: np.ndarray, hidden: int, u0: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``W1 = sqrt(u0) R V^T`` and ``W2 = sqrt(u0) U R^T``: every mode starts at strength ``u0``, balanced."""
    U, _, Vt = np.linalg.svd(sigma_yx, full_matrices=False)
    if hidden < len(Vt):
        raise ValueError(f"hidden must be >= the number of modes {len(Vt)}, got {hidden}")
    R, _ = np.linalg.qr(rng.normal(size=(hidden, len(Vt))))
    return np.sqrt(u0) * R @ Vt, np.sqrt(u0) * U @ R.T


@dataclass
class DeepLinearRun:
    """GD on a two-layer linear network: mode strengths over time."""

    times: np.ndarray  # (steps + 1,) t = k * lr
    singular_values: np.ndarray  # (modes,) s of sigma_yx, decreasing
    mode_strengths: np.ndarray  # (steps + 1, modes): U[:, i] @ W2 @ W1 @ V[:, i]
    u0: float

    def half_times(self) -> np.ndarray:
        """When each mode first reaches half its singular value (linear interpolation between steps)."""
        half = np.empty(len(self.singular_values))
        for i, s in enumerate(self.singular_values):
            above = np.flatnonzero(self.mode_strengths[:, i] >= s / 2)
            if len(above) == 0 or above[0] == 0:
                half[i] = np.nan
                continue
            k = above[0]
            u_before, u_after = self.mode_strengths[k - 1, i], self.mode_strengths[k, i]
            half[i] = self.times[k - 1] + (s / 2 - u_before) / (u_after - u_before) * (self.times[k] - self.times[k - 1])
        return half


def train_deep_linear(sigma_yx: np.ndarray, hidden: int, lr: float, steps: int, u0: float = 1e-3,
                      seed: int = 0) -> DeepLinearRun:
    """Full-batch GD on ``loss = 0.5 * ||sigma_yx - W2 @ W1||_F^2`` from ``balanced_init``, with your autodiff.

    Records the strength of every mode before each update and after the last.
    """
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr}")
    if steps < 1:
        raise ValueError(f"steps must be >= 1, got {steps}")
    sigma_yx = np.asarray(sigma_yx, dtype=np.float64)
    U, s, Vt = np.linalg.svd(sigma_yx, full_matrices=False)
    w1_start, w2_start = balanced_init(sigma_yx, hidden, u0, np.random.default_rng(seed))
    W1, W2 = Parameter(w1_start), Parameter(w2_start)
    strengths = np.empty((steps + 1, len(s)))
    # --- your code for task 5.6 ---
    raise NotImplementedError("stage 5, task 5.6 (Saxe's deep linear network dynamics): implement train_deep_linear. Hint: python grader.py hint 5.6")
    # --- end of task 5.6 ---
    return DeepLinearRun(lr * np.arange(steps + 1), s, strengths, u0)
