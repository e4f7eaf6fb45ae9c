"""Stage 5: ordinary differential equation solvers with SciPy's conventions.

``solve_ivp(fun, t_span, y0, method="RK45", ...)`` integrates ``dy/dt = fun(t, y)``.
A Runge-Kutta method is data (its Butcher tableau ``A, B, C`` and ``order``);
one function, ``rk_step``, runs every tableau.
"""
from .base import OdeSolver
from .rk45 import RK45, continuous_extension
from .runge_kutta import RK4, Euler, FixedStepRungeKutta, Heun, Midpoint, rk_step
from .solve_ivp import METHODS, OdeResult, solve_ivp

__all__ = ["solve_ivp", "OdeResult", "METHODS", "OdeSolver", "rk_step", "FixedStepRungeKutta",
           "Euler", "Midpoint", "Heun", "RK4", "RK45", "continuous_extension"]
