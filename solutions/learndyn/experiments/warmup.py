"""Learning-rate warm-up: a learning rate far above 2 / sharpness-at-init trains once the sharpness has fallen.

A 1-``hidden``-1 tanh MLP is fitted to ``sin(1.5 x)`` by full-batch gradient
descent, with its output weights ``output_scale`` times too large at the start
(outputs of size ~5 against targets of size 1).  There the loss is sharp: its
top Hessian eigenvalue ``lam_0`` (``loss_hessian``) is ~290, so gradient descent
is stable only below ``critical = 2 / lam_0`` (~0.007).  For each ``factor``,
two runs from the same start at the peak learning rate ``lr = factor * critical``:

* **constant**: ``lr`` from the first step;
* **warm-up**: ``LinearLR(start_factor=warmup_start, total_iters=warmup)``
  takes the learning rate from ``warmup_start * lr`` up to ``lr``, then it stays.

Each run ends **trained** (final loss below ``TRAINED`` times the starting loss),
**exploded** (the loss overflows or passes ``EXPLODED``) or **stalled** (neither).

What happens: the sharp start is not a place the network has to stay.  A
constant ``lr`` a few times above ``critical`` throws the network out of it in
one spike of the loss (a "catapult") into a flatter region, where it trains; a
larger one multiplies the sharpest direction by ``|1 - lr * lam_0|`` ~10 per
step and the loss overflows before anything can flatten.  Warm-up starts below
``critical``; each time the rising ``lr`` passes ``2 / lam``, the sharpest
direction grows only slowly (``|1 - lr * lam|`` just above 1), the loss spikes
once and the network lands in a flatter region: the sharpness falls in steps,
following ``2 / lr(t)`` down, and the full ``lr`` arrives where it is (nearly)
stable, the sharpness ending at about ``2 / lr`` (the edge of stability).  The
runs at ``shown`` record the sharpness along the way.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..dynamics.flat_parameters import loss_of_parameter_vector
from ..dynamics.update_map import loss_hessian
from ..nn.flat import parameters_to_vector
from ..nn.losses import mse_loss
from ..nn.module import MLP
from ..optim.lr_scheduler import LinearLR
from ..optim.sgd import SGD
from .arguments import integer, one_of, real, reals

INPUTS = np.linspace(-2.0, 2.0, 32)[:, None]
TARGETS = np.sin(1.5 * INPUTS)
SCHEDULES = ("constant", "warm-up")
TRAINED = 0.01  # a final loss below this fraction of the starting loss counts as trained (the start is ~5, a fit ~0.005)
EXPLODED = 1e6  # a loss above this (or inf/nan) counts as blown up


def classify_outcome(losses: np.ndarray) -> str:
    """``"trained"``, ``"exploded"`` or ``"stalled"`` for a run's losses (the first entry is the starting loss)."""
    losses = np.asarray(losses, dtype=np.float64)
    if not np.all(np.isfinite(losses)) or losses.max() > EXPLODED:
        return "exploded"
    return "trained" if losses[-1] < TRAINED * losses[0] else "stalled"


def sharpness(model: MLP) -> float:
    """lam_max, the top eigenvalue of the Hessian of the loss at the model's parameters (``loss_hessian``)."""
    theta = parameters_to_vector(model.parameters())
    return float(np.linalg.eigvalsh(loss_hessian(loss_of_parameter_vector(model, INPUTS, TARGETS), theta))[-1])


@dataclass
class Run:
    """One training run: losses before each step, the learning rate of each step, the sharpness now and then."""

    losses: np.ndarray  # (steps,) or fewer if it exploded
    lrs: np.ndarray  # (len(losses),) the learning rate used by the step after each loss
    sharpness_steps: np.ndarray  # steps at which the sharpness was measured (before that step)
    sharpness: np.ndarray  # lam_max there
    outcome: str


@dataclass
class WarmupResult:
    factors: np.ndarray  # (F,) peak lr / critical
    lam0: float  # sharpness at the initialisation
    critical: float  # 2 / lam0
    warmup: int  # steps of the warm-up
    shown: float  # the factor whose runs carry sharpness trajectories
    runs: dict  # runs[schedule][f]: Run for factors[f]

    def outcome_table(self) -> dict:
        return {schedule: [run.outcome for run in self.runs[schedule]] for schedule in SCHEDULES}

    def largest_trained_factor(self, schedule: str) -> float:
        trained = [f for f, run in zip(self.factors, self.runs[schedule]) if run.outcome == "trained"]
        return max(trained) if trained else 0.0

    def shown_runs(self) -> dict:
        index = int(np.argmin(np.abs(self.factors - self.shown)))
        return {schedule: self.runs[schedule][index] for schedule in SCHEDULES}

    def summary(self) -> str:
        lines = [f"At the initialisation the sharpness is lam_0 = {self.lam0:.4g}: GD is stable only below "
                 f"lr = 2 / lam_0 = {self.critical:.4g}. Peak lr = factor x that, warm-up over {self.warmup} steps."]
        for schedule in SCHEDULES:
            cells = []
            for factor, run in zip(self.factors, self.runs[schedule]):
                final = f"final loss {run.losses[-1]:.2g}" if run.outcome != "exploded" else f"after {len(run.losses)} steps"
                cells.append(f"{factor:g}x {run.outcome} ({final})")
            lines.append(f"{schedule:>8}: " + "; ".join(cells) + ".")
        constant, warm = self.largest_trained_factor("constant"), self.largest_trained_factor("warm-up")
        lines.append(f"A constant lr trains up to {constant:g} x 2 / lam_0, warm-up up to {warm:g} x"
                     + (f": {warm / constant:.3g} times larger." if constant > 0 else "."))
        shown = self.shown_runs()
        lr_peak = self.shown * self.critical
        warm_run, constant_run = shown["warm-up"], shown["constant"]
        end_of_warmup = self.sharpness_at(warm_run, self.warmup)
        lines.append(
            f"At {self.shown:g}x (lr = {lr_peak:.4g}, 2 / lr = {2 / lr_peak:.4g}): the constant run {constant_run.outcome}"
            + (f" in {len(constant_run.losses)} steps, its sharpest direction multiplied by |1 - lr lam_0| = "
               f"{abs(1 - lr_peak * self.lam0):.3g} per step" if constant_run.outcome == "exploded" else "")
            + f"; the warm-up run {warm_run.outcome}: while the lr rose, the sharpness fell from {self.lam0:.4g} to "
            f"{end_of_warmup:.4g} at the end of the warm-up ({end_of_warmup * lr_peak / 2:.2f} x 2 / lr), "
            f"and was {warm_run.sharpness[-1]:.4g} at the end, so the full lr arrived where it is (nearly) stable."
        )
        return "\n".join(lines)

    @staticmethod
    def sharpness_at(run: Run, step: int) -> float:
        """The sharpness measured at the first measurement at or after ``step`` (the last one if none)."""
        later = np.flatnonzero(run.sharpness_steps >= step)
        return float(run.sharpness[later[0]] if later.size else run.sharpness[-1])


def make_model(hidden: int, output_scale: float, seed: int) -> MLP:
    """The tanh MLP with Xavier weights, its output layer's weights multiplied by ``output_scale``."""
    model = MLP([1, hidden, 1], activation="tanh", rng=np.random.default_rng(seed))
    model.layers[-1].weight.data *= output_scale
    return model


def train(model: MLP, lr: float, steps: int, warmup: int, warmup_start: float, sharpness_every: int | None) -> Run:
    """Full-batch GD at peak ``lr``, warmed up over ``warmup`` steps (0: constant), the scheduler stepped after the optimizer."""
    optimizer = SGD(model.parameters(), lr=lr)
    scheduler = LinearLR(optimizer, start_factor=warmup_start, total_iters=warmup) if warmup > 0 else None
    losses, lrs, measured_at, measured = [], [], [], []
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(steps):
            loss = mse_loss(model(INPUTS), TARGETS)
            losses.append(loss.item())
            if not np.isfinite(losses[-1]) or losses[-1] > EXPLODED:
                break
            if sharpness_every and (step % sharpness_every == 0 or step == steps - 1):
                measured_at.append(step)
                measured.append(sharpness(model))
            lrs.append(optimizer.param_groups[0]["lr"])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
    losses = np.array(losses)
    lrs = np.array(lrs + [np.nan] * (len(losses) - len(lrs)))
    return Run(losses, lrs, np.array(measured_at, dtype=int), np.array(measured), classify_outcome(losses))


def run(factors=(1.0, 2.0, 4.0, 8.0, 12.0, 16.0, 24.0), shown: float = 12.0, steps: int = 1000, warmup: int = 300,
        warmup_start: float = 0.02, hidden: int = 32, output_scale: float = 8.0, sharpness_every: int = 25,
        seed: int = 0) -> WarmupResult:
    """Both schedules at every ``factor``; the runs at ``shown`` record the sharpness every ``sharpness_every`` steps.

    Arguments (checked before any work):
        factors: at least one real > 0, peak learning rates in multiples of 2 / lam_0
        shown: real, one of ``factors``: the runs whose sharpness is recorded
        steps: int >= 2, GD steps per run
        warmup: int in [1, steps - 1], steps of the linear warm-up
        warmup_start: real in (0, 1], the warm-up's first lr as a fraction of the peak
        hidden: int >= 1, hidden units of the tanh MLP
        output_scale: real > 0, multiplies the output layer's initial weights (how sharp the start is)
        sharpness_every: int >= 1, steps between sharpness measurements
        seed: int >= 0, draws the initial weights
    """
    factors = np.asarray(reals("factors", factors, above=0), dtype=float)
    shown = one_of("shown", real("shown", shown), tuple(factors.tolist()), note="the factors")
    steps = integer("steps", steps, at_least=2)
    warmup = integer("warmup", warmup, at_least=1, at_most=steps - 1, note="below steps")
    warmup_start = real("warmup_start", warmup_start, above=0, at_most=1)
    hidden = integer("hidden", hidden, at_least=1)
    output_scale = real("output_scale", output_scale, above=0)
    sharpness_every = integer("sharpness_every", sharpness_every, at_least=1)
    seed = integer("seed", seed, at_least=0)
    lam0 = sharpness(make_model(hidden, output_scale, seed))
    critical = 2.0 / lam0
    runs = {schedule: [] for schedule in SCHEDULES}
    for factor in factors:
        for schedule in SCHEDULES:
            model = make_model(hidden, output_scale, seed)
            every = sharpness_every if factor == shown else None
            runs[schedule].append(train(model, factor * critical, steps, warmup if schedule == "warm-up" else 0,
                                        warmup_start, every))
    return WarmupResult(factors, lam0, critical, warmup, shown, runs)


COLOURS = {"constant": "tab:red", "warm-up": "tab:blue"}


def plot(result: WarmupResult, path) -> None:
    """Loss curves at the shown factor, the sharpness against 2 / lr(t), and the final loss against the factor."""
    from .figures import new_figure, save_figure

    fig, (curves, sharp, sweep) = new_figure(1, 3, figsize=(16, 4.6))
    shown = result.shown_runs()
    lr_peak = result.shown * result.critical
    for schedule, run_ in shown.items():
        curves.plot(np.clip(run_.losses, None, EXPLODED), color=COLOURS[schedule], label=f"{schedule}: {run_.outcome}")
    curves.axvline(result.warmup, color="grey", ls=":", label="end of warm-up")
    curves.set(yscale="log", xlabel="step", ylabel="MSE",
               title=f"peak lr = {result.shown:g} x 2 / lam_0 = {lr_peak:.3g}")
    curves.legend(fontsize=8)

    warm = shown["warm-up"]
    sharp.plot(warm.sharpness_steps, warm.sharpness, "o-", color=COLOURS["warm-up"], ms=3, label="sharpness lam_max (warm-up run)")
    steps = np.arange(len(warm.lrs))
    sharp.plot(steps, 2 / warm.lrs, color="k", ls="--", label="2 / lr(t): the stability edge")
    sharp.axhline(result.lam0, color=COLOURS["constant"], ls=":", label=f"lam_0 = {result.lam0:.3g}, where the constant run starts")
    sharp.axhline(2 / lr_peak, color="grey", lw=0.8, label=f"2 / peak lr = {2 / lr_peak:.3g}")
    sharp.set(yscale="log", xlabel="step", ylabel="lam_max", ylim=(0.5 * 2 / lr_peak, 4 * result.lam0),
              title="warm-up: the sharpness falls as 2 / lr(t) comes down to it")
    sharp.legend(fontsize=8)

    for schedule in SCHEDULES:
        finals = [run_.losses[-1] if run_.outcome != "exploded" else np.nan for run_ in result.runs[schedule]]
        sweep.plot(result.factors, finals, "o-", color=COLOURS[schedule], label=f"{schedule} (missing: exploded)")
        exploded = [f for f, run_ in zip(result.factors, result.runs[schedule]) if run_.outcome == "exploded"]
        sweep.scatter(exploded, [1.0] * len(exploded), marker="x", color=COLOURS[schedule], s=50)
    sweep.axvline(1.0, color="k", ls="--", label="lr = 2 / lam_0")
    sweep.set(xscale="log", yscale="log", xlabel="peak lr / (2 / lam_0)", ylabel="final MSE (x at 1: exploded)",
              title="how far above 2 / lam_0 each schedule trains")
    sweep.legend(fontsize=8)
    save_figure(fig, path)
