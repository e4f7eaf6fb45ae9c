"""Task 3.6: RMSprop, with momentum, centering and weight decay, exactly as PyTorch defines it."""
import numpy as np
import pytest

from learndyn.optim import RMSprop
from oracle import assert_close
from oracle.stage3_plain_parameters import PlainParameter, assert_runs_match, gradient_sequence, record_run
from oracle.stage3_reference_optimizers import rmsprop_run

pytestmark = pytest.mark.task("3.6")

STEPS = 25
STARTS = [np.array([0.5, -1.0, 2.0]), np.array([[1.0, -0.3], [0.2, 0.7]])]
GRADS = list(zip(gradient_sequence((3,), STEPS, seed=3), gradient_sequence((2, 2), STEPS, seed=4)))

OPTIONS = {
    "defaults": dict(),
    "alpha": dict(lr=0.05, alpha=0.9),
    "eps": dict(lr=0.02, eps=0.3),
    "weight_decay": dict(lr=0.01, weight_decay=0.5),
    "momentum": dict(lr=0.01, momentum=0.8),
    "centered": dict(lr=0.01, alpha=0.9, centered=True),
    # alpha below 1/2 too: for alpha in (1/2, 1), 1 - alpha and 1 % alpha are the same number.
    "small alpha": dict(lr=0.01, alpha=0.3, centered=True),
    "everything": dict(lr=0.005, alpha=0.95, eps=1e-4, weight_decay=0.1, momentum=0.6, centered=True),
}


def reference(options, **bug):
    return [rmsprop_run(start, [g[i] for g in GRADS], **options, **bug) for i, start in enumerate(STARTS)]


@pytest.mark.parametrize("name", list(OPTIONS))
def test_matches_the_pytorch_formulas_over_25_steps(name):
    options = OPTIONS[name]
    keys = ["param", "square_avg", "step"]
    keys += ["grad_avg"] if options.get("centered") else []
    keys += ["momentum_buffer"] if options.get("momentum") else []
    actual = record_run(lambda params: RMSprop(params, **options), STARTS, GRADS, state_keys=keys[1:])
    assert_runs_match(actual, reference(options), keys, f"RMSprop({options})",
                      {"eps inside the square root: sqrt(v + eps) instead of sqrt(v) + eps": reference(options, eps_inside_sqrt=True)})


@pytest.mark.parametrize("options,expected", [
    (dict(lr=0.01), {"step", "square_avg"}),
    (dict(lr=0.01, momentum=0.5), {"step", "square_avg", "momentum_buffer"}),
    (dict(lr=0.01, centered=True), {"step", "square_avg", "grad_avg"}),
])
def test_state_holds_exactly_pytorchs_entries(options, expected):
    param = PlainParameter(np.array([0.5, -1.0]))
    param.grad = np.array([0.3, -0.2])
    optimizer = RMSprop([param], **options)
    optimizer.step()
    assert set(optimizer.state[param]) == expected, (
        f"RMSprop({options}): state[param] has {sorted(optimizer.state[param])}, PyTorch's has {sorted(expected)} "
        "(momentum_buffer only when momentum > 0, grad_avg only when centered)")


def test_constant_gradient_steps_lr_over_sqrt_one_minus_alpha_to_the_t():
    alpha, lr = 0.9, 0.01
    param = PlainParameter([0.0, 0.0])
    gradient = np.array([3.0, -0.5])
    optimizer = RMSprop([param], lr=lr, alpha=alpha, eps=0.0)
    steps = []
    for _ in range(8):
        before = param.data.copy()
        param.grad = gradient.copy()
        optimizer.step()
        steps.append(before - param.data)
    t = np.arange(1, 9)[:, None]
    # With eps = 0: v_t = (1 - alpha**t) g**2 exactly, so step_t = lr * sign(g) / sqrt(1 - alpha**t): rounding only.
    expected = lr * np.sign(gradient) / np.sqrt(1 - alpha**t)
    assert_close(np.array(steps), expected, rtol=1e-12, atol=1e-15, what="RMSprop steps 1..8 under a constant gradient (eps=0)",
                 alternatives={"a bias correction was added (RMSprop has none)": lr * np.sign(gradient) * np.ones_like(expected)})


def test_eps_is_added_outside_the_square_root():
    param = PlainParameter([0.0])
    param.grad = np.array([1e-3])
    RMSprop([param], lr=1.0, alpha=0.0, eps=1e-3).step()
    # alpha = 0: v = g**2, so the step is g / (|g| + eps) = 0.5 exactly; sqrt(g**2 + eps) would give 0.0316.
    assert_close(param.data, [-0.5], rtol=1e-12, atol=0, what="one RMSprop step with g = 1e-3, eps = 1e-3, alpha = 0",
                 alternatives={"eps inside the square root": [-1e-3 / np.sqrt(1e-6 + 1e-3)]})


def test_step_never_touches_grad():
    param = PlainParameter([1.0, -2.0])
    param.grad = np.array([0.3, 0.4])
    grad_before = param.grad.copy()
    RMSprop([param], lr=0.1, weight_decay=0.5, momentum=0.5, centered=True).step()
    assert_close(param.grad, grad_before, rtol=0, atol=0, what=".grad after an RMSprop step with weight decay")
    assert not np.allclose(param.data, [1.0, -2.0]), "step() did not move the parameter"


def one_good_step():
    """One RMSprop step with good arguments: the part of the argument tests that needs your RMSprop.update."""
    param = PlainParameter([1.0])
    param.grad = np.array([2.0])
    RMSprop([param], lr=0.1, alpha=0.75, eps=0.0).step()
    assert_close(param.data, [1.0 - 0.1 / np.sqrt(0.25)], rtol=1e-12, atol=0, what="one RMSprop step, alpha=0.75, g=2")


@pytest.mark.parametrize("bad,argument", [
    (dict(lr=-1.0), "lr"), (dict(alpha=1.0), "alpha"), (dict(alpha=-0.1), "alpha"), (dict(eps=-1e-8), "eps"),
    (dict(weight_decay=-0.1), "weight_decay"), (dict(momentum=-0.9), "momentum")])
def test_rejects_bad_hyperparameters_and_steps_with_good_ones(bad, argument):
    with pytest.raises(ValueError, match=argument):
        RMSprop([PlainParameter([1.0])], **bad)
    one_good_step()


@pytest.mark.parametrize("bad,message", [
    (dict(alpha=None), r"alpha must be a real number in \[0, 1\), got None \(NoneType\)"),
    (dict(centered="no"), r"centered must be True or False, got 'no' \(str\)"),
    (dict(lr=[0.1]), r"lr must be a real number >= 0.*, got \[0.1\] \(list\)")])
def test_rejects_arguments_of_the_wrong_type_and_steps_with_good_ones(bad, message):
    with pytest.raises(TypeError, match=message):
        RMSprop([PlainParameter([1.0])], **bad)
    one_good_step()
