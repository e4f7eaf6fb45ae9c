"""Stage 5: gradient descent as a discretisation of gradient flow, and where the two part.

``gradient_flow`` integrates ``d theta / dt = -grad L(theta)`` with ``learndyn.ode``,
the vector field computed by your autodiff; ``modified_flow`` follows the
flow that gradient descent tracks to second order in ``lr`` (Barrett and
Dherin 2021); ``deep_linear`` is Saxe et al.'s exact solution for two-layer
linear networks.
"""
from .deep_linear import DeepLinearRun, balanced_init, saxe_mode_strength, train_deep_linear
from .gradient_flow import gradient_descent, gradient_field, gradient_flow
from .modified_flow import gradient_field_derivative, modified_flow, modified_loss_gradient

__all__ = ["gradient_field", "gradient_descent", "gradient_flow", "gradient_field_derivative",
           "modified_loss_gradient", "modified_flow", "saxe_mode_strength", "balanced_init",
           "train_deep_linear", "DeepLinearRun"]
