"""Task 5.3: adaptive Dormand-Prince RK45 meets its tolerance at the cost of a well-tuned implementation."""
import math

import numpy as np
import pytest

from learndyn.ode import RK45, continuous_extension, rk_step, solve_ivp
from oracle import assert_close
from oracle.stage5_dormand_prince import dormand_prince, initial_step

pytestmark = pytest.mark.task("5.3")

# Problems with known solutions: (fun, y0, t_final, exact(t) -> array).
PROBLEMS = {
    "decay": (lambda t, y: -0.5 * y, [2.0], 10.0, lambda t: np.array([2 * np.exp(-0.5 * t)])),
    "oscillator": (lambda t, y: np.array([y[1], -y[0]]), [0.0, 1.0], 10.0, lambda t: np.array([np.sin(t), np.cos(t)])),
    "logistic": (lambda t, y: y * (1 - y), [0.01], 12.0, lambda t: np.array([1 / (1 + 99 * np.exp(-t))])),
    "gaussian": (lambda t, y: -2 * t * y, [1.0], 3.0, lambda t: np.array([np.exp(-t**2)])),
}
TOLERANCES = [(1e-3, 1e-6), (1e-6, 1e-9), (1e-9, 1e-12)]


@pytest.mark.parametrize("name", list(PROBLEMS))
def test_meets_its_tolerance_with_the_evaluations_of_a_well_tuned_dormand_prince(name):
    fun, y0, t_final, exact = PROBLEMS[name]
    t_eval = np.linspace(0.0, t_final, 23)
    for rtol, atol in TOLERANCES:
        result = solve_ivp(fun, (0.0, t_final), y0, rtol=rtol, atol=atol, t_eval=t_eval)
        assert result.success, f"{name}, rtol={rtol}: {result.message}"
        assert_close(result.t, t_eval, rtol=0, atol=0, what=f"{name}: result.t with t_eval")
        expected = np.column_stack([exact(t) for t in t_eval])
        # Local error control bounds each step's error by the tolerance; the global error is their
        # (damped or not) sum.  Measured with the reference: at most 4.1x (atol + rtol * max|y|) over
        # these problems, with the quartic dense output at the t_eval times.  10x leaves margin, and a
        # controller that does not control (or a cubic interpolant: 40x at rtol=1e-9) fails.
        allowed = 10 * (atol + rtol * np.abs(expected).max())
        assert_close(result.y, expected, rtol=0, atol=allowed,
                     what=f"{name}: RK45 solution at the t_eval times, rtol={rtol}, atol={atol}")
        _, reference_nfev, _ = dormand_prince(fun, 0.0, t_final, y0, rtol, atol)
        # "Close to a well-tuned implementation": within a factor 1.2 either way (the bound).
        assert reference_nfev / 1.2 <= result.nfev <= 1.2 * reference_nfev, (
            f"{name}, rtol={rtol}: {result.nfev} evaluations of fun, a well-tuned Dormand-Prince needs {reference_nfev}. "
            "Too many: is the step-size exponent -1/5, the last slope reused (FSAL), h grown after accepted steps? "
            "Too few: is error_norm compared with 1, and rejected steps retried?")


def test_tighter_tolerance_gives_a_smaller_error():
    fun, y0, t_final, exact = PROBLEMS["oscillator"]
    errors = [np.abs(solve_ivp(fun, (0.0, t_final), y0, rtol=rtol, atol=atol).y[:, -1] - exact(t_final)).max()
              for rtol, atol in TOLERANCES]
    # Each 1000x tighter tolerance: the error falls by roughly 1000 (a factor 100 each is a safe floor).
    assert errors[0] > 100 * errors[1] > 100**2 * errors[2], f"errors at rtol 1e-3, 1e-6, 1e-9: {errors}"


def test_continuous_extension_ends_on_the_step_and_is_accurate_inside():
    fun, y0, _, exact = PROBLEMS["oscillator"]
    h = 0.2
    y_start = exact(1.0)
    y_new, K = rk_step(fun, 1.0, y_start, fun(1.0, y_start), h, RK45.A, RK45.B, RK45.C)
    K = np.vstack([K, fun(1.0 + h, y_new)])
    assert_close(continuous_extension(y_start, K, h, RK45.P, 1.0), y_new, rtol=0, atol=1e-15,
                 what="continuous_extension at theta = 1 (must equal the step's y_new)")
    assert_close(continuous_extension(y_start, K, h, RK45.P, 0.0), y_start, rtol=0, atol=0,
                 what="continuous_extension at theta = 0 (the step's start)")
    # Inside: error O(h^5) ~ 0.2^5 / 120 ~ 3e-6 at worst; a cubic Hermite interpolant errs by ~h^4/384 = 4e-6,
    # linear interpolation by h^2/8 = 5e-3.  Measured error of the quartic: 2e-7.
    for theta in (0.25, 0.5, 0.8):
        assert_close(continuous_extension(y_start, K, h, RK45.P, theta), exact(1.0 + theta * h), rtol=0, atol=1e-6,
                     what=f"continuous_extension at theta = {theta}")


def test_a_solution_that_blows_up_fails_with_a_message():
    result = solve_ivp(lambda t, y: y**2, (0.0, 2.0), [1.0])  # y = 1 / (1 - t): infinite at t = 1
    assert not result.success and result.status == -1, f"status {result.status}: y' = y^2 cannot be integrated past t = 1"
    assert 0.99 < result.t[-1] < 1.0, f"the solver should get within 1% of the blow-up at t = 1, stopped at {result.t[-1]}"
    assert result.message, "a failed integration needs a message saying why"


def test_a_right_hand_side_undefined_past_a_time_fails_with_a_message():
    # sqrt(0.5 - t) is nan past t = 0.5 (without overflowing y): every step across it is rejected and the step
    # shrinks until it is below the smallest step at t; the run must then stop with a message, not go on forever.
    with np.errstate(invalid="ignore"):
        result = solve_ivp(lambda t, y: np.array([np.sqrt(0.5 - t)]), (0.0, 1.0), [0.0])
    assert result.status == -1 and "step" in result.message, (
        f"status {result.status}, message {result.message!r}: once the step needed is below the smallest step "
        "(h_abs < min_step), fail with a message naming the step size")
    assert 0.49 < result.t[-1] <= 0.5, f"the run should end just before t = 0.5, ended at {result.t[-1]}"
    steps = np.diff(result.t)
    smallest = 10 * np.spacing(result.t[:-1])  # the smallest step at each t (10 units in the last place)
    assert np.all(steps >= smallest), (
        f"an accepted step of {steps[np.argmin(steps / smallest)]:.3g} at t = {result.t[np.argmin(steps / smallest)]!r} "
        "is shorter than the smallest step: check h_abs < min_step before every trial step and fail there")


def test_first_step_and_max_step_are_respected():
    result = solve_ivp(lambda t, y: -y, (0.0, 5.0), [1.0], max_step=0.1)
    assert np.diff(result.t).max() <= 0.1 + 1e-12, f"largest step {np.diff(result.t).max()} > max_step = 0.1"
    result = solve_ivp(lambda t, y: -y, (0.0, 5.0), [1.0], first_step=1e-3)
    assert abs(result.t[1] - 1e-3) < 1e-15, f"first step {result.t[1]}, asked for first_step = 1e-3"
    with pytest.raises(ValueError, match="rtol must be > 0"):
        solve_ivp(lambda t, y: -y, (0.0, 5.0), [1.0], rtol=0.0)


# Slow problems let one term of the heuristic dominate and hide the others; these cover every branch: fast and
# stiff decay (100 h0 against h1), a fast oscillator, y0 = 0 (d0 tiny: h0 = 1e-6), f = 0 at the start (d1 tiny),
# a constant solution (d1 and d2 tiny: h1 = max(1e-6, 1e-3 h0)), and a short interval (the trial step clipped).
INITIAL_STEP_PROBLEMS = {
    "fast decay": (lambda t, y: -1000.0 * y, [1.0], 1.0),
    "stiff pair": (lambda t, y: np.array([-y[0], -1e4 * (y[1] - np.cos(t))]), [1.0, 0.0], 1.0),
    "fast oscillator": (lambda t, y: np.array([100.0 * y[1], -100.0 * y[0]]), [1.0, 0.0], 1.0),
    "slow growth": (lambda t, y: 0.01 * y, [3.0, -2.0], 100.0),
    "zero start": (lambda t, y: np.array([1.0 + 0.0 * y[0]]), [0.0], 1.0),
    "flat start": (lambda t, y: np.array([t * t + 0.0 * y[0]]), [1.0], 1.0),
    "constant": (lambda t, y: 0.0 * y, [2.0], 1.0),
    "short interval": (lambda t, y: -0.5 * y, [2.0], 1e-7),
    "short interval late": (lambda t, y: -0.5 * y, [2.0], 5.0 + 1e-7, 5.0),  # t0 = 5: the cap is t_bound - t
    "constant drift": (lambda t, y: 1e-4 + 0.0 * y, [1.0], 1.0),  # d1 ~ 0.1 but d2 = 0: not the "both tiny" branch
    "tiny start": (lambda t, y: -0.5 * y, [5e-7], 1.0),  # |y| below atol: d0 ~ 0.5, between the 1e-5 branch and 1
    "very slow": (lambda t, y: 1e-4 * y, [1.0], 1.0),  # d1 ~ 0.1 at rtol 1e-3
    "driven": (lambda t, y: 4.0 * np.sin(3.0 * t) + 1.0 - y, [0.5], 1.0),  # the trial slope depends on t and on y
}


@pytest.mark.parametrize("name", list(INITIAL_STEP_PROBLEMS))
@pytest.mark.parametrize("tolerances", [(1e-3, 1e-6), (1e-8, 1e-10)], ids=["loose", "tight"])
def test_initial_step_is_the_documented_heuristic_on_fast_stiff_and_flat_problems(name, tolerances):
    fun, y0, t_bound, t0 = (*INITIAL_STEP_PROBLEMS[name], 0.0)[:4]
    rtol, atol = tolerances
    solver = RK45(fun, t0, y0, t_bound, rtol=rtol, atol=atol)
    expected = initial_step(fun, t0, t_bound, y0, rtol, atol)
    # The same arithmetic in another order: rounding only (~1e-15 relative); a dropped division changes it by x10^k.
    assert_close(solver.h_abs, expected, rtol=1e-10, atol=0,
                 what=f"{name} (rtol {rtol}, atol {atol}): RK45's initial step; check every term of select_initial_step "
                      "(h0 = 0.01 d0 / d1, the 1e-5 and 1e-15 branches, d2 = rms(...) / h0, min(100 h0, h1, t_bound - t))")


# Slow problems and fast, stiff ones: on a stiff pair the step is held at the stability limit by rejections.
CONTROLLER_PROBLEMS = {
    "oscillator": PROBLEMS["oscillator"][:3], "logistic": PROBLEMS["logistic"][:3],
    "fast decay": (lambda t, y: -200.0 * y, [1.0], 0.2),
    "stiff pair": (lambda t, y: np.array([-y[0], -1000.0 * (y[1] - np.cos(t))]), [1.0, 0.0], 0.3),
}


@pytest.mark.parametrize("name", list(CONTROLLER_PROBLEMS))
def test_steps_follow_the_documented_controller(name):
    fun, y0, t_final = CONTROLLER_PROBLEMS[name]
    result = solve_ivp(fun, (0.0, t_final), y0, rtol=1e-4, atol=1e-7)
    _, _, reference_times = dormand_prince(fun, 0.0, t_final, y0, 1e-4, 1e-7)
    # The same controller (initial step heuristic, SAFETY, MIN_FACTOR, MAX_FACTOR, exponent -1/5, no growth
    # after a rejection) gives the same accepted steps up to rounding.  The error estimate is a difference
    # of nearly equal numbers (relative rounding ~1e-16 * |y| / |error| ~ 1e-9 at rtol 1e-4), which moves
    # each step by ~1e-10 relative; measured worst 1.6e-8 over the run.  A wrong constant changes steps by %.
    assert len(result.t) == len(reference_times), (
        f"{name}: {len(result.t) - 1} accepted steps, the documented controller takes {len(reference_times) - 1}. "
        "Check the exponent -1 / (error_estimator_order + 1), the SAFETY/MIN_FACTOR/MAX_FACTOR clipping and select_initial_step.")
    assert_close(result.t, reference_times, rtol=1e-6, atol=1e-12, what=f"{name}: times of the accepted RK45 steps")


def test_reproduces_scipys_documented_example():
    # The example of scipy.integrate.solve_ivp's documentation ("Basic exponential decay showing
    # automatically chosen time points"), printed there to 8 decimals: SciPy's own RK45 with the
    # default rtol=1e-3, atol=1e-6.  Same controller, same steps; rounding of the print is 5e-9.
    result = solve_ivp(lambda t, y: -0.5 * y, [0, 10], [2, 4, 8])
    scipy_t = [0.0, 0.11487653, 1.26364188, 3.06061781, 4.81611105, 6.57445806, 8.33328988, 10.0]
    scipy_y0 = [2.0, 1.88836035, 1.06327177, 0.43319312, 0.18017253, 0.07483045, 0.03107158, 0.01350781]
    assert_close(result.t, scipy_t, rtol=0, atol=1e-8, what="the steps RK45 takes on SciPy's documented example")
    assert_close(result.y[0], scipy_y0, rtol=0, atol=1e-8, what="y[0] on SciPy's documented example")
    assert_close(result.y[2], 4 * np.array(scipy_y0), rtol=0, atol=4e-8, what="y[2] (= 4 y[0]) on SciPy's documented example")


def test_fun_is_never_called_past_t_bound_not_even_by_the_initial_step_guess():
    # SciPy solves y' = sqrt(0.5 - t), y(0) = 100 on (0, 0.5); past t = 0.5, math.sqrt raises "math domain
    # error".  The initial-step heuristic proposes h0 = 0.01 * d0 / d1 = 0.01 * |y0| / |f(0)| = 1.41 here.
    # (The last step's end is the other place: t_bound - t can round up, so that t + h passes t_bound by an
    # ulp; y' = cos(2.6875 t) y from t0 = 1.192092896e-07 to t0 + 0.375 is such a case.)
    t0, late = 1.192092896e-07, []

    def oscillating(t, y):
        late.extend([t] if t > t0 + 0.375 else [])
        return np.cos(2.6875 * t) * y

    solve_ivp(oscillating, (t0, t0 + 0.375), [1.25], rtol=1e-4, atol=1e-10)
    assert not late, (f"fun was called at t = {float(late[0])!r}, past t_bound = {t0 + 0.375!r}: the last step's h must "
                      "be step_to(t, t_new), not t_new - t, which can round up")
    times = []

    def fun(t, y):
        times.append(t)
        return np.array([math.sqrt(max(0.5 - t, 0.0))])  # recorded, not raised: the assertion below says why

    result = solve_ivp(fun, (0.0, 0.5), [100.0])
    assert max(times) <= 0.5, (
        f"fun was called at t = {float(max(times))!r}, past t_bound = 0.5. select_initial_step's trial Euler step must stay "
        "in the interval: clip h0 to t_bound - t before evaluating fun(t + h0, y + h0 f), as SciPy does.")
    assert result.success and result.t[-1] == 0.5, f"status {result.status}: {result.message}"
    # y(0.5) = 100 + (2/3) 0.5**1.5.  Error control at the default rtol = 1e-3 keeps each step's error
    # below ~atol + 1e-3 * 100 = 0.1; 10x that (1.0) leaves room for their sum (measured: 2e-3).
    assert abs(result.y[0, -1] - (100 + 0.5**1.5 * 2 / 3)) < 1.0, f"y(0.5) = {result.y[0, -1]}"


def test_atol_may_be_given_per_component_as_in_scipy():
    fun, y0, t_final, exact = PROBLEMS["oscillator"]
    scalar = solve_ivp(fun, (0.0, t_final), y0, rtol=1e-6, atol=1e-9)
    per_component = solve_ivp(fun, (0.0, t_final), y0, rtol=1e-6, atol=np.array([1e-9, 1e-9]))
    assert_close(per_component.t, scalar.t, rtol=0, atol=0, what="steps with atol=[1e-9, 1e-9] (must equal atol=1e-9)")
    loose_second = solve_ivp(fun, (0.0, t_final), y0, rtol=1e-6, atol=[1e-9, 1e-3])
    assert len(loose_second.t) <= len(scalar.t), "a looser atol on one component cannot need more steps"
    with pytest.raises(ValueError, match=r"atol must be .*\(2,\)"):
        solve_ivp(fun, (0.0, t_final), y0, atol=[1e-9, 1e-9, 1e-9])
    with pytest.raises(ValueError, match="atol must be >= 0"):
        solve_ivp(fun, (0.0, t_final), y0, atol=[1e-9, -1e-9])
    with pytest.raises(TypeError, match="rtol must be a real number"):
        solve_ivp(fun, (0.0, t_final), y0, rtol=None)
