"""Task 5.6: a two-layer linear network learns each mode along Saxe's sigmoid, in time ~ 1/s."""
import numpy as np
import pytest

from learndyn.flow import saxe_mode_strength, train_deep_linear
from oracle import assert_close

pytestmark = pytest.mark.task("5.6")

SINGULAR_VALUES = np.array([3.0, 2.0, 1.0])
U0 = 1e-3


def correlation(seed=0):
    """sigma_yx (5 outputs x 3 inputs) with singular values 3, 2, 1 and random singular vectors."""
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.normal(size=(5, 3)))
    V, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    return U @ np.diag(SINGULAR_VALUES) @ V.T


def logistic_by_hand(s, u0, t):
    """Solution of du/dt = 2 u (s - u), written as a logistic curve: s / (1 + (s/u0 - 1) e^{-2 s t})."""
    return s / (1 + (s / u0 - 1) * np.exp(-2 * s * t))


def test_formula_solves_the_mode_equation():
    t = np.linspace(0.0, 5.0, 11)
    for s in SINGULAR_VALUES:
        assert_close(saxe_mode_strength(s, U0, t), logistic_by_hand(s, U0, t), rtol=1e-12, atol=1e-15,
                     what=f"u(t) for s = {s}, u0 = {U0}",
                     alternatives={"exponent s t / tau instead of 2 s t / tau": logistic_by_hand(s, U0, t / 2)})
    assert_close(saxe_mode_strength(2.0, U0, np.array([1.0]), tau=2.0), logistic_by_hand(2.0, U0, np.array([0.5])),
                 rtol=1e-12, atol=1e-15, what="u(t = 1) with tau = 2 (time is measured in units of tau)")


@pytest.fixture(scope="module")
def runs():
    return {lr: train_deep_linear(correlation(), hidden=6, lr=lr, steps=round(6 / lr), u0=U0) for lr in (0.02, 0.01)}


def test_simulated_gd_follows_the_formula(runs):
    run = runs[0.01]
    assert_close(run.singular_values, SINGULAR_VALUES, rtol=1e-12, atol=0, what="singular values of sigma_yx")
    assert_close(run.mode_strengths[0], np.full(3, U0), rtol=1e-10, atol=0, what="mode strengths at the start (balanced init)")
    expected = np.column_stack([saxe_mode_strength(s, U0, run.times) for s in SINGULAR_VALUES])
    # GD at lr is Euler on the flow: the sigmoid is reached a time O(lr) early or late.  Measured
    # worst gap 0.067 (2.2% of s = 3) at lr = 0.01, halving with lr; 0.15 allows 2x and fails any
    # wrong rate (a factor-2 rate error shifts the rise by ~2 time units: gaps of order s).
    assert_close(run.mode_strengths, expected, rtol=0, atol=0.15, what="GD mode strengths vs Saxe's formula (t x modes)")
    gaps = [np.abs(r.mode_strengths - np.column_stack([saxe_mode_strength(s, U0, r.times) for s in SINGULAR_VALUES])).max()
            for r in (runs[0.02], runs[0.01])]
    assert 1.8 < gaps[0] / gaps[1] < 2.2, f"gap to the formula at lr = 0.02, 0.01: {gaps}; GD is O(lr) from the flow: ratio ~2"


def test_learning_time_is_inversely_proportional_to_the_singular_value(runs):
    half = runs[0.01].half_times()
    predicted = np.log(SINGULAR_VALUES / U0 - 1) / (2 * SINGULAR_VALUES)
    # Measured: within 1.1% of tau ln(s/u0 - 1) / (2 s) at lr = 0.01 (the O(lr) shift of GD).
    assert_close(half, predicted, rtol=0.03, atol=0, what="time for each mode to reach s/2 (s = 3, 2, 1)")
    scaled = half * SINGULAR_VALUES / np.log(SINGULAR_VALUES / U0 - 1)
    assert scaled.max() / scaled.min() < 1.03, f"t_half * s / ln(s/u0 - 1) = {scaled}: should be the same for every mode (= 1/2)"
    assert half[0] < half[1] < half[2], f"stronger modes are learned first: half times {half} for s = 3, 2, 1"


def test_saxe_experiment_reports_stagewise_learning():
    from learndyn.experiments import saxe

    result = saxe.run(t_final=7.0, lr=0.02)
    half = result.run.half_times()
    # Four modes s = 4, 2, 1, 0.5; at lr = 0.02 GD is within 2.5% of the flow's half-way times (measured).
    assert_close(half, result.predicted_half_times, rtol=0.04, atol=0, what="half-way times in the saxe experiment")
    assert np.all(np.diff(half) > 0) and "plateau" in result.summary()


@pytest.mark.parametrize("steps", [1, 5, 6], ids=["1 step", "5 steps", "6 steps"])
def test_every_row_of_a_short_run_is_recorded(steps):
    # A short run with an odd number of steps too: row k is the mode strengths after k steps, for k = 0 ... steps,
    # against the tests' own gradient descent on 0.5 ||sigma_yx - W2 W1||^2 from the same balanced start.
    from learndyn.flow.deep_linear import balanced_init

    sigma_yx, lr = correlation(), 0.05
    run = train_deep_linear(sigma_yx, hidden=6, lr=lr, steps=steps, u0=0.1, seed=3)
    U, _, Vt = np.linalg.svd(sigma_yx, full_matrices=False)
    w1, w2 = balanced_init(sigma_yx, 6, 0.1, np.random.default_rng(3))
    expected = []
    for _ in range(steps + 1):
        expected.append(np.diag(U.T @ w2 @ w1 @ Vt.T))
        error = sigma_yx - w2 @ w1
        w1, w2 = w1 + lr * w2.T @ error, w2 + lr * error @ w1.T
    # The same updates in another order of summation: rounding only, ~1e-15 relative over a few steps.
    assert_close(run.mode_strengths, np.array(expected), rtol=1e-10, atol=1e-13,
                 what=f"mode strengths after 0 ... {steps} steps (one row per step, the start included)")
