"""Every Tensor op over generated shapes, axes and indices.

Forward: against NumPy's own operation on the same arrays.  Gradients: through
``Tensor.backward`` with a random upstream gradient, against float64 central
differences of the NumPy twin (``property_strategies.check_gradients``), on single
ops and on random little programs in which tensors are reused and reduced, so that
entries interact (a node's gradient is the sum over all the paths through it).
"""
from __future__ import annotations

import operator
import warnings

import numpy as np
import pytest

pytest.importorskip("hypothesis", reason="the generated tests need Hypothesis: pip install -e '.[dev]'")
# Hypothesis would catch a timeout's exception and retry the slow example: stop the whole run instead.
pytestmark = pytest.mark.timeout(60, method="thread")

from hypothesis import given, strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

from learndyn import Tensor  # noqa: E402
from property_strategies import (  # noqa: E402
    MAX_SIDE, arrays, away_from_zero, axis_argument, budget, check_gradients, distinct, index_argument,
    permutation_argument, reshape_target, shapes,
)

SEEDS = st.integers(0, 2**32 - 1)  # the upstream gradient's generator

UNARY = {
    "exp": (lambda t: t.exp(), np.exp, arrays),
    "log": (lambda t: t.log(), np.log, lambda shape: arrays(shape, 0.5, 3.0)),
    "tanh": (lambda t: t.tanh(), np.tanh, arrays),
    "sigmoid": (lambda t: t.sigmoid(), lambda a: 1.0 / (1.0 + np.exp(-a)), lambda shape: arrays(shape, -6.0, 6.0)),
    "relu": (lambda t: t.relu(), lambda a: np.maximum(a, 0.0), lambda shape: away_from_zero(shape, 0.1, 3.0)),
    "neg": (lambda t: -t, np.negative, arrays),
}


@budget(60)
@given(name=st.sampled_from(sorted(UNARY)), shape=shapes(), seed=SEEDS, data=st.data())
def test_unary_functions(name, shape, seed, data):
    tensor_fn, numpy_fn, values = UNARY[name]
    check_gradients(tensor_fn, numpy_fn, [data.draw(values(shape), "x")], Tensor, seed, f"{name} on shape {shape}")


EXPONENTS = (st.sampled_from([0, 1, 2, 3, -1, -2, 0.5, -0.5, 1.5]) | st.integers(-3, 4).map(np.int64)
             | st.floats(-2.5, 3.5) | st.floats(-2.5, 3.5).map(np.float64))


@budget(40)
@given(exponent=EXPONENTS, shape=shapes(), seed=SEEDS, data=st.data())
def test_pow_with_every_kind_of_real_exponent(exponent, shape, seed, data):
    # A negative base only for integer exponents (else NaN, as in NumPy: tested in test_prop_tensor_contract).
    integral = float(exponent).is_integer()
    x = data.draw(away_from_zero(shape, 0.5, 2.0) if integral else arrays(shape, 0.5, 2.5), "x")
    check_gradients(lambda t: t**exponent, lambda a: a**exponent, [x], Tensor, seed,
                    f"x ** {exponent!r} on shape {shape}")


BINARY = {"add": operator.add, "sub": operator.sub, "mul": operator.mul, "div": operator.truediv}
BROADCASTING = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, min_side=0, max_side=MAX_SIDE)


@budget(60)
@given(name=st.sampled_from(sorted(BINARY)), shapes_=BROADCASTING, seed=SEEDS, data=st.data())
def test_arithmetic_broadcasts_like_numpy(name, shapes_, seed, data):
    shape_a, shape_b = shapes_.input_shapes
    a = data.draw(arrays(shape_a), "a")
    b = data.draw(away_from_zero(shape_b) if name == "div" else arrays(shape_b), "b")
    op = BINARY[name]
    check_gradients(op, op, [a, b], Tensor, seed, f"{name} of shapes {shape_a} and {shape_b}")


@budget(40)
@given(name=st.sampled_from(sorted(BINARY)), shapes_=BROADCASTING, kind=st.sampled_from(["array", "number", "list"]),
       tensor_on_left=st.booleans(), seed=SEEDS, data=st.data())
def test_arithmetic_with_a_constant_on_either_side(name, shapes_, kind, tensor_on_left, seed, data):
    # ndarray + Tensor reaches Tensor.__radd__ (Tensor.__array_ufunc__ = None), a number or a list too.
    shape_x, shape_c = shapes_.input_shapes
    if kind == "number":
        shape_c = ()
    x = data.draw(away_from_zero(shape_x) if name == "div" and not tensor_on_left else arrays(shape_x), "x")
    c = data.draw(away_from_zero(shape_c) if name == "div" and tensor_on_left else arrays(shape_c), "constant")
    if kind == "list" and 0 in c.shape:  # [] cannot say (0, 3) from (0,): a list holds no empty shapes
        kind = "array"
    constant = float(c) if kind == "number" else c.tolist() if kind == "list" else c
    op = BINARY[name]
    if tensor_on_left:
        check_gradients(lambda t: op(t, constant), lambda a: op(a, c), [x], Tensor, seed, f"Tensor {name} {kind}")
    else:
        check_gradients(lambda t: op(constant, t), lambda a: op(c, a), [x], Tensor, seed, f"{kind} {name} Tensor")


@st.composite
def matmul_operands(draw):
    """Shapes for a @ b: vectors, matrices and broadcast batches of them, with empty sides too."""
    n, k, m = (draw(st.integers(0, 3)) for _ in range(3))
    batch = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2, min_side=1, max_side=3))
    a_shape = (k,) if draw(st.booleans()) and draw(st.booleans()) else batch.input_shapes[0] + (n, k)
    b_shape = (k,) if draw(st.booleans()) and draw(st.booleans()) else batch.input_shapes[1] + (k, m)
    return a_shape, b_shape


@budget(50)
@given(operand_shapes=matmul_operands(), transposed_view=st.booleans(), constant=st.sampled_from([None, "left", "right"]),
       seed=SEEDS, data=st.data())
def test_matmul_of_vectors_matrices_and_batches(operand_shapes, transposed_view, constant, seed, data):
    a_shape, b_shape = operand_shapes
    a, b = data.draw(arrays(a_shape), "a"), data.draw(arrays(b_shape), "b")
    if constant == "left":  # ndarray @ Tensor reaches Tensor.__rmatmul__
        check_gradients(lambda y: a @ y, lambda y: a @ y, [b], Tensor, seed, f"array {a_shape} @ Tensor {b_shape}")
    elif constant == "right":
        check_gradients(lambda x: x @ b, lambda x: x @ b, [a], Tensor, seed, f"Tensor {a_shape} @ array {b_shape}")
    elif transposed_view and a.ndim == 2 and b.ndim == 2:
        # b arrives as a transposed (non-contiguous) view, as Linear's weight.T does: another code path.
        w = np.ascontiguousarray(b.T)
        check_gradients(lambda x, y: x @ y.T, lambda x, y: x @ y.T, [a, w], Tensor, seed, f"a {a_shape} @ w.T, w {w.shape}")
    else:
        check_gradients(operator.matmul, operator.matmul, [a, b], Tensor, seed, f"matmul of shapes {a_shape} and {b_shape}")


@budget(100)
@given(op=st.sampled_from(["sum", "mean", "max"]), shape=shapes(), keepdims=st.booleans(), seed=SEEDS, data=st.data())
def test_reductions_over_every_kind_of_axis(op, shape, keepdims, seed, data):
    axis = data.draw(axis_argument(len(shape)), "axis")
    reduced = range(len(shape)) if axis is None else [int(a) % len(shape) for a in np.atleast_1d(axis)]
    empty_reduction = any(shape[a] == 0 for a in reduced) or (axis is None and 0 in shape)
    x = data.draw(distinct(shape) if op == "max" else arrays(shape), "x")
    what = f"{op}(axis={axis!r}, keepdims={keepdims}) on shape {shape}"
    if op == "max" and empty_reduction:
        with pytest.raises(ValueError, match="length 0"):
            Tensor(x).max(axis=axis, keepdims=keepdims)
        return
    if op == "mean" and empty_reduction:  # the mean of no entries: NaN, as NumPy says (with a warning)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            expected = x.mean(axis=axis, keepdims=keepdims)
            out = Tensor(x).mean(axis=axis, keepdims=keepdims)
        np.testing.assert_array_equal(out.data, expected, err_msg=what)
        return
    check_gradients(lambda t: getattr(t, op)(axis=axis, keepdims=keepdims),
                    lambda a: getattr(a, op)(axis=axis, keepdims=keepdims), [x], Tensor, seed, what)


@budget(40)
@given(shape=shapes(min_dims=1, min_side=1), data=st.data())
def test_max_shares_the_gradient_equally_among_ties(shape, data):
    axis = data.draw(axis_argument(len(shape)), "axis")
    x = data.draw(hnp.arrays(np.float64, shape, elements=st.sampled_from([-1.0, 0.0, 2.0])), "x")  # ties are likely
    t = Tensor(x, requires_grad=True)
    out = t.max(axis=axis, keepdims=True)
    upstream = np.arange(1.0, out.size + 1).reshape(out.shape)
    out.backward(upstream)
    winners = x == x.max(axis=axis, keepdims=True)
    expected = np.where(winners, upstream / winners.sum(axis=axis, keepdims=True), 0.0)
    np.testing.assert_allclose(t.grad, expected, rtol=1e-15, atol=0,
                               err_msg=f"max(axis={axis!r}) with ties: each maximum gets upstream / (number of ties)")


@budget(60)
@given(shape=shapes(), style=st.sampled_from(["args", "tuple", "list", "numpy-ints"]), seed=SEEDS, data=st.data())
def test_reshape_to_every_factorisation(shape, style, seed, data):
    target = data.draw(reshape_target(shape), "target")
    x = data.draw(arrays(shape), "x")
    call = {"args": lambda t: t.reshape(*target), "tuple": lambda t: t.reshape(target),
            "list": lambda t: t.reshape(list(target)), "numpy-ints": lambda t: t.reshape(*map(np.int64, target))}[style]
    try:
        x.reshape(target)
    except ValueError:  # NumPy refuses (-1 with a size-0 array that leaves the size ambiguous): so must we
        with pytest.raises(ValueError):
            call(Tensor(x))
        return
    check_gradients(call, lambda a: a.reshape(target), [x], Tensor, seed, f"reshape {shape} -> {target} ({style})")


@budget(60)
@given(shape=shapes(max_dims=4), style=st.sampled_from(["args", "tuple", "list"]), seed=SEEDS, data=st.data())
def test_transpose_by_every_permutation(shape, style, seed, data):
    axes = data.draw(permutation_argument(len(shape)), "axes")
    x = data.draw(arrays(shape), "x")
    call = {"args": lambda t: t.transpose(*axes), "tuple": lambda t: t.transpose(tuple(axes)),
            "list": lambda t: t.transpose(list(axes))}[style]
    check_gradients(call, lambda a: np.transpose(a, axes or None), [x], Tensor, seed,
                    f"transpose{tuple(axes)!r} of shape {shape} ({style})")


@budget(20)
@given(shape=shapes(), seed=SEEDS, data=st.data())
def test_T_reverses_the_axes(shape, seed, data):
    check_gradients(lambda t: t.T, lambda a: a.T, [data.draw(arrays(shape), "x")], Tensor, seed, f".T of shape {shape}")


@budget(100)
@given(shape=shapes(min_dims=0), seed=SEEDS, data=st.data())
def test_indexing_with_every_kind_of_index(shape, seed, data):
    index = data.draw(index_argument(shape), "index")
    x = data.draw(arrays(shape), "x")
    check_gradients(lambda t: t[index], lambda a: a[index], [x], Tensor, seed, f"x[{index!r}] with x of shape {shape}")


@budget(30)
@given(shape=shapes(min_dims=1, min_side=1), data=st.data())
def test_index_arrays_changed_after_the_forward_do_not_change_the_gradient(shape, data):
    picks = data.draw(st.lists(st.integers(-shape[0], shape[0] - 1), min_size=1, max_size=5), "picks")
    index = np.array(picks)
    t = Tensor(np.zeros(shape), requires_grad=True)
    out = t[index]
    index[:] = 0  # the caller reuses its index array (say, the next batch) before calling backward
    out.backward(np.ones(out.shape))
    expected = np.zeros(shape)
    np.add.at(expected, np.array(picks), 1.0)
    np.testing.assert_array_equal(t.grad, expected, err_msg="the gradient must scatter to the rows read in the forward")


# Shape-preserving blocks for the random programs: (name, Tensor version, NumPy version); each takes the
# node's ndim and a draw function (for an axis), and keeps every value bounded (tanh, sigmoid, means).
def _unary_blocks(ndim: int, draw):
    axis = draw(st.integers(-ndim, ndim - 1)) if ndim else None
    blocks = [
        ("tanh", lambda t: t.tanh(), np.tanh),
        ("sigmoid", lambda t: t.sigmoid(), lambda a: 1.0 / (1.0 + np.exp(-a))),
        ("exp(x / 4)", lambda t: (t * 0.25).exp(), lambda a: np.exp(a * 0.25)),
        (f"mean(axis={axis}, keepdims)", lambda t: t.mean(axis=axis, keepdims=True), lambda a: a.mean(axis=axis, keepdims=True)),
        (f"sum(axis={axis}, keepdims) / 4", lambda t: t.sum(axis=axis, keepdims=True) / 4, lambda a: a.sum(axis=axis, keepdims=True) / 4),
    ]
    if ndim:
        blocks.append(("x[::-1]", lambda t: t[::-1], lambda a: a[::-1]))
        blocks.append(("reshape(-1).reshape(back)", lambda t: t.reshape(-1).reshape(t.shape), lambda a: a.reshape(-1).reshape(a.shape)))
    return blocks


PROGRAM_BINARY = [
    ("+", operator.add, operator.add),
    ("*", operator.mul, operator.mul),
    ("/ (1 + y*y)", lambda x, y: x / (y * y + 1.0), lambda x, y: x / (y * y + 1.0)),
]


@st.composite
def programs(draw):
    """Two inputs of broadcastable shapes and 2-5 steps, each a block on an earlier node or a binary op on
    two earlier nodes (maybe the same one twice): reuse, fan-out and broadcasting in one graph."""
    shapes_ = draw(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, min_side=1, max_side=3))
    ndims = list(map(len, shapes_.input_shapes))
    steps = []
    for _ in range(draw(st.integers(2, 5))):
        if draw(st.booleans()):
            source = draw(st.integers(0, len(ndims) - 1))
            name, tensor_fn, numpy_fn = draw(st.sampled_from(_unary_blocks(ndims[source], draw)))
            steps.append((f"{name} of node {source}", (source,), tensor_fn, numpy_fn))
            ndims.append(ndims[source])
        else:
            left, right = (draw(st.integers(0, len(ndims) - 1)) for _ in range(2))
            name, tensor_fn, numpy_fn = draw(st.sampled_from(PROGRAM_BINARY))
            steps.append((f"node {left} {name} node {right}", (left, right), tensor_fn, numpy_fn))
            ndims.append(max(ndims[left], ndims[right]))
    return shapes_.input_shapes, steps


def _run(steps, inputs, which: int):
    nodes = list(inputs)
    for _, sources, tensor_fn, numpy_fn in steps:
        nodes.append((tensor_fn, numpy_fn)[which](*(nodes[s] for s in sources)))
    return nodes[-1]


@budget(80)
@given(program=programs(), seed=SEEDS, data=st.data())
def test_random_programs_where_entries_interact(program, seed, data):
    input_shapes, steps = program
    inputs = [data.draw(arrays(shape, -1.5, 1.5), f"input {k}") for k, shape in enumerate(input_shapes)]
    listing = "; ".join(f"node {k + 2} = {step[0]}" for k, step in enumerate(steps))
    check_gradients(lambda *t: _run(steps, t, 0), lambda *a: _run(steps, a, 1), inputs, Tensor, seed,
                    f"program on inputs of shapes {input_shapes}: {listing}")


@budget(20)
@given(shape=shapes(min_dims=1), seed=SEEDS, data=st.data())
def test_iterating_a_tensor_yields_its_rows(shape, seed, data):
    x = data.draw(arrays(shape), "x")
    rows = list(Tensor(x))
    assert len(rows) == shape[0] and all(isinstance(r, Tensor) for r in rows)
    for row, expected in zip(rows, x):
        np.testing.assert_array_equal(row.data, expected)
