"""Task 2.17: a network whose hidden layer is a population code, and the credit each unit receives.

Law: credit[i] = d loss / d output * readout[i] * f_i'(s): with equal readout weights the
credit is proportional to each unit's tuning slope at the stimulus.
"""
import numpy as np
import pytest

from learndyn.credit.credit import PopulationCodeNet, credit_per_unit, train
from oracle import assert_close

pytestmark = pytest.mark.task("2.17")

PREFERRED, WIDTH = np.linspace(-3, 3, 25), 0.5  # spacing 0.25


def numpy_net(stimuli, preferred, readout, bias, width):
    """Output, hidden activity and tuning slopes f_i'(s) of the network, by hand."""
    offset = stimuli[:, None] - preferred
    hidden = np.exp(-offset**2 / (2 * width**2))
    return hidden @ readout + bias, hidden, -offset / width**2 * hidden


def random_net(seed):
    rng = np.random.default_rng(seed)
    net = PopulationCodeNet(np.sort(rng.uniform(-2, 2, size=6)), width=0.8)
    net.readout.data[:] = rng.normal(size=(1, 6))
    net.bias.data[:] = 0.3
    return net


def test_forward_is_a_population_code_with_a_linear_readout():
    net = random_net(1)
    stimuli = np.array([-1.5, 0.1, 0.45, 2.2])
    expected, hidden, _ = numpy_net(stimuli, net.preferred.data, net.readout.data[0], 0.3, 0.8)
    # Same formula, rounding only.
    assert_close(net(stimuli).data, expected, rtol=1e-12, atol=1e-12, what="PopulationCodeNet output for 4 stimuli, shape (batch,)",
                 alternatives={"width used as the variance: exp(-offset**2 / (2 * width))":
                               numpy_net(stimuli, net.preferred.data, net.readout.data[0], 0.3, np.sqrt(0.8))[0],
                               "bias left out": expected - 0.3})


def test_training_is_full_batch_gradient_descent():
    net, stimuli = random_net(2), np.linspace(-2, 2, 9)
    targets = np.sin(stimuli)
    preferred, readout, bias = net.preferred.data.copy(), net.readout.data[0].copy(), 0.3
    expected = []
    for _ in range(15):  # the same descent, with the gradients written out by hand
        output, hidden, slopes = numpy_net(stimuli, preferred, readout, bias, 0.8)
        expected.append(np.mean((output - targets) ** 2))
        d_output = 2 * (output - targets) / len(stimuli)
        d_preferred = -(d_output[:, None] * readout * slopes).sum(axis=0)
        readout, bias, preferred = readout - 0.3 * d_output @ hidden, bias - 0.3 * d_output.sum(), preferred - 0.3 * d_preferred
    losses = train(net, stimuli, targets, lr=0.3, epochs=15)
    # Rounding only over 15 steps (~1e-14 each).
    assert_close(losses, expected, rtol=1e-9, atol=1e-12, what="loss before each of 15 updates",
                 alternatives={"losses recorded after the update": expected[1:] + [np.nan]})
    assert_close(net.preferred.data, preferred, rtol=1e-9, atol=1e-12, what="preferred stimuli after 15 updates (they are learned too)")


def test_credit_is_proportional_to_the_tuning_slope():
    net, stimulus, target = PopulationCodeNet(PREFERRED, WIDTH), 0.4, 1.5
    output, hidden, slopes = numpy_net(np.array([stimulus]), PREFERRED, np.full(25, 1 / 25), 0.0, WIDTH)
    credit = credit_per_unit(net, stimulus, target)
    d_output = 2 * (output[0] - target)
    # Law: credit[i] = d loss / d output * readout[i] * f_i'(s), readout = 1/25 for every unit.  Rounding only.
    assert_close(credit, d_output / 25 * slopes[0], rtol=1e-9, atol=1e-13, what="credit per unit at s = 0.4 (equal readout weights)",
                 alternatives={"wrong sign: -preferred.grad is the credit of offset = s - preferred": -d_output / 25 * slopes[0],
                               "activity instead of slope (gradient of the readout weights)": d_output * hidden[0]})
    strongest = np.abs(PREFERRED[np.argmax(np.abs(credit))] - stimulus)
    assert abs(strongest - WIDTH) <= 0.25, (
        f"the most credited unit prefers {strongest:.2f} away from the stimulus; |f'| peaks one width ({WIDTH}) away, on the flank")
    nearest = np.argmin(np.abs(PREFERRED - stimulus))
    assert abs(credit[nearest]) < 0.5 * np.abs(credit).max(), "the unit at its peak (slope ~0) gets little credit"
    # The credit of the units adds up to the credit of the stimulus itself: d loss / d s = sum_i credit[i].
    eps = 1e-6
    loss = lambda s: (numpy_net(np.array([s]), PREFERRED, np.full(25, 1 / 25), 0.0, WIDTH)[0][0] - target) ** 2
    d_stimulus = (loss(stimulus + eps) - loss(stimulus - eps)) / (2 * eps)  # central difference, error ~1e-10
    assert abs(credit.sum() - d_stimulus) < 1e-7, f"sum of the units' credit {credit.sum():.8f} != d loss / d s = {d_stimulus:.8f}"


def test_after_learning_credit_is_readout_times_slope():
    net, stimuli = PopulationCodeNet(PREFERRED, WIDTH), np.linspace(-2, 2, 41)
    losses = train(net, stimuli, stimuli, lr=0.5, epochs=120)  # learn to decode s from its population code
    # Measured: 1.44 -> below 1e-3 in 120 epochs at lr 0.5 (lr 1 diverges).
    assert losses[-1] < 0.01 * losses[0], f"training should cut the loss 100x: {losses[0]:.3g} -> {losses[-1]:.3g}"
    stimulus, target = 0.7, 1.2
    output, _, slopes = numpy_net(np.array([stimulus]), net.preferred.data, net.readout.data[0], net.bias.data[0], WIDTH)
    expected = 2 * (output[0] - target) * net.readout.data[0] * slopes[0]
    assert_close(credit_per_unit(net, stimulus, target), expected, rtol=1e-9, atol=1e-12,
                 what="credit per unit of the trained net = d loss / d output * readout[i] * f_i'(s)")


def test_population_experiment_reports_the_bound_and_the_slope_law():
    from learndyn.experiments import population_credit

    result = population_credit.run(sizes=(8, 64), trials=1000, epochs=100)
    # N = 64: ML variance * I_F within 0.15 of 1 (1000 trials: sd sqrt(2 / 1000) = 0.045); the credit law holds to rounding.
    assert result.efficient[1], result.summary()
    assert_close(result.credit_before, result.predicted_before, rtol=1e-9, atol=1e-13, what="experiment: credit per unit before learning")
    assert_close(result.credit_after, result.predicted_after, rtol=1e-9, atol=1e-13, what="experiment: credit per unit after learning")
    assert "flank" in result.summary()
