"""Task 2.11: failure is informative. Which architectures can learn XOR, and what the stuck 2-2-1 nets are."""
import numpy as np
import pytest

from learndyn.experiments import xor, xor_architectures

pytestmark = pytest.mark.task("2.11")


def test_without_two_hidden_units_no_start_solves_xor_and_the_loss_stops_at_the_architectures_floor():
    result = xor_architectures.run(hiddens=(0, 1, 2, 4), n_nets=40, epochs=2000, lr=2.0, seed=3)
    no_hidden, one_unit, two_units, four_units = range(4)
    # Floors (proved in the experiment's docstring, linear separability): H = 0 cannot go below 1/4 (a + b = 0 is
    # forced by z(0,0) + z(1,1) = z(0,1) + z(1,0)); H = 1 below 1/6 (a monotone function of one projection).
    # Rounding of a mean of four squares: ~1e-16.
    for index, floor in ((no_hidden, 1 / 4), (one_unit, 1 / 6)):
        hidden = result.hiddens[index]
        assert result.solved_fraction[index] == 0, f"a 2-{hidden}-1 net solved XOR: impossible without two hidden units\n{result.summary()}"
        assert result.final_losses[index].min() >= floor - 1e-9, (
            f"2-{hidden}-1: a net reached loss {result.final_losses[index].min():.6f}, below the architecture's floor {floor:.6f}")
    # GD gets there: H = 0 to the floor at a = b = 0 (measured 0.25000), H = 1 towards 1/6 as the weights grow
    # (best 0.1676 after 2000 epochs, approaching like 1/epochs).
    assert result.best_loss[no_hidden] < 0.25 + 1e-3 and result.best_loss[one_unit] < 1 / 6 + 0.005, result.summary()
    # Two units can solve it and most starts do (measured 0.80 of 40, sd 0.06); four units essentially always (1.0).
    assert 0.6 <= result.solved_fraction[two_units] <= 0.97, result.summary()
    assert result.solved_fraction[four_units] >= 0.9, result.summary()


def test_stuck_nets_are_flat_regions_of_saturated_units_not_strict_minima():
    result = xor.run(n_nets=100, hidden=2, epochs=5000, lr=2.0, seed=1)
    stuck = ~result.solved
    assert stuck.sum() >= 5, f"expected about 1 in 6 nets stuck (measured 15 of 100), got {stuck.sum()}\n{result.summary()}"
    hedging = result.hedged()[stuck].sum(axis=1)
    assert np.all(hedging == 2), f"every stuck net should output 0.5 +- 0.05 on exactly two patterns, got counts {hedging}"
    # Two hedged patterns with the same hidden vector: no output weight tells them apart, the best output for both
    # is their mean target 0.5, and the loss tends to 2 * 0.25 / 4 = 1/8 (measured 0.1254-0.1258; distances ~5e-4).
    distance = result.hedged_pair_distance()
    assert distance.size == stuck.sum() and distance.max() < 0.01, (
        f"the two hedged patterns of a stuck net should have (almost) the same hidden vector: distances {np.round(distance, 4)}")
    final, halfway = result.losses[-1, stuck], result.losses[result.epochs // 2, stuck]
    assert np.all((final > 1 / 8) & (final < 1 / 8 + 0.003)), f"stuck losses {np.round(final, 5)}: expected just above 1/8"
    # Not a strict local minimum where the gradient vanishes: every stuck net's loss is still falling towards 1/8.
    assert np.all(final < halfway), (
        f"a stuck net's loss stopped falling between epoch {result.epochs // 2} and {result.epochs}: "
        f"{np.round(halfway - final, 7)}\n{result.summary()}")
    assert "strict local minimum" in result.summary() and "1/8" in result.summary(), result.summary()
