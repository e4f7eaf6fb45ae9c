"""A ring attractor holds an angle in working memory; without recurrence the memory fades.

Cue a 64-neuron ring (``learndyn.neuro.RingAttractor``) at several angles for
5 tau, remove the cue and watch 30 tau of delay: the activity bump stays where
the cue put it (a continuous attractor: every angle is a fixed point).  The same
ring without recurrent excitation (``j1 = 0``) loses the bump in a few tau.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..neuro import RingAttractor, population_vector_angle


@dataclass
class RingResult:
    cue_angles: np.ndarray
    times: np.ndarray  # (samples,) delay-period times
    decoded: np.ndarray  # (cues, samples) decoded angle, radians
    example_rates: np.ndarray  # (samples, N) rates for the first cue
    contrast: np.ndarray  # (samples,) bump contrast (max - min rate), first cue, with recurrence
    contrast_without_recurrence: np.ndarray  # (samples,) same with j1 = 0
    angles: np.ndarray

    @property
    def max_drift_degrees(self) -> float:
        return float(np.degrees(np.abs(np.angle(np.exp(1j * (self.decoded - self.cue_angles[:, None]))))).max())

    def summary(self) -> str:
        return (f"With recurrent excitation the bump held every cued angle for {self.times[-1]:.0f} tau after the cue was removed "
                f"(worst drift {self.max_drift_degrees:.2f} degrees; contrast {self.contrast[-1]:.2f}). Without it (j1 = 0) the "
                f"contrast fell from {self.contrast_without_recurrence[0]:.3f} to {self.contrast_without_recurrence[-1]:.1e}: "
                "the input's imprint decays like e^{-t/tau}, so the memory lives in the recurrent loop, not in the neurons.")


def run(cue_angles=(-2.5, -1.0, 0.5, 2.0), delay: float = 30.0) -> RingResult:
    ring, isolated = RingAttractor(), RingAttractor(j1=0.0)
    decoded, example, contrast = [], None, None
    for cue in cue_angles:
        times, rates = ring.simulate(cue, delay=delay)
        decoded.append([population_vector_angle(r, ring.angles) for r in rates])
        if example is None:
            example, contrast = rates, rates.max(axis=1) - rates.min(axis=1)
    _, fading = isolated.simulate(cue_angles[0], delay=delay)
    return RingResult(np.array(cue_angles), times, np.array(decoded), example, contrast,
                      fading.max(axis=1) - fading.min(axis=1), ring.angles)


def plot(result: RingResult, path) -> None:
    """Bump over time; decoded angle per cue; contrast with and without recurrence."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (bump, decoded, contrast) = plt.subplots(1, 3, figsize=(14, 4.2))
    image = bump.imshow(result.example_rates.T, aspect="auto", origin="lower", cmap="magma",
                        extent=(result.times[0], result.times[-1], 0, 360))
    bump.axhline(np.degrees(result.cue_angles[0]) % 360, color="c", ls="--", lw=1, label="cue")
    bump.set(xlabel="time after cue offset (tau)", ylabel="preferred angle (deg)", title="the bump persists without input")
    bump.legend(loc="upper right")
    fig.colorbar(image, ax=bump, label="rate")
    for cue, trace in zip(result.cue_angles, result.decoded):
        line, = decoded.plot(result.times, np.degrees(trace), lw=2)
        decoded.axhline(np.degrees(cue), color=line.get_color(), ls=":", lw=1)
    decoded.set(xlabel="time after cue offset (tau)", ylabel="decoded angle (deg)", ylim=(-180, 180),
                title=f"angle held (worst drift {result.max_drift_degrees:.2f} deg)")
    contrast.semilogy(result.times, result.contrast, lw=2, label="ring (j1 = 6)")
    contrast.semilogy(result.times, np.maximum(result.contrast_without_recurrence, 1e-16), lw=2, label="no recurrence (j1 = 0)")
    contrast.set(xlabel="time after cue offset (tau)", ylabel="bump contrast (max - min rate)", title="memory needs the recurrent loop")
    contrast.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
