"""Task 5.4: gradient flow with the autodiff gradient, and gradient descent as its Euler discretisation."""
import numpy as np
import pytest

from learndyn.flow import gradient_descent, gradient_field, gradient_flow
from losses_for_flow import coupled_valley, coupled_valley_gradient, quadratic
from oracle import assert_close

pytestmark = pytest.mark.task("5.4")

THETA0 = np.array([1.5, 1.0])


def test_gradient_field_is_the_autodiff_gradient():
    rng = np.random.default_rng(0)
    for theta in rng.normal(size=(3, 2)):
        assert_close(gradient_field(coupled_valley, theta), coupled_valley_gradient(theta), rtol=1e-12, atol=1e-12,
                     what=f"gradient_field of the coupled valley at {theta}")


def test_gradient_descent_is_forward_euler_with_step_lr_exactly():
    lr, steps = 0.1, 15
    path = gradient_descent(coupled_valley, THETA0, lr, steps)
    euler = gradient_flow(coupled_valley, THETA0, steps * lr, method="Euler", step=lr)
    assert path.shape == (steps + 1, 2), f"gradient_descent path shape {path.shape}, expected {(steps + 1, 2)}"
    # theta - lr * g and y + h * (1.0 * (-g)) are the same floating-point operations: equality, no tolerance.
    assert_close(euler.y.T, path, rtol=0, atol=0, what="GD iterates vs Euler steps of the gradient flow with h = lr")
    by_hand = THETA0.copy()
    for _ in range(steps):
        by_hand = by_hand - lr * coupled_valley_gradient(by_hand)
    assert_close(path[-1], by_hand, rtol=1e-13, atol=1e-15, what="GD after 15 steps vs the hand-written gradient")


# The method name also as a string built at run time: compared with `is`, it would miss the RK45 branch.
@pytest.mark.parametrize("method", ["RK45", "".join(["RK", "45"])], ids=["literal", "built"])
def test_flow_on_a_quadratic_is_the_matrix_exponential(method):
    rng = np.random.default_rng(1)
    Q, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    H = Q @ np.diag([0.3, 1.0, 2.0, 4.0]) @ Q.T
    b = rng.normal(size=4)
    theta_star, theta0 = np.linalg.solve(H, b), rng.normal(size=4)
    t_eval = np.array([0.0, 0.5, 1.0, 3.0])
    result = gradient_flow(quadratic(H, b), theta0, 3.0, method=method, t_eval=t_eval, rtol=1e-10, atol=1e-12)
    eigenvalues, vectors = np.linalg.eigh(H)
    expected = np.column_stack([theta_star + vectors @ (np.exp(-eigenvalues * t) * (vectors.T @ (theta0 - theta_star)))
                                for t in t_eval])
    # RK45 at rtol 1e-10: global error ~1e-10 on O(1) values; 1e-8 leaves margin.
    assert_close(result.y, expected, rtol=0, atol=1e-8,
                 what="gradient flow at t = 0, 0.5, 1, 3 vs theta* + expm(-H t) (theta0 - theta*)",
                 alternatives={"the flow goes uphill (+grad L instead of -grad L)":
                               np.column_stack([theta_star + vectors @ (np.exp(eigenvalues * t) * (vectors.T @ (theta0 - theta_star))) for t in t_eval])})


def test_gradient_descent_is_first_order_close_to_the_flow():
    t_final = 1.0
    flow_end = gradient_flow(coupled_valley, THETA0, t_final, t_eval=[t_final], rtol=1e-9, atol=1e-11).y[:, -1]
    distances = [np.linalg.norm(gradient_descent(coupled_valley, THETA0, lr, round(t_final / lr))[-1] - flow_end)
                 for lr in (0.04, 0.02, 0.01)]
    ratios = [distances[0] / distances[1], distances[1] / distances[2]]
    # Euler's global error is C lr + O(lr^2): halving lr divides it by 2 (1 + O(lr)); measured 2.08, 2.03.
    assert all(1.8 < r < 2.3 for r in ratios), (
        f"|theta_GD(T) - theta_flow(T)| at lr = 0.04, 0.02, 0.01: {distances}; halving lr divided it by {ratios}, "
        "expected about 2 (GD is first-order accurate)")


def test_gd_diverges_above_eulers_threshold_two_over_lambda_max():
    H = np.diag([0.5, 4.0])
    loss = quadratic(H, np.zeros(2))

    def diverges(lr):
        path = gradient_descent(loss, np.array([1.0, 1.0]), lr, 60)
        return np.linalg.norm(path[-1]) > np.linalg.norm(path[0])

    low, high = 0.25, 1.0
    assert not diverges(low) and diverges(high)
    for _ in range(25):
        middle = 0.5 * (low + high)
        low, high = (low, middle) if diverges(middle) else (middle, high)
    # Euler's h < 2 / |lambda| along the stiffest eigenvector: lr* = 2 / 4 = 0.5.  Near lr* the growth
    # |1 - 4 lr|^60 is slow: the norm passes its start at |1 - 4 lr| = 2^(1/120), lr = 0.5014.
    assert abs(high - 0.5) < 0.01, f"GD starts to diverge at lr = {high:.4f}; Euler's threshold 2 / lambda_max = 0.5"
