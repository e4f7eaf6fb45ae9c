"""Trusted helpers for the tests: finite differences, an independent broadcast
reduction, and assertions whose failure messages teach.

Nothing here imports learndyn: the oracle never trusts the code it grades.
"""
from .checks import assert_close, describe_mismatch
from .finite_differences import central_difference, reduce_to_shape

__all__ = ["assert_close", "describe_mismatch", "central_difference", "reduce_to_shape"]
