"""Optimizers with PyTorch's names, arguments and update rules: ``from learndyn.optim import Adam``."""
from .adam import Adam
from .adamw import AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "AdamW"]
