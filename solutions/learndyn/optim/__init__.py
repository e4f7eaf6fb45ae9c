"""Optimizers with PyTorch's names, arguments and update rules: ``from learndyn.optim import Adam``.

Learning-rate schedules that drive them are in ``learndyn.optim.lr_scheduler``.
"""
from . import lr_scheduler
from .adam import Adam
from .adamw import AdamW
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "AdamW", "lr_scheduler"]
