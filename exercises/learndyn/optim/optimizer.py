"""The base class of every optimizer: parameters, hyperparameters, state, ``step``.

An optimizer turns the gradient of each parameter into an update of that
parameter.  The update can depend on the past (a momentum buffer, running
averages of the gradient and its square), so the optimizer keeps a *state*
per parameter: ``state[i]`` is a dict for ``params[i]``, empty until the
first step that parameter takes, filled lazily by the subclass.

It works on any objects with a float64 array ``.data`` and a ``.grad``
(an array of the same shape, or ``None``): a ``learndyn.Parameter``, or a
plain object in a test.  ``step()`` changes ``.data`` in place and never
``.grad``; a parameter whose ``.grad`` is ``None`` is skipped, as in PyTorch.
"""
from __future__ import annotations

from typing import Iterable

import numpy as np


def check_at_least(name: str, value: float, low: float) -> None:
    """ValueError unless ``value >= low`` (also rejects NaN)."""
    if not value >= low:
        raise ValueError(f"{name} must be >= {low}, got {value!r}")


def check_in_unit_interval(name: str, value: float) -> None:
    """ValueError unless ``0 <= value < 1`` (a decay rate: 1 would never forget)."""
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")


class Optimizer:
    """Holds ``params`` (a list), ``defaults`` (the hyperparameters) and ``state`` (a dict per parameter).

    Subclasses validate their hyperparameters, call ``super().__init__`` and
    define ``update(param, grad, state)``, which changes ``param.data`` in
    place using ``grad`` (read only) and the parameter's ``state`` dict.
    """

    def __init__(self, params: Iterable, defaults: dict):
        self.params = list(params)
        if not self.params:
            raise ValueError("params must hold at least one parameter, got an empty list")
        for index, param in enumerate(self.params):
            if not (hasattr(param, "data") and hasattr(param, "grad")):
                raise ValueError(f"params[{index}] must have .data and .grad, got {type(param).__name__}")
        self.defaults = dict(defaults)
        self.state: list[dict] = [{} for _ in self.params]

    def __getattr__(self, name: str):
        """Hyperparameters read as attributes: ``opt.lr`` is ``opt.defaults["lr"]``."""
        defaults = self.__dict__.get("defaults", {})
        if name in defaults:
            return defaults[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def zero_grad(self) -> None:
        """Forget every parameter's gradient (``grad = None``, as PyTorch does by default)."""
        for param in self.params:
            param.grad = None

    def step(self) -> None:
        """One update of every parameter that has a gradient."""
        for param, state in zip(self.params, self.state):
            if param.grad is None:
                continue
            grad = np.asarray(param.grad, dtype=np.float64)
            if grad.shape != np.shape(param.data):
                raise ValueError(f"a parameter of shape {np.shape(param.data)} has a grad of shape {grad.shape}")
            self.update(param, grad, state)

    def update(self, param, grad: np.ndarray, state: dict) -> None:
        raise NotImplementedError(f"{type(self).__name__} must define update()")

    def __repr__(self) -> str:
        settings = ", ".join(f"{key}={value!r}" for key, value in self.defaults.items())
        return f"{type(self).__name__}({len(self.params)} parameters, {settings})"
