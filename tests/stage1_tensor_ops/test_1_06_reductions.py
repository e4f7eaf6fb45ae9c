"""Task 1.6: sum, mean, max over any axes, with keepdims."""
import numpy as np
import pytest

from learndyn import Tensor
from oracle.op_checks import check_forward
from oracle.op_table import cases_for

pytestmark = pytest.mark.task("1.6")


@pytest.mark.parametrize("case", cases_for("1.6", "forward"), ids=lambda c: c.id)
def test_forward_matches_numpy(case):
    check_forward(case, Tensor)


def test_full_reduction_gives_a_scalar_tensor():
    out = Tensor(np.arange(6.0).reshape(2, 3)).mean()
    assert isinstance(out, Tensor) and out.shape == () and out.item() == 2.5
