"""Hopfield memory: recall works below a load of about 0.14 patterns per neuron, and needs asynchronous updates.

Store ``P`` random patterns in ``N = 200`` neurons with Hebbian weights and try
to recall each from a copy with 10% of its bits flipped.  Below the capacity
``P / N ~ 0.138`` recall is nearly perfect; above it the crosstalk between
memories creates spurious minima and recall collapses.  A second panel shows
why the update must be asynchronous: from the same corrupted start, updating
all neurons at once can fall into a two-state cycle that never settles.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..neuro import discrete_hopfield_recall, hebbian_weights, hopfield_energy


@dataclass
class HopfieldResult:
    neurons: int
    loads: np.ndarray  # P / N
    recall_fraction: np.ndarray  # fraction of patterns recalled exactly, per load
    mean_overlap: np.ndarray  # mean overlap of the final state with the stored pattern
    async_energies: np.ndarray  # energy after each single-neuron update (one recall)
    sync_energies: np.ndarray  # energy after each synchronous sweep, same start
    sync_cycles: bool  # the synchronous run ended in a 2-cycle
    sync_flips: np.ndarray  # neurons changed by each synchronous sweep

    def summary(self) -> str:
        exact = self.loads[self.recall_fraction >= 0.9]
        close = self.loads[self.mean_overlap >= 0.95]
        text = (f"N = {self.neurons}: recall from 10% corruption is >= 90% exact up to a load P/N = {exact.max() if len(exact) else 0:.2f} "
                f"(theory for exact recall: P < N / (2 ln N), load {1 / (2 * np.log(self.neurons)):.3f}) and within 5% of the pattern "
                f"up to {close.max() if len(close) else 0:.2f} (capacity ~0.138); at P/N = {self.loads[-1]:.2f} the overlap is "
                f"{self.mean_overlap[-1]:.2f}: the crosstalk of the other memories outweighs a pattern's own field and creates "
                "spurious minima. "
                f"From a random start, asynchronous updates lowered the energy monotonically from {self.async_energies[0]:.1f} to {self.async_energies[-1]:.1f}.")
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


def run(neurons: int = 200, loads=(0.02, 0.05, 0.08, 0.11, 0.14, 0.17, 0.2, 0.25), noise: float = 0.1,
        trials: int = 12, seed: int = 0) -> HopfieldResult:
    rng = np.random.default_rng(seed)
    recall, overlap = [], []
    for load in loads:
        patterns = rng.choice([-1.0, 1.0], size=(max(1, round(load * neurons)), neurons))
        W = hebbian_weights(patterns)
        hits, overlaps = [], []
        for k in range(min(trials, len(patterns))):
            start = patterns[k].copy()
            start[rng.choice(neurons, size=round(noise * neurons), replace=False)] *= -1
            final, _ = discrete_hopfield_recall(W, start, rng)
            overlaps.append(final @ patterns[k] / neurons)
            hits.append(overlaps[-1] == 1.0)
        recall.append(np.mean(hits))
        overlap.append(np.mean(overlaps))
    # Energy traces at a moderate load, from random starts: the first one where synchronous updates cycle.
    W = hebbian_weights(rng.choice([-1.0, 1.0], size=(round(0.1 * neurons), neurons)))
    for _ in range(20):
        start = rng.choice([-1.0, 1.0], size=neurons)
        sync_energies, cycles, sync_flips = synchronous_run(W, start, 12)
        if cycles:
            break
    _, async_energies = discrete_hopfield_recall(W, start, rng)
    return HopfieldResult(neurons, np.array(loads), np.array(recall), np.array(overlap), async_energies, sync_energies, cycles, sync_flips)


def plot(result: HopfieldResult, path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (capacity, energy, flips) = plt.subplots(1, 3, figsize=(15, 4.2))
    capacity.plot(result.loads, result.recall_fraction, "o-", label="recalled exactly")
    capacity.plot(result.loads, result.mean_overlap, "s--", label="mean overlap with the pattern")
    capacity.axvline(0.138, color="k", ls=":", label="capacity 0.138")
    capacity.set(xlabel="load P / N", ylabel="fraction", ylim=(0, 1.05), title=f"recall from 10% corruption, N = {result.neurons}")
    capacity.legend()
    sweeps = np.arange(len(result.async_energies)) / result.neurons
    energy.plot(sweeps, result.async_energies, label="asynchronous (one neuron at a time)")
    energy.plot(np.arange(len(result.sync_energies)), result.sync_energies, "o-", label="synchronous (all at once)")
    energy.set(xlabel="sweeps through the network", ylabel="energy E = -0.5 s W s", title="energy during recall")
    energy.legend()
    decreases = np.diff(result.async_energies) < 0  # every asynchronous flip strictly lowers E
    async_flips = [decreases[k : k + result.neurons].sum() for k in range(0, len(decreases), result.neurons)]
    flips.plot(np.arange(1, len(async_flips) + 1), async_flips, "o-", label="asynchronous: settles")
    flips.plot(np.arange(1, len(result.sync_flips) + 1), result.sync_flips, "s-", label="synchronous: " + ("2-cycle" if result.sync_cycles else "settles"))
    flips.set(xlabel="sweep", ylabel="neurons changed in the sweep", yscale="symlog", title="does the state settle?")
    flips.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
