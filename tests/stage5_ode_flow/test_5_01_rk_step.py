"""Task 5.1: one Runge-Kutta step, run from the method's Butcher tableau."""
import numpy as np
import pytest

from learndyn.ode import RK4, RK45, Euler, Heun, Midpoint, rk_step
from oracle import assert_close

pytestmark = pytest.mark.task("5.1")

# The stability function R(z): one step on y' = M y gives y_new = R(h M) y.  For an explicit
# method of order p with p stages (p <= 4) it is the Taylor polynomial of exp(z) to degree p.
TAYLOR_DEGREE = {Euler: 1, Midpoint: 2, Heun: 2, RK4: 4}
FIXED = list(TAYLOR_DEGREE)


def taylor_matrix_polynomial(Z: np.ndarray, degree: int) -> np.ndarray:
    term, total = np.eye(len(Z)), np.eye(len(Z))
    for k in range(1, degree + 1):
        term = term @ Z / k
        total = total + term
    return total


@pytest.mark.parametrize("method", FIXED + [RK45], ids=lambda m: m.__name__)
def test_tableau_is_consistent_and_rk_step_evaluates_at_its_nodes(method):
    A, B, C = method.A, method.B, method.C
    assert A.shape == (len(C), len(C)) and B.shape == C.shape, f"{method.__name__}: tableau shapes A {A.shape}, B {B.shape}, C {C.shape}"
    assert np.allclose(np.triu(A), 0), f"{method.__name__}: A must be strictly lower triangular (explicit method)"
    assert_close(A.sum(axis=1), C, rtol=0, atol=1e-14, what=f"{method.__name__}: row sums of A (must equal the nodes C)")
    assert_close(B.sum(), 1.0, rtol=0, atol=1e-14, what=f"{method.__name__}: sum of the weights B")
    # A constant slope v is integrated exactly (B sums to 1) and fun is called at t + C[i] h, i >= 1.
    calls, v, t, h = [], np.array([2.0, -1.0, 0.5]), 0.3, 0.25

    def constant_slope(time, y):
        calls.append(time)
        return v

    y_new, K = rk_step(constant_slope, t, np.zeros(3), v, h, A, B, C)
    assert_close(np.array(calls), t + C[1:] * h, rtol=0, atol=1e-15,
                 what=f"{method.__name__}: times at which rk_step called fun (K[0] = f is given, not recomputed)")
    assert_close(y_new, h * v, rtol=1e-14, atol=1e-15, what=f"{method.__name__}: one step with a constant slope")
    assert np.shape(K) == (len(C), 3), f"rk_step must return K of shape (stages, n) = {(len(C), 3)}, got {np.shape(K)}"


@pytest.mark.parametrize("method", FIXED, ids=lambda m: m.__name__)
def test_one_step_on_a_linear_system_applies_the_stability_polynomial(method):
    rng = np.random.default_rng(5)
    M = rng.normal(size=(3, 3))
    y, h = rng.normal(size=3), 0.3
    y_new, K = rk_step(lambda t, x: M @ x, 0.0, y, M @ y, h, method.A, method.B, method.C)
    expected = taylor_matrix_polynomial(h * M, TAYLOR_DEGREE[method]) @ y
    # Exact algebra in both; only rounding differs (~1e-16 relative per operation).
    assert_close(y_new, expected, rtol=1e-12, atol=1e-12,
                 what=f"{method.__name__}: y_new after one step of y' = M y (should be R(hM) y, R = Taylor polynomial of exp)",
                 alternatives={"only the Euler update y + h K[0] was used": y + h * (M @ y),
                               "stage inputs built from K[i-1] only instead of A[i, :i] @ K[:i]":
                                   y + h * (method.B @ np.array(K))})
    assert_close(K[0], M @ y, rtol=1e-14, atol=1e-14, what="K[0] (the slope f given by the caller)")


def test_rk45_fifth_order_step_matches_exp_to_degree_five():
    rng = np.random.default_rng(6)
    M = rng.normal(size=(2, 2))
    y, h = rng.normal(size=2), 0.2
    y_new, _ = rk_step(lambda t, x: M @ x, 0.0, y, M @ y, h, RK45.A, RK45.B, RK45.C)
    # Dormand-Prince's 6-stage fifth-order solution has R(z) = Taylor_5(z) + z^6 / 600.
    expected = taylor_matrix_polynomial(h * M, 5) @ y + np.linalg.matrix_power(h * M, 6) @ y / 600
    assert_close(y_new, expected, rtol=1e-12, atol=1e-12, what="RK45's fifth-order solution on y' = M y")
