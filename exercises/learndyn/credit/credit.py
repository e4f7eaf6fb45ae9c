"""Credit assignment across a population: how much of the gradient reaches each hidden unit.

A network whose hidden layer is a population code of its scalar input ``s``:

    offset[b, i] = s[b] - preferred[i]                          (batch, N)
    hidden[b, i] = exp(-offset[b, i]**2 / (2 * width**2))       unit i's tuning curve f_i(s), peak 1
    output[b]    = hidden[b] @ readout[0] + bias[0]
    loss         = mean((output - target)**2)

``preferred`` (where each unit's tuning curve sits), ``readout`` and ``bias``
are learned by gradient descent.  The *credit* of unit ``i`` for one stimulus
is the gradient reaching its input, ``credit[i] = d loss / d offset[i]``.  The
chain rule through the unit gives the law the tests check:

    credit[i] = d loss / d output * readout[0, i] * f_i'(s),
    f_i'(s)   = d hidden[i] / d s = -offset[i] / width**2 * hidden[i]

so with equal readout weights the credit is proportional to the unit's tuning
slope at the stimulus: a unit at its peak (slope 0) or far from the stimulus
(hidden ~ 0) gets none; the units on the flanks, which carry the Fisher
information about ``s``, get it all.  Because ``offset = s - preferred``,
``credit = -preferred.grad`` after ``backward``.
"""
from __future__ import annotations

import numpy as np

from ..autograd import no_grad
from ..nn import Module
from ..tensor import Parameter, Tensor


class PopulationCodeNet(Module):
    """s -> Gaussian population code (N units, shared ``width``) -> linear readout; ``forward`` returns shape (batch,)."""

    def __init__(self, preferred, width: float, readout_weight: float | None = None):
        preferred = np.asarray(preferred, dtype=np.float64)
        if preferred.ndim != 1 or preferred.size < 1:
            raise ValueError(f"preferred must be a 1-D array of at least one unit, got shape {preferred.shape}")
        if not width > 0:
            raise ValueError(f"width must be > 0, got {width}")
        self.width = float(width)
        self.preferred = Parameter(preferred)
        readout_weight = 1.0 / preferred.size if readout_weight is None else readout_weight
        self.readout = Parameter(np.full((1, preferred.size), float(readout_weight)))  # every unit votes equally at first
        self.bias = Parameter(np.zeros(1))

    def forward(self, stimuli) -> Tensor:
        stimuli = np.asarray(stimuli.data if isinstance(stimuli, Tensor) else stimuli, dtype=np.float64)
        if stimuli.ndim != 1:
            raise ValueError(f"stimuli must be a 1-D array (batch,), got shape {stimuli.shape}")
        # --- your code for task 2.17 ---
        raise NotImplementedError('stage 2, task 2.17 (Credit across a population): implement PopulationCodeNet.forward. Hint: python grader.py hint 2.17')
        # --- end of task 2.17 ---


def train(net: PopulationCodeNet, stimuli, targets, lr: float, epochs: int) -> np.ndarray:
    """Full-batch gradient descent on mean((net(stimuli) - targets)**2); returns each epoch's loss before its update."""
    stimuli, targets = np.asarray(stimuli, dtype=np.float64), np.asarray(targets, dtype=np.float64)
    if stimuli.ndim != 1 or targets.shape != stimuli.shape:
        raise ValueError(f"stimuli and targets must be 1-D of the same length, got {stimuli.shape} and {targets.shape}")
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr}")
    if epochs < 1:
        raise ValueError(f"epochs must be >= 1, got {epochs}")
    losses = np.empty(epochs)
    # --- your code for task 2.17 ---
    raise NotImplementedError('stage 2, task 2.17 (Credit across a population): implement train. Hint: python grader.py hint 2.17')
    # --- end of task 2.17 ---
    return losses


def credit_per_unit(net: PopulationCodeNet, stimulus: float, target: float) -> np.ndarray:
    """credit[i] = d loss / d offset[i] for the single example (stimulus, target), loss = (output - target)**2."""
    # --- your code for task 2.17 ---
    raise NotImplementedError('stage 2, task 2.17 (Credit across a population): implement credit_per_unit. Hint: python grader.py hint 2.17')
    # --- end of task 2.17 ---
