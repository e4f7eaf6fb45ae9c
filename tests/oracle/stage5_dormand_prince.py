"""An independent Dormand-Prince 5(4) integrator for the stage-5 tests (never imports learndyn).

Written from Hairer, Norsett and Wanner, "Solving ODEs I", section II.4-II.5,
with the step-size controller of SciPy's ``RK45`` (safety 0.9, factors clipped
to [0.2, 10], no growth right after a rejection, the initial-step heuristic of
II.4).  It is the "well-tuned implementation" a learner's RK45 is compared
with: its number of function evaluations at a given tolerance is what a careful
RK45 spends.  On the example of SciPy's ``solve_ivp`` documentation
(``y' = -0.5 y`` on [0, 10], default tolerances) it takes exactly the steps SciPy
prints there (0.11487653, 1.26364188, 3.06061781, ...).
"""
from __future__ import annotations

import numpy as np

_C = [0.0, 0.2, 0.3, 0.8, 8 / 9, 1.0]
_A = [[], [0.2], [3 / 40, 9 / 40], [44 / 45, -56 / 15, 32 / 9],
      [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
      [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656]]
_B5 = [35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0.0]
_B4 = [5179 / 57600, 0.0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40]


def _rms(v):
    return float(np.sqrt(np.mean(np.square(v))))


def initial_step(fun, t0: float, t1: float, y0, rtol: float, atol, k1=None) -> float:
    """The first step of Hairer, Norsett and Wanner II.4 (SciPy's select_initial_step) for Dormand-Prince (order 4 error)."""
    y = np.asarray(y0, dtype=float)
    k1 = np.asarray(fun(t0, y), dtype=float) if k1 is None else k1
    sc = atol + rtol * np.abs(y)
    d0, d1 = _rms(y / sc), _rms(k1 / sc)
    h0 = 1e-6 if min(d0, d1) < 1e-5 else 0.01 * d0 / d1
    h0 = min(h0, t1 - t0)  # the trial Euler step stays inside the interval (SciPy does the same)
    d2 = _rms((np.asarray(fun(t0 + h0, y + h0 * k1), dtype=float) - k1) / sc) / h0
    h1 = max(1e-6, 1e-3 * h0) if max(d1, d2) <= 1e-15 else (0.01 / max(d1, d2)) ** 0.2
    return min(100 * h0, h1, t1 - t0)


def dormand_prince(fun, t0: float, t1: float, y0, rtol: float, atol: float):
    """Integrate from t0 to t1; returns (y at t1, number of fun calls, the times of all accepted steps)."""
    calls = 0

    def f(t, y):
        nonlocal calls
        calls += 1
        return np.asarray(fun(t, y), dtype=float)

    t, y = t0, np.array(y0, dtype=float)
    k1 = f(t, y)
    h = initial_step(f, t0, t1, y, rtol, atol, k1)
    times, just_rejected = [t0], False
    while t < t1:
        h = min(h, t1 - t)
        k = [k1]
        for row, c in zip(_A[1:], _C[1:]):
            k.append(f(t + c * h, y + h * sum(a * ki for a, ki in zip(row, k))))
        y5 = y + h * sum(b * ki for b, ki in zip(_B5, k))
        k.append(f(t + h, y5))  # the seventh slope: FSAL, reused as the next k1
        y4 = y + h * sum(b * ki for b, ki in zip(_B4, k))
        err = _rms((y5 - y4) / (atol + rtol * np.maximum(np.abs(y), np.abs(y5))))
        factor = 10.0 if err == 0 else 0.9 * err ** -0.2
        if err < 1:
            t, y, k1 = t + h, y5, k[-1]
            times.append(t)
            h *= min(10.0, min(factor, 1.0) if just_rejected else factor)
            just_rejected = False
        else:
            h *= max(0.2, factor)
            just_rejected = True
    return y, calls, np.array(times)
