"""Stage 4 oracles: closed-form gradients and Hessians of the test surfaces, and a NumPy tanh MLP.

Written by hand from the formulas, never from learndyn, so the stage-4 tests
compare the learner's geometry with independent numbers.
"""
from __future__ import annotations

import numpy as np

STEEPNESS = 25.0  # the quadratic 0.5 * (x**2 + STEEPNESS * y**2), as in the notes


def surface_value(name: str, x, y):
    """The closed forms of the six surfaces (elementwise in x, y)."""
    return {
        "quadratic": lambda: 0.5 * (x**2 + STEEPNESS * y**2),
        "rosenbrock": lambda: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
        "beale": lambda: (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2,
        "himmelblau": lambda: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
        "saddle": lambda: x**2 - y**2,
        "monkey_saddle": lambda: x**3 - 3 * x * y**2,
    }[name]()


def surface_gradient(name: str, x: float, y: float) -> np.ndarray:
    """(d/dx, d/dy) by hand."""
    if name == "quadratic":
        return np.array([x, STEEPNESS * y])
    if name == "rosenbrock":
        return np.array([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])
    if name == "beale":
        a, b, c = 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3
        return np.array([2 * a * (y - 1) + 2 * b * (y**2 - 1) + 2 * c * (y**3 - 1),
                         2 * a * x + 2 * b * 2 * x * y + 2 * c * 3 * x * y**2])
    if name == "himmelblau":
        a, b = x**2 + y - 11, x + y**2 - 7
        return np.array([4 * x * a + 2 * b, 2 * a + 4 * y * b])
    if name == "saddle":
        return np.array([2 * x, -2 * y])
    if name == "monkey_saddle":
        return np.array([3 * x**2 - 3 * y**2, -6 * x * y])
    raise KeyError(name)


def surface_hessian(name: str, x: float, y: float) -> np.ndarray:
    """The 2x2 Hessian by hand."""
    if name == "quadratic":
        return np.diag([1.0, STEEPNESS])
    if name == "rosenbrock":
        return np.array([[2 - 400 * (y - x**2) + 800 * x**2, -400 * x], [-400 * x, 200.0]])
    if name == "beale":
        a, b, c = 1.5 - x + x * y, 2.25 - x + x * y**2, 2.625 - x + x * y**3
        ax, bx, cx = y - 1, y**2 - 1, y**3 - 1  # d a / dx, ...
        ay, by, cy = x, 2 * x * y, 3 * x * y**2  # d a / dy, ...
        hxx = 2 * (ax**2 + bx**2 + cx**2)
        hxy = 2 * (ax * ay + bx * by + cx * cy) + 2 * (a * 1 + b * 2 * y + c * 3 * y**2)
        hyy = 2 * (ay**2 + by**2 + cy**2) + 2 * (b * 2 * x + c * 6 * x * y)
        return np.array([[hxx, hxy], [hxy, hyy]])
    if name == "himmelblau":
        a, b = x**2 + y - 11, x + y**2 - 7
        return np.array([[4 * a + 8 * x**2 + 2, 4 * x + 4 * y], [4 * x + 4 * y, 2 + 4 * b + 8 * y**2]])
    if name == "saddle":
        return np.diag([2.0, -2.0])
    if name == "monkey_saddle":
        return np.array([[6 * x, -6 * y], [-6 * y, -6 * x]])
    raise KeyError(name)


def unpack(theta: np.ndarray, sizes) -> list[tuple[np.ndarray, np.ndarray]]:
    """Split a flat vector into (weight (out, in), bias (out,)) per layer, in learndyn's parameter order."""
    layers, offset = [], 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        weight = theta[offset : offset + n_in * n_out].reshape(n_out, n_in)
        offset += n_in * n_out
        layers.append((weight, theta[offset : offset + n_out]))
        offset += n_out
    return layers


def mlp_loss_and_gradient(theta: np.ndarray, sizes, inputs: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """MSE of a tanh MLP (linear output) and its gradient by hand-written backprop, flat in parameter order."""
    layers = unpack(np.asarray(theta, dtype=np.float64), sizes)
    activations = [inputs]
    for k, (weight, bias) in enumerate(layers):
        pre = activations[-1] @ weight.T + bias
        activations.append(pre if k == len(layers) - 1 else np.tanh(pre))
    error = activations[-1] - targets
    loss = float(np.mean(error**2))
    grad_out = 2 * error / error.size
    pieces = []
    for k in range(len(layers) - 1, -1, -1):
        weight, _ = layers[k]
        pieces.append((grad_out.sum(axis=0), grad_out.T @ activations[k]))
        if k > 0:
            grad_out = (grad_out @ weight) * (1 - activations[k] ** 2)
    flat = []
    for grad_bias, grad_weight in reversed(pieces):
        flat += [grad_weight.ravel(), grad_bias]
    return loss, np.concatenate(flat)


def numpy_hessian(gradient, theta: np.ndarray, step: float = 1e-5) -> np.ndarray:
    """Symmetrised central differences of an oracle gradient, column by column."""
    n = theta.size
    columns = [(gradient(theta + step * e) - gradient(theta - step * e)) / (2 * step) for e in np.eye(n)]
    hessian = np.array(columns).T
    return (hessian + hessian.T) / 2
