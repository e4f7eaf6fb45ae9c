"""Landscapes: the test surfaces' critical points and curvature, and slices through a network's loss.

Part 1, two-dimensional surfaces.  On each surface, Newton's method on the
gradient (started from a grid over the plotting window) finds the critical
points inside that window (Beale has a second saddle, at (0.1005, -2.6445),
below it: the summary names known points outside the window); the eigenvalues of
the finite-difference Hessian classify them (minimum, maximum, saddle,
degenerate); at each one, and at a point on the floor of Rosenbrock's valley,
the principal directions are drawn: the most curved (across a valley) and the
least curved (along it, or downhill at a saddle).

Part 2, a network.  A 2-``hidden``-1 tanh MLP is trained by full-batch GD on a
small regression task.  The 1-D slice from its initial to its trained
parameters shows how the loss falls along the straight path (often smoothly
and monotonically, even though GD did not walk that line).  The 2-D slice
around the trained parameters, along two filter-normalised random directions,
shows the basin it ended in.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..autograd import no_grad
from ..landscape.critical_points import classify_critical_point, find_critical_points, principal_curvatures
from ..landscape.directions import filter_normalized_direction
from ..landscape.gradients import function_gradient, parameters_to_vector
from ..landscape.hessian import finite_difference_hessian
from ..landscape.slices import linear_slice, planar_slice
from ..landscape.surfaces import SURFACES
from ..nn import MLP, mse_loss
from .arguments import integer, real

SHOWN = ("himmelblau", "rosenbrock", "beale", "monkey_saddle")
CLASSIFY_TOL = 1e-4  # Newton stops within ~1e-5 of a degenerate point, where the Hessian is ~1e-4


@dataclass
class CriticalPoint:
    point: np.ndarray
    kind: str
    most: float  # largest Hessian eigenvalue
    most_direction: np.ndarray
    least: float  # smallest Hessian eigenvalue
    least_direction: np.ndarray


@dataclass
class LandscapesResult:
    critical: dict  # surface -> list[CriticalPoint] (plus a valley-floor point on rosenbrock, kind "not critical")
    alphas: np.ndarray  # 1-D slice positions (0 = initial, 1 = trained)
    line_losses: np.ndarray
    plane_alphas: np.ndarray
    plane_betas: np.ndarray
    plane_losses: np.ndarray  # (len(plane_alphas), len(plane_betas)), trained parameters at (0, 0)

    def summary(self) -> str:
        lines = []
        for name, points in self.critical.items():
            kinds = [p.kind for p in points if p.kind != "not critical"]
            counts = ", ".join(f"{kinds.count(k)} {k}" for k in ("minimum", "maximum", "saddle", "degenerate") if kinds.count(k))
            outside = known_outside_window(name)
            lines.append(f"{name}: {counts} in the plotted window"
                         + (f"; known outside it: {', '.join(f'{kind} ({x:.4g}, {y:.4g})' for kind, (x, y) in outside)}."
                            if outside else "."))
        valley = [p for p in self.critical["rosenbrock"] if p.kind == "not critical"]
        if valley:
            p = valley[0]
            lines.append(f"On Rosenbrock's valley floor at ({p.point[0]:.2f}, {p.point[1]:.2f}) the curvature is "
                         f"{p.most:.0f} across the valley and {p.least:.2f} along it: a condition number of "
                         f"{p.most / p.least:.0f}, why GD with lr < 2/{p.most:.0f} crawls along the floor.")
        rises = np.sum(np.diff(self.line_losses[(self.alphas >= 0) & (self.alphas <= 1)]) > 0)
        lines.append(f"1-D slice: loss {self.line_losses[self.alphas == 0][0]:.3g} at the start, "
                     f"{self.line_losses[self.alphas == 1][0]:.3g} trained; on the straight path between them it "
                     + ("falls monotonically." if rises == 0 else f"rises {rises} times (a barrier on the straight path)."))
        centre = self.plane_losses[len(self.plane_alphas) // 2, len(self.plane_betas) // 2]
        lines.append(f"2-D slice: the trained point (loss {centre:.3g}) sits in a basin; at the edge of the plane the "
                     f"loss reaches {self.plane_losses.max():.3g}.")
        return "\n".join(lines)


def known_outside_window(name: str) -> list[tuple[str, tuple[float, float]]]:
    """The surface's listed critical points that lie outside its plotting window, as (kind, point)."""
    surface = SURFACES[name]
    x_min, x_max, y_min, y_max = surface.window
    singular = {"minima": "minimum", "maxima": "maximum", "saddles": "saddle", "degenerate": "degenerate point"}
    return [(singular[kind], point) for kind in singular for point in getattr(surface, kind)
            if not (x_min <= point[0] <= x_max and y_min <= point[1] <= y_max)]


def _critical_points(name: str, grid: int) -> list[CriticalPoint]:
    surface = SURFACES[name]
    gradient = function_gradient(surface.loss)
    x_min, x_max, y_min, y_max = surface.window
    starts = np.array([(x, y) for x in np.linspace(x_min, x_max, grid) for y in np.linspace(y_min, y_max, grid)])
    points = [p for p in find_critical_points(gradient, starts, steps=40)
              if x_min <= p[0] <= x_max and y_min <= p[1] <= y_max]
    if name == "rosenbrock":
        points.append(np.array([-0.5, 0.25]))  # on the valley floor y = x**2, not a critical point
    found = []
    for point in points:
        hessian = finite_difference_hessian(gradient, point)
        curvatures = principal_curvatures(hessian)
        critical = np.linalg.norm(gradient(point)) < 1e-6
        kind = classify_critical_point(hessian, tol=CLASSIFY_TOL) if critical else "not critical"
        found.append(CriticalPoint(point, kind, curvatures.most, curvatures.most_direction,
                                   curvatures.least, curvatures.least_direction))
    return found


def _regression(rng: np.random.Generator, n_points: int) -> tuple[np.ndarray, np.ndarray]:
    inputs = rng.uniform(-2, 2, size=(n_points, 2))
    return inputs, (np.sin(2 * inputs[:, 0]) * np.cos(inputs[:, 1]))[:, None]


def run(grid: int = 7, hidden: int = 16, n_points: int = 64, epochs: int = 400, lr: float = 0.2,
        plane_points: int = 25, seed: int = 0) -> LandscapesResult:
    """Critical points on the ``SHOWN`` surfaces (Newton from a ``grid`` x ``grid`` of starts) and MLP slices.

    Arguments (checked before any work):
        grid: int >= 2, Newton starts per side of each surface's window
        hidden: int >= 1, hidden units of the 2-hidden-1 tanh MLP
        n_points: int >= 1, points of its regression task
        epochs: int >= 1, full-batch GD steps
        lr: real > 0, the learning rate
        plane_points: int >= 3, points per side of the 2-D slice
        seed: int >= 0, draws the data, the weights and the slice's directions
    """
    grid = integer("grid", grid, at_least=2)
    hidden = integer("hidden", hidden, at_least=1)
    n_points = integer("n_points", n_points, at_least=1)
    epochs = integer("epochs", epochs, at_least=1)
    lr = real("lr", lr, above=0)
    plane_points = integer("plane_points", plane_points, at_least=3)
    seed = integer("seed", seed, at_least=0)
    critical = {name: _critical_points(name, grid) for name in SHOWN}
    rng = np.random.default_rng(seed)
    inputs, targets = _regression(rng, n_points)
    model = MLP([2, hidden, 1], activation="tanh", rng=rng)

    def closure():
        return mse_loss(model(inputs), targets)

    initial = parameters_to_vector(model.parameters())
    for _ in range(epochs):
        model.zero_grad()
        closure().backward()
        with no_grad():
            for p in model.parameters():
                p.data -= lr * p.grad
    trained = parameters_to_vector(model.parameters())
    alphas = np.round(np.linspace(-0.5, 1.5, 41), 10)
    line = linear_slice(model, closure, initial, trained, alphas)
    directions = [filter_normalized_direction(model.parameters(), rng) for _ in range(2)]
    span = np.linspace(-1.0, 1.0, plane_points)
    plane = planar_slice(model, closure, trained, directions[0], directions[1], span, span)
    return LandscapesResult(critical, alphas, line, span, span, plane)


MARKERS = {"minimum": ("*", "tab:green"), "maximum": ("^", "tab:red"), "saddle": ("X", "tab:orange"),
           "degenerate": ("D", "tab:purple"), "not critical": ("o", "k")}


def plot(result: LandscapesResult, path) -> None:
    """Four surfaces with critical points and principal directions; the 1-D and 2-D slices of the MLP."""
    from .figures import new_figure, save_figure

    from ..tensor import Tensor

    fig, axes = new_figure(2, 3, figsize=(16, 10))
    for ax, name in zip(axes.ravel()[:4], SHOWN):
        surface = SURFACES[name]
        x_min, x_max, y_min, y_max = surface.window
        gx, gy = np.meshgrid(np.linspace(x_min, x_max, 201), np.linspace(y_min, y_max, 201))
        with no_grad():
            values = surface.loss(Tensor(np.stack([gx, gy]))).data
        if values.min() >= 0:
            shifted = values + 1e-3
            ax.contour(gx, gy, shifted, levels=np.geomspace(shifted.min() * 10, shifted.max(), 20), colors="0.65", linewidths=0.7)
        else:
            ax.contour(gx, gy, values, levels=21, colors="0.65", linewidths=0.7)
        arrow = 0.08 * min(x_max - x_min, y_max - y_min)
        for kind in MARKERS:
            chosen = [c for c in result.critical[name] if c.kind == kind]
            if chosen:
                marker, colour = MARKERS[kind]
                ax.plot([c.point[0] for c in chosen], [c.point[1] for c in chosen], marker, color=colour, ms=11,
                        ls="none", label=kind, mec="k")
        for c in result.critical[name]:
            if c.kind == "degenerate":  # every direction is an eigenvector of a zero Hessian: nothing to draw
                continue
            for direction, colour in ((c.most_direction, "tab:red"), (c.least_direction, "tab:blue")):
                ax.plot([c.point[0] - arrow * direction[0], c.point[0] + arrow * direction[0]],
                        [c.point[1] - arrow * direction[1], c.point[1] + arrow * direction[1]], color=colour, lw=2.2)
        ax.set(xlim=(x_min, x_max), ylim=(y_min, y_max), title=f"{name}: critical points in this window;\nred most, blue least curved direction", xlabel="x", ylabel="y")
        for kind, (x, y) in known_outside_window(name):  # point at it from the nearest edge of the window
            edge = (min(max(x, x_min), x_max), min(max(y, y_min), y_max))
            ax.annotate(f"{kind} at ({x:.2f}, {y:.2f})\nis outside this window", edge, xytext=(0.55, 0.12), textcoords="axes fraction",
                        fontsize=8, arrowprops=dict(arrowstyle="->", color="0.3"))
        ax.legend(loc="upper right" if name == "himmelblau" else "lower left", fontsize=8)
    line_ax, plane_ax = axes[1, 1], axes[1, 2]
    line_ax.plot(result.alphas, result.line_losses, "-o", ms=3)
    line_ax.axvline(0, color="0.6", ls=":")
    line_ax.axvline(1, color="0.6", ls=":")
    line_ax.set(yscale="log", xlabel="alpha: (1 - alpha) * theta_initial + alpha * theta_trained", ylabel="MSE",
                title="1-D slice from the initial to the trained MLP")
    filled = plane_ax.contourf(result.plane_betas, result.plane_alphas, np.log10(result.plane_losses), levels=20, cmap="viridis")
    plane_ax.plot(0, 0, "r*", ms=12)
    plane_ax.set(xlabel="beta (direction 2)", ylabel="alpha (direction 1)", title="2-D slice, filter-normalised directions")
    fig.colorbar(filled, ax=plane_ax, label="log10 MSE")
    save_figure(fig, path, dpi=90)
