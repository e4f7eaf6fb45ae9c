"""Feedback alignment vs backprop, and the cost of node perturbation as networks grow.

Left and middle: a 20-40-10 tanh network learns a random linear teacher with
backprop and with feedback alignment (a fixed random B carries the error back).
The angle between the feedback-alignment update and backprop's starts near 90
degrees and falls below 45 as the forward weights W2 align with B^T.
Right: the node-perturbation estimate ``(delta L / sigma^2) xi`` of a gradient
over N nodes is unbiased but has squared error ``(N + 1) ||g||^2``: the
measured error grows linearly with N, which is why reward-driven
perturbation learning slows down in large networks.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..neuro import node_perturbation_estimates, train_feedback_alignment
from .arguments import integer, integers


@dataclass
class FeedbackAlignmentResult:
    feedback: list  # one FeedbackAlignmentRun per seed
    backprop: list
    node_counts: np.ndarray
    relative_squared_error: np.ndarray  # measured E||g_hat - g||^2 / ||g||^2 per N

    def summary(self) -> str:
        start = np.mean([r.angles[0] for r in self.feedback])
        late = np.mean([r.angles[-len(r.angles) // 4:].mean() for r in self.feedback])
        fa_loss = np.mean([r.losses[-1] / r.losses[0] for r in self.feedback])
        bp_loss = np.mean([r.losses[-1] / r.losses[0] for r in self.backprop])
        ratio = self.relative_squared_error / (self.node_counts + 1)
        return (f"Feedback alignment: angle to backprop {start:.0f} deg at the start, {late:.0f} deg over the last quarter; "
                f"loss down to {100 * fa_loss:.1f}% of its start (backprop {100 * bp_loss:.1f}%). The random feedback is useless "
                "at first; it becomes useful because W2 learns to agree with B^T. Node perturbation: squared error / ||g||^2 = "
                f"{np.round(self.relative_squared_error, 1)} for N = {self.node_counts} (theory N + 1; measured/theory "
                f"{ratio.min():.2f}-{ratio.max():.2f}): unbiased but ever noisier as N grows.")


def run(seeds=(0, 1, 2), steps: int = 600, node_counts=(2, 5, 10, 20, 50), samples: int = 20000) -> FeedbackAlignmentResult:
    """Train with feedback alignment and with backprop from each seed; measure node perturbation's error per N.

    Arguments (checked before any work):
        seeds: at least one int >= 0, one pair of training runs each
        steps: int >= 1, training steps per run
        node_counts: at least one int >= 1, the numbers of perturbed nodes N
        samples: int >= 1, node-perturbation estimates per N
    """
    seeds = integers("seeds", seeds, at_least=0)
    steps = integer("steps", steps, at_least=1)
    node_counts = integers("node_counts", node_counts, at_least=1)
    samples = integer("samples", samples, at_least=1)
    feedback = [train_feedback_alignment(steps=steps, seed=s) for s in seeds]
    backprop = [train_feedback_alignment(steps=steps, rule="backprop", seed=s) for s in seeds]
    rng = np.random.default_rng(0)
    errors = []
    for n in node_counts:
        target = rng.normal(size=n)
        y = rng.normal(size=n)
        estimates = node_perturbation_estimates(lambda v: 0.5 * np.sum((v - target) ** 2), y, 1e-3, samples, rng)
        g = y - target
        errors.append(np.mean(np.sum((estimates - g) ** 2, axis=1)) / (g @ g))
    return FeedbackAlignmentResult(feedback, backprop, np.array(node_counts), np.array(errors))


def plot(result: FeedbackAlignmentResult, path) -> None:
    from .figures import new_figure, save_figure

    fig, (angle, loss, noise) = new_figure(1, 3, figsize=(14, 4.2))
    for n, (fa, bp) in enumerate(zip(result.feedback, result.backprop)):
        angle.plot(fa.angles, color="tab:orange", alpha=0.8, label="feedback alignment" if n == 0 else None)
        loss.semilogy(fa.losses, color="tab:orange", alpha=0.8, label="feedback alignment" if n == 0 else None)
        loss.semilogy(bp.losses, color="tab:blue", alpha=0.8, label="backprop" if n == 0 else None)
    angle.axhline(90, color="0.6", ls=":")
    angle.axhline(45, color="k", ls="--", lw=1, label="45 deg")
    angle.set(xlabel="step", ylabel="angle to backprop's W1 update (deg)", ylim=(0, 100), title="random feedback aligns")
    angle.legend()
    loss.set(xlabel="step", ylabel="training loss", title="both learn the teacher")
    loss.legend()
    noise.plot(result.node_counts, result.relative_squared_error, "o", ms=8, label="measured")
    noise.plot(result.node_counts, result.node_counts + 1, "-", label="N + 1")
    noise.set(xlabel="number of perturbed nodes N", ylabel="E||g_hat - g||^2 / ||g||^2", title="node perturbation: error grows with N")
    noise.legend()
    save_figure(fig, path)
