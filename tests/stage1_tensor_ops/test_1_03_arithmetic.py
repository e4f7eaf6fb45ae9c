"""Task 1.3: + - * / ** and unary minus, with NumPy broadcasting on either side."""
import operator

import numpy as np
import pytest

from learndyn import Tensor
from oracle.op_checks import check_forward, check_records_graph
from oracle.op_table import cases_for

pytestmark = pytest.mark.task("1.3")


@pytest.mark.parametrize("case", cases_for("1.3", "forward"), ids=lambda c: c.id)
def test_forward_matches_numpy(case):
    check_forward(case, Tensor)


# op name -> (the op applied to a and b, how many inputs it records); recording itself is task 1.2.
RECORDS = {
    "add": (lambda a, b: a + b, 2),
    "mul": (lambda a, b: a * b, 2),
    "div": (lambda a, b: a / b, 2),
    "pow": (lambda a, b: a**2, 1),
}


@pytest.mark.parametrize("op", RECORDS)
def test_each_op_records_its_name_and_inputs(op):
    apply, inputs = RECORDS[op]
    check_records_graph(op, apply, Tensor, inputs)


# Both orders: a check that only looks one way round (or a shortcut on one ordering of shapes) shows in the other.
@pytest.mark.parametrize("shapes", [((3, 4), (2, 4)), ((2, 4), (3, 4))], ids=["larger-left", "larger-right"])
@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.mul, operator.truediv], ids=["+", "-", "*", "/"])
def test_incompatible_shapes_raise_value_error_naming_both_shapes(op, shapes):
    a, b = Tensor(np.ones(shapes[0])), Tensor(np.ones(shapes[1]))
    with pytest.raises(ValueError) as info:
        op(a, b)
    message = str(info.value)
    assert "(3, 4)" in message and "(2, 4)" in message, f"the error should name both shapes, got: {message}"


def test_integer_operands_give_float64():
    out = Tensor([1, 2]) / 4
    assert out.data.dtype == np.float64
    np.testing.assert_array_equal(out.data, [0.25, 0.5])


def test_pow_takes_a_number_and_rejects_a_tensor_exponent():
    np.testing.assert_allclose((Tensor([2.0, 3.0]) ** 2).data, [4.0, 9.0], rtol=1e-12)
    np.testing.assert_allclose((Tensor([2.0, 3.0]) ** np.float64(0.5)).data, np.sqrt([2.0, 3.0]), rtol=1e-12,
                               err_msg="a NumPy float is a real number too: it is a valid exponent")
    with pytest.raises(TypeError):
        Tensor([2.0]) ** Tensor([2.0])
    with pytest.raises(TypeError, match="exponent"):  # complex numbers are outside the course's contract
        Tensor([2.0]) ** 1j
