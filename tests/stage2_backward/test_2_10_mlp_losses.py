"""Task 2.10: the MLP's forward pass and the two losses."""
import numpy as np
import pytest

from learndyn import Tensor
from learndyn import nn
from oracle import assert_close, central_difference
from oracle.memory import assert_training_memory_is_flat

pytestmark = pytest.mark.task("2.10")

NUMPY_ACTIVATIONS = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0), "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "linear": lambda z: z}


@pytest.mark.parametrize("activation,output_activation", [("tanh", "linear"), ("relu", "linear"), ("sigmoid", "sigmoid"), ("tanh", "tanh")])
def test_mlp_forward_matches_numpy(activation, output_activation):
    rng = np.random.default_rng(0)
    model = nn.MLP([3, 5, 4, 2], activation=activation, output_activation=output_activation, rng=rng)
    for layer in model.layers:
        layer.bias.data[:] = rng.normal(size=layer.bias.shape)
    x = rng.normal(size=(6, 3))
    h = x
    for k, layer in enumerate(model.layers):
        h = h @ layer.weight.data.T + layer.bias.data
        h = NUMPY_ACTIVATIONS[activation if k < len(model.layers) - 1 else output_activation](h)
    assert len(model.layers) == 3 and len(model.parameters()) == 6
    assert_close(model(x).data, h, rtol=1e-10, atol=1e-12, what=f"MLP[3, 5, 4, 2] ({activation}, output {output_activation})")


def test_mse_value_and_gradient():
    rng = np.random.default_rng(1)
    p, t = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    prediction = Tensor(p, requires_grad=True)
    loss = nn.mse_loss(prediction, t)
    assert_close(loss.data, np.mean((p - t) ** 2), rtol=1e-12, atol=0, what="mse_loss value")
    loss.backward(np.array(1.7))  # a random-looking upstream gradient, not 1
    assert_close(prediction.grad, 1.7 * 2 * (p - t) / p.size, rtol=1e-10, atol=0, what="d mse / d prediction",
                 alternatives={"the 1/n of the mean is missing": 1.7 * 2 * (p - t)})
    with pytest.raises(ValueError):
        nn.mse_loss(Tensor(np.ones((4, 3))), np.ones((4,)))


def _numpy_cross_entropy(z, labels):
    shifted = z - z.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_softmax[np.arange(len(labels)), labels].mean()


def test_cross_entropy_value_and_gradient():
    rng = np.random.default_rng(2)
    z, labels = 2 * rng.normal(size=(5, 4)), np.array([0, 3, 1, 1, 2])
    logits = Tensor(z, requires_grad=True)
    loss = nn.cross_entropy(logits, labels)
    assert_close(loss.data, _numpy_cross_entropy(z, labels), rtol=1e-12, atol=0, what="cross_entropy value")
    loss.backward(np.array(0.8))
    softmax = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    expected = 0.8 * (softmax - np.eye(4)[labels]) / len(labels)
    assert_close(logits.grad, expected, rtol=1e-9, atol=1e-12, what="d cross_entropy / d logits = (softmax - onehot) / N")
    numeric = central_difference(lambda a: 0.8 * _numpy_cross_entropy(a, labels), [z], 0)
    assert_close(logits.grad, numeric, rtol=1e-6, atol=1e-7, what="cross_entropy gradient vs central differences")


def test_cross_entropy_is_stable_for_huge_logits():
    logits = Tensor([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 0.0]], requires_grad=True)
    with np.errstate(over="raise", invalid="raise"):
        try:
            loss = nn.cross_entropy(logits, [2, 1])
            loss.backward()
        except FloatingPointError as error:
            pytest.fail(f"cross_entropy overflowed ({error}): subtract the row maximum before exp")
    assert_close(loss.data, 1000.0, rtol=1e-12, atol=0, what="cross_entropy with logits +-1000 (labels 2, 1)")
    assert np.all(np.isfinite(logits.grad))


def test_cross_entropy_rejects_bad_labels():
    with pytest.raises(ValueError):
        nn.cross_entropy(Tensor(np.zeros((2, 3))), [0, 3])
    with pytest.raises(ValueError):
        nn.cross_entropy(Tensor(np.zeros((2, 3))), [0])
    assert nn.cross_entropy(Tensor(np.zeros((2, 3))), [0, 2]).item() == pytest.approx(np.log(3), rel=1e-12)


def test_a_thousand_training_steps_of_an_mlp_do_not_grow_memory():
    # Task 2.7 checks this for a network of raw Tensors; here the same through your modules and loss
    # (a module that kept its last output or input alive, or a loss kept in a list, would leak).
        
    from learndyn import no_grad

    rng = np.random.default_rng(0)
    model = nn.MLP([4, 16, 1], rng=rng)
    x, y = rng.normal(size=(8, 4)), rng.normal(size=(8, 1))

    def train(steps):
        for _ in range(steps):
            model.zero_grad()
            nn.mse_loss(model(x), y).backward()
            with no_grad():
                for p in model.parameters():
                    p.data -= 0.01 * p.grad

    assert_training_memory_is_flat(train)
