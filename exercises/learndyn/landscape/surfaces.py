"""Classic test surfaces: two-parameter losses whose geometry is known exactly.

Each surface is a function of ``point``, a Tensor whose first axis holds the
two coordinates ``x = point[0]`` and ``y = point[1]``.  Any further axes are
carried along elementwise, so the same function returns one loss for a point
of shape (2,) and a whole grid of losses for a stack of shape (2, rows, cols)
(that is how the contour plots are drawn).  Because every surface is built from
Tensor ops, ``backward`` gives its gradient with your autodiff.

    surface                  formula                                           critical points
    ill_conditioned_quadratic 0.5 * (x**2 + STEEPNESS * y**2)                  minimum (0, 0)
    rosenbrock               (1 - x)**2 + 100 * (y - x**2)**2                  minimum (1, 1) at the end of a curved valley
    beale                    (1.5 - x + x*y)**2 + (2.25 - x + x*y**2)**2
                             + (2.625 - x + x*y**3)**2                          minimum (3, 0.5); saddles (0, 1) and
                                                                               (0.1005, -2.6445) (all in [-4.5, 4.5]**2)
    himmelblau               (x**2 + y - 11)**2 + (x + y**2 - 7)**2            4 minima, 1 maximum, 4 saddles
    saddle                   x**2 - y**2                                        saddle (0, 0)
    monkey_saddle            x**3 - 3 * x * y**2                               degenerate (0, 0): Hessian 0

``SURFACES`` lists them with their critical points, a plotting window and a
start for the optimizer trajectories.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..tensor import Tensor, as_tensor

STEEPNESS = 25.0  # curvature ratio of the quadratic: condition number of its Hessian diag(1, STEEPNESS)


def _coordinates(point) -> tuple[Tensor, Tensor]:
    """``(x, y) = (point[0], point[1])``; ValueError unless the first axis has size 2."""
    point = as_tensor(point)
    if point.ndim == 0 or point.shape[0] != 2:
        raise ValueError(f"point must have shape (2, ...) (x and y on the first axis), got shape {point.shape}")
    return point[0], point[1]


def ill_conditioned_quadratic(point) -> Tensor:
    """0.5 * (x**2 + STEEPNESS * y**2): a straight valley along x, STEEPNESS times steeper across (y)."""
    x, y = _coordinates(point)
    # --- your code for task 4.1 ---
    raise NotImplementedError('stage 4, task 4.1 (Test surfaces): implement ill_conditioned_quadratic. Hint: python grader.py hint 4.1')
    # --- end of task 4.1 ---


def rosenbrock(point) -> Tensor:
    """(1 - x)**2 + 100 * (y - x**2)**2: a narrow curved valley along y = x**2, minimum 0 at (1, 1)."""
    x, y = _coordinates(point)
    # --- your code for task 4.1 ---
    raise NotImplementedError('stage 4, task 4.1 (Test surfaces): implement rosenbrock. Hint: python grader.py hint 4.1')
    # --- end of task 4.1 ---


def beale(point) -> Tensor:
    """(1.5 - x + x*y)**2 + (2.25 - x + x*y**2)**2 + (2.625 - x + x*y**3)**2: minimum 0 at (3, 0.5)."""
    x, y = _coordinates(point)
    # --- your code for task 4.1 ---
    raise NotImplementedError('stage 4, task 4.1 (Test surfaces): implement beale. Hint: python grader.py hint 4.1')
    # --- end of task 4.1 ---


def himmelblau(point) -> Tensor:
    """(x**2 + y - 11)**2 + (x + y**2 - 7)**2: four minima of value 0, a maximum and four saddles."""
    x, y = _coordinates(point)
    # --- your code for task 4.1 ---
    raise NotImplementedError('stage 4, task 4.1 (Test surfaces): implement himmelblau. Hint: python grader.py hint 4.1')
    # --- end of task 4.1 ---


def saddle(point) -> Tensor:
    """x**2 - y**2: up along x, down along y; the origin is a saddle with Hessian diag(2, -2)."""
    x, y = _coordinates(point)
    # --- your code for task 4.1 ---
    raise NotImplementedError('stage 4, task 4.1 (Test surfaces): implement saddle. Hint: python grader.py hint 4.1')
    # --- end of task 4.1 ---


def monkey_saddle(point) -> Tensor:
    """x**3 - 3 * x * y**2: three valleys meet at the origin, where gradient and Hessian both vanish."""
    x, y = _coordinates(point)
    # --- your code for task 4.1 ---
    raise NotImplementedError('stage 4, task 4.1 (Test surfaces): implement monkey_saddle. Hint: python grader.py hint 4.1')
    # --- end of task 4.1 ---


Points = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Surface:
    """A test surface with its known critical points, a window (x_min, x_max, y_min, y_max) and a start."""

    name: str
    loss: Callable[[Tensor], Tensor]
    window: tuple[float, float, float, float]
    start: tuple[float, float]
    minima: Points = ()
    maxima: Points = ()
    saddles: Points = ()
    degenerate: Points = ()


SURFACES = {
    "quadratic": Surface("quadratic", ill_conditioned_quadratic, (-5, 5, -2, 2), (-4.5, 1.5), minima=((0.0, 0.0),)),
    "rosenbrock": Surface("rosenbrock", rosenbrock, (-2, 2, -1, 3), (-1.5, 2.0), minima=((1.0, 1.0),)),
    # Beale's second saddle lies in its usual domain [-4.5, 4.5]**2 but outside the plotting window.
    "beale": Surface("beale", beale, (-1.0, 4.5, -1.5, 2.0), (1.0, 1.4), minima=((3.0, 0.5),),
                     saddles=((0.0, 1.0), (0.10053794, -2.64451359))),
    "himmelblau": Surface(
        "himmelblau", himmelblau, (-5, 5, -5, 5), (0.0, -4.5),
        minima=((3.0, 2.0), (-2.805118, 3.131313), (-3.779310, -3.283186), (3.584428, -1.848126)),
        maxima=((-0.270845, -0.923039),),
        saddles=((0.086678, 2.884255), (3.385154, 0.073852), (-3.073026, -0.081353), (-0.127961, -1.953715)),
    ),
    "saddle": Surface("saddle", saddle, (-2, 2, -2, 2), (1.5, 1e-3), saddles=((0.0, 0.0),)),
    "monkey_saddle": Surface("monkey_saddle", monkey_saddle, (-2, 2, -2, 2), (0.5, 0.2), degenerate=((0.0, 0.0),)),
}
