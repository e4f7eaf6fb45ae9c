"""Task 2.5: backward of the reductions ops, on every case of the op table."""
import pytest

from learndyn import Tensor
from oracle.op_checks import check_backward
from oracle.op_table import cases_for

pytestmark = pytest.mark.task("2.5")


@pytest.mark.parametrize("case", cases_for("2.5", "backward"), ids=lambda c: c.id)
def test_gradients_match_closed_form_and_finite_differences(case):
    check_backward(case, Tensor)


def test_max_shares_the_gradient_equally_among_ties():
    import numpy as np

    x = Tensor([1.0, 3.0, 3.0, 2.0], requires_grad=True)
    x.max().backward(np.array(2.0))
    np.testing.assert_allclose(x.grad, [0.0, 1.0, 1.0, 0.0], rtol=1e-12,
                               err_msg="tied maxima share the upstream gradient equally (2.0 / 2 each)")
