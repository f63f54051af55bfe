"""Small helpers for the sentences mentorkit writes into commit messages and the record."""

from __future__ import annotations

from typing import Any

from mentorkit.file.model import TITLE_LIMIT


def one_line(text: str, what: str) -> str:
    """A title or name as kept: stripped, and on one line (it is shown as one line in lists,
    prompts, commit summaries and calendars); a line break in it is refused."""
    from mentorkit.errors import UsageProblem

    text = text.strip()
    if any(char in text for char in "\n\r\v\f\x85\u2028\u2029"):
        raise UsageProblem(f"{what} must be on one line; it has a line break")
    if len(text) > TITLE_LIMIT:
        raise UsageProblem(
            f"{what} has {len(text)} characters; keep it under {TITLE_LIMIT} and put the "
            "rest in a note or an update"
        )
    return text


def quoted(value: Any) -> str:
    """A title or name in double quotes, on one line: `"Draft the memo"`."""
    return '"' + " ".join(str(value).split("\n")) + '"'


def because(reason: str | None) -> str:
    """' (because: the client moved the hearing)' for a commit sentence; empty without one."""
    text = " ".join((reason or "").split())
    return f" (because: {text})" if text else ""


def plural(count: int, singular: str, many: str | None = None) -> str:
    """'1 day', '3 days', '1 talking point', '2 KPIs'."""
    return f"{count} {singular if count == 1 else many or singular + 's'}"


def amount(value: float, unit: str | None) -> str:
    """A value with its unit, the unit's first word singular for exactly 1: '1 revision',
    '3 revisions', '1 point of 10', '85 %'."""
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    if not unit:
        return shown
    words = unit.split(" ")
    head = words[0]
    if value == 1 and len(head) > 2 and head.endswith("s") and not head.endswith("ss"):
        words[0] = head[:-3] + "y" if head.endswith("ies") else head[:-1]
    return f"{shown} {' '.join(words)}"
