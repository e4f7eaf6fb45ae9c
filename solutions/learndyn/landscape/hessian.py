"""Curvature from gradients: the Hessian and Hessian-vector products by finite differences.

Taylor-expand the gradient around ``theta`` along a direction ``v``:

    gradient(theta + step * v) = gradient(theta) + step * H @ v + step**2 / 2 * (third derivatives)[v, v] + ...

so the central difference cancels the even terms:

    H @ v = (gradient(theta + step * v) - gradient(theta - step * v)) / (2 * step) + O(step**2)

With ``v`` the unit vector ``e_j`` this is the j-th column of H; n columns give
the whole Hessian for 2n gradients.  The two halves of H (H[i, j] and H[j, i])
are estimated by different differences and disagree by O(step**2) plus
rounding, but the true Hessian is symmetric (mixed partials commute), so we
return ``(H + H.T) / 2``: closer to the truth, and exactly symmetric, which
``np.linalg.eigh`` assumes.

Error of one entry: truncation ``step**2 / 6 * |d^4 loss|`` plus rounding
``~1e-16 * |gradient| / step``; ``step = 1e-5`` balances them for losses whose
derivatives are of order 1 to 1e3 (about 1e-8 relative).

``hessian_vector_product`` never forms H: two gradients per product, whatever
n is, which is what makes curvature measurable for networks.  ``v`` is scaled
to unit length for the difference (so ``step`` is a distance in parameter
space) and the result scaled back: ``H @ v = |v| * H @ (v / |v|)``.
"""
from __future__ import annotations

import numpy as np

from ..parameter_space import GradientFunction

DEFAULT_STEP = 1e-5  # balances truncation (step**2) against rounding (1e-16 / step), see above


def _check_step(step: float) -> None:
    if not step > 0:
        raise ValueError(f"step must be > 0, got {step}")


def finite_difference_hessian(gradient: GradientFunction, theta: np.ndarray, step: float = DEFAULT_STEP) -> np.ndarray:
    """The symmetric (n, n) Hessian at ``theta``: column j = central difference of ``gradient`` along e_j.

    H[:, j] = (gradient(theta + step * e_j) - gradient(theta - step * e_j)) / (2 * step)
    H      <- (H + H.T) / 2

    The home of the finite-difference Hessian of a ``GradientFunction``.
    (``dynamics.loss_hessian``, task 3.1, reaches the same H through the update
    map's Jacobian, the idea of stage 3.)
    """
    _check_step(step)
    theta = np.array(theta, dtype=np.float64).ravel()
    # BEGIN SOLUTION 4.3
    n = theta.size
    hessian = np.empty((n, n))
    for j in range(n):
        shift = np.zeros(n)
        shift[j] = step
        hessian[:, j] = (gradient(theta + shift) - gradient(theta - shift)) / (2.0 * step)
    return (hessian + hessian.T) / 2.0
    # END SOLUTION


def hessian_vector_product(gradient: GradientFunction, theta: np.ndarray, vector: np.ndarray, step: float = DEFAULT_STEP) -> np.ndarray:
    """H @ vector at ``theta`` from two gradients, without forming H.

    u  = vector / |vector|
    Hv = |vector| * (gradient(theta + step * u) - gradient(theta - step * u)) / (2 * step)
    (the zero vector gives zero).

    The home of the Hessian-vector product.  (Stage 5 needs only stages 1-2, so
    it writes the same product of a loss as ``flow.gradient_field_derivative``.)
    """
    _check_step(step)
    theta = np.array(theta, dtype=np.float64).ravel()
    vector = np.asarray(vector, dtype=np.float64).ravel()
    if vector.shape != theta.shape:
        raise ValueError(f"vector must have the shape of theta {theta.shape}, got {vector.shape}")
    # BEGIN SOLUTION 4.3
    length = np.linalg.norm(vector)
    if length == 0.0:
        return np.zeros_like(theta)
    unit = vector / length
    return length * (gradient(theta + step * unit) - gradient(theta - step * unit)) / (2.0 * step)
    # END SOLUTION
