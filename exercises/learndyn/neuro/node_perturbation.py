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
    # --- your code for task 5.11 ---
    raise NotImplementedError('stage 5, task 5.11 (Node perturbation): implement node_perturbation_estimates. Hint: python grader.py hint 5.11')
    # --- end of task 5.11 ---
