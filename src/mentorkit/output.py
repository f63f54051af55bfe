"""Writing to the terminal. Views hand over lines of (text, style) segments; on a terminal
they go through rich, to a pipe or with NO_COLOR they are written as plain text without
importing rich at all (a third of the start-up budget). Every segment is made literal:
control characters and terminal escapes in text people typed are shown, never acted on,
and rich markup is never interpreted."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

if TYPE_CHECKING:
    from rich.console import Console

Segment = tuple[str, str]  # (text, rich style or "")
T = TypeVar("T")
Line = Sequence[Segment] | str

# C0 controls but the newline (tabs too: they would move the columns of a list), DEL, C1
# controls, the bidi marks, embeddings, overrides and isolates, the line and paragraph
# separators, and the interlinear annotation marks.
_CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufff9-\ufffb]"
)
_LINE_BREAK = re.compile(r"\s*\n\s*")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def literal(text: str) -> str:
    """The one neutralising function for text from outside (the file, paths, typed text):
    control characters, terminal escapes and bidi controls become visible escapes like
    ``\\x1b``, so they are shown and never acted on. Every output goes through it:
    terminal, prompts, JSON, Markdown, commit messages, textconv and written files."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(_visible, text)


def one_line(text: str) -> str:
    """Literal text on a single line (a prompt, a commit message's summary, a mail header)."""
    return literal(_LINE_BREAK.sub(" ", text)) if "\n" in text else literal(text)


# Inline Markdown and HTML: emphasis, code, strike-through, table cells, HTML, and a
# bracket only where it would close a link, image or link definition: "](", "][", "]:", "![".
_MARKDOWN = re.compile(r"[\\`*_~|<>&]|\](?=[(\[:])|!(?=\[)")
_MARKDOWN_ESCAPES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
# What would start a block at the beginning of an item: a heading, a list, a quote, a fence.
_BLOCK_START = re.compile(r"^(#|[-+=]|\d+[.)])")


def md(text: str) -> str:
    """People's text inside Markdown: on one line (a newline cannot start a heading or a
    list), HTML escaped, and Markdown punctuation that would make links, images, emphasis,
    table cells or blocks backslash-escaped."""
    escaped = _MARKDOWN.sub(
        lambda m: _MARKDOWN_ESCAPES.get(m.group()) or "\\" + m.group(), one_line(text).strip()
    )
    return _BLOCK_START.sub(lambda m: m.group()[:-1] + "\\" + m.group()[-1], escaped)


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


def terminal_width() -> int | None:
    """The terminal's width in cells when stdout is one, else None (a pipe, a file)."""
    return console().width if styled(sys.stdout) else None


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


def export(target: str, text: str, *, line_end: str = "\n") -> bool:
    """A document to the file `target`, or to stdout for ``-``; made literal like all
    output (keeping `line_end`, CRLF for iCalendar). Returns whether a file was written."""
    if line_end != "\n":
        text = line_end.join(literal(line) for line in text.split(line_end))
    else:
        text = literal(text)
    if target == "-":
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return False
    from mentorkit.file.storage import write_export

    write_export(target, text.encode("utf-8"))
    return True


def read_line(prompt: str) -> str:
    """`input(prompt)` (the prompt to stderr on a terminal, as input() writes it; EOFError at
    the end of input) that a Ctrl-C always interrupts. input() on a terminal leaves Python
    for the C library's read: a signal that arrives after the prompt is written but before
    the read begins is noticed only once a line is typed, so the question hangs. Here the
    wait is a select() that the signal itself wakes (`signal.set_wakeup_fd`), and the
    handler runs as soon as control returns to Python."""
    stdin = sys.stdin
    try:
        fd = stdin.fileno() if stdin is not None else -1
        terminal = fd >= 0 and os.isatty(fd)
    except (OSError, ValueError):
        terminal = False
    if not terminal or stdin is None:
        return input(prompt)
    import select
    import signal

    sys.stdout.flush()
    sys.stderr.write(prompt)
    sys.stderr.flush()
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_read, False)
    os.set_blocking(wake_write, False)
    previous = signal.set_wakeup_fd(wake_write)
    try:
        while True:
            ready, _, _ = select.select([fd, wake_read], [], [])
            if fd in ready:
                break
            os.read(wake_read, 512)  # a signal came: its handler runs on the way back here
    finally:
        signal.set_wakeup_fd(previous)
        os.close(wake_read)
        os.close(wake_write)
    line = stdin.readline()
    if not line:
        raise EOFError
    return line[:-1] if line.endswith("\n") else line


def ask(question: str, default: str = "") -> str:
    """One prompt, its text made literal. The end of input counts as skipping it; Ctrl-C
    interrupts the whole command (click's prompt would turn both into the same Abort)."""
    shown = f"{question} [{default}]: " if default else f"{question}: "
    try:
        answer = read_line(one_line(shown))
    except EOFError:
        sys.stdout.write("\n")
        return ""
    return answer.strip() or default


def choose(question: str, choices: dict[str, str], default: str) -> str:
    """One of `choices` (letter: word), typed as the letter or the whole word; anything
    else is asked again, never taken as the default."""
    while True:
        answer = ask(question, default).lower() or default  # the end of input: the default
        for letter, word in choices.items():
            if answer in (letter, word):
                return letter
        offered = ", ".join(f"{word} ({letter})" for letter, word in choices.items())
        warn(f"{answer!r} is not an answer here; type one of {offered}")


def ask_until(question: str, accept: Callable[[str], T]) -> T | None:
    """Ask until `accept` takes the answer (a problem is said and asked again); blank or the
    end of input gives None. Answers already given in the same run stay."""
    from mentorkit.errors import UsageProblem

    while True:
        text = ask(question)
        if not text:
            return None
        try:
            return accept(text)
        except UsageProblem as problem:
            warn(f"{problem}; try again, or leave it blank to skip")


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
    envelope = {"mentorkit": 1, "kind": kind, "data": data}
    sys.stdout.write(json_text(envelope))
    sys.stdout.write("\n")


def json_text(value: Any) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=True)` (dates in ISO 8601), character for
    character, made several times faster: with an indent, the standard library encodes
    in Python, one generator per container, and a history holds thousands of events.
    ensure_ascii: every control, C1 and bidi character becomes a \\u escape."""
    from json.encoder import encode_basestring_ascii

    parts: list[str] = []
    add = parts.append

    def scalar(v: Any) -> str:
        if isinstance(v, str):
            return str(encode_basestring_ascii(v))
        if v is None:
            return "null"
        if v is True:
            return "true"
        if v is False:
            return "false"
        if isinstance(v, int):
            return int.__repr__(v)
        if isinstance(v, float):
            if v != v:
                return "NaN"
            if v in (float("inf"), float("-inf")):
                return "Infinity" if v > 0 else "-Infinity"
            return float.__repr__(v)
        raise TypeError(type(v).__name__)

    def key(k: Any) -> str:
        if isinstance(k, str):
            return str(encode_basestring_ascii(k))
        if isinstance(k, bool | int | float) or k is None:
            return str(encode_basestring_ascii(scalar(k)))
        raise TypeError(f"keys must be str, int, float, bool or None, not {type(k).__name__}")

    keys: dict[str, str] = {}  # the same few keys, over and over

    def emit(v: Any, pad: str) -> None:
        if isinstance(v, dict):
            if not v:
                add("{}")
                return
            inner = pad + "  "
            head, rest = "{\n" + inner, ",\n" + inner
            for k, item in v.items():
                name = keys.get(k) if k.__class__ is str else None
                if name is None:
                    name = key(k) + ": "
                    if k.__class__ is str:
                        keys[k] = name
                if isinstance(item, str):
                    add(head + name + encode_basestring_ascii(item))
                elif item is None:
                    add(head + name + "null")
                else:
                    add(head + name)
                    emit(item, inner)
                head = rest
            add("\n" + pad + "}")
        elif isinstance(v, list | tuple):
            if not v:
                add("[]")
                return
            inner = pad + "  "
            head, rest = "[\n" + inner, ",\n" + inner
            for item in v:
                add(head)
                head = rest
                emit(item, inner)
            add("\n" + pad + "]")
        elif isinstance(v, str | int | float) or v is None:
            add(scalar(v))
        else:
            emit(_json_default(v), pad)

    emit(value, "")
    return "".join(parts)


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
