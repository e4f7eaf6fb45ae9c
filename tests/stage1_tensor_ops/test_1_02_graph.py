"""Task 1.2: results record parents and op only when gradients can flow.

``Tensor._result`` is called here directly, with a hand-made backward closure, so that
recording is graded before any op exists; each op's own task (1.3-1.7) checks that the
op records its name and inputs through it.
"""
import numpy as np
import pytest

from learndyn import Parameter, Tensor, no_grad

pytestmark = pytest.mark.task("1.2")


def operands(a_requires_grad=True, b_requires_grad=False):
    return (Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=a_requires_grad),
            Tensor([[0.5, 1.5], [2.5, 3.5]], requires_grad=b_requires_grad))


def record_sum(a, b):
    """What ``a + b`` would record, made by hand: the value, both parents, the op's name, a backward closure."""

    def backward(grad):
        return grad, grad

    return a._result(a.data + b.data, (a, b), "add", backward), backward


@pytest.mark.parametrize("a_requires_grad,b_requires_grad", [(True, False), (False, True), (True, True)],
                         ids=["first", "second", "both"])
def test_result_records_value_parents_op_and_backward_when_a_parent_requires_grad(a_requires_grad, b_requires_grad):
    a, b = operands(a_requires_grad, b_requires_grad)
    out, backward = record_sum(a, b)
    assert isinstance(out, Tensor), f"_result must return a Tensor, got {type(out).__name__}"
    np.testing.assert_array_equal(out.data, [[1.5, 3.5], [5.5, 7.5]], err_msg="_result must keep the data it was given")
    assert out.requires_grad, "a result with a parent that requires grad must require grad"
    assert out.op == "add", f"result.op is {out.op!r}, expected the name passed to _result, 'add'"
    assert len(out.parents) == 2 and out.parents[0] is a and out.parents[1] is b, (
        "result.parents must be the parent tensors themselves, in the order given")
    assert out._backward is backward, "result._backward must be the backward closure passed to _result"
    assert out.grad is None, "a new result has no gradient yet"


def test_result_of_a_one_parent_op_records_that_parent():
    a, _ = operands()
    out = a._result(np.tanh(a.data), (a,), "tanh", lambda grad: (grad,))
    assert out.requires_grad and out.op == "tanh" and len(out.parents) == 1 and out.parents[0] is a


def test_constants_record_no_graph():
    a, b = operands(a_requires_grad=False)
    out, _ = record_sum(a, b)
    assert not out.requires_grad and tuple(out.parents) == (), "a result of constants must not record a graph"
    assert out.op == "" and out._backward is None, "a result of constants keeps no op name and no backward closure"
    np.testing.assert_array_equal(out.data, [[1.5, 3.5], [5.5, 7.5]])


def test_no_grad_records_nothing_and_restores_the_mode():
    a, b = operands()
    with no_grad():
        inside, _ = record_sum(a, b)
    after, _ = record_sum(a, b)
    assert not inside.requires_grad and tuple(inside.parents) == () and inside._backward is None, (
        "inside no_grad() nothing is recorded")
    assert after.requires_grad and len(after.parents) == 2, "after the no_grad() block recording resumes"


def test_no_grad_restores_the_mode_after_an_exception_and_when_nested():
    a, b = operands()
    with pytest.raises(RuntimeError):
        with no_grad():
            raise RuntimeError("boom")
    with no_grad():
        with no_grad():
            pass
        still_inside, _ = record_sum(a, b)
    assert not still_inside.requires_grad, "leaving an inner no_grad() must not switch recording back on"
    assert record_sum(a, b)[0].requires_grad, "recording must be back on after the blocks, also after an exception"


def test_parameter_is_a_tensor_that_requires_grad():
    p = Parameter(np.array([[1, 2]], dtype=np.int64))
    assert isinstance(p, Tensor) and p.requires_grad and p.data.dtype == np.float64
    out = p._result(p.data * 2.0, (p,), "mul", lambda grad: (2.0 * grad,))
    assert out.requires_grad and out.parents[0] is p, "a result computed from a Parameter records it as a parent"
