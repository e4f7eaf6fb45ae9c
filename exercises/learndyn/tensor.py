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
        # --- your code for task 1.1 ---
        raise NotImplementedError('stage 1, task 1.1 (Tensor basics): implement Tensor.__init__. Hint: python grader.py hint 1.1')
        # --- end of task 1.1 ---

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
        # --- your code for task 1.1 ---
        raise NotImplementedError('stage 1, task 1.1 (Tensor basics): implement Tensor.item. Hint: python grader.py hint 1.1')
        # --- end of task 1.1 ---

    def detach(self) -> "Tensor":
        """A new leaf with the same values and no graph: gradients stop here."""
        # --- your code for task 1.1 ---
        raise NotImplementedError('stage 1, task 1.1 (Tensor basics): implement Tensor.detach. Hint: python grader.py hint 1.1')
        # --- end of task 1.1 ---

    def __repr__(self) -> str:
        # --- your code for task 1.1 ---
        raise NotImplementedError('stage 1, task 1.1 (Tensor basics): implement Tensor.__repr__. Hint: python grader.py hint 1.1')
        # --- end of task 1.1 ---

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
        # --- your code for task 1.2 ---
        raise NotImplementedError('stage 1, task 1.2 (Recording the graph): implement Tensor._result. Hint: python grader.py hint 1.2')
        # --- end of task 1.2 ---

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
        # --- your code for task 2.7 ---
        raise NotImplementedError('stage 2, task 2.7 (Backpropagation through the graph): implement Tensor.backward. Hint: python grader.py hint 2.7')
        # --- end of task 2.7 ---

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (``grad = None``, as PyTorch does)."""
        self.grad = None

    # ----------------------------------------------------- elementwise ops
    def _operand(self, other, op: str) -> "Tensor":
        """``other`` as a Tensor, with a clear error when shapes cannot broadcast."""
        # --- your code for task 1.3 ---
        raise NotImplementedError('stage 1, task 1.3 (Elementwise arithmetic and broadcasting): implement Tensor._operand. Hint: python grader.py hint 1.3')
        # --- end of task 1.3 ---

    def __add__(self, other) -> "Tensor":
        other = self._operand(other, "add")
        a, b = self.data, other.data
        # --- your code for task 1.3 ---
        raise NotImplementedError('stage 1, task 1.3 (Elementwise arithmetic and broadcasting): implement Tensor.__add__. Hint: python grader.py hint 1.3')
        # --- end of task 1.3 ---

        def backward(grad):
            # --- your code for task 2.2 ---
            raise NotImplementedError('stage 2, task 2.2 (Backward of arithmetic): implement Tensor.__add__.backward. Hint: python grader.py hint 2.2')
            # --- end of task 2.2 ---

        return self._result(data, (self, other), "add", backward)

    def __mul__(self, other) -> "Tensor":
        other = self._operand(other, "mul")
        a, b = self.data, other.data
        # --- your code for task 1.3 ---
        raise NotImplementedError('stage 1, task 1.3 (Elementwise arithmetic and broadcasting): implement Tensor.__mul__. Hint: python grader.py hint 1.3')
        # --- end of task 1.3 ---

        def backward(grad):
            # --- your code for task 2.2 ---
            raise NotImplementedError('stage 2, task 2.2 (Backward of arithmetic): implement Tensor.__mul__.backward. Hint: python grader.py hint 2.2')
            # --- end of task 2.2 ---

        return self._result(data, (self, other), "mul", backward)

    def __truediv__(self, other) -> "Tensor":
        other = self._operand(other, "div")
        a, b = self.data, other.data
        # --- your code for task 1.3 ---
        raise NotImplementedError('stage 1, task 1.3 (Elementwise arithmetic and broadcasting): implement Tensor.__truediv__. Hint: python grader.py hint 1.3')
        # --- end of task 1.3 ---

        def backward(grad):
            # --- your code for task 2.2 ---
            raise NotImplementedError('stage 2, task 2.2 (Backward of arithmetic): implement Tensor.__truediv__.backward. Hint: python grader.py hint 2.2')
            # --- end of task 2.2 ---

        return self._result(data, (self, other), "div", backward)

    def __pow__(self, exponent) -> "Tensor":
        """``self ** exponent`` for a real number ``exponent`` (a Python or NumPy int or float).

        As in NumPy: a negative base to a fractional power is ``nan``, 0 to a
        negative power is ``inf``, and large results overflow to ``inf``.
        """
        if not isinstance(exponent, Real) or isinstance(exponent, (bool, np.bool_)):
            raise TypeError(f"pow: the exponent must be a real number (int or float), got {type(exponent).__name__}: {exponent!r}")
        a = self.data
        # --- your code for task 1.3 ---
        raise NotImplementedError('stage 1, task 1.3 (Elementwise arithmetic and broadcasting): implement Tensor.__pow__. Hint: python grader.py hint 1.3')
        # --- end of task 1.3 ---

        def backward(grad):
            # --- your code for task 2.2 ---
            raise NotImplementedError('stage 2, task 2.2 (Backward of arithmetic): implement Tensor.__pow__.backward. Hint: python grader.py hint 2.2')
            # --- end of task 2.2 ---

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
        # --- your code for task 1.4 ---
        raise NotImplementedError('stage 1, task 1.4 (Matrix multiplication): implement Tensor.__matmul__. Hint: python grader.py hint 1.4')
        # --- end of task 1.4 ---

        def backward(grad):
            # --- your code for task 2.3 ---
            raise NotImplementedError('stage 2, task 2.3 (Backward of matmul): implement Tensor.__matmul__.backward. Hint: python grader.py hint 2.3')
            # --- end of task 2.3 ---

        return self._result(data, (self, other), "matmul", backward)

    def __rmatmul__(self, other) -> "Tensor":
        return as_tensor(other) @ self

    # ------------------------------------------------------ unary functions
    def exp(self) -> "Tensor":
        """e ** x; overflows to ``inf`` for x > ~709.78 and underflows to 0 below ~-745 (as NumPy)."""
        # --- your code for task 1.5 ---
        raise NotImplementedError('stage 1, task 1.5 (Elementwise functions): implement Tensor.exp. Hint: python grader.py hint 1.5')
        # --- end of task 1.5 ---

        def backward(grad):
            # --- your code for task 2.4 ---
            raise NotImplementedError('stage 2, task 2.4 (Backward of elementwise functions): implement Tensor.exp.backward. Hint: python grader.py hint 2.4')
            # --- end of task 2.4 ---

        return self._result(data, (self,), "exp", backward)

    def log(self) -> "Tensor":
        """The natural logarithm; ``-inf`` at 0 and ``nan`` for negative entries (as NumPy)."""
        a = self.data
        # --- your code for task 1.5 ---
        raise NotImplementedError('stage 1, task 1.5 (Elementwise functions): implement Tensor.log. Hint: python grader.py hint 1.5')
        # --- end of task 1.5 ---

        def backward(grad):
            # --- your code for task 2.4 ---
            raise NotImplementedError('stage 2, task 2.4 (Backward of elementwise functions): implement Tensor.log.backward. Hint: python grader.py hint 2.4')
            # --- end of task 2.4 ---

        return self._result(data, (self,), "log", backward)

    def tanh(self) -> "Tensor":
        # --- your code for task 1.5 ---
        raise NotImplementedError('stage 1, task 1.5 (Elementwise functions): implement Tensor.tanh. Hint: python grader.py hint 1.5')
        # --- end of task 1.5 ---

        def backward(grad):
            # --- your code for task 2.4 ---
            raise NotImplementedError('stage 2, task 2.4 (Backward of elementwise functions): implement Tensor.tanh.backward. Hint: python grader.py hint 2.4')
            # --- end of task 2.4 ---

        return self._result(data, (self,), "tanh", backward)

    def sigmoid(self) -> "Tensor":
        """1 / (1 + exp(-x)), computed as exp(-|x|) based terms so nothing overflows."""
        a = self.data
        # --- your code for task 1.5 ---
        raise NotImplementedError('stage 1, task 1.5 (Elementwise functions): implement Tensor.sigmoid. Hint: python grader.py hint 1.5')
        # --- end of task 1.5 ---

        def backward(grad):
            # --- your code for task 2.4 ---
            raise NotImplementedError('stage 2, task 2.4 (Backward of elementwise functions): implement Tensor.sigmoid.backward. Hint: python grader.py hint 2.4')
            # --- end of task 2.4 ---

        return self._result(data, (self,), "sigmoid", backward)

    def relu(self) -> "Tensor":
        a = self.data
        # --- your code for task 1.5 ---
        raise NotImplementedError('stage 1, task 1.5 (Elementwise functions): implement Tensor.relu. Hint: python grader.py hint 1.5')
        # --- end of task 1.5 ---

        def backward(grad):
            # --- your code for task 2.4 ---
            raise NotImplementedError('stage 2, task 2.4 (Backward of elementwise functions): implement Tensor.relu.backward. Hint: python grader.py hint 2.4')
            # --- end of task 2.4 ---

        return self._result(data, (self,), "relu", backward)

    # ----------------------------------------------------------- reductions
    def sum(self, axis=None, keepdims: bool = False) -> "Tensor":
        """The sum along ``axis`` (every axis when None); ``keepdims`` keeps reduced axes as size 1."""
        axis = _reduction_axes(axis, self.shape, "sum")  # from here on: None, or a tuple of axes in [0, ndim)
        _check_flag("sum", "keepdims", keepdims)
        shape = self.shape
        # --- your code for task 1.6 ---
        raise NotImplementedError('stage 1, task 1.6 (Reductions): implement Tensor.sum. Hint: python grader.py hint 1.6')
        # --- end of task 1.6 ---

        def backward(grad):
            # --- your code for task 2.5 ---
            raise NotImplementedError('stage 2, task 2.5 (Backward of reductions): implement Tensor.sum.backward. Hint: python grader.py hint 2.5')
            # --- end of task 2.5 ---

        return self._result(data, (self,), "sum", backward)

    def mean(self, axis=None, keepdims: bool = False) -> "Tensor":
        """The mean along ``axis`` (as ``sum``); the mean of no entries is ``nan``, as in NumPy."""
        axis = _reduction_axes(axis, self.shape, "mean")  # from here on: None, or a tuple of axes in [0, ndim)
        _check_flag("mean", "keepdims", keepdims)
        shape = self.shape
        # --- your code for task 1.6 ---
        raise NotImplementedError('stage 1, task 1.6 (Reductions): implement Tensor.mean. Hint: python grader.py hint 1.6')
        # --- end of task 1.6 ---

        def backward(grad):
            # --- your code for task 2.5 ---
            raise NotImplementedError('stage 2, task 2.5 (Backward of reductions): implement Tensor.mean.backward. Hint: python grader.py hint 2.5')
            # --- end of task 2.5 ---

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
        # --- your code for task 1.6 ---
        raise NotImplementedError('stage 1, task 1.6 (Reductions): implement Tensor.max. Hint: python grader.py hint 1.6')
        # --- end of task 1.6 ---

        def backward(grad):
            # --- your code for task 2.5 ---
            raise NotImplementedError('stage 2, task 2.5 (Backward of reductions): implement Tensor.max.backward. Hint: python grader.py hint 2.5')
            # --- end of task 2.5 ---

        return self._result(data, (self,), "max", backward)

    # ------------------------------------------------------------ shape ops
    def reshape(self, *shape) -> "Tensor":
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        if not all(_is_integer(size) for size in shape):
            raise TypeError(f"reshape: the new shape must be ints (one of them may be -1), got {shape!r}")
        original = self.shape
        # --- your code for task 1.7 ---
        raise NotImplementedError('stage 1, task 1.7 (Shape ops and indexing): implement Tensor.reshape. Hint: python grader.py hint 1.7')
        # --- end of task 1.7 ---

        def backward(grad):
            # --- your code for task 2.6 ---
            raise NotImplementedError('stage 2, task 2.6 (Backward of shape ops): implement Tensor.reshape.backward. Hint: python grader.py hint 2.6')
            # --- end of task 2.6 ---

        return self._result(data, (self,), "reshape", backward)

    def transpose(self, *axes) -> "Tensor":
        """Permute the axes (reverse them when none are given), like ``np.transpose``.

        Output axis k is input axis ``axes[k]``; a negative axis counts from the end.
        """
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        _check_permutation(axes, self.shape)
        # --- your code for task 1.7 ---
        raise NotImplementedError('stage 1, task 1.7 (Shape ops and indexing): implement Tensor.transpose. Hint: python grader.py hint 1.7')
        # --- end of task 1.7 ---

        def backward(grad):
            # --- your code for task 2.6 ---
            raise NotImplementedError('stage 2, task 2.6 (Backward of shape ops): implement Tensor.transpose.backward. Hint: python grader.py hint 2.6')
            # --- end of task 2.6 ---

        return self._result(data, (self,), "transpose", backward)

    @property
    def T(self) -> "Tensor":
        return self.transpose()

    def __getitem__(self, index) -> "Tensor":
        """``self[index]`` with NumPy's rules: ints, slices (negative steps too), None, ``...``,
        int arrays (repeats allowed) and boolean masks.  A Tensor as an index: TypeError."""
        index = _index_argument(index)
        a_shape = self.shape
        # --- your code for task 1.7 ---
        raise NotImplementedError('stage 1, task 1.7 (Shape ops and indexing): implement Tensor.__getitem__. Hint: python grader.py hint 1.7')
        # --- end of task 1.7 ---

        def backward(grad):
            # --- your code for task 2.6 ---
            raise NotImplementedError('stage 2, task 2.6 (Backward of shape ops): implement Tensor.__getitem__.backward. Hint: python grader.py hint 2.6')
            # --- end of task 2.6 ---

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
