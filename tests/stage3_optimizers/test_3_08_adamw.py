"""Task 3.8: AdamW, Adam with weight decay decoupled from the gradient."""
import numpy as np
import pytest

from learndyn.optim import Adam, AdamW
from oracle import assert_close
from oracle.stage3_plain_parameters import PlainParameter, assert_runs_match, gradient_sequence, record_run
from oracle.stage3_reference_optimizers import adam_run

pytestmark = pytest.mark.task("3.8")

STEPS = 25
STARTS = [np.array([0.5, -1.0, 2.0]), np.array([[1.0, -0.3], [0.2, 0.7]])]
GRADS = list(zip(gradient_sequence((3,), STEPS, seed=7, shrink_after=8), gradient_sequence((2, 2), STEPS, seed=8, shrink_after=8)))

OPTIONS = {
    "defaults": dict(),
    "strong_decay": dict(lr=0.01, weight_decay=0.5),
    "amsgrad": dict(lr=0.01, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.1, amsgrad=True),
}


def reference(options, decoupled=True):
    return [adam_run(start, [g[i] for g in GRADS], decoupled=decoupled, **{"weight_decay": 1e-2, **options})
            for i, start in enumerate(STARTS)]


@pytest.mark.parametrize("name", list(OPTIONS))
def test_matches_the_pytorch_formulas_over_25_steps(name):
    options = OPTIONS[name]
    keys = ["param", "exp_avg", "exp_avg_sq", "step"] + (["max_exp_avg_sq"] if options.get("amsgrad") else [])
    actual = record_run(lambda params: AdamW(params, **options), STARTS, GRADS, state_keys=keys[1:])
    assert_runs_match(actual, reference(options), keys, f"AdamW({options})",
                      {"weight decay coupled into the gradient (that is Adam's L2, not AdamW)": reference(options, decoupled=False)})


def test_with_zero_gradient_weights_shrink_by_one_minus_lr_times_decay_per_step():
    param = PlainParameter([2.0, -0.01, 300.0])
    optimizer = AdamW([param], lr=0.1, weight_decay=0.5)
    for _ in range(10):
        param.grad = np.zeros(3)
        optimizer.step()
    # g = 0 keeps m = v = 0, so Adam's part is 0 / (0 + eps) = 0: only the decay acts, (1 - 0.05)**10.
    expected = np.array([2.0, -0.01, 300.0]) * 0.95**10
    assert_close(param.data, expected, rtol=1e-12, atol=0, what="AdamW after 10 steps with zero gradient (lr=0.1, weight_decay=0.5)",
                 alternatives={"weight decay coupled into the gradient: Adam normalises it to about lr * sign(p) per step":
                               adam_run(np.array([2.0, -0.01, 300.0]), [np.zeros(3)] * 10, lr=0.1, weight_decay=0.5)[-1]["param"]})


def test_step_never_touches_grad():
    param = PlainParameter([1.0, -2.0])
    param.grad = np.array([0.3, 0.4])
    grad_before = param.grad.copy()
    AdamW([param], lr=0.1, weight_decay=0.5).step()
    assert_close(param.grad, grad_before, rtol=0, atol=0, what=".grad after an AdamW step")
    assert not np.allclose(param.data, [1.0, -2.0]), "step() did not move the parameter"


@pytest.mark.parametrize("bad,argument", [
    (dict(lr=-1e-3), "lr"), (dict(betas=(0.9, 1.0)), r"betas\[1\]"), (dict(eps=-1e-8), "eps"), (dict(weight_decay=-0.1), "weight_decay")])
def test_rejects_bad_hyperparameters_and_steps_with_good_ones(bad, argument):
    with pytest.raises(ValueError, match=argument):
        AdamW([PlainParameter([1.0])], **bad)
    param = PlainParameter([1.0])
    param.grad = np.array([-4.0])
    AdamW([param], lr=0.1, eps=0.0, weight_decay=0.5).step()
    assert_close(param.data, [1.0 * 0.95 + 0.1], rtol=1e-12, atol=0, what="one AdamW step, lr=0.1, g=-4, weight_decay=0.5, eps=0")


def test_adamw_is_an_adam_with_decoupled_decay_and_its_own_default():
    param = PlainParameter([1.0])
    optimizer = AdamW([param])
    assert isinstance(optimizer, Adam), "AdamW is built on Adam (a subclass: same arguments, checks and state)"
    assert optimizer.param_groups[0]["weight_decay"] == 1e-2, "AdamW's default weight_decay is 1e-2 (Adam's is 0)"
    with pytest.raises(TypeError, match=r"betas must be a pair"):
        AdamW([PlainParameter([1.0])], betas=0.9)
    param.grad = np.array([-4.0])
    optimizer.param_groups[0].update(lr=0.1, eps=0.0, weight_decay=0.5)
    optimizer.step()
    assert_close(param.data, [1.0 * 0.95 + 0.1], rtol=1e-12, atol=0,
                 what="one AdamW step after setting lr=0.1, eps=0, weight_decay=0.5 in param_groups[0], g=-4")
