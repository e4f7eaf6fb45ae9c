"""Hopfield networks: memories as minima of an energy the dynamics can only lower.

Discrete (Hopfield 1982): states ``s`` in {-1, +1}^N, Hebbian weights for
patterns ``xi`` (P, N)

    W = (xi^T @ xi) / N  with a zero diagonal
    E(s) = -0.5 * s @ W @ s

and *asynchronous* updates: one neuron at a time, ``s_i <- sign(W[i] @ s)``
(keep ``s_i`` when the field is 0).  Flipping ``s_i`` to the sign of its field
``h_i`` changes the energy by ``-|h_i| * |delta s_i| <= 0`` (W symmetric, zero
diagonal), so E never increases and the state reaches a fixed point.
Synchronous updates (all neurons at once) lose that guarantee and can cycle.

Continuous (Hopfield 1984): the rate network ``du/dt = -u + W tanh(u) + I``
with symmetric ``W`` and ``v = tanh(u)`` has the Lyapunov function

    E(u) = -0.5 v @ W @ v - I @ v + sum(v * arctanh(v) + 0.5 * log(1 - v^2))
         = -0.5 v @ W @ v - I @ v + sum(v * u - log(cosh(u)))

(the last term is the sum of the integrals of arctanh from 0 to v_i; the
second form never takes arctanh(1) = inf for a saturated neuron), and
``dE/dt = -sum(tanh'(u) * (du/dt)^2) <= 0``.
"""
from __future__ import annotations

import numpy as np


def hebbian_weights(patterns: np.ndarray) -> np.ndarray:
    """``W = xi^T xi / N`` with zero diagonal, for patterns ``xi`` of shape (P, N) with entries +-1."""
    patterns = np.asarray(patterns, dtype=np.float64)
    if patterns.ndim != 2:
        raise ValueError(f"patterns must have shape (P, N), got {patterns.shape}")
    # --- your code for task 5.8 ---
    raise NotImplementedError('stage 5, task 5.8 (Hopfield networks: energy and memory): implement hebbian_weights. Hint: python grader.py hint 5.8')
    # --- end of task 5.8 ---


def hopfield_energy(weights: np.ndarray, state: np.ndarray) -> float:
    """``E(s) = -0.5 * s @ W @ s``."""
    # --- your code for task 5.8 ---
    raise NotImplementedError('stage 5, task 5.8 (Hopfield networks: energy and memory): implement hopfield_energy. Hint: python grader.py hint 5.8')
    # --- end of task 5.8 ---


def discrete_hopfield_recall(weights: np.ndarray, state, rng: np.random.Generator,
                             max_sweeps: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """Asynchronous updates in a fresh random order each sweep, until a sweep changes nothing.

    Returns the final state and the energy after every single-neuron update
    (starting with the energy of the initial state).
    """
    if max_sweeps < 1:
        raise ValueError(f"max_sweeps must be >= 1, got {max_sweeps}")
    state = np.array(state, dtype=np.float64)
    energies = [hopfield_energy(weights, state)]
    # --- your code for task 5.8 ---
    raise NotImplementedError('stage 5, task 5.8 (Hopfield networks: energy and memory): implement discrete_hopfield_recall. Hint: python grader.py hint 5.8')
    # --- end of task 5.8 ---
    return state, np.array(energies)


def continuous_hopfield_energy(weights: np.ndarray, u: np.ndarray, inputs) -> float:
    """``E = -0.5 v W v - I v + sum(v u - log cosh u)`` with ``v = tanh(u)``.

    ``log cosh u = |u| + log(1 + exp(-2|u|)) - log 2`` does not overflow.
    """
    # --- your code for task 5.8 ---
    raise NotImplementedError('stage 5, task 5.8 (Hopfield networks: energy and memory): implement continuous_hopfield_energy. Hint: python grader.py hint 5.8')
    # --- end of task 5.8 ---
