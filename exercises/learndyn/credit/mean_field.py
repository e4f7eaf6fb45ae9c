"""Mean-field predictions for signals and gradients in wide deep networks.

When ``fan_in`` is large, every pre-activation ``h`` of a layer is close to a
Gaussian with mean 0 and a variance ``q`` that is the same for every unit.
With weights of variance ``weight_variance / fan_in`` (``weight_variance`` is
``sigma_w**2``, e.g. ``gain**2`` for LeCun, 2 for He) and zero biases:

    forward:   q_next = variance_map(q)   = weight_variance * E[phi(sqrt(q) * z)**2]
    backward:  chi    = gradient_factor(q) = weight_variance * E[phi'(sqrt(q) * z)**2]

with ``z ~ N(0, 1)``: going back one layer multiplies the mean squared gradient
by ``chi`` evaluated at that layer's ``q``.  Closed forms to check against:

    relu:    variance_map = weight_variance * q / 2,  chi = weight_variance / 2
    linear:  variance_map = weight_variance * q,      chi = weight_variance
    tanh:    variance_map ~ q - 2 q**2 for small q at weight_variance = 1,
             so 1/q grows by 2 per layer and q_l ~ 1 / (2 l)

Expectations over ``z`` are computed by Gauss-Hermite quadrature:
``E[g(z)] ~ sum(weights * g(nodes)) / sqrt(2 pi)`` with
``nodes, weights = hermite_nodes(points)`` (NumPy's ``hermegauss``, cached).  The default
``points`` is even, so no node sits on relu's kink at 0 and the symmetric nodes
give E[relu'(h)**2] = 1/2 exactly.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable

import numpy as np

DERIVATIVES = {
    "tanh": (np.tanh, lambda h: 1.0 - np.tanh(h) ** 2),
    "relu": (lambda h: np.maximum(h, 0.0), lambda h: (h > 0).astype(np.float64)),
    "sigmoid": (lambda h: 1.0 / (1.0 + np.exp(-h)), lambda h: np.exp(-h) / (1.0 + np.exp(-h)) ** 2),
    "linear": (lambda h: h, np.ones_like),
}
"""activation name -> (phi, phi') on NumPy arrays, the same names as ``learndyn.nn.ACTIVATIONS``."""


@lru_cache(maxsize=16)
def hermite_nodes(points: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.polynomial.hermite_e.hermegauss(points)``, computed once per ``points`` (it costs ~10 ms)."""
    return np.polynomial.hermite_e.hermegauss(points)


def _check(q: float, activation: str, weight_variance: float) -> None:
    if activation not in DERIVATIVES:
        raise ValueError(f"activation must be one of {sorted(DERIVATIVES)}, got {activation!r}")
    if not q >= 0:
        raise ValueError(f"q must be >= 0, got {q}")
    if not weight_variance > 0:
        raise ValueError(f"weight_variance must be > 0, got {weight_variance}")


def gaussian_expectation(function: Callable[[np.ndarray], np.ndarray], variance: float, points: int = 200) -> float:
    """E[function(h)] for h ~ N(0, variance), by Gauss-Hermite quadrature with ``points`` nodes."""
    if not variance >= 0:
        raise ValueError(f"variance must be >= 0, got {variance}")
    if points < 1:
        raise ValueError(f"points must be >= 1, got {points}")
    # --- your code for task 2.13 ---
    raise NotImplementedError('stage 2, task 2.13 (Mean-field predictions: the variance map and chi): implement gaussian_expectation. Hint: python grader.py hint 2.13')
    # --- end of task 2.13 ---


def variance_map(q: float, activation: str, weight_variance: float) -> float:
    """The next layer's pre-activation variance: weight_variance * E[phi(h)**2], h ~ N(0, q)."""
    _check(q, activation, weight_variance)
    phi, _ = DERIVATIVES[activation]
    # --- your code for task 2.13 ---
    raise NotImplementedError('stage 2, task 2.13 (Mean-field predictions: the variance map and chi): implement variance_map. Hint: python grader.py hint 2.13')
    # --- end of task 2.13 ---


def gradient_factor(q: float, activation: str, weight_variance: float) -> float:
    """chi = weight_variance * E[phi'(h)**2], h ~ N(0, q): the backward growth of mean squared gradients per layer."""
    _check(q, activation, weight_variance)
    _, phi_prime = DERIVATIVES[activation]
    # --- your code for task 2.13 ---
    raise NotImplementedError('stage 2, task 2.13 (Mean-field predictions: the variance map and chi): implement gradient_factor. Hint: python grader.py hint 2.13')
    # --- end of task 2.13 ---


def mean_field_profile(first_variance: float, depth: int, activation: str, weight_variance: float) -> tuple[np.ndarray, np.ndarray]:
    """Predicted ``(forward_variance, backward_variance)`` of ``depth`` layers, as ``depth_profile`` measures them.

    ``forward_variance[0] = first_variance`` (the first layer's pre-activation
    variance), then ``forward_variance[l] = variance_map(forward_variance[l-1])``.
    ``backward_variance`` is relative to the last layer's, which is set to 1:
    ``backward_variance[l] = gradient_factor(forward_variance[l]) * backward_variance[l+1]``
    (the last layer's own factor phi'(h_L) is common to every layer and left out).
    """
    if depth < 1:
        raise ValueError(f"depth must be >= 1, got {depth}")
    forward = [float(first_variance)]
    for _ in range(depth - 1):
        forward.append(variance_map(forward[-1], activation, weight_variance))
    backward = [1.0]
    for q in reversed(forward[:-1]):
        backward.append(gradient_factor(q, activation, weight_variance) * backward[-1])
    return np.array(forward), np.array(backward[::-1])
