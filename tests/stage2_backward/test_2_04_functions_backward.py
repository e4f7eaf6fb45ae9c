"""Task 2.4: backward of the functions ops, on every case of the op table."""
import pytest

from learndyn import Tensor
from oracle.op_checks import check_backward
from oracle.op_table import cases_for

pytestmark = pytest.mark.task("2.4")


@pytest.mark.parametrize("case", cases_for("2.4", "backward"), ids=lambda c: c.id)
def test_gradients_match_closed_form_and_finite_differences(case):
    check_backward(case, Tensor)
