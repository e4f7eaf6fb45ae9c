"""Task 4.6: finding critical points with Newton's method on the gradient."""
import numpy as np
import pytest

from learndyn.landscape import find_critical_points
from oracle.stage4_geometry import surface_gradient

pytestmark = pytest.mark.task("4.6")

HIMMELBLAU = np.array([(3, 2), (-2.805118, 3.131313), (-3.779310, -3.283186), (3.584428, -1.848126),
                       (-0.270845, -0.923039), (0.086678, 2.884255), (3.385154, 0.073852), (-3.073026, -0.081353),
                       (-0.127961, -1.953715)])


def exact_gradient(name):
    return lambda theta: surface_gradient(name, *theta)


def grid(low, high, count):
    values = np.linspace(low, high, count)
    return np.array([(x, y) for x in values for y in values])


def match(found, known):
    """For each known point, the distance to the nearest found point."""
    return np.array([np.min(np.linalg.norm(found - point, axis=1)) if len(found) else np.inf for point in known])


def test_all_nine_critical_points_of_himmelblau():
    found = find_critical_points(exact_gradient("himmelblau"), grid(-5, 5, 7))
    # The known points are given to 6 decimals; Newton converges to |gradient| <= 1e-10, i.e. ~1e-11 in position.
    distances = match(found, HIMMELBLAU)
    assert np.all(distances < 1e-5), f"Himmelblau has 4 minima, 1 maximum and 4 saddles; missed: {HIMMELBLAU[distances >= 1e-5]}"
    assert len(found) == 9, f"found {len(found)} points for 9 critical points: are duplicates merged (merge_distance)?\n{found}"


def test_newton_finds_saddles_that_descent_would_avoid():
    found = find_critical_points(exact_gradient("beale"), np.array([[0.2, 1.3], [2.5, 0.3], [0.1, 0.8]]))
    assert len(found) == 2 and np.all(match(found, np.array([[0, 1], [3, 0.5]])) < 1e-6), (
        f"from these starts Newton reaches Beale's saddle (0, 1) and minimum (3, 0.5), got {found}")


BEALE = np.array([(3.0, 0.5), (0.0, 1.0), (0.10053794, -2.64451359)])  # minimum, saddle, saddle


def test_beale_has_three_critical_points_in_its_domain_one_outside_the_plotted_window():
    # Beale's usual domain is [-4.5, 4.5]**2. On the line x = 0 the gradient vanishes only at y = 1; off it there is a
    # second saddle at (0.1005, -2.6445) (Hessian eigenvalues -0.78 and 868), below the plotted window y >= -1.5.
    found = find_critical_points(exact_gradient("beale"), grid(-4.5, 4.5, 13))
    inside = found[np.all(np.abs(found) <= 4.5, axis=1)]
    distances = match(inside, BEALE)
    assert np.all(distances < 1e-6) and len(inside) == 3, (
        f"Beale in [-4.5, 4.5]**2 has exactly 3 critical points, the minimum (3, 0.5) and the saddles (0, 1) and "
        f"(0.1005, -2.6445); Newton from a 13 x 13 grid found {np.round(inside, 6).tolist()}")


def test_rosenbrock_has_one_critical_point():
    found = find_critical_points(exact_gradient("rosenbrock"), grid(-1.5, 1.5, 3))
    assert found.shape == (1, 2) and np.linalg.norm(found[0] - [1, 1]) < 1e-8, f"expected only (1, 1), got {found}"


def test_a_degenerate_point_is_approached_slowly_but_found():
    # Newton on a gradient that is homogeneous of degree 2 halves the distance each step: 1 -> ~1e-5 in ~20 steps.
    found = find_critical_points(exact_gradient("monkey_saddle"), np.array([[0.7, -0.4]]), steps=100)
    assert found.shape == (1, 2) and np.linalg.norm(found[0]) < 1e-4, f"expected the origin, got {found}"
    assert find_critical_points(exact_gradient("monkey_saddle"), np.array([[0.7, -0.4]]), steps=3).shape == (0, 2), (
        "a run that has not reached |gradient| <= tol after `steps` Newton steps must not be kept")


def counting(gradient):
    calls = []

    def counted(theta):
        calls.append(1)
        return gradient(theta)

    return counted, calls


def test_newton_stops_once_the_gradient_is_small():
    # Newton on Himmelblau from (2.9, 2.1) reaches |grad| <= 1e-10 in a handful of steps; each step costs the
    # gradient once plus 4 more for the finite-difference Hessian (2 per coordinate), then one final check.
    gradient, calls = counting(exact_gradient("himmelblau"))
    found = find_critical_points(gradient, np.array([[2.9, 2.1]]), steps=100, tol=1e-10)
    assert len(found) == 1 and np.linalg.norm(found[0] - (3, 2)) < 1e-8, f"expected (3, 2), found {found}"
    assert len(calls) < 60, (
        f"{len(calls)} gradient calls for one start that converges in a few Newton steps: stop the loop (break) as "
        "soon as |gradient| <= tol, instead of spending every one of the `steps` steps")


def test_with_tol_zero_a_start_on_an_exact_critical_point_is_found_at_once():
    # The quadratic's gradient at (0, 0) is exactly zero: |grad| = 0 <= tol = 0 stops before any Newton step.
    gradient, calls = counting(lambda theta: np.array([2.0 * theta[0], 4.0 * theta[1]]))
    found = find_critical_points(gradient, np.array([[0.0, 0.0]]), steps=20, tol=0.0)
    assert found.shape == (1, 2) and np.all(found == 0), (
        f"found {found}: a gradient of exactly 0 meets |grad| <= tol with tol = 0 (<=, not <)")
    assert len(calls) == 2, f"{len(calls)} gradient calls: a start with |grad| <= tol needs no Newton step (one check, one final)"


def test_exact_duplicates_are_merged_even_with_merge_distance_zero():
    starts = np.array([[2.9, 2.1], [2.9, 2.1], [3.1, 1.9]])
    found = find_critical_points(exact_gradient("himmelblau"), starts[:2], merge_distance=0.0)
    assert len(found) == 1, (
        f"two identical starts gave {len(found)} points with merge_distance = 0: a point is new only if it is farther "
        "than merge_distance from every point found (> merge_distance, so an exact duplicate at distance 0 is not new)")
    assert len(find_critical_points(exact_gradient("himmelblau"), starts)) == 1, "three starts near (3, 2) give one point"
