"""Untrusted text is data: every string that comes from the learner's code passes through here.

Messages, printed output, reprs and file names written by the graded code reach a
terminal, a JSON file or an XML report.  ``clean`` makes each one safe for all of
them: control characters (ANSI escapes, NUL, form feed, bidirectional overrides)
become visible escapes, code points that cannot be encoded (lone surrogates) become
U+FFFD, and the length is capped with a notice of how much was cut.
"""
from __future__ import annotations

import unicodedata

MESSAGE_LIMIT = 2000  # characters of one learner string kept by default
_KEPT = {"\n", "\t"}
_BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}


def _visible(character: str) -> str:
    if character in _KEPT:
        return character
    code = ord(character)
    if 0xD800 <= code <= 0xDFFF:  # a lone surrogate: not encodable in UTF-8
        return "\ufffd"
    if character in _BIDI_CONTROLS or unicodedata.category(character) == "Cc":
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return character


def clean(text: object, limit: int = MESSAGE_LIMIT) -> str:
    """``text`` as a safe, printable string of at most about ``limit`` characters."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    cut = len(text) - limit
    if cut > 0:
        text = text[:limit]
    safe = "".join(_visible(c) for c in text)
    return safe + (f"\n[... {cut} more characters cut ...]" if cut > 0 else "")


def safe_str(value: object, limit: int = MESSAGE_LIMIT) -> str:
    """``str(value)``, or a description when ``str`` itself raises (an exception's own ``__str__`` may)."""
    try:
        text = str(value)
    except BaseException as error:  # noqa: BLE001 - the learner's __str__ may raise anything
        text = f"<{type(value).__name__} whose str() raised {type(error).__name__}>"
    return clean(text, limit)
