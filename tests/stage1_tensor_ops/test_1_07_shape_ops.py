"""Task 1.7: reshape, transpose, .T and indexing."""
import numpy as np
import pytest

from learndyn import Tensor
from oracle.op_checks import check_forward
from oracle.op_table import cases_for

pytestmark = pytest.mark.task("1.7")


@pytest.mark.parametrize("case", cases_for("1.7", "forward"), ids=lambda c: c.id)
def test_forward_matches_numpy(case):
    check_forward(case, Tensor)


def test_reshape_to_a_wrong_size_names_both_shapes():
    with pytest.raises(ValueError) as info:
        Tensor(np.ones((3, 4))).reshape(5, 2)
    assert "(3, 4)" in str(info.value) and "(5, 2)" in str(info.value), f"name both shapes, got: {info.value}"


def test_transpose_rejects_axes_that_are_not_a_permutation():
    t = Tensor(np.ones((2, 3, 4)))
    assert t.transpose(2, 1, 0).shape == (4, 3, 2)
    with pytest.raises(ValueError):
        t.transpose(0, 0, 1)
