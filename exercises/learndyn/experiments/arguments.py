"""The checks an experiment's ``run`` makes at the door, one per argument, before any work.

Each check returns the value (as a Python ``int``, ``float`` or ``tuple``) or raises:

* ``TypeError`` naming the argument, the type it needs and the value received:
  ``n_nets must be an int, got 2.5 (float)``;
* ``ValueError`` naming the argument, the allowed values and the value received:
  ``lr must be > 0, got -0.1``.  The range in the message is exactly the range checked.

A bound that comes from another argument is said in ``note``, in parentheses after the
range: ``warmup must be in [1, 999] (below steps), got 1000``.  An entry of a sequence is
named with its index: ``sizes[1] must be >= 2, got 1``.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def _received(value) -> str:
    return f"{value!r} ({type(value).__name__})"


def _in_range(name: str, value, above=None, at_least=None, at_most=None, below=None, note: str = ""):
    """``value`` if it lies within the bounds given (at most one lower and one upper), else ``ValueError``."""
    if ((above is None or value > above) and (at_least is None or value >= at_least)
            and (at_most is None or value <= at_most) and (below is None or value < below)):
        return value
    low = f"({above!r}" if above is not None else f"[{at_least!r}" if at_least is not None else ""
    high = f"{below!r})" if below is not None else f"{at_most!r}]" if at_most is not None else ""
    if low and high:
        allowed = f"in {low}, {high}"
    elif low:
        allowed = ("> " if above is not None else ">= ") + low[1:]
    else:
        allowed = ("< " if below is not None else "<= ") + high[:-1]
    raise ValueError(f"{name} must be {allowed}{f' ({note})' if note else ''}, got {value!r}")


def integer(name: str, value, at_least: int, at_most: int | None = None, note: str = "") -> int:
    """An int (Python or NumPy, not a bool) in ``[at_least, at_most]``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {_received(value)}")
    return _in_range(name, int(value), at_least=at_least, at_most=at_most, note=note)


def real(name: str, value, *, above: float | None = None, at_least: float | None = None,
         at_most: float | None = None, below: float | None = None, note: str = "") -> float:
    """A finite real number (a Python or NumPy int or float, not a bool) within the bounds given, as a float."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number, got {_received(value)}")
    value = value.item() if isinstance(value, np.generic) else value  # a message shows 0.1, not np.float64(0.1)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return float(_in_range(name, value, above, at_least, at_most, below, note))


def one_of(name: str, value, allowed: tuple, note: str = ""):
    """One of ``allowed`` (a value of another type than theirs is a ``TypeError``)."""
    if not any(isinstance(value, type(option)) for option in allowed):
        types = " or ".join(sorted({type(option).__name__ for option in allowed}))
        raise TypeError(f"{name} must be a {types}, got {_received(value)}")
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}{f' ({note})' if note else ''}, got {value!r}")
    return value


def sequence(name: str, values, min_length: int = 1) -> tuple:
    """A list, tuple, range or 1-D array (not a string) of at least ``min_length`` entries, as a tuple."""
    is_vector = isinstance(values, np.ndarray) and values.ndim == 1
    if not (is_vector or isinstance(values, Sequence) and not isinstance(values, (str, bytes))):
        raise TypeError(f"{name} must be a list, tuple or 1-D array, got {_received(values)}")
    if len(values) < min_length:
        raise ValueError(f"{name} must hold at least {min_length} value{'s' * (min_length > 1)}, got {values!r}")
    return tuple(values)


def integers(name: str, values, at_least: int, min_length: int = 1) -> tuple[int, ...]:
    """A ``sequence`` of ints, each ``>= at_least``."""
    return tuple(integer(f"{name}[{k}]", value, at_least) for k, value in enumerate(sequence(name, values, min_length)))


def reals(name: str, values, min_length: int = 1, **bounds) -> tuple[float, ...]:
    """A ``sequence`` of finite reals, each within ``bounds`` (the keywords of ``real``)."""
    return tuple(real(f"{name}[{k}]", value, **bounds) for k, value in enumerate(sequence(name, values, min_length)))
