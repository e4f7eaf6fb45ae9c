"""Saxe et al. (2014): a deep linear network learns its modes one by one, strongest first.

A 4-input, 6-output, 8-hidden linear network trained by GD on whitened inputs
whose input-output correlation has singular values ``s = 4, 2, 1, 0.5``.  From
a small balanced start each mode stays near ``u0`` for a plateau, then rises
along ``u(t) = s e^{2st} / (e^{2st} - 1 + s/u0)``: stage-like learning, in
time ``ln(s/u0 - 1) / (2 s)``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..flow import DeepLinearRun, saxe_mode_strength, train_deep_linear
from .arguments import integer, real, reals

OUTPUTS = 6  # the network's outputs: at most this many modes


@dataclass
class SaxeResult:
    run: DeepLinearRun
    lr: float

    @property
    def predicted_half_times(self) -> np.ndarray:
        s = self.run.singular_values
        return np.log(s / self.run.u0 - 1) / (2 * s)

    def summary(self) -> str:
        half, predicted = self.run.half_times(), self.predicted_half_times
        parts = ", ".join(f"s = {s:g}: t = {h:.2f} (formula {p:.2f})" for s, h, p in zip(self.run.singular_values, half, predicted))
        gap = np.abs(self.run.mode_strengths - np.column_stack(
            [saxe_mode_strength(s, self.run.u0, self.run.times) for s in self.run.singular_values])).max()
        return (f"Each mode sits on a plateau near u0 = {self.run.u0:g}, then jumps to its singular value; half-way times: {parts}. "
                f"Learning time scales as 1/s (times s: {np.round(half * self.run.singular_values, 2)}, the rest is the slowly "
                f"varying ln(s/u0 - 1)). GD at lr = {self.lr} stays within {gap:.3f} of the exact flow solution: "
                "a small init means long plateaus, because the growth rate of a mode is proportional to its own strength.")


def run(singular_values=(4.0, 2.0, 1.0, 0.5), hidden: int = 8, lr: float = 0.01, t_final: float = 9.0,
        u0: float = 1e-3, seed: int = 0) -> SaxeResult:
    """GD on a linear network (one input per mode, ``hidden`` units, six outputs) from a small start, for a time ``t_final``.

    Arguments (checked before any work):
        singular_values: one to six reals > 0, the modes' strengths s
        hidden: int >= len(singular_values), hidden units (one per mode at least)
        lr: real > 0, the learning rate
        t_final: real >= lr, the time trained (round(t_final / lr) steps, at least one)
        u0: real in (0, min(singular_values)), every mode's strength at the start (each mode rises from it)
        seed: int >= 0, draws the modes' directions and the start
    """
    singular_values = reals("singular_values", singular_values, above=0)
    if len(singular_values) > OUTPUTS:
        raise ValueError(f"singular_values must hold at most {OUTPUTS} values (the outputs), got {singular_values}")
    hidden = integer("hidden", hidden, at_least=len(singular_values), note="the number of singular_values")
    lr = real("lr", lr, above=0)
    t_final = real("t_final", t_final, at_least=lr, note="lr: at least one step")
    u0 = real("u0", u0, above=0, below=min(singular_values), note="below the smallest singular value")
    seed = integer("seed", seed, at_least=0)
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.normal(size=(OUTPUTS, len(singular_values))))
    V, _ = np.linalg.qr(rng.normal(size=(len(singular_values), len(singular_values))))
    sigma_yx = U @ np.diag(singular_values) @ V.T
    return SaxeResult(train_deep_linear(sigma_yx, hidden, lr, round(t_final / lr), u0=u0, seed=seed), lr)


def plot(result: SaxeResult, path) -> None:
    """Left: mode strengths (GD dots, formula lines). Right: half-way times against 1/s."""
    from .figures import colours, new_figure, save_figure

    run_ = result.run
    fig, (curves, times) = new_figure(1, 2, figsize=(11, 4.4))
    for i, (s, colour) in enumerate(zip(run_.singular_values, colours("viridis", len(run_.singular_values), 0, 0.85))):
        curves.plot(run_.times[::25], run_.mode_strengths[::25, i], "o", ms=3, color=colour)
        curves.plot(run_.times, saxe_mode_strength(s, run_.u0, run_.times), color=colour, label=f"s = {s:g}")
    curves.set(xlabel="time t = step * lr", ylabel="mode strength u", title="GD (dots) vs u(t) = s e^{2st} / (e^{2st} - 1 + s/u0)")
    curves.legend()
    inverse = 1 / run_.singular_values
    times.plot(inverse, run_.half_times(), "o", ms=8, label="GD: time to reach s/2")
    times.plot(inverse, result.predicted_half_times, "x-", label="ln(s/u0 - 1) / (2s)")
    times.set(xlabel="1 / s", ylabel="learning time", title="weaker modes are learned later, time ~ 1/s")
    times.legend()
    save_figure(fig, path)
