"""Adam: momentum on the gradient, RMS scaling per coordinate, both bias-corrected (PyTorch's Adam)."""
from __future__ import annotations

from typing import Iterable

import numpy as np

from .optimizer import Optimizer, check_at_least, check_in_unit_interval


def check_adam_hyperparameters(lr: float, betas: tuple[float, float], eps: float, weight_decay: float) -> None:
    """The checks Adam and AdamW share: ValueError naming the argument, its range and its value."""
    check_at_least("lr", lr, 0.0)
    if len(betas) != 2:
        raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
    check_in_unit_interval("betas[0]", betas[0])
    check_in_unit_interval("betas[1]", betas[1])
    check_at_least("eps", eps, 0.0)
    check_at_least("weight_decay", weight_decay, 0.0)


class Adam(Optimizer):
    """``Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False)``.

    One step, for each parameter ``p`` with gradient ``grad``, with
    ``beta1, beta2 = betas``::

        t <- t + 1                                    (t counts this parameter's steps from 1)
        g <- grad + weight_decay * p                  (only if weight_decay != 0: L2, *coupled*)
        m <- beta1 * m + (1 - beta1) * g
        v <- beta2 * v + (1 - beta2) * g**2
        m_hat <- m / (1 - beta1**t)
        if amsgrad:
            v_max <- maximum(v_max, v)
            v_hat <- v_max / (1 - beta2**t)
        else:
            v_hat <- v / (1 - beta2**t)
        p <- p - lr * m_hat / (sqrt(v_hat) + eps)

    State per parameter: ``step`` (``t``), ``exp_avg`` (``m``), ``exp_avg_sq``
    (``v``) and, if amsgrad, ``max_exp_avg_sq`` (``v_max``); ``m``, ``v``,
    ``v_max`` start at zeros.  Because they start at zero, ``m`` and ``v`` are
    biased towards zero early on; dividing by ``1 - beta**t`` removes that bias,
    so the first step is ``lr * g / (|g| + eps)``: about ``lr`` per coordinate.
    """

    def __init__(
        self,
        params: Iterable,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
    ):
        check_adam_hyperparameters(lr, betas, eps, weight_decay)
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, amsgrad=bool(amsgrad))
        super().__init__(params, defaults)

    def update(self, param, grad: np.ndarray, state: dict) -> None:
        # --- your code for task 3.7 ---
        raise NotImplementedError('stage 3, task 3.7 (Adam): implement Adam.update. Hint: python grader.py hint 3.7')
        # --- end of task 3.7 ---


def adam_step(param, g: np.ndarray, state: dict, lr: float, betas: tuple[float, float], eps: float, amsgrad: bool) -> None:
    """The moment updates and the bias-corrected step of Adam, shared with AdamW (see ``Adam``)."""
    beta1, beta2 = betas
    # --- your code for task 3.7 ---
    raise NotImplementedError('stage 3, task 3.7 (Adam): implement adam_step. Hint: python grader.py hint 3.7')
    # --- end of task 3.7 ---
