"""RK45: function evaluations and error of the reference solve_ivp vs an independent Dormand-Prince.

The comparison integrator is the tests' own (tests/oracle/stage5_dormand_prince.py), with SciPy's
step-size controller; it reproduces the steps of SciPy's documented solve_ivp example exactly.
"""
from __future__ import annotations

import sys

import numpy as np

from common import ROOT, table, use_reference_engine

use_reference_engine()
sys.path.insert(0, str(ROOT / "tests"))
from learndyn.ode import solve_ivp  # noqa: E402
from oracle.stage5_dormand_prince import dormand_prince  # noqa: E402

PROBLEMS = {
    "decay": (lambda t, y: -0.5 * y, [2.0], 10.0, lambda t: np.array([2 * np.exp(-0.5 * t)])),
    "oscillator": (lambda t, y: np.array([y[1], -y[0]]), [0.0, 1.0], 10.0, lambda t: np.array([np.sin(t), np.cos(t)])),
    "logistic": (lambda t, y: y * (1 - y), [0.01], 12.0, lambda t: np.array([1 / (1 + 99 * np.exp(-t))])),
    "gaussian": (lambda t, y: -2 * t * y, [1.0], 3.0, lambda t: np.array([np.exp(-t**2)])),
}


def main() -> str:
    rows = []
    for name, (fun, y0, t_final, exact) in PROBLEMS.items():
        for rtol, atol in [(1e-3, 1e-6), (1e-6, 1e-9), (1e-9, 1e-12)]:
            ours = solve_ivp(fun, (0.0, t_final), y0, rtol=rtol, atol=atol)
            y_ref, nfev_ref, _ = dormand_prince(fun, 0.0, t_final, y0, rtol, atol)
            error = np.max(np.abs(ours.y[:, -1] - exact(t_final)))
            error_ref = np.max(np.abs(y_ref - exact(t_final)))
            rows.append([name, f"{rtol:g}", ours.nfev, nfev_ref, f"{ours.nfev / nfev_ref:.2f}x", f"{error:.1e}", f"{error_ref:.1e}"])
    return table(["problem", "rtol", "nfev", "nfev (reference DP)", "ratio", "error at t_end", "reference error"], rows)


if __name__ == "__main__":
    print(main())
