"""Signal and gradient through depth, measured layer by layer in a deep MLP.

A layer ``l`` of an MLP computes the pre-activation and the activation

    h_l = x_{l-1} @ W_l.T + b_l          x_l = phi(h_l)          (x_0 = inputs)

and backpropagation sends the credit ``delta_l = d loss / d h_l`` down:

    delta_l = phi'(h_l) * (delta_{l+1} @ W_{l+1})

With weights of variance ``sigma_w**2 / fan_in`` and wide layers, each unit of
``h_l`` is a sum of many independent terms, so

    forward_variance[l]  = mean(h_l**2)     ~ sigma_w**2 * E[phi(h_{l-1})**2]
    backward_variance[l] = mean(delta_l**2) ~ chi_l * backward_variance[l+1],
                           chi_l = sigma_w**2 * E[phi'(h_l)**2]

Multiplying a factor per layer makes a geometric series: a factor 1/2 per layer
(ReLU with Var(W) = 1/fan_in) leaves 2**-19 of the signal after 20 layers.
``depth_profile`` measures both profiles with the engine's own backward pass;
``learndyn.credit.mean_field`` predicts them.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..nn import ACTIVATIONS, MLP
from ..tensor import Tensor


@dataclass
class DepthProfile:
    """Per-layer statistics of one forward and one backward pass (index 0 is the first layer)."""

    forward_variance: np.ndarray  # (L,) mean over batch and units of h_l**2
    backward_variance: np.ndarray  # (L,) mean over batch and units of (d loss / d h_l)**2
    weight_grad_norm: np.ndarray  # (L,) Frobenius norm of d loss / d W_l


def deep_mlp(width: int, depth: int, activation: str, init: str, gain: float = 1.0,
             rng: np.random.Generator | None = None) -> MLP:
    """``depth`` square layers of ``width`` units, ``activation`` after every one (the last too)."""
    if width < 1 or depth < 1:
        raise ValueError(f"width and depth must be >= 1, got width={width}, depth={depth}")
    return MLP([width] * (depth + 1), activation=activation, output_activation=activation, init=init, gain=gain, rng=rng)


def depth_profile(model: MLP, inputs: np.ndarray, upstream: np.ndarray) -> DepthProfile:
    """Forward ``inputs`` (batch, n_in) through ``model``, backward ``loss = sum(output * upstream)``.

    So ``d loss / d output = upstream`` (batch, n_out).  Every layer's
    pre-activation ``h_l = layer(x_{l-1})`` is kept; after ``backward`` its
    ``.grad`` is ``delta_l``.  Layers use ``model.activation`` except the last,
    which uses ``model.output_activation``, exactly as ``MLP.forward``.  The
    model's parameter gradients are reset first, so ``weight_grad_norm`` is
    this pass's alone.
    """
    inputs, upstream = np.asarray(inputs, dtype=np.float64), np.asarray(upstream, dtype=np.float64)
    n_in, n_out = model.layers[0].in_features, model.layers[-1].out_features
    if inputs.ndim != 2 or inputs.shape[1] != n_in:
        raise ValueError(f"inputs must have shape (batch, {n_in}), got {inputs.shape}")
    if upstream.shape != (inputs.shape[0], n_out):
        raise ValueError(f"upstream must have shape {(inputs.shape[0], n_out)}, got {upstream.shape}")
    model.zero_grad()
    # --- your code for task 2.12 ---
    raise NotImplementedError('stage 2, task 2.12 (Signal and gradient through depth): implement depth_profile. Hint: python grader.py hint 2.12')
    # --- end of task 2.12 ---
