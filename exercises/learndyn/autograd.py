"""The machinery of reverse-mode autodiff that is not an op.

Three pieces live here, each used by every op in ``tensor.py``:

* ``no_grad`` / ``is_grad_enabled``: a switch that stops graph recording.
* ``sum_to_shape``: the one helper every backward ends in.  When NumPy
  broadcasts an input of shape ``shape`` up to the output's shape, each input
  entry is used by many output entries, so (chain rule) its gradient is the
  *sum* of their gradients.
* ``topological_order``: the order in which ``backward`` visits the graph,
  found with an explicit stack so that a chain of 10,000 ops works.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import numpy as np

_grad_enabled = True


def is_grad_enabled() -> bool:
    """True unless we are inside ``with no_grad():``."""
    return _grad_enabled


@contextmanager
def no_grad() -> Iterator[None]:
    """Inside this block, ops record no graph (like ``torch.no_grad``).

    Use it for work that must not be differentiated: an optimizer's update of
    the parameters, evaluating a model, measuring a loss surface.  The previous
    mode is restored on exit, also when the block raises.
    """
    global _grad_enabled
    previous = _grad_enabled
    _grad_enabled = False
    try:
        yield
    finally:
        _grad_enabled = previous


def sum_to_shape(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum a broadcast gradient back to the shape of the input it belongs to.

    Broadcasting an input ``x`` of shape ``shape`` to ``grad.shape`` does two
    things, and the gradient undoes both by summing:

    1. prepends axes:     ``(3,) -> (4, 3)``   => sum ``grad`` over the leading axes;
    2. stretches size-1:  ``(4, 1) -> (4, 3)`` => sum ``grad`` over that axis, keepdims.

    Raises ``ValueError`` when ``shape`` does not broadcast to ``grad.shape``.
    """
    shape = tuple(shape)
    # --- your code for task 2.1 ---
    raise NotImplementedError('stage 2, task 2.1 (Summing broadcast gradients): implement sum_to_shape. Hint: python grader.py hint 2.1')
    # --- end of task 2.1 ---


def topological_order(root) -> list:
    """Every node that ``root`` depends on, each after all of its parents.

    ``root`` comes last.  Iterative depth-first search: a node is appended
    once all of its parents have been appended (post-order), so the list can
    be walked backwards to send gradients from outputs to inputs.  An
    explicit stack replaces recursion, whose depth limit (about 1,000 frames)
    a deep chain of ops would hit.
    """
    # --- your code for task 2.7 ---
    raise NotImplementedError('stage 2, task 2.7 (Backpropagation through the graph): implement topological_order. Hint: python grader.py hint 2.7')
    # --- end of task 2.7 ---
