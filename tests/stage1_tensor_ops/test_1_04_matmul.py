"""Task 1.4: matrix products with NumPy's rules for 1-D operands and batches."""
import numpy as np
import pytest

from learndyn import Tensor
from oracle.op_checks import check_forward, check_records_graph
from oracle.op_table import cases_for

pytestmark = pytest.mark.task("1.4")


@pytest.mark.parametrize("case", cases_for("1.4", "forward"), ids=lambda c: c.id)
def test_forward_matches_numpy(case):
    check_forward(case, Tensor)


# op name -> (the op applied to a and b, how many inputs it records); recording itself is task 1.2.
RECORDS = {
    "matmul": (lambda a, b: a @ b, 2),
}


@pytest.mark.parametrize("op", RECORDS)
def test_each_op_records_its_name_and_inputs(op):
    apply, inputs = RECORDS[op]
    check_records_graph(op, apply, Tensor, inputs)


# A 0-d operand on either side too: matmul needs at least one axis on each (NumPy's own error names neither shape).
@pytest.mark.parametrize("left,right", [((3, 4), (5, 2)), ((4,), (3,)), ((2, 3), (2,)), ((), (3,)), ((3,), ()), ((), ())])
def test_misaligned_shapes_raise_value_error_naming_both(left, right):
    with pytest.raises(ValueError) as info:
        Tensor(np.ones(left)) @ Tensor(np.ones(right))
    message = str(info.value).replace(" ", "")
    assert str(left).replace(" ", "") in message and str(right).replace(" ", "") in message, f"name both shapes, got: {info.value}"


def test_large_inner_sizes_are_compared_by_value():
    # Sizes above 256 are distinct int objects in CPython: an inner size compared with `is not` instead of != fails here.
    a, b = np.ones((2, 300)), np.ones((int("300"), 3))
    np.testing.assert_array_equal((Tensor(a) @ Tensor(b)).data, np.full((2, 3), 300.0))


def test_matmul_with_an_array_on_either_side():
    m = np.arange(6.0).reshape(2, 3)
    t = Tensor(np.ones((3, 2)))
    np.testing.assert_allclose((m @ t).data, m @ np.ones((3, 2)), rtol=1e-12)
    np.testing.assert_allclose((t @ m).data, np.ones((3, 2)) @ m, rtol=1e-12)
