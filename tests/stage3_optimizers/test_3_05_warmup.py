"""Task 3.5: the warm-up experiment. Your SGD, driven by LinearLR, trains a network at a learning rate
12 times the stability limit 2 / lam_0 of its initialisation, because the sharpness falls first;
the same learning rate from the first step explodes."""
import numpy as np
import pytest

from learndyn.experiments import warmup
from oracle import assert_close

pytestmark = pytest.mark.task("3.5")

FACTOR, STEPS, WARMUP = 12.0, 600, 300


@pytest.fixture(scope="module")
def result():
    return warmup.run(factors=(4.0, FACTOR), shown=FACTOR, steps=STEPS, warmup=WARMUP, sharpness_every=100)


def test_a_constant_learning_rate_12x_above_two_over_sharpness_explodes_and_a_warmed_up_one_trains(result):
    runs = result.shown_runs()
    assert result.lam0 > 100, f"the initialisation should be sharp (output weights 8x too large): lam_0 = {result.lam0:.4g}"
    assert runs["constant"].outcome == "exploded", (
        f"SGD at lr = {FACTOR:g} x 2 / lam_0 from the first step multiplies the sharpest direction by "
        f"|1 - lr lam_0| = {FACTOR * 2 - 1:g} per step and should explode, but it {runs['constant'].outcome}")
    warm = runs["warm-up"]
    assert warm.outcome == "trained", (
        f"with a {WARMUP}-step warm-up to the same lr the run should train (final loss < 1% of the start), "
        f"but it {warm.outcome} after {len(warm.losses)} steps (final loss {warm.losses[-1]:.3g}, start {warm.losses[0]:.3g})")
    # The learning rate of every step is LinearLR's documented formula (written here from the PyTorch docs).
    peak = FACTOR * result.critical
    t = np.arange(len(warm.lrs))
    expected = peak * (0.02 + (1.0 - 0.02) * np.minimum(t, WARMUP) / WARMUP)
    assert_close(warm.lrs, expected, rtol=1e-12, atol=0, what="the learning rate of each step of the warm-up run")


def test_the_sharpness_falls_first_and_ends_at_the_edge_of_stability(result):
    warm = result.shown_runs()["warm-up"]
    edge = 2 / (FACTOR * result.critical)  # 2 / peak lr = lam_0 / 12
    at_end_of_warmup = result.sharpness_at(warm, WARMUP)
    # Measured: 292 -> 27.0 at step 300 (1.11 x the edge) and 24.5 at the end (1.01 x): the sharpness follows 2 / lr(t)
    # down, a little above it while a spike of the loss is on its way (up to ~1.5x for ~50 steps, seen between
    # measurements); 1.25x leaves room for that lag and still excludes staying anywhere near lam_0 (12x the edge).
    assert at_end_of_warmup < 1.25 * edge, (
        f"at the end of the warm-up the sharpness is {at_end_of_warmup:.4g}, expected at most about 2 / peak lr = {edge:.4g} "
        f"(it started at {result.lam0:.4g}): the warm-up should let it fall before the lr is at its peak")
    assert 0.8 * edge < warm.sharpness[-1] < 1.25 * edge, (
        f"after training at the peak lr the sharpness is {warm.sharpness[-1]:.4g}; gradient descent settles at the edge of "
        f"stability, 2 / lr = {edge:.4g} (within 20%)")


def test_a_moderate_rate_trains_either_way_and_the_summary_gives_the_numbers(result):
    constant = result.runs["constant"][0]  # factor 4
    assert constant.outcome == "trained" and constant.losses[:20].max() > constant.losses[0], (
        "at 4 x 2 / lam_0 a constant lr should train after one spike of the loss (the network is thrown to a flatter "
        f"region): outcome {constant.outcome}, largest of the first 20 losses {constant.losses[:20].max():.3g} "
        f"against the start {constant.losses[0]:.3g}")
    assert result.largest_trained_factor("warm-up") == FACTOR and result.largest_trained_factor("constant") == 4.0
    summary = result.summary()
    assert f"{result.lam0:.4g}" in summary and "exploded" in summary and "trained" in summary, summary
