"""Task 2.7: backpropagation through a whole graph: order, accumulation, reuse, depth."""
import gc
import weakref

import numpy as np
import pytest

from learndyn import Parameter, Tensor
from learndyn.autograd import topological_order
from oracle import assert_close
from oracle.op_checks import check_backward
from oracle.op_table import cases_for
from oracle.memory import assert_training_memory_is_flat

pytestmark = pytest.mark.task("2.7")


def test_x_times_x_accumulates_both_paths():
    x = Tensor([1.5, -2.0, 0.5], requires_grad=True)
    (x * x).backward(np.array([1.0, 2.0, -1.0]))
    assert_close(x.grad, 2 * x.data * np.array([1.0, 2.0, -1.0]), rtol=1e-12, atol=0, what="d(x*x)/dx",
                 alternatives={"only one of the two uses of x was counted: add (+=) into a node's gradient, never overwrite": x.data * np.array([1.0, 2.0, -1.0])})


def test_node_used_as_both_inputs():
    x = Tensor([[0.3, -1.2], [2.0, 0.7]], requires_grad=True)
    y = x.tanh()
    (y + y).sum().backward()
    assert_close(x.grad, 2 * (1 - np.tanh(x.data) ** 2), rtol=1e-12, atol=0, what="d sum(y + y) / dx with y = tanh(x)",
                 alternatives={"y's gradient was overwritten by its second use instead of accumulated": 1 - np.tanh(x.data) ** 2})


def test_diamond_sends_the_complete_gradient_through_the_shared_node():
    # x -> a = 2x -> (b = a**2, c = 3a) -> d = b + c.  dd/dx = (2a + 3) * 2.
    x = Tensor([0.5, -1.0, 2.0], requires_grad=True)
    a = x * 2.0
    d = a**2 + a * 3.0
    upstream = np.array([0.7, -1.3, 2.1])
    d.backward(upstream)
    expected = (2 * (2 * x.data) + 3) * 2 * upstream
    assert_close(x.grad, expected, rtol=1e-12, atol=1e-12, what="gradient through a diamond",
                 alternatives={"a node was processed before all its children sent their gradient (order?)": 2 * 2 * (2 * x.data) * upstream})


def test_a_chain_of_10000_ops_does_not_hit_the_recursion_limit():
    x = Tensor(1.0, requires_grad=True)
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    try:
        y.backward()
    except RecursionError:
        pytest.fail("RecursionError on a 10,000-op chain: build the topological order with an explicit stack")
    assert_close(x.grad, 1.0001**10_000, rtol=1e-9, atol=0, what="gradient through a 10,000-op chain")


def test_topological_order_lists_each_node_once_after_its_parents():
    rng = np.random.default_rng(7)
    leaves = [Tensor(rng.normal(), requires_grad=True) for _ in range(4)]
    nodes = list(leaves)
    for _ in range(40):  # a random DAG with shared nodes
        i, j = rng.integers(0, len(nodes), size=2)
        nodes.append(nodes[i] * nodes[j] if rng.random() < 0.5 else nodes[i] + nodes[j])
    root = nodes[-1]
    order = topological_order(root)
    ids = [id(n) for n in order]
    assert len(ids) == len(set(ids)), "a node appears twice in the topological order"
    assert order[-1] is root, "the root must come last"
    position = {id(n): k for k, n in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert id(parent) in position, "a parent of a listed node is missing"
            assert position[id(parent)] < position[id(node)], "a parent comes after its child"


def test_scalar_output_defaults_to_grad_one_and_nonscalar_needs_grad():
    x = Tensor([1.0, 2.0], requires_grad=True)
    (x * 3.0).sum().backward()
    assert_close(x.grad, [3.0, 3.0], rtol=1e-12, atol=0, what="d sum(3x)/dx")
    with pytest.raises(ValueError):
        (x * 3.0).backward()
    with pytest.raises(ValueError):
        (x * 3.0).backward(np.ones(3))
    # A grad of the wrong shape is refused whichever way it is wrong (shorter or longer, fewer or more axes).
    for wrong in [np.ones(1), np.ones(3), np.ones((2, 1)), np.ones((1, 2))]:
        with pytest.raises(ValueError, match="shape"):
            (x * 3.0).backward(wrong)
    one = Tensor([2.0], requires_grad=True)
    with pytest.raises(ValueError, match="shape"):  # (3,) is not (1,), even though the backward could sum it back
        (one * 3.0).backward(np.ones(3))
    with pytest.raises(ValueError):  # no entries is not one entry either: size != 1, not size > 1
        (Tensor(np.zeros(0), requires_grad=True) * 3.0).backward()


def test_the_upstream_gradient_may_be_a_tensor_and_a_0d_loss_needs_none():
    x = Tensor([1.0, -2.0, 0.5], requires_grad=True)
    (x * x).backward(Tensor([1.0, 10.0, 100.0]))  # as in PyTorch, grad= may be a Tensor as well as an array
    assert_close(x.grad, [2.0, -40.0, 100.0], rtol=1e-15, atol=0, what="d sum(g * x**2) / dx with g given as a Tensor")
    loss = (x * x).sum()
    assert loss.shape == (), f"a full sum is a 0-d tensor, got shape {loss.shape}"
    x.zero_grad()
    loss.backward()
    assert_close(x.grad, [2.0, -4.0, 1.0], rtol=1e-15, atol=0, what="d sum(x**2) / dx through a 0-d loss, grad defaulting to 1")


def test_repeated_backward_accumulates_and_zero_grad_resets():
    w = Parameter([1.0, -2.0])
    (w * w).sum().backward()
    (w * w).sum().backward()
    assert_close(w.grad, 4 * w.data, rtol=1e-12, atol=0, what="gradient after two backward passes",
                 alternatives={"the second backward overwrote .grad instead of adding to it": 2 * w.data})
    w.zero_grad()
    assert w.grad is None
    (w * 1.0).sum().backward()
    assert_close(w.grad, [1.0, 1.0], rtol=1e-12, atol=0, what="gradient after zero_grad and one backward")


def test_gradient_through_a_deep_tanh_chain_matches_the_product_of_derivatives():
    x0 = 0.3
    x = Tensor(x0, requires_grad=True)
    y, values = x, []
    for _ in range(50):
        values.append(y.data.item())
        y = (y * 1.1).tanh()
    y.backward()
    expected = np.prod([1.1 * (1 - np.tanh(1.1 * v) ** 2) for v in values])
    assert_close(x.grad, expected, rtol=1e-10, atol=0, what="gradient through 50 tanh layers")


def test_the_graph_is_freed_when_the_loss_is_dropped():
    w = Parameter(np.ones((3, 3)))
    hidden = (w @ np.ones(3)).tanh()
    loss = (hidden * hidden).sum()
    loss.backward()
    probe = weakref.ref(hidden)
    gc.disable()
    try:
        del hidden, loss
        assert probe() is None, (
            "an intermediate tensor survived its graph: a reference cycle? (a backward closure must keep "
            "arrays such as out.data, never the output Tensor itself)"
        )
    finally:
        gc.enable()
    assert w.grad is not None and w.grad.shape == (3, 3)


def test_a_thousand_training_steps_do_not_grow_memory():
    
    from learndyn import no_grad

    # A 4-16-1 tanh network written with raw Tensors (modules are task 2.9), trained by plain gradient descent.
    rng = np.random.default_rng(0)
    params = [Parameter(rng.normal(size=(4, 16)) / 2), Parameter(np.zeros(16)),
              Parameter(rng.normal(size=(16, 1)) / 4), Parameter(np.zeros(1))]
    w1, b1, w2, b2 = params
    x, y = rng.normal(size=(8, 4)), rng.normal(size=(8, 1))

    def train(steps):
        for _ in range(steps):
            for p in params:
                p.zero_grad()
            ((((x @ w1 + b1).tanh() @ w2 + b2) - y) ** 2).mean().backward()
            with no_grad():
                for p in params:
                    p.data -= 0.01 * p.grad

    assert_training_memory_is_flat(train)


def test_backward_frees_the_graph_and_a_second_pass_through_it_raises():
    x = Tensor([0.5, -1.5], requires_grad=True)
    hidden = x.tanh()
    first, second = (hidden * 2.0).sum(), (hidden * 3.0).sum()
    first.backward()
    assert tuple(hidden.parents) == (), "after backward() each node should have released its parents (the graph is freed)"
    with pytest.raises(RuntimeError):
        second.backward()  # reaches `hidden`, whose graph the first pass freed: it must not stop silently
    assert_close(x.grad, 2 * (1 - np.tanh(x.data) ** 2), rtol=1e-12, atol=0, what="gradient of the first loss")


def test_only_inputs_that_require_grad_get_a_gradient():
    a, b = Tensor(np.ones((2, 3)), requires_grad=True), Tensor(np.full((2, 3), 2.0))
    upstream = np.array([[0.3, -1.1, 0.8], [1.7, -0.4, 0.9]])
    (a * b).backward(upstream)
    assert b.grad is None, "a constant (requires_grad=False) must not receive a gradient"
    constant = b * 3.0  # no input requires grad: a constant result
    constant.backward(upstream)
    assert constant.grad is None and b.grad is None, (
        "backward() on a result that does not require grad must give no tensor a .grad (skip every node with "
        "requires_grad=False, the root included)")
    assert_close(a.grad, 2.0 * upstream, rtol=1e-12, atol=0, what="d loss / d a of a * b with b = 2 a constant")


@pytest.mark.parametrize("op_task", ["2.2", "2.3", "2.4", "2.5", "2.6"],
                         ids=["arithmetic", "matmul", "functions", "reductions", "shape-ops"])
def test_every_op_of_the_table_through_tensor_backward(op_task):
    # The ops' backward closures were graded through the tests' own sweep (tasks 2.2-2.6); here the same
    # cases go through your Tensor.backward and land in .grad: graph walk, None for a skipped input, shapes.
    for case in cases_for(op_task, "backward"):
        check_backward(case, Tensor, through_tensor_backward=True)
