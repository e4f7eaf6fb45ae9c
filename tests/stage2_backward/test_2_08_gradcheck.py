"""Task 2.8: your own gradient checker (the course's tests never use it to grade you)."""
import numpy as np
import pytest

from learndyn import Tensor
from learndyn.gradcheck import gradcheck, numerical_gradient
from oracle import assert_close

pytestmark = pytest.mark.task("2.8")


def test_numerical_gradient_of_a_cubic():
    x = np.array([[0.5, -1.0], [2.0, 0.25]])
    grad = numerical_gradient(lambda v: np.sum(v**3), x)
    # Central differences at eps=1e-6: error ~ eps**2 * f''' / 6 + 1e-16 * |f| / eps ~ 1e-10.
    assert_close(grad, 3 * x**2, rtol=1e-7, atol=1e-7, what="numerical gradient of sum(x**3)")


def test_numerical_gradient_is_central_not_one_sided():
    x = np.array([0.3, 1.0, -0.7])
    grad = numerical_gradient(lambda v: np.sum(np.exp(v)), x, eps=1e-3)
    # At eps=1e-3 central differences err by eps**2/6 * e^x ~ 5e-7; one-sided ones by eps/2 * e^x ~ 1e-3.
    assert_close(grad, np.exp(x), rtol=1e-5, atol=0, what="numerical gradient of sum(exp(x)) at eps=1e-3",
                 alternatives={"a one-sided difference (f(x+eps) - f(x)) / eps: use (f(x+eps) - f(x-eps)) / (2 eps)": (np.exp(x + 1e-3) - np.exp(x)) / 1e-3})


# Inputs that interact: 0.5 x^T W x with a full symmetric W couples every entry to every other, so an entry
# left shifted (x[i] never put back) changes every later difference; a separable f (sum(x**3), x @ x) hides it.
COUPLING = np.array([[2.0, 0.7, -0.4], [0.7, 1.5, 0.9], [-0.4, 0.9, 3.0]])


def _quadratic_form(v: np.ndarray) -> float:
    return float(0.5 * v @ COUPLING @ v)


def _never_restored(x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """What a numerical gradient that leaves each x[i] at x[i] - eps computes."""
    x, grad = x.astype(float).copy(), np.zeros_like(x, dtype=float)
    for i in range(x.size):
        x[i] += eps
        plus = _quadratic_form(x)
        x[i] -= 2 * eps
        grad[i] = (plus - _quadratic_form(x)) / (2 * eps)
    return grad


def test_numerical_gradient_of_a_form_whose_inputs_interact():
    x = np.array([0.8, -1.2, 0.5])
    grad = numerical_gradient(_quadratic_form, x)
    # f is quadratic, so central differences have no truncation error; rounding ~1e-16 * |f| / eps ~ 1e-10.
    # Leaving x[i] shifted by -eps moves later entries' gradients by -eps * W[j, i] ~ 1e-6: 100x the tolerance.
    assert_close(grad, COUPLING @ x, rtol=0, atol=1e-8, what="numerical gradient of 0.5 x^T W x (W full)",
                 alternatives={"x[i] is never put back after its differences (restore x[i] = original)": _never_restored(x)})
    np.testing.assert_array_equal(x, [0.8, -1.2, 0.5], err_msg="numerical_gradient changed its input x")


def test_gradcheck_passes_a_correct_gradient_of_interacting_inputs():
    w = Tensor(COUPLING)
    result = gradcheck(lambda v: 0.5 * (v * (w @ v)).sum(), [Tensor([0.8, -1.2, 0.5])])
    assert result.passed and result.max_relative_error < 1e-7, (
        f"gradcheck rejected a correct gradient of 0.5 x^T W x: {result}. Does the numerical gradient put each "
        "x[i] back after its two evaluations (inputs that interact show a leftover shift)?")


def test_numerical_gradient_leaves_its_input_unchanged():
    x = np.array([1.0, 2.0, 3.0])
    numerical_gradient(lambda v: float(v @ v), x)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])


def test_gradcheck_passes_a_correct_gradient_and_catches_a_wrong_one():
    rng = np.random.default_rng(3)
    a, b = Tensor(rng.normal(size=(3, 2))), Tensor(rng.normal(size=(2,)))
    good = gradcheck(lambda x, y: ((x * y).tanh() ** 2).sum(), [a, b])
    assert good.passed and good.max_relative_error < 1e-7, f"a correct gradient was reported wrong: {good}"
    # x * detach(x) has true gradient 2x but autodiff sees only x: half the gradient is missing.
    # Relative errors x / max(1, 2x) = 0.1, 0.5, 0.3: the worst entry is index (1,).
    bad = gradcheck(lambda x: (x * x.detach()).sum(), [Tensor([0.1, 0.6, 0.3])])
    assert not bad.passed and abs(bad.max_relative_error - 0.5) < 1e-6, f"a wrong gradient was not caught: {bad}"
    assert bad.worst_input == 0 and bad.worst_index == (1,), f"the worst entry is input 0 at (1,), got {bad}"


def test_gradcheck_reports_the_worst_input_wherever_it_is():
    # x * detach(x) gets half its gradient: relative error x / max(1, 2x) = 0.5 at x = 0.6, 0.2 at x = 0.2;
    # a correct term (z**2) has error ~1e-10. The worst input must be found first, in the middle and last.
    def f(*inputs):
        total = None
        for value, kind in zip(inputs, kinds):
            term = (value * value.detach()).sum() if kind == "half" else (value * value).sum()
            total = term if total is None else total + term
        return total

    cases = [([0.6, 0.2], ["half", "half"], 0, 0.5), ([0.2, 0.6, 0.3], ["half", "half", "exact"], 1, 0.5),
             ([0.2, 0.3, 0.6], ["half", "exact", "half"], 2, 0.5)]
    for values, kinds, worst_input, worst_error in cases:
        result = gradcheck(f, [Tensor([v]) for v in values])
        assert result.worst_input == worst_input and abs(result.max_relative_error - worst_error) < 1e-6, (
            f"inputs {values} ({kinds}): the worst entry is in input {worst_input} with relative error {worst_error}, "
            f"got input {result.worst_input} with {result.max_relative_error:.3g}: keep the largest error over all "
            "inputs (compare each input's max with the worst so far, max_relative_error)")
