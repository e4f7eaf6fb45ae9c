"""Task 2.3: backward of the matmul ops, on every case of the op table.

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

pytestmark = pytest.mark.task("2.3")


@pytest.mark.parametrize("case", cases_for("2.3", "backward"), ids=lambda c: c.id)
def test_gradients_match_closed_form_and_finite_differences(case):
    check_backward(case, Tensor)


@pytest.mark.parametrize("learner", [0, 1], ids=["constant-right", "constant-left"])
def test_the_input_that_requires_grad_gets_its_gradient_when_the_other_is_a_constant(learner):
    # The usual case in a network: x @ W with data x that needs no gradient (the backward may skip it).
    values = [normal((3, 4), "mm-const-a"), normal((4, 5), "mm-const-b")]
    a, b = (Tensor(v, requires_grad=(k == learner)) for k, v in enumerate(values))
    upstream = normal((3, 5), "mm-const-upstream")
    (grad,) = reverse_sweep(a @ b, upstream, [(a, b)[learner]])
    what = f"d loss / d input {learner} of a @ b with input {1 - learner} a constant"
    assert grad is not None, (f"{what}: the backward returned None for the input that requires grad; skip only "
                              "the product of an input that does not (self.requires_grad / other.requires_grad)")
    expected = upstream @ values[1].T if learner == 0 else values[0].T @ upstream
    # Against the closed form: sums of 5 (or 3) products of order-1 numbers, rounding ~1e-15; 1e-12 is
    # generous. Against central differences (error below ~5e-9, see oracle.central_difference): 1e-6.
    assert_close(grad, expected, rtol=1e-12, atol=1e-12, what=what)
    numeric = central_difference(lambda a_, b_: np.sum((a_ @ b_) * upstream), values, learner)
    assert_close(grad, numeric, rtol=1e-6, atol=1e-6, what=what + " vs central differences")
