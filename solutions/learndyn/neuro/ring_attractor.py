"""A ring (bump) attractor: a population that remembers an angle.

``N`` neurons with preferred angles ``angles[i] = 2 pi i / N`` excite
neighbours on the ring and inhibit everyone (cosine connectivity):

    W[i, j] = (j0 + j1 * cos(angles[i] - angles[j])) / N
    tau dx/dt = -x + W @ phi(x) + baseline + cue_strength * cos(angles - cue_angle)     (cue on)
    phi(x) = tanh(max(x, 0))                                                           (rates in [0, 1))

With ``j1`` large enough (the cosine mode's loop gain ``j1 / 2 * phi'`` above 1)
the uniform state is unstable and a localised bump of activity sustains
itself.  The connectivity depends only on angle differences, so with
infinitely many neurons every rotation of the bump would be a fixed point (a
continuous attractor).  N neurons sample the ring at N points: only bumps
centred on a neuron or midway between two are fixed points, one kind stable
and the other a saddle (which depends on N), so after the cue is removed the
bump stays within half a spacing of the cue, sliding slowly to the nearest
stable point (see the ``ring_attractor`` experiment).  The network holds the
angle to within ``pi / N``.  Read it out with the population vector

    angle = arg(sum_j phi(x_j) * exp(1j * angles[j]))

Without recurrence (``j1 = 0``) the activity relaxes to the uniform baseline
and the memory is gone within a few ``tau``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..ode import solve_ivp


def population_vector_angle(rates: np.ndarray, angles: np.ndarray) -> float:
    """``arg(sum_j rates[j] exp(1j angles[j]))`` in radians, in (-pi, pi]."""
    # BEGIN SOLUTION 5.9
    return float(np.angle(np.sum(rates * np.exp(1j * angles))))
    # END SOLUTION


@dataclass
class RingAttractor:
    """Cosine-connected ring of ``n_neurons`` rate neurons (parameters as in the module docstring)."""

    n_neurons: int = 64
    j0: float = -2.0
    j1: float = 6.0
    baseline: float = 0.5
    tau: float = 1.0

    def __post_init__(self):
        if self.n_neurons < 8:
            raise ValueError(f"n_neurons must be >= 8, got {self.n_neurons}")
        if not self.tau > 0:
            raise ValueError(f"tau must be > 0, got {self.tau}")
        self.angles = 2 * np.pi * np.arange(self.n_neurons) / self.n_neurons

    @staticmethod
    def rates(x: np.ndarray) -> np.ndarray:
        """``phi(x) = tanh(max(x, 0))``."""
        return np.tanh(np.maximum(x, 0.0))

    def weights(self) -> np.ndarray:
        """``W[i, j] = (j0 + j1 cos(angles[i] - angles[j])) / N``."""
        # BEGIN SOLUTION 5.9
        difference = self.angles[:, None] - self.angles[None, :]
        return (self.j0 + self.j1 * np.cos(difference)) / self.n_neurons
        # END SOLUTION

    def simulate(self, cue_angle: float, cue_duration: float = 5.0, delay: float = 30.0,
                 cue_strength: float = 1.0, samples: int = 61) -> tuple[np.ndarray, np.ndarray]:
        """Cue for ``cue_duration`` from rest (x = 0), then ``delay`` without it.

        Returns the times of the delay period (``samples`` of them, from cue
        offset to its end) and the rates there, shape (samples, n_neurons).
        """
        weights = self.weights()
        cue = cue_strength * np.cos(self.angles - cue_angle)
        # BEGIN SOLUTION 5.9
        def with_cue(t, x):
            return (-x + weights @ self.rates(x) + self.baseline + cue) / self.tau

        def without_cue(t, x):
            return (-x + weights @ self.rates(x) + self.baseline) / self.tau

        x_at_offset = solve_ivp(with_cue, (0.0, cue_duration), np.zeros(self.n_neurons), rtol=1e-8, atol=1e-10).y[:, -1]
        times = np.linspace(0.0, delay, samples)
        delay_states = solve_ivp(without_cue, (0.0, delay), x_at_offset, t_eval=times, rtol=1e-8, atol=1e-10).y
        return times, self.rates(delay_states.T)
        # END SOLUTION
