"""Task 1.6: sum, mean, max over any axes, with keepdims; and the graph experiment, which needs them last."""
import numpy as np
import pytest

from learndyn import Tensor
from oracle import assert_close
from oracle.op_checks import check_forward, check_records_graph
from oracle.op_table import cases_for

pytestmark = pytest.mark.task("1.6")


@pytest.mark.parametrize("case", cases_for("1.6", "forward"), ids=lambda c: c.id)
def test_forward_matches_numpy(case):
    check_forward(case, Tensor)


# op name -> (the op applied to a and b, how many inputs it records); recording itself is task 1.2.
RECORDS = {
    "sum": (lambda a, b: a.sum(), 1),
    "mean": (lambda a, b: a.mean(axis=0), 1),
    "max": (lambda a, b: a.max(), 1),
}


@pytest.mark.parametrize("op", RECORDS)
def test_each_op_records_its_name_and_inputs(op):
    apply, inputs = RECORDS[op]
    check_records_graph(op, apply, Tensor, inputs)


def test_full_reduction_gives_a_scalar_tensor():
    out = Tensor(np.arange(6.0).reshape(2, 3)).mean()
    assert isinstance(out, Tensor) and out.shape == () and out.item() == 2.5


def test_the_graph_experiment_reads_back_every_op_and_leaf():
    # Graded with task 1.6: the experiment's loss needs every op up to mean (tasks 1.3-1.6) and reading
    # it back needs the recording of task 1.2; it can first pass here.
    from learndyn.experiments import graph

    result = graph.run(seed=0)
    # Counted by hand from mean((tanh(x @ w1 + b1) @ w2 + b2 - y) ** 2): two matmuls, three adds (the last
    # is output + (-y): subtraction is add and negate), tanh, pow, mean. Leaves: x, w1, b1, w2, b2 and the
    # constant -y (y itself never enters the graph: negating a constant records nothing).
    assert result.op_counts() == {"matmul": 2, "add": 3, "tanh": 1, "pow": 1, "mean": 1}, (
        f"ops read back through .parents and .op: {result.op_counts()}")
    assert (len(result.nodes), len(result.edges)) == (14, 13), f"{len(result.nodes)} nodes, {len(result.edges)} edges"
    assert sorted(n["label"] for n in result.nodes if n["kind"] == "parameter") == ["b1", "b2", "w1", "w2"]
    rng = np.random.default_rng(0)
    w1, w2 = rng.normal(size=(2, 3)), rng.normal(size=(3, 1))
    x, y = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]), np.array([[0.0], [1.0], [1.0], [0.0]])
    expected = np.mean((np.tanh(x @ w1) @ w2 - y) ** 2)  # the biases start at zero
    assert abs(result.loss - expected) <= 1e-12 * expected, f"loss {result.loss}, expected {expected}"


def test_numpy_integer_and_negative_axes_reduce_the_same_axes_as_plain_ones():
    # An axis often comes out of NumPy (x.ndim - 1, np.argmax, a loop over np.arange): np.int64, not int.
    t = Tensor(np.arange(24.0).reshape(2, 3, 4))
    for axis, plain in [(np.int64(-1), 2), ((np.int64(0), -1), (0, 2)), ((-1, -3), (2, 0))]:
        for reduce in ("sum", "mean", "max"):
            out = getattr(t, reduce)(axis=axis)
            expected = getattr(t.data, reduce)(axis=plain)
            assert_close(out.data, expected, rtol=1e-12, atol=0, what=f"{reduce}(axis={axis!r}) (the same axes as axis={plain})")


def test_axis_outside_the_contract_raises_an_error_naming_it():
    t = Tensor(np.arange(6.0).reshape(2, 3))
    assert_close(t.sum(axis=-1).data, [3.0, 12.0], rtol=0, atol=0, what="sum(axis=-1) of [[0, 1, 2], [3, 4, 5]]")
    # Wrong value: ValueError; wrong type: TypeError; either way the message names axis and what it got.
    for bad, error in [(2, ValueError), (-3, ValueError), ((0, -2), ValueError), (1.5, TypeError), ([0, 1], TypeError),
                       (True, TypeError)]:
        with pytest.raises(error) as info:
            t.sum(axis=bad)
        assert "axis" in str(info.value) and repr(bad) in str(info.value), (
            f"sum(axis={bad!r}) on shape (2, 3): the {error.__name__} should name axis and the value {bad!r}, got: {info.value}")
    scalar = Tensor(2.5)
    assert scalar.sum().item() == 2.5 and scalar.max(axis=()).item() == 2.5, "a 0-d tensor reduces over no axes (axis None or ())"
    with pytest.raises(ValueError, match="0-d"):
        scalar.sum(axis=0)


def test_max_over_an_empty_axis_is_refused():
    t = Tensor(np.zeros((0, 3)))
    assert t.sum(axis=0).shape == (3,) and t.max(axis=1).shape == (0,), "reductions over a non-empty axis of an empty tensor work"
    with pytest.raises(ValueError, match="length 0"):
        t.max(axis=0)  # the maximum of no entries is undefined
