"""Feedback alignment (Lillicrap, Cownden, Tweed and Akerman 2016): learning with random feedback.

Backprop sends the output error back through the transpose of the forward
weights, ``W2.T``: a synapse would need to know another synapse's strength (the
"weight transport problem").  Feedback alignment uses a *fixed random* matrix
``B`` instead.  For the network ``h = tanh(x @ W1.T)``, ``y = h @ W2.T`` on the
loss ``0.5 * mean over the batch of ||y - target||^2``:

    error      = (y - target) / batch
    backprop   delta_h = (error @ W2) * (1 - h**2)
    feedback   delta_h = (error @ B.T) * (1 - h**2)          B fixed, shape (hidden, out)
    W2 <- W2 - lr * error.T @ h
    W1 <- W1 - lr * delta_h.T @ x                            (feedback delta_h)

At first ``B`` is unrelated to ``W2``, so the update of ``W1`` is at about 90
degrees to backprop's.  But ``W2`` learns from the hidden activity that ``B``
shaped, and comes to align with ``B.T``: the angle falls below 45 degrees and
the network learns, "learning to learn" from the random feedback.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def update_angle_degrees(update: np.ndarray, reference: np.ndarray) -> float:
    """Angle in degrees between two updates, flattened: ``arccos(<a, b> / (|a| |b|))``."""
    # --- your code for task 5.10 ---
    raise NotImplementedError('stage 5, task 5.10 (Feedback alignment): implement update_angle_degrees. Hint: python grader.py hint 5.10')
    # --- end of task 5.10 ---


@dataclass
class FeedbackAlignmentRun:
    losses: np.ndarray  # (steps,) loss before each update
    angles: np.ndarray  # (steps,) angle between the W1 update used and backprop's, in degrees
    rule: str  # "feedback" or "backprop"

    def summary(self) -> str:
        late = self.angles[-len(self.angles) // 4:].mean()
        return (f"{self.rule}: loss {self.losses[0]:.3g} -> {self.losses[-1]:.3g} ({100 * (1 - self.losses[-1] / self.losses[0]):.1f}% lower); "
                f"angle to the backprop update {self.angles[0]:.0f} deg at the start, {late:.0f} deg over the last quarter")


def train_feedback_alignment(n_in: int = 20, hidden: int = 40, n_out: int = 10, samples: int = 200, steps: int = 400,
                             lr: float = 0.05, init_scale: float = 0.1, rule: str = "feedback",
                             seed: int = 0) -> FeedbackAlignmentRun:
    """Train ``n_in``-``hidden``-``n_out`` (tanh hidden, linear out) on a random linear teacher, full batch.

    ``rule = "feedback"`` sends the error back through a fixed random ``B``;
    ``"backprop"`` through ``W2`` (the reference).  Both record the angle
    between their ``W1`` update and backprop's at every step.
    """
    if rule not in ("feedback", "backprop"):
        raise ValueError(f"rule must be 'feedback' or 'backprop', got {rule!r}")
    if steps < 1 or not lr > 0:
        raise ValueError(f"steps must be >= 1 and lr > 0, got steps={steps}, lr={lr}")
    rng = np.random.default_rng(seed)
    teacher = rng.normal(size=(n_out, n_in)) / np.sqrt(n_in)
    x = rng.normal(size=(samples, n_in))
    target = x @ teacher.T
    W1 = rng.normal(size=(hidden, n_in)) * init_scale / np.sqrt(n_in)
    W2 = rng.normal(size=(n_out, hidden)) * init_scale / np.sqrt(hidden)
    B = rng.normal(size=(hidden, n_out)) / np.sqrt(n_out)
    losses, angles = np.empty(steps), np.empty(steps)
    # --- your code for task 5.10 ---
    raise NotImplementedError('stage 5, task 5.10 (Feedback alignment): implement train_feedback_alignment. Hint: python grader.py hint 5.10')
    # --- end of task 5.10 ---
    return FeedbackAlignmentRun(losses, angles, rule)
