"""Time from saving a file to the task's verdict in `python grader.py watch`, per task of stages 1-2.

A learner who has solved every task (the reference, written between the learner's
region markers) runs ``watch``; for each task we append a comment line inside the
task's region, as a save would, and time until the watcher prints that task's
verdict line.  Three saves per task; the table shows the median of each.  This
includes the watcher's polling interval (0.25 s), so it is what the learner waits.
"""
from __future__ import annotations

import queue
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import ROOT, table

sys.path.insert(0, str(ROOT))
from tools.curriculum import load_curriculum  # noqa: E402
from tools.make_exercises import generate  # noqa: E402
from tools.markers import YOUR_CODE_BEGIN  # noqa: E402

SAVES_PER_TASK = 3
STAGES = ("stage1", "stage2")


def save_inside_region(package: Path, task: str, note: str) -> None:
    """Append a comment line at the start of the task's first region, as an edit and a save would."""
    marker = YOUR_CODE_BEGIN.format(task=task)
    for path in sorted(package.rglob("*.py")):
        text = path.read_text()
        index = text.find(marker)
        if index >= 0:
            line_end = text.index("\n", index) + 1
            indent = text[text.rfind("\n", 0, index) + 1 : index]
            path.write_text(text[:line_end] + f"{indent}# {note}\n" + text[line_end:])
            return
    raise LookupError(f"no region of task {task}")


def lines_of(process: subprocess.Popen) -> "queue.Queue[str]":
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    return lines


def wait_for(lines: "queue.Queue[str]", pattern: re.Pattern, limit: float = 120.0) -> float:
    """Seconds until a line matching ``pattern`` arrives."""
    started = time.perf_counter()
    while True:
        line = lines.get(timeout=limit)
        if pattern.search(line):
            return time.perf_counter() - started


def main() -> str:
    tasks = [task for stage in load_curriculum() if stage.name in STAGES for task in stage.tasks]
    watching = re.compile(r"^watching ")
    with tempfile.TemporaryDirectory() as scratch:
        generate(Path(scratch), only=set(), as_learner=True)
        process = subprocess.Popen([sys.executable, str(ROOT / "grader.py"), "watch", "--target", scratch],
                                   cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   stdin=subprocess.DEVNULL, env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"})
        try:
            lines = lines_of(process)
            wait_for(lines, watching)
            rows, medians = [], []
            for task in tasks:
                verdict = re.compile(rf"^\s+(ok|FAIL)\s+{re.escape(task.id)}\s")
                samples = []
                for save in range(SAVES_PER_TASK):
                    save_inside_region(Path(scratch) / "learndyn", task.id, f"save {save}")
                    samples.append(wait_for(lines, verdict))
                    wait_for(lines, watching)  # the rest is re-graded before the next save
                medians.append(statistics.median(samples))
                rows.append([task.id, task.title, f"{medians[-1]:.2f}"])
        finally:
            process.terminate()
            process.wait()
    rows.append(["all", f"median over {len(tasks)} tasks (max {max(medians):.2f})", f"{statistics.median(medians):.2f}"])
    return table(["task", "title", "save to verdict (s)"], rows)


if __name__ == "__main__":
    print(main())
