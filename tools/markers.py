"""The stub contract: how the learner's part of the code is marked, in both copies.

Every program that writes or reads these markers imports them from here (the stub
generator writes them, ``reset`` finds the learner's regions by them, the grader
reads the stub's message to say which task and function a failing test stopped
in), so a change of wording cannot silently break one of them.

In ``solutions/``::

    # BEGIN SOLUTION 2.3
    ...reference code...
    # END SOLUTION

In ``exercises/`` the block becomes, at the same indentation::

    # --- your code for task 2.3 ---
    raise NotImplementedError("stage 2, task 2.3 (Backward of matmul): implement Tensor.__matmul__.backward. Hint: ...")
    # --- end of task 2.3 ---
"""
from __future__ import annotations

import re
from dataclasses import dataclass

SOLUTION_BEGIN = re.compile(r"^(?P<indent>[ \t]*)# BEGIN SOLUTION (?P<task>\d+\.\d+)\s*$")
SOLUTION_END = re.compile(r"^[ \t]*# END SOLUTION\s*$")

YOUR_CODE_BEGIN = "# --- your code for task {task} ---"
YOUR_CODE_END = "# --- end of task {task} ---"
_YOUR_CODE_BEGIN_LINE = re.compile(r"^(?P<indent>[ \t]*)# --- your code for task (?P<task>\d+\.\d+) ---\s*$")

_DEF = re.compile(r"^(?P<indent>[ \t]*)(?:async\s+)?(?:def|class)\s+(?P<name>\w+)")

_STUB_MESSAGE = "stage {stage}, task {task} ({title}): implement {function}. Hint: python grader.py hint {task}"
_STUB_MESSAGE_PATTERN = re.compile(r"stage (?P<stage>\d+), task (?P<task>\d+\.\d+) \((?P<title>.*?)\): implement (?P<function>[\w.<>]+)\.")


@dataclass(frozen=True)
class SolutionBlock:
    """A ``# BEGIN SOLUTION task`` ... ``# END SOLUTION`` block of a module (0-based indices of its marker lines)."""

    task: str
    indent: str
    begin: int
    end: int

    def body(self, lines: list[str]) -> list[str]:
        return lines[self.begin + 1:self.end]


def solution_blocks(lines: list[str]) -> list[SolutionBlock]:
    """The solution blocks of a module's lines, in order (a BEGIN without its END is left out)."""
    blocks, begin = [], None
    for index, line in enumerate(lines):
        if match := SOLUTION_BEGIN.match(line):
            begin = (match["task"], match["indent"], index)
        elif begin and SOLUTION_END.match(line):
            blocks.append(SolutionBlock(begin[0], begin[1], begin[2], index))
            begin = None
    return blocks


@dataclass(frozen=True)
class Stub:
    """What a stub's ``NotImplementedError`` says: its task and the function to write."""

    task: str
    function: str


def stub_message(task: str, title: str, function: str) -> str:
    """The message of the ``NotImplementedError`` that replaces a solution block."""
    return _STUB_MESSAGE.format(stage=task.split(".")[0], task=task, title=title, function=function)


def parse_stub_message(text: str) -> Stub | None:
    """The stub named in ``text`` (an error message that may hold one), or ``None``."""
    match = _STUB_MESSAGE_PATTERN.search(text)
    return Stub(match["task"], match["function"]) if match else None


def stub_lines(task: str, title: str, function: str, indent: str) -> list[str]:
    """The three lines that replace a solution block in the learner's copy."""
    return [f"{indent}{YOUR_CODE_BEGIN.format(task=task)}\n",
            f"{indent}raise NotImplementedError({stub_message(task, title, function)!r})\n",
            f"{indent}{YOUR_CODE_END.format(task=task)}\n"]


def solved_lines(task: str, body: list[str], indent: str) -> list[str]:
    """A region as a learner who solved ``task`` has it: the markers around the code ``body``."""
    return [f"{indent}{YOUR_CODE_BEGIN.format(task=task)}\n", *body, f"{indent}{YOUR_CODE_END.format(task=task)}\n"]


def region_pattern(task: str) -> re.Pattern:
    """Matches each whole region of ``task`` in a learner's file, both marker lines included."""
    return re.compile(rf"^[ \t]*{re.escape(YOUR_CODE_BEGIN.format(task=task))}\n.*?^[ \t]*{re.escape(YOUR_CODE_END.format(task=task))}\n",
                      re.MULTILINE | re.DOTALL)


def region_starts(lines: list[str]) -> list[tuple[int, str, str]]:
    """(index, indent, task) of every ``your code for task`` line in a file's ``lines``."""
    return [(i, m["indent"], m["task"]) for i, line in enumerate(lines) if (m := _YOUR_CODE_BEGIN_LINE.match(line))]


def enclosing_name(lines: list[str], index: int, indent: str | None = None) -> str:
    """Dotted name of the def/class around ``lines[index]`` (e.g. ``Tensor.__mul__.backward``).

    ``indent`` is the indentation of the code at ``index`` (default: that line's own);
    the stub names its function this way, and the grader names a failing line the same way.
    """
    if indent is None:
        indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
    names, limit = [], len(indent)
    for line in reversed(lines[:index]):
        match = _DEF.match(line)
        if match and len(match["indent"]) < limit:
            names.append(match["name"])
            limit = len(match["indent"])
            if limit == 0:
                break
    return ".".join(reversed(names)) or "<module>"


def definition_line(lines: list[str], function: str) -> int | None:
    """Index of the ``def``/``class`` line of the dotted ``function`` in ``lines``, or ``None``."""
    for i, line in enumerate(lines):
        match = _DEF.match(line)
        if match and match["name"] == function.split(".")[-1] and enclosing_name(lines, i + 1, match["indent"] + " ") == function:
            return i
    return None
