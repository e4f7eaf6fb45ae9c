"""Task 4.2: gradients as functions of a flat parameter vector, for a loss of a vector and for a model."""
import numpy as np
import pytest

from learndyn import Parameter
from learndyn.landscape import function_gradient, model_gradient, parameters_to_vector, surfaces
from learndyn.nn import MLP, Module, mse_loss
from oracle import assert_close
from oracle.stage4_geometry import mlp_loss_and_gradient, surface_gradient

pytestmark = pytest.mark.task("4.2")

SIZES = [3, 5, 4, 1]


def small_regression(seed=0):
    rng = np.random.default_rng(seed)
    model = MLP(SIZES, activation="tanh", rng=rng)
    inputs, targets = rng.normal(size=(9, 3)), rng.normal(size=(9, 1))
    return model, inputs, targets


def test_function_gradient_is_the_gradient_of_a_surface():
    gradient = function_gradient(surfaces.himmelblau)
    for point in np.random.default_rng(1).uniform(-4, 4, size=(3, 2)):
        # Exact polynomial arithmetic in another order: rounding only.
        assert_close(gradient(point), surface_gradient("himmelblau", *point), rtol=1e-10, atol=1e-9,
                     what=f"function_gradient(himmelblau) at {np.round(point, 3)}")


def test_function_gradient_does_not_accumulate_between_calls():
    gradient = function_gradient(surfaces.rosenbrock)
    point = np.array([-0.3, 0.7])
    first, second = gradient(point).copy(), gradient(point)
    assert_close(second, first, rtol=1e-14, atol=0, what="the same gradient asked twice",
                 alternatives={"the gradient of the first call is still there (use a fresh leaf Tensor each call)": 2 * first})


def test_model_gradient_matches_hand_written_backprop_at_another_theta():
    model, inputs, targets = small_regression()
    start = parameters_to_vector(model.parameters())
    theta = start + 0.3 * np.random.default_rng(2).normal(size=start.size)
    gradient = model_gradient(model, lambda: mse_loss(model(inputs), targets))
    _, expected = mlp_loss_and_gradient(theta, SIZES, inputs, targets)
    # Same products and sums in another order: rounding only (~1e-16 relative).
    assert_close(gradient(theta), expected, rtol=1e-9, atol=1e-12,
                 what="model_gradient(theta) of a 3-5-4-1 tanh MLP, flat in the order of model.parameters()",
                 alternatives={"the gradient at the model's own parameters, not at theta":
                               mlp_loss_and_gradient(parameters_to_vector(model.parameters()), SIZES, inputs, targets)[1]})


def test_model_gradient_leaves_the_parameters_as_they_were():
    model, inputs, targets = small_regression(3)
    before = [p.data.copy() for p in model.parameters()]
    gradient = model_gradient(model, lambda: mse_loss(model(inputs), targets))
    size = parameters_to_vector(model.parameters()).size
    first = gradient(np.full(size, 0.1)).copy()
    assert np.abs(first).sum() > 0
    for p, old in zip(model.parameters(), before):
        assert np.array_equal(p.data, old), "model_gradient(theta) moved the model: compute inside parameters_set_to(model, theta)"
    assert_close(gradient(np.full(size, 0.1)), first, rtol=1e-14, atol=0, what="the same gradient asked twice",
                 alternatives={"grads accumulate across calls: call model.zero_grad() first": 2 * first})


class WithUnusedParameter(Module):
    def __init__(self):
        self.scale = Parameter(np.array([2.0]))
        self.unused = Parameter(np.ones((2, 2)))
        self.shift = Parameter(np.array([0.5, -1.0]))

    def forward(self, x):
        return x * self.scale + self.shift


def test_a_parameter_the_loss_does_not_use_gets_a_zero_gradient():
    model = WithUnusedParameter()
    x = np.array([1.0, 3.0])
    gradient = model_gradient(model, lambda: (model(x) ** 2).sum())
    theta = np.array([2.0, 1, 1, 1, 1, 0.5, -1.0])
    # d/d scale = sum 2 * (x*s + b) * x ; d/d shift = 2 * (x*s + b)
    out = x * 2.0 + np.array([0.5, -1.0])
    expected = np.concatenate([[np.sum(2 * out * x)], np.zeros(4), 2 * out])
    assert_close(gradient(theta), expected, rtol=1e-12, atol=1e-12, what="gradient of (scale, unused (2x2), shift)")
