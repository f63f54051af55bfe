"""Turning results into terminal output with rich. Text that people typed is always shown
literally: rich markup is off, and control characters are made visible."""

from __future__ import annotations

import json
import re
import sys
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from mentorkit.model import Agreement, Mentorship
    from mentorkit.overview import MeetingTimes, Status

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def literal(text: str) -> str:
    """Make control characters (terminal escapes, bidi overrides) visible instead of active."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


@cache
def console() -> Console:
    from rich.console import Console

    return Console(markup=False, highlight=False, emoji=False, soft_wrap=True)


@cache
def error_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, markup=False, highlight=False, emoji=False, soft_wrap=True)


def out(*parts: Any) -> None:
    console().print(*parts)


def error(message: str, problems: list[str] | None = None) -> None:
    from rich.text import Text

    err = error_console()
    err.print(Text.assemble(("error: ", "bold red"), literal(message)))
    for problem in (problems or [])[1:]:
        err.print(Text("  " + literal(problem)))


def warn(message: str) -> None:
    from rich.text import Text

    error_console().print(Text.assemble(("warning: ", "yellow"), literal(message)))


def success(message: str) -> None:
    from rich.text import Text

    console().print(Text.assemble(("✓ ", "green"), literal(message)))


def print_json(kind: str, data: Any) -> None:
    """The --json envelope: {"mentorkit": 1, "kind": ..., "data": ...}."""
    envelope = {"mentorkit": 1, "kind": kind, "data": data}
    sys.stdout.write(json.dumps(envelope, indent=2, ensure_ascii=False, default=_json_default))
    sys.stdout.write("\n")


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def when(moment: datetime) -> str:
    return f"{moment:%a} {moment.day} {moment:%b %Y, %H:%M} {moment.tzname()}"


def day(value: date | None) -> str:
    return value.isoformat() if value else "-"


def relative_days(days: int) -> str:
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


# --------------------------------------------------------------------------- status


def meeting_lines(meeting: MeetingTimes, names: dict[str, str]) -> list[Any]:
    from rich.text import Text

    lines: list[Any] = []
    head = Text.assemble(
        (when(meeting.start), "bold"),
        f"  ({relative_days(meeting.days_away)}, {meeting.minutes} min, {meeting.channel})",
    )
    if meeting.status in ("moved", "added"):
        head.append(f"  [{meeting.status}]", "yellow")
    lines.append(head)
    for role, local in meeting.local.items():
        line = Text(f"  for the {role}, {literal(names[role])}: {when(local)}")
        if role in meeting.odd_hours:
            line.append(f"  ⚠ {meeting.odd_hours[role]}", "yellow")
        lines.append(line)
    if meeting.link:
        lines.append(Text("  " + literal(meeting.link)))
    return lines


def status(result: Status) -> None:
    from rich.text import Text

    c = console()
    names = {p.role: p.name for p in result.people}
    c.print(
        Text.assemble(
            ("Mentorship ", "bold"),
            literal(names["mentor"]),
            " (mentor) and ",
            literal(names["mentee"]),
            " (mentee)",
        )
    )
    for person in result.people:
        c.print(
            Text(
                f"  {person.role:<7} {literal(person.name)}, {person.timezone}, "
                f"now {person.local:%a %H:%M}"
            )
        )
    c.print()
    c.print(Text("Next meeting", "bold"))
    if result.next_meeting is None:
        c.print(Text("  none scheduled (`mentorkit schedule set`)"))
    else:
        for line in meeting_lines(result.next_meeting, names):
            c.print(Text("  ") + line if isinstance(line, Text) else line)
    c.print()
    c.print(Text("Action items", "bold"))
    for role, counts in result.actions.items():
        line = Text(f"  {role:<7} {counts.open} open")
        if counts.overdue:
            line.append(f", {counts.overdue} overdue", "bold red")
        line.append(f", {counts.done} done")
        c.print(line)
    for note in result.notes:
        c.print(Text("note: " + literal(note), "yellow"))


# --------------------------------------------------------------------------- rules


def rules(agreement: Agreement, m: Mentorship) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    rows = [
        ("mentee wants", agreement.mentee_wants),
        ("mentor wants", agreement.mentor_wants),
        ("initiates contact", agreement.initiates_contact),
        ("accountability", agreement.accountability),
        ("formal channel", agreement.formal_channel),
        ("informal channels", ", ".join(agreement.informal_channels)),
        ("response time", agreement.response_time),
        ("urgent concerns", agreement.urgent_concerns),
        ("confidentiality", agreement.confidentiality),
        ("cancellations", agreement.cancellations),
        ("meetings", f"{m.schedule.cadence}, {m.schedule.time} {m.schedule.timezone}"),
        ("feedback day", m.schedule.feedback_day or "-"),
        (
            "term",
            f"{day(agreement.term.start)} to {day(agreement.term.end)}, "
            f"review {day(agreement.term.review)}",
        ),
        (
            "agreed",
            f"mentor {day(agreement.agreed.mentor)}, mentee {day(agreement.agreed.mentee)}",
        ),
    ]
    for label, value in rows:
        table.add_row(label, Text(literal(value or "-")))
    console().print(table)
