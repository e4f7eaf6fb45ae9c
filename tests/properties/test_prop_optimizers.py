"""Every optimizer option against its update rule, written out in NumPy here, over generated
hyperparameters, parameter shapes (0-d too) and gradient sequences (a parameter without a
gradient at some step is skipped, as in PyTorch); and the arguments checked at the door.

The rules are PyTorch's, as its documentation states them (``torch.optim``); the code here is
written from that text, not from learndyn's, and in PyTorch's own order of operations where
it differs (Adam divides sqrt(v) by sqrt(1 - beta2**t) rather than taking sqrt(v_hat)), so the
two agree to rounding, not bit for bit.
"""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("hypothesis", reason="the generated tests need Hypothesis: pip install -e '.[dev]'")
# Hypothesis would catch a timeout's exception and retry the slow example: stop the whole run instead.
pytestmark = pytest.mark.timeout(60, method="thread")

from hypothesis import given, strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

from learndyn import Parameter  # noqa: E402
from learndyn.optim import SGD, Adam, AdamW, RMSprop  # noqa: E402
from property_strategies import budget  # noqa: E402


def sgd_rule(p, g, state, lr, momentum, dampening, nesterov, weight_decay):
    if weight_decay != 0:
        g = g + weight_decay * p
    if momentum != 0:
        state["b"] = g.copy() if "b" not in state else momentum * state["b"] + (1 - dampening) * g
        g = g + momentum * state["b"] if nesterov else state["b"]
    return p - lr * g


def rmsprop_rule(p, g, state, lr, alpha, eps, weight_decay, momentum, centered):
    if weight_decay != 0:
        g = g + weight_decay * p
    state["v"] = alpha * state.get("v", 0.0) + (1 - alpha) * g * g
    if centered:
        state["g_avg"] = alpha * state.get("g_avg", 0.0) + (1 - alpha) * g
        avg = np.sqrt(state["v"] - state["g_avg"] ** 2) + eps
    else:
        avg = np.sqrt(state["v"]) + eps
    if momentum > 0:
        state["b"] = momentum * state.get("b", 0.0) + g / avg
        return p - lr * state["b"]
    return p - lr * g / avg


def adam_rule(p, g, state, lr, betas, eps, weight_decay, amsgrad, decoupled=False):
    beta1, beta2 = betas
    state["t"] = state.get("t", 0) + 1
    if decoupled:
        p = p * (1 - lr * weight_decay)
    elif weight_decay != 0:
        g = g + weight_decay * p
    state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * g
    state["v"] = beta2 * state.get("v", 0.0) + (1 - beta2) * g * g
    bias1, bias2 = 1 - beta1 ** state["t"], 1 - beta2 ** state["t"]
    if amsgrad:
        state["v_max"] = np.maximum(state.get("v_max", 0.0), state["v"])
        denominator = np.sqrt(state["v_max"]) / np.sqrt(bias2) + eps
    else:
        denominator = np.sqrt(state["v"]) / np.sqrt(bias2) + eps
    return p - (lr / bias1) * state["m"] / denominator


def adamw_rule(p, g, state, **hyperparameters):
    return adam_rule(p, g, state, decoupled=True, **hyperparameters)


unit = st.floats(0.0, 0.99)
HYPERPARAMETERS = {
    SGD: (sgd_rule, st.fixed_dictionaries(dict(
        lr=st.floats(0.0, 1.0), momentum=st.sampled_from([0.0, 0.5, 0.9]) | unit, dampening=st.sampled_from([0.0, 0.1]) | st.floats(0, 1),
        nesterov=st.booleans(), weight_decay=st.sampled_from([0.0, 1e-2]) | st.floats(0, 0.5))).map(
        lambda h: {**h, "nesterov": h["nesterov"] and h["momentum"] > 0, "dampening": 0.0 if h["nesterov"] and h["momentum"] > 0 else h["dampening"]})),
    RMSprop: (rmsprop_rule, st.fixed_dictionaries(dict(
        lr=st.floats(0.0, 0.1), alpha=st.sampled_from([0.0, 0.9, 0.99]) | unit, eps=st.sampled_from([1e-8, 1e-3]),
        weight_decay=st.sampled_from([0.0, 1e-2]) | st.floats(0, 0.5), momentum=st.sampled_from([0.0, 0.9]) | unit,
        centered=st.booleans()))),
    Adam: (adam_rule, st.fixed_dictionaries(dict(
        lr=st.floats(0.0, 0.1), betas=st.tuples(st.sampled_from([0.0, 0.9]) | unit, st.sampled_from([0.0, 0.999]) | st.floats(0, 0.9999)),
        eps=st.sampled_from([1e-8, 1e-3]), weight_decay=st.sampled_from([0.0, 1e-2]) | st.floats(0, 0.5), amsgrad=st.booleans()))),
    AdamW: (adamw_rule, st.fixed_dictionaries(dict(
        lr=st.floats(0.0, 0.1), betas=st.tuples(st.sampled_from([0.0, 0.9]) | unit, st.sampled_from([0.0, 0.999]) | st.floats(0, 0.9999)),
        eps=st.sampled_from([1e-8, 1e-3]), weight_decay=st.sampled_from([0.0, 1e-2]) | st.floats(0, 0.5), amsgrad=st.booleans()))),
}

GRADIENT_SCALE = st.sampled_from([1e-3, 1.0, 1e3])


@budget(80)
@given(optimizer=st.sampled_from(list(HYPERPARAMETERS)), data=st.data(),
       shapes_=st.lists(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3), min_size=1, max_size=3),
       steps=st.integers(1, 6), seed=st.integers(0, 2**32 - 1))
def test_every_option_follows_its_update_rule(optimizer, data, shapes_, steps, seed):
    rule, hyperparameter_strategy = HYPERPARAMETERS[optimizer]
    hyperparameters = data.draw(hyperparameter_strategy, "hyperparameters")
    rng = np.random.default_rng(seed)
    params = [Parameter(rng.normal(size=shape)) for shape in shapes_]
    expected = [p.data.copy() for p in params]
    states = [{} for _ in params]
    opt = optimizer(params, **hyperparameters)
    for step in range(steps):
        for k, param in enumerate(params):
            if data.draw(st.integers(0, 4), f"gradient {k} at step {step} missing?") == 0:
                param.grad = None  # skipped: no update, no state change, no step counted
                continue
            param.grad = rng.normal(size=param.shape) * data.draw(GRADIENT_SCALE)
            expected[k] = rule(expected[k], param.grad, states[k], **hyperparameters)
        grads_before = [None if p.grad is None else p.grad.copy() for p in params]
        opt.step()
        for k, param in enumerate(params):
            # Each rule is a few roundings per step (sqrt, divisions): 1e-12 relative; the scale of the
            # entries bounds the absolute error where an update cancels the parameter.
            scale = max(1.0, float(np.max(np.abs(expected[k]), initial=0.0)))
            np.testing.assert_allclose(param.data, expected[k], rtol=1e-11, atol=1e-13 * scale,
                                       err_msg=f"{optimizer.__name__}({hyperparameters}), parameter {k}, after step {step + 1}")
            if grads_before[k] is not None:
                np.testing.assert_array_equal(param.grad, grads_before[k], err_msg="step() must not change .grad")
        opt.zero_grad()
        assert all(p.grad is None for p in params), "zero_grad() sets every .grad to None (as PyTorch does)"


@budget(20)
@given(optimizer=st.sampled_from([SGD, RMSprop, Adam, AdamW]), shape=hnp.array_shapes(min_dims=0, max_dims=2, max_side=3))
def test_a_single_parameter_instead_of_a_list_is_refused(optimizer, shape):
    # Iterating a Parameter walks its rows (or nothing, for a 0-d one): step() would then update nothing.
    with pytest.raises(TypeError, match="params"):
        optimizer(Parameter(np.ones(shape)), lr=0.1)


BAD_TYPE = st.sampled_from([None, "0.1", [0.1], 1j, (0.1,)])
BAD_VALUE = st.sampled_from([-0.1, -1.0, float("nan")])


@budget(40)
@given(optimizer=st.sampled_from([SGD, RMSprop, Adam, AdamW]), wrong_type=st.booleans(), data=st.data())
def test_a_bad_hyperparameter_is_named_with_its_value(optimizer, wrong_type, data):
    name = data.draw(st.sampled_from({SGD: ["lr", "momentum", "weight_decay", "dampening"],
                                      RMSprop: ["lr", "alpha", "eps", "weight_decay", "momentum"],
                                      Adam: ["lr", "eps", "weight_decay"], AdamW: ["lr", "eps", "weight_decay"]}[optimizer]))
    value = data.draw(BAD_TYPE if wrong_type else BAD_VALUE, name)
    with pytest.raises(TypeError if wrong_type else ValueError) as error:
        optimizer([Parameter(np.ones(2))], **{"lr": 0.1, name: value})
    assert name in str(error.value) and (wrong_type or repr(value) in str(error.value)), (
        f"{optimizer.__name__}({name}={value!r}): the message should name {name} and the value, got: {error.value}")


@budget(20)
@given(optimizer=st.sampled_from([Adam, AdamW]),
       betas=st.sampled_from([0.9, None, "0.9", (0.9,), (0.9, 0.999, 0.5), (0.9, None), (1.0, 0.999), (0.9, -0.1), (0.9, 1.0)]))
def test_adam_betas_must_be_a_pair_of_decay_rates(optimizer, betas):
    wrong_type = not isinstance(betas, tuple) or any(b is None for b in betas)
    with pytest.raises(TypeError if wrong_type else ValueError) as error:
        optimizer([Parameter(np.ones(2))], lr=0.1, betas=betas)
    assert "betas" in str(error.value), f"{optimizer.__name__}(betas={betas!r}) should name betas, got: {error.value}"
