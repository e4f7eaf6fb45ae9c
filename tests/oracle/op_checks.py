"""The two checks every op gets: its value, and its gradient with a random upstream gradient.

The learndyn ``Tensor`` class is passed in by the test, so this module never imports
the code it grades.
"""
from __future__ import annotations

import numpy as np

from .checks import assert_close, shape_cause
from .finite_differences import central_difference, reduce_to_shape
from .op_table import OpCase, normal
from .reverse_sweep import reverse_sweep


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


def check_backward(case: OpCase, Tensor, through_tensor_backward: bool = False) -> None:
    """Every input's gradient equals the independent vector-Jacobian product and the central differences.

    The gradients come from the op's backward closures, walked by the tests' own
    ``reverse_sweep`` (so an op's backward is graded before ``Tensor.backward``, task 2.7,
    exists), or, with ``through_tensor_backward``, from ``out.backward(upstream)`` and
    each input's ``.grad`` (task 2.7's test of the whole pipeline).
    Upstream gradient ``g`` is random, so a backward that ignores it fails.
    Tolerances: against the closed-form VJP, 1e-9 relative (both are a few
    roundings); against central differences (see ``central_difference``:
    error below ~5e-9 here), 1e-6 relative to the gradient's scale, 1e-6
    absolute.
    """
    tensors = [Tensor(x, requires_grad=True) for x in case.inputs]
    out = case.apply(*tensors)
    upstream = normal(out.shape, "upstream-" + case.id)
    if through_tensor_backward:
        out.backward(upstream)
        grads = [tensor.grad for tensor in tensors]
        unreached = "grad is None, backward never reached this input"
    else:
        grads = reverse_sweep(out, upstream, tensors)
        unreached = "no gradient reached this input: did the op's backward closure return None for it?"
    closed_form = case.vjp(upstream, *case.inputs)
    ignoring_upstream = case.vjp(np.ones(out.shape), *case.inputs)
    for k, (grad, x) in enumerate(zip(grads, case.inputs)):
        what = f"d loss / d input {k} of {case.id} (input shape {x.shape}, output shape {out.shape})"
        assert grad is not None, f"{what}: {unreached}"
        cause = shape_cause(np.shape(grad), x.shape, gradient=True)
        assert np.shape(grad) == x.shape, (
            f"{what}: grad has shape {np.shape(grad)}, the input has {x.shape}." + (f" Likely cause: {cause}" if cause else ""))
        expected = reduce_to_shape(np.asarray(closed_form[k], float), x.shape)
        alternatives = {"the incoming gradient `grad` was ignored (treated as all ones)": reduce_to_shape(np.asarray(ignoring_upstream[k], float), x.shape)}
        scale = max(1.0, float(np.max(np.abs(expected))))
        assert_close(grad, expected, rtol=1e-9, atol=1e-9 * scale, what=what, alternatives=alternatives)
        numeric = central_difference(lambda *arrays: np.sum(case.numpy(*arrays) * upstream), case.inputs, k)
        assert_close(grad, numeric, rtol=1e-6, atol=1e-6 * scale, what=what + " vs central differences")


def check_records_graph(op: str, apply, Tensor, inputs: int) -> None:
    """``apply(a, b)`` records ``op``, its inputs in order and a backward closure when an input requires grad;
    on constants it records nothing.

    ``a`` and ``b`` are 2x2 (positive, for log); a unary op uses only ``a``.  Each
    input in turn is the one that requires grad, the other a constant: recording
    must not depend on which.
    """
    values = ([[1.0, 2.0], [3.0, 4.0]], [[0.5, 1.5], [2.5, 3.5]])
    for learner in range(inputs):
        a, b = (Tensor(v, requires_grad=(k == learner)) for k, v in enumerate(values))
        out = apply(a, b)
        who = f"{op} with input {learner} requiring grad"
        assert out.requires_grad, f"{who}: the result of an op on a tensor that requires grad must require grad"
        assert out.op == op, f"{who}: result.op is {out.op!r}, expected {op!r}"
        expected = (a, b)[:inputs]
        assert len(out.parents) == inputs and all(p is e for p, e in zip(out.parents, expected)), (
            f"{who}: result.parents must be the input tensors themselves, in order ({inputs} of them), "
            f"got {len(out.parents)} parents")
        assert callable(out._backward), f"{who}: result._backward must be the op's backward closure"
    a, b = (Tensor(v) for v in values)
    out = apply(a, b)
    assert not out.requires_grad and tuple(out.parents) == () and out.op == "" and out._backward is None, (
        f"{op} on constants must record no graph (requires_grad False, no parents, op '', no backward)")
