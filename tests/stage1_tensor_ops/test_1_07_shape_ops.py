"""Task 1.7: reshape, transpose, .T and indexing."""
import numpy as np
import pytest

from learndyn import Tensor
from oracle.op_checks import check_forward, check_records_graph
from oracle.op_table import cases_for

pytestmark = pytest.mark.task("1.7")


@pytest.mark.parametrize("case", cases_for("1.7", "forward"), ids=lambda c: c.id)
def test_forward_matches_numpy(case):
    check_forward(case, Tensor)


# op name -> (the op applied to a and b, how many inputs it records); recording itself is task 1.2.
RECORDS = {
    "reshape": (lambda a, b: a.reshape(4), 1),
    "transpose": (lambda a, b: a.T, 1),
    "getitem": (lambda a, b: a[0], 1),
}


@pytest.mark.parametrize("op", RECORDS)
def test_each_op_records_its_name_and_inputs(op):
    apply, inputs = RECORDS[op]
    check_records_graph(op, apply, Tensor, inputs)


def test_reshape_to_a_wrong_size_names_both_shapes():
    with pytest.raises(ValueError) as info:
        Tensor(np.ones((3, 4))).reshape(5, 2)
    assert "(3, 4)" in str(info.value) and "(5, 2)" in str(info.value), f"name both shapes, got: {info.value}"


def test_transpose_rejects_axes_that_are_not_a_permutation():
    t = Tensor(np.ones((2, 3, 4)))
    assert t.transpose(2, 1, 0).shape == (4, 3, 2)
    with pytest.raises(ValueError):
        t.transpose(0, 0, 1)
