"""MLP training step: the reference engine vs the same math hand-written in NumPy.

A step is forward, backward and an SGD update of a tanh MLP [width, width, width, 1]
on a batch of 128 float64 inputs with a mean-squared-error loss.
"""
from __future__ import annotations

import numpy as np

from common import interleaved_medians, table, use_reference_engine

use_reference_engine()
from learndyn import no_grad  # noqa: E402
from learndyn import nn  # noqa: E402

BATCH, LR = 128, 1e-3


def engine_step(model, x, y):
    def step():
        model.zero_grad()
        loss = nn.mse_loss(model(x), y)
        loss.backward()
        with no_grad():
            for p in model.parameters():
                p.data -= LR * p.grad
    return step


def numpy_step(weights, biases, x, y):
    """The same step by hand: forward, backprop and update, no framework."""
    def step():
        activations = [x]
        h = x
        for k, (w, b) in enumerate(zip(weights, biases)):
            h = h @ w.T + b
            if k < len(weights) - 1:
                h = np.tanh(h)
            activations.append(h)
        grad = 2.0 * (h - y) / h.size
        for k in reversed(range(len(weights))):
            if k < len(weights) - 1:
                grad = grad * (1.0 - activations[k + 1] ** 2)
            grad_w, grad_b = grad.T @ activations[k], grad.sum(axis=0)
            grad = grad @ weights[k]
            weights[k] -= LR * grad_w
            biases[k] -= LR * grad_b
    return step


def measure(width: int) -> dict[str, float]:
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(BATCH, width)), rng.normal(size=(BATCH, 1))
    model = nn.MLP([width, width, width, 1], activation="tanh", rng=rng)
    weights = [layer.weight.data.copy() for layer in model.layers]
    biases = [layer.bias.data.copy() for layer in model.layers]
    repeats, inner = (15, 20) if width <= 256 else (9, 3)
    return interleaved_medians({"engine": engine_step(model, x, y), "numpy": numpy_step(weights, biases, x, y)}, repeats, inner)


def main() -> str:
    rows = []
    for width in (32, 256, 1024):
        times = measure(width)
        rows.append([width, f"{times['engine'] * 1e6:.0f}", f"{times['numpy'] * 1e6:.0f}", f"{times['engine'] / times['numpy']:.2f}x"])
    return table(["width", "engine step (us)", "NumPy step (us)", "ratio"], rows)


if __name__ == "__main__":
    print(main())
