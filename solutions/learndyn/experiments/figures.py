"""The one home of the experiments' figure boilerplate: a figure of its own, drawn and saved without pyplot.

Every experiment's ``plot(result, path)`` starts with ``new_figure`` and ends
with ``save_figure``.  The figure is a ``matplotlib.figure.Figure`` with an Agg
canvas attached to it alone: nothing goes through ``matplotlib.pyplot``, so
drawing a figure never calls ``matplotlib.use`` and never changes the caller's
backend, nor touches (or closes) the caller's open pyplot figures.  No screen
is needed.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

DPI = 110  # dots per inch of every saved PNG: a 14-inch figure is ~1500 pixels wide
PANEL_SIZE = (4.8, 4.2)  # inches (width, height) of one panel when no figsize is given


def new_figure(rows: int = 1, columns: int = 1, figsize: tuple[float, float] | None = None,
               squeeze: bool = True, **subplot_options) -> tuple[Figure, object]:
    """A fresh ``Figure`` on its own Agg canvas and its ``rows`` x ``columns`` axes (as ``Figure.subplots``)."""
    if rows < 1 or columns < 1:
        raise ValueError(f"rows and columns must be >= 1, got {rows}, {columns}")
    if figsize is None:
        figsize = (PANEL_SIZE[0] * columns, PANEL_SIZE[1] * rows)
    figure = Figure(figsize=figsize)
    FigureCanvasAgg(figure)
    return figure, figure.subplots(rows, columns, squeeze=squeeze, **subplot_options)


def save_figure(figure: Figure, path, dpi: int = DPI) -> None:
    """Lay out, write ``figure`` to ``path`` as a PNG (its folder must exist), and free it."""
    figure.tight_layout()
    figure.savefig(Path(path), dpi=dpi, format="png")
    figure.clear()


def colours(name: str, count: int, low: float = 0.0, high: float = 1.0) -> np.ndarray:
    """``count`` RGBA colours from the colormap ``name``, evenly spaced over [low, high] (for a qualitative
    map such as tab10, entries 0, 1, ...)."""
    colormap = colormaps[name]
    if getattr(colormap, "N", 256) <= 20:  # a qualitative map: take its entries in order
        return colormap(np.arange(count) % colormap.N)
    return colormap(np.linspace(low, high, count))
