"""Task 2.14: the input-output Jacobian of a deep net and its squared singular values.

Laws (N = 256, L = 20): a deep linear Gaussian net (Var(W) = 1/N) has squared singular values
of mean 1 and variance about L; an orthogonal one has every singular value equal to 1.
"""
from functools import lru_cache

import numpy as np
import pytest

from learndyn.credit.depth import deep_mlp
from learndyn.credit.isometry import input_output_jacobian, squared_singular_values
from learndyn.nn import MLP
from oracle import assert_close
from oracle.stage2_credit import PHI

pytestmark = pytest.mark.task("2.14")

WIDTH, DEPTH = 256, 20


def numpy_forward(weights, biases, activations, inputs):
    x = inputs
    for w, b, name in zip(weights, biases, activations):
        x = PHI[name][0](x @ w.T + b)
    return x


def test_jacobian_of_a_small_tanh_net_matches_central_differences():
    rng = np.random.default_rng(7)
    model = MLP([4, 6, 5, 3], activation="tanh", output_activation="tanh", init="lecun", gain=1.4, rng=rng)
    for layer in model.layers:
        layer.bias.data += rng.normal(0, 0.2, size=layer.bias.shape)
    weights = [layer.weight.data for layer in model.layers]
    biases = [layer.bias.data for layer in model.layers]
    x, eps = rng.normal(size=4), 1e-6
    steps = eps * np.eye(4)
    forward = lambda points: numpy_forward(weights, biases, ["tanh"] * 3, points)
    expected = ((forward(x + steps) - forward(x - steps)) / (2 * eps)).T  # column j = d output / d x_j
    # Central differences: truncation eps**2 |f'''| / 6 ~ 1e-13, rounding 1e-16 / eps ~ 1e-10: atol 1e-8.
    assert_close(input_output_jacobian(model, x), expected, rtol=1e-7, atol=1e-8,
                 what="input_output_jacobian: J[i, j] = d output_i / d x_j (shape (n_out, n_in))",
                 alternatives={"summed over outputs (backward of sum(output) sends ones to every row)": np.tile(expected.sum(axis=0), (3, 1))})


def test_jacobian_of_a_linear_net_is_the_product_of_its_weights():
    rng = np.random.default_rng(8)
    model = MLP([5, 7, 7, 4], activation="linear", init="xavier", rng=rng)
    expected = model.layers[2].weight.data @ model.layers[1].weight.data @ model.layers[0].weight.data
    # Rounding only (products of order-1 numbers): rtol 1e-10.
    assert_close(input_output_jacobian(model, rng.normal(size=5)), expected, rtol=1e-10, atol=1e-12,
                 what="Jacobian of a linear net = W_3 @ W_2 @ W_1")


def test_squared_singular_values_are_the_eigenvalues_of_j_jt():
    rng = np.random.default_rng(9)
    jacobian = rng.normal(size=(6, 4))
    got = squared_singular_values(jacobian)
    expected = np.sort(np.linalg.eigvalsh(jacobian.T @ jacobian))[::-1]
    # eigvalsh of J.T J against squared SVD: both backward stable, ~1e-14 relative to the largest.
    assert_close(got, expected, rtol=1e-9, atol=1e-12, what="squared singular values of a 6x4 matrix, largest first",
                 alternatives={"singular values, not squared": np.sqrt(expected), "smallest first": expected[::-1]})


@lru_cache(maxsize=None)
def spectra(init: str, seeds: tuple) -> tuple:
    found = []
    for seed in seeds:
        rng = np.random.default_rng(3000 + seed)
        model = deep_mlp(WIDTH, DEPTH, "linear", init, 1.0, rng)
        found.append(squared_singular_values(input_output_jacobian(model, rng.normal(size=WIDTH))))
    return tuple(found)


def test_deep_linear_gaussian_net_mean_one_variance_about_depth():
    runs = spectra("lecun", (0, 1, 2))
    mean = np.mean([s.mean() for s in runs])
    variance = np.mean([s.var() for s in runs])
    # E[s**2] = trace(J J.T) / N = 1 exactly in expectation; measured sd 0.09 per net, 0.05 for 3: |log| < 0.2.
    assert abs(np.log(mean)) < 0.2, f"linear Gaussian net, L = 20: mean squared singular value {mean:.3f}, predicted 1"
    # For wide layers Var[s**2] -> L (the second Fuss-Catalan moment is L + 1); finite width adds O(L**2 / N):
    # measured mean 22.3 over 30 nets (sd of log(mean of 3) 0.14).  Band: |log(variance / L)| < 0.55.
    assert abs(np.log(variance / DEPTH)) < 0.55, (
        f"linear Gaussian net, L = 20: variance of the squared singular values {variance:.1f}, predicted about L = 20: "
        "each layer multiplies in its own spread, so the spectrum widens with depth")


def test_orthogonal_init_gives_dynamical_isometry():
    (spectrum,) = spectra("orthogonal", (0,))
    # A product of 20 orthogonal matrices is orthogonal up to rounding (~20 * 1e-15 per entry).
    assert_close(spectrum, np.ones(WIDTH), rtol=0, atol=1e-10, what="squared singular values of a 20-layer orthogonal linear net")


def test_depth_experiment_names_vanishing_and_exploding_credit():
    from learndyn.experiments import depth_gradients

    result = depth_gradients.run(width=64, depth=20, seeds=1, batch=8)
    # The experiment uses tasks 2.12-2.14 (profiles, mean field, Jacobian spectra), so it is graded with the last of them.
    # At width 64 the per-layer factors scatter more (log-variance ~5 L / N), but the verdicts are
    # decades apart: relu 1/N loses 2**-19 of its credit, tanh 5/3 gains ~2**4.4, He keeps it within 2**+-1.5.
    lines = {name: line for name in result.names for line in result.summary().splitlines() if line.strip().startswith(name)}
    assert "vanishing" in lines["relu, 1/N"] and "exploding" in lines["tanh, gain 5/3"] and "kept" in lines["relu, He (2/N)"], result.summary()
    assert result.credit_ratio("relu, 1/N") < 1e-4 < 10 < result.credit_ratio("tanh, gain 5/3"), result.summary()
