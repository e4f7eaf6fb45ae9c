"""Task 3.2: the regimes of gradient descent, the critical and the optimal learning rate, measured."""
import numpy as np
import pytest

from learndyn import Tensor
from learndyn.dynamics import (classify_regime, convergence_rate, critical_learning_rate, optimal_convergence_rate,
                               optimal_learning_rate)
from learndyn.experiments import stability
from oracle import assert_close
from oracle.stage3_plain_parameters import PlainGradientDescent

pytestmark = pytest.mark.task("3.2")

EIGENVALUES = np.array([1.0, 3.0, 10.0])
ROTATION, _ = np.linalg.qr(np.random.default_rng(21).normal(size=(3, 3)))
HESSIAN = ROTATION @ np.diag(EIGENVALUES) @ ROTATION.T  # the same spectrum, not diagonal


def test_closed_forms_when_lam_min_is_not_1():
    # lam = {0.4, 2, 3}: kappa = 7.5 (with lam_min = 1, kappa = lam_max * lam_min = lam_max // lam_min = lam_max).
    hessian = ROTATION @ np.diag([0.4, 2.0, 3.0]) @ ROTATION.T
    assert_close(optimal_convergence_rate(hessian), 6.5 / 8.5, rtol=1e-12, atol=0, what="optimal rate at kappa = 3 / 0.4",
                 alternatives={"kappa = lam_max * lam_min": 0.2 / 2.2, "kappa by floor division //": 6 / 8})
    assert_close(optimal_learning_rate(hessian), 2 / 3.4, rtol=1e-12, atol=0, what="optimal lr 2 / (lam_min + lam_max)")


def test_closed_forms_for_eigenvalues_1_3_10():
    # eigvalsh of a rotated diagonal is exact to ~1e-15 relative.
    assert_close(critical_learning_rate(HESSIAN), 0.2, rtol=1e-12, atol=0, what="critical lr 2 / lam_max",
                 alternatives={"1 / lam_max": 0.1, "2 / lam_min": 2.0})
    assert_close(optimal_learning_rate(HESSIAN), 2 / 11, rtol=1e-12, atol=0, what="optimal lr 2 / (lam_min + lam_max)",
                 alternatives={"1 / lam_max": 0.1})
    assert_close(optimal_convergence_rate(HESSIAN), 9 / 11, rtol=1e-12, atol=0, what="optimal rate (kappa - 1) / (kappa + 1)",
                 alternatives={"1 - 1 / kappa": 0.9})
    lrs = np.array([0.05, 0.1, 2 / 11, 0.2, 0.25])
    expected = [np.abs(1 - lr * EIGENVALUES).max() for lr in lrs]
    assert_close([convergence_rate(HESSIAN, lr) for lr in lrs], expected, rtol=1e-12, atol=1e-15,
                 what=f"convergence rate max |1 - lr lam| at lr = {lrs}")


def tensor_gradient_descent(lr: float, steps: int, start: np.ndarray) -> np.ndarray:
    """Plain GD on 0.5 theta.H theta with your Tensor's autodiff; returns the iterates (steps + 1, 3)."""
    theta, path = start.copy(), [start.copy()]
    for _ in range(steps):
        variable = Tensor(theta, requires_grad=True)
        (0.5 * (variable * (variable @ HESSIAN)).sum()).backward()
        theta = theta - lr * variable.grad
        path.append(theta)
    return np.array(path)


def test_measured_divergence_threshold_is_the_critical_learning_rate():
    start = np.array([1.0, -0.5, 0.25])
    low, high = 0.05, 1.0
    for _ in range(14):
        middle = (low + high) / 2
        path = tensor_gradient_descent(middle, 120, start)
        grows = np.linalg.norm(path[-1]) > np.linalg.norm(path[60])
        low, high = (low, middle) if grows else (middle, high)
    measured = (low + high) / 2
    # Bisection to 0.95 / 2**14 = 6e-5; within 0.5% of 0.2 the top mode changes by >= 1.01 per step, >= 1.8x
    # over the 60 steps compared: the edge is resolved to better than 0.5%.
    assert abs(measured / critical_learning_rate(HESSIAN) - 1) < 5e-3, (
        f"GD diverges from lr = {measured:.5f}; critical_learning_rate says {critical_learning_rate(HESSIAN):.5f}")


def test_optimal_learning_rate_contracts_the_error_by_9_over_11_per_step():
    lr = optimal_learning_rate(HESSIAN)
    path = tensor_gradient_descent(lr, 60, np.array([1.0, -0.5, 0.25]))
    norms = np.linalg.norm(path, axis=1)
    ratios = norms[41:] / norms[40:-1]
    # At lr = 2/11 both extreme directions shrink by exactly 9/11 (one flipping sign), the middle one by 5/11:
    # after 40 steps its share is (5/9)**40 ~ 6e-11, so the norm ratio is 9/11 to ~1e-10.
    assert_close(ratios, np.full(ratios.shape, 9 / 11), rtol=1e-8, atol=0,
                 what="ratio of successive error norms at the optimal lr (steps 40-60)")
    assert_close(optimal_convergence_rate(HESSIAN), ratios.mean(), rtol=1e-8, atol=0, what="predicted vs measured optimal rate")


def observed_regime(jacobian: np.ndarray, start: np.ndarray, steps: int = 40) -> str:
    """Run x <- J x and name what happened: grows, turns (changes sign or rotates) along an eigen-direction, or neither."""
    path = [start]
    for _ in range(steps):
        path.append(jacobian @ path[-1])
    path = np.array(path)
    if np.linalg.norm(path[-1]) > np.linalg.norm(path[0]):
        return "diverging"
    _, vectors = np.linalg.eig(jacobian)
    coordinates = np.linalg.solve(vectors, path.T).T  # the run in the eigenbasis
    visible = np.abs(coordinates) > 1e-9 * np.abs(coordinates[0]).max()  # ignore directions already shrunk to rounding
    turns = (np.abs(np.angle(coordinates[1:] * np.conj(coordinates[:-1]))) > 1e-6) & visible[1:] & visible[:-1]
    return "oscillating" if turns.any() else "monotone"


@pytest.mark.parametrize("lr", [0.05, 0.09, 0.11, 0.15, 0.19, 0.21, 0.3])
def test_classify_regime_predicts_what_the_run_does(lr):
    jacobian = np.eye(3) - lr * HESSIAN
    start = ROTATION @ np.array([1.0, 1.0, 1.0])
    assert classify_regime(jacobian) == observed_regime(jacobian, start), (
        f"lr = {lr} (lr * lam = {lr * EIGENVALUES}): classify_regime says {classify_regime(jacobian)!r}, "
        f"the run is {observed_regime(jacobian, start)!r}")


# Complex eigenvalues with every sign of the real part: a spiral is judged by its modulus, never by its real
# part alone (at angle 2.0 a diverging spiral of modulus 1.27 has real part -0.53; at pi/2 the real part is 0).
@pytest.mark.parametrize("angle", [0.4, 1.2, np.pi / 2, 2.0, 2.9])
@pytest.mark.parametrize("scale,expected", [(0.9, "oscillating"), (1.1, "diverging"), (1.27, "diverging")])
def test_complex_eigenvalues_rotate_the_error(scale, expected, angle):
    jacobian = scale * np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    got = classify_regime(jacobian)
    assert got == expected == observed_regime(jacobian, np.array([1.0, 0.0])), (
        f"a rotation by {angle:.3g} rad scaled by {scale} (eigenvalues {scale:.3g} e^(+-i {angle:.3g}), real part "
        f"{scale * np.cos(angle):.3g}): classify_regime says {got!r}, expected {expected!r}. Judge growth by the "
        "modulus |mu| (np.abs of the complex eigenvalue), not by the real part; a rotation is an oscillation.")


def test_the_edge_and_the_tolerance():
    # tol is what separates rounding from growth: at |mu| = 1 + 5e-4 with tol = 1e-3 nothing grows faster than
    # the tolerance allows, at 1 + 2e-3 it does; a mode at 1 - 5e-4 shrinks without overshooting.
    assert classify_regime(np.diag([-(1 + 5e-4), 0.5]), tol=1e-3) == "oscillating", (
        "|mu| = 1.0005 with tol = 1e-3 is not diverging: diverging means max |mu| > 1 + tol")
    assert classify_regime(np.diag([1 + 2e-3, 0.5]), tol=1e-3) == "diverging", "|mu| = 1.002 > 1 + tol (tol = 1e-3)"
    assert classify_regime(np.diag([1 - 5e-4, 0.5]), tol=1e-3) == "monotone", (
        "|mu| = 0.9995 with tol = 1e-3 shrinks without changing sign: monotone (is the test max |mu| > 1 - tol?)")
    # Small real parts inside the tolerance are rounding, not overshoot: mu = -5e-4 with tol = 1e-3 is monotone.
    assert classify_regime(np.diag([-5e-4, 0.5]), tol=1e-3) == "monotone", (
        "mu = -0.0005 with tol = 1e-3 is rounding around 0, not an overshoot: oscillating needs real part < -tol")
    assert classify_regime(np.diag([5e-4, 0.5]), tol=1e-3) == "monotone", (
        "mu = +0.0005 shrinks without changing sign: oscillating needs real part < -tol (not < tol)")


@pytest.mark.parametrize("tol", [0.0, 1e-12])
def test_exact_ties_with_any_tolerance(tol):
    # lr * lam = 1 exactly gives mu = 0 (the mode is gone after one step: no overshoot), lr * lam = 2 exactly gives
    # mu = -1 (it flips sign at constant size: the edge, not divergence). A tolerance of 0 must keep both.
    assert classify_regime(np.diag([0.0, 0.5]), tol=tol) == "monotone", (
        f"mu = 0 (lr * lam = 1) with tol = {tol}: the mode reaches the minimum in one step, monotone; "
        "oscillating needs real part strictly below -tol and |imag| strictly above tol")
    assert classify_regime(np.diag([-1.0, 0.5]), tol=tol) == "oscillating", (
        f"mu = -1 exactly (lr = 2 / lam_max) with tol = {tol}: the error flips sign at constant size, not diverging "
        "(diverging means max |mu| > 1 + tol, strictly)")


def test_needs_positive_curvature():
    with pytest.raises(ValueError, match="eigenvalue"):
        critical_learning_rate(-HESSIAN)
    with pytest.raises(ValueError, match="eigenvalue"):
        optimal_learning_rate(np.diag([0.0, 1.0]))
    assert_close(critical_learning_rate(np.diag([-1.0, 4.0])), 0.5, rtol=1e-12, atol=0,
                 what="critical lr of a saddle with lam_max = 4 (only lam_max must be > 0)")


@pytest.fixture(scope="module")
def stability_runs():
    # A shorter version of the experiment (the figure's run uses 4 amplitudes, 7 factors, longer pre-training).
    # Its SGD (plain gradient descent here) is task 3.5, which comes later: the tests' own plain GD stands in.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(stability, "SGD", PlainGradientDescent)
        return stability.run(amplitudes=(0.5, 3.0), factors=(0.5, 0.9, 1.1, 5.0), steps=80, pretrain_rounds=2, pretrain_steps=150)


def test_training_an_mlp_is_stable_exactly_below_two_over_sharpness(stability_runs):
    result = stability_runs
    assert_close(result.critical, 2 / result.sharpness, rtol=1e-12, atol=0, what="critical lr at each minimum vs 2 / lam_max")
    for p, outcomes in enumerate(result.outcomes):
        # Near a minimum the quadratic model holds: 0.9 x critical keeps every direction shrinking,
        # 1.1 x makes the sharpest one grow by |1 - 2.2| = 1.2 per step, 5 x by 9 per step.
        assert outcomes[:2] == ["converge", "converge"], f"amplitude {result.amplitudes[p]}: {outcomes}\n{result.summary()}"
        assert outcomes[2] != "converge", f"amplitude {result.amplitudes[p]}: 1.1 x critical should leave the minimum\n{result.summary()}"
        assert outcomes[3] == "explode", f"amplitude {result.amplitudes[p]}: 5 x critical should blow up\n{result.summary()}"
    assert result.sharpness[1] > 2 * result.sharpness[0], "a larger target amplitude should give a sharper minimum"
    assert "0.9 x critical" in result.summary()
