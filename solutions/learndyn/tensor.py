"""Tensor: a NumPy array that remembers how it was made.

Every op computes its value (the forward pass, stage 1) and, right below it,
a ``backward`` closure that turns the gradient of the loss with respect to the
op's output, ``grad``, into the gradients with respect to its inputs (stage 2).
That closure is a vector-Jacobian product: ``grad_x = grad @ d out / d x``,
computed without ever forming the Jacobian.  Every backward ends in
``sum_to_shape`` so that broadcast inputs get gradients of their own shape.

Closures keep the input *arrays* they need, never the output Tensor, so a
graph holds no reference cycles: it is freed the moment the loss is dropped.

The contract.  Values are real float64 numbers and follow NumPy's float64
arithmetic, overflow included (``exp`` above ~709.78 gives ``inf``, ``log`` of 0
gives ``-inf``, NumPy warns; the gradients there are ``inf`` or ``nan`` as the
formulas give).  Shapes broadcast as in NumPy; 0-d tensors and empty arrays
work wherever NumPy's operation does.  An ``axis`` is None, an int or a tuple
of ints (NumPy integers too) in ``[-ndim, ndim)``: a negative axis counts from
the end.  Outside the contract, rejected at the door with ``TypeError``:
complex numbers, non-numeric data, a Tensor used as an index, a non-integer
axis.  A wrong value (an axis out of range, shapes that do not broadcast) is a
``ValueError``.  Every message names the argument and the value received.
"""
from __future__ import annotations

import copy
from numbers import Real
from typing import Callable

import numpy as np

from .autograd import is_grad_enabled, sum_to_shape, topological_order

Backward = Callable[[np.ndarray], tuple]


def as_tensor(value) -> "Tensor":
    """``value`` itself if it is a Tensor, else a constant Tensor holding it."""
    return value if isinstance(value, Tensor) else Tensor(value)


# ----------------------------------------------------- checks at the door
# Argument checks shared by the ops.  They run before the op's own code, so each
# op sees only arguments inside the contract (see the module docstring).
def _is_integer(value) -> bool:
    """An int or a NumPy integer, but not a bool (``True`` as an axis is a mistake, not axis 1)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _check_flag(op: str, name: str, value) -> None:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{op}: {name} must be True or False, got {type(value).__name__}: {value!r}")


def _reduction_axes(axis, shape: tuple, op: str):
    """``axis`` checked and normalised: ``None`` (every axis) or a tuple of distinct axes in ``[0, ndim)``.

    Accepted: None, an int or a NumPy integer, or a tuple of them; a negative
    axis counts from the end (-1 is the last).  ``np.int64(-1)`` and ``(0, -1)``
    become ``(ndim - 1,)`` and ``(0, ndim - 1)``, so the reductions and their
    backward closures only ever see non-negative axes in a tuple.
    """
    if axis is None:
        return None
    axes = axis if isinstance(axis, tuple) else (axis,)
    if not all(_is_integer(a) for a in axes):
        raise TypeError(f"{op}: axis must be None, an int or a tuple of ints, got {type(axis).__name__}: {axis!r}")
    ndim = len(shape)
    if not all(-ndim <= a < ndim for a in axes):
        allowed = f"in [-{ndim}, {ndim - 1}] for shape {shape}" if ndim else "None or () for a 0-d tensor (it has no axes)"
        raise ValueError(f"{op}: axis must be {allowed}, got {axis!r}")
    resolved = tuple(int(a) % ndim for a in axes)
    if len(set(resolved)) != len(resolved):
        raise ValueError(f"{op}: axis must name each axis at most once, got {axis!r} for shape {shape}")
    return resolved


def _check_permutation(axes: tuple, shape: tuple) -> None:
    """TypeError unless every axis is an integer; ValueError unless ``axes`` is empty or, negative
    axes counted from the end, a permutation of the axes of ``shape``."""
    if not axes:
        return
    if not all(_is_integer(a) for a in axes):
        raise TypeError(f"transpose: axes must be ints, got {axes!r}")
    ndim = len(shape)
    if not all(-ndim <= a < ndim for a in axes) or sorted(int(a) % ndim for a in axes) != list(range(ndim)):
        raise ValueError(f"transpose: axes must be a permutation of {tuple(range(ndim))} (negative axes count from "
                         f"the end) for shape {shape}, got {axes!r}")


def _index_argument(index):
    """``index`` with its arrays and lists copied, so that changing them after the forward cannot
    change the gradient.  A Tensor in the index is outside the contract (its values are floats)."""
    parts = index if isinstance(index, tuple) else (index,)
    if any(isinstance(part, Tensor) for part in parts):
        raise TypeError("index: a Tensor cannot be used as an index (its values are float64); index with ints, "
                        "slices, None, ... or an int or bool NumPy array, e.g. t[labels.data.astype(int)]")
    return copy.deepcopy(index) if any(isinstance(part, (list, np.ndarray)) for part in parts) else index


class Tensor:
    """An n-dimensional float64 array plus the graph that produced it.

    ``data``          the values, a float64 ``np.ndarray``
    ``requires_grad`` whether gradients flow to this tensor
    ``grad``          d loss / d data after ``backward()``, else ``None``
    ``parents``       the tensors this one was computed from (empty for leaves)
    ``op``            the name of the op that made it (``""`` for leaves)
    """

    __array_ufunc__ = None  # make ``ndarray + Tensor`` call Tensor.__radd__

    def __init__(self, data, requires_grad: bool = False):
        _check_flag("Tensor", "requires_grad", requires_grad)
        # BEGIN SOLUTION 1.1
        if isinstance(data, Tensor):
            data = data.data
        try:
            array = np.array(data)  # a copy: the caller's array can change without changing us
        except ValueError:  # ragged nested lists
            array = np.array(None)
        if array.dtype.kind not in "biuf":  # bool, signed/unsigned int, float
            raise TypeError(f"Tensor data must be real numbers or an array of them, got {type(data).__name__} "
                            f"({array.dtype}): {data!r:.60}")
        self._become_leaf(array.astype(np.float64, copy=False), requires_grad)
        # END SOLUTION

    def _become_leaf(self, data: np.ndarray, requires_grad: bool) -> None:
        """Set every attribute of a fresh Tensor: values, no gradient yet, no history."""
        self.data = data
        self.requires_grad = bool(requires_grad)
        self.grad = None
        self.parents = ()
        self.op = ""
        self._backward = None

    # ----------------------------------------------------------- attributes
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    def item(self) -> float:
        """The value of a one-element tensor as a Python float."""
        # BEGIN SOLUTION 1.1
        if self.data.size != 1:
            raise ValueError(f"item() needs a tensor with one element, got shape {self.shape}")
        return float(self.data.reshape(()))
        # END SOLUTION

    def detach(self) -> "Tensor":
        """A new leaf with the same values and no graph: gradients stop here."""
        # BEGIN SOLUTION 1.1
        return Tensor(self.data)
        # END SOLUTION

    def __repr__(self) -> str:
        # BEGIN SOLUTION 1.1
        flags = ", requires_grad=True" if self.requires_grad else ""
        made_by = f", op={self.op!r}" if self.op else ""
        body = np.array2string(self.data, precision=4, separator=", ", threshold=20)
        return f"{type(self).__name__}({body}{flags}{made_by})"
        # END SOLUTION

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor: it has no first axis (use .item() for its value)")
        return len(self.data)

    def __iter__(self):
        """The sub-tensors along the first axis, ``self[0], self[1], ...``; a 0-d tensor has none: TypeError."""
        return (self[i] for i in range(len(self)))

    # ------------------------------------------------------------ the graph
    def _result(self, data: np.ndarray, parents: tuple, op: str, backward: Backward) -> "Tensor":
        """Wrap an op's output; record its parents only if gradients can flow.

        A result requires grad when grad mode is on and any parent requires
        grad.  Only then are ``parents``, ``op`` and ``backward`` stored:
        constants and ``no_grad`` work build no graph and keep no memory.
        """
        if type(data) is not np.ndarray or data.dtype != np.float64:  # NumPy scalars from reductions
            data = np.asarray(data, dtype=np.float64)
        out = Tensor.__new__(Tensor)  # no copy: an op's result is a fresh array nobody else holds
        out._become_leaf(data, requires_grad=False)
        # BEGIN SOLUTION 1.2
        if is_grad_enabled() and any([parent.requires_grad for parent in parents]):
            out.requires_grad = True
            out.parents = parents
            out.op = op
            out._backward = backward
        return out
        # END SOLUTION

    def backward(self, grad=None) -> None:
        """Send gradients from this tensor back through its graph.

        A backward closure may return ``None`` for a parent that does not
        require grad (matmul does, to skip a needless matrix product).

        ``grad`` is d loss / d self; it defaults to 1 for a one-element tensor
        and is required (same shape as ``self``) otherwise.  Nodes are visited
        in reverse topological order, so a node's gradient is complete (the sum
        over every path through its children) before it is passed on.  Every
        tensor that requires grad accumulates: ``t.grad += d loss / d t``, so
        calling ``backward`` twice adds the gradients, as in PyTorch.  The graph
        is freed on the way (each node forgets its parents once it has passed its
        gradient on), so a second ``backward`` through the same graph raises.

        ``grad`` arrays are never modified in place, here or by the optimizers,
        so they are not copied: a ``.grad`` may share memory with another
        tensor's (or be a read-only broadcast view).  Copy one before editing it.
        """
        if isinstance(grad, Tensor):
            grad = grad.data
        # BEGIN SOLUTION 2.7
        if grad is None:
            if self.size != 1:
                raise ValueError(
                    f"backward() without grad needs a one-element output, got shape {self.shape}; "
                    "pass grad= of that shape"
                )
            grad = np.ones_like(self.data)
        grad = np.asarray(grad, dtype=np.float64)
        if grad.shape != self.shape:
            raise ValueError(f"backward(grad): grad has shape {grad.shape}, the tensor has shape {self.shape}")
        pending = {self: grad}  # node -> the sum of the gradients its children have sent so far
        order = topological_order(self)
        while order:
            node = order.pop()  # reverse topological order; popping drops the list's reference
            node_grad = pending.pop(node, None)
            if node_grad is None or not node.requires_grad:
                continue
            if node._backward is None and node.op:
                raise RuntimeError(
                    f"backward() reached a {node.op!r} result whose graph an earlier backward() freed: "
                    "recompute the forward pass (or compute both losses and call backward once on their sum)"
                )
            node.grad = node_grad if node.grad is None else node.grad + node_grad
            if node._backward is None:  # a leaf: nothing further up
                continue
            # Free the graph as we go (as PyTorch does): each node's inputs can be released as
            # soon as its gradient has been passed on, so memory is reused during the sweep.
            parents, backward, node.parents, node._backward = node.parents, node._backward, (), None
            for parent, parent_grad in zip(parents, backward(node_grad)):
                if parent.requires_grad and parent_grad is not None:
                    pending[parent] = parent_grad if parent not in pending else pending[parent] + parent_grad
        # END SOLUTION

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (``grad = None``, as PyTorch does)."""
        self.grad = None

    # ----------------------------------------------------- elementwise ops
    def _operand(self, other, op: str) -> "Tensor":
        """``other`` as a Tensor, with a clear error when shapes cannot broadcast."""
        # BEGIN SOLUTION 1.3
        other = as_tensor(other)
        if other.shape == self.shape:
            return other
        try:
            np.broadcast_shapes(self.shape, other.shape)
        except ValueError:
            raise ValueError(f"{op}: shapes {self.shape} and {other.shape} do not broadcast") from None
        return other
        # END SOLUTION

    def __add__(self, other) -> "Tensor":
        other = self._operand(other, "add")
        a, b = self.data, other.data
        # BEGIN SOLUTION 1.3
        data = a + b
        # END SOLUTION

        def backward(grad):
            # BEGIN SOLUTION 2.2
            return sum_to_shape(grad, a.shape), sum_to_shape(grad, b.shape)
            # END SOLUTION

        return self._result(data, (self, other), "add", backward)

    def __mul__(self, other) -> "Tensor":
        other = self._operand(other, "mul")
        a, b = self.data, other.data
        # BEGIN SOLUTION 1.3
        data = a * b
        # END SOLUTION

        def backward(grad):
            # BEGIN SOLUTION 2.2
            return sum_to_shape(grad * b, a.shape), sum_to_shape(grad * a, b.shape)
            # END SOLUTION

        return self._result(data, (self, other), "mul", backward)

    def __truediv__(self, other) -> "Tensor":
        other = self._operand(other, "div")
        a, b = self.data, other.data
        # BEGIN SOLUTION 1.3
        data = a / b
        # END SOLUTION

        def backward(grad):
            # BEGIN SOLUTION 2.2
            return sum_to_shape(grad / b, a.shape), sum_to_shape(-grad * a / b**2, b.shape)
            # END SOLUTION

        return self._result(data, (self, other), "div", backward)

    def __pow__(self, exponent) -> "Tensor":
        """``self ** exponent`` for a real number ``exponent`` (a Python or NumPy int or float).

        As in NumPy: a negative base to a fractional power is ``nan``, 0 to a
        negative power is ``inf``, and large results overflow to ``inf``.
        """
        if not isinstance(exponent, Real) or isinstance(exponent, (bool, np.bool_)):
            raise TypeError(f"pow: the exponent must be a real number (int or float), got {type(exponent).__name__}: {exponent!r}")
        a = self.data
        # BEGIN SOLUTION 1.3
        data = a**exponent
        # END SOLUTION

        def backward(grad):
            # BEGIN SOLUTION 2.2
            if exponent == 0:  # a**0 is the constant 1: gradient 0, also at a = 0 where a**(exponent - 1) is inf
                return (np.zeros_like(grad),)
            return (grad * exponent * a ** (exponent - 1),)
            # END SOLUTION

        return self._result(data, (self,), "pow", backward)

    def __neg__(self) -> "Tensor":
        return self * -1.0

    def __sub__(self, other) -> "Tensor":
        return self + (-self._operand(other, "sub"))

    def __radd__(self, other) -> "Tensor":
        return self + other

    def __rmul__(self, other) -> "Tensor":
        return self * other

    def __rsub__(self, other) -> "Tensor":
        return as_tensor(other) - self

    def __rtruediv__(self, other) -> "Tensor":
        return as_tensor(other) / self

    # --------------------------------------------------------------- matmul
    def __matmul__(self, other) -> "Tensor":
        """Matrix product with NumPy's rules (1-D operands are promoted, batches broadcast)."""
        other = as_tensor(other)
        a, b = self.data, other.data
        if a.ndim > 2 and b.ndim > 2:
            try:
                np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
            except ValueError:
                raise ValueError(f"matmul: the batch shapes {a.shape[:-2]} and {b.shape[:-2]} of shapes {a.shape} "
                                 f"and {b.shape} do not broadcast") from None
        # BEGIN SOLUTION 1.4
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError(f"matmul: operands must have at least 1 dimension, got shapes {a.shape} and {b.shape}")
        if a.shape[-1] != b.shape[-2 if b.ndim > 1 else 0]:
            raise ValueError(f"matmul: shapes {a.shape} and {b.shape} are not aligned (inner sizes differ)")
        data = a @ b
        # END SOLUTION

        def backward(grad):
            # BEGIN SOLUTION 2.3
            # Promote 1-D operands to matrices, as the forward did, then
            # grad_a = grad @ b^T and grad_b = a^T @ grad.  Each is a full matrix
            # product, so skip the one nobody needs (data rarely requires grad).
            a2 = a[None, :] if a.ndim == 1 else a
            b2 = b[:, None] if b.ndim == 1 else b
            grad2 = grad[..., None] if b.ndim == 1 else grad
            grad2 = grad2[..., None, :] if a.ndim == 1 else grad2
            grad_a = sum_to_shape(grad2 @ b2.swapaxes(-1, -2), a2.shape).reshape(a.shape) if self.requires_grad else None
            grad_b = None
            if other.requires_grad:
                if b.ndim == 2 and a.ndim == 2 and not b.flags.c_contiguous:
                    # b is a transposed view (Linear's weight.T): compute (grad^T a)^T, the same
                    # numbers, so that weight.grad comes out C-ordered like weight and the
                    # optimizer's update runs in memory order instead of striding across it.
                    grad_b = (grad.T @ a).T
                else:
                    grad_b = sum_to_shape(a2.swapaxes(-1, -2) @ grad2, b2.shape).reshape(b.shape)
            return grad_a, grad_b
            # END SOLUTION

        return self._result(data, (self, other), "matmul", backward)

    def __rmatmul__(self, other) -> "Tensor":
        return as_tensor(other) @ self

    # ------------------------------------------------------ unary functions
    def exp(self) -> "Tensor":
        """e ** x; overflows to ``inf`` for x > ~709.78 and underflows to 0 below ~-745 (as NumPy)."""
        # BEGIN SOLUTION 1.5
        data = np.exp(self.data)
        # END SOLUTION

        def backward(grad):
            # BEGIN SOLUTION 2.4
            return (grad * data,)
            # END SOLUTION

        return self._result(data, (self,), "exp", backward)

    def log(self) -> "Tensor":
        """The natural logarithm; ``-inf`` at 0 and ``nan`` for negative entries (as NumPy)."""
        a = self.data
        # BEGIN SOLUTION 1.5
        data = np.log(a)
        # END SOLUTION

        def backward(grad):
            # BEGIN SOLUTION 2.4
            return (grad / a,)
            # END SOLUTION

        return self._result(data, (self,), "log", backward)

    def tanh(self) -> "Tensor":
        # BEGIN SOLUTION 1.5
        data = np.tanh(self.data)
        # END SOLUTION

        def backward(grad):
            # BEGIN SOLUTION 2.4
            return (grad * (1.0 - data**2),)
            # END SOLUTION

        return self._result(data, (self,), "tanh", backward)

    def sigmoid(self) -> "Tensor":
        """1 / (1 + exp(-x)), computed as exp(-|x|) based terms so nothing overflows."""
        a = self.data
        # BEGIN SOLUTION 1.5
        decay = np.exp(-np.abs(a))  # in (0, 1]: never overflows
        data = np.where(a >= 0, 1.0 / (1.0 + decay), decay / (1.0 + decay))
        # END SOLUTION

        def backward(grad):
            # BEGIN SOLUTION 2.4
            return (grad * data * (1.0 - data),)
            # END SOLUTION

        return self._result(data, (self,), "sigmoid", backward)

    def relu(self) -> "Tensor":
        a = self.data
        # BEGIN SOLUTION 1.5
        data = np.maximum(a, 0.0)
        # END SOLUTION

        def backward(grad):
            # BEGIN SOLUTION 2.4
            return (grad * (a > 0),)
            # END SOLUTION

        return self._result(data, (self,), "relu", backward)

    # ----------------------------------------------------------- reductions
    def sum(self, axis=None, keepdims: bool = False) -> "Tensor":
        """The sum along ``axis`` (every axis when None); ``keepdims`` keeps reduced axes as size 1."""
        axis = _reduction_axes(axis, self.shape, "sum")  # from here on: None, or a tuple of axes in [0, ndim)
        _check_flag("sum", "keepdims", keepdims)
        shape = self.shape
        # BEGIN SOLUTION 1.6
        data = self.data.sum(axis=axis, keepdims=keepdims)
        # END SOLUTION

        def backward(grad):
            # BEGIN SOLUTION 2.5
            return (np.broadcast_to(_restore_reduced_axes(grad, shape, axis, keepdims), shape),)
            # END SOLUTION

        return self._result(data, (self,), "sum", backward)

    def mean(self, axis=None, keepdims: bool = False) -> "Tensor":
        """The mean along ``axis`` (as ``sum``); the mean of no entries is ``nan``, as in NumPy."""
        axis = _reduction_axes(axis, self.shape, "mean")  # from here on: None, or a tuple of axes in [0, ndim)
        _check_flag("mean", "keepdims", keepdims)
        shape = self.shape
        # BEGIN SOLUTION 1.6
        data = self.data.mean(axis=axis, keepdims=keepdims)
        # END SOLUTION

        def backward(grad):
            # BEGIN SOLUTION 2.5
            count = np.prod(shape, dtype=int) // max(grad.size, 1)  # entries averaged into each output entry
            return (np.broadcast_to(_restore_reduced_axes(grad, shape, axis, keepdims) / count, shape),)
            # END SOLUTION

        return self._result(data, (self,), "mean", backward)

    def max(self, axis=None, keepdims: bool = False) -> "Tensor":
        """The largest entry along ``axis`` (as ``sum``); ties share the gradient equally.

        The maximum of no entries is undefined: reducing an axis of length 0 raises ValueError.
        """
        axis = _reduction_axes(axis, self.shape, "max")  # from here on: None, or a tuple of axes in [0, ndim)
        _check_flag("max", "keepdims", keepdims)
        if any(self.shape[k] == 0 for k in (range(self.ndim) if axis is None else axis)):
            raise ValueError(f"max: cannot reduce an axis of length 0 (shape {self.shape}, axis {axis}): "
                             "the maximum of no entries is undefined")
        a = self.data
        # BEGIN SOLUTION 1.6
        data = a.max(axis=axis, keepdims=keepdims)
        # END SOLUTION

        def backward(grad):
            # BEGIN SOLUTION 2.5
            is_max = a == _restore_reduced_axes(data, a.shape, axis, keepdims)
            share = is_max / is_max.sum(axis=axis, keepdims=True)
            return (share * _restore_reduced_axes(grad, a.shape, axis, keepdims),)
            # END SOLUTION

        return self._result(data, (self,), "max", backward)

    # ------------------------------------------------------------ shape ops
    def reshape(self, *shape) -> "Tensor":
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        if not all(_is_integer(size) for size in shape):
            raise TypeError(f"reshape: the new shape must be ints (one of them may be -1), got {shape!r}")
        original = self.shape
        # BEGIN SOLUTION 1.7
        try:
            data = self.data.reshape(shape)
        except ValueError:
            raise ValueError(f"reshape: cannot reshape shape {original} (size {self.size}) into {shape}") from None
        # END SOLUTION

        def backward(grad):
            # BEGIN SOLUTION 2.6
            return (grad.reshape(original),)
            # END SOLUTION

        return self._result(data, (self,), "reshape", backward)

    def transpose(self, *axes) -> "Tensor":
        """Permute the axes (reverse them when none are given), like ``np.transpose``.

        Output axis k is input axis ``axes[k]``; a negative axis counts from the end.
        """
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        _check_permutation(axes, self.shape)
        # BEGIN SOLUTION 1.7
        # The permutation actually used, every axis in [0, ndim): the backward inverts it.
        axes = tuple(int(a) % self.ndim for a in axes) if axes else tuple(reversed(range(self.ndim)))
        data = self.data.transpose(axes)
        # END SOLUTION

        def backward(grad):
            # BEGIN SOLUTION 2.6
            return (grad.transpose(np.argsort(axes)),)
            # END SOLUTION

        return self._result(data, (self,), "transpose", backward)

    @property
    def T(self) -> "Tensor":
        return self.transpose()

    def __getitem__(self, index) -> "Tensor":
        """``self[index]`` with NumPy's rules: ints, slices (negative steps too), None, ``...``,
        int arrays (repeats allowed) and boolean masks.  A Tensor as an index: TypeError."""
        index = _index_argument(index)
        a_shape = self.shape
        # BEGIN SOLUTION 1.7
        data = self.data[index]
        # END SOLUTION

        def backward(grad):
            # BEGIN SOLUTION 2.6
            full = np.zeros(a_shape)
            np.add.at(full, index, grad)  # add.at: repeated indices add up
            return (full,)
            # END SOLUTION

        return self._result(data, (self,), "getitem", backward)


def _restore_reduced_axes(values: np.ndarray, shape: tuple, axis, keepdims: bool) -> np.ndarray:
    """Give a reduction's result back the size-1 axes it lost, so it broadcasts against ``shape``.

    ``axis`` is as the reductions normalise it: None (every axis) or a tuple of axes in [0, ndim).
    """
    if axis is None:
        return np.reshape(values, (1,) * len(shape))
    return values if keepdims else np.expand_dims(values, axis)


class Parameter(Tensor):
    """A Tensor that is part of the *state* of learning.

    Learning is a dynamical system whose state is the parameters: each step
    maps ``theta_t`` to ``theta_{t+1}``.  A ``Parameter`` is that state: it
    lives across steps, always requires grad, and is what ``Module.parameters()``
    finds and an optimizer updates in place.  Every other Tensor is transient:
    built by one forward pass, used by one backward pass, then dropped.
    Keeping the two apart is what lets an optimizer find exactly the variables
    to update, and lets the memory of each step's graph be freed.
    """

    def __init__(self, data):
        super().__init__(data, requires_grad=True)
