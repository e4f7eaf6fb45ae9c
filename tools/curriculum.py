"""The course's metadata: stages and tasks, read from ``curriculum/stageN.toml``.

One file per stage: the stage's title, notes page, test folder and
prerequisites, then its tasks in order, each with the file and function to
edit and its hints.  The grader, the stub generator and the test harness all
read it through ``load_curriculum``; nothing else lists tasks.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, as a package (a dependency there)
    try:
        import tomli as tomllib
    except ModuleNotFoundError:
        tomllib = None

from tools.environment import EnvironmentProblem, fix_command

ROOT = Path(__file__).resolve().parent.parent
CURRICULUM = ROOT / "curriculum"


@dataclass(frozen=True)
class FunctionHint:
    """The hint for one function of a task, named as its stub names it (``Tensor.__add__.backward``)."""

    function: str
    hint: str  # conceptual: what the function must achieve and why, the formula
    more: str = ""  # code level, shown only by ``hint TASK --more``


@dataclass(frozen=True)
class Task:
    id: str  # "2.3"
    title: str
    files: tuple[str, ...]  # the files to edit, relative to the package's folder, e.g. ("learndyn/tensor.py",)
    function: str  # what to edit, e.g. "Tensor.__mul__ (backward)"
    hint: str  # conceptual, for the task as a whole
    weight: float  # points in autograder formats (CONTRIBUTING.md says how they are chosen)
    more: str = ""  # code level (``hint TASK --more``)
    hints: tuple[FunctionHint, ...] = ()  # per function, in the order the learner meets them

    @property
    def stage_number(self) -> int:
        return int(self.id.split(".")[0])

    def hint_for(self, function: str = "") -> FunctionHint:
        """The hint of ``function``, a dotted name such as ``Tensor.__add__.backward`` or a frame's
        ``backward``: the longest part of it that names exactly one hinted function; else the task's hint."""
        parts = function.split(".") if function else []
        for length in range(len(parts), 0, -1):
            for candidate in {".".join(parts[:length]), ".".join(parts[-length:])}:
                matches = [h for h in self.hints if h.function == candidate or h.function.endswith("." + candidate)]
                if len(matches) == 1:
                    return matches[0]
        return FunctionHint("", self.hint, self.more)


@dataclass(frozen=True)
class Experiment:
    name: str
    module: str  # e.g. "learndyn.experiments.xor"
    about: str


@dataclass(frozen=True)
class Stage:
    number: int
    name: str  # "stage1"
    title: str
    notes: str  # e.g. "docs/stage1.md"
    tests: str  # e.g. "tests/stage1_tensor_ops"
    requires: tuple[str, ...] = ()
    tasks: tuple[Task, ...] = field(default_factory=tuple)
    experiments: tuple[Experiment, ...] = field(default_factory=tuple)

    @property
    def built(self) -> bool:
        return bool(self.tasks)


class CurriculumError(ValueError):
    """A malformed curriculum file; the message names the file and the task."""


def _check_weight(path: Path, entry: dict) -> None:
    weight = entry.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not math.isfinite(weight) or weight <= 0:
        raise CurriculumError(f"{path.name}: task {entry.get('id')}: weight must be a positive finite number, "
                              f"got {weight!r}")


def load_curriculum(directory: Path = CURRICULUM) -> list[Stage]:
    """All stages in order, with their tasks; raises ``CurriculumError`` on a malformed file."""
    if tomllib is None:
        raise EnvironmentProblem(f"tomli (TOML for Python 3.10) is not installed. To fix it, {fix_command()}")
    stages = []
    for path in sorted(directory.glob("stage*.toml")):
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
        head = raw.get("stage", {})
        for entry in raw.get("task", []):
            _check_weight(path, entry)
        try:
            number = int(head["number"])
            tasks = tuple(Task(**{**entry, "files": tuple(entry["files"]),
                                  "hints": tuple(FunctionHint(**h) for h in entry.get("hints", ()))})
                          for entry in raw.get("task", []))
            experiments = tuple(Experiment(**entry) for entry in raw.get("experiment", []))
            stage = Stage(number, f"stage{number}", head["title"], head["notes"], head["tests"],
                          tuple(head.get("requires", ())), tasks, experiments)
        except (KeyError, TypeError) as error:
            raise CurriculumError(f"{path.name}: malformed curriculum entry ({error})") from None
        wrong = [t.id for t in tasks if t.stage_number != number]
        if wrong:
            raise CurriculumError(f"{path.name}: tasks {wrong} do not belong to stage {number}")
        stages.append(stage)
    return sorted(stages, key=lambda s: s.number)


def all_tasks(stages: list[Stage] | None = None) -> dict[str, Task]:
    """Task id -> Task, over every stage."""
    return {task.id: task for stage in (stages or load_curriculum()) for task in stage.tasks}
