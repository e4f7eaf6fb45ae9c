"""Critical points: where the gradient vanishes, and what the curvature says about them.

Near a critical point ``theta*`` (gradient 0) the second-order Taylor expansion is

    loss(theta* + d) = loss(theta*) + 0.5 * d @ H @ d + O(|d|**3)

and in the eigenbasis of the symmetric Hessian, ``H = sum_i lambda_i q_i q_i^T``,
``d @ H @ d = sum_i lambda_i (q_i @ d)**2``.  So the signs of the eigenvalues decide:

    every lambda_i > 0            minimum    (up in every direction)
    every lambda_i < 0            maximum
    some > 0 and some < 0         saddle     (up along some q_i, down along others)
    otherwise (some lambda_i ~ 0, the rest of one sign)
                                  degenerate (second order cannot tell: look at higher terms)

``|lambda_i| <= tol`` counts as zero.  The eigenvectors are the principal
directions: ``q_max`` (largest eigenvalue) is where the surface bends most,
across a valley; ``q_min`` (smallest) is where it bends least, along the valley
floor, or, if ``lambda_min < 0``, the way down from a saddle.

To *find* critical points, apply Newton's method to the gradient (not to the
loss): ``theta <- theta - solve(H, gradient(theta))`` is attracted by any zero
of the gradient, minima, maxima and saddles alike, where gradient descent
would only find minima.  Starting it from a grid of points finds them all.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..parameter_space import GradientFunction
from .hessian import finite_difference_hessian

KINDS = ("minimum", "maximum", "saddle", "degenerate")


def _symmetric_matrix(hessian) -> np.ndarray:
    hessian = np.asarray(hessian, dtype=np.float64)
    if hessian.ndim != 2 or hessian.shape[0] != hessian.shape[1]:
        raise ValueError(f"hessian must be a square matrix, got shape {hessian.shape}")
    return hessian


def classify_critical_point(hessian: np.ndarray, tol: float = 1e-6) -> str:
    """'minimum', 'maximum', 'saddle' or 'degenerate' from the eigenvalues of ``hessian`` (|lambda| <= tol is 0)."""
    hessian = _symmetric_matrix(hessian)
    if not tol >= 0:
        raise ValueError(f"tol must be >= 0, got {tol}")
    # BEGIN SOLUTION 4.5
    eigenvalues = np.linalg.eigvalsh(hessian)
    positive, negative = np.any(eigenvalues > tol), np.any(eigenvalues < -tol)
    if positive and negative:
        return "saddle"
    if np.all(np.abs(eigenvalues) > tol):
        return "minimum" if positive else "maximum"
    return "degenerate"
    # END SOLUTION


@dataclass(frozen=True)
class PrincipalCurvatures:
    """The extreme eigenpairs of a Hessian: where the surface bends most and least."""

    most: float  # largest eigenvalue
    most_direction: np.ndarray  # its unit eigenvector (across a valley)
    least: float  # smallest eigenvalue
    least_direction: np.ndarray  # its unit eigenvector (along a valley; downhill at a saddle if least < 0)


def principal_curvatures(hessian: np.ndarray) -> PrincipalCurvatures:
    """Largest and smallest eigenvalue of the symmetric ``hessian`` with their unit eigenvectors (``np.linalg.eigh``)."""
    hessian = _symmetric_matrix(hessian)
    # BEGIN SOLUTION 4.5
    eigenvalues, eigenvectors = np.linalg.eigh(hessian)  # ascending
    return PrincipalCurvatures(float(eigenvalues[-1]), eigenvectors[:, -1], float(eigenvalues[0]), eigenvectors[:, 0])
    # END SOLUTION


def find_critical_points(
    gradient: GradientFunction,
    starts: np.ndarray,
    steps: int = 100,
    tol: float = 1e-10,
    merge_distance: float = 1e-4,
) -> np.ndarray:
    """Distinct zeros of ``gradient`` reached by Newton's method from each row of ``starts``.

    From each start, at most ``steps`` times: stop if |gradient(theta)| <= tol, else
        theta <- theta - lstsq(H, gradient(theta))       (H: finite_difference_hessian)
    (least squares, so a singular H near a degenerate point still gives a step).
    A run that ends with |gradient| <= tol is kept unless it lies within
    ``merge_distance`` of a point already found.  Returns shape (found, n), in order of discovery.
    """
    starts = np.atleast_2d(np.asarray(starts, dtype=np.float64))
    if not (isinstance(steps, (int, np.integer)) and steps >= 1):
        raise ValueError(f"steps must be an integer >= 1, got {steps!r}")
    found: list[np.ndarray] = []
    # BEGIN SOLUTION 4.6
    for start in starts:
        theta = start.copy()
        for _ in range(steps):
            grad = gradient(theta)
            if not np.all(np.isfinite(grad)) or np.linalg.norm(grad) <= tol:
                break
            newton_step = np.linalg.lstsq(finite_difference_hessian(gradient, theta), grad, rcond=None)[0]
            theta = theta - newton_step
        grad = gradient(theta)
        converged = np.all(np.isfinite(grad)) and np.linalg.norm(grad) <= tol
        if converged and all(np.linalg.norm(theta - point) > merge_distance for point in found):
            found.append(theta)
    # END SOLUTION
    return np.array(found).reshape(len(found), starts.shape[1])
