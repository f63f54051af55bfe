"""The calendar export: the mentorship's schedule as an iCalendar file.

Times are written in the schedule's own time zone with a TZID and a matching VTIMEZONE,
so a 16:00 Berlin meeting stays at 16:00 across daylight-saving changes (writing UTC, as
some libraries do, moves it by an hour). Nothing private goes in: no meeting notes,
feedback or KPI values.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from mentorkit.errors import UsageProblem
from mentorkit.model import ActionItem, Mentorship
from mentorkit.schedule import clock, series_occurrence, series_start
from mentorkit.timezones import zone

PARTS = ("meetings", "feedback", "actions")
_UTC = zone("UTC")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class ExportOptions:
    only: tuple[str, ...] = PARTS
    reminders: list[timedelta] = field(
        default_factory=lambda: [timedelta(days=1), timedelta(minutes=15)]
    )
    todos_as_events: bool = False


def parse_reminders(text: str) -> list[timedelta]:
    """'1d,15m' -> [1 day, 15 minutes]; 'none' -> []."""
    if text.strip().lower() in ("none", "no", "0", ""):
        return []
    units = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}
    found = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d{1,4})\s*([wdhm])\s*", part.lower())
        if not match:
            raise UsageProblem(
                f"cannot read the reminder {part.strip()!r}; write them like 1d,2h,15m"
            )
        found.append(timedelta(**{units[match.group(2)]: int(match.group(1))}))
    return found


def parse_only(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip().lower() for part in text.split(",") if part.strip())
    unknown = [part for part in chosen if part not in PARTS]
    if unknown or not chosen:
        raise UsageProblem(f"--only takes {', '.join(PARTS)} (comma-separated), not {text!r}")
    return chosen


def mentorship_key(m: Mentorship) -> str:
    """Stable across exports and edits: the two people and the start of the term."""
    seed = (
        f"{m.people.mentor.email.lower()}|{m.people.mentee.email.lower()}|{m.agreement.term.start}"
    )
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16]


def _text(text: str) -> str:
    """TEXT values may not hold control characters (RFC 5545): make them visible."""
    from mentorkit.output import literal

    return literal(text)


def _plain(text: str) -> str:
    """Text for a parameter such as CN: one line, no quotes (RFC 5545 cannot escape them)."""
    return _CONTROL.sub(" ", text).replace('"', "'").strip()


def export(m: Mentorship, now: datetime, options: ExportOptions) -> bytes:
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//mentorkit//mentorkit//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add(
        "x-wr-calname",
        f"Mentoring: {_plain(m.people.mentor.name)} & {_plain(m.people.mentee.name)}",
    )
    stamp = now.astimezone(_UTC).replace(microsecond=0)
    key = mentorship_key(m)
    components = []
    if "meetings" in options.only:
        components += _meetings(m, key, stamp, options)
    if "feedback" in options.only and m.schedule.feedback_day:
        components.append(_feedback_day(m, key, stamp))
    if "actions" in options.only:
        components += [
            _action(m, a, key, stamp, options.todos_as_events) for a in m.actions if a.due
        ]
    for timezone_name in sorted({m.schedule.timezone} if components else set()):
        calendar.add_component(_timezone(m, timezone_name))
    for component in components:
        calendar.add_component(component)
    return calendar.to_ical()


def _timezone(m: Mentorship, name: str):  # type: ignore[no-untyped-def]
    import icalendar

    first = min(m.schedule.first, m.agreement.term.start) - timedelta(days=366)
    end = m.schedule.until or m.agreement.term.end or m.schedule.first + timedelta(days=3650)
    return icalendar.Timezone.from_tzid(name, first_date=first, last_date=end + timedelta(days=366))


def _people(event, m: Mentorship) -> None:  # type: ignore[no-untyped-def]
    import icalendar

    organizer = icalendar.vCalAddress(f"mailto:{m.people.mentor.email}")
    organizer.params["CN"] = _plain(m.people.mentor.name)
    event.add("organizer", organizer)
    for role in ("mentor", "mentee"):
        person = m.people.of(role)
        attendee = icalendar.vCalAddress(f"mailto:{person.email}")
        attendee.params["CN"] = _plain(person.name)
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["PARTSTAT"] = "ACCEPTED" if role == "mentor" else "NEEDS-ACTION"
        event.add("attendee", attendee)


def _alarms(event, reminders: list[timedelta], what: str) -> None:  # type: ignore[no-untyped-def]
    import icalendar

    for before in reminders:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", what)
        alarm.add("trigger", -before)
        event.add_component(alarm)


def _description(m: Mentorship) -> str:
    lines = [f"Formal mentoring meeting by {m.schedule.channel}."]
    if m.schedule.link:
        lines.append(f"Join: {_text(m.schedule.link)}")
    if m.agreement.mentee_wants:
        lines.append(f"Purpose: {_text(m.agreement.mentee_wants.strip())}")
    lines.append(f"Cadence: {_text(m.schedule.cadence)}.")
    return "\n".join(lines)


def _meeting_event(
    m: Mentorship, uid: str, start: datetime, stamp: datetime, options: ExportOptions
):  # type: ignore[no-untyped-def]
    import icalendar

    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", m.schedule.revision or 0)
    event.add(
        "summary", f"Mentoring: {_plain(m.people.mentor.name)} & {_plain(m.people.mentee.name)}"
    )
    event.add("description", _description(m))
    if m.schedule.link:
        event.add("location", _plain(m.schedule.link))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=m.schedule.duration))
    event.add("status", "CONFIRMED")
    _people(event, m)
    _alarms(event, options.reminders, "Mentoring meeting")
    return event


def _meetings(m: Mentorship, key: str, stamp: datetime, options: ExportOptions) -> list:  # type: ignore[type-arg]
    import icalendar

    s = m.schedule
    tz = zone(s.timezone)
    series_uid = f"{key}-meetings@mentorkit"
    series = _meeting_event(m, series_uid, series_start(s), stamp, options)
    rule = icalendar.vRecur.from_ical(s.rrule)
    if s.until is not None and "UNTIL" not in rule and "COUNT" not in rule:
        last = series_occurrence_before(s, s.until)
        if last is not None:
            rule["UNTIL"] = [last.astimezone(_UTC)]
    series.add("rrule", rule)
    cancelled = sorted(c.date for c in s.changes if c.kind == "cancelled" and c.date)
    moved = sorted(
        (c for c in s.changes if c.kind == "moved" and c.date and c.to), key=lambda c: c.date
    )
    for day in cancelled:
        original = series_occurrence(s, day)
        if original is not None:
            series.add("exdate", original)
    events = [series]
    for change in moved:
        original = series_occurrence(s, change.date)  # type: ignore[arg-type]
        if original is None:
            continue
        override = _meeting_event(m, series_uid, change.to.replace(tzinfo=tz), stamp, options)  # type: ignore[union-attr]
        override.add("recurrence-id", original)
        if change.reason:
            override["description"] = icalendar.vText(
                f"{_description(m)}\nMoved: {_text(change.reason)}"
            )
        events.append(override)
    for change in s.changes:
        if change.kind == "added" and change.to is not None:
            uid = f"{key}-meeting-{change.to:%Y%m%dT%H%M}@mentorkit"
            events.append(_meeting_event(m, uid, change.to.replace(tzinfo=tz), stamp, options))
    return events


def series_occurrence_before(s, until: date) -> datetime | None:  # type: ignore[no-untyped-def]
    """The last series meeting on or before `until`, for the RRULE's UNTIL."""
    from mentorkit.schedule import series_dates

    tz = zone(s.timezone)
    end = datetime.combine(until, time(23, 59), tzinfo=tz)
    found = series_dates(s, series_start(s), end)
    return found[-1] if found else None


def _feedback_day(m: Mentorship, key: str, stamp: datetime):  # type: ignore[no-untyped-def]
    import icalendar

    from mentorkit.model import WEEKDAYS

    s = m.schedule
    weekday = WEEKDAYS.index(s.feedback_day)  # type: ignore[arg-type]
    first = s.first + timedelta(days=(weekday - s.first.weekday()) % 7)
    event = icalendar.Event()
    event.add("uid", f"{key}-feedback-day@mentorkit")
    event.add("dtstamp", stamp)
    event.add("sequence", s.revision or 0)
    event.add("summary", "Mentoring feedback day")
    event.add(
        "description",
        "A moment each week to give feedback or recognition, both ways: mentorkit feedback give.",
    )
    if s.feedback_time:
        start = datetime.combine(first, clock(s.feedback_time), tzinfo=zone(s.timezone))
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=15))
    else:
        event.add("dtstart", first)
        event.add("dtend", first + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    rule = icalendar.vRecur({"FREQ": "WEEKLY", "BYDAY": s.feedback_day[:2].upper()})  # type: ignore[index]
    end = s.until or m.agreement.term.end
    if end is not None:
        rule["UNTIL"] = (
            [end]
            if not s.feedback_time
            else [datetime.combine(end, time(23, 59), tzinfo=zone(s.timezone)).astimezone(_UTC)]
        )
    event.add("rrule", rule)
    return event


def _action(m: Mentorship, a: ActionItem, key: str, stamp: datetime, as_event: bool):  # type: ignore[no-untyped-def]
    import icalendar

    owner = m.people.of(a.owner).name
    summary = f"{_text(a.title)} ({_plain(owner)})"
    uid = f"{key}-action-{a.id}@mentorkit"
    if as_event:
        item = icalendar.Event()
        item.add("dtstart", a.due)
        item.add("dtend", a.due + timedelta(days=1))  # type: ignore[operator]
        item.add("transp", "TRANSPARENT")
        item.add("status", "CANCELLED" if a.status == "dropped" else "CONFIRMED")
    else:
        item = icalendar.Todo()
        item.add("due", a.due)
        item.add(
            "status",
            {"open": "NEEDS-ACTION", "done": "COMPLETED", "dropped": "CANCELLED"}[a.status],
        )
        if a.completed:
            item.add("completed", datetime.combine(a.completed, time(12), tzinfo=_UTC))
    item.add("uid", uid)
    item.add("dtstamp", stamp)
    item.add("sequence", len(a.moves) + (a.status != "open"))
    item.add("summary", summary)
    item.add("categories", ["Mentoring"])
    return item
