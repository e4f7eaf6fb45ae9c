"""Float64 central differences and an independent broadcast reduction."""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np


def central_difference(f: Callable[..., float], arrays: Sequence[np.ndarray], which: int, eps: float = 1e-6) -> np.ndarray:
    """d f(*arrays) / d arrays[which], one entry at a time, in float64.

    Error analysis (used by the tolerances of the gradient tests): truncation
    ``eps**2 / 6 * |f'''|`` ~ 1e-13 for the order-1 functions of the tests, plus
    rounding ``~1e-16 * |f| / eps`` ~ 1e-10 * |f|; with |f| <= ~50 the
    estimate is good to ~5e-9, far below the 1e-6 the tests allow.
    """
    arrays = [np.array(a, dtype=np.float64) for a in arrays]
    x = arrays[which]
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + eps
        plus = float(f(*arrays))
        x[index] = original - eps
        minus = float(f(*arrays))
        x[index] = original
        grad[index] = (plus - minus) / (2.0 * eps)
    return grad


def reduce_to_shape(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Adjoint of broadcasting ``shape`` -> ``grad.shape``, by scattering each entry to its source.

    Written entry by entry with ``np.add.at`` (not with sums over axes) so that it
    shares no logic with the ``sum_to_shape`` it checks.
    """
    shape = tuple(shape)
    result = np.zeros(shape)
    offset = grad.ndim - len(shape)
    for index in np.ndindex(grad.shape):
        source = tuple(0 if size == 1 else index[offset + axis] for axis, size in enumerate(shape))
        np.add.at(result, source, grad[index])
    return result
