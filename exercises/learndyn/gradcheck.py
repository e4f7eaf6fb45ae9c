"""Your own gradient checker: compare autodiff with central differences.

Use it while you work (``gradcheck(lambda x: (x * x).sum(), [Tensor(...)])``).
The course's tests never trust it: they carry their own finite differences.

Central difference for each entry ``i`` of ``x``::

    grad[i] ~= (f(x + eps * e_i) - f(x - eps * e_i)) / (2 * eps)

Its truncation error is ``eps**2 / 6 * f'''``, its rounding error about
``1e-16 * |f| / eps``; ``eps = 1e-6`` balances the two in float64 (error ~1e-10).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .tensor import Tensor


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """d f / d x at ``x`` by central differences; ``f`` maps a float64 array to a number."""
    if not eps > 0:
        raise ValueError(f"eps must be > 0, got {eps}")
    # --- your code for task 2.8 ---
    raise NotImplementedError('stage 2, task 2.8 (Your gradient checker): implement numerical_gradient. Hint: python grader.py hint 2.8')
    # --- end of task 2.8 ---


@dataclass
class GradcheckResult:
    """``max_relative_error`` over all entries of all inputs, and whether it is below ``tolerance``."""

    max_relative_error: float
    tolerance: float
    worst_input: int
    worst_index: tuple

    @property
    def passed(self) -> bool:
        return self.max_relative_error <= self.tolerance


def gradcheck(
    f: Callable[..., Tensor], inputs: Sequence[Tensor], eps: float = 1e-6, tolerance: float = 1e-6
) -> GradcheckResult:
    """Compare the autodiff gradient of the scalar ``f(*inputs)`` with central differences.

    relative error = |autodiff - numeric| / max(1, |autodiff|, |numeric|), per entry.
    """
    # --- your code for task 2.8 ---
    raise NotImplementedError('stage 2, task 2.8 (Your gradient checker): implement gradcheck. Hint: python grader.py hint 2.8')
    # --- end of task 2.8 ---
