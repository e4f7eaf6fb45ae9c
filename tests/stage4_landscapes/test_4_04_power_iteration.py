"""Task 4.4: the top eigenvalue (sharpness) by power iteration on Hessian-vector products."""
import numpy as np
import pytest

from learndyn.landscape import model_gradient, parameters_to_vector, power_iteration, sharpness
from learndyn.nn import MLP, mse_loss
from oracle import assert_close
from oracle.stage4_geometry import mlp_loss_and_gradient, numpy_hessian

pytestmark = pytest.mark.task("4.4")


def symmetric_with_spectrum(eigenvalues, seed):
    q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(len(eigenvalues), len(eigenvalues))))
    return q @ np.diag(eigenvalues) @ q.T


def test_top_eigenvalue_and_vector_of_a_symmetric_matrix():
    matrix = symmetric_with_spectrum([10.0, 5.0, 2.0, 1.0, 0.5, -1.0], seed=0)
    expected = np.linalg.eigvalsh(matrix)[-1]
    eigenvalue, vector = power_iteration(lambda v: matrix @ v, np.ones(6), steps=200, tol=1e-14)
    # Rate (5/10)^k: 60 steps reach rounding; the Rayleigh quotient's error is the square of the vector's.
    assert_close(eigenvalue, expected, rtol=1e-10, atol=0, what="power iteration's top eigenvalue vs np.linalg.eigvalsh")
    assert abs(np.linalg.norm(vector) - 1) < 1e-12, f"return a unit eigenvector, |v| = {np.linalg.norm(vector)}"
    assert_close(matrix @ vector, expected * vector, rtol=0, atol=1e-6, what="H v = lambda v for the returned v")


def test_the_eigenvalue_of_largest_magnitude_wins_even_if_negative():
    matrix = symmetric_with_spectrum([3.0, 1.0, -8.0], seed=1)
    eigenvalue, _ = power_iteration(lambda v: matrix @ v, np.array([1.0, 1.0, 1.0]), steps=200, tol=1e-14)
    assert_close(eigenvalue, -8.0, rtol=1e-9, atol=0, what="dominant eigenvalue of a spectrum {3, 1, -8}")


def test_without_normalisation_large_eigenvalues_would_overflow():
    matrix = symmetric_with_spectrum([1e6, 2e5, 1.0], seed=2)
    eigenvalue, vector = power_iteration(lambda v: matrix @ v, np.ones(3), steps=80, tol=0.0)
    # (1e6)^80 overflows float64: only a normalised iteration survives 80 products.
    assert np.isfinite(eigenvalue) and np.all(np.isfinite(vector)), "normalise v after every product: H^k v overflows"
    assert_close(eigenvalue, 1e6, rtol=1e-9, atol=0, what="top eigenvalue 1e6 after 80 products",
                 alternatives={"the estimate is v @ H @ v for an unnormalised v": 1e6 * np.linalg.norm(np.ones(3)) ** 2})


def test_a_warm_start_at_the_eigenvector_needs_one_product():
    matrix = symmetric_with_spectrum([4.0, 3.9, 1.0], seed=3)
    _, top = np.linalg.eigh(matrix)
    calls = []

    def hvp(v):
        calls.append(1)
        return matrix @ v

    eigenvalue, _ = power_iteration(hvp, 7.0 * top[:, -1], steps=1)
    assert len(calls) == 1, f"steps=1 allows one product, got {len(calls)}"
    assert_close(eigenvalue, 4.0, rtol=1e-12, atol=0, what="eigenvalue from a start at (a multiple of) the top eigenvector",
                 alternatives={"initial not scaled to unit length": 4.0 * 49})


def products_the_stopping_rule_needs(matrix, initial, steps, tol):
    """The docstring's rule, counted: stop after the first product whose estimate changed by <= tol relative."""
    vector, previous = initial / np.linalg.norm(initial), None
    for count in range(1, steps + 1):
        product = matrix @ vector
        eigenvalue = float(vector @ product)
        vector = product / np.linalg.norm(product)
        if previous is not None and abs(eigenvalue - previous) <= tol * abs(eigenvalue):
            return count
        previous = eigenvalue
    return steps


# Spectra whose first estimate from (1, 1, 1) is +1 or -1 (a start that compares the first estimate with 1 or -1
# stops at once), with top eigenvalues 4 and -4 (a tolerance scaled by 1 / |eigenvalue| stops 16x later).
@pytest.mark.parametrize("spectrum,tol", [([4.0, 1.0, -2.0], 1e-6), ([-4.0, -1.0, 2.0], 1e-6), ([4.0, 1.0, -2.0], 1e-9)])
def test_stops_exactly_when_the_estimate_settles(spectrum, tol):
    matrix = np.diag(spectrum)
    calls = []

    def hvp(v):
        calls.append(1)
        return matrix @ v

    eigenvalue, _ = power_iteration(hvp, np.ones(3), steps=500, tol=tol)
    expected = products_the_stopping_rule_needs(matrix, np.ones(3), 500, tol)
    assert len(calls) == expected, (
        f"spectrum {spectrum}, tol {tol}: {len(calls)} products, the stopping rule needs {expected}. Stop after the first "
        "product whose estimate changed by at most tol * |eigenvalue| from the previous estimate (the first estimate "
        "has nothing to compare with: start the previous at 0, not at 1; stop with break, relative to |eigenvalue|)")
    assert abs(eigenvalue - spectrum[0]) < 1e-4 * abs(spectrum[0]), f"eigenvalue {eigenvalue}, expected {spectrum[0]}"


def test_with_tol_zero_an_exact_eigenvector_stops_on_the_second_product():
    # From an exact eigenvector of a diagonal matrix every estimate is exactly 3.0: the change is 0 <= 0 * 3.
    calls = []

    def hvp(v):
        calls.append(1)
        return np.diag([3.0, 1.0]) @ v

    eigenvalue, _ = power_iteration(hvp, np.array([1.0, 0.0]), steps=50, tol=0.0)
    assert eigenvalue == 3.0 and len(calls) == 2, (
        f"{len(calls)} products with tol = 0 from an exact eigenvector: the second estimate equals the first, and a "
        "change of exactly 0 meets |eigenvalue - previous| <= tol * |eigenvalue| (<=, not <)")


@pytest.mark.parametrize("matrix,initial", [(np.zeros((3, 3)), np.ones(3)), (np.diag([3.0, 0.0]), np.array([0.0, 2.0]))])
def test_a_zero_product_gives_eigenvalue_zero(matrix, initial):
    # A flat landscape (H = 0), or a start in H's null space: H v = 0, so the estimate is 0 and v cannot be normalised.
    eigenvalue, vector = power_iteration(lambda v: matrix @ v, initial, steps=10)
    assert eigenvalue == 0.0, f"H v = 0 must give eigenvalue 0.0, got {eigenvalue} (check |H v| == 0 before dividing by it)"
    assert_close(vector, initial / np.linalg.norm(initial), rtol=0, atol=1e-15, what="the vector returned when H v = 0 (the unit start)")


def test_sharpness_of_a_small_network_matches_the_full_hessian():
    sizes = [2, 4, 1]
    rng = np.random.default_rng(5)
    model = MLP(sizes, activation="tanh", rng=rng)
    inputs, targets = rng.normal(size=(12, 2)), rng.normal(size=(12, 1))
    theta = parameters_to_vector(model.parameters())
    hessian = numpy_hessian(lambda t: mlp_loss_and_gradient(t, sizes, inputs, targets)[1], theta)
    eigenvalues = np.linalg.eigvalsh(hessian)
    assert abs(eigenvalues[-1]) > abs(eigenvalues[0]), "test setup: the top eigenvalue must dominate"
    top, _ = sharpness(model_gradient(model, lambda: mse_loss(model(inputs), targets)), theta, steps=500, tol=1e-12)
    # Both Hessians carry finite-difference errors ~1e-8; power iteration converged to tol 1e-12.
    assert_close(top, eigenvalues[-1], rtol=1e-5, atol=1e-8, what="sharpness of a 2-4-1 tanh MLP vs eigvalsh(full Hessian)")


def test_bad_arguments_are_refused_with_the_allowed_range():
    matrix = np.diag([3.0, 1.0])
    for kwargs, message in (({"steps": 0}, r"steps must be an integer >= 1, got 0"), ({"tol": -1.0}, r"tol must be >= 0, got -1.0")):
        with pytest.raises(ValueError, match=message):
            power_iteration(lambda v: matrix @ v, np.ones(2), **kwargs)
    with pytest.raises(ValueError, match="initial must be a nonzero vector"):
        power_iteration(lambda v: matrix @ v, np.zeros(2))
    assert power_iteration(lambda v: matrix @ v, np.array([1.0, 0.0]), steps=3)[0] == pytest.approx(3.0)
