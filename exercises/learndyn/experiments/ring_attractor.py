"""A ring attractor holds an angle in working memory, at one of N discrete points; without recurrence it fades.

Part 1, memory.  Cue a ``n_neurons`` ring (``learndyn.neuro.RingAttractor``)
at several angles for 5 tau, remove the cue and watch ``delay`` tau: the
activity bump stays close to where the cue put it, while the same ring without
recurrent excitation (``j1 = 0``) loses the bump in a few tau.

Part 2, the attractors are discrete.  The cosine connectivity of the model is
rotation-invariant, but N neurons sample the ring at N points: the bump's
energy depends on where its edges fall between neurons, with period one
spacing ``2 pi / N``.  A bump centred on a neuron and one centred midway
between two neurons are fixed points by symmetry; one kind is stable, the
other a saddle, and which is which depends on N.  So there are N attractors,
not a continuum: over ``long_delay`` tau a bump started anywhere slides to the
nearest stable point and stops.  We measure

* the drift: the decoded position (in spacings from neuron 0) along long runs;
* the pinning against N: the largest eigenvalue of the Jacobian
  ``-I + W diag(phi'(x*))`` at both symmetric bumps (the rotation mode: 0 for a
  continuous attractor, < 0 at the stable kind, > 0 at the saddle), and the
  peak drift speed between them (degrees per tau).  The drift speed falls
  steeply with N (about N**-2); the largest error pinning can cause, half a
  spacing, falls like 1/N;
* noise: with independent noise ``noise * sqrt(dt) * xi`` on every neuron
  (Euler-Maruyama), the bump jitters around its attractor while the noise is
  weak against the pinning, and hops from attractor to attractor (diffuses)
  once it is strong: only then does the angle wander.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..neuro import RingAttractor, population_vector_angle
from .arguments import integer, integers, real, reals

NOISE_STEP = 0.05  # tau: Euler-Maruyama step of the noisy runs (the dynamics' fastest rate is ~1/tau)
SETTLE = 60.0  # tau of delay after which a symmetric bump is at its fixed point (residual |dx/dt| < 1e-10)


@dataclass
class RingResult:
    n_neurons: int
    # Part 1: memory over `delay` tau
    cue_angles: np.ndarray
    times: np.ndarray  # (samples,) delay-period times
    decoded: np.ndarray  # (cues, samples) decoded angle, radians
    example_rates: np.ndarray  # (samples, N) rates for the first cue
    contrast: np.ndarray  # (samples,) bump contrast (max - min rate), first cue, with recurrence
    contrast_without_recurrence: np.ndarray  # (samples,) same with j1 = 0
    angles: np.ndarray
    # Part 2: the drift to discrete attractors at n_neurons
    start_offsets: np.ndarray  # cue positions in spacings from neuron 0
    long_times: np.ndarray
    long_offsets: np.ndarray  # (starts, samples) decoded position in spacings from neuron 0
    # pinning against the number of neurons
    sizes: np.ndarray
    rotation_eigenvalue: np.ndarray  # (sizes, 2): bump centred on a neuron, midway between two
    peak_drift_speed: np.ndarray  # (sizes,) degrees per tau
    # noise at n_neurons, started at a stable attractor
    noise_levels: np.ndarray
    noise_times: np.ndarray
    noise_rms_degrees: np.ndarray  # (levels, samples) root mean square displacement over trials

    @property
    def spacing_degrees(self) -> float:
        return 360.0 / self.n_neurons

    @property
    def max_drift_degrees(self) -> float:
        """Largest distance of the decoded angle from its cue during the memory period."""
        return float(np.degrees(np.abs(np.angle(np.exp(1j * (self.decoded - self.cue_angles[:, None]))))).max())

    def stable_position(self, index: int) -> str:
        """'neuron' or 'midpoint': where the stable bumps of ``sizes[index]`` neurons are centred."""
        return ("neuron", "midpoint")[int(np.argmin(self.rotation_eigenvalue[index]))]

    def final_distance_to_attractor(self) -> np.ndarray:
        """Per long run: distance (in spacings) of the end position from the nearest stable point."""
        position = self.stable_position(list(self.sizes).index(self.n_neurons)) if self.n_neurons in self.sizes else "midpoint"
        shift = 0.5 if position == "midpoint" else 0.0
        ends = self.long_offsets[:, -1] - shift
        return np.abs(ends - np.round(ends))

    def summary(self) -> str:
        half = self.spacing_degrees / 2
        text = (f"{self.n_neurons} neurons: with recurrent excitation the bump held every cued angle for {self.times[-1]:.0f} tau "
                f"after the cue was removed (largest drift {self.max_drift_degrees:.2f} degrees, below half a spacing, "
                f"{half:.2f}; contrast {self.contrast[-1]:.2f}). Without it (j1 = 0) the contrast fell from "
                f"{self.contrast_without_recurrence[0]:.3f} to {self.contrast_without_recurrence[-1]:.1e}: the input's imprint "
                "decays like e^{-t/tau}, so the memory lives in the recurrent loop. ")
        text += (f"But the attractor is not a continuum: over {self.long_times[-1]:.0f} tau, bumps started at "
                 f"{', '.join(f'{o:.2f}' for o in self.start_offsets)} spacings from a neuron ended "
                 f"{self.final_distance_to_attractor().max():.1e} spacings from the nearest stable point and stopped. ")
        parts = []
        for index, n in enumerate(self.sizes):
            stable = self.rotation_eigenvalue[index].min()
            unstable = self.rotation_eigenvalue[index].max()
            parts.append(f"N={n}: stable at the {self.stable_position(index)}s (rotation eigenvalue {stable:+.3f}/tau, "
                         f"saddle {unstable:+.3f}), peak drift {self.peak_drift_speed[index]:.2g} deg/tau")
        text += "Pinning against N: " + "; ".join(parts) + " (a continuum would have eigenvalue 0 and no drift). "
        level_parts = [f"noise {s:g}: rms displacement {r[-1]:.2f} deg after {self.noise_times[-1]:.0f} tau"
                       + (" (hops between attractors)" if r[-1] > half else " (trapped)")
                       for s, r in zip(self.noise_levels, self.noise_rms_degrees)]
        return text + f"With noise on every neuron ({self.n_neurons} neurons, half a spacing {half:.2f} deg): " + "; ".join(level_parts) + "."


def symmetric_bump(ring: RingAttractor, centre: float) -> np.ndarray:
    """The fixed point of a bump cued exactly at ``centre`` (a neuron or a midpoint): symmetry keeps it there."""
    _, rates = ring.simulate(centre, delay=SETTLE, samples=2)
    return ring.weights() @ rates[-1] + ring.baseline  # x* = W phi(x*) + baseline, with phi(x*) the settled rates


def rotation_eigenvalue(ring: RingAttractor, centre: float) -> float:
    """Largest real part of the eigenvalues of ``-I + W diag(phi'(x*))`` at the symmetric bump at ``centre``."""
    x = symmetric_bump(ring, centre)
    slope = np.where(x > 0, 1.0 - np.tanh(np.maximum(x, 0.0)) ** 2, 0.0)
    jacobian = (-np.eye(ring.n_neurons) + ring.weights() * slope[None, :]) / ring.tau
    return float(np.linalg.eigvals(jacobian).real.max())


def peak_drift_speed(ring: RingAttractor, stable_shift: float, duration: float) -> float:
    """Fastest drift (degrees per tau) of a bump released near a saddle, on its way to the next attractor."""
    spacing = 2 * np.pi / ring.n_neurons
    saddle = (0.5 - stable_shift) * spacing  # the other symmetric position
    times, rates = ring.simulate(saddle + 0.05 * spacing, delay=duration, samples=401)
    decoded = np.unwrap([population_vector_angle(r, ring.angles) for r in rates])
    speeds = np.abs(np.diff(decoded)) / np.diff(times)
    return float(np.degrees(speeds[5:].max()))  # skip the first tau: the bump's shape still settles


def noisy_displacement(ring: RingAttractor, centre: float, noise: float, duration: float, trials: int, samples: int,
                       rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Euler-Maruyama runs from the bump at ``centre``: times and rms angular displacement (degrees) over trials."""
    weights = ring.weights()
    state = np.tile(symmetric_bump(ring, centre), (trials, 1))
    steps = int(round(duration / NOISE_STEP))
    record_every = max(1, steps // (samples - 1))
    phasors = np.exp(1j * ring.angles)
    previous, moved, rms, times = np.full(trials, centre), np.zeros(trials), [0.0], [0.0]
    for step in range(1, steps + 1):
        drift = (-state + ring.rates(state) @ weights.T + ring.baseline) / ring.tau
        state = state + NOISE_STEP * drift + noise * np.sqrt(NOISE_STEP) * rng.standard_normal(state.shape)
        if step % record_every == 0:
            angle = np.angle(ring.rates(state) @ phasors)
            moved += np.angle(np.exp(1j * (angle - previous)))  # unwrapped displacement
            previous = angle
            times.append(step * NOISE_STEP)
            rms.append(np.degrees(np.sqrt(np.mean(moved**2))))
    return np.array(times), np.array(rms)


def run(n_neurons: int = 64, cue_angles=(-2.5, -1.0, 0.5, 2.0), delay: float = 30.0,
        start_offsets=(0.05, 0.25, 0.45, 0.55, 0.75, 0.95), long_delay: float = 200.0,
        sizes=(16, 32, 64, 128, 256), noise_levels=(0.005, 0.02, 0.08), noise_duration: float = 200.0,
        noise_trials: int = 48, seed: int = 0) -> RingResult:
    """Memory with and without recurrence; the drift to discrete attractors; pinning against N; noise.

    Arguments (checked before any work; times in units of tau):
        n_neurons: int >= 8, neurons of the ring of parts 1, 2 and the noise
        cue_angles: at least one finite real, the cued angles (radians)
        delay: real > 0, the memory period after each cue
        start_offsets: at least one finite real, where the long runs start (in spacings from neuron 0)
        long_delay: real > 0, the length of the long runs
        sizes: at least one int >= 8, the numbers of neurons N of the pinning measurement
        noise_levels: at least one real >= 0, the noise amplitudes
        noise_duration: real > NOISE_STEP (0.05), the length of the noisy runs
        noise_trials: int >= 2, noisy runs per level
        seed: int >= 0, draws the noise
    """
    n_neurons = integer("n_neurons", n_neurons, at_least=8)
    cue_angles = reals("cue_angles", cue_angles)
    delay = real("delay", delay, above=0)
    start_offsets = reals("start_offsets", start_offsets)
    long_delay = real("long_delay", long_delay, above=0)
    sizes = integers("sizes", sizes, at_least=8)
    noise_levels = reals("noise_levels", noise_levels, at_least=0)
    noise_duration = real("noise_duration", noise_duration, above=NOISE_STEP, note="NOISE_STEP, the noisy runs' time step")
    noise_trials = integer("noise_trials", noise_trials, at_least=2)
    seed = integer("seed", seed, at_least=0)
    ring, isolated = RingAttractor(n_neurons=n_neurons), RingAttractor(n_neurons=n_neurons, j1=0.0)
    decoded, example, contrast = [], None, None
    for cue in cue_angles:
        times, rates = ring.simulate(cue, delay=delay)
        decoded.append([population_vector_angle(r, ring.angles) for r in rates])
        if example is None:
            example, contrast = rates, rates.max(axis=1) - rates.min(axis=1)
    _, fading = isolated.simulate(cue_angles[0], delay=delay)

    spacing = 2 * np.pi / n_neurons
    long_offsets = []
    for offset in start_offsets:
        long_times, rates = ring.simulate(offset * spacing, delay=long_delay, samples=201)
        long_offsets.append(np.unwrap([population_vector_angle(r, ring.angles) for r in rates]) / spacing)

    eigenvalues, speeds = [], []
    for n in sizes:
        sized = RingAttractor(n_neurons=int(n))
        pair = [rotation_eigenvalue(sized, 0.0), rotation_eigenvalue(sized, np.pi / n)]
        eigenvalues.append(pair)
        speeds.append(peak_drift_speed(sized, 0.5 * int(np.argmin(pair)), duration=2.0 / min(abs(min(pair)), abs(max(pair))) + 20))

    stable = 0.5 * int(rotation_eigenvalue(ring, spacing / 2) < rotation_eigenvalue(ring, 0.0))
    rng = np.random.default_rng(seed)
    noise_rms = []
    for level in noise_levels:
        noise_times, rms = noisy_displacement(ring, stable * spacing, level, noise_duration, noise_trials, 41, rng)
        noise_rms.append(rms)
    return RingResult(n_neurons, np.array(cue_angles), times, np.array(decoded), example, contrast,
                      fading.max(axis=1) - fading.min(axis=1), ring.angles,
                      np.array(start_offsets), long_times, np.array(long_offsets),
                      np.array(sizes), np.array(eigenvalues), np.array(speeds),
                      np.array(noise_levels), noise_times, np.array(noise_rms))


def plot(result: RingResult, path) -> None:
    """Bump over time; memory with and without recurrence; the drift to the attractors; pinning against N; noise."""
    from .figures import new_figure, save_figure

    fig, axes = new_figure(2, 3, figsize=(16, 9))
    (bump, decoded, contrast), (drift, pinning, noise) = axes
    image = bump.imshow(result.example_rates.T, aspect="auto", origin="lower", cmap="magma",
                        extent=(result.times[0], result.times[-1], 0, 360))
    bump.axhline(np.degrees(result.cue_angles[0]) % 360, color="c", ls="--", lw=1, label="cue")
    bump.set(xlabel="time after cue offset (tau)", ylabel="preferred angle (deg)", title="the bump persists without input")
    bump.legend(loc="upper right")
    fig.colorbar(image, ax=bump, label="rate")
    half = result.spacing_degrees / 2
    for cue, trace in zip(result.cue_angles, result.decoded):
        error = np.degrees(np.angle(np.exp(1j * (trace - cue))))
        decoded.plot(result.times, error, lw=2, label=f"cue {np.degrees(cue):.0f} deg")
    decoded.axhspan(-half, half, color="0.9", label=f"within half a spacing (+-{half:.2f} deg)")
    decoded.set(xlabel="time after cue offset (tau)", ylabel="decoded angle - cue (deg)", ylim=(-1.5 * half, 1.5 * half),
                title=f"N = {result.n_neurons}: largest drift {result.max_drift_degrees:.2f} deg")
    decoded.legend(fontsize=8, loc="lower left")
    contrast.semilogy(result.times, result.contrast, lw=2, label="ring (j1 = 6)")
    contrast.semilogy(result.times, np.maximum(result.contrast_without_recurrence, 1e-16), lw=2, label="no recurrence (j1 = 0)")
    contrast.semilogy(result.times, result.contrast_without_recurrence[0] * np.exp(-result.times), "k:", lw=1,
                      label="predicted e^{-t/tau}")
    contrast.set(xlabel="time after cue offset (tau)", ylabel="bump contrast (max - min rate)", ylim=(1e-16, 10),
                 title="memory needs the recurrent loop")
    contrast.legend(fontsize=8)

    for offset, trace in zip(result.start_offsets, result.long_offsets):
        drift.plot(result.long_times, trace, lw=1.5, label=f"start {offset:.2f}")
    for level in range(-1, 3):
        drift.axhline(level, color="0.5", ls=":", lw=1)
        drift.axhline(level + 0.5, color="tab:red", ls="--", lw=0.8)
    drift.plot([], [], color="0.5", ls=":", label="neurons")
    drift.plot([], [], color="tab:red", ls="--", label="midpoints")
    drift.set(xlabel="time after cue offset (tau)", ylabel="decoded position (spacings from neuron 0)",
              ylim=(-0.2, 1.2), title=f"N = {result.n_neurons}: every bump slides to a discrete attractor")
    drift.legend(fontsize=7, loc="lower right", ncol=2)

    sizes = result.sizes
    pinning.loglog(sizes, result.peak_drift_speed, "o-", color="tab:purple", label="peak drift speed (deg / tau)")
    pinning.loglog(sizes, np.abs(result.rotation_eigenvalue.min(axis=1)), "s-", color="tab:green",
                   label="|rotation eigenvalue| at the attractor (1 / tau)")
    pinning.loglog(sizes, 180.0 / sizes, "k--", lw=1, label="half a spacing, 180 / N (deg): the largest pinning error")
    reference = result.peak_drift_speed[0] * (sizes / sizes[0]) ** -2.0
    pinning.loglog(sizes, reference, ":", color="tab:purple", lw=1, label="~ N^-2")
    pinning.set(xlabel="neurons N", ylabel="deg / tau, 1 / tau, deg", title="pinning weakens as N grows (a continuum: 0)")
    pinning.set_xticks(sizes, [str(n) for n in sizes], minor=False)
    pinning.set_xticks([], minor=True)
    pinning.legend(fontsize=7, loc="lower left")

    for level, rms in zip(result.noise_levels, result.noise_rms_degrees):
        noise.plot(result.noise_times, rms, lw=2, label=f"noise {level:g}")
    noise.axhline(half, color="tab:red", ls="--", lw=1, label=f"half a spacing ({half:.2f} deg)")
    noise.set(xlabel="time (tau)", ylabel="rms displacement of the bump (deg)", yscale="log",
              title=f"N = {result.n_neurons}: weak noise jitters, strong noise hops")
    noise.legend(fontsize=8)
    save_figure(fig, path)
