"""Task 4.10: the edge of stability: sharpness rises to 2 / lr and hovers there while the loss falls."""
import numpy as np
import pytest

from learndyn.experiments import edge_of_stability
from learndyn.landscape import parameters_to_vector
from learndyn.nn import MLP
from oracle import assert_close
from oracle.stage4_geometry import mlp_loss_and_gradient, numpy_hessian

pytestmark = pytest.mark.task("4.10")


def test_training_loop_is_full_batch_gd_and_measures_the_top_eigenvalue():
    settings = dict(lr=0.05, steps=12, sharpness_every=5, width=4, n_points=16, n_inputs=3, seed=9)
    result = edge_of_stability.run(**settings)
    rng = np.random.default_rng(9)
    inputs, targets = edge_of_stability.regression_task(16, 3, 4.0, rng)
    sizes = [3, 4, 4, 1]
    # The same initialisation as run(): the same generator, in the same state, after the data.
    theta = parameters_to_vector(MLP(sizes, activation="tanh", rng=rng).parameters())
    losses, sharpness_at = [], {}
    for step in range(12):
        loss, gradient = mlp_loss_and_gradient(theta, sizes, inputs, targets)
        if step % 5 == 0:
            hessian = numpy_hessian(lambda t: mlp_loss_and_gradient(t, sizes, inputs, targets)[1], theta)
            sharpness_at[step] = np.linalg.eigvalsh(hessian)[-1]
        losses.append(loss)
        theta = theta - 0.05 * gradient
    # Same arithmetic in another order: rounding only over 12 steps.
    assert_close(result.losses, losses, rtol=1e-9, atol=1e-12, what="full-batch loss before each GD step",
                 alternatives={"losses recorded after the update": losses[1:] + [np.nan]})
    assert result.sharpness_steps.tolist() == [0, 5, 10], f"sharpness measured at steps {result.sharpness_steps}, expected 0, 5, 10"
    # Power iteration stops at a relative change of 1e-4 per product; with |lambda_2 / lambda_1| ~ 0.63 here the
    # Rayleigh quotient is then within ~1e-4 of the top eigenvalue (measured 4e-5); the oracle's FD Hessian adds ~1e-8.
    assert_close(result.sharpness, [sharpness_at[s] for s in (0, 5, 10)], rtol=1e-3, atol=0,
                 what="sharpness at steps 0, 5, 10 vs the top eigenvalue of the full Hessian")


@pytest.fixture(scope="module")
def edge():
    # The smallest robust setting found: lr 0.15, 1000 steps, 8-32-32-1, 256 points (seed 2 starts at
    # lr * sharpness / 2 = 0.63 and reaches the edge by step ~250).
    return edge_of_stability.run(lr=0.15, steps=1000, sharpness_every=25, seed=2)


def test_sharpness_starts_below_the_edge(edge):
    ratio = edge.stability_ratio
    assert ratio[0] < 0.9, f"lr * sharpness / 2 should start below 0.9 (progressive sharpening from a flat start), got {ratio[0]:.3f}"
    assert ratio.max() > 0.95, f"the sharpness never approached 2 / lr: max lr * sharpness / 2 = {ratio.max():.3f}. {edge.summary()}"


def test_late_sharpness_hovers_at_two_over_lr(edge):
    late = edge.late()
    # Cohen et al.: at the edge GD self-stabilises, so lr * sharpness / 2 oscillates around 1. Measured over the
    # last third: mean 1.00, every sample 0.94-1.05 here; across seeds 0-5 the mean is 1.00-1.02 and single
    # samples swing to 0.86-1.2 (the dynamics are chaotic), so the mean is held to [0.9, 1.1] and most samples too.
    assert 0.9 <= late.mean() <= 1.1, f"late mean of lr * sharpness / 2 = {late.mean():.3f}, expected ~1 (the edge). {edge.summary()}"
    inside = np.mean((late >= 0.9) & (late <= 1.1))
    assert inside >= 0.75, f"only {100 * inside:.0f}% of the late samples lie in [0.9, 1.1]: {np.round(late, 2)}"
    assert late.max() < 1.3, f"lr * sharpness / 2 = {late.max():.2f} late: GD at this point would diverge along the top direction"


def test_loss_keeps_falling_but_not_monotonically(edge):
    losses = edge.losses
    assert losses[-1] < 0.2 * losses[0], f"the loss should fall a lot: {losses[0]:.3g} -> {losses[-1]:.3g}"
    third = len(losses) // 3
    assert losses[-third:].mean() < losses[third : 2 * third].mean(), "the loss keeps falling at the edge of stability"
    late_rises = np.sum(np.diff(losses[-third:]) > 0)
    assert late_rises > 0, "at the edge of stability the loss goes up on some steps (non-monotone); it never did"
    assert "2/lr" in edge.summary()
