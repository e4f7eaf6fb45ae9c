"""A population code as a dynamical system: networks that read a noisy population in time, against static decoders.

Stage 2 decoded a population's spike counts in one go (a *static* decoder).
Here the same population, N cosine-tuned Poisson units (``cosine_population``)
that see an angle ``theta``, feeds recurrent networks of N rate neurons in
time: spikes arrive in bins of ``dt`` seconds for ``stimulus`` seconds, then
stop for ``delay`` seconds.  Every trial draws its own ``theta`` uniformly.  At
each moment we read an angle out of each network's activity with the
population vector and measure its precision over trials, ``1 / mean squared
error``, against the information the spikes held so far:

    fisher(t) = min(t, stimulus) * sum_i f_i'(theta)**2 / f_i(theta)       (the Cramer-Rao bound on the precision)

Two networks, both with cosine connectivity over the neurons' angles ``phi_j``:

* **integrator** (linear rates, ``tau dy/dt = -y + W y + tau * spikes / dt``,
  ``W[i, j] = (2 / N) cos(phi_i - phi_j)``): the cos and sin modes of ``W`` have
  eigenvalue exactly 1, so they neither leak nor grow; they add up the spikes,
  and the network's population vector *is* the static population vector of the
  counts so far, at every moment.  It keeps that after the stimulus ends.
  Its precision follows the population vector's small-noise formula

      1 / (8 * (baseline + peak_rate / 2) / (t * peak_rate**2 * N))

  which grows like t and stays below the bound (the population vector ignores
  the tuning shape and the noise model).
* **ring attractor** (``learndyn.neuro.RingAttractor``, the nonlinear bump
  network of task 5.9, time constant ``tau``) driven by the input current
  ``input_gain * (spikes / dt - (baseline + peak_rate / 2)) / peak_rate``, whose
  mean is a cosine cue of strength ``input_gain / 2``: the bump forms where the
  first spikes put it and then follows the latest evidence with a window set by
  the input strength; after the stimulus it holds what it has (pinned to one of
  N points, see the ``ring_attractor`` experiment).

No network can beat the spikes it was fed (data processing: precision <=
fisher), and a static decoder needs the spikes to be kept: after the stimulus,
the network's activity is the only memory of them.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..credit.decoders import maximum_likelihood, population_vector
from ..credit.population import cosine_population
from ..neuro import RingAttractor
from .arguments import integer, real, reals


@dataclass
class PopulationDynamicsResult:
    n_units: int
    peak_rate: float
    baseline: float
    stimulus: float  # seconds of input
    tau: float  # seconds
    input_gains: np.ndarray
    times: np.ndarray  # (samples,) seconds since the stimulus began
    fisher: np.ndarray  # (samples,) Fisher information of the spikes received so far
    integrator_precision: np.ndarray  # (samples,) 1 / mean squared error of the integrator's angle
    integrator_matches_counts: float  # largest |integrator angle - population vector of the counts so far| (radians)
    ring_precision: np.ndarray  # (gains, samples)
    decoder_times: np.ndarray  # times (during the stimulus) at which the static decoders were run
    ml_precision: np.ndarray  # (decoder times,) static maximum likelihood on the counts so far
    pv_precision: np.ndarray  # (decoder times,) static population vector on the counts so far
    example_theta: float
    example_ring: np.ndarray  # (samples,) one trial's ring angle, first gain
    example_integrator: np.ndarray  # (samples,) the same trial's integrator angle

    def predicted_integrator_precision(self) -> np.ndarray:
        """The population vector's small-noise precision with the counts of ``min(t, stimulus)`` seconds."""
        window = np.minimum(self.times, self.stimulus)
        return window * self.peak_rate**2 * self.n_units / (8 * (self.baseline + self.peak_rate / 2))

    def at(self, time: float) -> int:
        """Index of the sample closest to ``time``."""
        return int(np.argmin(np.abs(self.times - time)))

    def summary(self) -> str:
        end, last = self.at(self.stimulus), len(self.times) - 1
        bound = self.fisher[end]
        text = (f"{self.n_units} cosine units (peak {self.peak_rate:g} Hz, baseline {self.baseline:g} Hz) seen for "
                f"{self.stimulus:g} s: the spikes hold Fisher information {bound:.0f} rad^-2 (Cramer-Rao bound: "
                f"precision 1/MSE <= {bound:.0f}, {np.degrees(bound ** -0.5):.1f} deg). "
                f"Static decoders of the counts: maximum likelihood {self.ml_precision[-1]:.0f} "
                f"({self.ml_precision[-1] / bound:.2f} of the bound), population vector {self.pv_precision[-1]:.0f} "
                f"({self.pv_precision[-1] / bound:.2f}). ")
        text += (f"The integrator network's angle equals the population vector of the counts so far at every moment "
                 f"(largest difference {self.integrator_matches_counts:.1e} rad): its precision grew like t to "
                 f"{self.integrator_precision[end]:.0f} (predicted {self.predicted_integrator_precision()[end]:.0f}) and "
                 f"stayed at {self.integrator_precision[last]:.0f} after the input stopped. ")
        parts = [f"input gain {g:g}: {p[end]:.0f} at the end of the stimulus ({p[end] / bound:.2f} of the bound), "
                 f"{p[last]:.0f} after {self.times[last] - self.stimulus:.2g} s more"
                 for g, p in zip(self.input_gains, self.ring_precision)]
        text += ("The ring attractor " + "; ".join(parts) + ": a stronger input makes the bump follow the latest "
                 "spikes and forget earlier evidence; once the input stops, the bump holds what it has.")
        return text


def run(n_units: int = 64, peak_rate: float = 50.0, baseline: float = 5.0, stimulus: float = 0.25, delay: float = 0.75,
        dt: float = 0.001, tau: float = 0.02, input_gains=(0.5, 2.0), trials: int = 1000, samples_every: float = 0.01,
        decoder_times=(0.05, 0.1, 0.15, 0.2, 0.25), decoder_trials: int = 500, seed: int = 0) -> PopulationDynamicsResult:
    """Feed ``trials`` noisy presentations to the integrator and to a ring per input gain; decode them in time.

    Arguments (checked before any work; times in seconds):
        n_units: int >= 8, units of the population and neurons of each network
        peak_rate: real > 0, spikes per second above baseline at a unit's preferred angle
        baseline: real > 0, spikes per second far from it
        stimulus: real >= dt, how long the spikes arrive
        delay: real >= 0, the silence after them
        dt: real in (0, tau / 10], the time bin
        tau: real > 0, the networks' time constant
        input_gains: at least one real > 0, one ring per gain
        trials: int >= 2, presentations, each at its own angle
        samples_every: real in [dt, stimulus + delay], time between the recorded precisions
        decoder_times: at least one real in [dt, stimulus + delay], when the static decoders read the counts
        decoder_trials: int >= 2, trials decoded by them (at most ``trials`` are used)
        seed: int >= 0, draws the angles and the spikes
    """
    n_units = integer("n_units", n_units, at_least=8)
    peak_rate = real("peak_rate", peak_rate, above=0)
    baseline = real("baseline", baseline, above=0)
    tau = real("tau", tau, above=0)
    dt = real("dt", dt, above=0, at_most=tau / 10, note="tau / 10 at most")
    stimulus = real("stimulus", stimulus, at_least=dt, note="dt: at least one time bin")
    delay = real("delay", delay, at_least=0)
    input_gains = reals("input_gains", input_gains, above=0)
    trials = integer("trials", trials, at_least=2)
    samples_every = real("samples_every", samples_every, at_least=dt, at_most=stimulus + delay,
                         note="from dt to stimulus + delay")
    decoder_times = reals("decoder_times", decoder_times, at_least=dt, at_most=stimulus + delay,
                          note="from dt to stimulus + delay")
    decoder_trials = integer("decoder_trials", decoder_trials, at_least=2)
    seed = integer("seed", seed, at_least=0)
    rng = np.random.default_rng(seed)
    code = cosine_population(n_units, peak_rate=peak_rate, baseline=baseline, duration=dt)
    ring = RingAttractor(n_neurons=n_units)
    ring_weights, angles = ring.weights(), ring.angles
    integrator_weights = 2.0 / n_units * np.cos(angles[:, None] - angles[None, :])
    theta = rng.uniform(-np.pi, np.pi, size=trials)
    mean_counts = code.rates(theta) * dt  # (trials, N)
    gains = np.asarray(input_gains, dtype=np.float64)
    ring_states = np.zeros((gains.size, trials, n_units))
    integrator, counts = np.zeros((trials, n_units)), np.zeros((trials, n_units))
    stimulus_steps, total_steps = int(round(stimulus / dt)), int(round((stimulus + delay) / dt))
    record_every = int(round(samples_every / dt))
    decoder_steps = {int(round(t / dt)) for t in decoder_times}

    def precision(estimates):
        return 1.0 / np.mean(np.angle(np.exp(1j * (estimates - theta[: len(estimates)]))) ** 2)

    times, fisher, integrator_precision, ring_precision, mismatch = [], [], [], [], 0.0
    ml_precision, pv_precision, example_ring, example_integrator = [], [], [], []
    for step in range(1, total_steps + 1):
        spikes = rng.poisson(mean_counts).astype(np.float64) if step <= stimulus_steps else np.zeros_like(counts)
        counts += spikes
        current = gains[:, None, None] * (spikes / dt - (baseline + peak_rate / 2)) / peak_rate if step <= stimulus_steps else 0.0
        ring_states += dt / tau * (-ring_states + ring.rates(ring_states) @ ring_weights.T + ring.baseline + current)
        integrator += dt / tau * (-integrator + integrator @ integrator_weights.T) + spikes  # tau * (spikes / dt) * dt / tau
        if step in decoder_steps:
            window = cosine_population(n_units, peak_rate=peak_rate, baseline=baseline, duration=step * dt)
            chosen = counts[:decoder_trials]
            ml = np.array([maximum_likelihood(row[None, :], window, np.linspace(t - np.pi, t + np.pi, 181))[0]
                           for row, t in zip(chosen, theta)])
            ml_precision.append(precision(ml))
            pv_precision.append(precision(population_vector(chosen, angles)))
        if step % record_every == 0:
            times.append(step * dt)
            fisher.append(min(step, stimulus_steps) * dt * code.fisher_information(0.0) / dt)
            integrator_angle = np.angle(integrator @ np.exp(1j * angles))
            integrator_precision.append(precision(integrator_angle))
            if counts.any():
                difference = np.angle(np.exp(1j * (integrator_angle - population_vector(counts, angles))))
                mismatch = max(mismatch, float(np.abs(difference).max()))
            # population_vector_angle of every trial at once: arg(sum_j rates[j] exp(1j angles[j]))
            ring_angles = np.angle(ring.rates(ring_states) @ np.exp(1j * angles))
            ring_precision.append([precision(a) for a in ring_angles])
            example_ring.append(ring_angles[0][0])
            example_integrator.append(integrator_angle[0])
    return PopulationDynamicsResult(
        n_units, peak_rate, baseline, stimulus, tau, gains, np.array(times), np.array(fisher),
        np.array(integrator_precision), mismatch, np.array(ring_precision).T, np.array(sorted(decoder_steps)) * dt,
        np.array(ml_precision), np.array(pv_precision), float(theta[0]), np.array(example_ring), np.array(example_integrator))


def plot(result: PopulationDynamicsResult, path) -> None:
    """Precision against time: the bound, the static decoders, the integrator and the rings; one trial's estimates."""
    from .figures import colours, new_figure, save_figure

    fig, (trace, information) = new_figure(1, 2, figsize=(13, 4.8))
    milliseconds = 1000 * result.times
    trace.plot(milliseconds, np.degrees(result.example_integrator), color="tab:blue", lw=2,
               label="integrator = population vector of the counts so far")
    trace.plot(milliseconds, np.degrees(result.example_ring), color="tab:orange", lw=2,
               label=f"ring attractor, input gain {result.input_gains[0]:g}")
    trace.axhline(np.degrees(result.example_theta), color="k", ls=":", label="true angle")
    trace.axvspan(0, 1000 * result.stimulus, color="0.92", label="input on")
    trace.set(xlabel="time (ms)", ylabel="decoded angle (deg)", title="one trial: estimates evolve while spikes arrive")
    trace.legend(fontsize=8)
    information.plot(milliseconds, result.fisher, "k-", lw=2, label="Fisher information of the spikes so far (bound)")
    information.plot(1000 * result.decoder_times, result.ml_precision, "ks", ms=6, label="static maximum likelihood (stage 2)")
    information.plot(1000 * result.decoder_times, result.pv_precision, "^", color="tab:red", ms=7,
                     label="static population vector (stage 2)")
    information.plot(milliseconds, result.predicted_integrator_precision(), "--", color="tab:blue", lw=1,
                     label="predicted: population vector formula")
    information.plot(milliseconds, result.integrator_precision, color="tab:blue", lw=2, label="integrator network")
    for gain, precision, colour in zip(result.input_gains, result.ring_precision, colours("Oranges", len(result.input_gains), 0.5, 0.9)):
        information.plot(milliseconds, precision, color=colour, lw=2, label=f"ring attractor, input gain {gain:g}")
    information.axvspan(0, 1000 * result.stimulus, color="0.92")
    information.set(xlabel="time (ms)", ylabel="precision 1 / mean squared error (rad^-2)",
                    title=f"{result.n_units} units: information in time, network vs static decoders")
    information.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    save_figure(fig, path)
