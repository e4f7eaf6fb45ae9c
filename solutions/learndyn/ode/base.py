"""The solver base class: it owns the state, the status and the count of function evaluations.

A solver advances ``dy/dt = fun(t, y)`` from ``t0`` towards ``t_bound`` one
step at a time.  Subclasses implement only ``_step_impl``; the base class wraps
``fun`` so that every evaluation is counted in ``nfev`` (no subclass can forget)
and turns the outcome of a step into ``status``: ``"running"``, ``"finished"``
(``t`` reached ``t_bound``) or ``"failed"`` (with a ``message``).

The arguments are checked here, before ``fun`` is first called: a wrong type is a
``TypeError``, a wrong value a ``ValueError``, and the message names the argument,
what it may be and what it got.  ``fun`` is only ever called at times in
``[t0, t_bound]``.
"""
from __future__ import annotations

from numbers import Real
from typing import Callable

import numpy as np

Fun = Callable[[float, np.ndarray], np.ndarray]


def step_to(t: float, end: float) -> float:
    """The step ``h`` from ``t`` to ``end``: ``end - t``, rounded down if need be so that ``t + h <= end``.

    ``end - t`` is rounded to the nearest float, sometimes up, and then ``t + h``, where a step's
    last stage calls ``fun``, lands an ulp past ``end`` (past ``t_bound``, where ``fun`` may be
    undefined).  With ``t + h <= end`` every stage time ``t + C[i] * h`` (``C[i] <= 1``) is ``<= end``.
    """
    h = end - t
    while t + h > end:
        h = float(np.nextafter(h, 0.0))
    return h


def start_for(h: float, end: float) -> float:
    """The latest start ``t`` (about ``end - h``) from which a full step ``h`` does not pass ``end``: ``t + h <= end``."""
    t = end - h
    while t + h > end:
        t = float(np.nextafter(t, -np.inf))
    return t


def real_number(name: str, value) -> float:
    """``value`` as a float; TypeError naming ``name`` unless it is a real number (int or float, NumPy's too)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}: {value!r:.80}")
    return float(value)


def real_array(name: str, value) -> np.ndarray:
    """``value`` as a float64 array; TypeError naming ``name`` unless it holds real numbers (ints or floats)."""
    try:
        array = np.asarray(value)
    except ValueError:  # a ragged list
        array = np.array(None)
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a real number or an array of them, got {type(value).__name__}: {value!r:.80}")
    return array.astype(np.float64)


class OdeSolver:
    """State of one integration: ``t``, ``y``, the derivative ``f = fun(t, y)`` and the previous point.

    After each successful step ``t_old, y_old, f_old`` describe where the step
    started, so that a dense output can interpolate inside ``[t_old, t]``.
    """

    def __init__(self, fun: Fun, t0: float, y0, t_bound: float):
        if not callable(fun):
            raise TypeError(f"fun must be a function fun(t, y), got {type(fun).__name__}: {fun!r:.80}")
        self.t, self.t_bound = real_number("t0", t0), real_number("t_bound", t_bound)
        if not (np.isfinite(self.t) and np.isfinite(self.t_bound) and self.t < self.t_bound):
            raise ValueError(f"t_span = (t0, t_bound) must be finite with t0 < t_bound, got t0={t0!r}, t_bound={t_bound!r}")
        self.y = real_array("y0", y0)
        if self.y.ndim != 1 or self.y.size == 0:
            raise ValueError(f"y0 must be a 1-D array with at least one component, got shape {self.y.shape}")
        self.nfev = 0

        def counted_fun(t: float, y: np.ndarray) -> np.ndarray:
            self.nfev += 1
            return np.asarray(fun(t, y), dtype=np.float64)

        self.fun = counted_fun
        self.f = self.fun(self.t, self.y)
        if self.f.shape != self.y.shape:
            raise ValueError(f"fun(t, y) must return an array of y's shape {self.y.shape}, got {self.f.shape}")
        self.t_old = self.y_old = self.f_old = None
        self.status = "running"
        self.message = ""

    def step(self) -> None:
        """Advance one step; set ``status`` to ``"finished"`` at ``t_bound`` or ``"failed"`` on trouble."""
        if self.status != "running":
            raise RuntimeError(f"step() on a solver whose status is {self.status!r}")
        t_old, y_old, f_old = self.t, self.y, self.f
        success, message = self._step_impl()
        if not success:
            self.status, self.message = "failed", message
            return
        self.t_old, self.y_old, self.f_old = t_old, y_old, f_old
        if not np.all(np.isfinite(self.y)):
            self.status, self.message = "failed", f"the solution overflowed (non-finite y) at t={self.t:.6g}"
        elif self.t >= self.t_bound:
            self.status = "finished"

    def _step_impl(self) -> tuple[bool, str]:
        """Take one step: update ``t``, ``y``, ``f``; return (success, message)."""
        raise NotImplementedError(f"{type(self).__name__} must implement _step_impl")
