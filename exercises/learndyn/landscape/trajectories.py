"""Optimizer trajectories: the path an optimizer takes across a two-dimensional surface.

The point ``(x, y)`` is one ``Parameter`` of shape (2,), and any optimizer
from ``learndyn.optim`` moves it exactly as it moves a network's weights:

    path[0] = start
    repeat steps times:
        optimizer.zero_grad()
        loss(point).backward()
        optimizer.step()
        path[t + 1] = point.data (a copy)

On a surface the path can be drawn over the contours, and what the geometry
does to each method becomes visible: plain GD bounces across a narrow valley
(along the steep eigenvector its factor ``1 - lr * lambda_max`` is negative),
momentum averages the bounces away and travels along the floor, Adam and
RMSprop rescale each coordinate and take nearly equal-sized steps in both.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from ..tensor import Parameter, Tensor


def optimizer_trajectory(
    loss: Callable[[Tensor], Tensor],
    start: Sequence[float],
    make_optimizer: Callable[[list[Parameter]], object],
    steps: int,
) -> np.ndarray:
    """The (steps + 1, 2) path of the point from ``start`` under ``make_optimizer([point])``."""
    start = np.array(start, dtype=np.float64)
    if start.shape != (2,):
        raise ValueError(f"start must have shape (2,) (a point (x, y)), got {start.shape}")
    if not (isinstance(steps, (int, np.integer)) and steps >= 0):
        raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
    point = Parameter(start)
    optimizer = make_optimizer([point])
    path = np.empty((steps + 1, 2))
    path[0] = start
    # --- your code for task 4.9 ---
    raise NotImplementedError('stage 4, task 4.9 (Optimizer trajectories): implement optimizer_trajectory. Hint: python grader.py hint 4.9')
    # --- end of task 4.9 ---
    return path
