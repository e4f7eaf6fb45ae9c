"""Symmetry and its breaking: identical hidden units stay identical, until noise lets them specialise.

A 1-``hidden``-1 tanh network is started with every hidden unit equal to
the first one (same incoming weight, bias and outgoing weight) and trained
by full-batch gradient descent on a target that one tanh unit cannot fit.
Two runs from the same start:

* **symmetric**: the units get identical gradients, so they stay identical
  (``count_distinct_units`` is 1 at every step): the network is a single unit
  (with its output weight repeated).  It does not even reach the best that one
  unit can do (``one_unit_loss``, a steep step, 0.311 on this task): its loss
  stops at essentially the best *straight line* (``linear_fit_loss``, 0.4295),
  with the unit in its linear range (small ``w_in``).  That is a stationary
  region of the one-unit landscape, where the gradient towards a steeper unit
  is almost zero, not its optimum;
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

from ..dynamics.flat_parameters import loss_of_parameter_vector
from ..dynamics.symmetry import antisymmetric_directions, count_distinct_units, symmetry_breaking_growth_rate, unit_tuple_indices
from ..dynamics.update_map import loss_hessian
from ..autograd import no_grad
from ..nn.flat import parameters_to_vector
from ..nn.losses import mse_loss
from ..nn.module import MLP
from ..optim.sgd import SGD
from .arguments import integer, real

INPUTS = np.linspace(-2.0, 2.0, 24)[:, None]
TARGETS = np.sin(2.0 * INPUTS)  # two bends: one tanh unit cannot fit it
ALIGN_STEPS = 30  # steps for random noise to turn towards the fastest-growing antisymmetric direction
LINEAR_LIMIT = 1e-2  # spread below which the linearisation around the symmetric path holds
COUNT_EVERY = 10  # count the distinct units every this many steps
PLOT_GRID = np.linspace(-2.0, 2.0, 200)[:, None]


def linear_fit(inputs: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """The least-squares straight line ``slope * x + intercept``: its mean squared error and (slope, intercept)."""
    design = np.column_stack([inputs[:, 0], np.ones(len(inputs))])
    coefficients = np.linalg.lstsq(design, targets[:, 0], rcond=None)[0]
    return float(np.mean((design @ coefficients - targets[:, 0]) ** 2)), coefficients


def best_single_unit(inputs: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    """The best ``a * tanh(w * x + b) + c`` in mean squared error: (loss, (w, b, a, c)).

    For fixed (w, b) the best (a, c) is a least-squares line in ``h = tanh(w x + b)``, with the error
    ``var(y) - cov(h, y)**2 / var(h)``; we search (w, b) on a grid over w in [-12, 12], b in [-4, 4] (step
    0.05), then on a grid 100 times finer around the best point (error of the loss ~1e-6).
    """
    x, y = inputs[:, 0], targets[:, 0]

    def search(ws, bs):
        h = np.tanh(ws[:, None, None] * x + bs[None, :, None])  # (W, B, points)
        centred = h - h.mean(axis=-1, keepdims=True)
        variance = np.maximum(np.mean(centred**2, axis=-1), 1e-300)
        covariance = np.mean(centred * (y - y.mean()), axis=-1)
        loss = np.var(y) - covariance**2 / variance
        i, j = np.unravel_index(np.argmin(loss), loss.shape)
        return ws[i], bs[j]

    w, b = search(np.arange(-12, 12.001, 0.05), np.arange(-4, 4.001, 0.05))
    w, b = search(w + np.arange(-0.05, 0.0501, 0.0005), b + np.arange(-0.05, 0.0501, 0.0005))
    h = np.tanh(w * x + b)
    a = np.mean((h - h.mean()) * (y - y.mean())) / np.var(h)
    c = y.mean() - a * h.mean()
    return float(np.mean((a * h + c - y) ** 2)), np.array([w, b, a, c])


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
    linear_fit_loss: float  # the best straight line's MSE on (INPUTS, TARGETS)
    one_unit_loss: float  # the best single tanh unit's MSE, a * tanh(w x + b) + c
    one_unit: np.ndarray  # its (w, b, a, c)

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
        w_in = self.final_tuples["symmetric"][0, 0]
        text = (
            f"1-{self.hidden}-1 tanh net, {len(self.steps)} GD steps at lr={self.lr}. Identical start: "
            f"{stays} distinct unit(s) at every step, final loss {symmetric:.4f}: essentially the best straight line "
            f"({self.linear_fit_loss:.4f}), with the unit in its linear range (w_in = {w_in:.3f}), not the best a single "
            f"unit can do ({self.one_unit_loss:.4f}, a steep unit with w_in = {self.one_unit[0]:.1f}): a stationary region, "
            "where nothing pulls the unit steeper. "
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
        tuples = parameters_to_vector(model.parameters())[layout]
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
    """Train the symmetric start with and without noise; predict the unit spread's growth along the way.

    Arguments (checked before any work):
        hidden: int >= 2, hidden units, all started identical
        lr: real > 0, the learning rate
        steps: int >= 2, GD steps
        noise: real > 0, size of the perturbation added to the second copy
        checkpoints: int >= 2, steps (geometrically spaced) at which the growth is predicted
        seed: int >= 0, draws the start and the noise
    """
    hidden = integer("hidden", hidden, at_least=2)
    lr = real("lr", lr, above=0)
    steps = integer("steps", steps, at_least=2)
    noise = real("noise", noise, above=0)
    checkpoints = integer("checkpoints", checkpoints, at_least=2)
    seed = integer("seed", seed, at_least=0)
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
            hessian = loss_hessian(loss_of_parameter_vector(model, INPUTS, TARGETS), parameters_to_vector(model.parameters()))
            growth.append(symmetry_breaking_growth_rate(hessian, antisymmetric_directions(model, 0, 1), lr))

    losses_sym, _, distinct_sym = _train(symmetric, lr, steps, on_step=predict_growth)
    losses_pert, spread, distinct_pert = _train(perturbed, lr, steps)
    models = {"symmetric": symmetric, "perturbed": perturbed}
    final = {name: parameters_to_vector(model.parameters())[unit_tuple_indices(model)] for name, model in models.items()}
    with no_grad():
        outputs = {name: model(PLOT_GRID).data[:, 0] for name, model in models.items()}
    one_unit_loss, one_unit = best_single_unit(INPUTS, TARGETS)
    return SymmetryResult(
        hidden, lr, noise, np.arange(steps),
        {"symmetric": losses_sym, "perturbed": losses_pert},
        {"symmetric": distinct_sym, "perturbed": distinct_pert},
        spread, checkpoint_steps, np.array(growth), final, outputs,
        linear_fit(INPUTS, TARGETS)[0], one_unit_loss, one_unit,
    )


def plot(result: SymmetryResult, path) -> None:
    """Loss curves, unit spread (measured and predicted), and each unit's function at the end."""
    from .figures import new_figure, save_figure

    fig, (loss_ax, spread_ax, units_ax) = new_figure(1, 3, figsize=(17, 4.3))
    for name, colour in (("symmetric", "tab:red"), ("perturbed", "tab:blue")):
        loss_ax.plot(result.steps, result.losses[name], color=colour,
                     label=f"{name} start ({result.distinct_units[name][-1]} distinct units at the end)")
    loss_ax.axhline(result.linear_fit_loss, color="k", ls="--", lw=1, label=f"best straight line ({result.linear_fit_loss:.4f})")
    loss_ax.axhline(result.one_unit_loss, color="tab:green", ls=":", lw=1.5,
                    label=f"best single tanh unit ({result.one_unit_loss:.3f})")
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
    w, b, a, c = result.one_unit
    units_ax.plot(x, a * np.tanh(w * x + b) + c, color="tab:green", lw=1.5, ls=":", label="best single tanh unit")
    units_ax.plot(INPUTS[:, 0], TARGETS[:, 0], "k.", label="target sin(2x)")
    units_ax.set(xlabel="x", title="at the end: the units and the network's output")
    units_ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    save_figure(fig, path)
