"""Symmetry of hidden units under gradient descent, and how a perturbation breaks it.

Hidden unit ``j`` of layer ``layer`` of an MLP is the tuple

    (incoming weights W_in[j, :], bias b[j], outgoing weights W_out[:, j])

If two units have identical tuples, swapping them changes nothing: the
loss is invariant under the swap ``P``.  Then their gradients are
identical too, so gradient descent keeps them identical forever: the
network behaves as if it had one unit fewer.  (This is why weights are
never initialised to a constant.)

At a symmetric point the Hessian commutes with ``P``, so it splits into a
block on symmetric perturbations (both units move together) and a block on
antisymmetric ones (``+d`` on unit a, ``-d`` on unit b).  With ``D`` an
orthonormal basis of the antisymmetric directions, near a symmetric
critical point the difference between the units evolves by

    d_next = (I - lr * D.T @ H @ D) d

so it grows by ``growth = max |eig(I - lr * D.T @ H @ D)|`` per step: above 1
(a negative curvature across the units: a saddle) noise breaks the symmetry
and the units specialise; at or below 1 they stay (nearly) together.
"""
from __future__ import annotations

import numpy as np

from ..nn.flat import parameters_to_vector
from ..nn.module import MLP


def unit_tuple_indices(model: MLP, layer: int = 0) -> np.ndarray:
    """Positions in ``parameters_to_vector(model.parameters())`` of each unit's tuple: shape (units, fan_in + 1 + fan_out).

    Row j holds the flat indices of ``layers[layer].weight[j, :]``, ``layers[layer].bias[j]``
    and ``layers[layer + 1].weight[:, j]``, in that order.
    """
    if not 0 <= layer < len(model.layers) - 1:
        raise ValueError(f"layer must be a hidden layer, in [0, {len(model.layers) - 2}], got {layer!r}")
    incoming, outgoing = model.layers[layer], model.layers[layer + 1]
    if incoming.bias is None:
        raise ValueError("unit tuples need layers with biases")
    offset, position = 0, {}
    for p in model.parameters():
        position[id(p)] = offset + np.arange(p.size).reshape(p.shape)
        offset += p.size
    return np.concatenate(
        [position[id(incoming.weight)], position[id(incoming.bias)][:, None], position[id(outgoing.weight)].T], axis=1
    )


def count_distinct_units(model: MLP, layer: int = 0, atol: float = 1e-10) -> int:
    """How many different units layer ``layer`` really has: tuples equal within ``atol`` (max-norm) count once.

    Greedy grouping: walk the units in order; a unit joins the first group whose
    first member is within ``atol`` of it in every entry, else it starts a new group.
    """
    if not atol >= 0:
        raise ValueError(f"atol must be >= 0, got {atol!r}")
    theta = parameters_to_vector(model.parameters())
    tuples = theta[unit_tuple_indices(model, layer)]
    # --- your code for task 3.4 ---
    raise NotImplementedError('stage 3, task 3.4 (Symmetric units and symmetry breaking): implement count_distinct_units. Hint: python grader.py hint 3.4')
    # --- end of task 3.4 ---


def antisymmetric_directions(model: MLP, unit_a: int, unit_b: int, layer: int = 0) -> np.ndarray:
    """Orthonormal columns ``D`` (n_params, tuple length): column i moves entry i of unit a's tuple by
    ``+1/sqrt(2)`` and the same entry of unit b's tuple by ``-1/sqrt(2)``."""
    indices = unit_tuple_indices(model, layer)
    if unit_a == unit_b or not (0 <= unit_a < len(indices) and 0 <= unit_b < len(indices)):
        raise ValueError(f"unit_a and unit_b must be two different units in [0, {len(indices) - 1}], got {unit_a!r} and {unit_b!r}")
    n_params = sum(p.size for p in model.parameters())
    directions = np.zeros((n_params, indices.shape[1]))
    columns = np.arange(indices.shape[1])
    directions[indices[unit_a], columns] = 1 / np.sqrt(2)
    directions[indices[unit_b], columns] = -1 / np.sqrt(2)
    return directions


def symmetry_breaking_growth_rate(hessian: np.ndarray, directions: np.ndarray, lr: float) -> float:
    """``max |eig(I - lr * directions.T @ hessian @ directions)|``: the per-step growth factor of the
    difference between two identical units (``directions`` from ``antisymmetric_directions``)."""
    hessian, directions = np.asarray(hessian, dtype=np.float64), np.asarray(directions, dtype=np.float64)
    if hessian.ndim != 2 or hessian.shape != (directions.shape[0],) * 2:
        raise ValueError(f"hessian must be square with side directions.shape[0] = {directions.shape[0]}, got {hessian.shape}")
    # --- your code for task 3.4 ---
    raise NotImplementedError('stage 3, task 3.4 (Symmetric units and symmetry breaking): implement symmetry_breaking_growth_rate. Hint: python grader.py hint 3.4')
    # --- end of task 3.4 ---
