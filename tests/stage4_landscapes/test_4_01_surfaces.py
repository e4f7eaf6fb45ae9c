"""Task 4.1: the test surfaces as Tensor losses (values, gradients by your autodiff, grids)."""
import numpy as np
import pytest

from learndyn import Tensor, no_grad
from learndyn.landscape import surfaces
from oracle import assert_close
from oracle.stage4_geometry import surface_gradient, surface_hessian, surface_value

pytestmark = pytest.mark.task("4.1")

FUNCTIONS = {
    "quadratic": surfaces.ill_conditioned_quadratic,
    "rosenbrock": surfaces.rosenbrock,
    "beale": surfaces.beale,
    "himmelblau": surfaces.himmelblau,
    "saddle": surfaces.saddle,
    "monkey_saddle": surfaces.monkey_saddle,
}
KNOWN_MINIMA = {"quadratic": [(0, 0)], "rosenbrock": [(1, 1)], "beale": [(3, 0.5)],
                "himmelblau": [(3, 2), (-2.805118, 3.131313), (-3.779310, -3.283186), (3.584428, -1.848126)]}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_value_and_gradient_match_the_closed_form(name):
    rng = np.random.default_rng(hash(name) % 2**32)
    for point in rng.uniform(-2, 2, size=(4, 2)):
        tensor = Tensor(point, requires_grad=True)
        loss = FUNCTIONS[name](tensor)
        assert loss.size == 1, f"{name} of one point must be one number, got shape {loss.shape}"
        # The same polynomial evaluated in another order: rounding only, ~1e-16 * |terms| (terms <= ~1e4).
        assert_close(loss.data, surface_value(name, *point), rtol=1e-12, atol=1e-10, what=f"{name}{tuple(np.round(point, 3))}")
        loss.backward()
        assert_close(tensor.grad, surface_gradient(name, *point), rtol=1e-10, atol=1e-9,
                     what=f"gradient of {name} at {tuple(np.round(point, 3))} (by your backward)")


@pytest.mark.parametrize("name", FUNCTIONS)
def test_a_stack_of_points_gives_a_grid_of_losses(name):
    gx, gy = np.meshgrid(np.linspace(-1.5, 1.5, 4), np.linspace(-1, 2, 3))
    with no_grad():
        grid = FUNCTIONS[name](Tensor(np.stack([gx, gy]))).data
    assert_close(grid, surface_value(name, gx, gy), rtol=1e-12, atol=1e-10,
                 what=f"{name} on a (2, 3, 4) stack of points (x = point[0], y = point[1], elementwise ops only)")


@pytest.mark.parametrize("name", KNOWN_MINIMA)
def test_known_minima_have_zero_loss_and_zero_gradient(name):
    for point in KNOWN_MINIMA[name]:
        tensor = Tensor(np.array(point, float), requires_grad=True)
        loss = FUNCTIONS[name](tensor)
        loss.backward()
        # The Himmelblau minima are given to 6 decimals: loss ~ |H| * 1e-12 and gradient ~ |H| * 1e-6 with |H| <= ~100.
        assert abs(loss.item()) < 1e-8, f"{name}{point} is a known minimum of value 0, got {loss.item()}"
        assert np.linalg.norm(tensor.grad) < 1e-3, f"the gradient of {name} at its minimum {point} should vanish, got {tensor.grad}"


def test_surfaces_list_the_critical_points_the_closed_forms_confirm():
    checked = 0
    with no_grad():
        for surface in surfaces.SURFACES.values():
            for kind in ("minima", "maxima", "saddles", "degenerate"):
                for point in getattr(surface, kind):
                    gradient = surface_gradient(surface.name, *point)
                    assert np.linalg.norm(gradient) < 1e-3, f"{surface.name}: listed {kind} {point} has gradient {gradient}"
                    eigenvalues = np.linalg.eigvalsh(surface_hessian(surface.name, *point))
                    expected = {"minima": np.all(eigenvalues > 0), "maxima": np.all(eigenvalues < 0),
                                "saddles": eigenvalues[0] < 0 < eigenvalues[-1], "degenerate": np.allclose(eigenvalues, 0)}[kind]
                    assert expected, f"{surface.name}: {point} listed as {kind}, Hessian eigenvalues {eigenvalues}"
                    checked += 1
            assert surface.loss(Tensor(np.array(surface.start))).size == 1
    assert checked == 16, f"{checked} critical points listed, expected 16 (Beale has two saddles in [-4.5, 4.5]**2)"


def test_a_point_without_two_coordinates_is_refused():
    with pytest.raises(ValueError, match=r"shape \(2, \.\.\.\)"):
        surfaces.rosenbrock(Tensor(np.zeros(3)))
    assert_close(surfaces.rosenbrock(Tensor(np.array([0.0, 0.0]))).data, 1.0, rtol=1e-12, atol=0, what="rosenbrock(0, 0)")
