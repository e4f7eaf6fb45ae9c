"""Task 4.9: optimizer trajectories, and what the geometry does to them."""
import numpy as np
import pytest

from learndyn.landscape import optimizer_trajectory, surfaces
from learndyn.optim import SGD, Adam, RMSprop
from oracle import assert_close

pytestmark = pytest.mark.task("4.9")

STEEP = 25.0  # the quadratic 0.5 * (x**2 + 25 y**2): curvatures 1 (along x) and 25 (across, y)
START = (-4.5, 1.5)
TOL = 1e-6


def steps_to_tolerance(path, tolerance=TOL):
    close = np.flatnonzero(np.linalg.norm(path, axis=1) < tolerance)
    return int(close[0]) if close.size else None


def test_gd_path_on_the_quadratic_is_the_closed_form():
    lr = 0.07
    path = optimizer_trajectory(surfaces.ill_conditioned_quadratic, START, lambda p: SGD(p, lr=lr), 30)
    t = np.arange(31)[:, None]
    expected = np.array(START) * np.array([1 - lr, 1 - lr * STEEP]) ** t  # each coordinate multiplied by 1 - lr * curvature
    assert path.shape == (31, 2), f"steps=30 gives 31 points (start included), got shape {path.shape}"
    assert_close(path, expected, rtol=1e-12, atol=1e-15, what="GD path (step, coordinate): x_t = (1 - lr)^t x_0, y_t = (1 - 25 lr)^t y_0",
                 alternatives={"path[t] recorded before the update (off by one step)": np.vstack([expected[:1], expected[:-1]])})


def test_gd_zig_zags_across_the_valley_and_momentum_gets_there_faster():
    lr = 0.07  # stable: 0.07 < 2 / 25 = 0.08, but 1 - 0.07 * 25 = -0.75 < 0
    gd = optimizer_trajectory(surfaces.ill_conditioned_quadratic, START, lambda p: SGD(p, lr=lr), 300)
    flips = np.sign(gd[1:51, 1]) != np.sign(gd[:50, 1])
    assert flips.all(), f"at lr={lr} the steep coordinate y must change sign every step (factor -0.75); it did not at steps {np.flatnonzero(~flips) + 1}"
    gd_steps = steps_to_tolerance(gd)
    # Prediction: x shrinks by (1 - lr) per step and dominates, so |x_t| < TOL once t > log(TOL / 4.5) / log(0.93) = 210.9.
    predicted = int(np.ceil(np.log(TOL / abs(START[0])) / np.log(1 - lr)))
    assert gd_steps is not None and abs(gd_steps - predicted) <= 1, f"GD reached {TOL} after {gd_steps} steps, predicted {predicted}"
    # Heavy ball with the optimal setting lr = 4 / (1 + 5)**2, momentum = (4 / 6)**2 contracts like (2/3)^t (times t):
    momentum = optimizer_trajectory(surfaces.ill_conditioned_quadratic, START, lambda p: SGD(p, lr=1 / 9, momentum=4 / 9), 300)
    momentum_steps = steps_to_tolerance(momentum)
    rate_bound = int(np.ceil(np.log(TOL / np.linalg.norm(START)) / np.log(2 / 3)))  # 39, before the factor t
    assert momentum_steps is not None and momentum_steps < gd_steps / 3, (
        f"momentum should reach {TOL} in far fewer steps than GD's {gd_steps} (rate 2/3 vs 0.93): got {momentum_steps}")
    assert rate_bound <= momentum_steps <= 2 * rate_bound, f"momentum took {momentum_steps} steps; rate 2/3 predicts {rate_bound} to {2 * rate_bound}"


ROSENBROCK_SETTINGS = {  # tuned by hand; steps from (-1.5, 2.0) to within 1e-2 of (1, 1) measured on the reference
    "GD": (lambda p: SGD(p, lr=0.002), 3000),  # ~2500 steps: lr < 2 / 1002 (the curvature across the valley at (1, 1))
    "momentum": (lambda p: SGD(p, lr=0.0015, momentum=0.9), 1200),  # ~680
    "Nesterov": (lambda p: SGD(p, lr=0.001, momentum=0.9, nesterov=True), 1200),  # ~1020
    "RMSprop": (lambda p: RMSprop(p, lr=0.001, momentum=0.9), 1200),  # ~1030
    "Adam": (lambda p: Adam(p, lr=0.05), 1500),  # ~1200
}


@pytest.mark.parametrize("method", ROSENBROCK_SETTINGS)
def test_every_method_ends_in_rosenbrocks_minimum(method):
    make, steps = ROSENBROCK_SETTINGS[method]
    with np.errstate(over="ignore", invalid="ignore"):
        path = optimizer_trajectory(surfaces.rosenbrock, (-1.5, 2.0), make, steps)
    distance = np.linalg.norm(path[-1] - [1.0, 1.0])
    assert distance < 1e-2, f"{method} ended at {path[-1]}, {distance:.3g} from the minimum (1, 1) after {steps} steps"
    assert path[0].tolist() == [-1.5, 2.0]


def test_trajectories_experiment_reports_the_steps_the_notes_quote_and_momentums_overshoot():
    from learndyn.experiments import trajectories

    result = trajectories.run(surfaces=("quadratic",))
    # The experiment counts steps to 1e-6 on the quadratic (the tolerance it prints), as the test above: GD 212
    # (predicted 211), heavy ball 47 (rate 2/3 with its factor t). Deterministic runs: exact step counts.
    assert (result.steps_to("quadratic", "GD"), result.steps_to("quadratic", "momentum")) == (212, 47), result.summary()
    assert "212 steps" in result.summary() and "within 1e-06" in result.summary(), result.summary()
    # Momentum does not average the bounces: at lr = 1/9 (above GD's 2/25) its first step multiplies y by
    # 1 - 25/9 = -16/9 and the buffer carries it further, y_2 = (13/9 - 25/9) y_1 - (4/9) y_0 = 156/81 y_0 = 1.93 y_0,
    # the largest |y| of the run; GD's largest is its first step, 0.75 |y_0|. Exact up to rounding.
    momentum, gd = result.overshoot("quadratic", "momentum"), result.overshoot("quadratic", "GD")
    assert_close([gd, momentum], [0.75, 156 / 81], rtol=1e-9, atol=0,
                 what="largest |y| after the start / |y_0| on the quadratic: [GD, momentum]")
