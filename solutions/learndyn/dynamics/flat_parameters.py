"""A model's loss as a function of one flat parameter vector.

The dynamics of learning live in parameter space: ``theta`` is every
parameter of a model, flattened and concatenated in ``model.parameters()``
order (``learndyn.nn.flat.parameters_to_vector(model.parameters())``; the walk
is ``Module.named_parameters``).  ``loss_of_parameter_vector`` turns a model and
its data into a function ``loss_fn(theta: Tensor) -> Tensor`` so that the tools
of this package (update map, Jacobian, Hessian) apply to networks as well as to
hand-made quadratics.  (PyTorch does the same with ``torch.func.functional_call``.)
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..nn.losses import mse_loss
from ..nn.module import Module
from ..parameter_space import LossFunction
from ..tensor import Parameter, Tensor


def _child(container, key: str):
    """The value at ``key`` of one step of a ``named_parameters`` path (an attribute, an index, a dict key)."""
    if isinstance(container, Module):
        return getattr(container, key)
    if isinstance(container, (list, tuple)):
        return container[int(key)]
    return next(value for name, value in container.items() if str(name) == key)


def _place_setter(model: Module, path: str, parameter: Parameter) -> Callable[[object], None]:
    """A function that puts a value where ``path`` (from ``model.named_parameters``) holds ``parameter``."""
    *parents, last = path.split(".")
    container = model
    try:
        for key in parents:
            container = _child(container, key)
        found = _child(container, last)
    except (AttributeError, IndexError, KeyError, StopIteration, ValueError):
        found = None
    if found is not parameter:
        raise ValueError(f"loss_of_parameter_vector: the path {path!r} does not lead back to its parameter "
                         "(a dict key holding a dot, or a container changed during the walk?)")
    if isinstance(container, Module):
        return lambda value: setattr(container, last, value)
    if isinstance(container, list):
        return lambda value: container.__setitem__(int(last), value)
    if isinstance(container, dict):
        key = next(name for name in container if str(name) == last)
        return lambda value: container.__setitem__(key, value)
    raise TypeError(f"loss_of_parameter_vector: the parameter {path!r} sits in a {type(container).__name__}, "
                    "which cannot be changed: keep parameters in module attributes, lists or dicts")


def loss_of_parameter_vector(model: Module, inputs, targets, loss: Callable = mse_loss) -> LossFunction:
    """``loss_fn(theta) = loss(model(inputs), targets)`` with the model's parameters read from ``theta``.

    During the call every place that holds a Parameter (each path of
    ``model.named_parameters(remove_duplicate=False)``, so tied weights too)
    holds the matching slice of ``theta`` instead (a Tensor, reshaped), so
    gradients flow into ``theta``; the model's own Parameters are put back
    afterwards, untouched, also when the loss raises.
    """
    parameters = model.parameters()
    index = {id(parameter): i for i, parameter in enumerate(parameters)}
    sizes = [parameter.size for parameter in parameters]
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
    places = [(_place_setter(model, path, parameter), parameter, index[id(parameter)])
              for path, parameter in model.named_parameters(remove_duplicate=False)]

    def loss_fn(theta: Tensor) -> Tensor:
        if theta.shape != (starts[-1],):
            raise ValueError(f"theta must have shape ({starts[-1]},), got {theta.shape}")
        slices = [theta[starts[i] : starts[i + 1]].reshape(parameter.shape) for i, parameter in enumerate(parameters)]
        try:
            for put, _, i in places:
                put(slices[i])
            return loss(model(inputs), targets)
        finally:
            for put, parameter, _ in places:
                put(parameter)

    return loss_fn
