"""Task 2.2: backward of the arithmetic ops, on every case of the op table."""
import pytest

from learndyn import Tensor
from oracle.op_checks import check_backward
from oracle.op_table import cases_for

pytestmark = pytest.mark.task("2.2")


@pytest.mark.parametrize("case", cases_for("2.2", "backward"), ids=lambda c: c.id)
def test_gradients_match_closed_form_and_finite_differences(case):
    check_backward(case, Tensor)


def test_only_inputs_that_require_grad_get_a_gradient():
    import numpy as np

    a, b = Tensor(np.ones((2, 3)), requires_grad=True), Tensor(np.full((2, 3), 2.0))
    (a * b).backward(np.ones((2, 3)))
    assert b.grad is None, "a constant (requires_grad=False) must not receive a gradient"
    np.testing.assert_allclose(a.grad, 2.0, rtol=1e-12)
