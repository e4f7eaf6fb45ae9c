"""Hypothesis strategies and checks shared by the generated tests (never imports learndyn).

Inputs are drawn where each op has derivatives of order 1 (away from kinks, poles
and ties, as ``oracle.op_table`` does by hand), so that central differences are a
trustworthy oracle; the long tail lives in the *shapes*, *axes* and *indices*,
which are drawn freely: 0-d tensors, size-1 and empty axes, broadcasting, negative
and NumPy-integer axes, negative steps, repeated fancy indices, boolean masks,
None and Ellipsis.
"""
from __future__ import annotations

import math
import os

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from oracle import assert_close, central_difference

def budget(examples: int) -> settings:
    """Run a property on ``examples`` examples (ten times as many under the ``thorough`` profile).

    Each test's count is sized to its cost, so that the whole folder runs in well under a minute on
    two shared cores with the ``ci`` profile.
    """
    scale = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 1
    return settings(max_examples=examples * scale)


MAX_SIDE = 4  # at most 4**3 = 64 entries: central differences stay fast (two forward passes per entry)


def shapes(min_dims: int = 0, max_dims: int = 3, min_side: int = 0) -> st.SearchStrategy:
    """Array shapes with 0 to 3 axes of length ``min_side`` to 4 (0-d and empty arrays included)."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=MAX_SIDE)


def arrays(shape, low: float = -3.0, high: float = 3.0) -> st.SearchStrategy:
    """float64 arrays of ``shape`` with entries in [low, high]."""
    return hnp.arrays(np.float64, shape, elements=st.floats(low, high, allow_nan=False, allow_infinity=False))


def away_from_zero(shape, low: float = 0.5, high: float = 3.0) -> st.SearchStrategy:
    """Entries with low <= |x| <= high, either sign: denominators, relu away from its kink."""
    magnitude = st.floats(low, high)
    return hnp.arrays(np.float64, shape, elements=magnitude | magnitude.map(lambda x: -x))


@st.composite
def distinct(draw, shape, gap: float = 0.05) -> np.ndarray:
    """Entries at least ``gap`` apart in a random order: no ties, so max has a derivative."""
    size = math.prod(shape)
    order = draw(st.permutations(range(size)))
    offset = draw(st.floats(-2.0, 2.0))
    return (np.array(order, dtype=np.float64) * (2 * gap) + offset).reshape(shape)


def integer(value: int, kind: str) -> int | np.integer:
    """``value`` as the integer type a learner may hold: a Python int or a NumPy integer."""
    return {"int": int, "int64": np.int64, "int32": np.int32, "intp": np.intp}[kind](value)


INTEGER_KINDS = st.sampled_from(["int", "int64", "int32", "intp"])


@st.composite
def axis_argument(draw, ndim: int):
    """An ``axis`` for a reduction over ``ndim`` axes: None, one axis or a tuple of distinct axes, each
    written as a non-negative or a negative integer, as a Python int or a NumPy integer."""
    if draw(st.booleans()) and draw(st.booleans()):
        return None
    chosen = draw(st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim)) if ndim else []
    written = tuple(integer(a - ndim if draw(st.booleans()) else a, draw(INTEGER_KINDS)) for a in chosen)
    if len(written) == 1 and draw(st.booleans()):
        return written[0]
    return written


@st.composite
def permutation_argument(draw, ndim: int) -> tuple:
    """Transpose axes: () (reverse all) or a permutation, each axis maybe negative, maybe a NumPy integer."""
    if draw(st.integers(0, 4)) == 0:
        return ()
    order = draw(st.permutations(range(ndim)))
    return tuple(integer(a - ndim if draw(st.booleans()) else a, draw(INTEGER_KINDS)) for a in order)


@st.composite
def reshape_target(draw, shape: tuple) -> tuple:
    """A new shape of the same size: its prime factors dealt among 0 to 4 axes (plus size-1 axes),
    with one size maybe written as -1."""
    size = math.prod(shape)
    if size == 0:
        sides = [0] + draw(st.lists(st.integers(0, MAX_SIDE), max_size=2))
        target = draw(st.permutations(sides))
        return tuple(target)
    factors, n, p = [], size, 2
    while n > 1:
        while n % p == 0:
            factors.append(p)
            n //= p
        p += 1
    slots = draw(st.integers(0 if size == 1 else 1, 4))
    sides = [1] * slots
    for factor in factors:
        sides[draw(st.integers(0, slots - 1))] *= factor
    if sides and draw(st.booleans()):
        sides[draw(st.integers(0, len(sides) - 1))] = -1
    return tuple(sides)


@st.composite
def index_argument(draw, shape: tuple):
    """An index into an array of ``shape``: basic (ints, slices with negative steps, None, ...),
    integer arrays (negative and repeated entries), a boolean mask over the leading axes, or a mix."""
    kind = draw(st.sampled_from(["basic", "integer-arrays", "mask", "slice-then-array"]))
    if kind == "basic" or not shape or 0 in shape and kind != "mask":
        return draw(hnp.basic_indices(shape, allow_newaxis=True, allow_ellipsis=True))
    if kind == "integer-arrays":
        arrays_ = draw(hnp.integer_array_indices(shape, result_shape=hnp.array_shapes(min_dims=1, max_dims=2, max_side=5)))
        return arrays_ if len(arrays_) > 1 or draw(st.booleans()) else arrays_[0]
    if kind == "mask":
        leading = draw(st.integers(1, len(shape)))
        mask = draw(hnp.arrays(np.bool_, shape[:leading]))
        return mask if draw(st.booleans()) else (mask, Ellipsis)
    # a slice on the first axis, then repeated integers (negative too) on the second
    if len(shape) < 2 or shape[1] == 0:
        return draw(hnp.basic_indices(shape, allow_newaxis=True))
    picks = draw(st.lists(st.integers(-shape[1], shape[1] - 1), min_size=1, max_size=5))
    return (slice(None, None, draw(st.sampled_from([1, -1, 2, -2]))), np.array(picks))


def check_gradients(tensor_fn, numpy_fn, inputs: list, Tensor, upstream_seed: int, what: str) -> None:
    """Forward equals NumPy; every input's gradient (through ``Tensor.backward`` with a random upstream
    gradient) equals float64 central differences of ``sum(upstream * numpy_fn(*inputs))``.

    Tolerances: see ``oracle.central_difference``: its error is ~1e-9 for the order-1 functions drawn
    here (entries within [-3, 3], or at least 0.5 from a pole), so 1e-6 relative to the gradient's
    scale is far above it while any real mistake (a missing term, a wrong axis) is O(1).
    """
    expected = np.asarray(numpy_fn(*inputs), dtype=np.float64)
    tensors = [Tensor(x, requires_grad=True) for x in inputs]
    out = tensor_fn(*tensors)
    assert isinstance(out, Tensor), f"{what}: returned {type(out).__name__}, not a Tensor"
    assert out.shape == expected.shape, f"{what}: forward has shape {out.shape}, NumPy's has {expected.shape}"
    assert_close(out.data, expected, rtol=1e-12, atol=1e-300, what=f"{what}: forward vs NumPy")
    upstream = np.random.default_rng(upstream_seed).normal(size=out.shape)
    out.backward(upstream)
    for k, (tensor, x) in enumerate(zip(tensors, inputs)):
        grad = tensor.grad if tensor.grad is not None else np.zeros(x.shape)
        assert np.shape(grad) == x.shape, f"{what}: d loss / d input {k} has shape {np.shape(grad)}, input {x.shape}"
        numeric = central_difference(lambda *arrays: np.sum(numpy_fn(*arrays) * upstream), inputs, k)
        scale = max(1.0, float(np.max(np.abs(numeric), initial=0.0)))
        assert_close(grad, numeric, rtol=1e-6, atol=1e-6 * scale, what=f"{what}: d loss / d input {k} vs central differences")
