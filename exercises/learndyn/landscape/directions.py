"""Filter-normalised random directions (Li et al. 2018, "Visualizing the loss landscape of neural nets").

A random direction ``d`` drawn with the same scale for every parameter says
little about a network: a layer whose weights are 100 times smaller is moved
100 times more, relative to its size, and tanh/ReLU layers that are nearly
scale-invariant then look flat or sharp for no reason.  Li et al. rescale the
direction filter by filter, so that each one moves its weights in proportion
to their size.  For a ``Linear`` layer a filter is one output unit's incoming
weights, one *row* of ``weight`` (shape (fan_out, fan_in)):

    d      ~ N(0, 1), same shape as weight
    d[i]  <- d[i] / |d[i]| * |weight[i]|        for every row i   (norms over axis 1)

so ``|d[i]| == |weight[i]|`` for every row.  A zero row of ``weight`` gets a
zero row of ``d``.  Biases (parameters with one axis) get a zero direction, as
in Li et al., who leave biases out of the plot: the slice then moves weights
only.  The directions of all parameters are concatenated in the order of
``model.parameters()``, like ``parameters_to_vector``.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..tensor import Parameter


def filter_normalized_direction(parameters: Sequence[Parameter], rng: np.random.Generator) -> np.ndarray:
    """A flat random direction, each weight row rescaled to its weight row's norm; biases get 0."""
    for p in parameters:
        if p.ndim not in (1, 2):
            raise ValueError(f"parameters must be weight matrices (2 axes) or bias vectors (1 axis), got shape {p.shape}")
    pieces = []
    # --- your code for task 4.8 ---
    raise NotImplementedError('stage 4, task 4.8 (Filter-normalised directions): implement filter_normalized_direction. Hint: python grader.py hint 4.8')
    # --- end of task 4.8 ---
    return np.concatenate(pieces) if pieces else np.zeros(0)
