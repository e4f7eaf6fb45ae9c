"""AdamW: Adam with weight decay taken out of the gradient and applied to the weights directly."""
from __future__ import annotations

from typing import Iterable

import numpy as np

from .adam import Adam, adam_step


class AdamW(Adam):
    """``AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False)``.

    Adam (same arguments, checks and state) with another weight decay and
    another default for it.  One step, for each parameter ``p`` with gradient
    ``grad``, with the hyperparameters of its group::

        p <- p * (1 - lr * weight_decay)              (decoupled: shrink the weights first)
        adam_step with g = grad                       (see Adam; the decay never enters m or v)

    Why decouple: in Adam the L2 term ``weight_decay * p`` is divided by
    ``sqrt(v_hat)``, so weights with large gradients are barely decayed; AdamW
    shrinks every weight by the same factor ``1 - lr * weight_decay`` per step.
    """

    def __init__(
        self,
        params: Iterable,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
    ):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)

    def update(self, param, grad: np.ndarray, state: dict, group: dict) -> None:
        lr, weight_decay = group["lr"], group["weight_decay"]
        # BEGIN SOLUTION 3.8
        param.data *= 1 - lr * weight_decay
        adam_step(param, grad, state, group)
        # END SOLUTION
