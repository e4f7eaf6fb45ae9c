"""Task 2.4: backward of the functions ops, on every case of the op table.

The gradients are collected by the tests' own walk over the backward closures
(``oracle.reverse_sweep``), not by ``Tensor.backward``, which is task 2.7.
"""
import pytest

from learndyn import Tensor
from oracle.op_checks import check_backward
from oracle.op_table import cases_for

pytestmark = pytest.mark.task("2.4")


@pytest.mark.parametrize("case", cases_for("2.4", "backward"), ids=lambda c: c.id)
def test_gradients_match_closed_form_and_finite_differences(case):
    check_backward(case, Tensor)
