"""The base class of every optimizer: parameter groups, per-parameter state, ``step`` (as ``torch.optim``).

An optimizer turns the gradient of each parameter into an update of that
parameter.  Its hyperparameters live in one place, ``param_groups``: a list of
dicts, each holding ``"params"`` (a list of parameters) and every
hyperparameter for them (``"lr"``, ``"momentum"`` ...).  ``defaults`` are the
values a group gets when it does not set its own.  ``step()`` reads the group
on every call, so ``optimizer.param_groups[0]["lr"] = 0.5`` takes effect at the
next step: that is how a learning-rate schedule (``learndyn.optim.lr_scheduler``)
drives any optimizer.

The update can depend on the past (a momentum buffer, running averages of the
gradient and its square), so the optimizer keeps a *state* per parameter:
``state[param]`` is a dict, created empty at that parameter's first step and
filled lazily by the subclass.

It works on any objects with a float64 array ``.data`` and a ``.grad``
(an array of the same shape, or ``None``): a ``learndyn.Parameter``, or a
plain object in a test.  ``step()`` changes ``.data`` in place and never
``.grad``; a parameter whose ``.grad`` is ``None`` is skipped, as in PyTorch.

Arguments are checked at the door: ``TypeError`` for a wrong type (a single
parameter where an iterable of them is expected, ``lr=None``), ``ValueError``
for a wrong value (``lr=-1``), each message naming the argument, what it may
be and what it got.
"""
from __future__ import annotations

import numbers
from collections import defaultdict
from typing import Any, Iterable

import numpy as np


def _received(value: Any) -> str:
    return f"{value!r} ({type(value).__name__})"


def check_real(name: str, value: Any, allowed: str) -> None:
    """TypeError unless ``value`` is a real number (int, float, NumPy scalar; not bool, not None)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {allowed}, got {_received(value)}")


def check_at_least(name: str, value: Any, low: float) -> None:
    """TypeError unless a real number; ValueError unless ``value >= low`` (which also rejects NaN)."""
    allowed = f"a real number >= {low}"
    check_real(name, value, allowed)
    if not value >= low:
        raise ValueError(f"{name} must be {allowed}, got {value!r}")


def check_in_unit_interval(name: str, value: Any) -> None:
    """ValueError unless ``0 <= value < 1`` (a decay rate: 1 would never forget)."""
    allowed = "a real number in [0, 1)"
    check_real(name, value, allowed)
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be {allowed}, got {value!r}")


def check_flag(name: str, value: Any) -> None:
    """TypeError unless ``value`` is True or False (a truthy string or number is a mistake, not a flag)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_received(value)}")


def l2_regularised_gradient(grad: np.ndarray, param, weight_decay: float) -> np.ndarray:
    """``grad + weight_decay * p``: the gradient of the loss plus ``0.5 * weight_decay * |p|**2``.

    Weight decay *coupled* into the gradient, as SGD, RMSprop and Adam apply it
    (AdamW decouples it instead).  A new array, so ``.grad`` is never changed;
    ``grad`` itself when ``weight_decay == 0``.
    """
    return grad + weight_decay * param.data if weight_decay != 0 else grad


class Optimizer:
    """Holds ``param_groups`` (the parameters and their hyperparameters), ``defaults`` and ``state``.

    Subclasses pass their hyperparameters to ``super().__init__`` as
    ``defaults``, check them in ``check_hyperparameters(group)`` (called for the
    defaults and for every group) and define ``update(param, grad, state,
    group)``, which changes ``param.data`` in place using ``grad`` (read only),
    the parameter's ``state`` dict and the hyperparameters of its ``group``.
    """

    def __init__(self, params: Iterable, defaults: dict):
        self.defaults = dict(defaults)
        self.check_hyperparameters(self.defaults)
        self.param_groups: list[dict] = []
        self.state: defaultdict = defaultdict(dict)
        for group in _as_groups(params):
            self.add_param_group(group)

    def check_hyperparameters(self, group: dict) -> None:
        """Raise TypeError / ValueError for a bad hyperparameter of ``group`` (subclasses check theirs)."""

    def add_param_group(self, group: dict) -> None:
        """Add a group of parameters with hyperparameters of their own (unset ones come from ``defaults``)."""
        if not isinstance(group, dict) or "params" not in group:
            raise TypeError(f"a parameter group must be a dict with a 'params' entry, got {_received(group)}")
        unknown = sorted(set(group) - set(self.defaults) - {"params"})
        if unknown:
            raise ValueError(f"unknown hyperparameters {unknown} in a parameter group: "
                             f"{type(self).__name__} takes {sorted(self.defaults)}")
        params = group["params"]
        params = [params] if _is_parameter(params) else _as_list("the 'params' of a parameter group", params)
        known = {id(param) for other in self.param_groups for param in other["params"]}
        for index, param in enumerate(params):
            if not _is_parameter(param):
                raise TypeError(f"params[{index}] must be a parameter (an object with .data and .grad), got {_received(param)}")
            if getattr(type(param), "__hash__", None) is None:
                raise TypeError(f"params[{index}] must be hashable (state is a dict keyed by parameter), "
                                f"got a {type(param).__name__}, which defines __eq__ without __hash__")
            if id(param) in known:
                raise ValueError(f"params[{index}] appears twice among the optimizer's parameters: "
                                 "each parameter may be given once (it would take two steps)")
            known.add(id(param))
        merged = {**self.defaults, **group, "params": params}
        self.check_hyperparameters(merged)
        self.param_groups.append(merged)

    def zero_grad(self) -> None:
        """Forget every parameter's gradient (``grad = None``, as PyTorch does by default)."""
        for group in self.param_groups:
            for param in group["params"]:
                param.grad = None

    def step(self) -> None:
        """One update of every parameter that has a gradient, with its group's current hyperparameters."""
        for group in self.param_groups:
            for param in group["params"]:
                if param.grad is None:
                    continue
                grad = np.asarray(param.grad, dtype=np.float64)
                if grad.shape != np.shape(param.data):
                    raise ValueError(f"a parameter of shape {np.shape(param.data)} has a grad of shape {grad.shape}")
                self.update(param, grad, self.state[param], group)

    def update(self, param, grad: np.ndarray, state: dict, group: dict) -> None:
        raise NotImplementedError(f"{type(self).__name__} must define update()")

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for index, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {index}: {len(group['params'])} parameters")
            lines += [f"    {key}: {value!r}" for key, value in sorted(group.items()) if key != "params"]
        return "\n".join(lines + [")"])


def _is_parameter(value: Any) -> bool:
    return hasattr(value, "data") and hasattr(value, "grad")


def _as_list(what: str, params: Any) -> list:
    """``params`` as a list; TypeError for a single parameter, a set (no order) or a non-iterable."""
    allowed = "an iterable (a list, a generator) of parameters"
    if _is_parameter(params):
        raise TypeError(f"{what} must be {allowed}, got a single {type(params).__name__}: wrap it in a list, [param]")
    if isinstance(params, (set, frozenset, dict, str)) or not isinstance(params, Iterable):
        raise TypeError(f"{what} must be {allowed}, got {_received(params)}"
                        + (" (a set has no order, so the state could not be matched to parameters)" if isinstance(params, (set, frozenset)) else ""))
    given = type(params).__name__
    params = list(params)
    if not params:
        raise ValueError(f"{what} must hold at least one parameter, got an empty {given}")
    return params


def _as_groups(params: Any) -> list[dict]:
    """The parameter groups given to an optimizer: one group of all ``params``, or ``params`` itself if it lists dicts."""
    params = _as_list("params", params)
    if all(isinstance(item, dict) for item in params):
        return params
    if any(isinstance(item, dict) for item in params):
        raise TypeError("params must list either parameters or parameter groups (dicts), not both")
    return [{"params": params}]
