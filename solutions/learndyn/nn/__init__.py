"""Neural-network building blocks on top of ``Tensor``."""
from . import init
from .losses import cross_entropy, mse_loss
from .module import ACTIVATIONS, MLP, Linear, Module

__all__ = ["Module", "Linear", "MLP", "ACTIVATIONS", "mse_loss", "cross_entropy", "init"]
