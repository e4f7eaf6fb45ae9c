"""Task 2.2: backward of the arithmetic ops, on every case of the op table.

The gradients are collected by the tests' own walk over the backward closures
(``oracle.reverse_sweep``), not by ``Tensor.backward``, which is task 2.7.
"""
import numpy as np
import pytest

from learndyn import Tensor
from oracle import assert_close, central_difference
from oracle.op_checks import check_backward
from oracle.op_table import cases_for, normal
from oracle.reverse_sweep import reverse_sweep

pytestmark = pytest.mark.task("2.2")


@pytest.mark.parametrize("case", cases_for("2.2", "backward"), ids=lambda c: c.id)
def test_gradients_match_closed_form_and_finite_differences(case):
    check_backward(case, Tensor)


@pytest.mark.parametrize("learner", [0, 1], ids=["constant-divisor", "constant-dividend"])
def test_the_input_that_requires_grad_gets_its_gradient_when_the_other_is_a_constant(learner):
    values = [normal((2, 3), "dividend"), np.array([[1.5, -0.5, 2.0], [0.8, -1.2, 0.6]])]
    a, b = (Tensor(v, requires_grad=(k == learner)) for k, v in enumerate(values))
    upstream = normal((2, 3), "upstream-constant")
    (grad,) = reverse_sweep(a / b, upstream, [(a, b)[learner]])
    what = f"d loss / d input {learner} of a / b with input {1 - learner} a constant"
    expected = upstream / values[1] if learner == 0 else -upstream * values[0] / values[1] ** 2
    # Against the closed form: a few roundings, 1e-12 relative. Against central differences (error below
    # ~5e-9, see oracle.central_difference; |b| >= 0.5 keeps the pole away): 1e-6, as in check_backward.
    assert_close(grad, expected, rtol=1e-12, atol=1e-12, what=what)
    numeric = central_difference(lambda a_, b_: np.sum(a_ / b_ * upstream), values, learner)
    assert_close(grad, numeric, rtol=1e-6, atol=1e-6, what=what + " vs central differences")
