"""The two checks every op gets: its value, and its gradient with a random upstream gradient.

The learndyn ``Tensor`` class is passed in by the test, so this module never imports
the code it grades.
"""
from __future__ import annotations

import numpy as np

from .checks import assert_close
from .finite_differences import central_difference, reduce_to_shape
from .op_table import OpCase, normal


def check_forward(case: OpCase, Tensor) -> None:
    """The op's value equals NumPy's to 1e-9 relative.

    Tolerance: a forward op is a few float64 roundings (~1e-16 relative); 1e-9
    leaves room for a different but stable formula (the sigmoid) while any real
    mistake is off by O(1).
    """
    out = case.apply(*[Tensor(x) for x in case.inputs])
    assert isinstance(out, Tensor), f"{case.id}: expected a Tensor, got {type(out).__name__}"
    assert out.data.dtype == np.float64, f"{case.id}: data has dtype {out.data.dtype}, expected float64"
    assert_close(out.data, case.numpy(*case.inputs), rtol=1e-9, atol=1e-12, what=f"forward of {case.id}")


def check_backward(case: OpCase, Tensor) -> None:
    """Every input's grad equals the independent vector-Jacobian product and the central differences.

    Upstream gradient ``g`` is random, so a backward that ignores it fails.
    Tolerances: against the closed-form VJP, 1e-9 relative (both are a few
    roundings); against central differences (see ``central_difference``:
    error below ~5e-9 here), 1e-6 relative to the gradient's scale, 1e-6
    absolute.
    """
    tensors = [Tensor(x, requires_grad=True) for x in case.inputs]
    out = case.apply(*tensors)
    upstream = normal(out.shape, "upstream-" + case.id)
    out.backward(upstream)
    closed_form = case.vjp(upstream, *case.inputs)
    ignoring_upstream = case.vjp(np.ones(out.shape), *case.inputs)
    for k, (tensor, x) in enumerate(zip(tensors, case.inputs)):
        what = f"d loss / d input {k} of {case.id} (input shape {x.shape}, output shape {out.shape})"
        assert tensor.grad is not None, f"{what}: grad is None, backward never reached this input"
        assert np.shape(tensor.grad) == x.shape, (
            f"{what}: grad has shape {np.shape(tensor.grad)}, the input has {x.shape}. "
            "Likely cause: a broadcast gradient was not summed back with sum_to_shape"
        )
        expected = reduce_to_shape(np.asarray(closed_form[k], float), x.shape)
        alternatives = {"the incoming gradient `grad` was ignored (treated as all ones)": reduce_to_shape(np.asarray(ignoring_upstream[k], float), x.shape)}
        scale = max(1.0, float(np.max(np.abs(expected))))
        assert_close(tensor.grad, expected, rtol=1e-9, atol=1e-9 * scale, what=what, alternatives=alternatives)
        numeric = central_difference(lambda *arrays: np.sum(case.numpy(*arrays) * upstream), case.inputs, k)
        assert_close(tensor.grad, numeric, rtol=1e-6, atol=1e-6 * scale, what=what + " vs central differences")
