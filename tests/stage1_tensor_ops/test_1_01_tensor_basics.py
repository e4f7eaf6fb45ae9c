"""Task 1.1: a Tensor holds a float64 array; leaves start without grad or history."""
import numpy as np
import pytest

from learndyn import Tensor

pytestmark = pytest.mark.task("1.1")


@pytest.mark.parametrize(
    "data",
    [3, 2.5, [1, 2, 3], [[1, 2], [3, 4]], np.arange(6, dtype=np.int32).reshape(2, 3), np.ones(3, dtype=np.float32), np.float64(7.0)],
    ids=["int", "float", "list", "nested-list", "int32-array", "float32-array", "numpy-scalar"],
)
def test_data_becomes_a_float64_array(data):
    t = Tensor(data)
    assert isinstance(t.data, np.ndarray), f"Tensor({data!r}).data is a {type(t.data).__name__}, expected np.ndarray"
    assert t.data.dtype == np.float64, f"Tensor({data!r}).data has dtype {t.data.dtype}, expected float64: pass dtype=np.float64"
    np.testing.assert_array_equal(t.data, np.asarray(data, dtype=np.float64))


def test_data_is_a_copy_of_the_input_array():
    source = np.array([1.0, 2.0, 3.0])
    t = Tensor(source)
    source[0] = 100.0
    assert t.data[0] == 1.0, "changing the input array changed the Tensor: copy it (np.array, not np.asarray)"


@pytest.mark.parametrize("bad", ["abc", None, {"a": 1}, object(), [1, "x"], 1 + 2j, np.array([1.0, 2j]), [[1.0, 2.0], [3.0]]],
                         ids=["str", "None", "dict", "object", "mixed-list", "complex", "complex-array", "ragged-list"])
def test_non_numeric_data_raises_type_error_naming_the_type(bad):
    with pytest.raises(TypeError) as info:
        Tensor(bad)
    assert type(bad).__name__ in str(info.value), f"the TypeError should name the type {type(bad).__name__!r}, got: {info.value}"


def test_shape_ndim_size_and_len():
    t = Tensor(np.zeros((2, 3, 4)))
    assert (t.shape, t.ndim, t.size, len(t)) == ((2, 3, 4), 3, 24, 2)


def test_a_new_tensor_has_no_grad_and_no_history():
    t = Tensor([1.0, 2.0], requires_grad=True)
    assert t.requires_grad is True
    assert t.grad is None, "grad must stay None until a backward pass"
    assert tuple(t.parents) == () and t.op == "", "a leaf has no parents and no op"
    assert Tensor(1.0).requires_grad is False, "requires_grad defaults to False"


def test_item_returns_a_python_float():
    value = Tensor([[4.5]]).item()
    assert type(value) is float and value == 4.5


def test_item_of_many_elements_raises_value_error_naming_the_shape():
    with pytest.raises(ValueError, match=r"\(2, ?2\)"):
        Tensor(np.ones((2, 2))).item()


def test_item_of_an_empty_tensor_raises_value_error_naming_the_shape():
    # Zero elements is not one element either: "size != 1", not "size > 1".
    with pytest.raises(ValueError, match=r"\(0, ?3\)"):
        Tensor(np.zeros((0, 3))).item()


def test_detach_copies_values_without_history():
    x = Tensor([1.0, -2.0], requires_grad=True)
    # A result with a history, recorded by hand (the ops that record one come in tasks 1.2-1.7): y = 3 * x.
    y = Tensor([3.0, -6.0], requires_grad=True)
    y.parents, y.op, y._backward = (x,), "mul", lambda grad: (3.0 * grad,)
    d = y.detach()
    assert isinstance(d, Tensor) and d is not y, "detach() returns a new Tensor"
    assert d.requires_grad is False and tuple(d.parents) == () and d.op == "", (
        f"detach() returns a leaf without history: requires_grad={d.requires_grad}, {len(d.parents)} parents, op={d.op!r}")
    assert d.grad is None
    np.testing.assert_array_equal(d.data, [3.0, -6.0])
    assert d.data.dtype == np.float64
    assert y.parents[0] is x and y.requires_grad, "detach() must leave the original tensor's history alone"


def test_repr_shows_values_and_requires_grad():
    text = repr(Tensor([1.5, 2.0], requires_grad=True))
    assert "1.5" in text and "requires_grad=True" in text, f"repr should show the values and requires_grad=True, got {text!r}"
    assert "requires_grad" not in repr(Tensor([1.0])), "repr of a constant must not mention requires_grad (only tensors that require grad say so)"
    assert "op=" not in repr(Tensor([1.0], requires_grad=True)), "repr of a leaf must not mention an op (it has none: op is '')"
