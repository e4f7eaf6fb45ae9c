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

(with H = 0 the output reads the inputs directly).  Summing ``loss[k]`` over
``k`` before ``backward`` gives every net its own gradient, since no parameter
is shared between nets.

With H = 2, lr = 2 and 5000 epochs about one start in five gets stuck: the
output settles at 0.5 on two of the four patterns.  These are not strict local
minima where the gradient vanishes.  In a stuck net both hidden units are
saturated on the two hedged patterns and give them the same hidden vector, so
no output weight can tell them apart and the best output for both is their
mean target, 0.5: a loss of 2 * 0.25 / 4 = 1/8.  The loss keeps creeping down
towards 1/8 as the weights grow, with a small nonzero gradient.  For the 2-2-1
XOR network the finite stationary points are not local minima (Hamey 1998);
the traps are flat regions reached as weights grow, where hidden units
saturate on at least two patterns: regions of non-strict minima and plateaus
(Sprinkhuizen-Kuyper and Boers 1999).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..autograd import no_grad
from ..tensor import Parameter, Tensor
from .arguments import integer, real

XOR_INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_TARGETS = np.array([[0.0], [1.0], [1.0], [0.0]])
HEDGE = 0.05  # an output within this of 0.5 hedges on its pattern
STUCK_LOSS = 1 / 8  # two patterns right, two at 0.5: (0.25 + 0.25) / 4


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + exp(-z)), without overflow


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

    def hidden_activity(self) -> np.ndarray:
        """(n_nets, 4, H): each net's hidden units on the four patterns, from the final parameters."""
        p = self.parameters
        return sigmoid(XOR_INPUTS @ p["w_hidden"].transpose(0, 2, 1) + p["b_hidden"])

    def hedged(self) -> np.ndarray:
        """(n_nets, 4) bool: output within ``HEDGE`` of 0.5."""
        return np.abs(self.outputs - 0.5) < HEDGE

    def hedged_pair_distance(self) -> np.ndarray:
        """For each net that hedges on exactly two patterns: the distance between their hidden vectors."""
        if self.hidden == 0:
            return np.array([])
        activity, hedged = self.hidden_activity(), self.hedged()
        pairs = [np.flatnonzero(row) for row in hedged if row.sum() == 2]
        nets = np.flatnonzero(hedged.sum(axis=1) == 2)
        return np.array([np.linalg.norm(activity[k, a] - activity[k, b]) for k, (a, b) in zip(nets, pairs)])

    def summary(self) -> str:
        """The outcome in words, derived from the numbers."""
        stuck = ~self.solved
        text = (
            f"2-{self.hidden}-1 sigmoid nets, lr={self.lr}, {self.epochs} epochs: "
            f"{self.solved.sum()} of {self.solved.size} solved XOR ({100 * self.solved_fraction:.0f}%)."
        )
        if stuck.any() and self.hidden >= 2:
            final, half = self.losses[-1, stuck], self.losses[self.epochs // 2, stuck]
            distance = self.hedged_pair_distance()
            text += (
                f" The {stuck.sum()} stuck nets output 0.5 +- {HEDGE} on {np.median(self.hedged()[stuck].sum(axis=1)):.0f} of 4 "
                f"patterns (median), with loss {np.median(final):.4f} (1/8 = {STUCK_LOSS} would be two patterns perfect, two at 0.5)"
                + (f"; both hidden units are saturated alike on the two hedged patterns (their hidden vectors differ by "
                   f"{np.median(distance):.1e}, median), so no output weight can tell them apart" if distance.size else "")
                + f". Not a strict local minimum: the loss still fell by {np.median(half - final):.1e} over the second half "
                "of training, creeping towards 1/8 as the weights grow (a flat region of saturated units, Hamey 1998; "
                "Sprinkhuizen-Kuyper and Boers 1999)."
            )
        return text


def init_population(n_nets: int, hidden: int, rng: np.random.Generator) -> dict:
    """Every parameter of every net drawn from U(-1, 1), with a leading net axis (no hidden layer if ``hidden`` is 0)."""
    shapes = {
        "w_hidden": (n_nets, hidden, 2),
        "b_hidden": (n_nets, 1, hidden),
        "w_out": (n_nets, 1, hidden),
        "b_out": (n_nets, 1, 1),
    } if hidden > 0 else {"w_out": (n_nets, 1, 2), "b_out": (n_nets, 1, 1)}
    return {name: rng.uniform(-1.0, 1.0, size=shape) for name, shape in shapes.items()}


def population_forward(params: dict, inputs) -> Tensor:
    """Outputs of every net on ``inputs`` (shape (P, 2)): a Tensor of shape (n_nets, P, 1)."""
    features = inputs
    if "w_hidden" in params:
        features = (inputs @ params["w_hidden"].transpose(0, 2, 1) + params["b_hidden"]).sigmoid()
    return (features @ params["w_out"].transpose(0, 2, 1) + params["b_out"]).sigmoid()


def run(n_nets: int = 300, hidden: int = 2, epochs: int = 5000, lr: float = 2.0, seed: int = 1) -> XorResult:
    """Train ``n_nets`` independent 2-``hidden``-1 networks on XOR with full-batch GD (the test's settings by default).

    Arguments (checked before any work):
        n_nets: int >= 1, networks trained at once
        hidden: int >= 0, hidden units per network (0: the output reads the inputs)
        epochs: int >= 1, full-batch GD steps
        lr: real > 0, the learning rate
        seed: int >= 0, draws the initial weights
    """
    n_nets = integer("n_nets", n_nets, at_least=1)
    hidden = integer("hidden", hidden, at_least=0)
    epochs = integer("epochs", epochs, at_least=1)
    lr = real("lr", lr, above=0)
    seed = integer("seed", seed, at_least=0)
    params = {name: Parameter(value) for name, value in init_population(n_nets, hidden, np.random.default_rng(seed)).items()}
    losses = np.empty((epochs, n_nets))
    # --- your code for task 2.11 ---
    raise NotImplementedError('stage 2, task 2.11 (XOR from scratch): implement run. Hint: python grader.py hint 2.11')
    # --- end of task 2.11 ---
    with no_grad():
        outputs = population_forward(params, XOR_INPUTS).data[:, :, 0]
    solved = np.all((outputs > 0.5) == (XOR_TARGETS[:, 0] > 0.5), axis=1)
    return XorResult(hidden, lr, epochs, losses, outputs, {k: p.data.copy() for k, p in params.items()}, solved)


def _draw_net(ax, result: XorResult, k: int, title: str):
    """One net's output over the input square, its 0.5 boundary and the four patterns."""
    grid = np.linspace(-0.25, 1.25, 121)
    gx, gy = np.meshgrid(grid, grid)
    one_net = {name: Tensor(values[k : k + 1]) for name, values in result.parameters.items()}
    with no_grad():
        surface = population_forward(one_net, np.column_stack([gx.ravel(), gy.ravel()])).data.reshape(gx.shape)
    filled = ax.contourf(gx, gy, surface, levels=np.linspace(0, 1, 11), cmap="RdBu_r")
    ax.contour(gx, gy, surface, levels=[0.5], colors="k", linewidths=1.5)
    ax.scatter(XOR_INPUTS[:, 0], XOR_INPUTS[:, 1], c=XOR_TARGETS[:, 0], cmap="RdBu_r", vmin=0, vmax=1, edgecolors="k", s=120)
    for (x1, x2), output in zip(XOR_INPUTS, result.outputs[k]):
        ax.annotate(f"{output:.2f}", (x1, x2), xytext=(8, 8), textcoords="offset points", fontsize=9)
    ax.set(title=title, xlabel="x1", ylabel="x2")
    return filled


def plot(result: XorResult, path) -> None:
    """A solved and a stuck net's output, and the loss curves of solved vs stuck nets."""
    from .figures import new_figure, save_figure

    fig, (solved_ax, stuck_ax, curves) = new_figure(1, 3, figsize=(15, 4.4))
    best = int(np.argmax(result.solved)) if result.solved.any() else 0
    filled = _draw_net(solved_ax, result, best, f"a solved net (#{best}): output, 0.5 boundary")
    if (~result.solved).any():
        stuck = int(np.argmax(~result.solved))
        _draw_net(stuck_ax, result, stuck, f"a stuck net (#{stuck}): 0.5 on two patterns")
    else:
        stuck_ax.set_visible(False)
    fig.colorbar(filled, ax=stuck_ax, label="output")
    epochs = np.arange(1, result.epochs + 1)
    for solved, colour, label in ((True, "tab:blue", "solved"), (False, "tab:red", "stuck")):
        chosen = np.flatnonzero(result.solved == solved)[:30]
        for n, k in enumerate(chosen):
            curves.plot(epochs, result.losses[:, k], color=colour, alpha=0.4, lw=0.8, label=label if n == 0 else None)
    curves.axhline(STUCK_LOSS, color="k", ls="--", lw=1, label="1/8: two patterns at 0.5")
    curves.set(xscale="log", yscale="log", xlabel="epoch", ylabel="MSE",
               title=f"{result.solved.size} 2-{result.hidden}-1 nets, lr {result.lr:g}: {100 * result.solved_fraction:.0f}% solved")
    curves.legend(loc="lower left")
    save_figure(fig, path)
