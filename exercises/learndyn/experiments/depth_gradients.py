"""Signal and gradient through 20 layers, for each activation and initialisation.

For each setting (activation, weight rule) we build ``seeds`` nets of ``depth``
square layers of ``width`` units, send unit-variance Gaussian inputs forward
and unit-variance Gaussian output gradients backward, and record per layer the
pre-activation variance, the gradient variance and the weight-gradient norm
(``learndyn.credit.depth.depth_profile``), averaged over seeds in log space.
The mean-field recursion (``learndyn.credit.mean_field``) predicts the first
two.  For the two linear settings we also take the input-output Jacobian's
squared singular values: Gaussian weights spread them over decades, orthogonal
weights keep them all at 1.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..credit.depth import deep_mlp, depth_profile
from ..credit.isometry import input_output_jacobian, squared_singular_values
from ..credit.mean_field import mean_field_profile
from .arguments import integer

# name -> (activation, init, gain, weight_variance = sigma_w**2 of the rule)
SETTINGS = {
    "relu, He (2/N)": ("relu", "he", 1.0, 2.0),
    "relu, 1/N": ("relu", "lecun", 1.0, 1.0),
    "tanh, gain 1": ("tanh", "lecun", 1.0, 1.0),
    "tanh, gain 5/3": ("tanh", "lecun", 5 / 3, 25 / 9),
    "linear, Gaussian 1/N": ("linear", "lecun", 1.0, 1.0),
    "linear, orthogonal": ("linear", "orthogonal", 1.0, 1.0),
}
VANISHING, EXPLODING = 1 / 8, 8.0  # mean squared credit, layer 1 over layer L, that we call vanishing / exploding


@dataclass
class DepthGradientsResult:
    width: int
    depth: int
    names: list
    forward_variance: np.ndarray  # (settings, depth) geometric mean over seeds
    backward_variance: np.ndarray  # (settings, depth)
    weight_grad_norm: np.ndarray  # (settings, depth)
    predicted_forward: np.ndarray  # (settings, depth) mean-field recursion
    predicted_backward: np.ndarray  # (settings, depth) relative to the last layer
    spectra: dict  # name -> squared singular values of one net's Jacobian (linear settings)

    def credit_ratio(self, name: str) -> float:
        """Mean squared credit d loss / d h of layer 1 over that of the last layer."""
        row = self.backward_variance[self.names.index(name)]
        return float(row[0] / row[-1])

    def summary(self) -> str:
        lines = [f"{self.depth} layers of {self.width} units:"]
        for index, name in enumerate(self.names):
            forward = np.log2(self.forward_variance[index, -1] / self.forward_variance[index, 0])
            predicted = np.log2(self.predicted_forward[index, -1] / self.predicted_forward[index, 0])
            ratio = self.credit_ratio(name)
            per_layer = ratio ** (1 / (self.depth - 1))
            verdict = (f"vanishing (x{per_layer:.2f} per layer going back)" if ratio < VANISHING else
                       f"exploding (x{per_layer:.2f} per layer going back)" if ratio > EXPLODING else "kept")
            weights = self.weight_grad_norm[index]
            lines.append(f"  {name:<22} signal variance x2^{forward:+.1f} (mean field 2^{predicted:+.1f}); "
                         f"mean squared gradient d loss/d h at layer 1 is {ratio:.2g} of layer {self.depth}: {verdict}; "
                         f"weight-gradient norm layer 1 / layer {self.depth} = {weights[0] / weights[-1]:.2g}")
        for name, spectrum in self.spectra.items():
            lines.append(f"  {name:<22} Jacobian: squared singular values mean {spectrum.mean():.2f}, variance {spectrum.var():.2f}, "
                         f"median {np.median(spectrum):.2g}, largest {spectrum.max():.3g}")
        return "\n".join(lines)


def run(width: int = 256, depth: int = 20, seeds: int = 3, batch: int = 16, seed: int = 0) -> DepthGradientsResult:
    """Measure every setting of ``SETTINGS`` on ``seeds`` nets each; predict it with mean-field theory.

    Arguments (checked before any work):
        width: int >= 2, units per layer
        depth: int >= 2, layers
        seeds: int >= 1, nets per setting (averaged in log space)
        batch: int >= 1, inputs and output gradients sent through each net
        seed: int >= 0, with the setting and the net's index, draws each net and its data
    """
    width = integer("width", width, at_least=2)
    depth = integer("depth", depth, at_least=2)
    seeds = integer("seeds", seeds, at_least=1)
    batch = integer("batch", batch, at_least=1)
    seed = integer("seed", seed, at_least=0)
    names, measured, predicted, spectra = list(SETTINGS), [], [], {}
    for index, (name, (activation, init, gain, weight_variance)) in enumerate(SETTINGS.items()):
        profiles = []
        for repeat in range(seeds):
            rng = np.random.default_rng([seed, index, repeat])
            model = deep_mlp(width, depth, activation, init, gain, rng)
            profiles.append(depth_profile(model, rng.normal(size=(batch, width)), rng.normal(size=(batch, width))))
            if activation == "linear" and repeat == 0:
                spectra[name] = squared_singular_values(input_output_jacobian(model, rng.normal(size=width)))
        measured.append([np.exp(np.mean([np.log(getattr(p, field)) for p in profiles], axis=0))
                         for field in ("forward_variance", "backward_variance", "weight_grad_norm")])
        predicted.append(mean_field_profile(weight_variance, depth, activation, weight_variance))
    forward, backward, norms = (np.array([m[k] for m in measured]) for k in range(3))
    return DepthGradientsResult(width, depth, names, forward, backward, norms,
                                np.array([p[0] for p in predicted]), np.array([p[1] for p in predicted]), spectra)


def plot(result: DepthGradientsResult, path) -> None:
    """Signal variance and gradient norm per layer (measured dots, mean field lines), and the Jacobian spectra."""
    from .figures import colours, new_figure, save_figure

    fig, ((signal, credit), (gradient, spectrum)) = new_figure(2, 2, figsize=(13, 9))
    layers = np.arange(1, result.depth + 1)
    palette = colours("tab10", len(result.names))
    for index, name in enumerate(result.names):
        colour = palette[index]
        signal.plot(layers, result.forward_variance[index], "o", color=colour, ms=4, label=name)
        signal.plot(layers, result.predicted_forward[index], "-", color=colour, lw=1)
        scale = result.backward_variance[index, -1]  # predictions are relative to the last layer
        credit.plot(layers, result.backward_variance[index], "o", color=colour, ms=4, label=name)
        credit.plot(layers, scale * result.predicted_backward[index], "-", color=colour, lw=1)
        gradient.plot(layers, result.weight_grad_norm[index], "o-", color=colour, ms=4, lw=1, label=name)
    signal.set(yscale="log", xlabel="layer l", ylabel="mean h_l**2",
               title="forward: pre-activation variance\n(dots measured, lines mean field)", xticks=[1, 5, 10, 15, 20])
    credit.set(yscale="log", xlabel="layer l", ylabel="mean (d loss / d h_l)**2",
               title="backward: credit reaching each layer\n(dots measured, lines mean field: chi per layer)", xticks=[1, 5, 10, 15, 20])
    gradient.set(yscale="log", xlabel="layer l", ylabel="|d loss / d W_l|",
                 title="weight-gradient norm = credit x signal: flat for relu 1/N\n(both shrink, in opposite directions)", xticks=[1, 5, 10, 15, 20])
    signal.legend(fontsize=8)
    for name, values in result.spectra.items():
        spectrum.plot(np.arange(1, values.size + 1), values, ".-", ms=3, lw=1,
                      label=f"{name}: mean {values.mean():.2f}, variance {values.var():.1f}")
        floor = np.finfo(float).eps * values.max()  # below this, an SVD cannot resolve s, nor s**2 below floor**2
    spectrum.axhspan(1e-300, floor**2, color="0.85", label="below the SVD's resolution (eps * s_max)**2")
    spectrum.set(yscale="log", ylim=(1e-40, 1e4), xlabel="rank k", ylabel="k-th largest squared singular value s**2",
                 title=f"Jacobian of a {result.depth}-layer linear net: isometry or not")
    spectrum.legend(fontsize=8)
    save_figure(fig, path)
