"""Independent NumPy implementations of PyTorch's optimizer formulas (stage 3 tests).

Written from the update rules in the PyTorch documentation, as pure
functions over a whole run: given the starting parameter and the gradient
received at each step, return the parameter and the state after every step.
They never import learndyn.  Adam is written in PyTorch's implementation
form (``step_size = lr / bias_correction1``, ``denom = sqrt(v) / sqrt(bias_correction2) + eps``),
algebraically equal to the documented formula but rounded differently: the
results agree to ~1e-15 relative per step.
"""
from __future__ import annotations

import numpy as np


def sgd_run(param, grads, lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0, keep_buffer=True):
    """PyTorch SGD; ``keep_buffer=False`` gives the bug where the buffer restarts every step."""
    p, buf, history = np.array(param, dtype=float), None, []
    for t, grad in enumerate(grads, start=1):
        d_p = grad + weight_decay * p if weight_decay else np.array(grad, dtype=float)
        if momentum:
            buf = d_p.copy() if (t == 1 or not keep_buffer) else momentum * buf + (1 - dampening) * d_p
            d_p = d_p + momentum * buf if nesterov else buf
        p = p - lr * d_p
        history.append({"param": p, "momentum_buffer": None if buf is None else buf.copy()})
    return history


def rmsprop_run(param, grads, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False,
                eps_inside_sqrt=False):
    """PyTorch RMSprop; ``eps_inside_sqrt=True`` gives the bug sqrt(v + eps)."""
    p = np.array(param, dtype=float)
    square_avg, grad_avg, buf = np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
    history = []
    for t, grad in enumerate(grads, start=1):
        g = grad + weight_decay * p if weight_decay else np.array(grad, dtype=float)
        square_avg = alpha * square_avg + (1 - alpha) * g * g
        if centered:
            grad_avg = alpha * grad_avg + (1 - alpha) * g
            variance = square_avg - grad_avg**2
        else:
            variance = square_avg
        denom = np.sqrt(variance + eps) if eps_inside_sqrt else np.sqrt(variance) + eps
        if momentum > 0:
            buf = momentum * buf + g / denom
            p = p - lr * buf
        else:
            p = p - lr * g / denom
        history.append({"param": p, "square_avg": square_avg.copy(), "grad_avg": grad_avg.copy(),
                        "momentum_buffer": buf.copy(), "step": t})
    return history


def adam_run(param, grads, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False,
             decoupled=False, bias_correction=True):
    """PyTorch Adam (``decoupled=True``: AdamW); ``bias_correction=False`` gives that bug."""
    beta1, beta2 = betas
    p = np.array(param, dtype=float)
    exp_avg, exp_avg_sq, max_exp_avg_sq = np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
    history = []
    for t, grad in enumerate(grads, start=1):
        g = np.array(grad, dtype=float)
        if decoupled:
            p = p * (1 - lr * weight_decay)
        elif weight_decay:
            g = g + weight_decay * p
        exp_avg = exp_avg + (1 - beta1) * (g - exp_avg)  # = beta1 * m + (1 - beta1) * g, another rounding
        exp_avg_sq = beta2 * exp_avg_sq + (1 - beta2) * g * g
        correction1 = 1 - beta1**t if bias_correction else 1.0
        correction2 = 1 - beta2**t if bias_correction else 1.0
        if amsgrad:
            max_exp_avg_sq = np.maximum(max_exp_avg_sq, exp_avg_sq)
            denom = np.sqrt(max_exp_avg_sq) / np.sqrt(correction2) + eps
        else:
            denom = np.sqrt(exp_avg_sq) / np.sqrt(correction2) + eps
        p = p - (lr / correction1) * exp_avg / denom
        history.append({"param": p, "exp_avg": exp_avg.copy(), "exp_avg_sq": exp_avg_sq.copy(),
                        "max_exp_avg_sq": max_exp_avg_sq.copy(), "step": t})
    return history
