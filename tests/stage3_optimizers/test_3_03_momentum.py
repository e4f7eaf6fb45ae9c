"""Task 3.3: heavy-ball momentum as a 2x2 linear map per eigenvalue, checked against simulated runs."""
import numpy as np
import pytest

from learndyn.dynamics import momentum_matrix, momentum_spectral_radius, momentum_stability_edge, optimal_momentum
from oracle import assert_close

pytestmark = pytest.mark.task("3.3")


def heavy_ball(lr: float, curvatures: np.ndarray, beta: float, start: np.ndarray, steps: int) -> np.ndarray:
    """PyTorch's SGD(momentum=beta) on 0.5 * sum(curvatures * x**2), written out: iterates (steps + 1, n)."""
    x, buffer, path = start.astype(float).copy(), np.zeros_like(start, dtype=float), [start.astype(float).copy()]
    for _ in range(steps):
        buffer = beta * buffer + curvatures * x
        x = x - lr * buffer
        path.append(x.copy())
    return np.array(path)


def test_matrix_entries():
    expected = np.array([[1 + 0.6 - 0.3 * 2.0, -0.6], [1.0, 0.0]])
    assert_close(momentum_matrix(0.3, 2.0, 0.6), expected, rtol=1e-14, atol=1e-15,
                 what="momentum_matrix(lr=0.3, curvature=2, beta=0.6) on the state (x, x_prev)",
                 alternatives={"+beta in the corner instead of -beta": np.array([[1.0, 0.6], [1.0, 0.0]])})


@pytest.mark.parametrize("lr,curvature,beta", [(0.1, 3.0, 0.9), (0.5, 2.0, 0.3), (0.25, 10.0, 0.5)])
def test_powers_of_the_matrix_reproduce_a_simulated_run(lr, curvature, beta):
    path = heavy_ball(lr, np.array([curvature]), beta, np.array([1.0]), 30)[:, 0]
    matrix = momentum_matrix(lr, curvature, beta)
    state, predicted = np.array([1.0, 1.0]), [1.0]  # the buffer starts at 0, i.e. x_prev = x_0
    for _ in range(30):
        state = matrix @ state
        predicted.append(state[0])
    # 30 products of 2x2 matrices vs the buffer recursion: rounding only, ~1e-14 relative to the largest |x|.
    assert_close(predicted, path, rtol=1e-9, atol=1e-12 * np.abs(path).max(), what=f"x_t from M^t (x_0, x_0) vs a simulated heavy-ball run, lr={lr}, lam={curvature}, beta={beta}")


def test_complex_roots_have_modulus_sqrt_beta():
    for beta in (0.25, 0.6, 0.9):
        # complex iff (1 + beta - lr*lam)**2 < 4 beta, i.e. lr*lam in ((1 - sqrt(beta))**2, (1 + sqrt(beta))**2)
        products = np.linspace((1 - np.sqrt(beta)) ** 2, (1 + np.sqrt(beta)) ** 2, 12)[1:-1]
        radii = [momentum_spectral_radius(product, 1.0, beta) for product in products]
        assert_close(radii, np.full(len(products), np.sqrt(beta)), rtol=1e-10, atol=0,
                     what=f"spectral radius with complex roots, beta={beta}, lr*lam in {products.round(3)}",
                     alternatives={"beta instead of sqrt(beta)": np.full(len(products), beta)})


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9])
def test_stable_exactly_when_lr_times_lambda_is_below_two_plus_two_beta(beta):
    products = np.linspace(0.01, 5.0, 400)
    products = products[np.abs(products - (2 + 2 * beta)) > 1e-3]
    stable = np.array([momentum_spectral_radius(product, 1.0, beta) < 1 for product in products])
    predicted = products < 2 + 2 * beta
    wrong = products[stable != predicted]
    assert not wrong.size, f"beta={beta}: spectral radius < 1 disagrees with 0 < lr*lam < 2 + 2*beta at lr*lam = {wrong[:5]}"
    assert_close(momentum_stability_edge(4.0, beta), (2 + 2 * beta) / 4.0, rtol=1e-14, atol=0,
                 what=f"momentum_stability_edge(curvature=4, beta={beta})", alternatives={"2 / curvature (no momentum)": 0.5})


@pytest.mark.parametrize("beta", [0.3, 0.9])
def test_simulated_runs_decay_below_the_edge_and_grow_above_it(beta):
    edge = momentum_stability_edge(10.0, beta)
    below = heavy_ball(0.98 * edge, np.array([10.0]), beta, np.array([1.0]), 300)
    above = heavy_ball(1.02 * edge, np.array([10.0]), beta, np.array([1.0]), 300)
    assert np.abs(below[-20:]).max() < np.abs(below[130:150]).max(), f"lr = 0.98 x edge ({0.98 * edge:.4f}) should shrink"
    assert np.abs(above[-20:]).max() > np.abs(above[130:150]).max(), f"lr = 1.02 x edge ({1.02 * edge:.4f}) should grow"


def test_optimal_momentum_for_kappa_10():
    lr, beta, rate = optimal_momentum(1.0, 10.0)
    root = np.sqrt(10.0)
    expected_rate = (root - 1) / (root + 1)
    assert_close([lr, beta, rate], [4 / (root + 1) ** 2, expected_rate**2, expected_rate], rtol=1e-12, atol=0,
                 what="(lr, beta, rate) of optimal_momentum(1, 10)",
                 alternatives={"rate of plain GD (kappa - 1) / (kappa + 1)": [4 / (root + 1) ** 2, expected_rate**2, 9 / 11]})


def test_optimal_momentum_rate_is_measured_on_a_run_and_beats_every_neighbour():
    curvatures = np.array([1.0, 3.0, 10.0])
    lr, beta, rate = optimal_momentum(1.0, 10.0)
    path = heavy_ball(lr, curvatures, beta, np.array([1.0, 1.0, 1.0]), 400)
    norms = np.linalg.norm(path, axis=1)
    measured = (norms[400] / norms[200]) ** (1 / 200)
    # At the optimum the extreme curvatures have a double root, so the error decays like t * rate**t:
    # over steps 200-400 that adds a factor 2**(1/200) = 1.0035 to the measured rate; 1% covers it.
    assert abs(measured / rate - 1) < 0.01, f"measured rate {measured:.5f}, optimal_momentum says {rate:.5f}"
    assert measured < 0.6 < 9 / 11, "momentum should beat plain GD's best rate 9/11 = 0.818"

    def worst_radius(lr_, beta_):
        return max(np.abs(np.roots([1, -(1 + beta_ - lr_ * lam), beta_])).max() for lam in curvatures)

    for lr_, beta_ in [(lr * 0.95, beta), (lr * 1.05, beta), (lr, beta * 0.9), (lr, min(beta * 1.1, 0.99))]:
        assert worst_radius(lr_, beta_) > rate, f"lr={lr_:.4f}, beta={beta_:.4f} should converge more slowly than the optimum"


def test_steps_per_factor_of_e_at_kappa_1000_gd_500_momentum_16():
    # The notes' numbers (stage 3, sections 2 and 3): at its best, GD contracts by (kappa - 1) / (kappa + 1) per step
    # and needs -1 / ln((kappa - 1) / (kappa + 1)) = 500.0 steps per factor of e at kappa = 1000 (not 1000: the
    # log of 999/1001 is -2/1000 to first order); tuned momentum needs -1 / ln(rate) = 15.8 with rate from sqrt(kappa).
    lr, beta, rate = optimal_momentum(1.0, 1000.0)
    kappa = 1000.0
    gd_steps, momentum_steps = -1 / np.log((kappa - 1) / (kappa + 1)), -1 / np.log(rate)
    assert_close([gd_steps, momentum_steps], [500.0, 15.8], rtol=0, atol=0.05,
                 what="steps per factor of e at kappa = 1000: [GD at its optimal lr, heavy ball at optimal_momentum]",
                 alternatives={"momentum's rate taken as GD's (kappa - 1) / (kappa + 1)": [500.0, 500.0]})
    # Measured on a run of heavy ball on curvatures {1, 1000}: the error's decay from step 200 to step 400.
    path = heavy_ball(lr, np.array([1.0, 1000.0]), beta, np.array([1.0, 1.0]), 400)
    measured = -200 / np.log(np.linalg.norm(path[400]) / np.linalg.norm(path[200]))
    # The double root adds a factor t: ln(400 / 200) / 200 = 0.0035 per step on top of 1/15.8 = 0.063 (5.5%).
    assert abs(measured / momentum_steps - 1) < 0.08, f"measured {measured:.1f} steps per factor of e, predicted {momentum_steps:.1f}"
