"""All of a model's parameters as one flat vector, and back (as ``torch.nn.utils`` does).

The dynamics of learning live in parameter space: ``theta`` is the
concatenation of ``p.data.ravel()`` over the parameters, in order.  Stage 3
(the update map) and stage 4 (geometry) both work on ``theta``.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..tensor import Parameter


def parameters_to_vector(parameters: Sequence[Parameter]) -> np.ndarray:
    """One flat copy of every parameter's values, in order."""
    return np.concatenate([np.ravel(p.data) for p in parameters]) if parameters else np.zeros(0)


def vector_to_parameters(theta: np.ndarray, parameters: Sequence[Parameter]) -> None:
    """Write ``theta`` back into the parameters, in place (the inverse of ``parameters_to_vector``)."""
    theta = np.asarray(theta, dtype=np.float64)
    total = sum(p.size for p in parameters)
    if theta.shape != (total,):
        raise ValueError(f"theta must have shape ({total},) (one entry per parameter value), got {theta.shape}")
    offset = 0
    for p in parameters:
        p.data[...] = theta[offset : offset + p.size].reshape(p.shape)
        offset += p.size
