"""learndyn: learning dynamics from first principles.

Stage 1-2 give you ``Tensor`` (with reverse-mode autodiff), ``Parameter`` and
``no_grad``; ``learndyn.nn`` builds networks from them.  Later stages live in
their own subpackages (``learndyn.optim``, ``learndyn.landscape``,
``learndyn.ode`` ...): import them by name.
"""
from .autograd import no_grad, is_grad_enabled
from .tensor import Parameter, Tensor, as_tensor

__all__ = ["Tensor", "Parameter", "no_grad", "is_grad_enabled", "as_tensor"]
