"""The class at a glance: pass rate per task, the most failed test of each task and the typical
mistakes (bug zoo) that fail it, as ``summary.md`` and a bar chart ``summary.png``.

Read from the students' ``results.json`` (the grader's JSON report) and their grades; the chart
is drawn on a ``matplotlib.figure.Figure`` of its own, never through pyplot's global state.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tools.curriculum import Task

if TYPE_CHECKING:  # tools/batch.py imports this module
    from tools.batch import StudentGrade


@dataclass
class TaskStatistics:
    task: Task
    passed: int
    graded: int
    most_failed: str = ""
    failed_by: int = 0
    mistakes: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.passed / self.graded if self.graded else 0.0


def task_statistics(tasks: list[Task], grades: list[StudentGrade], out: Path,
                    zoo: dict[str, list[str]]) -> list[TaskStatistics]:
    """Per task: how many graded students pass it, its most failed test and the mistakes that fail that test."""
    graded = [g for g in grades if g.graded]
    failures: dict[str, dict[str, int]] = {task.id: {} for task in tasks}
    for grade in graded:
        try:
            results = json.loads((out / grade.student / "results.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for stage in results.get("stages", []):
            for task in stage.get("tasks", []):
                for failure in task.get("failures", []):
                    if not failure.get("message", "").startswith("not run:") and task["id"] in failures:
                        counts = failures[task["id"]]
                        counts[failure["test"]] = counts.get(failure["test"], 0) + 1
    statistics = []
    for task in tasks:
        entry = TaskStatistics(task, sum(task.id in g.passed for g in graded), len(graded))
        if failures[task.id]:
            entry.most_failed, entry.failed_by = max(failures[task.id].items(), key=lambda item: item[1])
            entry.mistakes = zoo.get(entry.most_failed, [])[:3]
        statistics.append(entry)
    return statistics


def write_summary(out: Path, grades: list[StudentGrade], statistics: list[TaskStatistics], zoo_note: str,
                  figure: bool) -> None:
    weights = sum(s.task.weight for s in statistics)
    graded = [g for g in grades if g.graded]
    totals = sorted(g.total for g in graded)
    statuses = {status: sum(g.status == status for g in grades) for status in ("ok", "error", "timeout", "withheld")}
    lines = ["# Class summary", "",
             f"{len(grades)} students ({', '.join(f'{n} {s}' for s, n in statuses.items() if n)}); "
             f"{len(graded)} graded" + (f", mean {sum(totals) / len(totals):.1f} and median {totals[len(totals) // 2]:g} "
                                        f"of {weights:g} points" if totals else "") + ".", ""]
    if figure:
        lines += ["![pass rate per task](summary.png)", ""]
    lines += ["| task | title | pass rate | most failed test | failed by | typical mistakes that fail it (bug zoo) |",
              "|---|---|---|---|---|---|"]
    for s in statistics:
        test = s.most_failed.rpartition("::")[2] if s.most_failed else ""
        lines.append(f"| {s.task.id} | {s.task.title} | {100 * s.rate:.0f}% ({s.passed}/{s.graded}) | "
                     f"{f'`{test}`' if test else ''} | {s.failed_by or ''} | {'; '.join(s.mistakes)} |")
    lines.append("")
    if zoo_note:
        lines += [f"Note: {zoo_note}.", ""]
    attention = [g for g in grades if g.status != "ok"]
    if attention:
        lines += ["## Students to look at", ""]
        lines += [f"* {g.student}: {g.status}" + (f": {g.note.splitlines()[0][:300]}" if g.note else "") for g in attention]
        lines.append("")
    (out / "summary.md").write_text("\n".join(lines), encoding="utf-8")


def draw_summary(path: Path, statistics: list[TaskStatistics], students: int) -> bool:
    """The pass rate per task as a bar chart, coloured by stage, on a Figure of its own (no global backend)."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return False
    figure = Figure(figsize=(max(8.0, 0.22 * len(statistics) + 2), 4.2), dpi=120, layout="constrained")
    axes = figure.add_subplot()
    palette = ["#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3"]
    stages = sorted({entry.task.stage_number for entry in statistics})
    for stage in stages:
        where = [i for i, entry in enumerate(statistics) if entry.task.stage_number == stage]
        axes.bar(where, [100 * statistics[i].rate for i in where], color=palette[(stage - 1) % len(palette)],
                 label=f"stage {stage}")
    axes.set_xticks(range(len(statistics)), [e.task.id for e in statistics], rotation=90, fontsize=7)
    axes.set_xlim(-0.6, len(statistics) - 0.4)
    axes.set_ylim(0, 118)  # room for the legend above the bars
    axes.set_yticks(range(0, 101, 20))
    axes.set_xlabel("task")
    axes.set_ylabel("students who pass it (%)")
    axes.set_title(f"Pass rate per task ({students} students graded)")
    axes.grid(axis="y", alpha=0.3)
    axes.legend(loc="upper right", fontsize=8, ncols=len(stages))
    figure.savefig(path)
    return True
