"""Population coding: a stimulus encoded by many noisy units, and how much they tell about it.

Unit ``i`` fires Poisson spikes at a rate given by its tuning curve ``f_i(s)``:

    gaussian:  f_i(s) = baseline + peak_rate * exp(-(s - preferred_i)**2 / (2 * width**2))
    cosine:    f_i(s) = baseline + peak_rate * (1 + cos(s - preferred_i)) / 2      (s an angle)

In a window of ``duration`` T the count is ``n_i ~ Poisson(T * f_i(s))``, independent across units.

The Fisher information says how well ``s`` can be read out from the counts:

    fisher_information(s) = T * sum_i f_i'(s)**2 / f_i(s)

and the Cramer-Rao bound says no unbiased decoder has a variance below ``1 / fisher_information``.
Each unit contributes ``f_i'**2 / f_i``: units on the *flanks* of their tuning curve, where a small
change of ``s`` changes the rate most, carry the information; a unit at its peak carries none.
With N evenly spaced units the contributions add, so the information grows like N and the best
decoding variance falls like 1/N.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

KINDS = ("gaussian", "cosine")


@dataclass(frozen=True)
class PopulationCode:
    """N units with tuning curves of one ``kind`` centred on ``preferred`` (shape (N,))."""

    preferred: np.ndarray
    kind: str = "gaussian"
    peak_rate: float = 20.0  # spikes per second above baseline at the preferred stimulus
    width: float = 0.5  # standard deviation of a Gaussian tuning curve (unused for cosine)
    baseline: float = 1.0  # spikes per second far from the preferred stimulus; > 0 so that log f is finite
    duration: float = 1.0  # counting window T in seconds

    def __post_init__(self):
        preferred = np.asarray(self.preferred, dtype=np.float64)
        if preferred.ndim != 1 or preferred.size < 1:
            raise ValueError(f"preferred must be a 1-D array of at least one unit, got shape {preferred.shape}")
        object.__setattr__(self, "preferred", preferred)
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        for name in ("peak_rate", "width", "baseline", "duration"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be > 0, got {getattr(self, name)}")

    @property
    def n_units(self) -> int:
        return self.preferred.size

    def rates(self, stimulus) -> np.ndarray:
        """f_i(s) in spikes per second, shape ``np.shape(stimulus) + (N,)``."""
        offset = np.asarray(stimulus, dtype=np.float64)[..., None] - self.preferred
        # --- your code for task 2.15 ---
        raise NotImplementedError('stage 2, task 2.15 (Population code: tuning curves, Poisson counts, Fisher information): implement PopulationCode.rates. Hint: python grader.py hint 2.15')
        # --- end of task 2.15 ---

    def slopes(self, stimulus) -> np.ndarray:
        """f_i'(s) = d f_i / d s, shape ``np.shape(stimulus) + (N,)``."""
        offset = np.asarray(stimulus, dtype=np.float64)[..., None] - self.preferred
        # --- your code for task 2.15 ---
        raise NotImplementedError('stage 2, task 2.15 (Population code: tuning curves, Poisson counts, Fisher information): implement PopulationCode.slopes. Hint: python grader.py hint 2.15')
        # --- end of task 2.15 ---

    def sample_counts(self, stimulus: float, trials: int, rng: np.random.Generator) -> np.ndarray:
        """Spike counts of ``trials`` independent presentations of ``stimulus``: shape (trials, N), float64."""
        if trials < 1:
            raise ValueError(f"trials must be >= 1, got {trials}")
        # --- your code for task 2.15 ---
        raise NotImplementedError('stage 2, task 2.15 (Population code: tuning curves, Poisson counts, Fisher information): implement PopulationCode.sample_counts. Hint: python grader.py hint 2.15')
        # --- end of task 2.15 ---

    def fisher_information(self, stimulus) -> np.ndarray:
        """T * sum_i f_i'(s)**2 / f_i(s), shape ``np.shape(stimulus)``."""
        # --- your code for task 2.15 ---
        raise NotImplementedError('stage 2, task 2.15 (Population code: tuning curves, Poisson counts, Fisher information): implement PopulationCode.fisher_information. Hint: python grader.py hint 2.15')
        # --- end of task 2.15 ---


def gaussian_population(n_units: int, low: float = -4.0, high: float = 4.0, **settings) -> PopulationCode:
    """``n_units`` Gaussian tuning curves with preferred stimuli evenly spaced over [low, high]."""
    if n_units < 1:
        raise ValueError(f"n_units must be >= 1, got {n_units}")
    return PopulationCode(np.linspace(low, high, n_units), kind="gaussian", **settings)


def cosine_population(n_units: int, **settings) -> PopulationCode:
    """``n_units`` cosine tuning curves with preferred angles 2 pi k / n_units, k = 0..n_units-1."""
    if n_units < 1:
        raise ValueError(f"n_units must be >= 1, got {n_units}")
    return PopulationCode(2 * np.pi * np.arange(n_units) / n_units, kind="cosine", **settings)
