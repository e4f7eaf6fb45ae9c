"""XOR from scratch: a population of tiny sigmoid networks trained by gradient descent.

XOR is the smallest problem a single layer cannot solve: the two classes are
not linearly separable, so the hidden layer has to learn features.  We train
``n_nets`` independent 2-H-1 networks at once (every array carries a leading
"net" axis ``k``), all parameters drawn from U(-1, 1), full-batch gradient
descent on the mean squared error:

    hidden[k] = sigmoid(X @ w_hidden[k].T + b_hidden[k])          (4, H)
    output[k] = sigmoid(hidden[k] @ w_out[k].T + b_out[k])         (4, 1)
    loss[k]   = mean((output[k] - y)**2)
    theta[k] <- theta[k] - lr * d loss[k] / d theta[k]

Summing ``loss[k]`` over ``k`` before ``backward`` gives every net its own
gradient, since no parameter is shared between nets.  With H = 2 about one
start in six gets stuck: the output settles at 0.5 on two of the four
patterns, a local minimum (or a plateau too flat to leave in time).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..autograd import no_grad
from ..tensor import Parameter, Tensor

XOR_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_TARGETS = np.array([[0.0], [1.0], [1.0], [0.0]])


@dataclass
class XorResult:
    """What a population run measured; ``outputs`` and ``parameters`` are after the last epoch."""

    hidden: int
    lr: float
    epochs: int
    losses: np.ndarray  # (epochs, n_nets): each net's loss before each update
    outputs: np.ndarray  # (n_nets, 4): each net's output on the four patterns
    parameters: dict  # name -> array with a leading net axis
    solved: np.ndarray  # (n_nets,) bool: all four patterns on the right side of 0.5

    @property
    def solved_fraction(self) -> float:
        return float(self.solved.mean())

    @property
    def stuck_fraction(self) -> float:
        return 1.0 - self.solved_fraction

    def summary(self) -> str:
        """The outcome in words, derived from the numbers."""
        stuck = ~self.solved
        text = (
            f"2-{self.hidden}-1 sigmoid nets, lr={self.lr}, {self.epochs} epochs: "
            f"{self.solved.sum()} of {self.solved.size} solved XOR ({100 * self.solved_fraction:.0f}%)."
        )
        if stuck.any():
            near_half = (np.abs(self.outputs[stuck] - 0.5) < 0.1).sum(axis=1)
            text += (
                f" The {stuck.sum()} stuck nets output about 0.5 on {np.median(near_half):.0f} of 4 patterns "
                "(median): they found a function that gets two patterns right and hedges on the other two, "
                "a local minimum of the MSE where the gradient vanishes."
            )
        return text


def init_population(n_nets: int, hidden: int, rng: np.random.Generator) -> dict:
    """Every parameter of every net drawn from U(-1, 1), with a leading net axis."""
    shapes = {
        "w_hidden": (n_nets, hidden, 2),
        "b_hidden": (n_nets, 1, hidden),
        "w_out": (n_nets, 1, hidden),
        "b_out": (n_nets, 1, 1),
    }
    return {name: rng.uniform(-1.0, 1.0, size=shape) for name, shape in shapes.items()}


def population_forward(params: dict, inputs) -> Tensor:
    """Outputs of every net on ``inputs`` (shape (P, 2)): a Tensor of shape (n_nets, P, 1)."""
    hidden = (inputs @ params["w_hidden"].transpose(0, 2, 1) + params["b_hidden"]).sigmoid()
    return (hidden @ params["w_out"].transpose(0, 2, 1) + params["b_out"]).sigmoid()


def run(n_nets: int = 200, hidden: int = 2, epochs: int = 5000, lr: float = 2.0, seed: int = 0) -> XorResult:
    """Train ``n_nets`` independent 2-``hidden``-1 networks on XOR with full-batch GD."""
    if n_nets < 1 or hidden < 1 or epochs < 1:
        raise ValueError(f"n_nets, hidden and epochs must be >= 1, got {n_nets}, {hidden}, {epochs}")
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr}")
    params = {name: Parameter(value) for name, value in init_population(n_nets, hidden, np.random.default_rng(seed)).items()}
    losses = np.empty((epochs, n_nets))
    # --- your code for task 2.11 ---
    raise NotImplementedError('stage 2, task 2.11 (XOR from scratch): implement run. Hint: python grader.py hint 2.11')
    # --- end of task 2.11 ---
    with no_grad():
        outputs = population_forward(params, XOR_INPUTS).data[:, :, 0]
    solved = np.all((outputs > 0.5) == (XOR_TARGETS[:, 0] > 0.5), axis=1)
    return XorResult(hidden, lr, epochs, losses, outputs, {k: p.data.copy() for k, p in params.items()}, solved)


def plot(result: XorResult, path) -> None:
    """Decision boundary of the first solved net, and the loss curves of solved vs stuck nets."""
    from .figures import new_figure, save_figure

    fig, (boundary, curves) = new_figure(1, 2, figsize=(10, 4.2))
    best = int(np.argmax(result.solved)) if result.solved.any() else 0
    grid = np.linspace(-0.25, 1.25, 121)
    gx, gy = np.meshgrid(grid, grid)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    one_net = {name: Tensor(values[best : best + 1]) for name, values in result.parameters.items()}
    with no_grad():
        surface = population_forward(one_net, points).data.reshape(gx.shape)
    filled = boundary.contourf(gx, gy, surface, levels=np.linspace(0, 1, 11), cmap="RdBu_r")
    boundary.contour(gx, gy, surface, levels=[0.5], colors="k", linewidths=1.5)
    boundary.scatter(XOR_INPUTS[:, 0], XOR_INPUTS[:, 1], c=XOR_TARGETS[:, 0], cmap="RdBu_r", edgecolors="k", s=120)
    boundary.set(title=f"net {best}: output and the 0.5 boundary", xlabel="x1", ylabel="x2")
    fig.colorbar(filled, ax=boundary)
    epochs = np.arange(1, result.epochs + 1)
    for solved, colour, label in ((True, "tab:blue", "solved"), (False, "tab:red", "stuck")):
        chosen = np.flatnonzero(result.solved == solved)[:30]
        for n, k in enumerate(chosen):
            curves.plot(epochs, result.losses[:, k], color=colour, alpha=0.4, lw=0.8, label=label if n == 0 else None)
    curves.set(xscale="log", yscale="log", xlabel="epoch", ylabel="MSE", title=f"2-{result.hidden}-1: {100 * result.stuck_fraction:.0f}% stuck")
    curves.legend()
    save_figure(fig, path)
