"""The Tensor's contract at its edges: magnitudes from the smallest subnormal to the largest
float, exponents, and every argument outside the contract refused with an error that names it.

The contract (``learndyn.tensor``'s docstring): values follow NumPy's float64 arithmetic,
overflow included; an axis is None, an int or a tuple of ints (NumPy integers too) in
[-ndim, ndim); complex numbers and a Tensor as an index are refused with TypeError; a
wrong value is a ValueError; every message names the argument and the value received.
"""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("hypothesis", reason="the generated tests need Hypothesis: pip install -e '.[dev]'")
# Hypothesis would catch a timeout's exception and retry the slow example: stop the whole run instead.
pytestmark = pytest.mark.timeout(60, method="thread")

from hypothesis import given, strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

from learndyn import Tensor  # noqa: E402
from property_strategies import arrays, budget, shapes  # noqa: E402

ANY_FLOAT = st.floats(allow_nan=False, allow_infinity=False)  # tiny subnormals to 1.8e308, both signs


def any_floats(shape):
    return hnp.arrays(np.float64, shape, elements=ANY_FLOAT)


def forward_and_gradient(method: str, x: np.ndarray):
    """The op's value and its gradient for an upstream gradient of ones, with NumPy's warnings silenced."""
    t = Tensor(x, requires_grad=True)
    with np.errstate(all="ignore"):
        out = getattr(t, method)()
        out.backward(np.ones(out.shape))
    return out.data, t.grad


@budget(60)
@given(x=any_floats(shapes(max_dims=2)))
def test_exp_overflows_to_inf_as_numpy_and_so_does_its_gradient(x):
    value, grad = forward_and_gradient("exp", x)
    with np.errstate(all="ignore"):
        expected = np.exp(x)
    np.testing.assert_array_equal(value, expected, err_msg="exp must be NumPy's exp, inf above ~709.78 included")
    np.testing.assert_array_equal(grad, expected, err_msg="d exp(x) / dx = exp(x), inf where exp overflows")


@budget(60)
@given(x=any_floats(shapes(max_dims=2)))
def test_sigmoid_and_tanh_never_overflow_and_their_gradients_stay_bounded(x):
    value, grad = forward_and_gradient("sigmoid", x)
    assert np.all((value >= 0) & (value <= 1)), f"sigmoid left [0, 1] (or gave NaN): {value}"
    # An independent formula: sigmoid(x) = (1 + tanh(x / 2)) / 2, within a few roundings absolutely.
    np.testing.assert_allclose(value, 0.5 * (1 + np.tanh(x / 2)), rtol=0, atol=4e-16)
    assert np.all((grad >= 0) & (grad <= 0.25)), f"sigmoid'(x) = s (1 - s) lies in [0, 1/4], got {grad}"
    value, grad = forward_and_gradient("tanh", x)
    np.testing.assert_array_equal(value, np.tanh(x))
    assert np.all((grad >= 0) & (grad <= 1)), f"tanh'(x) = 1 - tanh(x)**2 lies in [0, 1], got {grad}"


@budget(60)
@given(x=hnp.arrays(np.float64, shapes(max_dims=2), elements=st.floats(min_value=0.0, exclude_min=True)))
def test_log_of_any_positive_float_and_its_gradient(x):
    value, grad = forward_and_gradient("log", x)
    np.testing.assert_array_equal(value, np.log(x))
    with np.errstate(over="ignore"):
        np.testing.assert_array_equal(grad, 1 / x, err_msg="d log(x) / dx = 1 / x (inf for subnormal x: overflow)")


@budget(80)
@given(x=any_floats(shapes(max_dims=2)),
       exponent=st.sampled_from([0, 1, 2, 3, -1, -2, 0.5, -0.5, 2.5]) | st.floats(-4, 4) | st.integers(-5, 5).map(np.int64))
def test_pow_over_every_magnitude_follows_numpy_and_its_derivative(x, exponent):
    t = Tensor(x, requires_grad=True)
    with np.errstate(all="ignore"):
        out = t**exponent
        out.backward(np.ones(out.shape))
        expected = x**exponent
        # d x**p / dx = p x**(p - 1); for p = 0 the function is the constant 1, so 0 even at x = 0.
        derivative = np.zeros_like(x) if exponent == 0 else exponent * x ** (exponent - 1)
    np.testing.assert_array_equal(out.data, expected, err_msg=f"x ** {exponent!r}: NumPy's value (nan, inf included)")
    np.testing.assert_array_equal(t.grad, derivative, err_msg=f"d x ** {exponent!r} / dx")


def test_zero_to_the_power_zero_has_gradient_zero():
    t = Tensor([0.0, 2.0], requires_grad=True)
    (t**0).backward(np.ones(2))
    np.testing.assert_array_equal(t.grad, [0.0, 0.0], err_msg="x**0 is constant: gradient 0, not 0 * 0**-1 = nan")


@budget(40)
@given(x=any_floats(shapes(max_dims=2)))
def test_relu_passes_any_magnitude(x):
    value, grad = forward_and_gradient("relu", x)
    np.testing.assert_array_equal(value, np.maximum(x, 0.0))
    np.testing.assert_array_equal(grad, (x > 0).astype(float))


def message_names(error, *parts) -> None:
    for part in parts:
        assert part in str(error.value), f"the {error.type.__name__} should name {part!r}, got: {error.value}"


@budget(60)
@given(shape=shapes(), op=st.sampled_from(["sum", "mean", "max"]), data=st.data())
def test_axes_out_of_range_or_repeated_are_value_errors_naming_the_axis(shape, op, data):
    ndim = len(shape)
    out_of_range = st.integers(ndim, ndim + 3) | st.integers(-ndim - 3, -ndim - 1)
    if ndim:
        repeated = st.integers(0, ndim - 1).map(lambda a: (a, a - ndim))
        axis = data.draw(out_of_range | out_of_range.map(lambda a: (0, a)) | repeated, "axis")
    else:
        axis = data.draw(out_of_range, "axis")
    with pytest.raises(ValueError) as error:
        getattr(Tensor(np.ones(shape)), op)(axis=axis)
    message_names(error, op, "axis", repr(axis))


BAD_AXIS_TYPES = st.sampled_from([1.0, "0", [0], True, np.bool_(False), np.array([0]), 0.5j, (0, 1.0), (None,)])


@budget(20)
@given(axis=BAD_AXIS_TYPES, op=st.sampled_from(["sum", "mean", "max"]))
def test_axes_of_the_wrong_type_are_type_errors_naming_the_axis(axis, op):
    with pytest.raises(TypeError) as error:
        getattr(Tensor(np.ones((2, 3))), op)(axis=axis)
    message_names(error, op, "axis")


@budget(10)
@given(keepdims=st.sampled_from([1, 0, "yes", None, 1.0]), op=st.sampled_from(["sum", "mean", "max"]))
def test_keepdims_must_be_true_or_false(keepdims, op):
    with pytest.raises(TypeError) as error:
        getattr(Tensor(np.ones((2, 3))), op)(axis=0, keepdims=keepdims)
    message_names(error, "keepdims", repr(keepdims))


@budget(40)
@given(shape=shapes(max_dims=3), data=st.data())
def test_transpose_axes_that_are_not_a_permutation_are_value_errors(shape, data):
    ndim = len(shape)
    axes = tuple(data.draw(st.lists(st.integers(-ndim - 2, ndim + 1), min_size=1, max_size=ndim + 1), "axes"))
    if ndim and all(-ndim <= a < ndim for a in axes) and sorted(a % ndim for a in axes) == list(range(ndim)):
        return  # a permutation after all
    with pytest.raises(ValueError) as error:
        Tensor(np.ones(shape)).transpose(*axes)
    message_names(error, "transpose", repr(axes))


@budget(20)
@given(bad=st.sampled_from([(1.0, 0), ("1", "0"), (None, 0), (0.5j, 0)]))
def test_transpose_and_reshape_refuse_non_integers(bad):
    with pytest.raises(TypeError, match="transpose"):
        Tensor(np.ones((2, 3))).transpose(*bad)
    with pytest.raises(TypeError, match="reshape"):
        Tensor(np.ones((2, 3))).reshape(*(3 if b == 0 else b for b in bad))


@budget(20)
@given(value=st.complex_numbers(allow_nan=False, min_magnitude=1e-3).filter(lambda z: z.imag != 0),
       where=st.sampled_from(["data", "array-data", "exponent", "operand"]))
def test_complex_numbers_are_outside_the_contract(value, where):
    t = Tensor([1.0, 2.0])
    with pytest.raises(TypeError) as error:
        if where == "data":
            Tensor(value)
        elif where == "array-data":
            Tensor(np.array([1.0, value]))
        elif where == "exponent":
            t**value
        else:
            t * value
    message_names(error, "complex")


@budget(20)
@given(shape=shapes(min_dims=1, min_side=1), inside_a_tuple=st.booleans())
def test_a_tensor_used_as_an_index_is_refused(shape, inside_a_tuple):
    index = Tensor(np.zeros(1))
    with pytest.raises(TypeError, match="index"):
        Tensor(np.ones(shape))[(index, Ellipsis) if inside_a_tuple else index]


@budget(10)
@given(flag=st.sampled_from([1, 0, "yes", None, 1.0]))
def test_requires_grad_must_be_true_or_false(flag):
    with pytest.raises(TypeError) as error:
        Tensor(1.0, requires_grad=flag)
    message_names(error, "requires_grad", repr(flag))


def test_a_0d_tensor_has_no_length_and_cannot_be_iterated():
    for use in (len, list):
        with pytest.raises(TypeError, match="0-d"):
            use(Tensor(3.0))


@budget(30)
@given(shape_pair=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=1, max_dims=3, max_side=4))
def test_shapes_that_do_not_broadcast_are_value_errors_naming_both(shape_pair):
    a_shape, b_shape = shape_pair.input_shapes
    b_shape = b_shape[:-1] + (b_shape[-1] + 1,) if b_shape[-1] > 1 else b_shape[:-1] + (a_shape[-1] + 2,)
    if a_shape[-1] in (1, b_shape[-1]):
        return
    with pytest.raises(ValueError) as error:
        Tensor(np.ones(a_shape)) + Tensor(np.ones(b_shape))
    message_names(error, str(a_shape), str(b_shape))


@budget(20)
@given(shape=shapes(min_dims=1), data=st.data())
def test_values_survive_a_round_trip_through_the_constructor(shape, data):
    x = data.draw(arrays(shape) | hnp.arrays(np.int64, shape) | hnp.arrays(np.float32, shape, elements=st.floats(-3, 3, width=32)), "x")
    t = Tensor(x)
    assert t.data.dtype == np.float64 and t.shape == x.shape
    np.testing.assert_array_equal(t.data, x.astype(np.float64))
