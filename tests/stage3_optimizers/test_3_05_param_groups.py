"""Task 3.5: SGD's hyperparameters live in param_groups (as in torch.optim), its state per parameter,
and bad arguments are refused at the door with a message naming the argument, the allowed values and the value."""
import numpy as np
import pytest

from learndyn.optim import SGD
from oracle import assert_close
from oracle.stage3_plain_parameters import PlainParameter, gradient_sequence
from oracle.stage3_reference_optimizers import sgd_run

pytestmark = pytest.mark.task("3.5")


def one_plain_step_moves_by_lr_times_g():
    """A plain SGD step, lr = 0.1 and g = 2: the part of each test below that needs your SGD.update."""
    param = PlainParameter([1.0])
    param.grad = np.array([2.0])
    SGD([param], lr=0.1).step()
    assert_close(param.data, [0.8], rtol=1e-12, atol=0, what="one plain SGD step, lr=0.1, g=2")


def test_a_change_of_param_groups_lr_takes_effect_at_the_next_step():
    param = PlainParameter([1.0, -2.0])
    optimizer = SGD([param], lr=0.1, momentum=0.0)
    group = optimizer.param_groups[0]
    assert group["params"] == [param] and {key: group[key] for key in optimizer.defaults} == optimizer.defaults, (
        f"param_groups[0] must hold the parameters and every hyperparameter, got {group}")
    assert not hasattr(optimizer, "lr"), "hyperparameters are read from param_groups only (no opt.lr that could disagree)"
    gradient = np.array([1.0, 3.0])
    moved = []
    for lr in (None, 0.5, 0.02):
        if lr is not None:
            optimizer.param_groups[0]["lr"] = lr
        before = param.data.copy()
        param.grad = gradient.copy()
        optimizer.step()
        moved.append((before - param.data) / gradient)
    assert_close(np.array(moved), np.array([[0.1, 0.1], [0.5, 0.5], [0.02, 0.02]]), rtol=1e-12, atol=0,
                 what="step / gradient after setting param_groups[0]['lr'] to 0.5, then 0.02 (each row one step)",
                 alternatives={"the learning rate was copied at construction (e.g. self.lr) instead of read from the group":
                               np.full((3, 2), 0.1)})
    assert "lr: 0.02" in repr(optimizer), f"the repr must show the current hyperparameters, got {optimizer!r}"


def test_each_parameter_group_steps_with_its_own_hyperparameters():
    steps = 20
    starts = [np.array([0.5, -1.0]), np.array([2.0, 0.3, -0.7])]
    grads = [gradient_sequence((2,), steps, seed=11), gradient_sequence((3,), steps, seed=12)]
    params = [PlainParameter(start) for start in starts]
    optimizer = SGD([{"params": [params[0]], "lr": 0.05, "momentum": 0.9, "nesterov": True},
                     {"params": [params[1]]}], lr=0.1, weight_decay=0.1)
    for t in range(steps):
        for param, grad in zip(params, grads):
            param.grad = grad[t].copy()
        optimizer.step()
    expected = [sgd_run(starts[0], grads[0], lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1)[-1]["param"],
                sgd_run(starts[1], grads[1], lr=0.1, weight_decay=0.1)[-1]["param"]]
    for i, (param, want) in enumerate(zip(params, expected)):
        assert_close(param.data, want, rtol=1e-10, atol=1e-12, what=f"parameter of group {i} after {steps} steps",
                     alternatives={"every group stepped with the defaults (lr=0.1, no momentum)":
                                   sgd_run(starts[i], grads[i], lr=0.1, weight_decay=0.1)[-1]["param"]})
    assert "momentum_buffer" in optimizer.state[params[0]] and "momentum_buffer" not in optimizer.state[params[1]], \
        "state[param] holds a momentum buffer exactly for the parameters whose group uses momentum"


def test_state_is_a_dict_per_parameter_keyed_by_the_parameter():
    param = PlainParameter([1.0, 2.0])
    param.grad = np.array([0.5, -1.0])
    optimizer = SGD([param], lr=0.1, momentum=0.9)
    optimizer.step()
    assert set(optimizer.state) == {param}, f"state must be keyed by the parameter itself, got keys {list(optimizer.state)}"
    assert_close(optimizer.state[param]["momentum_buffer"], [0.5, -1.0], rtol=0, atol=0,
                 what="state[param]['momentum_buffer'] after the first step (a copy of g)")


BAD_ARGUMENTS = {
    # name: (how SGD is called, exception, a regular expression the message must match)
    "a single parameter": (lambda p: SGD(p, lr=0.1), TypeError, r"params must be an iterable .*got a single PlainParameter"),
    "a set of parameters": (lambda p: SGD({p}, lr=0.1), TypeError, r"params must be an iterable .*got \{.*\} \(set\).*no order"),
    "no parameters": (lambda p: SGD([], lr=0.1), ValueError, r"params must hold at least one parameter, got an empty list"),
    "an array as a parameter": (lambda p: SGD([np.zeros(3)], lr=0.1), TypeError, r"params\[0\] must be a parameter .*\(ndarray\)"),
    "a parameter twice": (lambda p: SGD([p, p], lr=0.1), ValueError, r"params\[1\] appears twice"),
    "lr=None": (lambda p: SGD([p], lr=None), TypeError, r"lr must be a real number >= 0.*, got None \(NoneType\)"),
    "lr as a string": (lambda p: SGD([p], lr="0.1"), TypeError, r"lr must be a real number >= 0.*, got '0.1' \(str\)"),
    "lr=-0.1": (lambda p: SGD([p], lr=-0.1), ValueError, r"lr must be a real number >= 0.*, got -0.1"),
    "momentum=nan": (lambda p: SGD([p], lr=0.1, momentum=float("nan")), ValueError, r"momentum must be a real number >= 0.*, got nan"),
    "nesterov='yes'": (lambda p: SGD([p], lr=0.1, momentum=0.9, nesterov="yes"), TypeError, r"nesterov must be True or False, got 'yes' \(str\)"),
    "a bad lr in a group": (lambda p: SGD([{"params": [p], "lr": -1.0}], lr=0.1), ValueError, r"lr must be a real number >= 0.*, got -1.0"),
    "an unknown key in a group": (lambda p: SGD([{"params": [p], "learning_rate": 0.5}], lr=0.1), ValueError,
                                  r"unknown hyperparameters \['learning_rate'\].*SGD takes \['dampening', 'lr', 'momentum', 'nesterov', 'weight_decay'\]"),
}


@pytest.mark.parametrize("case", list(BAD_ARGUMENTS))
def test_bad_arguments_are_refused_at_the_door_and_good_ones_step(case):
    call, error, message = BAD_ARGUMENTS[case]
    with pytest.raises(error, match=message):
        call(PlainParameter([1.0]))
    one_plain_step_moves_by_lr_times_g()
