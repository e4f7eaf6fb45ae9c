"""Task 2.12: signal variance and gradient size, layer by layer, in a deep MLP.

The laws (N = 256 units, L = 20 layers, 3 seeds, compared in log2):
ReLU + He keeps the signal; ReLU with Var(W) = 1/N halves it per layer; tanh at gain 1
decays like 1/(2 l); tanh at gain 5/3 grows gradients backwards by chi > 1 per layer.

Tolerances come from the seed-to-seed scatter of a finite-width net.  The log of a signal's
squared norm after L ReLU layers has variance about 5 L / N (Hanin & Nica 2019): 0.37 in
nat**2 at L = 19, N = 256, i.e. a standard deviation of 0.88 in log2 per seed, measured
0.83 over 12 seeds; the mean of 3 seeds has sd 0.5.  Backward ratios scatter less
(measured sd 0.44 per seed, 0.25 for 3).  Bands of about 4 sd: wide enough for honest
finite-N noise, far narrower than the 19-unit effect of a wrong variance rule.
"""
from functools import lru_cache

import numpy as np
import pytest

from learndyn.credit.depth import DepthProfile, deep_mlp, depth_profile
from learndyn.nn import MLP
from oracle import assert_close
from oracle.stage2_credit import mean_field_recursion, numpy_mlp_backprop

pytestmark = pytest.mark.task("2.12")

WIDTH, DEPTH, SEEDS = 256, 20, (0, 1, 2)


@lru_cache(maxsize=None)
def profiles(activation: str, init: str, gain: float) -> tuple[DepthProfile, ...]:
    """depth_profile of 3 independent nets (unit-variance Gaussian inputs and upstream gradients)."""
    found = []
    for seed in SEEDS:
        rng = np.random.default_rng(1000 + seed)
        model = deep_mlp(WIDTH, DEPTH, activation, init, gain, rng)
        found.append(depth_profile(model, rng.normal(size=(16, WIDTH)), rng.normal(size=(16, WIDTH))))
    return tuple(found)


def mean_log2(values) -> float:
    return float(np.mean(np.log2(values)))


@pytest.mark.parametrize("sizes", [[5, 7, 4], [5, 7, 6, 5, 4]], ids=["2 layers", "4 layers"])
def test_only_the_last_layer_uses_the_output_activation_at_any_depth(sizes):
    # An even number of layers too: "the last layer" must be index len(layers) - 1 whatever the count.
    rng = np.random.default_rng(6)
    model = MLP(sizes, activation="tanh", output_activation="sigmoid", init="lecun", gain=1.5, rng=rng)
    inputs, upstream = rng.normal(size=(9, sizes[0])), rng.normal(size=(9, sizes[-1]))
    weights = [layer.weight.data for layer in model.layers]
    biases = [layer.bias.data for layer in model.layers]
    activations = ["tanh"] * (len(sizes) - 2) + ["sigmoid"]
    _, deltas = numpy_mlp_backprop(weights, biases, activations, inputs, upstream)
    result = depth_profile(model, inputs, upstream)
    # Same arithmetic in another order: rounding only, ~1e-15 relative.
    assert_close(result.backward_variance, [np.mean(d**2) for d in deltas], rtol=1e-10, atol=1e-14,
                 what=f"backward_variance of a {len(sizes) - 1}-layer MLP (sigmoid on the last layer only)",
                 alternatives={"the last layer used model.activation instead of model.output_activation":
                               [np.mean(d**2) for d in numpy_mlp_backprop(weights, biases, ["tanh"] * (len(sizes) - 1), inputs, upstream)[1]]})


def test_profile_matches_a_hand_written_backprop():
    rng = np.random.default_rng(5)
    model = MLP([5, 7, 6, 4], activation="tanh", output_activation="sigmoid", init="lecun", gain=1.5, rng=rng)
    for layer in model.layers:
        layer.bias.data += rng.normal(0, 0.3, size=layer.bias.shape)  # non-zero biases, so h is not W x
    inputs, upstream = rng.normal(size=(9, 5)), rng.normal(size=(9, 4))
    weights = [layer.weight.data for layer in model.layers]
    biases = [layer.bias.data for layer in model.layers]
    pre, deltas = numpy_mlp_backprop(weights, biases, ["tanh", "tanh", "sigmoid"], inputs, upstream)
    activations = [np.tanh(h) for h in pre[:2]]
    result = depth_profile(model, inputs, upstream)
    # Same arithmetic in another order: rounding only, ~1e-15 relative.
    assert_close(result.forward_variance, [np.mean(h**2) for h in pre], rtol=1e-10, atol=1e-14,
                 what="forward_variance = mean(h_l**2) of each layer's pre-activation",
                 alternatives={"variance of the activations phi(h_l) instead of the pre-activations h_l":
                               [np.mean(a**2) for a in activations] + [np.mean((1 / (1 + np.exp(-pre[2]))) ** 2)],
                               "np.var (mean removed) instead of the mean square": [np.var(h) for h in pre]})
    assert_close(result.backward_variance, [np.mean(d**2) for d in deltas], rtol=1e-10, atol=1e-14,
                 what="backward_variance = mean((d loss / d h_l)**2) of each layer",
                 alternatives={"the last layer used model.activation instead of model.output_activation":
                               [np.mean(d**2) for d in numpy_mlp_backprop(weights, biases, ["tanh"] * 3, inputs, upstream)[1]],
                               "gradient of the activations phi(h_l) instead of the pre-activations h_l":
                               [np.mean((d @ w) ** 2) for d, w in zip(deltas[1:], weights[1:])] + [np.mean(upstream**2)]})
    inputs_of_layer = [inputs] + activations
    expected_norms = [np.linalg.norm(d.T @ x) for d, x in zip(deltas, inputs_of_layer)]
    assert_close(result.weight_grad_norm, expected_norms, rtol=1e-10, atol=1e-14,
                 what="weight_grad_norm = Frobenius norm of d loss / d W_l")


def test_relu_with_he_init_keeps_signal_and_gradient():
    runs = profiles("relu", "he", 1.0)
    forward = mean_log2([p.forward_variance[-1] / p.forward_variance[0] for p in runs])
    backward = mean_log2([p.backward_variance[0] / p.backward_variance[-1] for p in runs])
    # Prediction: Var(W) = 2/N and E[relu(h)**2] = q/2 give q_{l+1} = q_l, chi = 1: both log2 ratios 0.
    assert abs(forward) < 2.0, f"ReLU + He: log2(signal variance layer 20 / layer 1) = {forward:.2f}, predicted 0 (+-2.0)"
    assert abs(backward) < 1.0, f"ReLU + He: log2(gradient variance layer 1 / layer 20) = {backward:.2f}, predicted 0 (+-1.0)"


def test_relu_with_variance_one_over_n_halves_the_signal_per_layer():
    runs = profiles("relu", "lecun", 1.0)
    forward = mean_log2([p.forward_variance[-1] / p.forward_variance[0] for p in runs])
    backward = mean_log2([p.backward_variance[0] / p.backward_variance[-1] for p in runs])
    # Prediction: q_{l+1} = q_l / 2 and chi = 1/2, so -19 in log2 over 19 layers, forward and backward.
    assert abs(forward + 19) < 2.0, (
        f"ReLU, Var(W) = 1/N: log2(signal variance layer 20 / layer 1) = {forward:.2f}, predicted -19 (+-2.0); "
        "ReLU zeroes half the units, so each layer halves the variance")
    assert abs(backward + 19) < 1.0, f"ReLU, Var(W) = 1/N: log2(gradient variance layer 1 / layer 20) = {backward:.2f}, predicted -19 (+-1.0)"


def test_tanh_at_gain_one_decays_like_one_over_2l():
    runs = profiles("tanh", "lecun", 1.0)
    layers = np.arange(10, DEPTH + 1)
    # q_{l+1} = q_l - 2 q_l**2 + O(q**3)  =>  1/q_{l+1} = 1/q_l + 2 + O(q): 1/q grows by 2 per layer.
    slopes = [np.polyfit(layers, 1 / p.forward_variance[layers - 1], 1)[0] for p in runs]
    # Measured slope sd per seed 0.32 (12 seeds), 0.18 for the mean of 3; the O(q) term lowers it by ~0.05.
    assert abs(np.mean(slopes) - 2) < 0.6, (
        f"tanh, gain 1: 1/forward_variance grows by {np.mean(slopes):.2f} per layer over layers 10-20, predicted 2 (q_l ~ 1/(2 l))")
    predicted, _ = mean_field_recursion(1.0, DEPTH, "tanh", 1.0)
    measured = mean_log2([p.forward_variance[-1] / p.forward_variance[0] for p in runs])
    expected = np.log2(predicted[-1] / predicted[0])  # -5.20
    # Measured sd 0.15 per seed, 0.09 for 3; +-0.4.
    assert abs(measured - expected) < 0.4, f"tanh, gain 1: log2(q_20 / q_1) = {measured:.2f}, the mean-field recursion predicts {expected:.2f}"


def test_tanh_at_gain_five_thirds_grows_gradients_by_chi_per_layer():
    runs = profiles("tanh", "lecun", 5 / 3)
    first_variance = (5 / 3) ** 2  # unit-variance inputs
    _, chi = mean_field_recursion(first_variance, DEPTH, "tanh", (5 / 3) ** 2)
    # backward_variance[l] = chi_l * backward_variance[l+1], so the ratio layer 1 / layer 20 is prod(chi_1..chi_19).
    expected = float(np.sum(np.log2(chi[:-1])))  # 4.39 (chi -> 1.21 at the fixed point)
    measured = mean_log2([p.backward_variance[0] / p.backward_variance[-1] for p in runs])
    assert chi[-1] > 1
    # Measured sd 0.22 per seed, 0.13 for 3: +-0.6.
    assert abs(measured - expected) < 0.6, (
        f"tanh, gain 5/3: log2(gradient variance layer 1 / layer 20) = {measured:.2f}, predicted sum log2(chi_l) = {expected:.2f}: "
        "gradients should grow going backwards (chi > 1)")
