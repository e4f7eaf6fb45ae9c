"""Adaptive Dormand-Prince 5(4): a fifth-order step with a free fourth-order error estimate.

The seven-stage tableau gives two solutions from the same slopes ``K``: the
fifth-order ``y_new = y + h * (B @ K[:6])`` that we keep, and an embedded
fourth-order one.  Their difference, ``error = h * (E @ K)`` with the last stage
``K[6] = fun(t + h, y_new)``, estimates the local error of the fourth-order
solution, which is O(h^5).  Measured against the tolerance per component,

    scale      = atol + rtol * max(|y|, |y_new|)
    error_norm = rms(error / scale)

a step is accepted when ``error_norm < 1``.  Either way the next step size is

    h <- h * clip(SAFETY * error_norm ** (-1 / 5), MIN_FACTOR, MAX_FACTOR)

(the error scales as h^5, so this ``h`` would give ``error_norm = SAFETY^5``),
never growing right after a rejection.  FSAL (first same as last): ``K[6]``
is ``fun`` at the new point, so it is the next step's ``K[0]``: six new
evaluations per step, not seven.  Inside a step, ``continuous_extension`` turns the
same slopes into a quartic in time: that is how ``t_eval`` is answered.
"""
from __future__ import annotations

import numpy as np

from .base import Fun, OdeSolver, real_array, real_number, step_to
from .runge_kutta import rk_step

SAFETY = 0.9  # aim below the tolerance: a step sized for error_norm = 1 would be rejected half the time
MIN_FACTOR = 0.2  # shrink a step at most 5x at once, so one bad estimate cannot collapse h
MAX_FACTOR = 10.0  # grow a step at most 10x at once, since the error model is only local


def rms_norm(x: np.ndarray) -> float:
    """Root mean square of the entries: a norm that does not grow with the dimension."""
    return float(np.linalg.norm(x) / np.sqrt(x.size))


def continuous_extension(y_old: np.ndarray, K: np.ndarray, h: float, P: np.ndarray, theta: float) -> np.ndarray:
    """``y`` at ``t_old + theta * h`` inside a step, from that step's seven slopes ``K`` (7, n).

        y(theta) = y_old + h * sum_i K[i] * (P[i, 0] theta + P[i, 1] theta^2 + P[i, 2] theta^3 + P[i, 3] theta^4)

    a quartic in ``theta`` whose error is O(h^5), like the step's own (Shampine
    1986).  At ``theta = 1`` it gives ``y_new``; a cubic Hermite interpolant
    (error O(h^4)) would miss the tolerance by 100x at rtol = 1e-9.
    """
    # --- your code for task 5.3 ---
    raise NotImplementedError('stage 5, task 5.3 (Adaptive Dormand-Prince RK45): implement continuous_extension. Hint: python grader.py hint 5.3')
    # --- end of task 5.3 ---


class RK45(OdeSolver):
    """Dormand-Prince 5(4) with error control (the method behind SciPy's and MATLAB's default)."""

    C = np.array([0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1])
    A = np.array([
        [0, 0, 0, 0, 0],
        [1 / 5, 0, 0, 0, 0],
        [3 / 40, 9 / 40, 0, 0, 0],
        [44 / 45, -56 / 15, 32 / 9, 0, 0],
        [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729, 0],
        [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    ])
    A = np.hstack([A, np.zeros((6, 1))])  # square (6, 6), strictly lower triangular
    B = np.array([35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84])
    E = np.array([-71 / 57600, 0, 71 / 16695, -71 / 1920, 17253 / 339200, -22 / 525, 1 / 40])  # B - B_hat, 7 stages
    # Shampine's quartic continuous extension (dense output) of the step, one row per slope in K.
    P = np.array([
        [1, -8048581381 / 2820520608, 8663915743 / 2820520608, -12715105075 / 11282082432],
        [0, 0, 0, 0],
        [0, 131558114200 / 32700410799, -68118460800 / 10900136933, 87487479700 / 32700410799],
        [0, -1754552775 / 470086768, 14199869525 / 1410260304, -10690763975 / 1880347072],
        [0, 127303824393 / 49829197408, -318862633887 / 49829197408, 701980252875 / 199316789632],
        [0, -282668133 / 205662961, 2019193451 / 616988883, -1453857185 / 822651844],
        [0, 40617522 / 29380423, -110615467 / 29380423, 69997945 / 29380423],
    ])
    order = 5
    error_estimator_order = 4

    def __init__(self, fun: Fun, t0: float, y0, t_bound: float, rtol: float = 1e-3, atol=1e-6,
                 max_step: float = np.inf, first_step: float | None = None):
        """``atol`` is a number, or one per component of ``y`` (shape ``(n,)``) as in SciPy; ``rtol`` is a number."""
        if not real_number("rtol", rtol) > 0:
            raise ValueError(f"rtol must be > 0, got {rtol!r}")
        n = np.size(y0)
        atol = real_number("atol", atol) if np.ndim(atol) == 0 else real_array("atol", atol)
        if np.ndim(atol) not in (0, 1) or np.ndim(atol) == 1 and np.shape(atol) != (n,):
            raise ValueError(f"atol must be a number or an array of shape (n,) = ({n},), one per component of y0, "
                             f"got shape {np.shape(atol)}")
        if not np.all(atol >= 0):
            raise ValueError(f"atol must be >= 0, got {atol!r}")
        if not real_number("max_step", max_step) > 0:
            raise ValueError(f"max_step must be > 0, got {max_step!r}")
        if first_step is not None and not 0 < real_number("first_step", first_step) <= t_bound - t0:
            raise ValueError(f"first_step must be in (0, t_bound - t0] = (0, {t_bound - t0}], got {first_step!r}")
        super().__init__(fun, t0, y0, t_bound)
        self.rtol, self.atol, self.max_step = float(rtol), atol, float(max_step)
        self.h_abs = self.select_initial_step() if first_step is None else float(first_step)

    def select_initial_step(self) -> float:
        """A first step whose Euler error would be about 1% of the tolerance (Hairer, Norsett and Wanner II.4).

            scale = atol + rtol * |y|
            d0 = rms(y / scale), d1 = rms(f / scale)
            h0 = 0.01 * d0 / d1            (1e-6 if d0 or d1 < 1e-5)
            h0 = min(h0, t_bound - t)      (step_to: the trial step must not leave the interval, fun may be undefined there)
            d2 = rms((fun(t + h0, y + h0 f) - f) / scale) / h0
            h1 = (0.01 / max(d1, d2)) ** (1 / (error_estimator_order + 1))   (max(1e-6, 1e-3 h0) if both tiny)
            h  = min(100 h0, h1, t_bound - t)
        """
        # --- your code for task 5.3 ---
        raise NotImplementedError('stage 5, task 5.3 (Adaptive Dormand-Prince RK45): implement RK45.select_initial_step. Hint: python grader.py hint 5.3')
        # --- end of task 5.3 ---

    def _step_impl(self) -> tuple[bool, str]:
        """Try steps until one meets the tolerance; adapt ``h_abs`` for the next step.

            h = min(h_abs clipped to [min_step, max_step], t_bound - t)   (step_to: t + h never passes t_bound)
            y_new, K = rk_step(...);  K = vstack([K, fun(t + h, y_new)])           (7 slopes)
            error_norm = rms(h * (E @ K) / (atol + rtol * max(|y|, |y_new|)))
            error_norm < 1: accept; t, y, f, K = t + h, y_new, K[6], K
                            h_abs = h * min(MAX_FACTOR, SAFETY * error_norm ** (-1/5))   (factor <= 1 after a rejection)
            otherwise:      h = h * max(MIN_FACTOR, SAFETY * error_norm ** (-1/5)) and try again
                            (fail with a message once h < min_step)
        """
        min_step = 10 * abs(np.nextafter(self.t, np.inf) - self.t)
        # --- your code for task 5.3 ---
        raise NotImplementedError('stage 5, task 5.3 (Adaptive Dormand-Prince RK45): implement RK45._step_impl. Hint: python grader.py hint 5.3')
        # --- end of task 5.3 ---

    def dense_output(self, t_query: float) -> np.ndarray:
        """``y`` at a time inside the last step ``[t_old, t]``, from the step's continuous extension."""
        h = self.t - self.t_old
        return continuous_extension(self.y_old, self.K, h, self.P, (t_query - self.t_old) / h)
