"""Task 1.2: results record parents and op only when gradients can flow."""
import numpy as np
import pytest

from learndyn import Parameter, Tensor, no_grad

pytestmark = pytest.mark.task("1.2")

OPS = {
    "add": lambda a, b: a + b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a**2,
    "matmul": lambda a, b: a @ b,
    "exp": lambda a, b: a.exp(),
    "log": lambda a, b: a.log(),
    "tanh": lambda a, b: a.tanh(),
    "sigmoid": lambda a, b: a.sigmoid(),
    "relu": lambda a, b: a.relu(),
    "sum": lambda a, b: a.sum(),
    "mean": lambda a, b: a.mean(axis=0),
    "max": lambda a, b: a.max(),
    "reshape": lambda a, b: a.reshape(4),
    "transpose": lambda a, b: a.T,
    "getitem": lambda a, b: a[0],
}


def operands(requires_grad=True):
    return Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=requires_grad), Tensor([[0.5, 1.5], [2.5, 3.5]])


@pytest.mark.parametrize("op", OPS)
def test_each_op_records_its_name_and_parents(op):
    a, b = operands()
    out = OPS[op](a, b)
    assert out.requires_grad, f"{op}: the result of an op on a tensor that requires grad must require grad"
    assert out.op == op, f"{op}: result.op is {out.op!r}, expected {op!r}"
    assert any(p is a for p in out.parents), f"{op}: the input tensor itself must be among result.parents"


def test_binary_op_records_both_parents_in_order():
    a, b = operands()
    out = a * b
    assert len(out.parents) == 2 and out.parents[0] is a and out.parents[1] is b


@pytest.mark.parametrize("op", ["add", "matmul", "tanh", "sum"])
def test_constants_record_no_graph(op):
    a, b = operands(requires_grad=False)
    out = OPS[op](a, b)
    assert not out.requires_grad and tuple(out.parents) == (), f"{op} on constants must not record a graph"


def test_no_grad_records_nothing_and_restores_the_mode():
    a, b = operands()
    with no_grad():
        inside = a * b
    after = a * b
    assert not inside.requires_grad and tuple(inside.parents) == (), "inside no_grad() nothing is recorded"
    assert after.requires_grad and len(after.parents) == 2, "after the no_grad() block recording resumes"


def test_no_grad_restores_the_mode_after_an_exception_and_when_nested():
    a, b = operands()
    with pytest.raises(RuntimeError):
        with no_grad():
            raise RuntimeError("boom")
    with no_grad():
        with no_grad():
            pass
        still_inside = a + b
    assert not still_inside.requires_grad, "leaving an inner no_grad() must not switch recording back on"
    assert (a + b).requires_grad, "recording must be back on after the blocks, also after an exception"


def test_parameter_is_a_tensor_that_requires_grad():
    p = Parameter(np.array([[1, 2]], dtype=np.int64))
    assert isinstance(p, Tensor) and p.requires_grad and p.data.dtype == np.float64
    out = p * 2.0
    assert out.requires_grad and out.parents[0] is p


def test_the_graph_experiment_reads_back_every_op_and_leaf():
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
