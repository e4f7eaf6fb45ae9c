"""Every Tensor op with an independent NumPy forward and vector-Jacobian product.

Each ``OpCase`` knows how to call the op on learndyn Tensors (``apply``), how
to compute the same value with NumPy (``numpy``) and, for an upstream gradient
``g`` of the output, the gradient of ``sum(g * out)`` with respect to each
input *before* broadcasting is undone (``vjp``); ``reduce_to_shape`` then
sums it to the input's shape.  Inputs are sampled away from kinks and poles
by construction (``|x| >= 0.1`` for relu, denominators ``|b| >= 0.5``,
distinct entries at least 0.05 apart for max), and every op has derivatives
of order 1 on its test domain, so a backward that returns zeros fails.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import zlib

import numpy as np


def _rng(*key) -> np.random.Generator:
    """A generator seeded by the case's name: the same inputs on every run and machine."""
    return np.random.default_rng(zlib.crc32(repr(key).encode()))


def normal(shape, key):
    return _rng("normal", shape, key).normal(size=shape)


def away_from_zero(shape, key, low=0.5, high=2.0):
    rng = _rng("away", shape, key, low)
    return rng.uniform(low, high, size=shape) * rng.choice([-1.0, 1.0], size=shape)


def positive(shape, key, low=0.5, high=2.5):
    return _rng("positive", shape, key).uniform(low, high, size=shape)


def distinct(shape, key):
    """Entries at least 0.05 apart, in random order: no ties for max."""
    rng = _rng("distinct", shape, key)
    n = int(np.prod(shape))
    values = np.arange(n) * 0.15 + rng.uniform(0.0, 0.1, size=n) - 0.075 * n
    return rng.permutation(values).reshape(shape)


@dataclass
class OpCase:
    op: str
    case: str
    forward_task: str
    backward_task: str
    inputs: list
    apply: Callable  # (*Tensors) -> Tensor
    numpy: Callable  # (*arrays) -> array
    vjp: Callable  # (g, *arrays) -> list of arrays (broadcast shape)

    @property
    def id(self) -> str:
        return f"{self.op}-{self.case}"


BROADCAST_PAIRS = [
    ((), ()),
    ((3, 4), (3, 4)),
    ((3, 4), (4,)),
    ((4,), (3, 4)),
    ((2, 3, 4), (3, 1)),
    ((4, 1), (1, 5)),
    ((), (2, 3)),
    ((2, 1, 3), (4, 1)),
]


def _shape_name(*shapes) -> str:
    return "_".join("x".join(map(str, s)) or "scalar" for s in shapes)


def _binary(op, fwd, vjp, sample_b=normal):
    cases = []
    for sa, sb in BROADCAST_PAIRS:
        a, b = normal(sa, op), sample_b(sb, op)
        cases.append(
            OpCase(op, _shape_name(sa, sb), "1.3", "2.2", [a, b], {"add": lambda x, y: x + y, "sub": lambda x, y: x - y,
                   "mul": lambda x, y: x * y, "div": lambda x, y: x / y}[op], fwd, vjp)
        )
    return cases


def _full(g, x):
    return np.broadcast_to(g, np.broadcast_shapes(g.shape, np.shape(x)))


ARITHMETIC = (
    _binary("add", np.add, lambda g, a, b: [_full(g, a), _full(g, b)])
    + _binary("sub", np.subtract, lambda g, a, b: [_full(g, a), -_full(g, b)])
    + _binary("mul", np.multiply, lambda g, a, b: [g * b, g * a])
    + _binary("div", np.divide, lambda g, a, b: [g / b, -g * a / b**2], sample_b=away_from_zero)
)

REFLECTED = [
    OpCase("rsub-number", "3x4", "1.3", "2.2", [normal((3, 4), "rsub")], lambda x: 2.5 - x, lambda a: 2.5 - a, lambda g, a: [-g]),
    OpCase("rmul-array", "2x3", "1.3", "2.2", [normal((2, 3), "rmul")], lambda x: np.arange(3.0) * x, lambda a: np.arange(3.0) * a, lambda g, a: [g * np.arange(3.0)]),
    OpCase("rdiv-number", "3x4", "1.3", "2.2", [away_from_zero((3, 4), "rdiv")], lambda x: 3.0 / x, lambda a: 3.0 / a, lambda g, a: [-3.0 * g / a**2]),
    OpCase("radd-array", "3x4", "1.3", "2.2", [normal((3, 4), "radd")], lambda x: np.ones(4) + x, lambda a: np.ones(4) + a, lambda g, a: [g]),
    OpCase("neg", "2x3x2", "1.3", "2.2", [normal((2, 3, 2), "neg")], lambda x: -x, np.negative, lambda g, a: [-g]),
]

POWERS = [
    OpCase("pow", f"exponent{p}", "1.3", "2.2", [positive((3, 4), f"pow{p}")], (lambda p: lambda x: x**p)(p),
           (lambda p: lambda a: a**p)(p), (lambda p: lambda g, a: [g * p * a ** (p - 1)])(p))
    for p in (2, 3, 0.5, -1.5, 1, -1)  # +-1 too: a special case for exponent 0 must not catch its neighbours
]

MATMUL = [
    OpCase("matmul", _shape_name(sa, sb), "1.4", "2.3", [normal(sa, "mm-a"), normal(sb, "mm-b")], lambda x, y: x @ y, np.matmul, vjp)
    for sa, sb, vjp in [
        ((3, 4), (4, 5), lambda g, a, b: [g @ b.T, a.T @ g]),
        ((4, 4), (4, 4), lambda g, a, b: [g @ b.T, a.T @ g]),
        ((4,), (4, 5), lambda g, a, b: [b @ g, np.outer(a, g)]),
        ((3, 4), (4,), lambda g, a, b: [np.outer(g, b), a.T @ g]),
        ((4,), (4,), lambda g, a, b: [g * b, g * a]),
        ((2, 3, 4), (4, 5), lambda g, a, b: [g @ b.T, np.einsum("nij,nik->njk", a, g)]),
        ((2, 3, 4), (2, 4, 2), lambda g, a, b: [g @ np.swapaxes(b, 1, 2), np.swapaxes(a, 1, 2) @ g]),
    ]
]


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


FUNCTIONS = [
    OpCase("exp", "3x4", "1.5", "2.4", [normal((3, 4), "exp")], lambda x: x.exp(), np.exp, lambda g, a: [g * np.exp(a)]),
    OpCase("log", "3x4", "1.5", "2.4", [positive((3, 4), "log")], lambda x: x.log(), np.log, lambda g, a: [g / a]),
    OpCase("tanh", "3x4", "1.5", "2.4", [normal((3, 4), "tanh")], lambda x: x.tanh(), np.tanh, lambda g, a: [g / np.cosh(a) ** 2]),
    OpCase("sigmoid", "3x4", "1.5", "2.4", [2 * normal((3, 4), "sigmoid")], lambda x: x.sigmoid(), _sigmoid,
           lambda g, a: [g * np.exp(-a) / (1 + np.exp(-a)) ** 2]),
    OpCase("relu", "3x4", "1.5", "2.4", [away_from_zero((3, 4), "relu", low=0.1)], lambda x: x.relu(),
           lambda a: np.where(a > 0, a, 0.0), lambda g, a: [np.where(a > 0, g, 0.0)]),
    OpCase("relu", "2x3x2", "1.5", "2.4", [away_from_zero((2, 3, 2), "relu3", low=0.1)], lambda x: x.relu(),
           lambda a: np.where(a > 0, a, 0.0), lambda g, a: [np.where(a > 0, g, 0.0)]),
]


def _axes(axis) -> tuple:
    """``axis`` (an int, a NumPy integer or a tuple of them) as a tuple."""
    return (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)


def _expand(g, shape, axis, keepdims):
    """Broadcast a reduction's upstream gradient back over the reduced axes (test's own version)."""
    if axis is None:
        return np.broadcast_to(np.reshape(g, (1,) * len(shape)), shape)
    axes = _axes(axis)
    if not keepdims:
        for ax in sorted(a % len(shape) for a in axes):
            g = np.expand_dims(g, ax)
    return np.broadcast_to(g, shape)


# The axes a learner meets besides the plain ones: NumPy integers (from np.argmax, a shape, a loop over
# np.arange), negative axes in a tuple, a size-1 axis, and a 0-d tensor (a loss), which has no axes.
LONG_TAIL_AXES = [
    ((3, 4, 5), np.int64(-1), False, "axis-np.int64(-1)"),
    ((3, 4, 5), np.int64(1), True, "axis-np.int64(1)-keepdims"),
    ((3, 4, 5), (np.int64(0), -1), False, "axis-(np.int64(0),-1)"),
    ((3, 4, 5), (-1, -3), True, "axis(-1,-3)-keepdims"),
    ((4, 1, 3), 1, False, "size-1-axis"),
    ((), None, False, "0-d"),
    ((), (), True, "0-d-axis()-keepdims"),
]


def _reduction_cases():
    cases = []
    settings = [((3, 4, 5), axis, keepdims, f"axis{axis}-keepdims{keepdims}".replace(" ", ""))
                for axis in (None, 0, -1, (0, 2)) for keepdims in (False, True)] + LONG_TAIL_AXES
    for shape, axis, keepdims, name in settings:
        count = int(np.prod(shape)) if axis is None else int(np.prod([shape[a] for a in _axes(axis)]))
        x = distinct(shape, name)
        cases.append(OpCase("sum", name, "1.6", "2.5", [x], (lambda ax, kd: lambda t: t.sum(axis=ax, keepdims=kd))(axis, keepdims),
                            (lambda ax, kd: lambda a: a.sum(axis=ax, keepdims=kd))(axis, keepdims),
                            (lambda ax, kd: lambda g, a: [_expand(g, a.shape, ax, kd)])(axis, keepdims)))
        cases.append(OpCase("mean", name, "1.6", "2.5", [x], (lambda ax, kd: lambda t: t.mean(axis=ax, keepdims=kd))(axis, keepdims),
                            (lambda ax, kd: lambda a: a.mean(axis=ax, keepdims=kd))(axis, keepdims),
                            (lambda ax, kd, n: lambda g, a: [_expand(g, a.shape, ax, kd) / n])(axis, keepdims, count)))
        def max_vjp(g, a, ax=axis, kd=keepdims):
            winner = a == a.max(axis=ax, keepdims=True)
            return [np.where(winner, _expand(g, a.shape, ax, kd), 0.0)]
        cases.append(OpCase("max", name, "1.6", "2.5", [x], (lambda ax, kd: lambda t: t.max(axis=ax, keepdims=kd))(axis, keepdims),
                            (lambda ax, kd: lambda a: a.max(axis=ax, keepdims=kd))(axis, keepdims), max_vjp))
    return cases


REDUCTIONS = _reduction_cases()


def _getitem_vjp(index):
    def vjp(g, a):
        full = np.zeros_like(a)
        for out_index in np.ndindex(g.shape):  # scatter entry by entry: repeated indices add up
            source = np.arange(a.size).reshape(a.shape)[index][out_index]
            full.flat[source] += g[out_index]
        return [full]

    return vjp


SHAPE_OPS = [
    OpCase("reshape", "3x4-to-2x6", "1.7", "2.6", [normal((3, 4), "r1")], lambda x: x.reshape(2, 6), lambda a: a.reshape(2, 6), lambda g, a: [g.reshape(a.shape)]),
    OpCase("reshape", "3x4-to-tuple-minus1", "1.7", "2.6", [normal((3, 4), "r2")], lambda x: x.reshape((-1,)), lambda a: a.reshape(-1), lambda g, a: [g.reshape(a.shape)]),
    OpCase("reshape", "2x6-to-2x2x3", "1.7", "2.6", [normal((2, 6), "r3")], lambda x: x.reshape(2, 2, 3), lambda a: a.reshape(2, 2, 3), lambda g, a: [g.reshape(a.shape)]),
    OpCase("transpose", "default", "1.7", "2.6", [normal((2, 3, 4), "t1")], lambda x: x.transpose(), np.transpose, lambda g, a: [np.transpose(g)]),
    OpCase("transpose", "102", "1.7", "2.6", [normal((2, 3, 4), "t2")], lambda x: x.transpose(1, 0, 2), lambda a: a.transpose(1, 0, 2), lambda g, a: [g.transpose(1, 0, 2)]),
    OpCase("transpose", "201", "1.7", "2.6", [normal((2, 3, 4), "t3")], lambda x: x.transpose((2, 0, 1)), lambda a: a.transpose(2, 0, 1), lambda g, a: [g.transpose(1, 2, 0)]),
    OpCase("T", "3x5", "1.7", "2.6", [normal((3, 5), "t4")], lambda x: x.T, lambda a: a.T, lambda g, a: [g.T]),
    # Negative axes count from the end: (-1, 0, -2) is the permutation (2, 0, 1), whose inverse is (1, 2, 0).
    OpCase("transpose", "negative-axes", "1.7", "2.6", [normal((2, 3, 4), "t5")], lambda x: x.transpose(-1, 0, -2),
           lambda a: a.transpose(-1, 0, -2), lambda g, a: [g.transpose(1, 2, 0)]),
    OpCase("transpose", "numpy-int-axes", "1.7", "2.6", [normal((2, 3, 4), "t6")], lambda x: x.transpose(*np.array([1, 2, 0])),
           lambda a: a.transpose(1, 2, 0), lambda g, a: [g.transpose(2, 0, 1)]),
    OpCase("T", "0-d", "1.7", "2.6", [normal((), "t7")], lambda x: x.T, lambda a: a.T, lambda g, a: [g]),
    OpCase("reshape", "0-d-to-1x1", "1.7", "2.6", [normal((), "r4")], lambda x: x.reshape(1, 1), lambda a: a.reshape(1, 1),
           lambda g, a: [g.reshape(())]),
    OpCase("reshape", "1-to-0-d", "1.7", "2.6", [normal((1,), "r5")], lambda x: x.reshape(()), lambda a: a.reshape(()),
           lambda g, a: [g.reshape(1)]),
]
for name, index in [("slices", np.s_[1:, ::2]), ("row", np.s_[2]), ("column", np.s_[:, 1]),
                    ("repeated-rows", np.s_[[0, 2, 2, 3]]), ("negative", np.s_[-1, 1:4]),
                    ("negative-steps", np.s_[::-2, 3:0:-1]), ("boolean-mask", np.s_[np.array([True, False, True, True])]),
                    ("repeated-pairs", np.s_[[1, -1, 1], [0, 4, 0]]), ("none-and-ellipsis", np.s_[None, ..., -2]),
                    ("numpy-int", np.s_[np.int64(-2)])]:
    SHAPE_OPS.append(OpCase("getitem", name, "1.7", "2.6", [normal((4, 5), "gi" + name)], (lambda i: lambda x: x[i])(index),
                            (lambda i: lambda a: a[i])(index), _getitem_vjp(index)))

ALL = ARITHMETIC + REFLECTED + POWERS + MATMUL + FUNCTIONS + REDUCTIONS + SHAPE_OPS


def cases_for(task: str, kind: str) -> list[OpCase]:
    """The cases whose ``forward`` or ``backward`` belongs to ``task``."""
    return [c for c in ALL if getattr(c, f"{kind}_task") == task]
