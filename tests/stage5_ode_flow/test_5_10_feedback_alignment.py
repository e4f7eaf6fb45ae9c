"""Task 5.10: feedback alignment learns, and its updates come to align with backprop's."""
import numpy as np
import pytest

from learndyn.neuro import train_feedback_alignment, update_angle_degrees

pytestmark = pytest.mark.task("5.10")


def test_update_angle():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(4, 3))
    b = rng.normal(size=(4, 3))
    by_hand = np.degrees(np.arccos(np.sum(a * b) / np.linalg.norm(a) / np.linalg.norm(b)))
    assert abs(update_angle_degrees(a, b) - by_hand) < 1e-9, "angle between flattened updates"
    assert abs(update_angle_degrees(a, 3 * a)) < 1e-6 and abs(update_angle_degrees(a, -a) - 180) < 1e-6
    assert abs(update_angle_degrees(np.array([1.0, 0.0]), np.array([0.0, 2.0])) - 90) < 1e-12


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_angle_to_backprop_falls_from_about_90_to_below_45_and_the_network_learns(seed):
    run = train_feedback_alignment(seed=seed)
    assert run.angles.shape == (400,) and run.losses.shape == (400,)
    # B is independent of W2 at the start: in 40 dimensions a random angle is 90 +- ~10 degrees.
    assert 70 < run.angles[0] < 110, f"initial angle {run.angles[0]:.1f} degrees: B is unrelated to W2, expected about 90"
    late = run.angles[300:].mean()
    # Measured 33-34 degrees over the last quarter for seeds 0-2 (Lillicrap et al. report below 45).
    assert late < 45, f"mean angle over the last 100 steps {late:.1f} degrees: W2 should have aligned with B^T"
    assert run.losses[-1] < 0.02 * run.losses[0], f"loss {run.losses[0]:.3g} -> {run.losses[-1]:.3g}: feedback alignment should learn (>98% lower)"


def test_backprop_rule_is_the_reference():
    run = train_feedback_alignment(rule="backprop", seed=0)
    assert np.all(run.angles < 1e-5), "with rule='backprop' the update is backprop's own: angle 0"
    assert run.losses[-1] < 0.01 * run.losses[0]
