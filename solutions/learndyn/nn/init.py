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
    # BEGIN SOLUTION 2.9
    return rng.normal(0.0, gain / np.sqrt(fan_in), size=shape)
    # END SOLUTION


def xavier_normal(shape, gain: float = 1.0, rng: np.random.Generator | None = None) -> np.ndarray:
    """Normal weights with Var = gain**2 * 2 / (fan_in + fan_out)."""
    fan_in, fan_out = _fans(shape)
    rng = rng or np.random.default_rng()
    # BEGIN SOLUTION 2.9
    return rng.normal(0.0, gain * np.sqrt(2.0 / (fan_in + fan_out)), size=shape)
    # END SOLUTION


def he_normal(shape, gain: float = 1.0, rng: np.random.Generator | None = None) -> np.ndarray:
    """Normal weights with Var = gain**2 * 2 / fan_in (ReLU's rule at gain 1)."""
    fan_in, _ = _fans(shape)
    rng = rng or np.random.default_rng()
    # BEGIN SOLUTION 2.9
    return rng.normal(0.0, gain * np.sqrt(2.0 / fan_in), size=shape)
    # END SOLUTION


def orthogonal(shape, gain: float = 1.0, rng: np.random.Generator | None = None) -> np.ndarray:
    """``gain`` times a random matrix with orthonormal rows (or columns, if taller than wide).

    Take the QR decomposition of a Gaussian matrix, ``A = Q R``, and fix the
    signs with ``Q * sign(diag(R))`` so that Q is uniform over orthogonal matrices.
    """
    _fans(shape)
    rng = rng or np.random.default_rng()
    # BEGIN SOLUTION 2.9
    rows, cols = shape
    gaussian = rng.normal(size=(max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(gaussian)
    q = q * np.sign(np.diag(r))
    return gain * (q if rows >= cols else q.T)
    # END SOLUTION


INITIALIZERS = {"lecun": lecun_normal, "xavier": xavier_normal, "he": he_normal, "orthogonal": orthogonal}
