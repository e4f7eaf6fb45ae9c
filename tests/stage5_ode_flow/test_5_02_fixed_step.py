"""Task 5.2: fixed-step Runge-Kutta integration through solve_ivp: result, order, t_eval, stability."""
import math

import numpy as np
import pytest

from learndyn.ode import solve_ivp
from oracle import assert_close

pytestmark = pytest.mark.task("5.2")

ORDER = {"Euler": 1, "Midpoint": 2, "Heun": 2, "RK4": 4}
STAGES = {"Euler": 1, "Midpoint": 2, "Heun": 2, "RK4": 4}


def exp_sin(t, y):
    """y' = cos(t) y, y(0) = 1: y(t) = exp(sin t)."""
    return np.cos(t) * y


@pytest.mark.parametrize("method", list(ORDER))
def test_result_holds_every_step_with_counted_evaluations(method):
    result = solve_ivp(exp_sin, (0.0, 1.0), [1.0, 2.0], method=method, step=0.125)
    assert result.success and result.status == 0, f"{method}: status {result.status}, message {result.message!r}"
    assert_close(result.t, np.arange(9) * 0.125, rtol=0, atol=1e-14, what=f"{method}: result.t (the start and all 8 steps)")
    assert result.y.shape == (2, 9), f"{method}: result.y must have shape (n, len(t)) = (2, 9), got {result.y.shape}"
    assert_close(result.y[:, 0], [1.0, 2.0], rtol=0, atol=0, what="result.y[:, 0] (the initial value)")
    assert_close(result.y[1], 2 * result.y[0], rtol=1e-13, atol=0, what="the second component (a linear ODE: twice the first)")
    # s stages per step: f at the start, then s - 1 inner stages and f at the new point for each of the 8 steps.
    assert result.nfev == STAGES[method] * 8 + 1, f"{method}: nfev {result.nfev}, expected {STAGES[method]} * 8 + 1"


@pytest.mark.parametrize("method", list(ORDER))
def test_measured_order_matches_the_tableau(method):
    exact = np.exp(np.sin(2.0))
    errors = [abs(solve_ivp(exp_sin, (0.0, 2.0), [1.0], method=method, step=h).y[0, -1] - exact) for h in (0.025, 0.0125)]
    measured = np.log2(errors[0] / errors[1])
    # The error is C h^p (1 + O(h)); at these steps the O(h) correction moves log2(ratio) by < 0.1
    # (Midpoint's is the largest: ratio 3.90 instead of 4), so +-0.2 separates orders 1, 2 and 4.
    assert abs(measured - ORDER[method]) < 0.2, (
        f"{method}: halving the step divided the error by {errors[0] / errors[1]:.3g} (order {measured:.2f}); "
        f"a method of order {ORDER[method]} divides it by {2 ** ORDER[method]}. Check the tableau and rk_step.")


def test_t_eval_times_are_landed_on_exactly():
    t_eval = np.array([0.0, 0.25, 0.5, 1.0])
    result = solve_ivp(lambda t, y: -2 * y, (0.0, 1.0), [1.0], method="Euler", step=0.1, t_eval=t_eval)
    assert_close(result.t, t_eval, rtol=0, atol=0, what="result.t with t_eval (exactly the requested times)")
    # Euler with steps 0.1, 0.1, 0.05 | 0.1, 0.1, 0.05 | 0.1 x 5: each step multiplies y by (1 - 2 h).
    expected = [1.0, 0.8**2 * 0.9, (0.8**2 * 0.9) ** 2, (0.8**2 * 0.9) ** 2 * 0.8**5]
    assert_close(result.y[0], expected, rtol=1e-13, atol=0, what="Euler at the t_eval times (steps shortened to land on them)",
                 alternatives={"steps of 0.1 not shortened, the value of the nearest step reported": [1.0, 0.8**3, 0.8**5, 0.8**10]})


@pytest.mark.parametrize("method, boundary", [("Euler", 2.0), ("RK4", 2.785293563405282)])
def test_stability_interval_on_a_decaying_exponential(method, boundary):
    lam = -10.0

    def grows(h):
        y = solve_ivp(lambda t, y: lam * y, (0.0, 60 * h), [1.0], method=method, step=h).y[0, -1]
        return abs(y) > 1.0

    low, high = 0.5 * boundary / abs(lam), 2.0 * boundary / abs(lam)
    assert not grows(low) and grows(high)
    for _ in range(30):
        middle = 0.5 * (low + high)
        low, high = (low, middle) if grows(middle) else (middle, high)
    # |R(h lam)| = 1 at the boundary: Euler |1 + z| = 1 at z = -2 (GD's lr = 2 / lambda_max), RK4's
    # Taylor polynomial at z = -2.7853.  Bisection to 2^-30 of the bracket: 1e-6 is ample.
    assert abs(high * abs(lam) - boundary) < 1e-6, (
        f"{method}: |y| grows for h > {high:.6g}, i.e. h |lambda| > {high * abs(lam):.6g}; theory: {boundary:.6g}")


def test_bad_arguments_are_named():
    assert solve_ivp(exp_sin, (0.0, 1.0), [1.0], method="Euler", step=0.5).y.shape == (1, 3)
    with pytest.raises(ValueError, match="step"):
        solve_ivp(exp_sin, (0.0, 1.0), [1.0], method="RK4")
    with pytest.raises(ValueError, match="step must be"):
        solve_ivp(exp_sin, (0.0, 1.0), [1.0], method="RK4", step=-0.1)
    with pytest.raises(TypeError, match="step must be"):
        solve_ivp(exp_sin, (0.0, 1.0), [1.0], method="RK4", step="0.1")
    with pytest.raises(ValueError, match="method must be one of"):
        solve_ivp(exp_sin, (0.0, 1.0), [1.0], method="RK5", step=0.1)
    # t_span is a pair: SciPy's own unpacking error would not say which argument was wrong.
    with pytest.raises(ValueError, match=r"t_span must be a pair.*\(0, 1, 2\)"):
        solve_ivp(exp_sin, (0, 1, 2), [1.0], method="RK4", step=0.1)
    with pytest.raises(TypeError, match="t_span"):
        solve_ivp(exp_sin, 1.0, [1.0], method="RK4", step=0.1)
    with pytest.raises(ValueError, match="t_eval must be strictly increasing"):
        solve_ivp(exp_sin, (0.0, 1.0), [1.0], method="RK4", step=0.1, t_eval=[0.5, 0.2])
    with pytest.raises(ValueError, match="t_eval must lie in t_span"):
        solve_ivp(exp_sin, (0.0, 1.0), [1.0], method="RK4", step=0.1, t_eval=[np.nan])


@pytest.mark.parametrize("method", list(ORDER))
@pytest.mark.parametrize("t0, t_bound, step", [(0.0, 0.3, 0.1), (0.0, 1.0, 0.3), (-10.0, -10.0 + 27 * 0.3, 0.3)],
                         ids=["step-divides-up-to-rounding", "short-last-step", "landing-start-rounds-up"])
def test_fun_is_never_called_outside_the_interval(method, t0, t_bound, step):
    # fun may be undefined past t_bound: y' = sqrt(t_bound - t) is, for t > t_bound (math.sqrt raises).
    times = []

    def fun(t, y):
        times.append(t)
        return np.array([math.sqrt(max(t_bound - t, 0.0))])  # recorded, not raised: the assertion below says why

    result = solve_ivp(fun, (t0, t_bound), [0.0], method=method, step=step)
    assert result.t[-1] == t_bound, f"{method}: the last step must land on t_bound = {t_bound}, got {result.t[-1]!r}"
    assert min(times) >= t0 and max(times) <= t_bound, (
        f"{method} with step {step} on ({t0}, {t_bound!r}): fun was called at t = {float(max(times))!r} > t_bound. "
        "Three steps of 0.1 add up to 0.30000000000000004, not 0.3: when the last step lands on t_bound (by shortening "
        "it, or within rounding), no stage time t + C[i] h may lie past t_bound: h = step_to(t, stop) for a shortened "
        "step, stages from start_for(h, stop) for a full one (t_bound - h can round so that it ends an ulp late).")


def test_landing_on_a_stop_within_rounding_keeps_the_full_step():
    # Stops at k / 10: t = 0.1 + 0.1 + 0.1 is 0.30000000000000004, not 0.3. Within rounding of a stop the step
    # keeps its full h (Euler on y' = -y is then y <- y - 0.1 y bit for bit, as gradient descent would be) and
    # t is set to the stop; a shortened step, or an extra tiny one, changes the last bits and costs evaluations.
    t_eval = np.arange(11) / 10
    result = solve_ivp(lambda t, y: -y, (0.0, 1.0), [1.0], method="Euler", step=0.1, t_eval=t_eval)
    expected, y = [1.0], 1.0
    for _ in range(10):
        y = y + 0.1 * -y
        expected.append(y)
    assert np.array_equal(result.t, t_eval), f"result.t must be exactly t_eval, got {result.t.tolist()}"
    assert np.array_equal(result.y[0], expected), (
        f"Euler with step 0.1 landing on the stops k / 10: got {result.y[0].tolist()}, expected y <- y - 0.1 y bit for "
        "bit. A step ending within rounding (LANDING_SLACK * h) of a stop keeps its full h and lands on the stop.")
    assert result.nfev == 11, f"{result.nfev} evaluations for 10 Euler steps (and the start): no extra tiny steps"


def test_a_stop_beyond_rounding_gets_a_short_step_of_its_own():
    # A stop 5e-10 after the first step's end is 5e-9 of a step away: 50 times LANDING_SLACK (1e-9 of a step),
    # not rounding. Euler takes the full step to 0.1, then a step of 5e-10 to the stop.
    stop = 0.1 + 5e-10
    result = solve_ivp(lambda t, y: -y, (0.0, 0.3), [1.0], method="Euler", step=0.1, t_eval=[stop])
    expected = 0.9 - (stop - 0.1) * 0.9
    assert result.t.tolist() == [stop] and abs(result.y[0, 0] - expected) < 1e-15, (
        f"y at the stop {stop!r}: {result.y[0].tolist()}, expected {expected!r} (a full step to 0.1, then a step of "
        "5e-10): only a step ending within LANDING_SLACK * h of a stop may land on it (the slack is a fraction of h)")


def test_a_failed_run_keeps_only_the_points_before_the_failure():
    # y' = y**2 from y(0) = 1 blows up at t = 1: Euler with step 0.05 overflows shortly after.
    with np.errstate(over="ignore", invalid="ignore"):
        result = solve_ivp(lambda t, y: y**2, (0.0, 2.0), [1.0], method="Euler", step=0.05)
    assert result.status == -1 and not result.success, f"the run overflows: status {result.status}, {result.message!r}"
    assert np.all(np.isfinite(result.y)), (
        f"the failed step's non-finite y was kept: {result.y[0, -3:].tolist()}. Stop the loop when a step fails, "
        "before recording it")
    assert np.all(np.diff(result.t) > 0), "times must increase strictly"


def linear_stand_in_for_rk45():
    """A stand-in for RK45 (task 5.3, later): Euler steps of 0.3, linear dense output. Only solve_ivp's loop is tested."""
    from learndyn.ode import OdeSolver

    class LinearStandIn(OdeSolver):
        def __init__(self, fun, t0, y0, t_bound, **tolerances):
            super().__init__(fun, t0, y0, t_bound)

        def _step_impl(self):
            h = min(0.3, self.t_bound - self.t)
            self.t, self.y = self.t + h, self.y + h * self.f
            self.f = self.fun(self.t, self.y)
            return True, ""

        def dense_output(self, t):
            return self.y_old + (t - self.t_old) / (self.t - self.t_old) * (self.y - self.y_old)

    return LinearStandIn


def test_t_eval_between_steps_is_read_from_the_dense_output(monkeypatch):
    import sys

    monkeypatch.setattr(sys.modules["learndyn.ode.solve_ivp"], "RK45", linear_stand_in_for_rk45())
    t_eval = np.array([0.0, 0.1, 0.3, 0.45, 0.6, 1.0])
    result = solve_ivp(lambda t, y: -y, (0.0, 1.0), [1.0], t_eval=t_eval)
    # Steps end at 0.3, 0.6, 0.9, 1.0 with y = 0.7, 0.49, 0.343, 0.3087; between them y is interpolated linearly.
    expected = [1.0, 1.0 - 0.1, 0.7, 0.7 + 0.5 * (0.49 - 0.7), 0.49, 0.343 * 0.9]
    assert_close(result.t, t_eval, rtol=0, atol=0, what="result.t with t_eval between and on an adaptive solver's steps")
    assert_close(result.y[0], expected, rtol=1e-12, atol=0,
                 what="y at t_eval: solver.y on a step, solver.dense_output(t) between the last two steps",
                 alternatives={"the value at the end of the step reported for times inside it": [1.0, 0.7, 0.7, 0.49, 0.49, 0.343 * 0.9]})
