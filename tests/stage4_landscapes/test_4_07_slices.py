"""Task 4.7: 1-D and 2-D slices of a model's loss, leaving the model unchanged."""
import numpy as np
import pytest

from learndyn.landscape import linear_slice, parameters_to_vector, planar_slice
from learndyn.nn import MLP, mse_loss
from oracle import assert_close
from oracle.stage4_geometry import mlp_loss_and_gradient

pytestmark = pytest.mark.task("4.7")

SIZES = [2, 6, 1]


@pytest.fixture
def setup():
    rng = np.random.default_rng(7)
    model = MLP(SIZES, activation="tanh", rng=rng)
    inputs, targets = rng.normal(size=(10, 2)), rng.normal(size=(10, 1))
    theta = parameters_to_vector(model.parameters())
    return model, inputs, targets, theta, rng


def oracle_loss(theta, inputs, targets):
    return mlp_loss_and_gradient(theta, SIZES, inputs, targets)[0]


def test_linear_slice_endpoints_and_interior(setup):
    model, inputs, targets, theta, rng = setup
    start, end = theta + rng.normal(size=theta.size), theta - 0.5 * rng.normal(size=theta.size)
    alphas = np.array([0.0, 0.25, 1.0, -0.5, 1.5])
    before = [p.data.copy() for p in model.parameters()]
    losses = linear_slice(model, lambda: mse_loss(model(inputs), targets), start, end, alphas)
    expected = [oracle_loss((1 - a) * start + a * end, inputs, targets) for a in alphas]
    # Same arithmetic in another order: rounding only.
    assert_close(losses, expected, rtol=1e-10, atol=1e-12, what="losses at alpha = 0, 0.25, 1, -0.5, 1.5",
                 alternatives={"alpha = 0 should be theta_start (the line is (1 - alpha) * start + alpha * end)":
                               [oracle_loss(a * start + (1 - a) * end, inputs, targets) for a in alphas]})
    assert losses[0] == pytest.approx(oracle_loss(start, inputs, targets), rel=1e-12), "the slice must start at theta_start"
    assert losses[2] == pytest.approx(oracle_loss(end, inputs, targets), rel=1e-12), "alpha = 1 must be theta_end"
    for p, old in zip(model.parameters(), before):
        assert np.array_equal(p.data, old), "after a slice the model's parameters must be what they were"


def test_planar_slice_grid_orientation_and_values(setup):
    model, inputs, targets, theta, rng = setup
    d1, d2 = rng.normal(size=theta.size), rng.normal(size=theta.size)
    alphas, betas = np.array([-0.4, 0.0, 0.3]), np.array([-0.2, 0.1, 0.5, 0.8])
    surface = planar_slice(model, lambda: mse_loss(model(inputs), targets), theta, d1, d2, alphas, betas)
    expected = np.array([[oracle_loss(theta + a * d1 + b * d2, inputs, targets) for b in betas] for a in alphas])
    assert_close(surface, expected, rtol=1e-10, atol=1e-12, what="surface[i, j] = loss(theta + alphas[i] d1 + betas[j] d2)",
                 alternatives={"rows and columns swapped (alphas index the rows)": expected.T})
    assert np.array_equal(parameters_to_vector(model.parameters()), theta), "the model must be left as it was"
