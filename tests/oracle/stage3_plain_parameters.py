"""Stage 3 test helpers: plain parameter objects, a recorder of optimizer runs, plain gradient descent.

An optimizer must work on any object with ``.data`` and ``.grad`` arrays, so
the optimizer tests use ``PlainParameter`` (not learndyn's Parameter): they
grade the optimizer alone, whatever state the learner's Tensor is in.
"""
from __future__ import annotations

import numpy as np


class PlainParameter:
    """Just ``data`` and ``grad``, the two attributes an optimizer may use."""

    def __init__(self, data):
        self.data = np.array(data, dtype=np.float64)
        self.grad = None


class PlainGradientDescent:
    """The tests' own plain gradient descent, ``p.data -= lr * p.grad``, with the optimizer interface.

    Stands in for ``SGD(params, lr=lr)`` (task 3.5) where an experiment graded by an earlier
    task (3.2, 3.4) trains with it: with no momentum and no weight decay, SGD's step is exactly
    this.  Takes ``lr`` only, so an experiment that starts using other settings fails loudly here.
    """

    def __init__(self, params, lr: float):
        self.params, self.lr = list(params), lr

    def zero_grad(self) -> None:
        for param in self.params:
            param.grad = None

    def step(self) -> None:
        for param in self.params:
            if param.grad is not None:  # as every optimizer does: a parameter without a gradient stays
                param.data -= self.lr * np.asarray(param.grad, dtype=np.float64)


def gradient_sequence(shape, steps: int, seed: int, shrink_after: int | None = None) -> list[np.ndarray]:
    """Random gradients of order 1 (``shrink_after``: 20x smaller from that step on, so AMSGrad's max matters)."""
    rng = np.random.default_rng(seed)
    grads = [rng.normal(size=shape) for _ in range(steps)]
    if shrink_after is not None:
        grads = [g if t < shrink_after else g / 20 for t, g in enumerate(grads)]
    return grads


def record_run(optimizer_factory, starts: list[np.ndarray], grads: list[list[np.ndarray]], state_keys=()) -> list[list[dict]]:
    """Run ``optimizer_factory(params)`` for ``len(grads)`` steps; ``grads[t][i]`` is parameter i's gradient at step t.

    Returns ``history[i][t]``: parameter i's data and the requested state entries after step t + 1.
    The gradient arrays handed to the optimizer are copies, so the originals stay clean.
    """
    params = [PlainParameter(start) for start in starts]
    optimizer = optimizer_factory(params)
    history: list[list[dict]] = [[] for _ in params]
    for step_grads in grads:
        for param, grad in zip(params, step_grads):
            param.grad = np.array(grad, dtype=np.float64)
        optimizer.step()
        for i, param in enumerate(params):
            state = optimizer.state[param]
            entry = {"param": param.data.copy()}
            for key in state_keys:
                value = state.get(key)
                entry[key] = value.copy() if isinstance(value, np.ndarray) else value
            history[i].append(entry)
    return history


def assert_runs_match(actual: list[list[dict]], expected_runs: list[list[dict]], keys, what: str, alternatives: dict | None = None,
                      rtol: float = 1e-10, atol: float = 1e-12) -> None:
    """Compare every recorded entry of every parameter at every step with the reference run.

    ``expected_runs[i]`` is the reference history of parameter i; ``alternatives`` maps a likely bug
    to the list of histories a learner with that bug would produce.  Tolerance: each step adds
    ~1e-16 relative rounding, momentum sums at most ~10 of them, 25 steps: ~1e-13, far below 1e-10.
    """
    from .checks import assert_close

    for i, (run, expected) in enumerate(zip(actual, expected_runs)):
        for key in keys:
            got = np.array([entry[key] for entry in run], dtype=float)
            want = np.array([entry[key] for entry in expected], dtype=float)
            buggy = {cause: np.array([entry[key] for entry in runs[i]], dtype=float)
                     for cause, runs in (alternatives or {}).items()}
            assert_close(got, want, rtol=rtol, atol=atol, what=f"{what}: {key!r} of parameter {i} (steps x entries)",
                         alternatives=buggy)
