"""Task 3.5: SGD with momentum, dampening, Nesterov and weight decay, exactly as PyTorch defines it."""
import numpy as np
import pytest

from learndyn import Parameter
from learndyn.optim import SGD
from oracle import assert_close
from oracle.stage3_plain_parameters import PlainParameter, assert_runs_match, gradient_sequence, record_run
from oracle.stage3_reference_optimizers import sgd_run

pytestmark = pytest.mark.task("3.5")

STEPS = 25
STARTS = [np.array([0.5, -1.0, 2.0]), np.array([[1.0, -0.3], [0.2, 0.7]])]
GRADS = list(zip(gradient_sequence((3,), STEPS, seed=1), gradient_sequence((2, 2), STEPS, seed=2)))

OPTIONS = {
    "plain": dict(lr=0.1),
    "momentum": dict(lr=0.05, momentum=0.9),
    "dampening": dict(lr=0.05, momentum=0.8, dampening=0.3),
    "nesterov": dict(lr=0.05, momentum=0.9, nesterov=True),
    "weight_decay": dict(lr=0.1, weight_decay=0.2),
    "everything": dict(lr=0.03, momentum=0.7, nesterov=True, weight_decay=0.05),
}


def reference(options, **bug):
    return [sgd_run(start, [g[i] for g in GRADS], **options, **bug) for i, start in enumerate(STARTS)]


@pytest.mark.parametrize("name", list(OPTIONS))
def test_matches_the_pytorch_formulas_over_25_steps(name):
    options = OPTIONS[name]
    keys = ["param"] + (["momentum_buffer"] if options.get("momentum") else [])
    actual = record_run(lambda params: SGD(params, **options), STARTS, GRADS, state_keys=keys[1:])
    alternatives = {"the momentum buffer is not kept between steps (state['momentum_buffer'] restarts at g)":
                    reference(options, keep_buffer=False)}
    if options.get("nesterov"):
        alternatives["Nesterov without the look-ahead: g + momentum * buf is replaced by buf"] = reference({**options, "nesterov": False})
    assert_runs_match(actual, reference(options), keys, f"SGD({options})", alternatives)


def test_first_momentum_step_is_a_plain_gradient_step():
    param = PlainParameter([1.0, -2.0])
    param.grad = np.array([0.5, 4.0])
    SGD([param], lr=0.1, momentum=0.9, dampening=0.5).step()
    # The buffer starts AT the first gradient (PyTorch): no (1 - dampening) factor, no zero start.
    assert_close(param.data, [0.95, -2.4], rtol=1e-12, atol=1e-15, what="parameter after one SGD(momentum=0.9, dampening=0.5) step",
                 alternatives={"buffer started at zeros and dampened: b = (1 - dampening) * g on the first step": [0.975, -2.2]})


def test_step_updates_data_in_place_and_never_touches_grad():
    param = PlainParameter([1.0, 2.0, 3.0])
    data_array = param.data
    param.grad = np.array([0.1, -0.2, 0.3])
    grad_before = param.grad.copy()
    optimizer = SGD([param], lr=0.5, momentum=0.9, nesterov=True, weight_decay=0.1)
    optimizer.step()
    optimizer.step()
    assert_close(param.grad, grad_before, rtol=0, atol=0, what=".grad after two SGD steps with weight decay (step() must not change it)",
                 alternatives={"weight decay added into .grad in place (grad += weight_decay * p)": grad_before + 0.1 * np.array([1.0, 2.0, 3.0])})
    assert param.data is data_array, "step() must update param.data in place (other code holds that array)"
    assert not np.allclose(param.data, [1.0, 2.0, 3.0]), "step() did not move the parameter"


def test_parameters_without_grad_are_skipped_and_zero_grad_clears():
    moving, frozen = PlainParameter([1.0]), PlainParameter([5.0])
    moving.grad = np.array([2.0])
    optimizer = SGD([moving, frozen], lr=0.25, momentum=0.5)
    optimizer.step()
    assert_close(moving.data, [0.5], rtol=1e-12, atol=0, what="parameter with a gradient after one step")
    assert frozen.data[0] == 5.0 and frozen not in optimizer.state, "a parameter whose grad is None must not move or get state"
    optimizer.zero_grad()
    assert moving.grad is None and frozen.grad is None


@pytest.mark.parametrize("bad,argument", [
    (dict(lr=-0.1), "lr"), (dict(lr=0.1, momentum=-0.5), "momentum"), (dict(lr=0.1, weight_decay=-1e-3), "weight_decay"),
    (dict(lr=0.1, dampening=1.5, momentum=0.9), "dampening"), (dict(lr=0.1, nesterov=True), "nesterov")])
def test_rejects_bad_hyperparameters_and_steps_with_good_ones(bad, argument):
    with pytest.raises(ValueError, match=argument):
        SGD([PlainParameter([1.0])], **bad)
    param = PlainParameter([1.0])
    param.grad = np.array([2.0])
    SGD([param], lr=0.1).step()
    assert_close(param.data, [0.8], rtol=1e-12, atol=0, what="one plain SGD step, lr=0.1, g=2")


def divergence_threshold(beta: float, curvatures: np.ndarray, steps: int = 200, iterations: int = 12) -> float:
    """Bisection on lr: the smallest lr at which SGD(momentum=beta) on 0.5 * sum(curvatures * theta**2) blows up.

    The loss is built from Tensor ops and differentiated by your autodiff; "blows up" means the
    largest |theta| over the last 20 steps exceeds the largest over 20 steps in the middle of the run
    (a windowed max, since with momentum the error spirals instead of shrinking monotonically).
    """
    def diverges(lr: float) -> bool:
        theta = Parameter(np.ones_like(curvatures))
        optimizer = SGD([theta], lr=lr, momentum=beta)
        sizes = []
        for _ in range(steps):
            optimizer.zero_grad()
            (0.5 * (curvatures * theta**2).sum()).backward()
            optimizer.step()
            sizes.append(np.abs(theta.data).max())
        return max(sizes[-20:]) > max(sizes[steps // 2 - 20 : steps // 2])

    low, high = 0.05, 1.0
    for _ in range(iterations):
        middle = (low + high) / 2
        low, high = (low, middle) if diverges(middle) else (middle, high)
    return (low + high) / 2


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9])
def test_stability_edge_is_two_times_one_plus_beta_over_lambda_max(beta):
    curvatures = np.array([1.0, 3.0, 10.0])
    measured = divergence_threshold(beta, curvatures)
    predicted = 2 * (1 + beta) / curvatures.max()
    # Bisection over [0.05, 1] for 12 halvings: +-1.2e-4, i.e. < 0.1% of the edge (0.2 to 0.38). Just past the
    # edge the top direction grows by >= 1.01 per step, i.e. >= 2.7x over the 100 steps compared: the test
    # resolves the edge to ~0.5%, inside the 1% the issue asks.
    assert abs(measured / predicted - 1) < 0.01, (
        f"SGD(momentum={beta}) on curvatures {curvatures}: diverges from lr = {measured:.5f}, "
        f"theory 2 * (1 + beta) / lambda_max = {predicted:.5f}. Without momentum the edge is {2 / curvatures.max():.3f}: "
        "is the momentum buffer used (and kept between steps)?"
    )
