"""The calendar sync's report and the connected calendar's status, as lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mentorkit.domain.wording import plural
from mentorkit.output import Line

if TYPE_CHECKING:
    from mentorkit.dav.connection import Connection
    from mentorkit.dav.state import State
    from mentorkit.dav.sync import Pending, Report

_WOULD = {"created": "would create", "updated": "would update", "deleted": "would delete"}


def counts(report: Report) -> str:
    made = [
        f"{report.count(verb)} {verb}"
        for verb in ("created", "updated", "deleted")
        if report.count(verb)
    ]
    return ", ".join([*made, f"{report.unchanged} unchanged"])


def sync_lines(report: Report) -> list[Line]:
    lines: list[Line] = []
    for verb, what in report.done:
        shown = _WOULD[verb] if report.dry_run else verb
        lines.append([(f"{shown:<13}", "bold"), (what, "")])
    behind = [
        f"{what}: the calendar holds a newer version, written by another clone of this "
        "mentorship; run `mentorkit sync` first"
        for what in report.behind
    ]
    foreign = (
        [
            f"{plural(len(report.foreign), 'item')} written from another mentorship with the "
            "same id (another repository); left alone"
        ]
        if report.foreign
        else []
    )
    for problem in [*report.conflicts, *report.refused, *behind, *foreign]:
        lines.append([(f"{'not synced':<13}", "bold red"), (problem, "")])
    if report.events_only:
        lines.append("the calendar takes no to-dos: action items are in it as all-day events")
    where = report.connection.url
    if report.dry_run:
        lines.append(f"nothing was changed (--dry-run); {where}: {counts(report)}")
    else:
        lines.append([("✓ ", "green"), (f"calendar {where}: {counts(report)}", "")])
    return lines


def status_lines(connection: Connection, known: State, waiting: Pending) -> list[Line]:
    whose = f"the {connection.person}'s calendar" if connection.person else "a calendar"
    auto = "on" if connection.auto else "off (git config mentorkit.calendarAutoSync)"
    lines: list[Line] = [
        f"connected   {connection.url}",
        f"            {whose}, login {connection.user or '(from git credential)'}",
        f"auto-sync   {auto}",
        f"last synced {known.synced or 'never'}" + f" ({plural(len(known.items), 'item')})",
    ]
    todo = [
        plural(count, f"to {verb}", f"to {verb}")
        for count, verb in (
            (waiting.create, "create"),
            (waiting.update, "update"),
            (waiting.delete, "delete"),
        )
        if count
    ]
    if known.problem and not known.problem.startswith("interrupted"):
        todo.append("what the last try left")
    lines.append(f"pending     {', '.join(todo) if todo else 'nothing'}")
    if known.problem:
        lines.append(f"last try    {known.tried}: {known.problem}")
    if known.events_only:
        lines.append("            the calendar takes no to-dos: action items go in as events")
    return lines
