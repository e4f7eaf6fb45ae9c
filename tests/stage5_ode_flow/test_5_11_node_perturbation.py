"""Task 5.11: the node-perturbation estimator is unbiased with squared error (N + 1) ||g||^2."""
import numpy as np
import pytest

from learndyn.neuro import node_perturbation_estimates
from oracle import assert_close

pytestmark = pytest.mark.task("5.11")

N, SAMPLES = 10, 40000


def quadratic_loss_and_gradient(rng):
    A = rng.normal(size=(N, N))
    H = A @ A.T / N + np.eye(N)
    target = rng.normal(size=N)
    return (lambda y: 0.5 * (y - target) @ H @ (y - target)), (lambda y: H @ (y - target))


@pytest.fixture(scope="module")
def estimates():
    rng = np.random.default_rng(0)
    loss, gradient = quadratic_loss_and_gradient(rng)
    y = rng.normal(size=N)
    return node_perturbation_estimates(loss, y, 1e-3, SAMPLES, np.random.default_rng(1)), gradient(y)


def test_estimator_is_unbiased(estimates):
    samples, g = estimates
    assert samples.shape == (SAMPLES, N), f"estimates shape {samples.shape}, expected (samples, N) = {(SAMPLES, N)}"
    # Per component the variance of (g.z) z_i is |g|^2 + g_i^2: the mean of 40000 has standard error
    # sqrt((|g|^2 + g_i^2) / 40000); 4.5 standard errors (fixed seed) bounds it.
    standard_error = np.sqrt((g @ g + g**2) / SAMPLES)
    assert_close(samples.mean(axis=0), g, rtol=0, atol=4.5 * standard_error.max(),
                 what="mean of the node-perturbation estimates vs the true gradient",
                 alternatives={"divided by sigma instead of sigma^2": 1e-3 * g})


def test_squared_error_is_n_plus_one_times_the_squared_gradient(estimates):
    samples, g = estimates
    measured = np.mean(np.sum((samples - g) ** 2, axis=1))
    predicted = (N + 1) * (g @ g)
    # The squared error of one estimate has relative standard deviation ~2.5 (Gaussian fourth moments),
    # so its mean over 40000 is within 1.3% (1 sigma); 6% is > 4 sigma.  (N + 2) or N would be off by 9%.
    assert abs(measured / predicted - 1) < 0.06, (
        f"mean squared error {measured:.4g}, theory (N + 1)|g|^2 = {predicted:.4g} (ratio {measured / predicted:.3f})")


def test_feedback_alignment_experiment_and_node_perturbation_cost():
    from learndyn.experiments import feedback_alignment

    result = feedback_alignment.run(seeds=(0,), steps=300, node_counts=(5, 20), samples=4000)
    # 4000 samples: the relative standard error of a mean squared error is ~2.5 / sqrt(4000) = 4%; 12% is 3 sigma.
    ratio = result.relative_squared_error / (result.node_counts + 1)
    assert np.all(np.abs(ratio - 1) < 0.12), f"E||g_hat - g||^2 / ||g||^2 / (N + 1) = {ratio}, theory 1"
    assert result.feedback[0].angles[-75:].mean() < 45, result.summary()


def test_unbiased_for_a_linear_loss_at_any_sigma():
    # For L(y) = c.y the estimate (c.xi / sigma^2) xi is unbiased at every sigma, also sigma = 1 where each
    # delta_L / sigma^2 is of order |c| = 0.1: rounding that ratio to an integer (a floor division) makes it
    # mostly 0 or -1, which biases the mean by about 3c.
    c = np.array([0.06, -0.04, 0.02, 0.06])
    samples = node_perturbation_estimates(lambda y: float(c @ y), np.array([1.0, 2.0, -1.0, 0.5]), 1.0, 20000,
                                          np.random.default_rng(4))
    # Standard error of each component's mean: sqrt((|c|^2 + c_i^2) / 20000) <= 0.0008; 4.5 of them bound it.
    standard_error = np.sqrt((c @ c + c**2) / 20000)
    assert_close(samples.mean(axis=0), c, rtol=0, atol=4.5 * standard_error.max(),
                 what="mean node-perturbation estimate of a linear loss's gradient c at sigma = 1")
