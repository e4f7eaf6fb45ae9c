"""Adam: momentum on the gradient, RMS scaling per coordinate, both bias-corrected (PyTorch's Adam)."""
from __future__ import annotations

from typing import Iterable

import numpy as np

from .optimizer import Optimizer, check_at_least, check_flag, check_in_unit_interval, l2_regularised_gradient


def check_betas(betas) -> None:
    """TypeError unless a pair (a tuple or list of two); ValueError unless both are in [0, 1)."""
    if not isinstance(betas, (tuple, list)):
        raise TypeError(f"betas must be a pair (beta1, beta2) of real numbers in [0, 1), got {betas!r} ({type(betas).__name__})")
    if len(betas) != 2:
        raise ValueError(f"betas must be a pair (beta1, beta2) of real numbers in [0, 1), got {len(betas)} values: {betas!r}")
    check_in_unit_interval("betas[0]", betas[0])
    check_in_unit_interval("betas[1]", betas[1])


class Adam(Optimizer):
    """``Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False)``.

    One step, for each parameter ``p`` with gradient ``grad``, with
    ``beta1, beta2 = betas`` and the other hyperparameters of its group::

        g <- grad + weight_decay * p                  (l2_regularised_gradient: L2, *coupled*; only if weight_decay != 0)
        t <- t + 1                                    (t counts this parameter's steps from 1)
        m <- beta1 * m + (1 - beta1) * g
        v <- beta2 * v + (1 - beta2) * g**2
        m_hat <- m / (1 - beta1**t)
        if amsgrad:
            v_max <- maximum(v_max, v)
            v_hat <- v_max / (1 - beta2**t)
        else:
            v_hat <- v / (1 - beta2**t)
        p <- p - lr * m_hat / (sqrt(v_hat) + eps)

    Everything after the first line is ``adam_step``, which AdamW shares.
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
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad))

    def check_hyperparameters(self, group: dict) -> None:
        check_at_least("lr", group["lr"], 0.0)
        check_betas(group["betas"])
        check_at_least("eps", group["eps"], 0.0)
        check_at_least("weight_decay", group["weight_decay"], 0.0)
        check_flag("amsgrad", group["amsgrad"])

    def update(self, param, grad: np.ndarray, state: dict, group: dict) -> None:
        # --- your code for task 3.7 ---
        raise NotImplementedError('stage 3, task 3.7 (Adam): implement Adam.update. Hint: python grader.py hint 3.7')
        # --- end of task 3.7 ---


def adam_step(param, g: np.ndarray, state: dict, group: dict) -> None:
    """The moment updates and the bias-corrected step of Adam, shared with AdamW (see ``Adam``)."""
    lr, (beta1, beta2), eps, amsgrad = group["lr"], group["betas"], group["eps"], group["amsgrad"]
    # --- your code for task 3.7 ---
    raise NotImplementedError('stage 3, task 3.7 (Adam): implement adam_step. Hint: python grader.py hint 3.7')
    # --- end of task 3.7 ---
