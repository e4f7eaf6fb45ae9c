"""Failure is informative: which architectures can learn XOR at all, and the best loss each can reach.

The same population training as ``xor`` (task 2.11) for 2-H-1 sigmoid nets with
H = 0 (the output reads the inputs), 1, 2 and 4 hidden units.  XOR's classes
are not linearly separable, and the architecture sets a floor on the loss that
no training can go below:

* **H = 0**: the output is ``sigmoid(z)`` with ``z = a x1 + b x2 + c``, and
  ``z(0,0) + z(1,1) = z(0,1) + z(1,0)``: if both targets-1 patterns get
  ``z > 0`` so does one target-0 pattern.  The best MSE is exactly 1/4, at
  ``a = b = 0`` (output 0.5 everywhere); no net solves XOR.
* **H = 1**: the output is a monotone function of one linear projection
  ``z`` of the inputs.  Along any projection the two corners of one class come
  first and last (opposite corners of the square have equal ``z`` sums), so the
  targets along ``z`` read 0, 1, 1, 0 (or 1, 0, 0, 1), and the best monotone fit
  is (0, 2/3, 2/3, 2/3): MSE ``(1/9 + 1/9 + 4/9) / 4 = 1/6``, approached as the
  weights grow.  No net solves XOR.
* **H = 2**: enough for a solution (two half-planes); most starts reach it,
  some get stuck near loss 1/8 (see ``xor``).
* **H = 4**: more hidden units, more ways out; essentially every start solves it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arguments import integer, integers, real
from .xor import STUCK_LOSS, run as train_population

LOSS_FLOOR = {0: 1 / 4, 1: 1 / 6}  # the architecture's infimum of the MSE on XOR (module docstring); 0 for H >= 2


@dataclass
class XorArchitecturesResult:
    hiddens: np.ndarray  # H for each architecture
    lr: float
    epochs: int
    n_nets: int
    solved_fraction: np.ndarray  # (architectures,)
    final_losses: np.ndarray  # (architectures, n_nets) MSE after the last epoch
    loss_curves: np.ndarray  # (architectures, epochs) median loss over nets

    def floor(self, hidden: int) -> float:
        """The smallest MSE an architecture with ``hidden`` units can reach on XOR."""
        return LOSS_FLOOR.get(int(hidden), 0.0)

    @property
    def best_loss(self) -> np.ndarray:
        return self.final_losses.min(axis=1)

    def summary(self) -> str:
        parts = []
        for hidden, solved, best, losses in zip(self.hiddens, self.solved_fraction, self.best_loss, self.final_losses):
            floor = self.floor(hidden)
            why = {0: "no hidden layer: one line cannot separate XOR",
                   1: "one hidden unit: a monotone function of one line"}.get(int(hidden), "")
            parts.append(f"H = {hidden}: {100 * solved:.0f}% solved, best loss {best:.4f}, median {np.median(losses):.4f} "
                         f"(the architecture's floor {floor:.4f}{'; ' + why if why else ''})")
        return (f"{self.n_nets} nets per architecture, lr {self.lr:g}, {self.epochs} epochs. " + "; ".join(parts) + ". "
                "Below two hidden units no start and no amount of training solves XOR: the classes are not linearly "
                "separable, so the failure is the architecture's, not the optimizer's; with two units the failures are "
                f"traps of the dynamics (loss near 1/8 = {STUCK_LOSS}), which more units make rare.")


def run(hiddens=(0, 1, 2, 4), n_nets: int = 200, epochs: int = 5000, lr: float = 2.0, seed: int = 3) -> XorArchitecturesResult:
    """Train ``n_nets`` 2-H-1 nets for each H in ``hiddens``; record who solves XOR and the loss reached.

    Arguments (checked before any work):
        hiddens: at least one int >= 0, the numbers of hidden units H
        n_nets: int >= 1, networks per architecture
        epochs: int >= 1, full-batch GD steps
        lr: real > 0, the learning rate
        seed: int >= 0, the architecture at index k draws its weights with seed + k
    """
    hiddens = np.asarray(integers("hiddens", hiddens, at_least=0), dtype=int)
    n_nets = integer("n_nets", n_nets, at_least=1)
    epochs = integer("epochs", epochs, at_least=1)
    lr = real("lr", lr, above=0)
    seed = integer("seed", seed, at_least=0)
    results = [train_population(n_nets=n_nets, hidden=int(h), epochs=epochs, lr=lr, seed=seed + k) for k, h in enumerate(hiddens)]
    return XorArchitecturesResult(hiddens, lr, epochs, n_nets, np.array([r.solved_fraction for r in results]),
                                  np.array([r.losses[-1] for r in results]), np.array([np.median(r.losses, axis=1) for r in results]))


def plot(result: XorArchitecturesResult, path) -> None:
    """Solved fraction per architecture; every net's final loss against its architecture's floor; median loss curves."""
    from .figures import colours, new_figure, save_figure

    fig, (solved, losses, curves) = new_figure(1, 3, figsize=(15, 4.4))
    positions = np.arange(len(result.hiddens))
    labels = [f"2-{h}-1" for h in result.hiddens]
    palette = colours("tab10", len(result.hiddens))
    solved.bar(positions, 100 * result.solved_fraction, color=palette)
    for x, fraction in zip(positions, result.solved_fraction):
        solved.text(x, 100 * fraction + 2, f"{100 * fraction:.0f}%", ha="center")
    solved.set(xticks=positions, xticklabels=labels, ylim=(0, 110), ylabel="nets that solve XOR (%)",
               title=f"{result.n_nets} nets each, lr {result.lr:g}, {result.epochs} epochs")
    rng = np.random.default_rng(0)
    for x, hidden, final, colour in zip(positions, result.hiddens, result.final_losses, palette):
        losses.plot(x + rng.uniform(-0.25, 0.25, final.size), np.maximum(final, 1e-6), ".", color=colour, alpha=0.5, ms=4)
        losses.hlines(max(result.floor(hidden), 1e-6), x - 0.35, x + 0.35, color="k", lw=2)
    losses.hlines([], 0, 0, color="k", lw=2, label="floor of the architecture (1/4, 1/6, 0)")
    losses.axhline(STUCK_LOSS, color="tab:red", ls=":", lw=1, label="1/8: stuck 2-2-1 nets")
    losses.set(xticks=positions, xticklabels=labels, yscale="log", ylim=(1e-5, 1), ylabel="final MSE (every net a dot)",
               title="the loss no training goes below")
    losses.legend(fontsize=8, loc="lower left")
    epochs = np.arange(1, result.epochs + 1)
    for label, curve, colour, hidden in zip(labels, result.loss_curves, palette, result.hiddens):
        curves.plot(epochs, curve, color=colour, lw=2, label=f"{label} (median)")
        if result.floor(hidden) > 0:
            curves.axhline(result.floor(hidden), color=colour, ls="--", lw=1)
    curves.set(xscale="log", yscale="log", xlabel="epoch", ylabel="median MSE", title="median loss; dashed: floors 1/4 and 1/6")
    curves.legend(fontsize=8)
    save_figure(fig, path)
