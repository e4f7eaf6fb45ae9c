"""``solve_ivp`` and its methods against closed-form solutions, on generated problems.

* Fixed-step methods on ``y' = lam * y``: each step multiplies y by the method's stability
  polynomial R(h lam) (its Taylor polynomial of exp to degree = order), so the result is
  exactly the product of R over the steps taken, to rounding.
* Polynomial slopes ``y' = p(t)``: a method of order q integrates degree < q exactly.
* RK45 on linear systems, ``y' = cos(w t) y`` and the logistic equation: within the bound that
  its error control documents (each accepted step's error below the tolerance, carried forward
  by the problem's own growth).
* ``fun`` is never called outside [t0, t_bound], whatever the interval, step, stops or tolerance;
  ``nfev`` counts every call; ``t_eval`` times are reported exactly.
"""
from __future__ import annotations

import math

import numpy as np
import pytest

pytest.importorskip("hypothesis", reason="the generated tests need Hypothesis: pip install -e '.[dev]'")
# Hypothesis would catch a timeout's exception and retry the slow example: stop the whole run instead.
pytestmark = pytest.mark.timeout(60, method="thread")

from hypothesis import assume, example, given, strategies as st  # noqa: E402

from learndyn.ode import solve_ivp  # noqa: E402
from property_strategies import budget  # noqa: E402

ORDER = {"Euler": 1, "Midpoint": 2, "Heun": 2, "RK4": 4}
FIXED = sorted(ORDER)

starts = st.sampled_from([0.0, 1.0, -3.5, 1e3, -1e6]) | st.floats(-10, 10)
lengths = st.floats(0.05, 3.0)
steps = st.floats(0.01, 0.7)


def stability_polynomial(z: np.ndarray, degree: int) -> np.ndarray:
    return sum(z**k / math.factorial(k) for k in range(degree + 1))


class Recorder:
    """``fun`` wrapped to record every time it is called at."""

    def __init__(self, fun):
        self.fun, self.times = fun, []

    def __call__(self, t, y):
        self.times.append(t)
        return self.fun(t, y)

    def assert_inside(self, t0: float, t_bound: float, what: str) -> None:
        outside = [t for t in self.times if not t0 <= t <= t_bound]
        assert not outside, f"{what}: fun was called at {outside[:3]} outside [t0, t_bound] = [{t0!r}, {t_bound!r}]"


@budget(60)
@given(method=st.sampled_from(FIXED), t0=starts, length=lengths, step=steps,
       rates=st.lists(st.floats(-4.0, 1.0), min_size=1, max_size=3), data=st.data())
def test_fixed_steps_multiply_by_the_stability_polynomial(method, t0, length, step, rates, data):
    t_bound = t0 + length
    assume(t_bound > t0 and (t_bound - t0) / step < 400)
    rates = np.array(rates)
    y0 = np.array(data.draw(st.lists(st.floats(-2, 2), min_size=len(rates), max_size=len(rates)), "y0"))
    fun = Recorder(lambda t, y: rates * y)
    result = solve_ivp(fun, (t0, t_bound), y0, method=method, step=step)
    what = f"{method}, step {step!r} on ({t0!r}, {t_bound!r})"
    fun.assert_inside(t0, t_bound, what)
    assert result.success and result.t[0] == t0 and result.t[-1] == t_bound, f"{what}: t runs {result.t[0]!r} .. {result.t[-1]!r}"
    # The documented steps: full steps of `step`, the last one shortened to land on t_bound, or kept
    # full when it ends within LANDING_SLACK (1e-9) of a step from t_bound (then t is set to t_bound).
    times, h = [t0], []
    while times[-1] < t_bound:
        t_new = times[-1] + step
        landing = abs(t_bound - t_new) <= 1e-9 * step
        h.append(step if landing or t_new < t_bound else t_bound - times[-1])
        times.append(t_bound if landing or t_new > t_bound else t_new)
    h = np.array(h)
    np.testing.assert_array_equal(result.t, times, err_msg=f"{what}: the times of the steps")
    # One evaluation at the start, then s per step (s - 1 inner stages and f at the new point): s = order here.
    assert result.nfev == len(fun.times) == 1 + len(h) * ORDER[method], f"{what}: nfev {result.nfev}, {len(fun.times)} calls"
    factors = np.cumprod(stability_polynomial(np.outer(h, rates), ORDER[method]), axis=0)
    expected = np.column_stack([y0, (factors * y0).T])
    # Exact algebra on both sides, in different orders: rounding ~1e-16 per operation over <= 400 steps.
    np.testing.assert_allclose(result.y, expected, rtol=1e-12, atol=1e-14, err_msg=what)


@budget(40)
@given(method=st.sampled_from(FIXED + ["RK45"]), t0=st.floats(-3, 3), length=lengths, step=steps,
       coefficients=st.lists(st.floats(-2, 2), min_size=1, max_size=5))
def test_polynomial_slopes_of_degree_below_the_order_are_integrated_exactly(method, t0, length, step, coefficients):
    order = ORDER.get(method, 5)
    coefficients = np.array(coefficients[:order])  # degree <= order - 1
    t_bound = t0 + length
    assume((t_bound - t0) / step < 400)
    slope = np.polynomial.Polynomial(coefficients)
    kwargs = dict(rtol=1e-3, atol=1e-6) if method == "RK45" else dict(step=step)
    result = solve_ivp(lambda t, y: np.array([slope(t)]), (t0, t_bound), [1.0], method=method, **kwargs)
    exact = 1.0 + slope.integ()(result.t) - slope.integ()(t0)
    # Quadrature of degree < order is exact: only rounding remains (~1e-15 per step times the values).
    scale = 1.0 + np.max(np.abs(slope.integ()(result.t))) + np.abs(coefficients).sum() * (1 + abs(t0) + length) ** len(coefficients)
    np.testing.assert_allclose(result.y[0], exact, rtol=0, atol=1e-12 * scale * len(result.t),
                               err_msg=f"{method}: y' = {slope} from t0 = {t0!r}")


@st.composite
def linear_systems(draw):
    """A symmetric A = Q diag(lam) Q^T with lam in [-3, 1]: y(t) = Q exp(lam (t - t0)) Q^T y0."""
    n = draw(st.integers(1, 3))
    lam = np.array(draw(st.lists(st.floats(-3.0, 1.0), min_size=n, max_size=n)))
    q, _ = np.linalg.qr(np.random.default_rng(draw(st.integers(0, 2**32 - 1))).normal(size=(n, n)))
    return q, lam


TOLERANCES = st.tuples(st.sampled_from([1e-3, 1e-5, 1e-7, 1e-9]), st.sampled_from([1e-6, 1e-9, 1e-12]))


@budget(40)
@given(system=linear_systems(), tolerances=TOLERANCES, t0=starts, length=st.floats(0.1, 4.0), per_component=st.booleans(),
       data=st.data())
def test_rk45_on_linear_systems_stays_within_its_error_control(system, tolerances, t0, length, per_component, data):
    q, lam = system
    n = len(lam)
    rtol, atol = tolerances
    atol = np.full(n, atol) * np.array(data.draw(st.lists(st.floats(0.1, 10), min_size=n, max_size=n))) if per_component else atol
    a = q @ np.diag(lam) @ q.T
    y0 = np.array(data.draw(st.lists(st.floats(-3, 3), min_size=n, max_size=n), "y0"))
    t_bound = t0 + length
    assume(t_bound > t0)
    t_eval = np.sort(np.array(data.draw(st.lists(st.floats(0, 1), max_size=5, unique=True), "t_eval fractions"))) * (t_bound - t0) + t0
    t_eval = np.unique(np.clip(t_eval, t0, t_bound))
    fun = Recorder(lambda t, y: a @ y)
    result = solve_ivp(fun, (t0, t_bound), y0, rtol=rtol, atol=atol, t_eval=t_eval)
    what = f"RK45, rtol={rtol}, atol={atol}, lam={lam}, on ({t0!r}, {t_bound!r})"
    fun.assert_inside(t0, t_bound, what)
    assert result.success, f"{what}: {result.message}"
    assert result.nfev == len(fun.times), f"{what}: nfev {result.nfev}, fun was called {len(fun.times)} times"
    np.testing.assert_array_equal(result.t, t_eval, err_msg=f"{what}: the t_eval times, exactly")
    exact = np.column_stack([q @ (np.exp(lam * (t - t0)) * (q.T @ y0)) for t in t_eval]) if t_eval.size else np.empty((n, 0))
    # The documented bound: every accepted step's (estimated) error is below atol + rtol |y| in the rms norm,
    # so at most sqrt(n) times that per component; the problem carries each step's error forward, growing
    # it by at most exp(max(lam, 0) * length).  The number of steps is unknown from t_eval alone: count the
    # evaluations (6 per attempted step) as an upper bound.  Dense output at t_eval adds one local error.
    attempts = result.nfev / 6 + 1
    largest = np.abs(y0).max() * math.exp(max(lam.max(), 0) * length)
    allowed = math.sqrt(n) * attempts * (np.max(atol) + rtol * largest) * math.exp(max(lam.max(), 0) * length)
    np.testing.assert_allclose(result.y, exact, rtol=0, atol=allowed, err_msg=what)


@budget(30)
@example(omega=2.6875, t0=1.192092896e-07, length=0.375, y0=1.25, rtol=1e-4)  # end - t rounded up: t + h passed t_bound
@given(omega=st.floats(0.3, 5.0), t0=st.floats(-5, 5), length=st.floats(0.1, 5.0), y0=st.floats(-2, 2).filter(lambda v: abs(v) > 0.1),
       rtol=st.sampled_from([1e-4, 1e-6, 1e-8]))
def test_rk45_on_a_non_autonomous_equation(omega, t0, length, y0, rtol):
    # y' = cos(omega t) y: y(t) = y0 exp((sin(omega t) - sin(omega t0)) / omega), never above |y0| e^(2 / omega).
    t_bound, atol = t0 + length, 1e-10
    fun = Recorder(lambda t, y: np.cos(omega * t) * y)
    result = solve_ivp(fun, (t0, t_bound), [y0], rtol=rtol, atol=atol)
    fun.assert_inside(t0, t_bound, f"RK45 on y' = cos({omega} t) y")
    exact = y0 * np.exp((np.sin(omega * result.t) - np.sin(omega * t0)) / omega)
    largest = abs(y0) * math.exp(2 / omega)
    # Each step's error below atol + rtol |y|; the equation's growth factor over the run is <= e^(2 / omega).
    allowed = (len(result.t) + 1) * (atol + rtol * largest) * math.exp(2 / omega)
    np.testing.assert_allclose(result.y[0], exact, rtol=0, atol=allowed, err_msg=f"omega={omega}, rtol={rtol}")


@budget(40)
@example(method="Heun", t0=-10.0, pieces=27, step=0.3, stops=[])  # (landmark - h) + h passed the landmark
@example(method="RK4", t0=0.0, pieces=3, step=0.1, stops=[])  # 0.1 + 0.1 + 0.1 = 0.30000000000000004
@given(method=st.sampled_from(FIXED + ["RK45"]), t0=starts, pieces=st.integers(1, 40),
       step=st.sampled_from([0.1, 0.3, 1 / 3, 0.7, 1e-2]), stops=st.lists(st.integers(1, 40), max_size=4))
def test_fun_is_never_called_outside_the_interval_even_when_steps_nearly_divide_it(method, t0, pieces, step, stops):
    # Steps that divide the interval up to rounding are where a "full" last step lands a hair past t_bound.
    t_bound = t0 + pieces * step
    assume(t_bound > t0)
    stops = np.array(sorted({s for s in stops if s <= pieces})) * step + t0
    t_eval = np.concatenate([[t0], stops[stops <= t_bound]])
    t_eval = t_eval[np.concatenate([[True], np.diff(t_eval) > 0])]
    fun = Recorder(lambda t, y: -y + math.sqrt(max(t_bound - t, 0.0)))  # sqrt(t_bound - t): undefined past t_bound
    kwargs = dict(rtol=1e-6, atol=1e-9) if method == "RK45" else dict(step=step)
    result = solve_ivp(fun, (t0, t_bound), [100.0], method=method, t_eval=t_eval, **kwargs)
    fun.assert_inside(t0, t_bound, f"{method}, {pieces} steps of {step!r} from {t0!r}")
    np.testing.assert_array_equal(result.t, t_eval)
    assert result.success and result.nfev == len(fun.times)


@budget(20)
@given(t_span=st.one_of(
    st.tuples(st.floats(-5, 5), st.floats(-5, 5), st.floats(-5, 5)),
    st.tuples(st.floats(-5, 5)),
    st.tuples(st.floats(-5, 5), st.floats(-5, 5)).filter(lambda s: not s[0] < s[1]),
    st.tuples(st.just(0.0), st.sampled_from([np.inf, np.nan])),
))
def test_a_bad_t_span_is_a_value_error_naming_it(t_span):
    with pytest.raises(ValueError, match="t_span"):
        solve_ivp(lambda t, y: -y, t_span, [1.0])


@budget(20)
@given(t_span=st.sampled_from([1.0, None, "01", (0.0, "1"), (None, 1.0), (0.0, 1j)]))
def test_a_t_span_of_the_wrong_type_is_a_type_error_naming_it(t_span):
    with pytest.raises(TypeError, match="t_span"):
        solve_ivp(lambda t, y: -y, t_span, [1.0])


@budget(30)
@given(n=st.integers(1, 3), shape=st.sampled_from([(2,), (4,), (1, 1), (2, 2)]),
       argument=st.sampled_from(["atol", "rtol", "max_step", "first_step", "y0", "t_eval"]), data=st.data())
def test_tolerances_and_other_arguments_are_checked_with_their_names(n, shape, argument, data):
    kwargs = dict(fun=lambda t, y: -y, t_span=(0.0, 1.0), y0=np.ones(n))
    bad_type = data.draw(st.booleans(), "wrong type rather than wrong value")
    if argument == "atol":
        if bad_type:
            kwargs["atol"] = "1e-6"
        else:
            assume(shape != (n,))
            kwargs["atol"] = np.full(shape, 1e-6)
    elif argument == "rtol":
        kwargs["rtol"] = None if bad_type else data.draw(st.sampled_from([0.0, -1e-3, np.nan]))
    elif argument == "max_step":
        kwargs["max_step"] = "1" if bad_type else data.draw(st.sampled_from([0.0, -1.0, np.nan]))
    elif argument == "first_step":
        kwargs["first_step"] = [0.1] if bad_type else data.draw(st.sampled_from([0.0, -0.1, 2.0]))
    elif argument == "y0":
        kwargs["y0"] = ["a"] * n if bad_type else np.ones(shape + (2,))
    else:
        kwargs["t_eval"] = "0.5" if bad_type else data.draw(st.sampled_from([[0.5, 0.2], [0.0, 2.0], [np.nan], [[0.1]]]))
    with pytest.raises(TypeError if bad_type else ValueError, match=argument):
        solve_ivp(**kwargs)
