"""Losses and gradients as functions of one flat parameter vector ``theta``.

Geometry (slices, Hessians, sharpness) treats all of a model's parameters as
one point ``theta`` in R^n.  This file turns "a loss built from Tensors" into
the two plain functions every later tool uses:

    loss_at(theta)     -> float           the loss with the parameters set to theta
    gradient(theta)    -> np.ndarray (n,)  d loss / d theta, by your backward()

For a model, ``theta`` is the concatenation of ``p.data.ravel()`` over
``model.parameters()`` in order (as ``torch.nn.utils.parameters_to_vector``).
Evaluating at ``theta`` must not move the model: the parameters it had before
are put back afterwards, also when the loss raises.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

import numpy as np

from ..autograd import no_grad
from ..nn.flat import parameters_to_vector, vector_to_parameters
from ..nn.module import Module
from ..parameter_space import GradientFunction, LossFunction, NumericLoss
from ..tensor import Tensor


@contextmanager
def parameters_set_to(model: Module, theta: np.ndarray) -> Iterator[None]:
    """Inside the block the model's parameters hold ``theta``; afterwards their old values are back."""
    parameters = model.parameters()
    saved = parameters_to_vector(parameters)
    vector_to_parameters(theta, parameters)
    try:
        yield
    finally:
        vector_to_parameters(saved, parameters)


def _scalar(loss: Tensor, who: str) -> Tensor:
    if not isinstance(loss, Tensor) or loss.size != 1:
        raise ValueError(f"{who} must return a one-element Tensor (the loss), got {loss!r:.80}")
    return loss


def function_gradient(loss_fn: LossFunction) -> GradientFunction:
    """``gradient(theta) = d loss_fn(theta) / d theta`` for a loss of a vector Tensor (e.g. a surface).

    Make a fresh leaf ``Tensor(theta, requires_grad=True)``, compute the loss,
    call ``backward()`` and return the leaf's ``grad``.

    The computation of ``dynamics.loss_gradient`` (task 3.1, the home of this
    primitive), written again on purpose and curried into the ``GradientFunction``
    that every stage-4 tool takes: stage 4's tests then need your Tensor and no
    stage-3 code, and you practise the fresh-leaf pattern where it matters (a
    reused leaf would add each call's gradient to the last).
    """

    def gradient(theta: np.ndarray) -> np.ndarray:
        # --- your code for task 4.2 ---
        raise NotImplementedError('stage 4, task 4.2 (Gradients of a flat parameter vector): implement function_gradient.gradient. Hint: python grader.py hint 4.2')
        # --- end of task 4.2 ---

    return gradient


def model_loss(model: Module, loss_closure: Callable[[], Tensor]) -> NumericLoss:
    """``loss_at(theta)``: the value of ``loss_closure()`` with the model's parameters set to ``theta``.

    ``loss_closure`` takes no argument and computes the loss from the model,
    e.g. ``lambda: mse_loss(model(inputs), targets)``.  Evaluated under
    ``no_grad``: no graph is built.
    """

    def loss_at(theta: np.ndarray) -> float:
        with parameters_set_to(model, theta), no_grad():
            return _scalar(loss_closure(), "loss_closure").item()

    return loss_at


def model_gradient(model: Module, loss_closure: Callable[[], Tensor]) -> GradientFunction:
    """``gradient(theta)``: d loss / d theta with the model's parameters set to ``theta``, flattened.

    Inside ``parameters_set_to(model, theta)``: clear the gradients
    (``model.zero_grad()``), compute ``loss_closure()``, ``backward()``, then
    concatenate every parameter's ``grad`` (zeros for a parameter the loss does
    not use, whose grad stays None) in the order of ``model.parameters()``.
    The model's parameters are left as they were; their ``grad`` is overwritten.
    """

    def gradient(theta: np.ndarray) -> np.ndarray:
        # --- your code for task 4.2 ---
        raise NotImplementedError('stage 4, task 4.2 (Gradients of a flat parameter vector): implement model_gradient.gradient. Hint: python grader.py hint 4.2')
        # --- end of task 4.2 ---

    return gradient
