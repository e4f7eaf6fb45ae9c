"""Independent references for stage 2's depth and population tasks (2.12-2.17): no learndyn inside.

* ``gaussian_average``: E[g(h)] for h ~ N(0, q) by the trapezoid rule on a dense grid
  (a different method from the Gauss-Hermite quadrature the learner writes).
* ``mean_field_recursion``: the forward variances and backward gradient factors predicted for a deep net.
* ``numpy_mlp_backprop``: forward and backward of an MLP written out by hand.
"""
from __future__ import annotations

import numpy as np

PHI = {
    "tanh": (np.tanh, lambda h: 1.0 - np.tanh(h) ** 2),
    "relu": (lambda h: np.maximum(h, 0.0), lambda h: (h > 0).astype(float)),
    "sigmoid": (lambda h: 1.0 / (1.0 + np.exp(-h)), lambda h: 1.0 / (1.0 + np.exp(-h)) * (1.0 - 1.0 / (1.0 + np.exp(-h)))),
    "linear": (lambda h: h, lambda h: np.ones_like(h)),
}


def gaussian_average(function, q: float) -> float:
    """E[function(h)], h ~ N(0, q): trapezoid rule over z in [-12, 12] with 20001 points.

    The Gaussian tail beyond 12 sigma is below 1e-32 and, for a smooth integrand, the
    trapezoid rule on a rapidly decaying function is accurate to rounding (~1e-15).
    """
    z = np.linspace(-12.0, 12.0, 20001)
    density = np.exp(-0.5 * z**2) / np.sqrt(2 * np.pi)
    values = function(np.sqrt(q) * z) * density
    return float(np.sum((values[1:] + values[:-1]) / 2) * (z[1] - z[0]))


def mean_field_recursion(first_variance: float, depth: int, activation: str, weight_variance: float):
    """(q per layer, chi per layer): q_{l+1} = weight_variance * E[phi(h_l)**2], chi_l = weight_variance * E[phi'(h_l)**2]."""
    phi, phi_prime = PHI[activation]
    q = [first_variance]
    for _ in range(depth - 1):
        q.append(weight_variance * gaussian_average(lambda h: phi(h) ** 2, q[-1]))
    chi = [weight_variance * gaussian_average(lambda h: phi_prime(h) ** 2, value) for value in q]
    return np.array(q), np.array(chi)


def numpy_mlp_backprop(weights, biases, activations, inputs, upstream):
    """Pre-activations h_l and deltas d loss / d h_l for loss = sum(output * upstream), by hand."""
    x, pre = inputs, []
    for w, b, name in zip(weights, biases, activations):
        pre.append(x @ w.T + b)
        x = PHI[name][0](pre[-1])
    deltas = [None] * len(weights)
    grad = upstream
    for index in reversed(range(len(weights))):
        deltas[index] = grad * PHI[activations[index]][1](pre[index])
        grad = deltas[index] @ weights[index]
    return pre, deltas
