"""Task 2.9: parameters are state variables, tensors are transient.

Learning is a dynamical system whose state is the parameters: a step maps them to new values and
nothing else survives it. A tensor that requires grad but is computed inside forward (a hidden
activation, even one a module keeps as an attribute) is not state: ``parameters()`` never returns
it, so no update ever touches it, its graph is freed by backward, and the next forward builds a new
one from the parameters.
"""
import numpy as np
import pytest

from learndyn import Parameter, Tensor, no_grad
from learndyn import nn

pytestmark = pytest.mark.task("2.9")


class CachingNet(nn.Module):
    """A tanh layer and a readout; forward keeps its hidden activation as an attribute (a transient tensor)."""

    def __init__(self, rng: np.random.Generator):
        self.layer = nn.Linear(3, 4, rng=rng)
        self.readout = Parameter(rng.normal(size=(4, 1)))
        self.last_hidden = None

    def forward(self, x):
        self.last_hidden = self.layer(x).tanh()
        return self.last_hidden @ self.readout


def plain_gd_step(model: nn.Module, loss: Tensor, lr: float) -> None:
    """What an optimizer does, handed model.parameters() and nothing else."""
    model.zero_grad()
    loss.backward()
    with no_grad():
        for p in model.parameters():
            p.data -= lr * p.grad


def test_only_parameters_carry_state_across_steps():
    rng = np.random.default_rng(9)
    x, y = rng.normal(size=(8, 3)), rng.normal(size=(8, 1))
    model = CachingNet(rng)
    state = [model.layer.weight, model.layer.bias, model.readout]
    hiddens, snapshots = [], []
    for step in range(3):
        loss = ((model(x) - y) ** 2).mean()
        hidden = model.last_hidden
        assert hidden.requires_grad and not isinstance(hidden, Parameter), "the hidden activation is a Tensor built by forward"
        found = model.parameters()
        assert len(found) == 3 and all(any(p is q for q in found) for p in state), (
            f"step {step}: parameters() should return exactly weight, bias and readout, got {len(found)} tensors")
        assert not any(p is hidden for p in found), (
            "parameters() returned the hidden activation that forward stored on the module: only Parameters are state")
        hiddens.append(hidden)
        snapshots.append(hidden.data.copy())
        before = [p.data.copy() for p in state]
        plain_gd_step(model, loss, lr=0.1)
        assert all(not np.array_equal(b, p.data) for b, p in zip(before, state)), f"step {step}: every Parameter moves"
        assert np.array_equal(hidden.data, snapshots[-1]), (
            f"step {step}: the update changed the hidden activation's data: an update touches Parameters only")
        assert tuple(hidden.parents) == (), (
            f"step {step}: after backward the hidden activation still holds its parents: its graph should be freed")
    assert hiddens[0] is not hiddens[1] is not hiddens[2], "every forward builds a new hidden activation"
    # The whole state of training is in parameters(): a fresh net given only their values computes the same thing.
    fresh = CachingNet(np.random.default_rng(123))
    for target, source in zip(fresh.parameters(), model.parameters()):
        target.data[...] = source.data
    with no_grad():
        same = np.array_equal(fresh(x).data, model(x).data)
    assert same, "a net with the trained Parameters' values should compute exactly the trained net's outputs"
