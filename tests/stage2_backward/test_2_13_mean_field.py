"""Task 2.13: the mean-field variance map and the gradient factor chi.

Closed forms for relu and linear, an independent trapezoid-rule oracle for tanh and sigmoid,
and the laws: tanh at gain 1 has 1/q growing by 2 per layer; tanh at gain 5/3 has chi > 1
at its fixed point, and chi predicts the gradient growth measured in a real net.
"""
import numpy as np
import pytest

from learndyn.credit.depth import deep_mlp, depth_profile
from learndyn.credit.mean_field import gaussian_expectation, gradient_factor, variance_map
from oracle import assert_close
from oracle.stage2_credit import PHI, gaussian_average

pytestmark = pytest.mark.task("2.13")

VARIANCES = np.array([0.05, 1.0, 2.5])


def test_gaussian_expectation_of_moments_and_cosine():
    got = [[gaussian_expectation(f, q) for q in VARIANCES] for f in (lambda h: h**2, lambda h: h**4, np.cos)]
    expected = [VARIANCES, 3 * VARIANCES**2, np.exp(-VARIANCES / 2)]
    # Gauss-Hermite with 200 nodes is exact for polynomials of degree < 400 and converges
    # exponentially for cos: rounding only (sum of 200 terms, ~1e-14).
    assert_close(got, expected, rtol=1e-10, atol=1e-13, what="E[h**2], E[h**4], E[cos h] for h ~ N(0, q), q in (0.05, 1, 2.5)",
                 alternatives={"forgot to divide by sqrt(2 pi) (the integral of exp(-z**2 / 2))": np.array(expected) * np.sqrt(2 * np.pi),
                               "scaled the nodes by q instead of sqrt(q)": [VARIANCES**2, 3 * VARIANCES**4, np.exp(-VARIANCES**2 / 2)]})


@pytest.mark.parametrize("activation, weight_variance", [("relu", 2.0), ("tanh", 1.0), ("tanh", 25 / 9), ("sigmoid", 1.7)])
def test_variance_map_and_chi_match_an_independent_integral(activation, weight_variance):
    phi, phi_prime = PHI[activation]
    expected_map = [weight_variance * gaussian_average(lambda h: phi(h) ** 2, q) for q in VARIANCES]
    expected_chi = [weight_variance * gaussian_average(lambda h: phi_prime(h) ** 2, q) for q in VARIANCES]
    # The trapezoid oracle is accurate to ~1e-13 for smooth integrands.  Gauss-Hermite converges
    # more slowly for tanh and sigmoid: their derivatives have complex poles at distance
    # pi / (2 sqrt(q)) ~ 1 from the real axis at q = 2.5, which leaves ~1e-8 relative error at
    # 200 nodes (measured): rtol 1e-6.  relu's step phi' is integrated exactly by the symmetric
    # even-point nodes (1/2) and by the odd-point trapezoid up to half a cell's weight at 0:
    # density * dz / 2 = 0.4 * 1.2e-3 / 2 = 2.4e-4, so relu's chi gets atol 5e-4 * weight_variance.
    chi_atol = 5e-4 * weight_variance if activation == "relu" else 1e-12
    assert_close([variance_map(q, activation, weight_variance) for q in VARIANCES], expected_map, rtol=1e-6, atol=1e-12,
                 what=f"variance_map(q, {activation!r}, {weight_variance:.3g}) = weight_variance * E[phi(h)**2]",
                 alternatives={"E[phi'(h)**2] instead of E[phi(h)**2]": expected_chi,
                               "weight_variance left out": np.array(expected_map) / weight_variance})
    assert_close([gradient_factor(q, activation, weight_variance) for q in VARIANCES], expected_chi, rtol=1e-6, atol=chi_atol,
                 what=f"gradient_factor(q, {activation!r}, {weight_variance:.3g}) = weight_variance * E[phi'(h)**2]",
                 alternatives={"E[phi'(h)]**2 instead of E[phi'(h)**2]":
                               [weight_variance * gaussian_average(phi_prime, q) ** 2 for q in VARIANCES],
                               "E[phi(h)**2] instead of E[phi'(h)**2]": expected_map})


def test_relu_and_linear_closed_forms():
    # He: Var(W) = 2 / fan_in keeps q (q -> 2 * q / 2) and chi = 1; linear multiplies both by weight_variance.
    # Quadrature with an even number of nodes is exact for these (rounding only).
    got = [variance_map(1.3, "relu", 2.0), gradient_factor(1.3, "relu", 2.0), gradient_factor(1.3, "relu", 1.0),
           variance_map(1.3, "linear", 0.8), gradient_factor(1.3, "linear", 0.8)]
    assert_close(got, [1.3, 1.0, 0.5, 1.04, 0.8], rtol=1e-10, atol=1e-12,
                 what="relu: variance_map(1.3, 2) = 1.3, chi(2) = 1, chi(1) = 1/2; linear: variance_map(1.3, 0.8) = 1.04, chi(0.8) = 0.8")


def test_tanh_at_gain_one_adds_two_to_one_over_q_per_layer():
    # q_next = q - 2 q**2 + 17/3 q**3 + ...  =>  1/q_next - 1/q = 2 - (5/3) q + O(q**2).
    for q in (0.01, 0.003):
        increment = 1 / variance_map(q, "tanh", 1.0) - 1 / q
        assert abs(increment - (2 - 5 / 3 * q)) < 30 * q**2, (
            f"tanh, gain 1: 1/variance_map(q) - 1/q = {increment:.6f} at q = {q}, predicted 2 - 5q/3 = {2 - 5 / 3 * q:.6f}: "
            "this is why q_l decays like 1/(2 l)")


def test_chi_at_the_gain_five_thirds_fixed_point_predicts_gradient_growth():
    weight_variance = (5 / 3) ** 2
    q = weight_variance
    for _ in range(30):  # iterate the map to its fixed point q* (converged to 1e-9 after 30 steps)
        q = variance_map(q, "tanh", weight_variance)
    chi = gradient_factor(q, "tanh", weight_variance)
    # Independent fixed point from the oracle: chi(q*) = 1.2098.
    assert abs(chi - 1.2098) < 1e-3, f"tanh, gain 5/3: chi at the fixed point q* = {q:.4f} is {chi:.5f}, expected 1.2098 (> 1: gradients explode)"
    # A 256-wide, 20-deep tanh net at gain 5/3, past its first few layers, grows the mean squared
    # gradient by chi per layer going back.  Layers 8..20 (12 steps) are within 2% of q*.
    ratios = []
    for seed in (0, 1, 2):
        rng = np.random.default_rng(2000 + seed)
        profile = depth_profile(deep_mlp(256, 20, "tanh", "lecun", 5 / 3, rng), rng.normal(size=(16, 256)), rng.normal(size=(16, 256)))
        ratios.append(np.log2(profile.backward_variance[7] / profile.backward_variance[19]) / 12)
    # Measured per-layer log2 growth: sd ~0.02 per seed; 0.015 for 3; predicted log2(1.2098) = 0.275; +-0.06.
    assert abs(np.mean(ratios) - np.log2(chi)) < 0.06, (
        f"measured gradient growth {2 ** np.mean(ratios):.3f} per layer, your chi predicts {chi:.3f}")
