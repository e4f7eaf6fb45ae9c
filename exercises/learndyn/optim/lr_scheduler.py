"""Learning-rate schedules that drive any optimizer through its ``param_groups`` (as ``torch.optim.lr_scheduler``).

    optimizer = SGD(model.parameters(), lr=0.5)
    scheduler = LinearLR(optimizer, start_factor=0.1, total_iters=100)   # warm-up: lr 0.05 -> 0.5 over 100 steps
    for epoch in range(epochs):
        optimizer.zero_grad(); loss_fn().backward(); optimizer.step()
        scheduler.step()                                                  # after optimizer.step()

A scheduler writes ``group["lr"]`` of every parameter group; the optimizer
reads it at its next step.  ``epoch`` (``last_epoch``) counts the calls of
``scheduler.step()``: making the scheduler sets epoch 0's learning rate, so the
first ``optimizer.step()`` already uses it.  ``base_lr`` is the group's learning
rate when the first scheduler was made, kept in ``group["initial_lr"]`` (as
PyTorch does).  ``get_last_lr()`` lists the learning rates set last, one per group.

Each schedule is PyTorch's documented closed form, with ``epoch = last_epoch``::

    StepLR             lr = base_lr * gamma ** (epoch // step_size)
    CosineAnnealingLR  lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2
    LinearLR           lr = base_lr * (start_factor + (end_factor - start_factor) * min(epoch, total_iters) / total_iters)

(Cosine keeps following the cosine after ``T_max``, back up towards
``base_lr``, as PyTorch's does.)  PyTorch computes most schedules in a
recursive "chainable" form, so that two schedulers on one optimizer multiply;
here every step writes the closed form, so the last scheduler to step sets the
learning rate: use one scheduler per optimizer.
"""
from __future__ import annotations

import math
import numbers

from .optimizer import check_at_least, check_real


def _check_count(name: str, value, low: int = 1) -> None:
    """TypeError unless an int (not bool); ValueError unless ``value >= low``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {low}, got {value!r} ({type(value).__name__})")
    if value < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")


class LRScheduler:
    """Base class: subclasses define ``lr_at(epoch, base_lr)``, the learning rate of a group at ``epoch``."""

    def __init__(self, optimizer):
        if not isinstance(getattr(optimizer, "param_groups", None), list):
            raise TypeError(f"optimizer must be an optimizer with param_groups (e.g. learndyn.optim.SGD), "
                            f"got {optimizer!r:.80} ({type(optimizer).__name__})")
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = -1
        self._last_lr: list[float] = []
        self.step()

    def lr_at(self, epoch: int, base_lr: float) -> float:
        raise NotImplementedError(f"{type(self).__name__} must define lr_at()")

    def step(self) -> None:
        """Advance one epoch and write its learning rate into every parameter group."""
        self.last_epoch += 1
        self._last_lr = [float(self.lr_at(self.last_epoch, base_lr)) for base_lr in self.base_lrs]
        for group, lr in zip(self.optimizer.param_groups, self._last_lr):
            group["lr"] = lr

    def get_last_lr(self) -> list[float]:
        """The learning rates set by the last ``step()`` (or by making the scheduler), one per group."""
        return list(self._last_lr)


class StepLR(LRScheduler):
    """``StepLR(optimizer, step_size, gamma=0.1)``: ``lr = base_lr * gamma ** (epoch // step_size)``."""

    def __init__(self, optimizer, step_size: int, gamma: float = 0.1):
        _check_count("step_size", step_size)
        check_at_least("gamma", gamma, 0.0)
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer)

    def lr_at(self, epoch: int, base_lr: float) -> float:
        return base_lr * self.gamma ** (epoch // self.step_size)


class CosineAnnealingLR(LRScheduler):
    """``CosineAnnealingLR(optimizer, T_max, eta_min=0)``:
    ``lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2``, from base_lr at epoch 0 to eta_min at T_max."""

    def __init__(self, optimizer, T_max: int, eta_min: float = 0.0):
        _check_count("T_max", T_max)
        check_at_least("eta_min", eta_min, 0.0)
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer)

    def lr_at(self, epoch: int, base_lr: float) -> float:
        return self.eta_min + (base_lr - self.eta_min) * (1 + math.cos(math.pi * epoch / self.T_max)) / 2


class LinearLR(LRScheduler):
    """``LinearLR(optimizer, start_factor=1/3, end_factor=1.0, total_iters=5)``: the factor on base_lr goes
    linearly from start_factor at epoch 0 to end_factor at total_iters and stays there (a warm-up when start_factor < 1):
    ``lr = base_lr * (start_factor + (end_factor - start_factor) * min(epoch, total_iters) / total_iters)``."""

    def __init__(self, optimizer, start_factor: float = 1.0 / 3, end_factor: float = 1.0, total_iters: int = 5):
        check_real("start_factor", start_factor, "a real number in (0, 1]")
        if not 0.0 < start_factor <= 1.0:
            raise ValueError(f"start_factor must be a real number in (0, 1], got {start_factor!r}")
        check_real("end_factor", end_factor, "a real number in [0, 1]")
        if not 0.0 <= end_factor <= 1.0:
            raise ValueError(f"end_factor must be a real number in [0, 1], got {end_factor!r}")
        _check_count("total_iters", total_iters)
        self.start_factor, self.end_factor, self.total_iters = start_factor, end_factor, total_iters
        super().__init__(optimizer)

    def lr_at(self, epoch: int, base_lr: float) -> float:
        progress = min(epoch, self.total_iters) / self.total_iters
        return base_lr * (self.start_factor + (self.end_factor - self.start_factor) * progress)
