"""A model's parameters as one flat vector, and its loss as a function of that vector.

The dynamics of learning live in parameter space: ``theta`` is every
parameter of a model, flattened and concatenated in ``model.parameters()``
order.  ``loss_of_parameter_vector`` turns a model and its data into a
function ``loss_fn(theta: Tensor) -> Tensor`` so that the tools of this
package (update map, Jacobian, Hessian) apply to networks as well as to
hand-made quadratics.  (PyTorch does the same with ``torch.func.functional_call``.)
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from ..nn.flat import parameters_to_vector, vector_to_parameters
from ..nn.losses import mse_loss
from ..nn.module import Module
from ..tensor import Parameter, Tensor

LossFunction = Callable[[Tensor], Tensor]


def parameter_vector(model: Module) -> np.ndarray:
    """Every parameter of ``model``, flattened and concatenated in ``model.parameters()`` order."""
    return parameters_to_vector(model.parameters())


def set_parameter_vector(model: Module, theta: np.ndarray) -> None:
    """Write the flat vector ``theta`` back into the model's parameters (in place)."""
    vector_to_parameters(theta, model.parameters())


def parameter_slots(module: Module) -> list[tuple[object, str]]:
    """(owner, attribute name) of every Parameter of ``module``, in ``module.parameters()`` order."""
    slots, seen = [], set()

    def walk(owner) -> None:
        for name, value in vars(owner).items():
            if isinstance(value, Parameter) and id(value) not in seen:
                seen.add(id(value))
                slots.append((owner, name))
            elif isinstance(value, Module):
                walk(value)
            elif isinstance(value, (list, tuple)):
                for item in value:
                    if isinstance(item, Module):
                        walk(item)

    walk(module)
    return slots


def loss_of_parameter_vector(model: Module, inputs, targets, loss: Callable = mse_loss) -> LossFunction:
    """``loss_fn(theta) = loss(model(inputs), targets)`` with the model's parameters read from ``theta``.

    During the call each Parameter attribute is replaced by the matching
    slice of ``theta`` (a Tensor, reshaped), so gradients flow into
    ``theta``; the model's own Parameters are put back afterwards, untouched.
    """
    slots = parameter_slots(model)
    shapes = [getattr(owner, name).shape for owner, name in slots]
    sizes = [int(np.prod(shape)) for shape in shapes]
    if len(slots) != len(model.parameters()):
        raise ValueError("loss_of_parameter_vector: some parameters are not plain attributes of modules or lists of modules")

    def loss_fn(theta: Tensor) -> Tensor:
        if theta.shape != (sum(sizes),):
            raise ValueError(f"theta must have shape ({sum(sizes)},), got {theta.shape}")
        originals = [getattr(owner, name) for owner, name in slots]
        start = 0
        try:
            for (owner, name), shape, size in zip(slots, shapes, sizes):
                setattr(owner, name, theta[start : start + size].reshape(shape))
                start += size
            return loss(model(inputs), targets)
        finally:
            for (owner, name), original in zip(slots, originals):
                setattr(owner, name, original)

    return loss_fn
