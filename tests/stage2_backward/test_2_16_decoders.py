"""Task 2.16: population-vector and maximum-likelihood decoders, and the Cramer-Rao bound.

Laws: the ML decoder's variance times the Fisher information is about 1 (it reaches the
Cramer-Rao bound); its variance falls like 1/N; the population vector is unbiased for cosine
tuning but above the bound, with the variance of its small-noise formula.
"""
import numpy as np
import pytest

from learndyn.credit.decoders import maximum_likelihood, population_vector
from learndyn.credit.population import PopulationCode, cosine_population, gaussian_population
from oracle import assert_close

pytestmark = pytest.mark.task("2.16")


def wrapped(angle_error):
    return np.angle(np.exp(1j * angle_error))


def test_population_vector_is_the_direction_of_the_summed_votes():
    rng = np.random.default_rng(4)
    preferred = rng.uniform(-np.pi, np.pi, size=7)
    counts = rng.poisson(5.0, size=(6, 7)).astype(float) + 1
    votes = counts @ np.exp(1j * preferred)
    # np.angle of the complex sum against the learner's real arithmetic: rounding only.
    assert_close(population_vector(counts, preferred), np.angle(votes), rtol=0, atol=1e-12,
                 what="population_vector: angle of sum_i n_i * exp(1j * preferred_i), per trial",
                 alternatives={"arctan(y / x) loses the quadrant: use np.arctan2(y, x)": np.arctan(votes.imag / votes.real),
                               "arguments of arctan2 swapped": np.arctan2(votes.real, votes.imag)})


def test_maximum_likelihood_finds_the_peak_of_the_poisson_likelihood():
    code = gaussian_population(12, peak_rate=10.0, width=0.8, baseline=0.5)
    counts = code.sample_counts(0.4, trials=5, rng=np.random.default_rng(5))
    fine = np.linspace(-4, 4, 160001)  # spacing 5e-5
    rates = code.baseline + code.peak_rate * np.exp(-(fine[:, None] - code.preferred) ** 2 / (2 * code.width**2))
    log_likelihood = counts @ np.log(rates).T - code.duration * rates.sum(axis=1)
    expected = fine[np.argmax(log_likelihood, axis=1)]
    # The oracle's maximum is within half a spacing (2.5e-5) of the true one; the learner's converged scoring is
    # exact to ~1e-9; a coarse grid alone would be off by up to 0.02.
    assert_close(maximum_likelihood(counts, code, np.linspace(-4, 4, 201)), expected, rtol=0, atol=4e-5,
                 what="maximum_likelihood on a 201-point grid, refined, against a 400001-point grid search",
                 alternatives={"best grid point without refinement": np.linspace(-4, 4, 201)[np.argmin(np.abs(np.linspace(-4, 4, 201)[:, None] - expected), axis=0)]})


def test_ml_decoder_reaches_the_cramer_rao_bound_and_variance_falls_as_one_over_n():
    rng = np.random.default_rng(6)
    stimulus, sizes, variances, products = 0.3, (16, 32, 64, 128), [], []
    for n_units in sizes:
        code = gaussian_population(n_units)
        estimates = maximum_likelihood(code.sample_counts(stimulus, 2000, rng), code, np.linspace(-4, 4, 401))
        variances.append(np.mean((estimates - stimulus) ** 2))
        products.append(variances[-1] * code.fisher_information(stimulus))
    # Sample mean square error of 2000 trials: relative sd sqrt(2 / 2000) = 0.032; the ML decoder's bias and
    # excess variance are O(1 / I_F) < 1% here (I_F >= 146).  Band +-0.15 (~4.5 sd).
    assert_close(products, np.ones(4), rtol=0, atol=0.15, what="ML mean squared error * Fisher information for N = 16, 32, 64, 128 (Cramer-Rao: 1)")
    slope = np.polyfit(np.log(sizes), np.log(variances), 1)[0]
    # log-variance sd 0.032 each over log N in [2.8, 4.9]: slope sd ~0.02; I_F ~ N - 1 bends it to -1.03.  Band +-0.1.
    assert abs(slope + 1) < 0.1, f"ML decoding variance ~ N**{slope:.3f}, predicted N**-1 (Fisher information adds over units)"


def test_population_vector_is_unbiased_but_above_the_bound():
    baseline, angle = 1.0, 1.0
    code = cosine_population(64, baseline=baseline)
    counts = code.sample_counts(angle, 3000, np.random.default_rng(7))
    errors = wrapped(population_vector(counts, code.preferred) - angle)
    ml_errors = wrapped(maximum_likelihood(counts, code, np.linspace(angle - np.pi, angle + np.pi, 361)) - angle)
    fisher = code.fisher_information(angle)
    # Small-noise formula: the perpendicular part of the vote noise over the mean resultant T * peak * N / 4,
    # variance = 8 * (baseline + peak / 2) / (T * peak**2 * N).
    predicted = 8 * (baseline + code.peak_rate / 2) / (code.duration * code.peak_rate**2 * code.n_units)
    # 3000 trials: mean error sd sqrt(var / 3000) ~ 1.7e-3; variance relative sd sqrt(2 / 3000) = 0.026 (bands ~4 sd).
    # Measured var * I_F: 1.47 (baseline 0.5) and 1.30 (baseline 2) for the population vector, 0.96-1.05 for ML.
    assert abs(errors.mean()) < 0.01, f"population vector bias {errors.mean():.4f} rad, predicted 0 for evenly spaced cosine units"
    assert abs(np.var(errors) / predicted - 1) < 0.1, f"population vector variance {np.var(errors):.3e}, small-noise formula {predicted:.3e}"
    assert np.var(errors) * fisher > 1.15, f"population vector variance * I_F = {np.var(errors) * fisher:.3f}: should be above the Cramer-Rao bound 1"
    assert abs(np.mean(ml_errors**2) * fisher - 1) < 0.1, f"ML on the same counts: variance * I_F = {np.mean(ml_errors**2) * fisher:.3f}, predicted 1"


def test_maximum_likelihood_picks_the_higher_of_two_peaks():
    # Two clusters of units (2 on the left, 4 on the right) and counts that fit both: the likelihood has two peaks,
    # and which is higher depends on the term -T * sum_i f_i(s) (the right cluster's total rate is larger). With
    # T = 3 the left peak wins; weighing the total rate by 1 (or adding T instead of multiplying) picks the right one.
    code = PopulationCode(np.array([-2.0, -1.6, 1.0, 1.3, 1.6, 1.9]), kind="gaussian", peak_rate=10.0, width=0.4,
                          baseline=0.5, duration=3.0)
    counts = np.array([[5.0, 1.0, 0.0, 0.0, 4.0, 4.0], [1.0, 0.0, 4.0, 2.0, 5.0, 0.0], [2.0, 1.0, 2.0, 8.0, 3.0, 3.0]])
    fine = np.linspace(-3, 3, 60001)  # spacing 1e-4
    rates = code.baseline + code.peak_rate * np.exp(-(fine[:, None] - code.preferred) ** 2 / (2 * code.width**2))
    log_f = np.log(rates).T
    expected = fine[np.argmax(counts @ log_f - code.duration * rates.sum(axis=1), axis=1)]
    wrong_weight = fine[np.argmax(counts @ log_f - rates.sum(axis=1), axis=1)]
    # The fine grid's maximum is within half a spacing (5e-5) of the true one; converged scoring is exact to ~1e-9.
    assert_close(maximum_likelihood(counts, code, np.linspace(-3, 3, 121)), expected, rtol=0, atol=1e-4,
                 what="maximum_likelihood where the likelihood has two peaks (T = 3), against a 60001-point grid search",
                 alternatives={"the total rate not weighed by the duration T (log L = counts @ log f - T * sum f)": wrong_weight})


@pytest.mark.parametrize("grid", [np.linspace(-1.8, 3.0, 97), np.linspace(-3.0, 1.5, 91)], ids=["left edge", "right edge"])
def test_maximum_likelihood_stays_on_the_grid_when_the_peak_lies_beyond_it(grid):
    # Counts that only one cluster explains, with that cluster's peak (about -2, or about 1.6-1.9) outside the grid:
    # the likelihood on the grid is largest at its edge, and the decoder must return exactly grid[0] or grid[-1].
    code = PopulationCode(np.array([-2.0, -1.6, 1.0, 1.3, 1.6, 1.9]), kind="gaussian", peak_rate=10.0, width=0.4,
                          baseline=0.5, duration=3.0)
    counts = np.array([[30.0, 8.0, 0.0, 0.0, 0.0, 0.0]]) if grid[0] > -2 else np.array([[0.0, 0.0, 0.0, 2.0, 25.0, 30.0]])
    edge = grid[0] if grid[0] > -2 else grid[-1]
    got = maximum_likelihood(counts, code, grid)
    assert got.shape == (1,) and got[0] == edge, (
        f"the likelihood peaks beyond the grid [{grid[0]}, {grid[-1]}]: the estimate must be clipped to the grid's own "
        f"edge {edge} (np.clip(..., grid[0], grid[-1])), got {got}")


def test_fisher_scoring_stops_once_the_steps_are_below_the_tolerance():
    calls = []

    class CountingCode(PopulationCode):
        def fisher_information(self, stimulus):
            calls.append(1)
            return super().fisher_information(stimulus)

    base = gaussian_population(12, peak_rate=10.0, width=0.8, baseline=0.5)
    code = CountingCode(base.preferred, kind="gaussian", peak_rate=10.0, width=0.8, baseline=0.5, duration=base.duration)
    counts = base.sample_counts(0.4, trials=5, rng=np.random.default_rng(5))
    maximum_likelihood(counts, code, np.linspace(-4, 4, 201))
    # From the best of 201 grid points scoring converges linearly, by a factor well below 1/2 per step here:
    # a few dozen steps at most reach 1e-8; a run that never recognises convergence takes every one of its 100.
    assert len(calls) < 40, (f"{len(calls)} Fisher scoring steps: stop once every trial's step |refined - estimate| is "
                             "below the tolerance")
