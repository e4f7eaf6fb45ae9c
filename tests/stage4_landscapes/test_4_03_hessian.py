"""Task 4.3: the Hessian and Hessian-vector products by finite differences of the gradient."""
import numpy as np
import pytest

from learndyn.landscape import finite_difference_hessian, hessian_vector_product
from oracle import assert_close
from oracle.stage4_geometry import surface_gradient, surface_hessian

pytestmark = pytest.mark.task("4.3")

POINTS = {"quadratic": (1.3, -0.4), "rosenbrock": (-0.7, 0.9), "beale": (1.2, 0.8), "himmelblau": (-1.5, 2.0),
          "saddle": (0.3, 0.2), "monkey_saddle": (0.8, -0.6)}


def exact_gradient(name):
    return lambda theta: surface_gradient(name, *theta)


@pytest.mark.parametrize("name", POINTS)
def test_finite_difference_hessian_matches_the_analytic_hessian(name):
    point = np.array(POINTS[name])
    hessian = finite_difference_hessian(exact_gradient(name), point)
    expected = surface_hessian(name, *point)
    # step 1e-5: truncation step**2 / 6 * |4th derivative| <= 1e-10 * 2400 (Rosenbrock) ~ 4e-8,
    # rounding 1e-16 * |gradient| / step <= 1e-16 * 1e3 / 1e-5 = 1e-8: 1e-6 relative + 1e-6 absolute is safe.
    assert_close(hessian, expected, rtol=1e-6, atol=1e-6, what=f"Hessian of {name} at {POINTS[name]}",
                 alternatives={"each column divided by step instead of 2 * step (central difference)": 2 * expected,
                               "transposed or row/column mixed up": expected.T})


@pytest.mark.parametrize("name", ["beale", "himmelblau"])
def test_the_hessian_is_exactly_symmetric(name):
    point = np.array(POINTS[name])
    hessian = finite_difference_hessian(exact_gradient(name), point)
    # Here the two one-sided estimates of H[0, 1] and H[1, 0] differ by ~1e-9 (different truncation and
    # rounding errors); (H + H.T) / 2 makes them equal to the last bit, as the true Hessian is symmetric.
    assert np.array_equal(hessian, hessian.T), (
        f"{name}: H[0, 1] = {hessian[0, 1]!r} but H[1, 0] = {hessian[1, 0]!r}: return (H + H.T) / 2"
    )


def test_hessian_of_a_quadratic_form_in_five_dimensions():
    rng = np.random.default_rng(4)
    a = rng.normal(size=(5, 5))
    matrix = a @ a.T - 2 * np.eye(5)
    theta = rng.normal(size=5)
    hessian = finite_difference_hessian(lambda t: matrix @ t + 1.0, theta)
    # The gradient is linear: the difference is exact up to rounding 1e-16 * |matrix @ t| / step ~ 1e-10.
    assert_close(hessian, matrix, rtol=1e-8, atol=1e-8, what="Hessian of 0.5 t @ A @ t + sum(t) (5 x 5, A symmetric)")


@pytest.mark.parametrize("name", ["rosenbrock", "himmelblau", "monkey_saddle"])
def test_hessian_vector_product_equals_hessian_times_vector(name):
    point = np.array(POINTS[name])
    expected_hessian = surface_hessian(name, *point)
    for vector in ([1.0, 0.0], [0.3, -0.8], [250.0, 120.0], [1e-4, 3e-4]):
        vector = np.array(vector)
        # Same error as the Hessian (step 1e-5 along a unit vector), times |vector|.
        assert_close(hessian_vector_product(exact_gradient(name), point, vector), expected_hessian @ vector,
                     rtol=1e-6, atol=1e-6 * np.linalg.norm(vector), what=f"H @ {vector} for {name} at {POINTS[name]}",
                     alternatives={"the product is not scaled back by |vector|": expected_hessian @ vector / np.linalg.norm(vector)})


def test_hessian_vector_product_uses_two_gradients_and_no_hessian():
    calls = []
    matrix = np.diag(np.arange(1.0, 201.0))

    def gradient(theta):
        calls.append(1)
        return matrix @ theta

    theta, vector = np.ones(200), np.linspace(-1, 1, 200)
    product = hessian_vector_product(gradient, theta, vector)
    assert len(calls) == 2, f"H @ v needs two gradients (at theta +- step * v), it used {len(calls)}"
    assert_close(product, matrix @ vector, rtol=1e-8, atol=1e-8, what="H @ v for a diagonal H in 200 dimensions")
    assert_close(hessian_vector_product(gradient, theta, np.zeros(200)), np.zeros(200), rtol=0, atol=0, what="H @ 0")


def test_a_non_positive_step_is_refused():
    gradient = exact_gradient("saddle")
    with pytest.raises(ValueError, match=r"step must be > 0, got 0.0"):
        finite_difference_hessian(gradient, np.zeros(2), step=0.0)
    with pytest.raises(ValueError, match=r"vector must have the shape of theta \(2,\), got \(3,\)"):
        hessian_vector_product(gradient, np.zeros(2), np.ones(3))
    assert_close(finite_difference_hessian(gradient, np.zeros(2), step=1e-3), np.diag([2.0, -2.0]), rtol=1e-9, atol=1e-9,
                 what="Hessian of x**2 - y**2 (exact for any step: the gradient is linear)")
