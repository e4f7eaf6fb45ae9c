"""Generated tests of the reference: the long tail that no hand-written stage test tries.

Maintainer side only (the learner's plain ``pytest`` never collects this folder):

    python -m pytest --target=solutions tests/properties

They need Hypothesis, from the optional dev extra (``pip install -e ".[dev]"``); without
it every module here skips with that notice (``pytest.importorskip``).  Hypothesis's own
pytest plugin stays blocked (``-p no:hypothesispytest`` in pyproject.toml, so that no
learner's or grader's run imports Hypothesis); Hypothesis prints failures without it.

Profiles (``HYPOTHESIS_PROFILE``):

* ``ci`` (the default): derandomised, so every run on every machine tries the same
  examples (until Hypothesis, Python or a test changes); no example database, and
  Hypothesis's cache lives in the temporary directory, not the repository; no per-example deadline (CI cores are shared and noisy).
  A failure prints the shrunk falsifying example and a ``@reproduce_failure(...)`` line
  that replays it exactly.
* ``thorough``: random and ten times the examples, to hunt locally:
  ``HYPOTHESIS_PROFILE=thorough python -m pytest --target=solutions tests/properties``.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Hypothesis caches what it learns from the source (and would keep its example database) under
# .hypothesis/ in the working directory: keep that out of the repository.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "learndyn-hypothesis"))

try:
    from hypothesis import HealthCheck, settings
except ImportError:  # the modules skip themselves, each with the notice
    pass
else:
    _COMMON = dict(database=None, deadline=None, print_blob=True,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    settings.register_profile("ci", derandomize=True, **_COMMON)
    settings.register_profile("thorough", **_COMMON)  # ten times each test's examples: see property_strategies.budget
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
