"""RMSprop: divide each coordinate's step by a running root-mean-square of its gradient (PyTorch's RMSprop)."""
from __future__ import annotations

from typing import Iterable

import numpy as np

from .optimizer import Optimizer, check_at_least, check_flag, check_in_unit_interval, l2_regularised_gradient


class RMSprop(Optimizer):
    """``RMSprop(params, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False)``.

    One step, for each parameter ``p`` with gradient ``grad``, with the
    hyperparameters of its group::

        g <- grad + weight_decay * p                         (l2_regularised_gradient; only if weight_decay != 0)
        v <- alpha * v + (1 - alpha) * g**2
        v_tilde <- v
        if centered:
            g_avg <- alpha * g_avg + (1 - alpha) * g
            v_tilde <- v - g_avg**2                          (a variance instead of a second moment)
        if momentum > 0:
            b <- momentum * b + g / (sqrt(v_tilde) + eps)
            p <- p - lr * b
        else:
            p <- p - lr * g / (sqrt(v_tilde) + eps)

    State per parameter, all starting at zeros on the first step:
    ``square_avg`` (``v``), ``grad_avg`` (``g_avg``, only if centered),
    ``momentum_buffer`` (``b``, only if momentum > 0), and ``step`` (the number
    of steps taken).  There is no bias correction: with a constant gradient
    ``v = (1 - alpha**t) * g**2`` after ``t`` steps, so the step is
    ``lr / sqrt(1 - alpha**t)`` per coordinate (for ``eps`` << |g|), large at first.
    ``eps`` is added *outside* the square root.
    """

    def __init__(
        self,
        params: Iterable,
        lr: float = 0.01,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                                      centered=centered))

    def check_hyperparameters(self, group: dict) -> None:
        check_at_least("lr", group["lr"], 0.0)
        check_in_unit_interval("alpha", group["alpha"])
        check_at_least("eps", group["eps"], 0.0)
        check_at_least("weight_decay", group["weight_decay"], 0.0)
        check_at_least("momentum", group["momentum"], 0.0)
        check_flag("centered", group["centered"])

    def update(self, param, grad: np.ndarray, state: dict, group: dict) -> None:
        lr, alpha, eps, momentum, centered = group["lr"], group["alpha"], group["eps"], group["momentum"], group["centered"]
        # --- your code for task 3.6 ---
        raise NotImplementedError('stage 3, task 3.6 (RMSprop): implement RMSprop.update. Hint: python grader.py hint 3.6')
        # --- end of task 3.6 ---
