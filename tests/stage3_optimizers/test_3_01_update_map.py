"""Task 3.1: gradient descent as a map, its Jacobian I - lr * H, and the Hessian from it."""
import numpy as np
import pytest

from learndyn import Parameter, nn
from learndyn.dynamics import (gradient_descent_map, loss_gradient, loss_hessian, loss_of_parameter_vector,
                               quadratic_update_jacobian, update_map_jacobian)
from learndyn.nn.flat import parameters_to_vector
from oracle import assert_close

pytestmark = pytest.mark.task("3.1")

RNG = np.random.default_rng(31)
A = RNG.normal(size=(4, 4))  # not symmetric on purpose: the loss below only sees (A + A.T) / 2
SYMMETRIC_A = (A + A.T) / 2
OFFSET = RNG.normal(size=4)
C, V = 0.7, RNG.normal(size=4) / 2
THETA = RNG.normal(size=4) / 2


def quadratic(theta):
    """0.5 * theta . (theta @ A) + offset . theta: gradient SYMMETRIC_A @ theta + OFFSET, Hessian SYMMETRIC_A."""
    return 0.5 * (theta * (theta @ A)).sum() + (theta * OFFSET).sum()


def curved(theta):
    """sum(exp(C theta)) / C**2 + (V . theta)**4 / 4: gradient exp(C theta) / C + (V . theta)**3 V,
    Hessian diag(exp(C theta)) + 3 (V . theta)**2 V V^T."""
    return (theta * C).exp().sum() / C**2 + ((theta * V).sum() ** 4) / 4


def curved_gradient(theta):
    return np.exp(C * theta) / C + (V @ theta) ** 3 * V


def curved_hessian(theta):
    return np.diag(np.exp(C * theta)) + 3 * (V @ theta) ** 2 * np.outer(V, V)


def test_loss_gradient_is_the_autodiff_gradient():
    # Autodiff is exact up to rounding: ~1e-15 relative for these order-1 values.
    assert_close(loss_gradient(quadratic, THETA), SYMMETRIC_A @ THETA + OFFSET, rtol=1e-12, atol=1e-12,
                 what="grad of 0.5 theta.(theta @ A) + offset.theta")
    assert_close(loss_gradient(curved, THETA), curved_gradient(THETA), rtol=1e-12, atol=1e-12,
                 what="grad of sum(exp(c theta)) / c**2 + (v.theta)**4 / 4")


def test_gradient_descent_map_takes_one_step_and_leaves_its_input_alone():
    theta = THETA.copy()
    stepped = gradient_descent_map(curved, theta, lr=0.3)
    assert_close(stepped, THETA - 0.3 * curved_gradient(THETA), rtol=1e-12, atol=1e-12, what="theta - lr * grad L(theta)",
                 alternatives={"wrong sign: theta + lr * grad": THETA + 0.3 * curved_gradient(THETA)})
    assert_close(theta, THETA, rtol=0, atol=0, what="theta after calling the map (it must not change its input)")


def test_quadratic_update_jacobian_is_identity_minus_lr_times_hessian():
    expected = np.eye(4) - 0.25 * SYMMETRIC_A
    assert_close(quadratic_update_jacobian(SYMMETRIC_A, 0.25), expected, rtol=1e-14, atol=1e-14, what="I - lr * H, lr = 0.25",
                 alternatives={"I + lr * H": np.eye(4) + 0.25 * SYMMETRIC_A, "lr * H without the identity": 0.25 * SYMMETRIC_A})


@pytest.mark.parametrize("name,loss_fn,hessian", [
    ("quadratic", quadratic, lambda theta: SYMMETRIC_A), ("curved", curved, curved_hessian)])
def test_update_map_jacobian_by_central_differences(name, loss_fn, hessian):
    lr = 0.4
    expected = np.eye(4) - lr * hessian(THETA)
    # Central differences with eps = 1e-5: truncation eps**2 / 6 * lr * |L''''| ~ 1e-10 * O(10), rounding
    # ~1e-16 * |theta| / eps ~ 1e-11: 1e-7 leaves a wide margin; a forward difference would be off by ~1e-5.
    assert_close(update_map_jacobian(loss_fn, THETA, lr), expected, rtol=0, atol=1e-7,
                 what=f"Jacobian of the GD map on the {name} loss at lr={lr}",
                 alternatives={"the Hessian instead of the map's Jacobian": hessian(THETA),
                               "columns and rows swapped (J.T)": expected.T})


def test_loss_hessian_matches_the_closed_form_and_is_symmetric():
    hessian = loss_hessian(curved, THETA)
    assert_close(hessian, curved_hessian(THETA), rtol=0, atol=1e-7, what="Hessian of the curved loss (see the docstring)",
                 alternatives={"I - H instead of H": np.eye(4) - curved_hessian(THETA)})
    assert_close(hessian, hessian.T, rtol=0, atol=0, what="Hessian minus its transpose (symmetrise with (H + H.T) / 2)")


def test_works_for_a_network_through_its_flat_parameter_vector():
    rng = np.random.default_rng(32)
    model = nn.MLP([2, 3, 1], rng=rng)
    inputs, targets = rng.normal(size=(5, 2)), rng.normal(size=(5, 1))
    nn.mse_loss(model(inputs), targets).backward()
    expected = np.concatenate([p.grad.ravel() for p in model.parameters()])
    loss_fn = loss_of_parameter_vector(model, inputs, targets)
    assert_close(loss_gradient(loss_fn, parameters_to_vector(model.parameters())), expected, rtol=1e-10, atol=1e-12,
                 what="gradient of an MLP's loss with respect to its flat parameter vector")


class TiedModel(nn.Module):
    """Parameters in a dict and a list, and one weight used twice (as decoder_weight too): the walk's hard cases."""

    def __init__(self, rng):
        self.encoder = nn.Linear(3, 2, bias=False, rng=rng)
        self.scales = {"out": Parameter(rng.normal(size=2))}
        self.offsets = [Parameter(rng.normal(size=3))]
        self.decoder_weight = self.encoder.weight

    def forward(self, x):
        return (self.encoder(x) * self.scales["out"]).tanh() @ self.decoder_weight + self.offsets[0]


def test_works_for_parameters_in_dicts_and_lists_and_for_tied_weights():
    rng = np.random.default_rng(33)
    model = TiedModel(rng)
    inputs, targets = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    nn.mse_loss(model(inputs), targets).backward()  # the tied weight's grad sums both of its uses
    expected = np.concatenate([p.grad.ravel() for p in model.parameters()])
    originals = model.parameters()
    theta = parameters_to_vector(originals)
    assert theta.size == 6 + 2 + 3, f"the flat vector should hold each parameter once: 11 entries, got {theta.size}"
    gradient = loss_gradient(loss_of_parameter_vector(model, inputs, targets), theta)
    assert_close(gradient, expected, rtol=1e-10, atol=1e-12,
                 what="gradient through loss_of_parameter_vector of a model with a dict, a list and a tied weight")
    now = [model.encoder.weight, model.scales["out"], model.offsets[0], model.decoder_weight]
    assert all(p is q for p, q in zip(now, originals + originals[:1])), "loss_of_parameter_vector must put the model's own Parameters back"
