"""Maintainer check: every typical learner mistake in bugzoo/ makes at least one test of its stage fail."""
from __future__ import annotations

import pytest

from tools.bug_zoo import hunt_all, load_mutants

# The fixtures run every mutant / stubbed task up front (two subprocesses at a time): minutes, not seconds.
pytestmark = pytest.mark.timeout(1800)

MUTANTS = load_mutants()


@pytest.fixture(scope="module")
def verdicts(request):
    """Computed up front (two at a time) for the mutants selected in this session."""
    selected = [item.callspec.params["mutant"] for item in request.session.items
                if item.originalname == "test_mutant_is_caught"]
    return hunt_all(selected)


def test_the_zoo_covers_every_built_stage():
    from tools.curriculum import load_curriculum

    stages = {s.number for s in load_curriculum() if s.built}
    covered = {m.stage for m in MUTANTS}
    assert stages <= covered, f"stages without mutants in bugzoo/: {sorted(stages - covered)}"


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.id)
def test_mutant_is_caught(mutant, verdicts):
    verdict = verdicts[mutant]
    assert verdict.caught, f"{mutant.id} ({mutant.file}) survived: {verdict.detail}"
