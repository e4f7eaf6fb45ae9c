"""The input-output Jacobian of a deep net and its singular values (dynamical isometry).

Backpropagation multiplies the credit at the output by the transposed Jacobian
``J = d output / d input``.  A gradient of direction ``u`` at the output reaches
the input with squared norm ``u @ J @ J.T @ u``: its size depends on the squared
singular values ``s**2`` of ``J``.  Their mean fixes the average size of the
gradient, their spread how much some directions are amplified over others.

For a deep *linear* net, ``J = W_L @ ... @ W_1``.

* Gaussian weights with Var = 1/N: ``E[s**2] = 1`` (the norm is kept on average),
  but the spread grows with depth: ``Var[s**2] -> L`` for wide layers, so a few
  directions are amplified and most are squashed.
* Orthogonal weights: every ``W_l`` keeps every norm, so every singular value of
  ``J`` is exactly 1 at any depth: *dynamical isometry*.
"""
from __future__ import annotations

import numpy as np

from ..nn import MLP
from ..tensor import Tensor


def input_output_jacobian(model: MLP, x: np.ndarray) -> np.ndarray:
    """``J[i, j] = d output_i / d x_j`` of ``model`` at the single input ``x`` (shape (n_in,)).

    One backward pass gives every row at once: feed ``n_out`` copies of ``x``
    as a batch, so that copy ``i`` only influences row ``i`` of the output,
    and backward ``loss = sum(output * I)`` (``I`` the identity): row ``i`` of
    the batch's input gradient is then ``d output_i / d x``.
    """
    x = np.asarray(x, dtype=np.float64)
    n_in, n_out = model.layers[0].in_features, model.layers[-1].out_features
    if x.shape != (n_in,):
        raise ValueError(f"x must have shape ({n_in},), got {x.shape}")
    # --- your code for task 2.14 ---
    raise NotImplementedError('stage 2, task 2.14 (The input-output Jacobian and dynamical isometry): implement input_output_jacobian. Hint: python grader.py hint 2.14')
    # --- end of task 2.14 ---


def squared_singular_values(jacobian: np.ndarray) -> np.ndarray:
    """The squared singular values ``s**2`` of ``jacobian``, largest first (the eigenvalues of J @ J.T)."""
    jacobian = np.asarray(jacobian, dtype=np.float64)
    if jacobian.ndim != 2:
        raise ValueError(f"jacobian must be a 2-D array, got shape {jacobian.shape}")
    # --- your code for task 2.14 ---
    raise NotImplementedError('stage 2, task 2.14 (The input-output Jacobian and dynamical isometry): implement squared_singular_values. Hint: python grader.py hint 2.14')
    # --- end of task 2.14 ---
