"""Which lines of the reference give an answer away, and where a folder holds one.

A line inside a ``BEGIN/END SOLUTION`` block of ``solutions/`` is *telling* unless

* it is generic: fewer than ``MIN_TOKENS`` tokens (``return out``, ``pass``, ``else:``,
  ``while True:``, ``g = grad``, ``raise RuntimeError(``): three tokens cannot say how a
  function works, while four already can (a forward of one product is four tokens long);
* the learner has it anyway: the stubs hold it (outside the blocks: a signature, or a
  formula in a docstring) or the released tests do (the stage tests and their oracle, which
  every copy of the course holds and the grading needs).

Lines are compared with whitespace runs made one space and double quotes made single (a hint
in a TOML string quotes code with '), and found anywhere in a file's text, even inside a
sentence; a TOML file is also searched as its parsed strings (escapes undone).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from tools.curriculum import ROOT, tomllib
from tools.markers import solution_blocks

SOLUTIONS = ROOT / "solutions" / "learndyn"
MIN_TOKENS = 4
_TOKEN = re.compile(r"[A-Za-z_]\w*|\d+\.?\d*(?:[eE][-+]?\d+)?|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\S")
NOTES_LINK = re.compile(r"docs/[\w.-]+\.md(?:#[\w-]+)?")  # a link to a section of the notes, as hints give them
_MORE_LINE = re.compile(r"^(?P<head>\s*more\s*=\s*)(?P<value>.+?)\s*$")


def normalised(text: str) -> str:
    """Whitespace runs made one space, and double quotes single (a hint in a TOML string quotes code with ')."""
    return " ".join(text.split()).replace('"', "'")


def is_generic(line: str) -> bool:
    return len(_TOKEN.findall(line)) < MIN_TOKENS


@dataclass
class AnswerLines:
    """The telling lines of the solution blocks, each with where it comes from, and what was left out."""

    lines: dict[str, str] = field(default_factory=dict)  # normalised line -> "file:line" of its first block
    generic: int = 0
    in_stubs: int = 0
    in_tests: int = 0


def _block_lines(source: Path = SOLUTIONS) -> list[tuple[str, str]]:
    """(normalised line, ``file:line``) of every non-blank line inside a solution block."""
    inside = []
    for path in sorted(source.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for block in solution_blocks(lines):
            inside += [(normalised(lines[index]), f"solutions/{path.relative_to(source.parent).as_posix()}:{index + 1}")
                       for index in range(block.begin + 1, block.end) if lines[index].strip()]
    return inside


def _joined(files: list[Path]) -> str:
    return "\n".join(normalised(path.read_text(encoding="utf-8")) for path in files)


def answer_lines(stubs: Path, test_files: list[Path], source: Path = SOLUTIONS) -> AnswerLines:
    """The lines a release must not hold (see the module's docstring for the rule); ``stubs`` is a generated package."""
    in_stubs = _joined(sorted(stubs.rglob("*.py")))
    in_tests = _joined(test_files)
    found = AnswerLines()
    seen = set()
    for text, where in _block_lines(source):
        if text in seen:
            continue
        seen.add(text)
        if is_generic(text):
            found.generic += 1
        elif text in in_stubs:
            found.in_stubs += 1
        elif text in in_tests:
            found.in_tests += 1
        else:
            found.lines[text] = where
    return found


def _searchable_texts(path: Path, skip_more: bool) -> list[str]:
    """The text of a file as it can hold a line: raw, and for TOML its parsed strings (escapes undone)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return []
    if b"\0" in raw:  # a figure
        return []
    text = raw.decode("utf-8", errors="replace")
    if path.suffix != ".toml":
        return [normalised(text)]
    if skip_more:
        text = "\n".join(line for line in text.splitlines() if not _MORE_LINE.match(line))
    strings: list[str] = []

    def walk(value, key=""):
        items = value.items() if isinstance(value, dict) else ((key, v) for v in value) if isinstance(value, list) else ()
        for inner_key, inner in items:
            walk(inner, inner_key)
        if isinstance(value, str) and not (skip_more and key == "more"):
            strings.append(value)
    try:
        walk(tomllib.loads(text))
    except tomllib.TOMLDecodeError:
        pass
    return [normalised(text), normalised("\n".join(strings))]


def find_answers(folder: Path, answers: AnswerLines, skip_more: bool = False) -> list[tuple[str, str, str]]:
    """(file in ``folder``, the answer line found in it, where that line is in solutions/) for every find."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        texts = _searchable_texts(path, skip_more and path.parent.name == "curriculum")
        for line, where in answers.lines.items():
            if any(line in text for text in texts):
                found.append((path.relative_to(folder).as_posix(), line, where))
    return found


def cut_code_hints(toml_text: str, answers: AnswerLines) -> tuple[str, int]:
    """``toml_text`` with every ``more`` hint that quotes an answer line cut down to its notes links."""
    out, cut = [], 0
    for number, line in enumerate(toml_text.splitlines(keepends=True), 1):
        match = _MORE_LINE.match(line.rstrip("\n"))
        if match:
            try:
                value = tomllib.loads(f"v = {match['value']}")["v"]
            except tomllib.TOMLDecodeError:
                raise ValueError(f"line {number}: a `more` hint that is not a one-line TOML string") from None
            plain = normalised(value)
            if any(answer in plain for answer in answers.lines):
                links = list(dict.fromkeys(NOTES_LINK.findall(value)))
                line = f"{match['head']}{json.dumps('see ' + ', '.join(links) if links else '', ensure_ascii=False)}\n"
                cut += 1
        out.append(line)
    return "".join(out), cut
