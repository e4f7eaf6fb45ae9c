"""``solve_ivp``: integrate an initial value problem, with SciPy's signature and result.

    result = solve_ivp(lambda t, y: -y, (0.0, 1.0), [1.0], method="RK4", step=0.01)
    result.t      # (m,) the times reported
    result.y      # (n, m) the solution, one column per time
    result.nfev   # how many times fun was called

Without ``t_eval`` the result holds every step the solver took (and the
start).  With ``t_eval`` it holds exactly those times: fixed-step methods land
on them, RK45 interpolates inside its steps (``dense_output``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .base import Fun, real_array, real_number
from .rk45 import RK45
from .runge_kutta import RK4, Euler, Heun, Midpoint

METHODS = {"Euler": Euler, "Midpoint": Midpoint, "Heun": Heun, "RK4": RK4, "RK45": RK45}
FIXED_STEP = ("Euler", "Midpoint", "Heun", "RK4")


@dataclass
class OdeResult:
    """What ``solve_ivp`` returns (the fields of SciPy's ``OdeResult``)."""

    t: np.ndarray  # (m,)
    y: np.ndarray  # (n, m)
    nfev: int
    status: int  # 0: reached the end of t_span; -1: the integration failed
    message: str

    @property
    def success(self) -> bool:
        return self.status >= 0


def solve_ivp(fun: Fun, t_span, y0, method: str = "RK45", t_eval=None, rtol: float = 1e-3, atol=1e-6,
              step: float | None = None, max_step: float = np.inf, first_step: float | None = None) -> OdeResult:
    """Solve ``dy/dt = fun(t, y)``, ``y(t_span[0]) = y0``, on ``t_span = (t0, t_bound)``.

    ``method`` is ``"RK45"`` (adaptive, uses ``rtol``, ``atol``, ``max_step``,
    ``first_step``) or one of the fixed-step ``"Euler"``, ``"Midpoint"``,
    ``"Heun"``, ``"RK4"`` (uses ``step``).  ``t_eval``: increasing times inside
    ``t_span`` at which to report the solution.  ``atol`` is a number or, as in
    SciPy, an array with one tolerance per component of ``y0``.

    ``fun`` is only called at times in ``[t0, t_bound]``.  Unlike SciPy's, the
    interval must be increasing and non-empty (``t0 < t_bound``) and ``y0`` must
    have at least one component.  Bad arguments raise ``TypeError`` (wrong type)
    or ``ValueError`` (wrong value) naming the argument, before ``fun`` is called.
    """
    if not isinstance(method, str):
        raise TypeError(f"method must be a string, one of {sorted(METHODS)}, got {type(method).__name__}: {method!r:.80}")
    if method not in METHODS:
        raise ValueError(f"method must be one of {sorted(METHODS)}, got {method!r}")
    if isinstance(t_span, (str, bytes)) or not hasattr(t_span, "__len__"):
        raise TypeError(f"t_span must be a pair (t0, t_bound), got {type(t_span).__name__}: {t_span!r:.80}")
    if len(t_span) != 2:
        raise ValueError(f"t_span must be a pair (t0, t_bound), got {len(t_span)} values: {t_span!r:.80}")
    t0, t_bound = real_number("t_span[0]", t_span[0]), real_number("t_span[1]", t_span[1])
    y0 = np.atleast_1d(real_array("y0", y0))
    if y0.ndim != 1:
        raise ValueError(f"y0 must be a number or a 1-D array, got shape {y0.shape}")
    if t_eval is not None:
        t_eval = real_array("t_eval", t_eval)
        if t_eval.ndim != 1:
            raise ValueError(f"t_eval must be a 1-D array of times, got shape {t_eval.shape}")
        if not np.all(np.diff(t_eval) > 0):
            k = int(np.argmin(np.diff(t_eval) > 0))
            raise ValueError(f"t_eval must be strictly increasing, got t_eval[{k + 1}] = {float(t_eval[k + 1])!r} "
                             f"after t_eval[{k}] = {float(t_eval[k])!r}")
        if t_eval.size and not (t0 <= t_eval[0] and t_eval[-1] <= t_bound):
            raise ValueError(f"t_eval must lie in t_span = [{t0}, {t_bound}], got times from {float(t_eval[0])!r} to {float(t_eval[-1])!r}")
    if method in FIXED_STEP:
        if step is None:
            raise ValueError(f"step must be given (a number > 0) for the fixed-step method {method}")
        solver = METHODS[method](fun, t0, y0, t_bound, step, stops=() if t_eval is None else t_eval)
    else:
        if step is not None:
            raise ValueError(f"step is only for the fixed-step methods {FIXED_STEP}; RK45 chooses its own, got step={step}")
        solver = RK45(fun, t0, y0, t_bound, rtol=rtol, atol=atol, max_step=max_step, first_step=first_step)
    # --- your code for task 5.2 ---
    raise NotImplementedError('stage 5, task 5.2 (Fixed-step integration and solve_ivp): implement solve_ivp. Hint: python grader.py hint 5.2')
    # --- end of task 5.2 ---
    status = -1 if solver.status == "failed" else 0
    message = solver.message if status else "The solver successfully reached the end of the integration interval."
    y = np.array(values).T if values else np.empty((y0.size, 0))
    return OdeResult(np.array(times), y.reshape(y0.size, len(times)), solver.nfev, status, message)
