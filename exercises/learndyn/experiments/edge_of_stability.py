"""The edge of stability (Cohen et al. 2021): full-batch GD drives the sharpness up to 2 / lr, then hovers there.

Stage 3's stability rule: on a quadratic with top Hessian eigenvalue
``sharpness``, GD at step size ``lr`` is stable iff ``sharpness < 2 / lr``.
A network's loss is not a quadratic, and its sharpness changes as it trains:

1. *Progressive sharpening.*  From a small start, the sharpness rises while
   the loss falls smoothly (on a task the network cannot fit quickly).
2. *The edge.*  When the sharpness reaches ``2 / lr`` the steep direction
   becomes unstable: GD overshoots along it, the loss jumps up for a few
   steps, and the overshoot itself moves the parameters to a flatter region.
   The sharpness then hovers at ``2 / lr``, ``lr * sharpness / 2 ~ 1``, while
   the loss keeps falling over the long run, non-monotonically.

Setup: a tanh MLP ``n_inputs``-``width``-``width``-1 regresses

    y = sin(frequency * x @ w_1) * cos(frequency * x @ w_2)      x ~ N(0, I), w_k ~ N(0, I / n_inputs)

on ``n_points`` points with the mean squared error; ``frequency`` makes the
target hard enough not to be fitted early (a fitted task stops sharpening).
Every ``sharpness_every`` steps the top Hessian eigenvalue is measured by
power iteration on Hessian-vector products, warm-started from the previous
eigenvector (``warm_steps`` products suffice since the Hessian changes slowly).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..autograd import no_grad
from ..landscape.gradients import model_gradient, parameters_to_vector
from ..landscape.sharpness import sharpness as top_eigenvalue
from ..nn import MLP, mse_loss
from .arguments import integer, real

COLD_START_STEPS = 30  # power-iteration products for the first measurement (random start)


@dataclass
class EdgeOfStabilityResult:
    lr: float
    losses: np.ndarray  # (steps,) full-batch loss before each update
    sharpness_steps: np.ndarray  # the steps at which the sharpness was measured
    sharpness: np.ndarray  # top Hessian eigenvalue at those steps

    @property
    def stability_ratio(self) -> np.ndarray:
        """lr * sharpness / 2: below 1 GD is stable along the top direction, at 1 it is on the edge."""
        return self.lr * self.sharpness / 2.0

    def late(self, fraction: float = 1 / 3) -> np.ndarray:
        """The stability ratios measured in the last ``fraction`` of training."""
        return self.stability_ratio[self.sharpness_steps >= (1 - fraction) * len(self.losses)]

    def summary(self) -> str:
        ratio, late = self.stability_ratio, self.late()
        reached = np.flatnonzero(ratio >= 0.95)
        rises = int(np.sum(np.diff(self.losses) > 0))
        text = (
            f"Full-batch GD at lr={self.lr} (2/lr = {2 / self.lr:.3g}): sharpness {self.sharpness[0]:.3g} at the start "
            f"(lr*sharpness/2 = {ratio[0]:.2f}), loss {self.losses[0]:.3g} -> {self.losses[-1]:.3g}. "
        )
        if reached.size == 0:
            return text + (f"The sharpness rose to at most {self.sharpness.max():.3g} and never reached 2/lr: "
                           "train longer, raise lr, or make the task harder (a fitted task stops sharpening).")
        return text + (
            f"Progressive sharpening brought it to 2/lr by step {self.sharpness_steps[reached[0]]}; over the last third it "
            f"hovered at lr*sharpness/2 = {late.mean():.3f} (range {late.min():.2f}-{late.max():.2f}) instead of "
            f"growing past the stability limit, while the loss kept falling with {rises} upticks: "
            "each overshoot along the top eigenvector flattens the region GD is in."
        )


def regression_task(n_points: int, n_inputs: int, frequency: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Inputs (n_points, n_inputs) and targets (n_points, 1) of the oscillating target in the module docstring."""
    inputs = rng.normal(size=(n_points, n_inputs))
    projections = rng.normal(size=(n_inputs, 2)) / np.sqrt(n_inputs)
    targets = np.sin(frequency * inputs @ projections[:, 0]) * np.cos(frequency * inputs @ projections[:, 1])
    return inputs, targets[:, None]


def run(
    lr: float = 0.15,
    steps: int = 1500,
    sharpness_every: int = 10,
    width: int = 32,
    n_points: int = 256,
    n_inputs: int = 8,
    frequency: float = 4.0,
    warm_steps: int = 4,
    seed: int = 2,
) -> EdgeOfStabilityResult:
    """Train the tanh MLP by full-batch GD for ``steps`` steps, measuring the sharpness every ``sharpness_every``.

    Arguments (checked before any work):
        lr: real > 0, the learning rate
        steps: int >= 1, GD steps
        sharpness_every: int >= 1, steps between sharpness measurements
        width: int >= 1, units of each of the two hidden layers
        n_points: int >= 1, points of the regression task
        n_inputs: int >= 1, inputs per point
        frequency: real > 0, how fast the target oscillates
        warm_steps: int >= 1, power-iteration steps of each warm-started measurement
        seed: int >= 0, draws the data and the weights
    """
    lr = real("lr", lr, above=0)
    steps = integer("steps", steps, at_least=1)
    sharpness_every = integer("sharpness_every", sharpness_every, at_least=1)
    width = integer("width", width, at_least=1)
    n_points = integer("n_points", n_points, at_least=1)
    n_inputs = integer("n_inputs", n_inputs, at_least=1)
    frequency = real("frequency", frequency, above=0)
    warm_steps = integer("warm_steps", warm_steps, at_least=1)
    seed = integer("seed", seed, at_least=0)
    rng = np.random.default_rng(seed)
    inputs, targets = regression_task(n_points, n_inputs, frequency, rng)
    model = MLP([n_inputs, width, width, 1], activation="tanh", rng=rng)
    parameters = model.parameters()

    def closure():
        return mse_loss(model(inputs), targets)

    gradient = model_gradient(model, closure)
    losses, measured_at, measured = np.empty(steps), [], []
    eigenvector = rng.normal(size=parameters_to_vector(parameters).size)
    power_steps = COLD_START_STEPS
    # --- your code for task 4.10 ---
    raise NotImplementedError('stage 4, task 4.10 (The edge of stability): implement run. Hint: python grader.py hint 4.10')
    # --- end of task 4.10 ---
    return EdgeOfStabilityResult(lr, losses, np.array(measured_at), np.array(measured))


def plot(result: EdgeOfStabilityResult, path) -> None:
    """Sharpness against 2/lr (left) and the training loss (right)."""
    from .figures import new_figure, save_figure

    fig, (top, loss) = new_figure(1, 2, figsize=(11, 4.2))
    top.plot(result.sharpness_steps, result.sharpness, color="tab:blue", lw=1.2, label="sharpness (top Hessian eigenvalue)")
    top.axhline(2 / result.lr, color="k", ls="--", lw=1, label=f"2 / lr = {2 / result.lr:.3g}")
    top.set(xlabel="GD step", ylabel="sharpness", title="progressive sharpening, then the edge of stability")
    top.legend(loc="lower right")
    loss.plot(np.arange(len(result.losses)), result.losses, color="tab:red", lw=1)
    loss.set(xlabel="GD step", ylabel="training MSE", yscale="log", title="the loss keeps falling, not monotonically")
    fig.suptitle(f"full-batch GD on a tanh MLP, lr = {result.lr}")
    save_figure(fig, path)
