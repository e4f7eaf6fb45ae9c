"""Task 1.7: reshape, transpose, .T and indexing."""
import numpy as np
import pytest

from learndyn import Tensor
from oracle import assert_close
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
    assert t.transpose(-1, 0, -2).shape == (4, 2, 3), "negative axes count from the end: (-1, 0, -2) is (2, 0, 1)"
    for bad in [(0, 0, 1), (0, 1, 3), (0, 1, -4), (0, 1)]:
        with pytest.raises(ValueError) as info:
            t.transpose(*bad)
        assert str(bad) in str(info.value), f"transpose{bad} on shape (2, 3, 4): name the axes received, got: {info.value}"
    with pytest.raises(TypeError):
        t.transpose(0.0, 1.0, 2.0)


def test_indexing_follows_numpy_and_refuses_a_tensor_index():
    t = Tensor(np.arange(12.0).reshape(3, 4))
    assert_close(t[np.array([True, False, True]), ::-1].data, t.data[[0, 2], ::-1], rtol=0, atol=0,
                 what="t[mask, ::-1] (a boolean mask, then a negative step)")
    assert t[None, ..., 1].shape == (1, 3), "None adds an axis and ... stands for the axes in between, as in NumPy"
    # A Tensor holds float64, so it is not an index (1.7 would silently become 1): outside the contract.
    with pytest.raises(TypeError, match="index"):
        t[Tensor([0.0, 2.0])]
