"""Task 2.5: backward of the reductions ops, on every case of the op table.

The gradients are collected by the tests' own walk over the backward closures
(``oracle.reverse_sweep``), not by ``Tensor.backward``, which is task 2.7.
"""
import numpy as np
import pytest

from learndyn import Tensor
from oracle import assert_close
from oracle.op_checks import check_backward
from oracle.op_table import cases_for
from oracle.reverse_sweep import reverse_sweep

pytestmark = pytest.mark.task("2.5")


@pytest.mark.parametrize("case", cases_for("2.5", "backward"), ids=lambda c: c.id)
def test_gradients_match_closed_form_and_finite_differences(case):
    check_backward(case, Tensor)


def test_max_shares_the_gradient_equally_among_ties():
    x = Tensor([1.0, 3.0, 3.0, 2.0], requires_grad=True)
    (grad,) = reverse_sweep(x.max(), np.array(2.0), [x])
    # Exact: 2.0 / 2 is one rounding-free division.
    assert_close(grad, [0.0, 1.0, 1.0, 0.0], rtol=1e-12, atol=0, what="d max(x) / dx with a tie for the maximum",
                 alternatives={"each tied maximum got the whole upstream gradient (share it: 2.0 / 2 each)": [0.0, 2.0, 2.0, 0.0],
                               "only the first tied maximum got the gradient (argmax): share it among the ties": [0.0, 2.0, 0.0, 0.0]})
