"""Task 5.5: the modified flow of L + (lr/4)||grad L||^2, which GD follows to second order."""
import numpy as np
import pytest

from learndyn.flow import gradient_descent, gradient_field_derivative, modified_flow, modified_loss_gradient
from losses_for_flow import coupled_valley, coupled_valley_hessian, quadratic
from oracle import assert_close

pytestmark = pytest.mark.task("5.5")

THETA0 = np.array([1.5, 1.0])


def test_gradient_field_derivative_is_the_hand_hessian_times_the_vector():
    rng = np.random.default_rng(2)
    for theta, vector in zip(rng.normal(size=(3, 2)), rng.normal(size=(3, 2))):
        # Central differences with a relative step 1e-5: truncation ~1e-10, rounding ~1e-11 of |H v| ~ 1-10.
        assert_close(gradient_field_derivative(coupled_valley, theta, vector), coupled_valley_hessian(theta) @ vector,
                     rtol=1e-7, atol=1e-8, what=f"H v at theta = {theta}")


@pytest.mark.parametrize("length, direction", [(1e-3, (0.6, 0.8)), (1.0, (1.0, 0.0)), (1e3, (0.6, 0.8)), (1e5, (0.6, 0.8))],
                         ids=["short", "unit", "long", "very long"])
def test_gradient_field_derivative_for_vectors_of_any_length(length, direction):
    # The finite-difference step is relative (HVP_STEP / |v| along v): H v is linear in v at every length. A step
    # of HVP_STEP * |v| or HVP_STEP (not divided by |v|) moves theta by up to 1e5 or 1 along v, and the gradient
    # of this quartic loss is cubic along (0.6, 0.8): a truncation error of >= 1e-6 of |H v|. (The unit vector
    # along an axis has |v| = 1 exactly: a special case at |v| = 1 shows there.)
    theta, direction = np.array([0.7, -0.4]), np.array(direction)
    expected = coupled_valley_hessian(theta) @ (length * direction)
    assert_close(gradient_field_derivative(coupled_valley, theta, length * direction), expected,
                 rtol=1e-7, atol=1e-8 * length, what=f"H v for v of length {length} along the first axis")


def test_gradient_field_derivative_of_the_zero_vector_is_zero():
    got = gradient_field_derivative(coupled_valley, np.array([0.7, -0.4]), np.zeros(2))
    assert_close(got, np.zeros(2), rtol=0, atol=0, what="H v for v = 0 (no direction to difference along: return 0)")


def test_modified_gradient_on_a_quadratic():
    rng = np.random.default_rng(3)
    A = rng.normal(size=(3, 3))
    H, b, theta, lr = A @ A.T + np.eye(3), rng.normal(size=3), rng.normal(size=3), 0.1
    gradient = H @ theta - b
    assert_close(modified_loss_gradient(quadratic(H, b), theta, lr), gradient + 0.5 * lr * H @ gradient,
                 rtol=1e-7, atol=1e-8, what="grad of L + (lr/4)||grad L||^2 on a quadratic: g + (lr/2) H g",
                 alternatives={"(lr/4) H g: the factor 2 from differentiating ||g||^2 is missing": gradient + 0.25 * lr * H @ gradient,
                               "lr H g: the 1/2 from the Taylor expansion is missing": gradient + lr * H @ gradient})


def test_gradient_descent_is_second_order_close_to_the_modified_flow():
    t_final, distances = 1.0, []
    for lr in (0.04, 0.02, 0.01):
        modified_end = modified_flow(coupled_valley, THETA0, lr, t_final, t_eval=[t_final], rtol=1e-7, atol=1e-9).y[:, -1]
        gd_end = gradient_descent(coupled_valley, THETA0, lr, round(t_final / lr))[-1]
        distances.append(np.linalg.norm(gd_end - modified_end))
    ratios = [distances[0] / distances[1], distances[1] / distances[2]]
    # Backward error analysis: the remainder is C lr^2 + O(lr^3): ratio 4 (1 + O(lr)); measured 4.05, 4.00.
    # The modified flow itself is integrated to ~1e-7, far below the smallest distance (1.5e-4).
    assert all(3.5 < r < 4.6 for r in ratios), (
        f"|theta_GD(T) - theta_modified(T)| at lr = 0.04, 0.02, 0.01: {distances}; halving lr divided it by {ratios}, "
        "expected about 4 (GD follows the modified flow to second order)")


def test_gd_vs_flow_experiment_measures_slopes_one_and_two():
    from learndyn.experiments import gd_vs_flow

    result = gd_vs_flow.run(path_lrs=(0.1, 0.42), distance_lrs=(0.02, 0.01))
    # The same laws as above, on the experiment's valley: measured slopes 1.03 and 2.00.
    assert abs(result.slope(result.distance_to_flow) - 1) < 0.15, result.summary()
    assert abs(result.slope(result.distance_to_modified_flow) - 2) < 0.15, result.summary()
    assert np.linalg.norm(result.gd_paths[0][-1]) < 0.01, "GD at lr = 0.1 < 2 / lambda_max should converge"
    assert "lr = 0.42 diverged" in result.summary(), "lr = 0.42 > 2 / 5 must be reported as diverged, with the reason"
