"""Decoding a population code, and the credit a population receives when it learns.

Part 1, decoding: N Gaussian-tuned Poisson units encode a scalar stimulus; for
N = 8 ... 128 we decode ``trials`` presentations by maximum likelihood and
compare the mean squared error with the Cramer-Rao bound 1 / I_F.  A cosine-tuned
population encodes an angle, decoded by the population vector and by ML.

Part 2, credit: a ``PopulationCodeNet`` (hidden layer = Gaussian population
code of its input, linear readout) learns to report its stimulus (target = s)
with the learner's engine.  We then ask for a new answer at one stimulus and
read off the credit each unit receives, before and after learning, against the
law ``credit[i] = d loss / d output * readout[i] * f_i'(s)``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..credit.credit import PopulationCodeNet, credit_per_unit, train
from ..credit.decoders import maximum_likelihood, population_vector
from ..credit.population import cosine_population, gaussian_population
from .arguments import integer, integers, real

SCALAR_RANGE = (-4.0, 4.0)  # the Gaussian units' preferred stimuli span this range, evenly spaced
EFFICIENCY_BAND = 0.15  # |variance * I_F - 1| below this counts as reaching the bound (2000 trials: sd 0.03)
FIT_FROM = 16  # fit the decoding exponent from this N up: below it units are spaced wider than their tuning width


@dataclass
class PopulationCreditResult:
    sizes: np.ndarray  # numbers of units N
    ml_variance: np.ndarray  # (sizes,) Gaussian code, ML mean squared error
    fisher: np.ndarray  # (sizes,) Gaussian code, I_F at the stimulus
    pv_variance: np.ndarray  # (sizes,) cosine code, population-vector mean squared error
    pv_ml_variance: np.ndarray  # (sizes,) cosine code, ML mean squared error
    cosine_fisher: np.ndarray  # (sizes,) cosine code, I_F
    preferred: np.ndarray  # the credit net's units (initial preferred stimuli)
    stimulus: float  # where credit is measured
    credit_before: np.ndarray  # (units,) credit at initialisation (equal readout weights)
    credit_after: np.ndarray  # (units,) credit after learning
    predicted_before: np.ndarray  # d loss / d output * readout[i] * f_i'(s), before
    predicted_after: np.ndarray  # the same with the learned readout and tuning, after
    slopes_before: np.ndarray  # f_i'(s) at initialisation
    losses: np.ndarray  # training loss per epoch

    @property
    def efficient(self) -> np.ndarray:
        """Per size: does ML reach the Cramer-Rao bound (variance * I_F within EFFICIENCY_BAND of 1)?"""
        return np.abs(self.ml_variance * self.fisher - 1) < EFFICIENCY_BAND

    @property
    def decoding_exponent(self) -> float:
        """Slope of log(ML variance) against log(N) for N >= FIT_FROM: -1 if the information adds over units.

        Smaller populations (N = 8: units 1.14 apart, wider than their tuning width 0.5) sit above the bound,
        and including them would steepen the fit (to -1.17 with N = 8).  nan with fewer than two such sizes."""
        fitted = self.sizes >= FIT_FROM
        if fitted.sum() < 2:
            return float("nan")
        return float(np.polyfit(np.log(self.sizes[fitted]), np.log(self.ml_variance[fitted]), 1)[0])

    def summary(self) -> str:
        efficiency = self.ml_variance * self.fisher
        per_size = ", ".join(f"N={n}: {e:.2f}" for n, e in zip(self.sizes, efficiency))
        short = self.sizes[~self.efficient]
        caveat = (f" Below the bound's reach at N = {', '.join(map(str, short))}: units spaced {(SCALAR_RANGE[1] - SCALAR_RANGE[0]) / (short.max() - 1):.2f} apart, "
                  "wider than their tuning width, leave stimuli that few units see, and with few spikes the likelihood is "
                  "not yet the narrow Gaussian the bound assumes." if short.size else "")
        pv, pv_ml = self.pv_variance * self.cosine_fisher, self.pv_ml_variance * self.cosine_fisher
        ratio = self.credit_before / np.where(np.abs(self.slopes_before) > 1e-12, self.slopes_before, np.nan)
        strongest = np.abs(self.preferred[np.argmax(np.abs(self.credit_before))] - self.stimulus)
        misfit = np.max(np.abs(self.credit_after - self.predicted_after)) / np.max(np.abs(self.predicted_after))
        return (
            f"Decoding Gaussian units by ML, variance x Fisher information: {per_size} (Cramer-Rao bound: 1); "
            + (f"variance ~ N^{self.decoding_exponent:.2f} (fitted for N >= {FIT_FROM}; information adding over units: N^-1)."
               if np.isfinite(self.decoding_exponent) else f"(fewer than two sizes N >= {FIT_FROM}: no exponent fitted).")
            + f"{caveat} "
            f"Cosine units: population vector variance x I_F = {pv.min():.2f}..{pv.max():.2f}, ML {pv_ml.min():.2f}..{pv_ml.max():.2f}: "
            f"the population vector ignores the tuning shape and the Poisson noise and wastes {100 * (1 - 1 / pv.mean()):.0f}% of the information.\n"
            f"Credit, {self.preferred.size} units: at initialisation credit / tuning slope is the same for every unit "
            f"(spread {np.nanstd(ratio) / np.nanmax(np.abs(ratio)):.1e}); the most credited unit prefers a stimulus "
            f"{strongest:.2f} from s = {self.stimulus} (one tuning width: the flank), the unit at the stimulus gets almost none. "
            f"Training cut the loss {self.losses[0]:.3g} -> {self.losses[-1]:.2g}; afterwards credit = dL/dy * readout * slope "
            f"to {misfit:.1e} (relative): the learned readout reweights the flanks."
        )


def run(sizes=(8, 16, 32, 64, 128), trials: int = 2000, units: int = 25, width: float = 0.5, epochs: int = 300,
        lr: float = 0.5, stimulus: float = 0.7, seed: int = 0) -> PopulationCreditResult:
    """Decode populations of each size in ``sizes``; train a ``units``-unit population net and measure its credit.

    Arguments (checked before any work):
        sizes: at least two ints >= 2, the numbers of units N decoded
        trials: int >= 2, presentations decoded per size
        units: int >= 2, units of the population net
        width: real > 0, the net's tuning width
        epochs: int >= 1, training epochs of the net
        lr: real > 0, its learning rate
        stimulus: finite real, where the credit is measured
        seed: int >= 0, draws the spike counts
    """
    sizes = np.asarray(integers("sizes", sizes, at_least=2, min_length=2))
    trials = integer("trials", trials, at_least=2)
    units = integer("units", units, at_least=2)
    width = real("width", width, above=0)
    epochs = integer("epochs", epochs, at_least=1)
    lr = real("lr", lr, above=0)
    stimulus = real("stimulus", stimulus)
    seed = integer("seed", seed, at_least=0)
    rng = np.random.default_rng(seed)
    decoded = {key: [] for key in ("ml", "fisher", "pv", "pv_ml", "cosine_fisher")}
    scalar, angle = 0.3, 1.0
    for n_units in sizes:
        code = gaussian_population(int(n_units), *SCALAR_RANGE)
        estimates = maximum_likelihood(code.sample_counts(scalar, trials, rng), code, np.linspace(*SCALAR_RANGE, 401))
        decoded["ml"].append(np.mean((estimates - scalar) ** 2))
        decoded["fisher"].append(code.fisher_information(scalar))
        cosine = cosine_population(int(n_units))
        counts = cosine.sample_counts(angle, trials, rng)
        wrap = lambda error: np.angle(np.exp(1j * error))
        decoded["pv"].append(np.mean(wrap(population_vector(counts, cosine.preferred) - angle) ** 2))
        ml = maximum_likelihood(counts, cosine, np.linspace(angle - np.pi, angle + np.pi, 361))
        decoded["pv_ml"].append(np.mean(wrap(ml - angle) ** 2))
        decoded["cosine_fisher"].append(cosine.fisher_information(angle))

    preferred = np.linspace(-3, 3, units)
    net, target = PopulationCodeNet(preferred, width), stimulus + 0.5  # ask for a different answer at s
    predicted_before, slopes_before = _predicted_credit(net, stimulus, target)
    credit_before = credit_per_unit(net, stimulus, target)
    training = np.linspace(-2, 2, 41)
    losses = train(net, training, training, lr=lr, epochs=epochs)
    predicted_after, _ = _predicted_credit(net, stimulus, target)
    credit_after = credit_per_unit(net, stimulus, target)
    return PopulationCreditResult(sizes, *(np.array(decoded[k]) for k in ("ml", "fisher", "pv", "pv_ml", "cosine_fisher")),
                                  preferred, stimulus, credit_before, credit_after, predicted_before, predicted_after,
                                  slopes_before, losses)


def _predicted_credit(net: PopulationCodeNet, stimulus: float, target: float):
    """The law, from the net's current numbers: (d loss / d output * readout * f'(s), f'(s))."""
    offset = stimulus - net.preferred.data
    hidden = np.exp(-offset**2 / (2 * net.width**2))
    slopes = -offset / net.width**2 * hidden
    output = hidden @ net.readout.data[0] + net.bias.data[0]
    return 2 * (output - target) * net.readout.data[0] * slopes, slopes


def plot(result: PopulationCreditResult, path) -> None:
    """Decoding variance against N with the Cramer-Rao bound; credit per unit before and after learning."""
    from .figures import new_figure, save_figure

    fig, (decoding, before, after) = new_figure(1, 3, figsize=(16, 4.8))
    decoding.loglog(result.sizes, 1 / result.fisher, "k-", label="Cramer-Rao bound 1 / I_F (Gaussian)")
    decoding.loglog(result.sizes, result.ml_variance, "o", color="tab:blue", label="ML, Gaussian tuning")
    decoding.loglog(result.sizes, 1 / result.cosine_fisher, "k--", label="1 / I_F (cosine)")
    decoding.loglog(result.sizes, result.pv_ml_variance, "s", color="tab:green", label="ML, cosine tuning")
    decoding.loglog(result.sizes, result.pv_variance, "^", color="tab:red", label="population vector, cosine")
    largest = result.sizes[-1]
    decoding.loglog(result.sizes, result.ml_variance[-1] * largest / result.sizes, ":", color="0.4", lw=1.5,
                    label="reference ~ 1 / N")
    decoding.set(xlabel="units N", ylabel="mean squared decoding error (stimulus units^2)",
                 title=f"ML on the bound from N = {result.sizes[result.efficient].min() if result.efficient.any() else '-'}; "
                       f"variance ~ N^{result.decoding_exponent:.2f} (fit N >= {FIT_FROM})")
    decoding.legend(fontsize=8)
    for axis, credit, predicted, when in ((before, result.credit_before, result.predicted_before, "at initialisation (equal readout)"),
                                          (after, result.credit_after, result.predicted_after, "after learning to report s")):
        axis.bar(result.preferred, credit, width=0.8 * (result.preferred[1] - result.preferred[0]), color="tab:orange",
                 label="credit d loss / d offset_i (backprop)")
        axis.plot(result.preferred, predicted, "k.-", lw=1, label="dL/dy * readout_i * f_i'(s)")
        axis.axvline(result.stimulus, color="tab:blue", ls=":", label=f"stimulus s = {result.stimulus}")
        axis.set(xlabel="unit's initial preferred stimulus", ylabel="credit", title=f"credit per unit, {when}")
        axis.legend(fontsize=8)
    save_figure(fig, path)
