"""Writing to the terminal. Views hand over lines of (text, style) segments; on a terminal
they go through rich, to a pipe or with NO_COLOR they are written as plain text without
importing rich at all (a third of the start-up budget). Every segment is made literal:
control characters and terminal escapes in text people typed are shown, never acted on,
and rich markup is never interpreted."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console

Segment = tuple[str, str]  # (text, rich style or "")
Line = Sequence[Segment] | str

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def literal(text: str) -> str:
    """Make control characters (terminal escapes, bidi overrides) visible instead of active."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def styled(stream: TextIO) -> bool:
    if os.environ.get("FORCE_COLOR"):
        return True
    if "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@cache
def _console(stderr: bool) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, markup=False, highlight=False, emoji=False, soft_wrap=True)


def console(stderr: bool = False) -> Console:
    return _console(stderr)


def _segments(line: Line) -> Sequence[Segment]:
    return [(line, "")] if isinstance(line, str) else line


def write(lines: Iterable[Line], *, stderr: bool = False) -> None:
    stream = sys.stderr if stderr else sys.stdout
    if not styled(stream):
        stream.write(
            "".join("".join(literal(t) for t, _ in _segments(line)) + "\n" for line in lines)
        )
        return
    from rich.text import Text

    target = console(stderr)
    for line in lines:
        text = Text.assemble(*((literal(t), s) for t, s in _segments(line)))
        for part in _hanging(text, target.width):
            target.print(part)


def _hanging(text: Any, width: int) -> list[Any]:
    """A line too long for the terminal, wrapped with its continuation lines indented
    under it (a hanging indent) instead of running back to column 0."""
    if text.cell_len <= width or width < 30:
        return [text]
    plain = text.plain
    indent = min(len(plain) - len(plain.lstrip(" ")) + 6, width // 3)
    parts = list(text.wrap(console(), width - indent))
    for part in parts[1:]:
        part.pad_left(indent)
    return parts


def write_text(text: str) -> None:
    """A ready-made document (Markdown, text, HTML) to stdout, with control characters
    from people's text made visible like everything else."""
    sys.stdout.write(literal(text))


def error(message: str, problems: Sequence[str] | None = None) -> None:
    """One sentence; where a file had several problems, the rest follow, one a line."""
    rest = ["  " + problem for problem in (problems or [])[1:]]
    write([[("error: ", "bold red"), (message, "")], *rest], stderr=True)


def warn(message: str) -> None:
    write([[("warning: ", "yellow"), (message, "")]], stderr=True)


def success(message: str) -> None:
    write([[("✓ ", "green"), (message, "")]])


def print_json(kind: str, data: Any) -> None:
    """The --json envelope: {"mentorkit": 1, "kind": ..., "data": ...}."""
    import json

    envelope = {"mentorkit": 1, "kind": kind, "data": data}
    sys.stdout.write(json.dumps(envelope, indent=2, ensure_ascii=False, default=_json_default))
    sys.stdout.write("\n")


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def width(text: str) -> int:
    """Display width, counting wide characters (CJK) as two cells."""
    if text.isascii():
        return len(text)
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, cells: int) -> str:
    return text + " " * max(0, cells - width(text))
