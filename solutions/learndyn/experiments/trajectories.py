"""Optimizer trajectories on the test surfaces: how geometry steers GD, momentum, Nesterov, RMSprop and Adam.

Every method starts from the surface's ``start`` and runs ``steps`` updates
with the settings in ``SETTINGS`` (tuned by hand so that each method reaches a
minimum when it can; the lessons are in where and how it goes):

* quadratic (condition number 25): GD at a stable lr (0.07 < 2/25) bounces across
  the valley (its factor ``1 - 0.07 * 25 = -0.75`` along y is negative) and crawls
  along it (factor ``1 - 0.07 = 0.93`` along x): 212 steps to within 1e-6 of the
  minimum.  Heavy-ball momentum at its optimal setting (lr 1/9, momentum 4/9) does
  not average the bounces away: its lr is above GD's limit, its first steps
  overshoot across the valley furthest of all (``|y|`` up to 1.9 times its
  start), and then both coordinates spiral in at the common rate
  ``sqrt(momentum) = (sqrt(25) - 1) / (sqrt(25) + 1) = 2/3`` per step instead of
  0.93: 47 steps.  It is faster because it speeds up the slow direction, not
  because it damps the fast one.
* rosenbrock: the curved valley forces GD to a step size set by the steep
  walls (``lr < 2 / 1002``) and then the flat floor takes thousands of steps;
  momentum and the adaptive methods travel the floor much faster.
* himmelblau: four minima; which one a method ends in depends on its path.
* beale: flat plateaus and steep walls; gradient magnitudes span five orders,
  which is where per-coordinate scaling (RMSprop, Adam) pays off.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..landscape.surfaces import SURFACES
from ..landscape.trajectories import optimizer_trajectory
from ..optim import SGD, Adam, RMSprop
from .arguments import one_of, sequence

DIVERGED = 1e6  # an end this far from every minimum (or not finite) counts as divergence
TOLERANCE = {"quadratic": 1e-6}  # distance to the minimum that counts as "reached" (default DEFAULT_TOLERANCE)
DEFAULT_TOLERANCE = 1e-2

METHODS = {
    "GD": lambda params, kw: SGD(params, **kw),
    "momentum": lambda params, kw: SGD(params, **{"momentum": 0.9, **kw}),
    "Nesterov": lambda params, kw: SGD(params, **{"momentum": 0.9, "nesterov": True, **kw}),
    "RMSprop": lambda params, kw: RMSprop(params, **{"momentum": 0.9, **kw}),
    "Adam": lambda params, kw: Adam(params, **kw),
}

# surface -> (steps, {method: settings}); momentum 0.9 unless stated.  RMSprop gets momentum too: plain
# RMSprop at a fixed lr keeps taking steps of about lr per coordinate and circles the Rosenbrock minimum.
# On the quadratic (curvatures 1 and 25) momentum uses the optimal heavy-ball setting of stage 3:
# lr = 4 / (sqrt(25) + sqrt(1))**2 = 1/9 and momentum = ((sqrt(25) - 1) / (sqrt(25) + 1))**2 = 4/9; Nesterov,
# whose look-ahead changes the stability region, uses its own classic setting lr = 1/25, momentum = 2/3.
SETTINGS = {
    "quadratic": (250, {"GD": {"lr": 0.07}, "momentum": {"lr": 1 / 9, "momentum": 4 / 9},
                        "Nesterov": {"lr": 1 / 25, "momentum": 2 / 3}, "RMSprop": {"lr": 0.02}, "Adam": {"lr": 0.1}}),
    "rosenbrock": (1200, {"GD": {"lr": 0.002}, "momentum": {"lr": 0.0015}, "Nesterov": {"lr": 0.001},
                          "RMSprop": {"lr": 0.001}, "Adam": {"lr": 0.05}}),
    "beale": (800, {"GD": {"lr": 0.001}, "momentum": {"lr": 0.001}, "Nesterov": {"lr": 0.001},
                     "RMSprop": {"lr": 0.002}, "Adam": {"lr": 0.05}}),
    "himmelblau": (300, {"GD": {"lr": 0.005}, "momentum": {"lr": 0.002}, "Nesterov": {"lr": 0.002},
                         "RMSprop": {"lr": 0.005}, "Adam": {"lr": 0.1}}),
}


@dataclass
class TrajectoriesResult:
    paths: dict  # surface -> {method: (steps + 1, 2) path}

    def nearest_minimum(self, surface: str, method: str) -> tuple[np.ndarray, float]:
        """The known minimum closest to where the method ended, and the distance to it."""
        minima = np.array(SURFACES[surface].minima)
        end = self.paths[surface][method][-1]
        distances = np.linalg.norm(minima - end, axis=1)
        distances[~(distances < DIVERGED)] = np.inf
        return minima[np.argmin(distances)], float(distances.min())

    def steps_to(self, surface: str, method: str, tolerance: float | None = None) -> int | None:
        """First step at which the path is within ``tolerance`` (default: the surface's ``TOLERANCE``) of the
        minimum it ends nearest to (None: never)."""
        tolerance = TOLERANCE.get(surface, DEFAULT_TOLERANCE) if tolerance is None else tolerance
        target, _ = self.nearest_minimum(surface, method)
        close = np.flatnonzero(np.linalg.norm(self.paths[surface][method] - target, axis=1) < tolerance)
        return int(close[0]) if close.size else None

    def overshoot(self, surface: str, method: str, coordinate: int = 1) -> float:
        """Largest ``|coordinate|`` after the start, relative to its start value (y: across the quadratic's valley)."""
        path = self.paths[surface][method]
        return float(np.abs(path[1:, coordinate]).max() / abs(path[0, coordinate]))

    def summary(self) -> str:
        lines = []
        for surface, paths in self.paths.items():
            tolerance = TOLERANCE.get(surface, DEFAULT_TOLERANCE)
            parts = []
            for method in paths:
                target, distance = self.nearest_minimum(surface, method)
                if not np.isfinite(distance):
                    parts.append(f"{method} diverged (lr above 2 / sharpness somewhere on its path)")
                    continue
                reached = self.steps_to(surface, method)
                where = f"({target[0]:.2f}, {target[1]:.2f})"
                parts.append(f"{method} reached {where} in {reached} steps" if reached is not None
                             else f"{method} ended {distance:.2g} from {where}, still on its way")
            lines.append(f"{surface} ({SETTINGS[surface][0]} steps; 'reached' = within {tolerance:g}): " + "; ".join(parts) + ".")
            if surface == "quadratic":
                lines.append("  Largest |y| across the valley after the start, relative to its start: "
                             + ", ".join(f"{method} {self.overshoot(surface, method):.2f}" for method in paths)
                             + " (momentum's lr 1/9 is above GD's limit 2/25: it overshoots most, then spirals in at 2/3 per step).")
        return "\n".join(lines)


def run(surfaces: tuple[str, ...] = ("quadratic", "rosenbrock", "beale", "himmelblau")) -> TrajectoriesResult:
    """Every method of ``METHODS`` on every surface, from the surface's start, with the ``SETTINGS``.

    Arguments (checked before any work):
        surfaces: at least one name of ``SETTINGS`` (quadratic, rosenbrock, beale, himmelblau), one panel each
    """
    surfaces = tuple(one_of(f"surfaces[{k}]", name, tuple(SETTINGS)) for k, name in enumerate(sequence("surfaces", surfaces)))
    paths = {}
    with np.errstate(over="ignore", invalid="ignore"):
        for name in surfaces:
            steps, settings = SETTINGS[name]
            surface = SURFACES[name]
            paths[name] = {method: optimizer_trajectory(surface.loss, surface.start,
                                                        lambda params, m=method: METHODS[m](params, settings[m]), steps)
                           for method in METHODS}
    return TrajectoriesResult(paths)


def plot(result: TrajectoriesResult, path) -> None:
    """One panel per surface: log-spaced contours, the known minima, and every method's path."""
    from .figures import new_figure, save_figure

    from ..autograd import no_grad
    from ..tensor import Tensor

    names = list(result.paths)
    columns = min(2, len(names))
    rows = -(-len(names) // columns)
    fig, axes = new_figure(rows, columns, figsize=(8.4 * columns, 5.0 * rows), squeeze=False)
    colours = dict(zip(METHODS, ("tab:red", "tab:blue", "tab:cyan", "tab:orange", "tab:green")))
    for ax, name in zip(axes.ravel(), names):
        surface = SURFACES[name]
        x_min, x_max, y_min, y_max = surface.window
        finite_paths = {m: p[np.all(np.isfinite(p) & (np.abs(p) < 3 * max(map(abs, surface.window))), axis=1)]
                        for m, p in result.paths[name].items()}
        y_min = min(y_min, *(p[:, 1].min() for p in finite_paths.values()))  # show the whole overshoot
        y_max = max(y_max, *(p[:, 1].max() for p in finite_paths.values()))
        gx, gy = np.meshgrid(np.linspace(x_min, x_max, 201), np.linspace(y_min, y_max, 201))
        with no_grad():
            values = surface.loss(Tensor(np.stack([gx, gy]))).data
        shifted = values - values.min() + 1e-3
        ax.contour(gx, gy, shifted, levels=np.geomspace(shifted.min() * 10, shifted.max(), 18), colors="0.7", linewidths=0.7)
        tolerance = TOLERANCE.get(name, DEFAULT_TOLERANCE)
        for method, finite in finite_paths.items():
            reached = result.steps_to(name, method)
            label = f"{method}: " + (f"{reached} steps" if reached is not None else "not within") + f" to {tolerance:g}"
            ax.plot(finite[:, 0], finite[:, 1], "-", color=colours[method], lw=1.1, alpha=0.85, label=label)
        ax.plot(*np.array(surface.minima).T, "k*", ms=12, label="minima")
        ax.plot(*surface.start, "ko", ms=5, label="start")
        ax.set(xlim=(x_min, x_max), ylim=(y_min, y_max), title=f"{name} ({SETTINGS[name][0]} steps)", xlabel="x", ylabel="y")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    for ax in axes.ravel()[len(names):]:
        ax.set_visible(False)
    save_figure(fig, path, dpi=100)
