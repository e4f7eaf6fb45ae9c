"""Task 2.15: tuning curves, Poisson spike counts and Fisher information."""
import numpy as np
import pytest

from learndyn.credit.population import PopulationCode, cosine_population, gaussian_population
from oracle import assert_close

pytestmark = pytest.mark.task("2.15")

PREFERRED = np.array([-1.2, -0.3, 0.0, 0.4, 1.7])
STIMULI = np.array([[-0.8, 0.25], [0.9, 2.2]])  # a (2, 2) batch: rates must have shape (2, 2, 5)


def oracle_rates(kind, s, preferred, peak, width, baseline):
    offset = np.asarray(s)[..., None] - preferred
    if kind == "gaussian":
        return baseline + peak * np.exp(-offset**2 / (2 * width**2))
    return baseline + peak * (1 + np.cos(offset)) / 2


# The kind also as a string built at run time (read from a file, say): a string compared with `is` instead of ==
# matches only the interned literal.
@pytest.mark.parametrize("kind", ["gaussian", "cosine", "".join(["gauss", "ian"])], ids=["gaussian", "cosine", "gaussian-built"])
def test_rates_and_slopes_match_the_tuning_formulas(kind):
    code = PopulationCode(PREFERRED, kind=kind, peak_rate=15.0, width=0.7, baseline=2.0)
    expected = oracle_rates(kind, STIMULI, PREFERRED, 15.0, 0.7, 2.0)
    # Closed form evaluated in a different order: rounding only.
    assert_close(code.rates(STIMULI), expected, rtol=1e-12, atol=1e-12, what=f"{kind} rates f_i(s), stimuli (2, 2) x 5 units",
                 alternatives={"baseline left out": expected - 2.0, "width used as a variance (no square)":
                               oracle_rates(kind, STIMULI, PREFERRED, 15.0, np.sqrt(0.7), 2.0)})
    eps = 1e-6
    slope = (oracle_rates(kind, STIMULI + eps, PREFERRED, 15.0, 0.7, 2.0) - oracle_rates(kind, STIMULI - eps, PREFERRED, 15.0, 0.7, 2.0)) / (2 * eps)
    # Central differences of rates of size ~20: truncation eps**2 |f'''| / 6 ~ 1e-11, rounding 20 * 1e-16 / eps ~ 2e-9: atol 1e-7.
    assert_close(code.slopes(STIMULI), slope, rtol=1e-7, atol=1e-7, what=f"{kind} slopes f_i'(s) against central differences",
                 alternatives={"wrong sign (d/d preferred instead of d/d s)": -slope})


def test_fisher_information_matches_its_definition():
    code = PopulationCode(PREFERRED, kind="gaussian", peak_rate=15.0, width=0.7, baseline=2.0, duration=0.5)
    rates = oracle_rates("gaussian", STIMULI, PREFERRED, 15.0, 0.7, 2.0)
    offset = STIMULI[..., None] - PREFERRED
    slopes = -(rates - 2.0) * offset / 0.7**2
    expected = 0.5 * np.sum(slopes**2 / rates, axis=-1)
    assert_close(code.fisher_information(STIMULI), expected, rtol=1e-10, atol=1e-12,
                 what="fisher_information = T * sum_i f_i'(s)**2 / f_i(s), shape of the stimuli (2, 2)",
                 alternatives={"duration T left out": expected / 0.5, "sum of f'**2 without dividing by f": 0.5 * np.sum(slopes**2, axis=-1)})


def test_counts_are_poisson_with_mean_and_variance_t_times_f():
    code = PopulationCode(PREFERRED, kind="gaussian", peak_rate=15.0, width=0.7, baseline=2.0, duration=0.8)
    counts = code.sample_counts(0.25, trials=20000, rng=np.random.default_rng(3))
    expected = 0.8 * oracle_rates("gaussian", 0.25, PREFERRED, 15.0, 0.7, 2.0)
    assert counts.shape == (20000, 5) and np.all(counts == np.round(counts)) and np.all(counts >= 0), "counts: (trials, N) non-negative integers"
    # Sample mean of 20000 Poisson(mu): sd sqrt(mu / 20000) <= 0.025 for mu <= 13.6: atol 0.12 (5 sd).
    assert_close(counts.mean(axis=0), expected, rtol=0, atol=0.12, what="mean spike count of each unit = T * f_i(s)",
                 alternatives={"duration T left out": expected / 0.8})
    # Poisson: variance = mean (Fano factor 1). Sample variance sd ~ mu * sqrt(2 / 20000) ~ 0.01 mu: rtol 0.06.
    assert_close(counts.var(axis=0), expected, rtol=0.06, atol=0.02, what="variance of each unit's count = T * f_i(s) (Poisson)")


def test_fisher_information_grows_with_units_and_time():
    # Evenly spaced units over [-4, 4]: each unit's share f'**2 / f is summed over a grid of spacing 8 / (N - 1),
    # so I_F is close to proportional to N - 1; doubling T doubles every count, hence I_F.
    small, large = gaussian_population(33).fisher_information(0.3), gaussian_population(65).fisher_information(0.3)
    assert abs(large / small - 2) < 0.02, f"I_F with 65 units / with 33 units = {large / small:.4f}, predicted 2 (information adds over units)"
    longer = gaussian_population(33, duration=2.0).fisher_information(0.3)
    assert abs(longer / small - 2) < 1e-12, f"I_F with T = 2 / with T = 1 = {longer / small:.6f}, predicted 2"
    angles = cosine_population(40, baseline=1e-9).fisher_information(np.array([0.1, 2.0]))
    # Cosine tuning with (almost) no baseline: f' = -(peak/2) sin(d), f = (peak/2)(1 + cos(d)), so
    # f'**2 / f = (peak/2) sin(d)**2 / (1 + cos(d)) = (peak/2)(1 - cos(d)); over evenly spaced units the cosines
    # sum to 0: I_F = T * N * peak_rate / 2 at every angle (baseline 1e-9 changes it by ~1e-9 relative).
    assert_close(angles, [40 * 20.0 / 2] * 2, rtol=1e-6, atol=0, what="I_F of 40 cosine units, no baseline: T * N * peak_rate / 2")
