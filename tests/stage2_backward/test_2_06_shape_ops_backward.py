"""Task 2.6: backward of the shape ops (reshape, transpose, indexing), on every case of the op table.

The gradients are collected by the tests' own walk over the backward closures
(``oracle.reverse_sweep``), not by ``Tensor.backward``, which is task 2.7.
"""
import pytest

from learndyn import Tensor
from oracle.op_checks import check_backward
from oracle.op_table import cases_for

pytestmark = pytest.mark.task("2.6")


@pytest.mark.parametrize("case", cases_for("2.6", "backward"), ids=lambda c: c.id)
def test_gradients_match_closed_form_and_finite_differences(case):
    check_backward(case, Tensor)
