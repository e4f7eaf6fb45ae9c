"""Task 2.9: Module.named_parameters (and parameters), Linear, and the initialisation rules."""
import numpy as np
import pytest

from learndyn import Parameter, Tensor
from learndyn import nn
from oracle import assert_close

pytestmark = pytest.mark.task("2.9")


def test_linear_computes_x_weight_transpose_plus_bias():
    layer = nn.Linear(4, 3, rng=np.random.default_rng(0))
    layer.bias.data[:] = [0.5, -1.0, 2.0]
    x = np.random.default_rng(1).normal(size=(5, 4))
    assert_close(layer(x).data, x @ layer.weight.data.T + layer.bias.data, rtol=1e-12, atol=1e-12, what="Linear(4, 3) on a batch of 5")
    assert_close(layer(x[0]).data, layer.weight.data @ x[0] + layer.bias.data, rtol=1e-12, atol=1e-12, what="Linear(4, 3) on one input")


def test_linear_gradients_with_a_random_upstream_gradient():
    rng = np.random.default_rng(2)
    layer = nn.Linear(4, 3, rng=rng)
    x = rng.normal(size=(5, 4))
    upstream = rng.normal(size=(5, 3))
    layer(x).backward(upstream)
    assert_close(layer.weight.grad, upstream.T @ x, rtol=1e-10, atol=1e-12, what="d loss / d weight")
    assert_close(layer.bias.grad, upstream.sum(axis=0), rtol=1e-10, atol=1e-12, what="d loss / d bias")


class Pair(nn.Module):
    def __init__(self):
        self.first = nn.Linear(2, 3)
        self.blocks = [nn.Linear(3, 3), nn.Linear(3, 1, bias=False)]
        self.scale = Parameter(1.0)
        self.shared = self.scale  # the same Parameter twice must be listed once
        self.constant = Tensor(5.0)  # not a Parameter: not state
        self.heads = {"query": Parameter(np.ones(2)), "key": nn.Linear(1, 1)}  # dicts of Parameters and of Modules
        self.pair = (Parameter(2.0), 3.0)  # a tuple, walked like a list


PAIR_PATHS = ["first.weight", "first.bias", "blocks.0.weight", "blocks.0.bias", "blocks.1.weight", "scale",
              "heads.query", "heads.key.weight", "heads.key.bias", "pair.0"]


def pair_parameters_in_order(model: Pair) -> list:
    return [model.first.weight, model.first.bias, model.blocks[0].weight, model.blocks[0].bias, model.blocks[1].weight,
            model.scale, model.heads["query"], model.heads["key"].weight, model.heads["key"].bias, model.pair[0]]


def describe(params, model: Pair) -> list[str]:
    """Each parameter by its path in PAIR_PATHS (so a failing order is readable)."""
    names = {id(p): path for path, p in zip(PAIR_PATHS, pair_parameters_in_order(model))}
    return [names.get(id(p), f"<not a parameter of the model: {type(p).__name__}>") for p in params]


def test_parameters_finds_nested_modules_lists_dicts_and_shared_parameters_once_in_attribute_order():
    model = Pair()
    params = model.parameters()
    expected = pair_parameters_in_order(model)
    assert not any(p is model.constant for p in params), "a plain Tensor is not a parameter"
    assert len(params) == len(expected), (
        f"expected {len(expected)} parameters {PAIR_PATHS}, got {len(params)}: {describe(params, model)} "
        "(are dicts walked, and is a Parameter reachable twice listed once?)")
    assert all(p is q for p, q in zip(params, expected)), (
        f"parameters() must follow the attributes in the order they were set, depth first, lists by index and dicts "
        f"in insertion order: expected {PAIR_PATHS}, got {describe(params, model)}")


def test_named_parameters_gives_dotted_paths_and_lists_tied_parameters_on_request():
    model = Pair()
    named = model.named_parameters()
    assert [path for path, _ in named] == PAIR_PATHS, f"paths: expected {PAIR_PATHS}, got {[path for path, _ in named]}"
    assert all(p is q for (_, p), q in zip(named, pair_parameters_in_order(model))), "a path names the wrong parameter"
    every_path = [path for path, _ in model.named_parameters(remove_duplicate=False)]
    assert every_path == PAIR_PATHS[:6] + ["shared"] + PAIR_PATHS[6:], (
        f"remove_duplicate=False lists every path to a shared Parameter (scale and shared), got {every_path}")


def test_zero_grad_clears_every_parameter():
    model = Pair()
    for p in model.parameters():
        p.grad = np.ones_like(p.data)
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


# Variance of a sample variance over n = 512 * 256 entries: relative std sqrt(2 / n) = 0.4%,
# so 2% is a 5-sigma band; a wrong rule (e.g. fan_out for fan_in, or a missing 2) is off by >= 30%.
@pytest.mark.parametrize("name,expected_variance", [
    ("lecun", 1.0 / 256), ("xavier", 2.0 / (256 + 512)), ("he", 2.0 / 256)])
@pytest.mark.parametrize("gain", [1.0, 5.0 / 3.0])
def test_initialisation_variance_rules(name, expected_variance, gain):
    weights = nn.init.INITIALIZERS[name]((512, 256), gain=gain, rng=np.random.default_rng(4))
    assert weights.shape == (512, 256)
    variance = weights.var()
    target = gain**2 * expected_variance
    assert abs(variance / target - 1) < 0.02, f"{name} init (gain {gain:.3g}) on shape (fan_out=512, fan_in=256): variance {variance:.5g}, expected {target:.5g}"
    assert abs(weights.mean()) < 5 * np.sqrt(target / weights.size), "weights should have mean 0"


@pytest.mark.parametrize("shape", [(384, 192), (320, 192)], ids=["fans 192+384", "fans 192+320"])
def test_xavier_uses_the_sum_of_the_fans(shape):
    # Fans whose bits overlap (192 = 0b11000000), so fan_in + fan_out, fan_in | fan_out and fan_in ^ fan_out differ.
    # Relative std of the sample variance over n >= 61,440 entries: sqrt(2 / n) <= 0.6%: a 3% band is 5 sigma.
    weights = nn.init.INITIALIZERS["xavier"](shape, gain=1.0, rng=np.random.default_rng(8))
    target = 2.0 / (shape[0] + shape[1])
    assert abs(weights.var() / target - 1) < 0.03, (
        f"xavier on shape (fan_out={shape[0]}, fan_in={shape[1]}): variance {weights.var():.5g}, expected "
        f"2 / (fan_in + fan_out) = {target:.5g}")


@pytest.mark.parametrize("shape", [(4, 4), (3, 6), (6, 3)])
def test_orthogonal_init_has_orthonormal_rows_or_columns(shape):
    weights = nn.init.orthogonal(shape, gain=2.0, rng=np.random.default_rng(5))
    assert weights.shape == shape
    gram = weights @ weights.T if shape[0] <= shape[1] else weights.T @ weights
    assert_close(gram, 4.0 * np.eye(min(shape)), rtol=0, atol=1e-12, what=f"W W^T (or W^T W) of a gain-2 orthogonal {shape}")
    singular_values = np.linalg.svd(weights, compute_uv=False)
    assert_close(singular_values, np.full(min(shape), 2.0), rtol=1e-12, atol=0, what="singular values of a gain-2 orthogonal matrix")


def test_linear_rejects_an_unknown_init_and_uses_a_known_one():
    layer = nn.Linear(300, 200, init="he", rng=np.random.default_rng(6))
    assert abs(layer.weight.data.var() * 300 / 2 - 1) < 0.03
    with pytest.raises(ValueError, match="init"):
        nn.Linear(3, 2, init="gaussian")
