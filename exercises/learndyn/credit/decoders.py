"""Reading a stimulus back out of a population's spike counts.

Population vector (for angles): every unit votes for its preferred angle with
its count, and the decoded angle is the direction of the sum of the votes:

    estimate = arctan2(sum_i n_i * sin(preferred_i), sum_i n_i * cos(preferred_i))

Maximum likelihood: the stimulus that makes the observed counts most probable.
For independent Poisson counts the log-likelihood is, up to terms without s,

    log_likelihood(s) = sum_i n_i * log(f_i(s)) - T * sum_i f_i(s)
    score(s)          = d log_likelihood / d s = sum_i (n_i / f_i(s) - T) * f_i'(s)

We take the best point of a ``grid`` of candidate stimuli, then refine it with
Fisher scoring (Newton's method with the expected curvature, which is minus
the Fisher information):

    s <- s + score(s) / fisher_information(s)

until the largest step is below ``SCORING_TOLERANCE``; its fixed points are the
zeros of the score.  (Estimates are clipped to the grid's range and not wrapped:
for an angle, use a grid of one turn centred near the stimulus.)  For many spikes the ML decoder
is unbiased with variance ``1 / fisher_information``: it reaches the Cramer-Rao
bound.  The population vector does not use the tuning curves' shape or the
noise model and is less efficient: for N evenly spaced cosine units with
Poisson noise its small-noise variance is
``8 * (baseline + peak_rate / 2) / (T * peak_rate**2 * N)``, which is twice the
bound as the baseline goes to 0.
"""
from __future__ import annotations

import numpy as np

from .population import PopulationCode

MAX_SCORING_STEPS = 100  # Fisher scoring converges linearly, by a factor |1 - observed / expected curvature| per step
SCORING_TOLERANCE = 1e-8  # stop once every trial's step is smaller than this


def _counts(counts) -> np.ndarray:
    counts = np.asarray(counts, dtype=np.float64)
    if counts.ndim != 2:
        raise ValueError(f"counts must have shape (trials, N), got {counts.shape}")
    return counts


def population_vector(counts, preferred) -> np.ndarray:
    """Decoded angles in (-pi, pi], one per trial (row of ``counts``, shape (trials, N))."""
    counts, preferred = _counts(counts), np.asarray(preferred, dtype=np.float64)
    if preferred.shape != counts.shape[1:]:
        raise ValueError(f"preferred must have shape ({counts.shape[1]},), got {preferred.shape}")
    # --- your code for task 2.16 ---
    raise NotImplementedError('stage 2, task 2.16 (Decoding: population vector and maximum likelihood): implement population_vector. Hint: python grader.py hint 2.16')
    # --- end of task 2.16 ---


def maximum_likelihood(counts, code: PopulationCode, grid) -> np.ndarray:
    """The maximum-likelihood stimulus of each trial: best ``grid`` point, then Fisher scoring steps."""
    counts, grid = _counts(counts), np.asarray(grid, dtype=np.float64)
    if counts.shape[1] != code.n_units:
        raise ValueError(f"counts must have {code.n_units} columns (one per unit), got {counts.shape[1]}")
    if grid.ndim != 1 or grid.size < 2:
        raise ValueError(f"grid must be a 1-D array of at least 2 stimuli, got shape {grid.shape}")
    # --- your code for task 2.16 ---
    raise NotImplementedError('stage 2, task 2.16 (Decoding: population vector and maximum likelihood): implement maximum_likelihood. Hint: python grader.py hint 2.16')
    # --- end of task 2.16 ---
