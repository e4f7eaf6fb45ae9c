"""Task 5.7: a rate network's fixed points (Newton and integration), Jacobian and stability."""
import numpy as np
import pytest

from learndyn.neuro import fixed_point_by_integration, fixed_point_newton, is_stable, rate_dynamics, rate_jacobian
from oracle import assert_close, central_difference

pytestmark = pytest.mark.task("5.7")


def vector_field_by_hand(x, W, I, tau):
    return (-x + W @ np.tanh(x) + I) / tau


def matrix_with_max_real_eigenvalue(rng, n, target):
    """A random non-symmetric W rescaled so that max Re eig(W) = target exactly (shift by a multiple of I)."""
    W = rng.normal(size=(n, n)) / np.sqrt(n)
    return W + (target - np.linalg.eigvals(W).real.max()) * np.eye(n)


def test_vector_field_and_jacobian():
    rng = np.random.default_rng(0)
    W, I, x, tau = rng.normal(size=(5, 5)), rng.normal(size=5), rng.normal(size=5), 2.0
    assert_close(rate_dynamics(x, W, I, tau), vector_field_by_hand(x, W, I, tau), rtol=1e-13, atol=1e-14,
                 what="dx/dt = (-x + W tanh(x) + I) / tau")
    numeric = np.column_stack([central_difference(lambda v: vector_field_by_hand(v, W, I, tau)[i], [x], 0)
                               for i in range(5)]).T
    # Central differences of a smooth O(1) function: error ~1e-10 at the default step.
    assert_close(rate_jacobian(x, W, tau), numeric, rtol=1e-6, atol=1e-7, what="Jacobian of the rate dynamics (row i = d f_i / d x)",
                 alternatives={"phi'(x) scales the rows instead of the columns (diag(phi') @ W)":
                               (-np.eye(5) + (1 - np.tanh(x) ** 2)[:, None] * W) / tau,
                               "division by tau forgotten": numeric * tau})


def test_newton_and_integration_find_the_same_stable_fixed_point():
    rng = np.random.default_rng(1)
    W, I = 0.8 * rng.normal(size=(6, 6)) / np.sqrt(6), rng.normal(size=6)
    newton = fixed_point_newton(W, I, np.zeros(6))
    assert np.abs(vector_field_by_hand(newton, W, I, 1.0)).max() < 1e-10, "Newton's x* must solve -x + W tanh(x) + I = 0"
    settled = fixed_point_by_integration(W, I, rng.normal(size=6), tau=0.5)
    # Integration to t = 50 (100 tau) with rtol 1e-10: the transient ~e^-50 is gone, error ~1e-10.
    assert_close(settled, newton, rtol=0, atol=1e-7, what="fixed point by integration vs by Newton")
    assert is_stable(rate_jacobian(newton, W, 0.5)), "the point the dynamics settle on must be stable"


def test_newton_converges_quadratically():
    # From 0 Newton reaches |F| < 1e-12 in 6 steps on this network (the error squares each step); a step that is
    # not the full Newton step (a residual and a Jacobian of different tau, say) converges only linearly.
    rng = np.random.default_rng(1)
    W, I = 0.8 * rng.normal(size=(6, 6)) / np.sqrt(6), rng.normal(size=6)
    try:
        fixed_point_newton(W, I, np.zeros(6), max_iter=8)
    except RuntimeError as error:
        raise AssertionError(f"Newton's method needed more than 8 steps ({error}): x <- x - J(x)^-1 F(x) with F and J "
                             "of the same vector field (tau = 1 for both)") from None


# Eigenvalues on the imaginary axis or at 0 (real part exactly 0) are not linearly stable; complex pairs with
# negative and positive real parts too.
@pytest.mark.parametrize("jacobian,stable", [
    (np.diag([0.0, -1.0]), False), (np.array([[0.0, -1.0], [1.0, 0.0]]), False),
    (np.array([[-0.1, -1.0], [1.0, -0.1]]), True), (np.array([[0.1, -1.0], [1.0, 0.1]]), False),
    (np.array([[-2.0, -3.0], [3.0, -2.0]]), True),
], ids=["zero eigenvalue", "centre", "stable spiral", "unstable spiral", "fast stable spiral"])
def test_stability_needs_every_real_part_strictly_negative(jacobian, stable):
    assert is_stable(jacobian) == stable, (
        f"eigenvalues {np.linalg.eigvals(jacobian)}: linearly stable iff max Re(eigenvalue) < 0 strictly "
        "(a real part of exactly 0 decides nothing at first order)")


def test_newton_also_finds_unstable_fixed_points():
    rng = np.random.default_rng(2)
    W, I = matrix_with_max_real_eigenvalue(rng, 5, 1.3), rng.normal(size=5)
    x_star = fixed_point_newton(W, I, np.zeros(5), activation="linear")
    assert_close(x_star, np.linalg.solve(np.eye(5) - W, I), rtol=1e-10, atol=1e-12,
                 what="Newton on the linear network: x* = (I - W)^-1 I")
    assert not is_stable(rate_jacobian(x_star, W, 1.0, activation="linear")), "max Re eig(W) = 1.3 > 1: x* is unstable"


@pytest.mark.parametrize("max_real", [0.7, 0.95, 1.05, 1.3])
def test_linear_network_is_stable_iff_max_real_eigenvalue_below_one(max_real):
    rng = np.random.default_rng(3)
    W, I = matrix_with_max_real_eigenvalue(rng, 8, max_real), rng.normal(size=8)
    x_star = np.linalg.solve(np.eye(8) - W, I)
    predicted_stable = max_real < 1
    assert is_stable(rate_jacobian(x_star, W, 1.0, activation="linear")) == predicted_stable, (
        f"max Re eig(W) = {max_real}: the linear network is {'stable' if predicted_stable else 'unstable'}")
    # Measure it: a perturbation of x* decays like exp((max_real - 1) t); over t = 40 that is a factor
    # e^{-12}..e^{+12} at the extremes and e^{-2}, e^{+2} at 0.95 and 1.05.
    start = x_star + 1e-3 * rng.normal(size=8)
    end = fixed_point_by_integration(W, I, start, activation="linear", t_final=40.0)
    grew = np.linalg.norm(end - x_star) > np.linalg.norm(start - x_star)
    assert grew != predicted_stable, f"max Re eig(W) = {max_real}: the perturbation {'grew' if grew else 'shrank'}"
