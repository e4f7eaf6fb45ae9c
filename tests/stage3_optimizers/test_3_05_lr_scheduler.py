"""Task 3.5: SGD driven by the learning-rate schedulers of learndyn.optim.lr_scheduler, against PyTorch's documented formulas.

The schedulers are given (not a task); what is graded is that your SGD takes, at every epoch,
exactly the step lr_t * g that the schedule sets in param_groups. The formulas below are
written from the torch.optim.lr_scheduler documentation, never from learndyn.
"""
import math

import numpy as np
import pytest

from learndyn.optim import SGD
from learndyn.optim.lr_scheduler import CosineAnnealingLR, LinearLR, StepLR
from oracle import assert_close
from oracle.stage3_plain_parameters import PlainParameter

pytestmark = pytest.mark.task("3.5")

EPOCHS = 30
BASE_LRS = (0.1, 0.4)  # two parameter groups, so that each keeps its own base_lr


def step_lr(epoch, base_lr, step_size, gamma):
    return base_lr * gamma ** (epoch // step_size)


def cosine_annealing_lr(epoch, base_lr, T_max, eta_min):
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * epoch / T_max)) / 2


def linear_lr(epoch, base_lr, start_factor, end_factor, total_iters):
    return base_lr * (start_factor + (end_factor - start_factor) * min(epoch, total_iters) / total_iters)


SCHEDULES = {
    "StepLR": (lambda opt: StepLR(opt, step_size=7, gamma=0.5), lambda t, base: step_lr(t, base, 7, 0.5)),
    "CosineAnnealingLR": (lambda opt: CosineAnnealingLR(opt, T_max=20, eta_min=0.01),
                          lambda t, base: cosine_annealing_lr(t, base, 20, 0.01)),  # 30 epochs: past T_max, back up
    "LinearLR warm-up": (lambda opt: LinearLR(opt, start_factor=0.1, total_iters=10),
                         lambda t, base: linear_lr(t, base, 0.1, 1.0, 10)),
    "LinearLR decay": (lambda opt: LinearLR(opt, start_factor=1.0, end_factor=0.25, total_iters=12),
                       lambda t, base: linear_lr(t, base, 1.0, 0.25, 12)),
}


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_sgd_steps_with_the_documented_learning_rate_at_every_epoch(name):
    make_scheduler, formula = SCHEDULES[name]
    params = [PlainParameter([1.0, -2.0]), PlainParameter([0.5])]
    optimizer = SGD([{"params": [params[0]], "lr": BASE_LRS[0]}, {"params": [params[1]], "lr": BASE_LRS[1]}], lr=1.0)
    scheduler = make_scheduler(optimizer)
    gradients = [np.array([1.0, -3.0]), np.array([2.0])]
    stepped, announced = [], []
    for _ in range(EPOCHS):
        announced.append(scheduler.get_last_lr())
        before = [p.data.copy() for p in params]
        for param, gradient in zip(params, gradients):
            param.grad = gradient.copy()
        optimizer.step()
        scheduler.step()  # after optimizer.step(), as in PyTorch
        stepped.append([np.mean((b - p.data) / g) for b, p, g in zip(before, params, gradients)])
    expected = np.array([[formula(t, base) for base in BASE_LRS] for t in range(EPOCHS)])
    # The same closed form evaluated the same way: only rounding differs (~1e-16 relative); the step adds one more.
    assert_close(np.array(announced), expected, rtol=1e-13, atol=0,
                 what=f"{name}: get_last_lr() at epochs 0..{EPOCHS - 1} (rows) for base lrs {BASE_LRS} (columns)")
    assert_close(np.array(stepped), expected, rtol=1e-9, atol=0,
                 what=f"{name}: the step SGD took divided by the gradient, at each epoch (rows) and group (columns)",
                 alternatives={"SGD used the lr it was made with, not the one the schedule set in param_groups":
                               np.tile(BASE_LRS, (EPOCHS, 1))})
    assert [group["initial_lr"] for group in optimizer.param_groups] == list(BASE_LRS), "base lrs are kept as initial_lr"


BAD_SCHEDULERS = {
    "step_size=0": (lambda opt: StepLR(opt, step_size=0), ValueError, r"step_size must be an integer >= 1, got 0"),
    "step_size=2.5": (lambda opt: StepLR(opt, step_size=2.5), TypeError, r"step_size must be an integer >= 1, got 2.5 \(float\)"),
    "T_max=None": (lambda opt: CosineAnnealingLR(opt, T_max=None), TypeError, r"T_max must be an integer >= 1, got None"),
    "eta_min=-1": (lambda opt: CosineAnnealingLR(opt, T_max=5, eta_min=-1.0), ValueError, r"eta_min must be a real number >= 0.*, got -1.0"),
    "start_factor=0": (lambda opt: LinearLR(opt, start_factor=0.0), ValueError, r"start_factor must be a real number in \(0, 1\], got 0.0"),
    "end_factor=1.5": (lambda opt: LinearLR(opt, end_factor=1.5), ValueError, r"end_factor must be a real number in \[0, 1\], got 1.5"),
    "not an optimizer": (lambda opt: StepLR([1.0], step_size=2), TypeError, r"optimizer must be an optimizer with param_groups"),
}


@pytest.mark.parametrize("case", list(BAD_SCHEDULERS))
def test_bad_scheduler_arguments_are_refused_and_a_good_schedule_drives_sgd(case):
    make, error, message = BAD_SCHEDULERS[case]
    param = PlainParameter([1.0])
    optimizer = SGD([param], lr=0.2)
    with pytest.raises(error, match=message):
        make(optimizer)
    scheduler = StepLR(optimizer, step_size=1, gamma=0.5)
    for _ in range(3):
        param.grad = np.array([1.0])
        optimizer.step()
        scheduler.step()
    assert_close(param.data, [1.0 - 0.2 - 0.1 - 0.05], rtol=1e-12, atol=0, what="three SGD steps under StepLR(step_size=1, gamma=0.5), lr=0.2, g=1")
