"""Symmetry and its breaking: identical hidden units stay identical, until noise lets them specialise.

A 1-``hidden``-1 tanh network is started with every hidden unit equal to
the first one (same incoming weight, bias and outgoing weight) and trained
by full-batch gradient descent on a target that one tanh unit cannot fit.
Two runs from the same start:

* **symmetric**: the units get identical gradients, so they stay identical
  (``count_distinct_units`` is 1 at every step): the network is stuck with
  the capacity of a single unit, and its loss plateaus at the best 1-unit fit;
* **perturbed**: the same start plus noise of size ``noise``: the difference
  between units grows, and the units specialise to different parts of the target.

Along the symmetric run, the growth factor per step of a perturbation
between two units is predicted from the antisymmetric block of the
Hessian (``symmetry_breaking_growth_rate``); the product of those factors
predicts how far apart the units of the perturbed run get, while they are close.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..dynamics.flat_parameters import loss_of_parameter_vector, parameter_vector
from ..dynamics.symmetry import antisymmetric_directions, count_distinct_units, symmetry_breaking_growth_rate, unit_tuple_indices
from ..dynamics.update_map import loss_hessian
from ..autograd import no_grad
from ..nn.losses import mse_loss
from ..nn.module import MLP
from ..optim.sgd import SGD

INPUTS = np.linspace(-2.0, 2.0, 24)[:, None]
TARGETS = np.sin(2.0 * INPUTS)  # two bends: one tanh unit cannot fit it
ALIGN_STEPS = 30  # steps for random noise to turn towards the fastest-growing antisymmetric direction
LINEAR_LIMIT = 1e-2  # spread below which the linearisation around the symmetric path holds
COUNT_EVERY = 10  # count the distinct units every this many steps
PLOT_GRID = np.linspace(-2.0, 2.0, 200)[:, None]


@dataclass
class SymmetryResult:
    hidden: int
    lr: float
    noise: float
    steps: np.ndarray  # (T,) step numbers 0..T-1
    losses: dict  # "symmetric"/"perturbed" -> (T,) loss before each step
    distinct_units: dict  # "symmetric"/"perturbed" -> count_distinct_units before every COUNT_EVERY-th step
    spread: np.ndarray  # (T,) perturbed run: largest distance between two units' tuples
    checkpoints: np.ndarray  # steps at which the growth factor was predicted
    predicted_growth: np.ndarray  # per-step growth factor of a unit difference, at each checkpoint
    final_tuples: dict  # "symmetric"/"perturbed" -> (hidden, 3): (w_in, bias, w_out) of each unit at the end
    final_outputs: dict  # "symmetric"/"perturbed" -> the network's output on PLOT_GRID at the end

    def growth_window(self) -> tuple[int, int]:
        """Steps (a, b) over which the spread grows linearly: from ``ALIGN_STEPS`` (the noise has turned
        towards the fastest-growing direction) until the spread first exceeds ``LINEAR_LIMIT``."""
        too_large = np.flatnonzero(self.spread > LINEAR_LIMIT)
        end = int(too_large[0]) if too_large.size else len(self.spread) - 1
        return ALIGN_STEPS, max(end, ALIGN_STEPS + 1)

    def predicted_factors(self) -> np.ndarray:
        """The predicted growth factor at every step, interpolated between the checkpoints."""
        return np.interp(self.steps, self.checkpoints, self.predicted_growth)

    def mean_growth(self) -> tuple[float, float]:
        """(measured, predicted) geometric-mean growth per step of the unit spread over ``growth_window``."""
        a, b = self.growth_window()
        measured = (self.spread[b] / self.spread[a]) ** (1.0 / (b - a))
        predicted = float(np.exp(np.log(self.predicted_factors()[a:b]).mean()))
        return float(measured), predicted

    def predicted_spread(self) -> np.ndarray:
        """From ``ALIGN_STEPS`` on: the measured spread there times the product of the predicted factors."""
        a = ALIGN_STEPS
        return self.spread[a] * np.concatenate([[1.0], np.cumprod(self.predicted_factors()[a:-1])])

    def summary(self) -> str:
        """The outcome in words, derived from the numbers."""
        symmetric, perturbed = self.losses["symmetric"][-1], self.losses["perturbed"][-1]
        stays = int(self.distinct_units["symmetric"].max())
        ends = int(self.distinct_units["perturbed"][-1])
        text = (
            f"1-{self.hidden}-1 tanh net, {len(self.steps)} GD steps at lr={self.lr}. Identical start: "
            f"{stays} distinct unit(s) at every step, final loss {symmetric:.4f} (the best a single unit can do). "
        )
        tuples = self.final_tuples["perturbed"]
        kinds = len({tuple(np.round(row[:2], 1)) for row in tuples})  # units with similar (w_in, b) do the same job
        text += (
            f"With noise {self.noise:g}: {ends} distinct units at the end, of {kinds} kinds (by w_in, b to 0.1), "
            f"final loss {perturbed:.4f} ({symmetric / max(perturbed, 1e-300):.1f}x lower). "
        )
        if (self.predicted_growth > 1).any():
            measured, predicted = self.mean_growth()
            a, b = self.growth_window()
            text += (
                f"The antisymmetric block of the Hessian predicts growth of up to {self.predicted_growth.max():.4f} per step "
                f"(at step {self.checkpoints[np.argmax(self.predicted_growth)]}): the symmetric path runs along a saddle. "
                f"Over steps {a}-{b} the unit spread grew by {measured:.5f} per step, predicted {predicted:.5f}; "
                f"it went from {self.spread[0]:.1e} to {self.spread.max():.1e}."
            )
        else:
            text += "The antisymmetric block never predicts growth: the symmetric path is stable here and noise dies out."
        return text


def symmetric_mlp(hidden: int, rng: np.random.Generator) -> MLP:
    """A 1-hidden-1 tanh MLP whose hidden units all copy unit 0's (w_in, bias, w_out)."""
    model = MLP([1, hidden, 1], activation="tanh", rng=rng)
    first, second = model.layers
    first.weight.data[:] = first.weight.data[0]
    first.bias.data[:] = rng.normal(0.0, 0.5)
    second.weight.data[:] = second.weight.data[0, 0]
    return model


def _train(model: MLP, lr: float, steps: int, on_step=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """GD on the MSE; per step the loss and the spread of the units, every ``COUNT_EVERY`` steps the distinct units."""
    optimizer = SGD(model.parameters(), lr=lr)
    layout = unit_tuple_indices(model)
    losses, spread, distinct = np.empty(steps), np.empty(steps), []
    for step in range(steps):
        if on_step is not None:
            on_step(step, model)
        tuples = parameter_vector(model)[layout]
        spread[step] = np.max(np.linalg.norm(tuples[:, None, :] - tuples[None, :, :], axis=-1))
        if step % COUNT_EVERY == 0:
            distinct.append(count_distinct_units(model, atol=1e-9))
        loss = mse_loss(model(INPUTS), TARGETS)
        losses[step] = loss.item()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return losses, spread, np.array(distinct)


def run(hidden: int = 4, lr: float = 0.12, steps: int = 1700, noise: float = 1e-6, checkpoints: int = 30,
        seed: int = 1) -> SymmetryResult:
    """Train the symmetric start with and without noise; predict the unit spread's growth along the way."""
    if hidden < 2 or steps < 2 or checkpoints < 2:
        raise ValueError(f"need hidden >= 2, steps >= 2, checkpoints >= 2, got {hidden}, {steps}, {checkpoints}")
    if not lr > 0 or not noise > 0:
        raise ValueError(f"lr and noise must be > 0, got lr={lr}, noise={noise}")
    rng = np.random.default_rng(seed)
    symmetric = symmetric_mlp(hidden, rng)
    perturbed = symmetric_mlp(hidden, np.random.default_rng(seed))
    for p in perturbed.parameters():
        p.data += noise * rng.normal(size=p.shape)

    # The growth factor changes fastest early on: predict it at geometrically spaced steps.
    checkpoint_steps = np.unique(np.round(np.geomspace(1, steps, checkpoints)).astype(int) - 1)
    growth = []

    def predict_growth(step: int, model: MLP) -> None:
        if step in checkpoint_steps:
            hessian = loss_hessian(loss_of_parameter_vector(model, INPUTS, TARGETS), parameter_vector(model))
            growth.append(symmetry_breaking_growth_rate(hessian, antisymmetric_directions(model, 0, 1), lr))

    losses_sym, _, distinct_sym = _train(symmetric, lr, steps, on_step=predict_growth)
    losses_pert, spread, distinct_pert = _train(perturbed, lr, steps)
    models = {"symmetric": symmetric, "perturbed": perturbed}
    final = {name: parameter_vector(model)[unit_tuple_indices(model)] for name, model in models.items()}
    with no_grad():
        outputs = {name: model(PLOT_GRID).data[:, 0] for name, model in models.items()}
    return SymmetryResult(
        hidden, lr, noise, np.arange(steps),
        {"symmetric": losses_sym, "perturbed": losses_pert},
        {"symmetric": distinct_sym, "perturbed": distinct_pert},
        spread, checkpoint_steps, np.array(growth), final, outputs,
    )


def plot(result: SymmetryResult, path) -> None:
    """Loss curves, unit spread (measured and predicted), and each unit's function at the end."""
    from .figures import new_figure, save_figure

    fig, (loss_ax, spread_ax, units_ax) = new_figure(1, 3, figsize=(15, 4.3))
    for name, colour in (("symmetric", "tab:red"), ("perturbed", "tab:blue")):
        loss_ax.plot(result.steps, result.losses[name], color=colour,
                     label=f"{name} start ({result.distinct_units[name][-1]} distinct units at the end)")
    loss_ax.set(yscale="log", xlabel="step", ylabel="MSE", title="identical units stay identical; noise frees them")
    loss_ax.legend(fontsize=8)
    spread_ax.plot(result.steps, result.spread, color="tab:blue", label="measured (perturbed run)")
    spread_ax.plot(result.steps[ALIGN_STEPS:], result.predicted_spread(), "k--",
                   label=f"predicted from step {ALIGN_STEPS}: product of antisymmetric growth factors")
    spread_ax.axhline(LINEAR_LIMIT, color="grey", lw=0.8, ls=":")
    spread_ax.set(yscale="log", xlabel="step", ylabel="largest distance between two units",
                  title="symmetry breaking: growth of the unit spread")
    spread_ax.set_ylim(result.spread.min() / 3, max(result.spread.max(), 1.0) * 3)
    spread_ax.legend(fontsize=8)
    x = PLOT_GRID[:, 0]
    for k, (w_in, bias, w_out) in enumerate(result.final_tuples["perturbed"]):
        units_ax.plot(x, w_out * np.tanh(w_in * x + bias), color=f"C{k + 2}", lw=1, ls=("-", "--", "-.", ":")[k % 4],
                      label=f"perturbed unit {k}: w_out tanh(w_in x + b)")
    units_ax.plot(x, result.final_outputs["perturbed"], color="tab:blue", lw=2.5, label="perturbed net output")
    units_ax.plot(x, result.final_outputs["symmetric"], color="tab:red", lw=2.5, label="symmetric net output (one unit, x4)")
    units_ax.plot(INPUTS[:, 0], TARGETS[:, 0], "k.", label="target sin(2x)")
    units_ax.set(xlabel="x", title="at the end: the units and the network's output")
    units_ax.legend(fontsize=7, loc="upper left")
    save_figure(fig, path)
