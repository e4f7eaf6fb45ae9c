"""The curriculum's links and pointers resolve: notes pages and their sections, files to edit, experiments."""
from __future__ import annotations

import re

import pytest

from tools.curriculum import ROOT, load_curriculum

STAGES = load_curriculum()
TASKS = [task for stage in STAGES for task in stage.tasks]


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces to dashes."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path) -> set[str]:
    return {github_anchor(line.lstrip("#")) for line in path.read_text().splitlines() if line.startswith("#")}


def test_every_notes_link_in_the_hints_points_at_an_existing_section():
    broken = []
    for task in TASKS:
        for page, anchor in re.findall(r"(docs/[\w\-]+\.md)(?:#([\w\-]+))?", task.hint + " " + task.more):
            path = ROOT / page
            if not path.exists() or (anchor and anchor not in anchors(path)):
                broken.append(f"task {task.id}: {page}#{anchor}")
    assert not broken, "hints link to missing notes sections:\n" + "\n".join(broken)


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.name)
def test_every_stage_has_its_notes_page_and_test_folder(stage):
    assert (ROOT / stage.notes).exists(), f"{stage.name}: notes page {stage.notes} is missing"
    assert (ROOT / stage.tests).is_dir(), f"{stage.name}: test folder {stage.tests} is missing"


def test_every_file_to_edit_exists_in_both_copies():
    missing = [f"task {task.id}: {copy}/{name}" for task in TASKS for name in task.files
               for copy in ("solutions", "exercises") if not (ROOT / copy / name).exists()]
    assert not missing, "curriculum names files that do not exist:\n" + "\n".join(missing)


def test_every_experiment_module_exists_and_has_run_and_plot():
    problems = []
    for stage in STAGES:
        for experiment in stage.experiments:
            path = ROOT / "solutions" / (experiment.module.replace(".", "/") + ".py")
            if not path.exists():
                problems.append(f"{experiment.name}: {path} is missing")
                continue
            source = path.read_text()
            if "\ndef run(" not in source or "\ndef plot(" not in source:
                problems.append(f"{experiment.name}: needs module-level run() and plot()")
    assert not problems, "\n".join(problems)
