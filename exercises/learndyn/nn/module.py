"""Modules: parameters plus a forward function.

A ``Module`` owns ``Parameter``s (the state of learning) and sub-modules;
``named_parameters()`` finds them all by walking the attributes (the one walk
over a model: ``parameters()``, the flat parameter vector of ``nn.flat`` and
``dynamics.loss_of_parameter_vector`` all read it), so an optimizer can be
handed ``model.parameters()`` and nothing else.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..tensor import Parameter, Tensor, as_tensor
from .init import INITIALIZERS

ACTIVATIONS = {
    "tanh": Tensor.tanh,
    "relu": Tensor.relu,
    "sigmoid": Tensor.sigmoid,
    "linear": lambda x: x,
}


class Module:
    """Base class: subclasses set Parameters and Modules as attributes and define ``forward``."""

    def forward(self, *inputs):
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *inputs):
        return self.forward(*inputs)

    def named_parameters(self, remove_duplicate: bool = True) -> list[tuple[str, Parameter]]:
        """Every Parameter of this module and its sub-modules with its dotted path, in a stable order.

        The path joins attribute names, list and tuple indices and dict keys with
        dots: ``layers.0.weight``, ``heads.query.bias``.  The order is depth first:
        a module's attributes in the order they were set, a list's items by index,
        a dict's values in insertion order.  Values of any other kind (a plain
        Tensor, a number, a string) are not parameters and are skipped.  A
        Parameter reachable along two paths (tied weights, ``self.shared =
        self.scale``) is listed once, at its first path, unless
        ``remove_duplicate=False``, which lists every path to it.  A module
        reached twice is walked once (so a module may refer to its parent).
        As ``torch.nn.Module.named_parameters``, but a list, not a generator.
        """
        # --- your code for task 2.9 ---
        raise NotImplementedError('stage 2, task 2.9 (Modules, Linear layers and initialisation): implement Module.named_parameters. Hint: python grader.py hint 2.9')
        # --- end of task 2.9 ---

    def parameters(self) -> list[Parameter]:
        """Every Parameter of this module and its sub-modules, each once, in ``named_parameters()`` order."""
        return [parameter for _, parameter in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to ``None``."""
        for parameter in self.parameters():
            parameter.zero_grad()


class Linear(Module):
    """``y = x @ weight.T + bias`` with ``weight.shape == (out_features, in_features)``.

    ``init`` names the rule for the weights (see ``learndyn.nn.init``); biases start at 0.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        init: str = "xavier",
        gain: float = 1.0,
        rng: np.random.Generator | None = None,
    ):
        if init not in INITIALIZERS:
            raise ValueError(f"init must be one of {sorted(INITIALIZERS)}, got {init!r}")
        for name, value in (("in_features", in_features), ("out_features", out_features)):
            if not (isinstance(value, (int, np.integer)) and value >= 1):
                raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
        self.in_features, self.out_features = int(in_features), int(out_features)
        self.weight = Parameter(INITIALIZERS[init]((out_features, in_features), gain=gain, rng=rng))
        self.bias = Parameter(np.zeros(out_features)) if bias else None

    def forward(self, x) -> Tensor:
        x = as_tensor(x)
        if x.shape[-1:] != (self.in_features,):
            raise ValueError(f"Linear: input's last axis must have size {self.in_features}, got shape {x.shape}")
        # --- your code for task 2.9 ---
        raise NotImplementedError('stage 2, task 2.9 (Modules, Linear layers and initialisation): implement Linear.forward. Hint: python grader.py hint 2.9')
        # --- end of task 2.9 ---

    def __repr__(self) -> str:
        return f"Linear({self.in_features}, {self.out_features}, bias={self.bias is not None})"


class MLP(Module):
    """A stack of ``Linear`` layers with ``activation`` between them.

    ``sizes = [n_in, h_1, ..., n_out]`` gives ``len(sizes) - 1`` layers.  The
    activation follows every layer but the last, which is followed by
    ``output_activation`` (``"linear"`` by default: raw outputs, as losses expect).
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "tanh",
        output_activation: str = "linear",
        init: str = "xavier",
        gain: float = 1.0,
        rng: np.random.Generator | None = None,
    ):
        if len(sizes) < 2:
            raise ValueError(f"sizes needs at least 2 entries (inputs and outputs), got {list(sizes)}")
        for name, value in (("activation", activation), ("output_activation", output_activation)):
            if value not in ACTIVATIONS:
                raise ValueError(f"{name} must be one of {sorted(ACTIVATIONS)}, got {value!r}")
        rng = rng or np.random.default_rng()
        self.activation, self.output_activation = activation, output_activation
        self.layers = [Linear(n_in, n_out, init=init, gain=gain, rng=rng) for n_in, n_out in zip(sizes[:-1], sizes[1:])]

    def forward(self, x) -> Tensor:
        # --- your code for task 2.10 ---
        raise NotImplementedError('stage 2, task 2.10 (MLP and losses): implement MLP.forward. Hint: python grader.py hint 2.10')
        # --- end of task 2.10 ---
