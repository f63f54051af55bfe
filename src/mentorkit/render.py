"""Views: results turned into lines for `output`. Text people typed goes in as it is;
`output` makes it literal."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from mentorkit.output import Line, pad, write

if TYPE_CHECKING:
    from mentorkit.model import Mentorship
    from mentorkit.overview import MeetingTimes, Status


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


def meeting_lines(meeting: MeetingTimes, names: dict[str, str], indent: str = "  ") -> list[Line]:
    head: list[tuple[str, str]] = [
        (indent, ""),
        (when(meeting.start), "bold"),
        (f"  ({relative_days(meeting.days_away)}, {meeting.minutes} min, {meeting.channel})", ""),
    ]
    if meeting.status in ("moved", "added"):
        head.append((f"  [{meeting.status}]", "yellow"))
    lines: list[Line] = [head]
    for role, local in meeting.local.items():
        line = [(f"{indent}  for the {role}, {names[role]}: {when(local)}", "")]
        if role in meeting.odd_hours:
            line.append((f"  ⚠ {meeting.odd_hours[role]}", "yellow"))
        lines.append(line)
    if meeting.link:
        lines.append(f"{indent}  {meeting.link}")
    return lines


def status(result: Status) -> None:
    names = {p.role: p.name for p in result.people}
    lines: list[Line] = [
        [
            ("Mentorship ", "bold"),
            (names["mentor"], ""),
            (" (mentor) and ", ""),
            (names["mentee"], ""),
            (" (mentee)", ""),
        ]
    ]
    for person in result.people:
        lines.append(
            f"  {person.role:<7} {person.name}, {person.timezone}, now {person.local:%a %H:%M}"
        )
    lines += ["", [("Next meeting", "bold")]]
    if result.next_meeting is None:
        lines.append("  none scheduled (`mentorkit schedule set`)")
    else:
        lines += meeting_lines(result.next_meeting, names)
    lines += ["", [("Action items", "bold")]]
    for role, counts in result.actions.items():
        line = [(f"  {role:<7} {counts.open} open", "")]
        if counts.overdue:
            line.append((f", {counts.overdue} overdue", "bold red"))
        line.append((f", {counts.done} done", ""))
        lines.append(line)
    lines += [[("note: " + note, "yellow")] for note in result.notes]
    write(lines)


# --------------------------------------------------------------------------- rules


def rules(m: Mentorship) -> None:
    agreement = m.agreement
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
    lines: list[Line] = []
    for label, value in rows:
        text = (value or "-").rstrip("\n")
        first, *rest = text.split("\n")
        lines.append([(pad(label, 19), "bold"), (first, "")])
        lines += [" " * 19 + more for more in rest]
    write(lines)
