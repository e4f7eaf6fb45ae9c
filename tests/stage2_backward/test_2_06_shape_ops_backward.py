"""Task 2.6: backward of the shape ops (reshape, transpose, indexing), on every case of the op table.

The gradients are collected by the tests' own walk over the backward closures
(``oracle.reverse_sweep``), not by ``Tensor.backward``, which is task 2.7.
"""
import numpy as np
import pytest

from learndyn import Tensor
from oracle import assert_close
from oracle.op_checks import check_backward
from oracle.op_table import cases_for, normal

pytestmark = pytest.mark.task("2.6")


@pytest.mark.parametrize("case", cases_for("2.6", "backward"), ids=lambda c: c.id)
def test_gradients_match_closed_form_and_finite_differences(case):
    check_backward(case, Tensor)


@pytest.mark.parametrize("shape, axes", [((1, 3), (0, -1)), ((3, 3), (-1, 0)), ((2, 3, 4), (-1, 0, -2))],
                         ids=["1x3-(0,-1)", "3x3-(-1,0)", "2x3x4-(-1,0,-2)"])
def test_transpose_backward_with_negative_axes(shape, axes):
    x = Tensor(normal(shape, f"negative-axes{axes}"), requires_grad=True)
    out = x.transpose(axes)
    upstream = normal(out.shape, f"upstream-negative-axes{axes}")
    # The op's own backward closure (recorded by task 1.2), called directly: Tensor.backward is task 2.7.
    grads = out._backward(upstream)
    assert isinstance(grads, (tuple, list)) and len(grads) == 1, "transpose's backward returns a tuple with one gradient"
    grad = np.asarray(grads[0])
    resolved = tuple(a % len(shape) for a in axes)
    assert grad.shape == shape, (
        f"transpose{axes} of shape {shape}: your gradient has shape {grad.shape} but the input's shape is {shape}: "
        f"normalise negative axes (axis % ndim, here {axes} -> {resolved}) before inverting the permutation")
    # Moving entries is exact: no rounding at all.
    assert_close(grad, upstream.transpose(np.argsort(resolved)), rtol=0, atol=0,
                 what=f"d loss / d x of x.transpose{axes}, shape {shape}",
                 alternatives={f"negative axes were not normalised before inverting the permutation: np.argsort({axes}) is "
                               f"not the inverse of {resolved}": upstream.transpose(np.argsort(axes))})
