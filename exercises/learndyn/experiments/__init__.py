"""Experiments: each module has ``run(...)`` returning numbers and ``plot(result, path)`` drawing them.

Run one with ``python grader.py run NAME`` (``--list`` shows them all).
"""
