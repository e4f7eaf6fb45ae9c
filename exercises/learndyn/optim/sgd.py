"""Stochastic gradient descent, with momentum, Nesterov momentum and weight decay (PyTorch's SGD)."""
from __future__ import annotations

from typing import Iterable

import numpy as np

from .optimizer import Optimizer, check_at_least, check_flag, check_real, l2_regularised_gradient


class SGD(Optimizer):
    """``SGD(params, lr, momentum=0, dampening=0, nesterov=False, weight_decay=0)``.

    One step, for each parameter ``p`` with gradient ``grad``, with the
    hyperparameters of its group::

        g <- grad + weight_decay * p                  (l2_regularised_gradient; only if weight_decay != 0)
        if momentum != 0:
            b <- g                                    on the parameter's first step
            b <- momentum * b + (1 - dampening) * g   on every later step
            g <- g + momentum * b                     if nesterov (look ahead along b)
            g <- b                                    otherwise
        p <- p - lr * g

    State per parameter: ``momentum_buffer`` (``b``, created on the first step
    as a copy of ``g``, so the first step is a plain gradient step: no
    dampening, no bias towards zero).  Heavy-ball momentum makes each step a
    geometric sum of past gradients: on a steady slope the step grows to
    ``lr * g / (1 - momentum)``.
    """

    def __init__(
        self,
        params: Iterable,
        lr: float,
        momentum: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ):
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov,
                                      weight_decay=weight_decay))

    def check_hyperparameters(self, group: dict) -> None:
        check_at_least("lr", group["lr"], 0.0)
        check_at_least("momentum", group["momentum"], 0.0)
        check_at_least("weight_decay", group["weight_decay"], 0.0)
        dampening, momentum = group["dampening"], group["momentum"]
        check_real("dampening", dampening, "a real number in [0, 1]")
        if not 0.0 <= dampening <= 1.0:
            raise ValueError(f"dampening must be a real number in [0, 1], got {dampening!r}")
        check_flag("nesterov", group["nesterov"])
        if group["nesterov"] and (momentum <= 0 or dampening != 0):
            raise ValueError(f"nesterov=True needs momentum > 0 and dampening == 0, got momentum={momentum!r}, dampening={dampening!r}")

    def update(self, param, grad: np.ndarray, state: dict, group: dict) -> None:
        lr, momentum, dampening, nesterov = group["lr"], group["momentum"], group["dampening"], group["nesterov"]
        # --- your code for task 3.5 ---
        raise NotImplementedError('stage 3, task 3.5 (SGD with momentum, Nesterov and weight decay): implement SGD.update. Hint: python grader.py hint 3.5')
        # --- end of task 3.5 ---
