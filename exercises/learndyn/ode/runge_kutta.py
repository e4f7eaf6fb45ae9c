"""Explicit Runge-Kutta methods as data, and the one function that runs them all.

A method with ``s`` stages is its Butcher tableau: a strictly lower
triangular ``A`` (s, s), weights ``B`` (s,) and nodes ``C`` (s,).  One step of
size ``h`` from ``(t, y)`` with ``f = fun(t, y)`` computes the stage slopes

    K[0] = f
    K[i] = fun(t + C[i] * h, y + h * (A[i, :i] @ K[:i]))       i = 1 .. s-1
    y_new = y + h * (B @ K)

Consistency: ``A[i].sum() == C[i]`` (every stage is a first-order estimate of
``y(t + C[i] h)``) and ``B.sum() == 1`` (a constant slope is integrated
exactly).  The method has order ``p`` when its local error is O(h^(p+1)), so
the global error at a fixed time is O(h^p): halving ``h`` divides it by 2^p.
"""
from __future__ import annotations

import numpy as np

from .base import Fun, OdeSolver, real_array, real_number, start_for, step_to


def rk_step(fun: Fun, t: float, y: np.ndarray, f: np.ndarray, h: float,
            A: np.ndarray, B: np.ndarray, C: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One Runge-Kutta step of size ``h``; returns ``(y_new, K)`` with the stage slopes ``K`` (s, n).

    ``f`` is ``fun(t, y)``, already known to the caller, so a step costs
    ``s - 1`` new evaluations of ``fun``.
    """
    # --- your code for task 5.1 ---
    raise NotImplementedError('stage 5, task 5.1 (One Runge-Kutta step from a Butcher tableau): implement rk_step. Hint: python grader.py hint 5.1')
    # --- end of task 5.1 ---


class FixedStepRungeKutta(OdeSolver):
    """A Runge-Kutta method with a fixed ``step``, shortened only to land exactly on ``stops`` and ``t_bound``.

    ``stops`` are times the caller wants to visit (``solve_ivp``'s ``t_eval``):
    a step never jumps over one, so no interpolation is needed there, and no stage
    is evaluated past one (nor past ``t_bound``).  After each
    step ``f = fun(t, y)`` is evaluated at the new point (it is the next step's
    ``K[0]``): a method with ``s`` stages costs ``s`` evaluations per step.
    """

    A: np.ndarray
    B: np.ndarray
    C: np.ndarray
    order: int
    LANDING_SLACK = 1e-9  # a full step that ends within this fraction of a step of a stop lands on it

    def __init__(self, fun: Fun, t0: float, y0, t_bound: float, step: float, stops=()):
        if not (np.isfinite(real_number("step", step)) and step > 0):
            raise ValueError(f"step must be a finite number > 0 for the fixed-step method {type(self).__name__}, got {step!r}")
        super().__init__(fun, t0, y0, t_bound)
        self.step_size = float(step)
        self.stops = sorted(float(s) for s in real_array("stops", stops).ravel() if t0 < s < t_bound) + [self.t_bound]

    def _step_impl(self) -> tuple[bool, str]:
        # --- your code for task 5.2 ---
        raise NotImplementedError('stage 5, task 5.2 (Fixed-step integration and solve_ivp): implement FixedStepRungeKutta._step_impl. Hint: python grader.py hint 5.2')
        # --- end of task 5.2 ---


class Euler(FixedStepRungeKutta):
    """Forward Euler: ``y_new = y + h f``.  Order 1."""

    A = np.array([[0.0]])
    B = np.array([1.0])
    C = np.array([0.0])
    order = 1


class Midpoint(FixedStepRungeKutta):
    """Explicit midpoint: a half Euler step, then the full step with the midpoint slope.  Order 2."""

    A = np.array([[0.0, 0.0], [0.5, 0.0]])
    B = np.array([0.0, 1.0])
    C = np.array([0.0, 0.5])
    order = 2


class Heun(FixedStepRungeKutta):
    """Heun (explicit trapezoid): average the slopes at both ends of an Euler step.  Order 2."""

    A = np.array([[0.0, 0.0], [1.0, 0.0]])
    B = np.array([0.5, 0.5])
    C = np.array([0.0, 1.0])
    order = 2


class RK4(FixedStepRungeKutta):
    """The classical fourth-order Runge-Kutta method (weights 1/6, 1/3, 1/3, 1/6).  Order 4."""

    A = np.array([[0.0, 0.0, 0.0, 0.0], [0.5, 0.0, 0.0, 0.0], [0.0, 0.5, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]])
    B = np.array([1 / 6, 1 / 3, 1 / 3, 1 / 6])
    C = np.array([0.0, 0.5, 0.5, 1.0])
    order = 4
