"""Hopfield memory: recall works up to a load of about 0.14 patterns per neuron, and needs asynchronous updates.

Store ``P`` random patterns in ``N`` neurons with Hebbian weights and try to
recall each from a copy with 10% of its bits flipped (asynchronous updates,
``discrete_hopfield_recall``).  The theory (Amit, Gutfreund and Sompolinsky
1985) puts the capacity at ``P / N = 0.138`` for large N: below it a pattern is
a fixed point with overlap ``m >= 0.967``, above it the crosstalk of the other
memories destroys it and recall collapses to spurious states.  We measure the
mean final overlap ``m = s . xi / N`` over ``recalls`` recalls per load and call
the capacity the load at which it falls below ``COLLAPSE_OVERLAP`` (linear
interpolation between loads).  At finite N the collapse is smeared and sits a
little above 0.138, moving down towards it as N grows.

A second panel shows why the update must be asynchronous: from the same random
start, updating all neurons at once can fall into a two-state cycle that never
settles.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..neuro import discrete_hopfield_recall, hebbian_weights, hopfield_energy
from .arguments import integer, integers, real, reals

COLLAPSE_OVERLAP = 0.9  # mean overlap below which recall has collapsed (m* = 0.967 just below the capacity)
THEORY_CAPACITY = 0.138  # Amit, Gutfreund and Sompolinsky (1985), N -> infinity


@dataclass
class HopfieldResult:
    sizes: np.ndarray  # numbers of neurons N
    loads: np.ndarray  # P / N
    noise: float  # fraction of bits flipped in the cue
    recalls: int  # recalls per load and size
    mean_overlap: np.ndarray  # (sizes, loads) mean final overlap with the stored pattern
    exact_fraction: np.ndarray  # (sizes, loads) fraction of recalls that end exactly on the pattern
    async_energies: np.ndarray  # energy after each single-neuron update (one recall, largest N)
    sync_energies: np.ndarray  # energy after each synchronous sweep, same start
    sync_cycles: bool  # the synchronous run ended in a 2-cycle
    sync_flips: np.ndarray  # neurons changed by each synchronous sweep

    @property
    def neurons(self) -> int:
        return int(self.sizes[-1])

    @property
    def capacity(self) -> np.ndarray:
        """Per size: the load at which the mean overlap first falls below ``COLLAPSE_OVERLAP`` (nan if it never does)."""
        found = []
        for overlap in self.mean_overlap:
            below = np.flatnonzero(overlap < COLLAPSE_OVERLAP)
            if below.size == 0 or below[0] == 0:
                found.append(np.nan)
                continue
            k = below[0]
            fraction = (overlap[k - 1] - COLLAPSE_OVERLAP) / (overlap[k - 1] - overlap[k])
            found.append(self.loads[k - 1] + fraction * (self.loads[k] - self.loads[k - 1]))
        return np.array(found)

    def summary(self) -> str:
        capacities = ", ".join(f"N = {n}: {c:.3f}" for n, c in zip(self.sizes, self.capacity))
        last = self.mean_overlap[-1]
        text = (f"Recall from {100 * self.noise:.0f}% corruption, {self.recalls} recalls per load: the mean overlap falls below "
                f"{COLLAPSE_OVERLAP} (recall collapses) at a load P/N of {capacities} (theory for large N: {THEORY_CAPACITY}). "
                f"At N = {self.neurons} the mean overlap is {last[0]:.3f} at load {self.loads[0]:.2f} and {last[-1]:.2f} at "
                f"{self.loads[-1]:.2f}: above the capacity the crosstalk of the other memories outweighs a pattern's own field "
                "and the state falls into spurious minima. "
                f"From a random start, asynchronous updates lowered the energy monotonically from {self.async_energies[0]:.1f} "
                f"to {self.async_energies[-1]:.1f}.")
        if self.sync_cycles:
            text += (f" Synchronous updates from the same start ended in a two-state cycle at energy {self.sync_energies[-1]:.1f}: "
                     "the energy argument needs one neuron at a time.")
        return text


def synchronous_run(weights: np.ndarray, state: np.ndarray, sweeps: int) -> tuple[np.ndarray, bool, np.ndarray]:
    """``s <- sign(W s)`` for all neurons at once: energies and flips per sweep, and whether it ended in a 2-cycle."""
    history, energies = [state.copy()], [hopfield_energy(weights, state)]
    for _ in range(sweeps):
        field = weights @ state
        state = np.where(field == 0, state, np.sign(field))
        history.append(state.copy())
        energies.append(hopfield_energy(weights, state))
    cycles = not np.array_equal(history[-1], history[-2]) and np.array_equal(history[-1], history[-3])
    flips = np.array([np.sum(a != b) for a, b in zip(history[1:], history[:-1])])
    return np.array(energies), cycles, flips


def recall_overlaps(neurons: int, load: float, noise: float, recalls: int, rng: np.random.Generator) -> np.ndarray:
    """Final overlaps of ``recalls`` recalls, each from a stored pattern with ``noise`` of its bits flipped.

    Patterns come in independent sets of ``P = round(load * neurons)``; every pattern of a set is recalled once
    before a new set is drawn."""
    count = max(1, round(load * neurons))
    overlaps = []
    while len(overlaps) < recalls:
        patterns = rng.choice([-1.0, 1.0], size=(count, neurons))
        weights = hebbian_weights(patterns)
        for pattern in patterns[: recalls - len(overlaps)]:
            start = pattern.copy()
            start[rng.choice(neurons, size=round(noise * neurons), replace=False)] *= -1
            final, _ = discrete_hopfield_recall(weights, start, rng)
            overlaps.append(final @ pattern / neurons)
    return np.array(overlaps)


def run(sizes=(100, 200), loads=tuple(np.round(np.arange(0.06, 0.245, 0.01), 2)), noise: float = 0.1,
        recalls: int = 250, seed: int = 0) -> HopfieldResult:
    """Mean overlap after recall against the load for each N in ``sizes``; energy traces at the largest N.

    Arguments (checked before any work):
        sizes: at least one int >= 10, the numbers of neurons N
        loads: at least two reals > 0, increasing, the loads P / N
        noise: real in [0, 0.5), the fraction of a cue's bits flipped
        recalls: int >= 1, recalls per load and size
        seed: int >= 0, draws the patterns, the cues and the update order
    """
    sizes = np.asarray(integers("sizes", sizes, at_least=10), dtype=int)
    loads = np.asarray(reals("loads", loads, min_length=2, above=0), dtype=np.float64)
    if np.any(np.diff(loads) <= 0):
        raise ValueError(f"loads must be increasing, got {tuple(loads.tolist())}")
    noise = real("noise", noise, at_least=0, below=0.5)
    recalls = integer("recalls", recalls, at_least=1)
    seed = integer("seed", seed, at_least=0)
    rng = np.random.default_rng(seed)
    mean_overlap, exact = np.empty((sizes.size, loads.size)), np.empty((sizes.size, loads.size))
    for i, neurons in enumerate(sizes):
        for j, load in enumerate(loads):
            overlaps = recall_overlaps(int(neurons), load, noise, recalls, rng)
            mean_overlap[i, j], exact[i, j] = overlaps.mean(), np.mean(overlaps == 1.0)
    # Energy traces at a moderate load, from random starts: the first one where synchronous updates cycle.
    neurons = int(sizes[-1])
    W = hebbian_weights(rng.choice([-1.0, 1.0], size=(round(0.1 * neurons), neurons)))
    for _ in range(20):
        start = rng.choice([-1.0, 1.0], size=neurons)
        sync_energies, cycles, sync_flips = synchronous_run(W, start, 12)
        if cycles:
            break
    _, async_energies = discrete_hopfield_recall(W, start, rng)
    return HopfieldResult(sizes, loads, noise, recalls, mean_overlap, exact, async_energies, sync_energies, cycles, sync_flips)


def plot(result: HopfieldResult, path) -> None:
    """Mean overlap against the load per N (with the measured capacities and the theory), energies, flips per sweep."""
    from .figures import colours, new_figure, save_figure

    fig, (capacity, energy, flips) = new_figure(1, 3, figsize=(16, 4.6))
    palette = colours("viridis", len(result.sizes), 0.1, 0.8)
    for n, overlap, exact, found, colour in zip(result.sizes, result.mean_overlap, result.exact_fraction, result.capacity, palette):
        capacity.plot(result.loads, overlap, "o-", ms=4, color=colour, label=f"N = {n}: mean overlap (collapse at {found:.3f})")
        capacity.plot(result.loads, exact, ":", color=colour, lw=1)
    capacity.plot([], [], "k:", lw=1, label="fraction recalled exactly")
    capacity.axhline(COLLAPSE_OVERLAP, color="0.5", lw=0.8, ls="--", label=f"collapse: mean overlap {COLLAPSE_OVERLAP}")
    capacity.axvline(THEORY_CAPACITY, color="tab:red", ls="--", label=f"theory (N -> infinity): {THEORY_CAPACITY}")
    capacity.set(xlabel="load P / N (patterns per neuron)", ylabel="overlap s . xi / N, fraction", ylim=(0, 1.05),
                 title=f"recall from {100 * result.noise:.0f}% corruption, {result.recalls} recalls per point")
    capacity.legend(fontsize=7, loc="lower left")
    sweeps = np.arange(len(result.async_energies)) / result.neurons
    energy.plot(sweeps, result.async_energies, label="asynchronous (one neuron at a time)")
    energy.plot(np.arange(len(result.sync_energies)), result.sync_energies, "o-", label="synchronous (all at once)")
    energy.set(xlabel="sweeps through the network", ylabel="energy E = -0.5 s W s",
               title=f"energy during recall, N = {result.neurons}, load 0.1")
    energy.legend()
    decreases = np.diff(result.async_energies) < 0  # every asynchronous flip strictly lowers E
    async_flips = [decreases[k : k + result.neurons].sum() for k in range(0, len(decreases), result.neurons)]
    flips.plot(np.arange(1, len(async_flips) + 1), async_flips, "o-", label="asynchronous: settles")
    flips.plot(np.arange(1, len(result.sync_flips) + 1), result.sync_flips, "s-", label="synchronous: " + ("2-cycle" if result.sync_cycles else "settles"))
    flips.set(xlabel="sweep", ylabel="neurons changed in the sweep", yscale="symlog", title="does the state settle?")
    flips.legend()
    save_figure(fig, path)
