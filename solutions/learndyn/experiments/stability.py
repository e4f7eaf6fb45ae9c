"""Stability of training: what happens at learning rates around 2 / sharpness.

A small tanh MLP (1-8-1) is fitted to ``amplitude * sin(1.5 x)`` for a few
amplitudes (each gives a minimum of different sharpness).  For each problem:

1. pre-train with gradient descent at half the critical learning rate
   (re-measured a few times, since the sharpness changes while training)
   to get near a minimum ``theta_star``;
2. measure the sharpness ``lam_max``, the top eigenvalue of the Hessian
   there (``loss_hessian``), and the predicted critical rate
   ``critical_learning_rate(H) = 2 / lam_max``;
3. from ``theta_star`` plus a small kick, run gradient descent at
   ``lr = factor * critical`` for each factor, and name what happened:

* **converge**: the loss never rises above its start: every direction shrinks;
* **oscillate**: the loss rises (the top direction grows, as ``|1 - lr * lam_max| > 1``
  predicts) but the run then settles near a loss like the start's (it moved
  to a flatter region where this lr is stable again);
* **diverge**: the run leaves the minimum for good: over the last quarter of
  the run the loss stays above twice the start's, without blowing up;
* **explode**: the loss grows without bound (overflow to inf/nan or above 1e6).

The quadratic model of the minimum predicts the first boundary exactly:
stable iff ``lr < 2 / lam_max``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..dynamics.flat_parameters import loss_of_parameter_vector
from ..dynamics.regimes import critical_learning_rate
from ..dynamics.update_map import loss_hessian
from ..nn.flat import parameters_to_vector, vector_to_parameters
from ..nn.losses import mse_loss
from ..nn.module import MLP
from ..optim.sgd import SGD
from .arguments import integer, reals

INPUTS = np.linspace(-2.0, 2.0, 32)[:, None]
OUTCOMES = ("converge", "oscillate", "diverge", "explode")
EXPLODED = 1e6  # a loss above this (or inf/nan) counts as blown up
KICK = 1e-3  # size of the random kick off the minimum, so that the top direction has something to amplify


def classify_outcome(losses: np.ndarray) -> str:
    """One of OUTCOMES for a run's losses (the first entry is the starting loss)."""
    losses = np.asarray(losses, dtype=np.float64)
    start = losses[0]
    if not np.all(np.isfinite(losses)) or losses.max() > EXPLODED:
        return "explode"
    if losses[-max(len(losses) // 4, 1):].min() > 2 * start:  # never back down in the last quarter
        return "diverge"
    if losses.max() > start * (1 + 1e-6):
        return "oscillate"
    return "converge"


@dataclass
class StabilityResult:
    amplitudes: np.ndarray  # (P,) one problem per target amplitude
    factors: np.ndarray  # (F,) lr / critical
    sharpness: np.ndarray  # (P,) lam_max at each problem's minimum
    critical: np.ndarray  # (P,) critical_learning_rate at that minimum
    outcomes: list  # outcomes[p][f]: one of OUTCOMES
    losses: list  # losses[p][f]: the run's loss before each step (stops early once exploded)

    def summary(self) -> str:
        """The outcome in words, derived from the numbers."""
        lines = []
        for p, amplitude in enumerate(self.amplitudes):
            stable = [f for f, outcome in zip(self.factors, self.outcomes[p]) if outcome == "converge"]
            unstable = [f for f, outcome in zip(self.factors, self.outcomes[p]) if outcome != "converge"]
            boundary = (
                f"stays at the minimum up to lr = {max(stable):g} x critical, leaves it from {min(unstable):g} x"
                if stable and unstable else "no boundary inside the grid"
            )
            lines.append(f"amplitude {amplitude:g}: lam_max = {self.sharpness[p]:.3g}, critical lr = {self.critical[p]:.4g}; {boundary}.")
        counts = {name: sum(row.count(name) for row in self.outcomes) for name in OUTCOMES}
        first_explosion = [self.factors[row.index("explode")] for row in self.outcomes if "explode" in row]
        lines.append(
            f"Over all runs: {counts}. Below 2 / lam_max every direction of the update map I - lr H shrinks, so the run "
            "stays; just above it the sharpest direction is multiplied by |1 - lr lam_max| > 1 each step and the run "
            "leaves the minimum: it either finds a flatter place (oscillate) or bounces at a higher loss (diverge); "
            + (f"from about {min(first_explosion):g} x critical the loss overflows (explode)." if first_explosion else "none exploded.")
        )
        return "\n".join(lines)


def _train(model: MLP, targets: np.ndarray, lr: float, steps: int) -> np.ndarray:
    optimizer = SGD(model.parameters(), lr=lr)
    losses = []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            loss = mse_loss(model(INPUTS), targets)
            losses.append(loss.item())
            if not np.isfinite(losses[-1]) or losses[-1] > EXPLODED:
                break
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return np.array(losses)


def _hessian(model: MLP, targets: np.ndarray) -> np.ndarray:
    return loss_hessian(loss_of_parameter_vector(model, INPUTS, targets), parameters_to_vector(model.parameters()))


def run(amplitudes=(0.5, 1.0, 2.0, 3.0), factors=(0.5, 0.9, 1.1, 1.5, 2.0, 3.0, 5.0), steps: int = 150,
        hidden: int = 8, pretrain_rounds: int = 3, pretrain_steps: int = 300, seed: int = 0) -> StabilityResult:
    """Pre-train to a minimum per amplitude, then run GD at ``factor * critical`` for each factor.

    Pre-training: ``pretrain_rounds`` rounds of ``pretrain_steps`` GD steps at half the critical lr,
    re-measured before each round (the sharpness changes as the network trains).

    Arguments (checked before any work):
        amplitudes: at least one real > 0, one problem (target amplitude * sin(1.5 x)) each
        factors: at least one real > 0, the learning rates tried, in multiples of the critical one
        steps: int >= 2, GD steps per run
        hidden: int >= 1, hidden units of the 1-hidden-1 tanh MLP
        pretrain_rounds: int >= 0, rounds of pre-training
        pretrain_steps: int >= 1, GD steps per round
        seed: int >= 0, draws the initial weights (and, with seed + 1, the kick)
    """
    amplitudes = np.asarray(reals("amplitudes", amplitudes, above=0), dtype=float)
    factors = np.asarray(reals("factors", factors, above=0), dtype=float)
    steps = integer("steps", steps, at_least=2)
    hidden = integer("hidden", hidden, at_least=1)
    pretrain_rounds = integer("pretrain_rounds", pretrain_rounds, at_least=0)
    pretrain_steps = integer("pretrain_steps", pretrain_steps, at_least=1)
    seed = integer("seed", seed, at_least=0)
    sharpness, critical, outcomes, all_losses = [], [], [], []
    for amplitude in amplitudes:
        targets = amplitude * np.sin(1.5 * INPUTS)
        model = MLP([1, hidden, 1], activation="tanh", rng=np.random.default_rng(seed))
        for _ in range(pretrain_rounds):
            _train(model, targets, 0.5 * critical_learning_rate(_hessian(model, targets)), pretrain_steps)
        hessian = _hessian(model, targets)
        sharpness.append(float(np.linalg.eigvalsh(hessian)[-1]))
        critical.append(critical_learning_rate(hessian))
        theta_star = parameters_to_vector(model.parameters())
        kick = KICK * np.random.default_rng(seed + 1).normal(size=theta_star.size)
        row_outcomes, row_losses = [], []
        for factor in factors:
            vector_to_parameters(theta_star + kick, model.parameters())
            losses = _train(model, targets, factor * critical[-1], steps)
            row_outcomes.append(classify_outcome(losses))
            row_losses.append(losses)
        outcomes.append(row_outcomes)
        all_losses.append(row_losses)
    return StabilityResult(amplitudes, factors, np.array(sharpness), np.array(critical), outcomes, all_losses)


COLOURS = {"converge": "tab:green", "oscillate": "tab:orange", "diverge": "tab:red", "explode": "black"}


def plot(result: StabilityResult, path) -> None:
    """Loss curves of one problem at every factor, and the phase diagram lr against lam_max."""
    from .figures import colours, new_figure, save_figure

    fig, (curves, phase) = new_figure(1, 2, figsize=(12, 4.6))
    shown = len(result.amplitudes) // 2
    palette = colours("viridis", len(result.factors))
    for f, (factor, losses, outcome) in enumerate(zip(result.factors, result.losses[shown], result.outcomes[shown])):
        curves.plot(np.clip(losses, None, 1e7), color=palette[f],
                    label=f"lr = {factor:g} x 2/lam_max: {outcome}")
    curves.set(yscale="log", xlabel="step", ylabel="MSE",
               title=f"from a minimum (amplitude {result.amplitudes[shown]:g}, lam_max = {result.sharpness[shown]:.3g})")
    curves.legend(fontsize=8)
    for p, lam in enumerate(result.sharpness):
        for factor, outcome in zip(result.factors, result.outcomes[p]):
            phase.scatter(lam, factor * result.critical[p], color=COLOURS[outcome], s=45, edgecolors="k", linewidths=0.4)
    lam_grid = np.geomspace(result.sharpness.min() / 1.5, result.sharpness.max() * 1.5, 100)
    phase.plot(lam_grid, 2 / lam_grid, "k--", label="prediction: lr = 2 / lam_max")
    for name, colour in COLOURS.items():
        phase.scatter([], [], color=colour, edgecolors="k", linewidths=0.4, label=name)
    phase.set(xscale="log", yscale="log", xlabel="sharpness lam_max at the minimum", ylabel="learning rate",
              title="phase diagram: stable below lr = 2 / lam_max")
    phase.set_xticks(result.sharpness, [f"{lam:.3g}" for lam in result.sharpness], minor=False)
    phase.set_xticks([], minor=True)
    phase.legend(fontsize=8)
    save_figure(fig, path)
