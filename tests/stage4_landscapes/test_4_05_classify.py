"""Task 4.5: classifying critical points from the Hessian's eigenvalues; principal curvature directions."""
import numpy as np
import pytest

from learndyn.landscape import classify_critical_point, principal_curvatures
from oracle import assert_close
from oracle.stage4_geometry import surface_hessian

pytestmark = pytest.mark.task("4.5")

# Every critical point of the test surfaces, with its kind (worked out by hand in docs/stage4.md).
KNOWN = [
    ("quadratic", (0, 0), "minimum"), ("rosenbrock", (1, 1), "minimum"),
    ("beale", (3, 0.5), "minimum"), ("beale", (0, 1), "saddle"),
    ("himmelblau", (3, 2), "minimum"), ("himmelblau", (-2.805118, 3.131313), "minimum"),
    ("himmelblau", (-3.779310, -3.283186), "minimum"), ("himmelblau", (3.584428, -1.848126), "minimum"),
    ("himmelblau", (-0.270845, -0.923039), "maximum"),
    ("himmelblau", (0.086678, 2.884255), "saddle"), ("himmelblau", (3.385154, 0.073852), "saddle"),
    ("himmelblau", (-3.073026, -0.081353), "saddle"), ("himmelblau", (-0.127961, -1.953715), "saddle"),
    ("saddle", (0, 0), "saddle"), ("monkey_saddle", (0, 0), "degenerate"),
]


@pytest.mark.parametrize("name, point, kind", KNOWN, ids=[f"{n}{p}" for n, p, _ in KNOWN])
def test_each_known_critical_point_is_classified(name, point, kind):
    hessian = surface_hessian(name, *point)
    got = classify_critical_point(hessian)
    assert got == kind, f"{name} at {point}: Hessian eigenvalues {np.round(np.linalg.eigvalsh(hessian), 4)} make it a {kind}, got {got!r}"


@pytest.mark.parametrize("eigenvalues, kind", [
    ([2.0, 3.0, 0.5], "minimum"), ([-1.0, -4.0], "maximum"), ([5.0, 0.0, -2.0], "saddle"),
    ([1.0, 0.0], "degenerate"), ([-3.0, 1e-9], "degenerate"), ([0.0, 0.0], "degenerate"), ([1e-3, 2.0], "minimum"),
])
def test_the_signs_of_the_eigenvalues_decide(eigenvalues, kind):
    q, _ = np.linalg.qr(np.random.default_rng(len(eigenvalues)).normal(size=(len(eigenvalues),) * 2))
    hessian = q @ np.diag(eigenvalues) @ q.T  # rotated: the diagonal alone does not show the eigenvalues
    got = classify_critical_point(hessian, tol=1e-6)
    assert got == kind, f"eigenvalues {eigenvalues} (|lambda| <= 1e-6 counts as 0) make a {kind}, got {got!r}"


@pytest.mark.parametrize("eigenvalues, kind", [
    ([1.0, 0.0], "degenerate"), ([-1.0, 0.0], "degenerate"), ([0.0, 0.0], "degenerate"), ([2.0, -1.0], "saddle"),
])
def test_with_tol_zero_an_exact_zero_eigenvalue_is_degenerate(eigenvalues, kind):
    # Diagonal, so the eigenvalues are exact: with tol = 0 an eigenvalue of exactly 0 is neither > tol nor < -tol.
    got = classify_critical_point(np.diag(eigenvalues), tol=0.0)
    assert got == kind, (f"eigenvalues {eigenvalues} with tol = 0 make a {kind}, got {got!r}: positive means > tol, "
                         "negative < -tol, and a point is degenerate unless every |eigenvalue| > tol (strict comparisons)")


def test_principal_curvatures_of_a_three_dimensional_hessian():
    # Three eigenvalues, so index 1 (the middle one) is not the largest: eigh sorts ascending, the largest is [-1].
    q, _ = np.linalg.qr(np.random.default_rng(7).normal(size=(3, 3)))
    hessian = q @ np.diag([-1.5, 0.5, 4.0]) @ q.T
    curvatures = principal_curvatures(hessian)
    assert_close([curvatures.most, curvatures.least], [4.0, -1.5], rtol=1e-12, atol=1e-12,
                 what="(most, least) curvature of eigenvalues {-1.5, 0.5, 4}",
                 alternatives={"eigenvalues[1] (the middle one) taken as the largest": [0.5, -1.5]})
    assert_close(abs(curvatures.most_direction @ q[:, 2]), 1.0, rtol=0, atol=1e-12,
                 what="|most_direction . top eigenvector| (eigenvectors[:, -1], the last column, not [:, 1])")
    assert_close(abs(curvatures.least_direction @ q[:, 0]), 1.0, rtol=0, atol=1e-12, what="|least_direction . bottom eigenvector|")


def test_principal_curvatures_across_and_along_rosenbrocks_valley():
    point = (-0.5, 0.25)  # on the valley floor y = x**2
    hessian = surface_hessian("rosenbrock", *point)
    curvatures = principal_curvatures(hessian)
    expected = np.linalg.eigvalsh(hessian)
    assert_close([curvatures.most, curvatures.least], [expected[-1], expected[0]], rtol=1e-10, atol=1e-12,
                 what="(most, least) curvature on the valley floor", alternatives={"most and least swapped": [expected[0], expected[-1]]})
    for value, direction, label in ((curvatures.most, curvatures.most_direction, "most"),
                                    (curvatures.least, curvatures.least_direction, "least")):
        assert abs(np.linalg.norm(direction) - 1) < 1e-12, f"{label}_direction must be a unit vector"
        assert_close(hessian @ direction, value * direction, rtol=0, atol=1e-9, what=f"H @ {label}_direction = {label} * it")
    tangent = np.array([1.0, 2 * point[0]]) / np.hypot(1.0, 2 * point[0])  # the valley's direction, d/dx (x, x**2)
    assert abs(curvatures.least_direction @ tangent) > 0.99, "the least curved direction should run along the valley floor"


def test_at_a_saddle_the_least_curved_direction_is_the_way_down():
    curvatures = principal_curvatures(surface_hessian("saddle", 0.0, 0.0))
    assert curvatures.least == pytest.approx(-2.0) and curvatures.most == pytest.approx(2.0)
    assert abs(curvatures.least_direction[1]) == pytest.approx(1.0), "x**2 - y**2 goes down along y"
