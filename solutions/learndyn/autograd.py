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
    # BEGIN SOLUTION 2.1
    if grad.shape == shape:  # nothing was broadcast: the common case, kept cheap
        return grad
    extra = grad.ndim - len(shape)
    if extra < 0 or any(s not in (1, g) for s, g in zip(shape, grad.shape[extra:])):
        raise ValueError(
            f"sum_to_shape: shape {shape} does not broadcast to the gradient's shape {grad.shape}"
        )
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(axis for axis, size in enumerate(shape) if size == 1 and grad.shape[axis] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad
    # END SOLUTION


def topological_order(root) -> list:
    """Every node that ``root`` depends on, each after all of its parents.

    ``root`` comes last.  Iterative depth-first search: a node is appended
    once all of its parents have been appended (post-order), so the list can
    be walked backwards to send gradients from outputs to inputs.  An
    explicit stack replaces recursion, whose depth limit (about 1,000 frames)
    a deep chain of ops would hit.
    """
    # BEGIN SOLUTION 2.7
    order, visited = [], set()  # Tensors hash by identity
    stack = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))
            stack.extend((parent, False) for parent in node.parents if parent not in visited)
    return order
    # END SOLUTION
