"""Gradient descent against gradient flow on a curved 2-D valley.

The loss ``L(a, b) = 0.5 a^2 + 2.5 b^2 + 0.5 a^2 b^2`` has its minimum at 0,
where the Hessian has eigenvalues 1 and 5 (``lr < 2 / 5`` for GD to converge
there).  We draw GD paths at several learning rates over the gradient-flow
path, and measure how far GD ends from the flow and from the modified flow
of ``L + (lr / 4) ||grad L||^2`` after a time ``T = steps * lr``: O(lr) and
O(lr^2), slopes 1 and 2 on a log-log plot.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..flow import gradient_descent, gradient_flow, modified_flow
from .arguments import real, reals

THETA0 = np.array([1.6, 1.1])
LAMBDA_MAX_AT_MINIMUM = 5.0


def valley_loss(theta):
    """L(a, b) = 0.5 a^2 + 2.5 b^2 + 0.5 a^2 b^2 (a Tensor in, a one-element Tensor out)."""
    a, b = theta[0], theta[1]
    return 0.5 * a**2 + 2.5 * b**2 + 0.5 * a**2 * b**2


@dataclass
class GdVsFlowResult:
    path_lrs: tuple  # learning rates of the drawn GD paths
    gd_paths: list  # one (steps + 1, 2) array per lr
    flow_path: np.ndarray  # (m, 2) the gradient flow
    horizon: float  # T at which the distances are measured
    distance_lrs: np.ndarray
    distance_to_flow: np.ndarray
    distance_to_modified_flow: np.ndarray

    def slope(self, distances: np.ndarray) -> float:
        return float(np.polyfit(np.log(self.distance_lrs), np.log(distances), 1)[0])

    def summary(self) -> str:
        text = (f"Over T = {self.horizon}, GD ends O(lr^{self.slope(self.distance_to_flow):.2f}) from the gradient flow and "
                f"O(lr^{self.slope(self.distance_to_modified_flow):.2f}) from the modified flow of L + (lr/4)||grad L||^2: "
                "GD is forward Euler on the flow, and exactly (to second order) a flow on a slightly different loss.")
        for lr, path in zip(self.path_lrs, self.gd_paths):
            final = np.linalg.norm(path[-1])
            if not np.isfinite(final) or final > np.linalg.norm(THETA0):
                text += (f" lr = {lr} diverged: it exceeds 2 / lambda_max = {2 / LAMBDA_MAX_AT_MINIMUM} at the minimum, "
                         "where Euler's |1 - lr * lambda| > 1 amplifies the stiff direction b at every step.")
            elif lr * LAMBDA_MAX_AT_MINIMUM > 1:
                text += f" lr = {lr} converges but zig-zags across the valley (lr * lambda_max = {lr * LAMBDA_MAX_AT_MINIMUM:.2f} > 1 flips the sign of b)."
        return text


def run(path_lrs=(0.05, 0.15, 0.24, 0.42), horizon: float = 1.0, distance_lrs=(0.04, 0.02, 0.01, 0.005)) -> GdVsFlowResult:
    """GD paths for 6 time units at ``path_lrs``; distances at time ``horizon`` for ``distance_lrs``.

    Arguments (checked before any work):
        path_lrs: at least one real > 0, the learning rates of the drawn paths
        horizon: real > 0, the time T at which GD is compared with the flows
        distance_lrs: at least two reals in (0, horizon], the learning rates of the distances (two for a slope)
    """
    path_lrs = reals("path_lrs", path_lrs, above=0)
    horizon = real("horizon", horizon, above=0)
    distance_lrs = reals("distance_lrs", distance_lrs, min_length=2, above=0, at_most=horizon, note="horizon at most")
    gd_paths = []
    for lr in path_lrs:
        with np.errstate(over="ignore", invalid="ignore"):
            gd_paths.append(gradient_descent(valley_loss, THETA0, lr, round(6.0 / lr)))
    flow_path = gradient_flow(valley_loss, THETA0, 6.0, t_eval=np.linspace(0, 6.0, 400)).y.T
    flow_end = gradient_flow(valley_loss, THETA0, horizon, t_eval=[horizon], rtol=1e-10, atol=1e-12).y[:, -1]
    to_flow, to_modified = [], []
    for lr in distance_lrs:
        gd_end = gradient_descent(valley_loss, THETA0, lr, round(horizon / lr))[-1]
        modified_end = modified_flow(valley_loss, THETA0, lr, horizon, t_eval=[horizon], rtol=1e-8, atol=1e-10).y[:, -1]
        to_flow.append(np.linalg.norm(gd_end - flow_end))
        to_modified.append(np.linalg.norm(gd_end - modified_end))
    return GdVsFlowResult(tuple(path_lrs), gd_paths, flow_path, horizon, np.array(distance_lrs),
                          np.array(to_flow), np.array(to_modified))


def plot(result: GdVsFlowResult, path) -> None:
    """Left: GD paths over the loss contours with the flow. Right: distances vs lr, log-log."""
    from .figures import colours, new_figure, save_figure

    fig, (paths, rates) = new_figure(1, 2, figsize=(11, 4.6))
    a, b = np.meshgrid(np.linspace(-1.0, 1.9, 200), np.linspace(-1.3, 1.3, 200))
    loss = 0.5 * a**2 + 2.5 * b**2 + 0.5 * a**2 * b**2
    paths.contour(a, b, loss, levels=np.geomspace(0.01, 8, 14), colors="0.8", linewidths=0.8)
    paths.plot(*result.flow_path.T, color="k", lw=2.5, label="gradient flow")
    for lr, gd_path, colour in zip(result.path_lrs, result.gd_paths, colours("plasma", len(result.path_lrs), 0.1, 0.85)):
        shown = gd_path[np.all(np.abs(gd_path) < 3, axis=1)][:60]
        paths.plot(*shown.T, "o-", ms=3, lw=1, color=colour, label=f"GD lr = {lr}")
    paths.set(xlim=(-1.0, 1.9), ylim=(-1.3, 1.3), xlabel="a", ylabel="b",
              title=f"GD vs flow (2 / lambda_max = {2 / LAMBDA_MAX_AT_MINIMUM} at the minimum)")
    paths.legend(fontsize=8, loc="lower right")
    rates.loglog(result.distance_lrs, result.distance_to_flow, "o-", label=f"to gradient flow (slope {result.slope(result.distance_to_flow):.2f})")
    rates.loglog(result.distance_lrs, result.distance_to_modified_flow, "s-",
                 label=f"to modified flow (slope {result.slope(result.distance_to_modified_flow):.2f})")
    rates.set(xlabel="learning rate", ylabel=f"|theta_GD(T) - theta(T)|, T = {result.horizon}", title="GD is O(lr) from the flow, O(lr^2) from the modified flow")
    rates.set_xticks(result.distance_lrs, [f"{lr:g}" for lr in result.distance_lrs], minor=False)
    rates.set_xticks([], minor=True)
    rates.legend()
    save_figure(fig, path)
