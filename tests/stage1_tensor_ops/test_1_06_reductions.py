"""Task 1.6: sum, mean, max over any axes, with keepdims; and the graph experiment, which needs them last."""
import numpy as np
import pytest

from learndyn import Tensor
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
