"""The tests' own reverse sweep: gradients through a recorded graph without ``Tensor.backward``.

Tasks 2.2-2.6 write each op's backward closure; walking a whole graph with them
is ``Tensor.backward``, task 2.7, which comes later.  So that an op's
vector-Jacobian product can be graded as soon as it is written, the tests walk
the graph themselves: duck-typed, over any node with ``parents``,
``_backward`` (``None`` for a leaf), ``requires_grad`` and ``shape``, which is
what ``Tensor._result`` (task 1.2) records.  Written independently of
learndyn's ``topological_order`` and ``backward`` (it never imports learndyn),
and it changes nothing in the graph: no ``.grad`` is set, no graph is freed.
"""
from __future__ import annotations

import numpy as np

from .checks import shape_cause


def _reverse_topological_order(root) -> list:
    """Every node ``root`` depends on, each before all of its parents (``root`` first); an explicit stack."""
    order, finished, stack = [], set(), [(root, iter(root.parents))]
    on_path = {id(root)}
    while stack:
        node, parents = stack[-1]
        parent = next((p for p in parents if id(p) not in finished and id(p) not in on_path), None)
        if parent is None:
            stack.pop()
            on_path.discard(id(node))
            finished.add(id(node))
            order.append(node)  # post-order: after all of its parents
        else:
            on_path.add(id(parent))
            stack.append((parent, iter(parent.parents)))
    return order[::-1]


def reverse_sweep(root, grad, wrt) -> list:
    """d sum(grad * root) / d t for each tensor ``t`` in ``wrt``, through the backward closures of ``root``'s graph.

    A tensor that the sweep never reaches (or that does not require grad) gets ``None``.
    Raises ``AssertionError`` with a teaching message when a closure returns the wrong
    number of gradients or a gradient of the wrong shape.
    """
    grad = np.asarray(grad, dtype=np.float64)
    pending = {id(root): grad}  # node -> the sum of the gradients its children have sent so far
    reached = {}
    for node in _reverse_topological_order(root):
        node_grad = pending.pop(id(node), None)
        if node_grad is None or not node.requires_grad:
            continue
        reached[id(node)] = node_grad
        if node._backward is None:  # a leaf
            continue
        parents = tuple(node.parents)
        grads = node._backward(node_grad)
        where = f"the backward closure of {node.op!r} (output shape {node.shape})"
        if isinstance(grads, np.ndarray) or not isinstance(grads, (tuple, list)):
            raise AssertionError(f"{where} returned a {type(grads).__name__} where it must return a tuple with one "
                                 f"gradient per input, e.g. `(grad_a,)` for a one-input op")
        if len(grads) != len(parents):
            raise AssertionError(f"{where} returned {len(grads)} gradients for its {len(parents)} inputs: "
                                 "one per input, in the order of the inputs")
        for k, (parent, parent_grad) in enumerate(zip(parents, grads)):
            if parent_grad is None or not parent.requires_grad:
                continue
            if np.shape(parent_grad) != tuple(parent.shape):
                cause = shape_cause(np.shape(parent_grad), tuple(parent.shape), gradient=True)
                raise AssertionError(
                    f"{where} returned a gradient of shape {np.shape(parent_grad)} for input {k} of shape "
                    f"{tuple(parent.shape)}." + (f" Likely cause: {cause}" if cause else "")
                )
            parent_grad = np.asarray(parent_grad, dtype=np.float64)
            pending[id(parent)] = parent_grad if id(parent) not in pending else pending[id(parent)] + parent_grad
    return [reached.get(id(t)) for t in wrt]
