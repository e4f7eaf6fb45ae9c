"""What the spectrum of the update map says: converge, oscillate or diverge, and how fast.

On a quadratic with Hessian ``hessian`` (eigenvalues ``lam``), gradient descent
multiplies the error along each eigenvector by ``mu = 1 - lr * lam`` per step:

* ``0 <= mu < 1``  (lr * lam <= 1):      the error shrinks, keeping its sign: monotone;
* ``-1 < mu < 0``  (1 < lr * lam < 2):   it shrinks, flipping sign every step: oscillating;
* ``|mu| > 1``     (lr * lam > 2):       it grows: diverging.

So the run converges iff ``lr < critical = 2 / lam_max``.  The slowest
direction sets the rate ``rho(lr) = max |1 - lr * lam|``; it is smallest when
the two extreme directions are balanced, ``1 - lr * lam_min = -(1 - lr * lam_max)``:

    optimal lr = 2 / (lam_min + lam_max),   rate = (kappa - 1) / (kappa + 1),   kappa = lam_max / lam_min

e.g. eigenvalues {1, 3, 10}: lr = 2/11, rate 9/11: the error norm shrinks by 9/11 per step.
"""
from __future__ import annotations

import numpy as np

REGIMES = ("monotone", "oscillating", "diverging")


def _eigenvalues_of_symmetric(hessian: np.ndarray) -> np.ndarray:
    hessian = np.asarray(hessian, dtype=np.float64)
    if hessian.ndim != 2 or hessian.shape[0] != hessian.shape[1]:
        raise ValueError(f"hessian must be a square matrix, got shape {hessian.shape}")
    if not np.allclose(hessian, hessian.T, rtol=1e-8, atol=1e-12):
        raise ValueError("hessian must be symmetric (a Hessian always is)")
    return np.linalg.eigvalsh(hessian)


def _positive_curvature(hessian: np.ndarray, need_all: bool) -> np.ndarray:
    lam = _eigenvalues_of_symmetric(hessian)
    smallest = lam.min() if need_all else lam.max()
    if not smallest > 0:
        which = "every eigenvalue" if need_all else "the largest eigenvalue"
        raise ValueError(f"{which} of hessian must be > 0, got eigenvalues {lam}")
    return lam


def classify_regime(jacobian: np.ndarray, tol: float = 1e-12) -> str:
    """``"diverging"``, ``"oscillating"`` or ``"monotone"``, from the eigenvalues ``mu`` of the update map's Jacobian.

    diverging   if max |mu| > 1 + tol          (some direction grows);
    oscillating else, if some mu has real part < -tol or imaginary part > tol
                (some direction overshoots: it changes sign or rotates every step);
    monotone    otherwise (every direction shrinks towards the fixed point without overshooting).
    """
    jacobian = np.asarray(jacobian, dtype=np.float64)
    if jacobian.ndim != 2 or jacobian.shape[0] != jacobian.shape[1]:
        raise ValueError(f"jacobian must be a square matrix, got shape {jacobian.shape}")
    # --- your code for task 3.2 ---
    raise NotImplementedError('stage 3, task 3.2 (Regimes, the critical and the optimal learning rate): implement classify_regime. Hint: python grader.py hint 3.2')
    # --- end of task 3.2 ---


def critical_learning_rate(hessian: np.ndarray) -> float:
    """``2 / lam_max``: gradient descent on this quadratic converges iff lr is below it."""
    lam = _positive_curvature(hessian, need_all=False)
    # --- your code for task 3.2 ---
    raise NotImplementedError('stage 3, task 3.2 (Regimes, the critical and the optimal learning rate): implement critical_learning_rate. Hint: python grader.py hint 3.2')
    # --- end of task 3.2 ---


def convergence_rate(hessian: np.ndarray, lr: float) -> float:
    """``max |1 - lr * lam|``, the spectral radius of ``I - lr * hessian``: the error's shrink factor per step."""
    lam = _eigenvalues_of_symmetric(hessian)
    # --- your code for task 3.2 ---
    raise NotImplementedError('stage 3, task 3.2 (Regimes, the critical and the optimal learning rate): implement convergence_rate. Hint: python grader.py hint 3.2')
    # --- end of task 3.2 ---


def optimal_learning_rate(hessian: np.ndarray) -> float:
    """``2 / (lam_min + lam_max)``: the lr with the smallest convergence rate (needs every lam > 0)."""
    lam = _positive_curvature(hessian, need_all=True)
    # --- your code for task 3.2 ---
    raise NotImplementedError('stage 3, task 3.2 (Regimes, the critical and the optimal learning rate): implement optimal_learning_rate. Hint: python grader.py hint 3.2')
    # --- end of task 3.2 ---


def optimal_convergence_rate(hessian: np.ndarray) -> float:
    """``(kappa - 1) / (kappa + 1)`` with ``kappa = lam_max / lam_min``: the rate at the optimal lr."""
    lam = _positive_curvature(hessian, need_all=True)
    # --- your code for task 3.2 ---
    raise NotImplementedError('stage 3, task 3.2 (Regimes, the critical and the optimal learning rate): implement optimal_convergence_rate. Hint: python grader.py hint 3.2')
    # --- end of task 3.2 ---
