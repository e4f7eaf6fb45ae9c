"""Assertions with failure messages that say what, where, how much, and the likely cause."""
from __future__ import annotations

import numpy as np


def shape_cause(actual_shape: tuple, expected_shape: tuple, gradient: bool) -> str:
    """A likely cause for a wrong shape, only where the shapes really tell it; else ``""``.

    * the transpose of the expected shape (matrices): the operands or their
      transposes were swapped (``b.T @ grad`` for ``grad @ b.T``);
    * a gradient of a shape that the expected one broadcasts to: the broadcast
      gradient was not summed back (``sum_to_shape``).
    """
    actual_shape, expected_shape = tuple(actual_shape), tuple(expected_shape)
    if len(actual_shape) >= 2 and actual_shape[-2:] == expected_shape[-2:][::-1] and actual_shape[:-2] == expected_shape[:-2]:
        return (f"the shape is the transpose of the expected {expected_shape}: were the operands or their "
                "transposes swapped (e.g. b.T @ grad instead of grad @ b.T)?")
    if gradient:
        try:
            broadcast = np.broadcast_shapes(expected_shape, actual_shape) == actual_shape
        except ValueError:
            broadcast = False
        if broadcast:
            return "a broadcast gradient must be summed back to the input's shape (sum_to_shape)"
    return ""


def describe_mismatch(actual: np.ndarray, expected: np.ndarray, alternatives: dict | None = None) -> str:
    """A likely cause for ``actual != expected`` (same shape), from the relation between the two arrays."""
    actual, expected = np.asarray(actual, float), np.asarray(expected, float)
    for cause, candidate in (alternatives or {}).items():
        candidate = np.asarray(candidate, float)
        if candidate.shape == actual.shape and np.allclose(actual, candidate, rtol=1e-6, atol=1e-9):
            return cause
    if not np.all(np.isfinite(actual)):
        return "non-finite values: an overflow, a division by zero or log of a non-positive number?"
    if np.all(actual == 0) and np.any(expected != 0):
        return "all zeros: did the gradient reach this tensor, or was it overwritten/never accumulated?"
    scale = np.vdot(actual, expected) / max(np.vdot(expected, expected), 1e-300)
    if np.allclose(actual, scale * expected, rtol=1e-6, atol=1e-9) and not np.isclose(scale, 1.0):
        if np.isclose(scale, -1.0):
            return "wrong sign"
        return f"off by a constant factor of {scale:.4g} (a gradient added twice? a missing 1/n or 2x?)"
    return "the values differ; compare the formula with docs/ for this task"


def assert_close(actual, expected, *, rtol: float, atol: float, what: str, alternatives: dict | None = None) -> None:
    """Assert ``|actual - expected| <= atol + rtol * |expected|`` everywhere, explaining any failure.

    ``what`` names the quantity ("d loss / d a of mul, shapes (3, 4) * (4,)").
    ``alternatives`` maps a likely cause to the array a learner with that bug would produce.
    """
    expected = np.asarray(expected, dtype=np.float64)
    if actual is None:
        raise AssertionError(f"{what}: got None, expected an array of shape {expected.shape}")
    actual = np.asarray(actual, dtype=np.float64)
    if actual.shape != expected.shape:
        named = [cause for cause, candidate in (alternatives or {}).items() if np.shape(candidate) == actual.shape]
        cause = named[0] if len(named) == 1 else shape_cause(actual.shape, expected.shape, gradient="grad" in what.lower() or "d loss" in what)
        raise AssertionError(f"{what}: shape {actual.shape}, expected {expected.shape}." + (f" Likely cause: {cause}" if cause else ""))
    error = np.abs(actual - expected)
    allowed = atol + rtol * np.abs(expected)
    bad = ~(error <= allowed)  # also catches NaN
    if bad.any():
        worst = np.unravel_index(np.argmax(np.where(bad, error / allowed, -1.0)) if np.all(np.isfinite(error)) else np.argmax(bad), actual.shape)
        worst = tuple(int(i) for i in worst)
        raise AssertionError(
            f"{what}: {bad.sum()} of {bad.size} entries wrong; worst at index {worst}: "
            f"got {actual[worst]:.10g}, expected {expected[worst]:.10g} "
            f"(tolerance {allowed[worst]:.2g}). Likely cause: {describe_mismatch(actual, expected, alternatives)}"
        )
