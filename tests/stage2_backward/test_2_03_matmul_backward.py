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


# Operands that are views with other memory layouts (a transposed weight, every other entry of a vector), in
# every arrangement of 1-D, 2-D and batched operands: a shortcut meant for one layout must not leak into another.
VIEW_CASES = [((3, 4), (5, 4)), ((4,), (5, 4)), ((3, 4), (8,)), ((2, 3, 4), (5, 4)), ((3, 4), (2, 5, 4)),
              ((2, 3, 4), (2, 5, 4)), ((4,), (2, 5, 4))]


@pytest.mark.parametrize("shape_a,stored_b", VIEW_CASES, ids=[f"{a}@view{b}" for a, b in VIEW_CASES])
def test_gradients_when_b_is_a_non_contiguous_view(shape_a, stored_b):
    a_values = normal(shape_a, f"mm-view-a{shape_a}")
    stored = normal(stored_b, f"mm-view-b{stored_b}")
    b_values = stored[::2] if len(stored_b) == 1 else stored.swapaxes(-1, -2)  # a view, not C-contiguous
    a, b = Tensor(a_values, requires_grad=True), Tensor(b_values, requires_grad=True)
    b.data = b_values  # keep the view itself (Tensor() may have copied it into C order)
    out = a @ b
    upstream = normal(out.shape, f"mm-view-upstream{shape_a}{stored_b}")
    grad_a, grad_b = reverse_sweep(out, upstream, [a, b])
    # Closed forms by einsum over the promoted operands; sums of 4-5 products of order-1 numbers: rounding ~1e-15.
    a2 = a_values[None, :] if a_values.ndim == 1 else a_values
    b2 = b_values[:, None] if b_values.ndim == 1 else b_values
    g2 = upstream[..., None] if b_values.ndim == 1 else upstream
    g2 = g2[..., None, :] if a_values.ndim == 1 else g2
    full_a = np.matmul(g2, np.swapaxes(b2, -1, -2))
    full_b = np.matmul(np.swapaxes(a2, -1, -2), g2)
    expected_a = full_a.reshape((-1,) + a2.shape[-2:]).sum(axis=0).reshape(a_values.shape) if full_a.ndim > a2.ndim else full_a.reshape(a_values.shape)
    expected_b = full_b.reshape((-1,) + b2.shape[-2:]).sum(axis=0).reshape(b_values.shape) if full_b.ndim > b2.ndim else full_b.reshape(b_values.shape)
    what = f"a @ b with a {shape_a} and b a non-contiguous view of shape {b_values.shape}"
    assert_close(grad_a, expected_a, rtol=1e-12, atol=1e-12, what=f"d loss / d a of {what}")
    assert_close(grad_b, expected_b, rtol=1e-12, atol=1e-12,
                 what=f"d loss / d b of {what} (a shortcut meant for 2-D operands, such as (grad.T @ a).T, used on others?)")
