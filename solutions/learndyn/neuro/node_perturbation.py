"""Node perturbation: a gradient estimate from nothing but a change in the loss.

Perturb the ``N`` output nodes by ``xi ~ Normal(0, sigma^2 I)``, measure how
much the loss changed, and credit each node with its share of the noise:

    delta_L = L(y + xi) - L(y)
    g_hat   = (delta_L / sigma^2) * xi

For small ``sigma``, ``delta_L = g @ xi + O(sigma^2)``.  With ``xi = sigma z``
and ``E[z z^T] = I``: ``E[g_hat] = E[(g @ z) z] = g`` (exactly unbiased even for
a quadratic L, whose correction is even in ``z``).  Its squared error is

    E ||g_hat - g||^2 = E[(g @ z)^2 ||z||^2] - ||g||^2 = (N + 2) ||g||^2 - ||g||^2 = (N + 1) ||g||^2

so one estimate is as noisy as N + 1 copies of the gradient: averaging
over ``M`` perturbations divides that by ``M``.  A reward signal broadcast to
all nodes can learn, but ever more slowly as the network grows.
"""
from __future__ import annotations

from typing import Callable

import numpy as np


def node_perturbation_estimates(loss_fn: Callable[[np.ndarray], float], y: np.ndarray, sigma: float,
                                samples: int, rng: np.random.Generator) -> np.ndarray:
    """``samples`` independent estimates ``(delta_L / sigma^2) xi``, shape (samples, N)."""
    if not sigma > 0:
        raise ValueError(f"sigma must be > 0, got {sigma}")
    if samples < 1:
        raise ValueError(f"samples must be >= 1, got {samples}")
    y = np.asarray(y, dtype=np.float64)
    # BEGIN SOLUTION 5.11
    baseline = loss_fn(y)
    noise = sigma * rng.standard_normal((samples, y.size))
    delta_loss = np.array([loss_fn(y + xi) - baseline for xi in noise])
    return delta_loss[:, None] / sigma**2 * noise
    # END SOLUTION
