"""Task 3.7: Adam (bias-corrected moments, coupled L2 weight decay, AMSGrad), exactly as PyTorch defines it."""
import numpy as np
import pytest

from learndyn.optim import Adam
from oracle import assert_close
from oracle.stage3_plain_parameters import PlainParameter, assert_runs_match, gradient_sequence, record_run
from oracle.stage3_reference_optimizers import adam_run

pytestmark = pytest.mark.task("3.7")

STEPS = 25
STARTS = [np.array([0.5, -1.0, 2.0]), np.array([[1.0, -0.3], [0.2, 0.7]])]
# Gradients 20x smaller after step 8, so that AMSGrad's running max differs from v.
GRADS = list(zip(gradient_sequence((3,), STEPS, seed=5, shrink_after=8), gradient_sequence((2, 2), STEPS, seed=6, shrink_after=8)))

OPTIONS = {
    "defaults": dict(),
    "betas": dict(lr=0.01, betas=(0.8, 0.95)),
    # betas below 1/2 too: for beta in (1/2, 1), 1 - beta and 1 % beta are the same number.
    "small betas": dict(lr=0.01, betas=(0.3, 0.4)),
    "eps": dict(lr=0.01, eps=0.1),
    "weight_decay": dict(lr=0.01, weight_decay=0.3),
    "amsgrad": dict(lr=0.01, betas=(0.9, 0.9), amsgrad=True),
    "everything": dict(lr=0.02, betas=(0.7, 0.99), eps=1e-3, weight_decay=0.1, amsgrad=True),
}


def reference(options, **bug):
    return [adam_run(start, [g[i] for g in GRADS], **options, **bug) for i, start in enumerate(STARTS)]


@pytest.mark.parametrize("name", list(OPTIONS))
def test_matches_the_pytorch_formulas_over_25_steps(name):
    options = OPTIONS[name]
    keys = ["param", "exp_avg", "exp_avg_sq", "step"] + (["max_exp_avg_sq"] if options.get("amsgrad") else [])
    actual = record_run(lambda params: Adam(params, **options), STARTS, GRADS, state_keys=keys[1:])
    assert_runs_match(actual, reference(options), keys, f"Adam({options})",
                      {"no bias correction (m / (1 - beta1**t), v / (1 - beta2**t) left out)": reference(options, bias_correction=False)})


def test_first_step_has_magnitude_lr_per_coordinate():
    gradient = np.array([3.0, -0.02, 150.0, -1.0])
    param = PlainParameter(np.zeros(4))
    param.grad = gradient.copy()
    Adam([param], lr=0.01).step()
    # m_hat = g and v_hat = g**2 exactly after one step, so the step is lr * g / (|g| + eps):
    # lr to within eps / |g| <= 5e-7 relative, whatever the size of g.
    expected = -0.01 * gradient / (np.abs(gradient) + 1e-8)
    without_correction = -0.01 * 0.1 * gradient / (np.sqrt(0.001) * np.abs(gradient) + 1e-8)
    assert_close(param.data, expected, rtol=1e-10, atol=0, what="Adam's first step (lr=0.01) for gradients of very different sizes",
                 alternatives={"no bias correction: the first step is (1 - beta1) / sqrt(1 - beta2) = 3.16x too large": without_correction})


def test_constant_gradient_gives_steps_of_lr_times_sign_g():
    gradient = np.array([2.0, -0.5, 1e-2])
    param = PlainParameter(np.ones(3))
    optimizer = Adam([param], lr=0.001, betas=(0.9, 0.99))
    for t in range(1, 11):
        before = param.data.copy()
        param.grad = gradient.copy()
        optimizer.step()
        # m_hat = g and v_hat = g**2 at every t when g is constant (the bias correction is exact), so
        # the step is lr * g / (|g| + eps): lr * sign(g) up to eps / |g| <= 1e-6 relative.
        assert_close(before - param.data, 0.001 * np.sign(gradient), rtol=2e-6, atol=0,
                     what=f"Adam step {t} under a constant gradient (should be lr * sign(g))",
                     alternatives={"the step counter t is off by one in the bias correction":
                                   0.001 * (1 - 0.9**t) / (1 - 0.9 ** (t + 1)) * np.sqrt((1 - 0.99 ** (t + 1)) / (1 - 0.99**t)) * np.sign(gradient)})
        assert optimizer.state[param]["step"] == t, f"state['step'] should count the steps taken from 1, got {optimizer.state[param]['step']} after {t}"


def test_step_never_touches_grad():
    param = PlainParameter([1.0, -2.0])
    param.grad = np.array([0.3, 0.4])
    grad_before = param.grad.copy()
    Adam([param], lr=0.1, weight_decay=0.5, amsgrad=True).step()
    assert_close(param.grad, grad_before, rtol=0, atol=0, what=".grad after an Adam step with weight decay",
                 alternatives={"weight decay added into .grad in place": grad_before + 0.5 * np.array([1.0, -2.0])})
    assert not np.allclose(param.data, [1.0, -2.0]), "step() did not move the parameter"


def one_good_step():
    """One Adam step with good arguments: the part of the argument tests that needs your Adam."""
    param = PlainParameter([1.0])
    param.grad = np.array([-4.0])
    Adam([param], lr=0.1, eps=0.0).step()
    assert_close(param.data, [1.1], rtol=1e-12, atol=0, what="one Adam step, lr=0.1, g=-4, eps=0")


@pytest.mark.parametrize("bad,argument", [
    (dict(lr=-1e-3), "lr"), (dict(betas=(1.0, 0.999)), r"betas\[0\]"), (dict(betas=(0.9, -0.1)), r"betas\[1\]"),
    (dict(eps=-1.0), "eps"), (dict(weight_decay=-1e-2), "weight_decay")])
def test_rejects_bad_hyperparameters_and_steps_with_good_ones(bad, argument):
    with pytest.raises(ValueError, match=argument):
        Adam([PlainParameter([1.0])], **bad)
    one_good_step()


@pytest.mark.parametrize("bad,error,message", [
    (dict(betas=0.9), TypeError, r"betas must be a pair \(beta1, beta2\) of real numbers in \[0, 1\), got 0.9 \(float\)"),
    (dict(betas=(0.9,)), ValueError, r"betas must be a pair .*got 1 values: \(0.9,\)"),
    (dict(betas=(0.9, "0.999")), TypeError, r"betas\[1\] must be a real number in \[0, 1\), got '0.999' \(str\)"),
    (dict(amsgrad=1), TypeError, r"amsgrad must be True or False, got 1 \(int\)"),
    (dict(lr=None), TypeError, r"lr must be a real number >= 0.*, got None \(NoneType\)")])
def test_rejects_arguments_of_the_wrong_type_or_shape_and_steps_with_good_ones(bad, error, message):
    with pytest.raises(error, match=message):
        Adam([PlainParameter([1.0])], **bad)
    one_good_step()


def test_param_groups_set_each_groups_betas_and_lr():
    first, second = PlainParameter([0.5, -1.0, 2.0]), PlainParameter([[1.0, -0.3], [0.2, 0.7]])
    optimizer = Adam([{"params": [first], "betas": (0.8, 0.95), "lr": 0.01}, {"params": [second]}], lr=0.02, amsgrad=True)
    for g_first, g_second in GRADS:
        first.grad, second.grad = g_first.copy(), g_second.copy()
        optimizer.step()
    for param, start, i, options in [(first, STARTS[0], 0, dict(lr=0.01, betas=(0.8, 0.95), amsgrad=True)),
                                     (second, STARTS[1], 1, dict(lr=0.02, amsgrad=True))]:
        expected = adam_run(start, [g[i] for g in GRADS], **options)[-1]
        assert_close(param.data, expected["param"], rtol=1e-10, atol=1e-12, what=f"Adam, parameter group {i}, after {STEPS} steps ({options})")
        assert_close(optimizer.state[param]["exp_avg"], expected["exp_avg"], rtol=1e-10, atol=1e-12,
                     what=f"state[param]['exp_avg'] of group {i}")
