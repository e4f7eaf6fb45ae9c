"""Task 4.8: filter-normalised random directions (Li et al. 2018)."""
import numpy as np
import pytest

from learndyn import Parameter
from learndyn.experiments import landscapes
from learndyn.landscape import filter_normalized_direction
from oracle import assert_close

pytestmark = pytest.mark.task("4.8")


def parameters(seed=0):
    rng = np.random.default_rng(seed)
    weight_1 = rng.normal(size=(5, 3)) * np.array([[0.1], [1.0], [3.0], [0.5], [2.0]])  # rows of very different norms
    weight_2 = rng.normal(size=(2, 5))
    weight_2[1] = 0.0  # a dead unit
    return [Parameter(weight_1), Parameter(rng.normal(size=5)), Parameter(weight_2), Parameter(rng.normal(size=2))]


def split(direction, params):
    pieces, offset = [], 0
    for p in params:
        pieces.append(direction[offset : offset + p.size].reshape(p.shape))
        offset += p.size
    assert offset == direction.size, f"direction has {direction.size} entries, the parameters {offset}"
    return pieces


def test_each_row_has_the_norm_of_its_weight_row():
    params = parameters()
    weight_1, bias_1, weight_2, bias_2 = split(filter_normalized_direction(params, np.random.default_rng(1)), params)
    for direction, weight, label in ((weight_1, params[0], "layer 1"), (weight_2, params[2], "layer 2")):
        # Rescaling one row: rounding only.  The weight rows have norms from ~0.1 to ~5, so a direction
        # normalised over columns (axis 0) or as a whole has the wrong row norms.
        assert_close(np.linalg.norm(direction, axis=1), np.linalg.norm(weight.data, axis=1), rtol=1e-12, atol=1e-12,
                     what=f"{label}: norm of each row of the direction (a filter is a row: one output unit's weights, "
                          "weight has shape (fan_out, fan_in), so norms over axis=1)")
    assert np.all(weight_2[1] == 0), "a zero weight row gets a zero direction row"


def test_biases_get_zero_directions():
    params = parameters()
    _, bias_1, _, bias_2 = split(filter_normalized_direction(params, np.random.default_rng(2)), params)
    assert np.all(bias_1 == 0) and np.all(bias_2 == 0), "biases (one axis) get a zero direction, as in Li et al."


def test_the_direction_is_random_not_the_weights():
    params = parameters()
    first = filter_normalized_direction(params, np.random.default_rng(3))
    second = filter_normalized_direction(params, np.random.default_rng(4))
    weights = np.concatenate([params[0].data.ravel(), np.zeros(5), params[2].data.ravel(), np.zeros(2)])
    assert not np.allclose(first, second), "two generators must give two different directions (draw from rng.normal)"
    cosine = abs(first @ weights) / (np.linalg.norm(first) * np.linalg.norm(weights))
    # A Gaussian direction in 25 dimensions has |cosine| with any fixed vector of about 0.2 (0.995 would be the weights).
    assert cosine < 0.9, f"the direction is nearly parallel to the weights (|cos| = {cosine:.3f}): draw d ~ N(0, 1) first"


def test_a_trained_network_sits_at_the_bottom_of_its_filter_normalised_plane():
    result = landscapes.run(grid=2, epochs=400, plane_points=7)
    centre = (3, 3)  # alphas = betas = linspace(-1, 1, 7): the trained parameters are at (0, 0)
    lowest = np.unravel_index(np.argmin(result.plane_losses), result.plane_losses.shape)
    # Measured: loss 0.014 at the centre, up to ~17 at the corners (a step of alpha = 1 moves each unit by its own size).
    assert lowest == centre, f"the trained point should be the lowest of the plane, the lowest is at {lowest}:\n{np.round(result.plane_losses, 3)}"
    assert result.plane_losses.max() > 10 * result.plane_losses[centre], "filter-normalised steps of size 1 should leave the basin"
    assert np.all(np.diff(result.line_losses[(result.alphas >= 0) & (result.alphas <= 1)]) < 0), (
        "on the straight line from the initial to the trained parameters the loss falls monotonically here (measured)")
