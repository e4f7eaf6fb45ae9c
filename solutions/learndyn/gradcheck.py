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
    # BEGIN SOLUTION 2.8
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + eps
        f_plus = float(f(x))
        x[i] = original - eps
        f_minus = float(f(x))
        x[i] = original
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad
    # END SOLUTION


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
    # BEGIN SOLUTION 2.8
    inputs = [Tensor(t.data, requires_grad=True) for t in inputs]
    f(*inputs).backward()
    worst = (0.0, 0, ())
    for k, tensor in enumerate(inputs):

        def f_of_input(values, k=k):
            others = [Tensor(values) if j == k else Tensor(t.data) for j, t in enumerate(inputs)]
            return f(*others).item()

        numeric = numerical_gradient(f_of_input, tensor.data, eps)
        analytic = tensor.grad if tensor.grad is not None else np.zeros_like(tensor.data)
        error = np.abs(analytic - numeric) / np.maximum(1.0, np.maximum(np.abs(analytic), np.abs(numeric)))
        if error.size and error.max() > worst[0]:
            worst = (float(error.max()), k, np.unravel_index(error.argmax(), error.shape))
    return GradcheckResult(worst[0], tolerance, worst[1], tuple(int(i) for i in worst[2]))
    # END SOLUTION
