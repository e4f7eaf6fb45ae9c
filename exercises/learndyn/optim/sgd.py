"""Stochastic gradient descent, with momentum, Nesterov momentum and weight decay (PyTorch's SGD)."""
from __future__ import annotations

from typing import Iterable

import numpy as np

from .optimizer import Optimizer, check_at_least


class SGD(Optimizer):
    """``SGD(params, lr, momentum=0, dampening=0, nesterov=False, weight_decay=0)``.

    One step, for each parameter ``p`` with gradient ``grad``::

        g <- grad + weight_decay * p                  (only if weight_decay != 0)
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
        check_at_least("lr", lr, 0.0)
        check_at_least("momentum", momentum, 0.0)
        check_at_least("weight_decay", weight_decay, 0.0)
        if not 0.0 <= dampening <= 1.0:
            raise ValueError(f"dampening must be in [0, 1], got {dampening!r}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError(f"nesterov=True needs momentum > 0 and dampening == 0, got momentum={momentum!r}, dampening={dampening!r}")
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, nesterov=bool(nesterov), weight_decay=weight_decay)
        super().__init__(params, defaults)

    def update(self, param, grad: np.ndarray, state: dict) -> None:
        lr, momentum, dampening = self.lr, self.momentum, self.dampening
        # --- your code for task 3.5 ---
        raise NotImplementedError('stage 3, task 3.5 (SGD with momentum, Nesterov and weight decay): implement SGD.update. Hint: python grader.py hint 3.5')
        # --- end of task 3.5 ---
