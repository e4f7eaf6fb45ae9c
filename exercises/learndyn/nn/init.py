"""Weight initialisations and the variance rule behind each.

A layer ``y = W x`` with ``fan_in`` inputs of variance ``q`` gives outputs of
variance ``fan_in * Var(W) * q``.  Each rule picks ``Var(W)`` so that signals
(forward) or gradients (backward) keep their size through depth:

* LeCun:           Var(W) = gain**2 / fan_in
* Xavier / Glorot: Var(W) = gain**2 * 2 / (fan_in + fan_out)   (compromise of forward and backward)
* He / Kaiming:    Var(W) = 2 / fan_in   (ReLU zeroes half the units, so double LeCun)
* orthogonal:      W = gain * Q with Q having orthonormal rows or columns:
                   every singular value is ``gain``, so a linear chain keeps every direction's norm.

Weights have PyTorch's layout, ``shape = (fan_out, fan_in)``.
"""
from __future__ import annotations

import numpy as np


def _fans(shape: tuple[int, int]) -> tuple[int, int]:
    if len(shape) != 2 or min(shape) < 1:
        raise ValueError(f"shape must be (fan_out, fan_in) with both >= 1, got {shape}")
    fan_out, fan_in = shape
    return fan_in, fan_out


def lecun_normal(shape, gain: float = 1.0, rng: np.random.Generator | None = None) -> np.ndarray:
    """Normal weights with Var = gain**2 / fan_in."""
    fan_in, _ = _fans(shape)
    rng = rng or np.random.default_rng()
    # --- your code for task 2.9 ---
    raise NotImplementedError('stage 2, task 2.9 (Modules, Linear layers and initialisation): implement lecun_normal. Hint: python grader.py hint 2.9')
    # --- end of task 2.9 ---


def xavier_normal(shape, gain: float = 1.0, rng: np.random.Generator | None = None) -> np.ndarray:
    """Normal weights with Var = gain**2 * 2 / (fan_in + fan_out)."""
    fan_in, fan_out = _fans(shape)
    rng = rng or np.random.default_rng()
    # --- your code for task 2.9 ---
    raise NotImplementedError('stage 2, task 2.9 (Modules, Linear layers and initialisation): implement xavier_normal. Hint: python grader.py hint 2.9')
    # --- end of task 2.9 ---


def he_normal(shape, gain: float = 1.0, rng: np.random.Generator | None = None) -> np.ndarray:
    """Normal weights with Var = gain**2 * 2 / fan_in (ReLU's rule at gain 1)."""
    fan_in, _ = _fans(shape)
    rng = rng or np.random.default_rng()
    # --- your code for task 2.9 ---
    raise NotImplementedError('stage 2, task 2.9 (Modules, Linear layers and initialisation): implement he_normal. Hint: python grader.py hint 2.9')
    # --- end of task 2.9 ---


def orthogonal(shape, gain: float = 1.0, rng: np.random.Generator | None = None) -> np.ndarray:
    """``gain`` times a random matrix with orthonormal rows (or columns, if taller than wide).

    Take the QR decomposition of a Gaussian matrix, ``A = Q R``, and fix the
    signs with ``Q * sign(diag(R))`` so that Q is uniform over orthogonal matrices.
    """
    _fans(shape)
    rng = rng or np.random.default_rng()
    # --- your code for task 2.9 ---
    raise NotImplementedError('stage 2, task 2.9 (Modules, Linear layers and initialisation): implement orthogonal. Hint: python grader.py hint 2.9')
    # --- end of task 2.9 ---


INITIALIZERS = {"lecun": lecun_normal, "xavier": xavier_normal, "he": he_normal, "orthogonal": orthogonal}
