"""The calendar export: the mentorship's schedule as an iCalendar file.

Times are written in the schedule's own time zone with a TZID and a matching VTIMEZONE,
so a 16:00 Berlin meeting stays at 16:00 across daylight-saving changes (writing UTC, as
some libraries do, moves it by an hour). The VTIMEZONE lists every change of offset
from before the first instant used to a year after the last one, one change per
component (several readers take only the first value of a multi-value RDATE), and then
the zone's yearly rules as RRULEs, so that a series without an end stays right for ever.

Nothing private goes in: no meeting notes, feedback or KPI values; events are marked
private, and the agreement's own words go in only when asked for (`details`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from mentorkit.domain.agreement import mentorship_key
from mentorkit.domain.schedule import Series, clock, series_start
from mentorkit.errors import UsageProblem
from mentorkit.file.model import ActionItem, Mentorship
from mentorkit.timezones import zone

if TYPE_CHECKING:
    import icalendar

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
    details: bool = False


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


def _text(text: str) -> str:
    """TEXT values may not hold control characters (RFC 5545): make them visible."""
    from mentorkit.output import literal

    return literal(text)


def _plain(text: str) -> str:
    """Text for a parameter such as CN: one line, no quotes (RFC 5545 cannot escape them)."""
    return _CONTROL.sub(" ", text).replace('"', "'").strip()


def export(m: Mentorship, today: date, options: ExportOptions) -> bytes:
    """The calendar as bytes. DTSTAMP is the start of `today` (UTC), not the clock, so that
    exports of the same file on the same day are byte-identical."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//mentorkit//mentorkit//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", icalendar.vText(_title(m)))
    for component in parts(m, today, options):
        calendar.add_component(component)
    data: bytes = calendar.to_ical()
    return data


def parts(m: Mentorship, today: date, options: ExportOptions) -> list[icalendar.Component]:
    """What the calendar holds, in the order it is written: the VTIMEZONEs the timed events
    use, then the events and to-dos (a CalDAV collection holds them one UID a resource)."""
    stamp = datetime.combine(today, time(0), tzinfo=_UTC)
    key = mentorship_key(m)
    components: list[icalendar.Component] = []
    if "meetings" in options.only:
        components += _meetings(m, key, stamp, options)
    if "feedback" in options.only and m.schedule.feedback_day:
        components.append(_feedback_day(m, key, stamp))
    if "actions" in options.only:
        components += [
            _action(m, a, key, stamp, options.todos_as_events) for a in m.actions if a.due
        ]
    zones: list[icalendar.Component] = []
    if any(c.name == "VEVENT" and "DTSTART" in c and _timed(c) for c in components):
        # the zone of today's series, and that of each earlier part held in another zone
        used = [m.schedule.timezone, *(part.timezone for part in m.schedule.earlier)]
        zones = [_timezone(name, *_span(m)) for name in dict.fromkeys(used)]
    return zones + components


def _title(m: Mentorship) -> str:
    return f"Mentoring: {_plain(m.people.mentor.name)} & {_plain(m.people.mentee.name)}"


def _timed(component: icalendar.Component) -> bool:
    return isinstance(component.decoded("DTSTART"), datetime)


def _span(m: Mentorship) -> tuple[datetime, datetime]:
    """The first and last instant the export uses in the schedule's time zone."""
    s = m.schedule
    tz = zone(s.timezone)
    days = [s.first, m.agreement.term.start, *(part.first for part in s.earlier)]
    days += [d for d in (s.until, m.agreement.term.end) if d is not None]
    days += [c.date for c in s.changes if c.date is not None]
    days += [c.to.date() for c in s.changes if c.to is not None]
    low = datetime.combine(min(days), time(0), tzinfo=tz) - timedelta(days=7)
    high = datetime.combine(max(days), time(0), tzinfo=tz) + timedelta(days=7)
    return low, high


def _timezone(name: str, low: datetime, high: datetime) -> icalendar.Timezone:
    """A VTIMEZONE that every reader interprets alike from 2000 (or `low`, if earlier) on,
    for ever: one block per change or per run of yearly changes, never a list of RDATEs
    (vobject and ical.js take only the first value of one). It starts well before the
    meetings because vobject compares a zone with UTC over 2000-2020: a London block that
    starts later looks like UTC to it, and it then uses its own, wrongly expanded zone."""
    import icalendar

    from mentorkit.timezones import history

    start = min(low, datetime(2000, 1, 1, tzinfo=_UTC))
    end = max(high, datetime(2040, 1, 1, tzinfo=_UTC)) + timedelta(days=3 * 366)
    start = datetime(start.year, 1, 1, tzinfo=_UTC)
    end = datetime(end.year, 1, 1, tzinfo=_UTC)
    tz = icalendar.Timezone()
    tz.add("tzid", _tzid(name))
    blocks = history(name, start, end)
    if any(
        b.rule is None and b.start > (end - timedelta(days=3 * 366)).replace(tzinfo=None)
        for b in blocks[1:]
    ):
        # changes that follow no yearly rule go on to the end of the scan (Casablanca's
        # Ramadan): list them as far as the zone's data knows them
        blocks = history(name, start, max(end, datetime(2100, 1, 1, tzinfo=_UTC)))
    for block in blocks:
        part = icalendar.TimezoneDaylight() if block.daylight else icalendar.TimezoneStandard()
        part.add("dtstart", block.start)
        if block.rule:
            part.add("rrule", icalendar.vRecur.from_ical(block.rule))
        part.add("tzoffsetfrom", block.before)
        part.add("tzoffsetto", block.after)
        part.add("tzname", block.name)
        tz.add_component(part)
    return tz


def _people(event: icalendar.Event, m: Mentorship) -> None:
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


def _alarms(event: icalendar.Event, reminders: list[timedelta], what: str) -> None:
    import icalendar

    for before in reminders:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", what)
        alarm.add("trigger", -before)
        event.add_component(alarm)


def _description(m: Mentorship, options: ExportOptions) -> str:
    lines = [f"Formal mentoring meeting by {m.schedule.channel}."]
    if m.schedule.link:
        lines.append(f"Join: {_text(m.schedule.link)}")
    if options.details and m.agreement.mentee_wants:
        lines.append(f"Purpose: {_text(m.agreement.mentee_wants.strip())}")
    lines.append(f"Cadence: {_text(m.schedule.cadence)}.")
    return "\n".join(lines)


def _tzid(name: str) -> str:
    """The TZID a zone goes by in the file: its own name, but UTC as its IANA name Etc/UTC,
    since icalendar writes any time with TZID=UTC in UTC form (below)."""
    return "Etc/UTC" if name == "UTC" else name


def _local(component: icalendar.Component, name: str, when: datetime) -> None:
    """A meeting's time as the wall clock of its zone, with the zone's TZID, in every zone.
    Left to itself, icalendar writes a time in a zone that is always at UTC+0 in UTC form
    (`20271126T094500Z`). That is valid, but allenporter's ical (the library of Home
    Assistant's calendars) keys the meetings of a series by their wall-clock time without
    the Z and compares a moved meeting's RECURRENCE-ID as written, Z included: the two never
    match, and it shows the meeting both where it was and where it went
    (tests/test_calendar_readers.py pins that behaviour)."""
    if not isinstance(when.tzinfo, ZoneInfo):
        raise ValueError(f"{when} is not in a named zone")
    tzid = _tzid(when.tzinfo.key)
    component.add(name, when.replace(tzinfo=None), parameters={"TZID": tzid})


def _meeting_event(
    m: Mentorship, uid: str, start: datetime, minutes: int, stamp: datetime, options: ExportOptions
) -> icalendar.Event:
    import icalendar

    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", m.schedule.revision or 0)
    event.add("summary", _title(m))
    event.add("description", _description(m, options))
    if m.schedule.link:
        event.add("location", _plain(m.schedule.link))
    event.add("class", "PRIVATE")
    _local(event, "dtstart", start)
    _local(event, "dtend", start + timedelta(minutes=minutes))
    event.add("status", "CONFIRMED")
    _people(event, m)
    _alarms(event, options.reminders, "Mentoring meeting")
    return event


def export_rule(s: Series) -> tuple[datetime | None, str]:
    """A part of the series' first meeting and its RRULE as the export writes it: DTSTART is
    always a meeting of the series (RFC 5545 counts it as one even when the rule does not),
    and a series that ends says so with UNTIL at its last meeting (COUNT and `until`
    together would be two ends that readers weigh differently)."""
    from mentorkit.domain.schedule import rule_state, series_rule
    from mentorkit.file.rrule import rule_parts

    rule = series_rule(s)
    first = rule.after(series_start(s) - timedelta(seconds=1), inc=True)
    given = rule_parts(s.rrule)
    parts = {k: v for k, v in given.items() if k not in ("COUNT", "UNTIL")}
    if s.until is not None or "COUNT" in given or "UNTIL" in given:
        # From near the end: the last meeting without walking from a first one decades back.
        until = rule_state(rule)["_until"]
        found = list(series_rule(s, near=until)) if until is not None else []
        found = found or list(rule)
        if found:
            parts["UNTIL"] = f"{found[-1].astimezone(_UTC):%Y%m%dT%H%M%SZ}"
    return first, ";".join(f"{k}={v}" for k, v in parts.items())


def _meetings(
    m: Mentorship, key: str, stamp: datetime, options: ExportOptions
) -> list[icalendar.Event]:
    """The current series (UID ...-meetings), each earlier part of it (UID with its first
    date), their cancellations and moves, and the extra meetings."""
    import icalendar

    from mentorkit.domain.schedule import occurrence_part, series_parts

    s = m.schedule
    tz = zone(s.timezone)
    events = []
    for part in series_parts(s):
        uid = (
            f"{key}-meetings@mentorkit"
            if part is s
            else f"{key}-meetings-{part.first:%Y%m%d}@mentorkit"
        )
        first, rule = export_rule(part)
        if first is None:
            continue
        series = _meeting_event(m, uid, first, part.duration, stamp, options)
        series.add("rrule", icalendar.vRecur.from_ical(rule))
        overrides = []
        dated = [(c.date, c) for c in s.changes if c.kind in ("cancelled", "moved") and c.date]
        for day, change in sorted(dated, key=lambda pair: pair[0]):
            found = occurrence_part(s, day)
            if found is None or found[0] is not part:
                continue
            if change.kind == "cancelled":
                _local(series, "exdate", found[1])
                continue
            if change.to is None:
                continue
            start = change.to.replace(tzinfo=tz)
            override = _meeting_event(m, uid, start, part.duration, stamp, options)
            _local(override, "recurrence-id", found[1])
            if change.reason:
                override["description"] = icalendar.vText(
                    f"{_description(m, options)}\nMoved: {_text(change.reason)}"
                )
            overrides.append(override)
        events += [series, *overrides]
    for change in s.changes:
        if change.kind in ("added", "cancelled") and change.date is None and change.to:
            uid = f"{key}-meeting-{change.to:%Y%m%dT%H%M}@mentorkit"
            start = change.to.replace(tzinfo=tz)
            extra = _meeting_event(m, uid, start, s.duration, stamp, options)
            if change.kind == "cancelled":
                extra["status"] = icalendar.vText("CANCELLED")
            events.append(extra)
    return events


def _feedback_day(m: Mentorship, key: str, stamp: datetime) -> icalendar.Event:
    import icalendar

    from mentorkit.file.model import WEEKDAYS

    s = m.schedule
    if s.feedback_day is None:
        raise ValueError("the schedule has no feedback day")
    weekday = WEEKDAYS.index(s.feedback_day)
    first = s.first + timedelta(days=(weekday - s.first.weekday()) % 7)
    event = icalendar.Event()
    event.add("uid", f"{key}-feedback-day@mentorkit")
    event.add("dtstamp", stamp)
    event.add("sequence", s.revision or 0)
    event.add("summary", "Mentoring feedback day")
    event.add("class", "PRIVATE")
    event.add(
        "description",
        "A moment each week to give feedback or recognition, both ways: mentorkit feedback give.",
    )
    if s.feedback_time:
        start = datetime.combine(first, clock(s.feedback_time), tzinfo=zone(s.timezone))
        _local(event, "dtstart", start)
        _local(event, "dtend", start + timedelta(minutes=15))
    else:
        event.add("dtstart", first)
        event.add("dtend", first + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    rule = icalendar.vRecur({"FREQ": "WEEKLY", "BYDAY": s.feedback_day[:2].upper()})
    end = s.until or m.agreement.term.end
    if end is not None:
        rule["UNTIL"] = (
            [end]
            if not s.feedback_time
            else [datetime.combine(end, time(23, 59), tzinfo=zone(s.timezone)).astimezone(_UTC)]
        )
    event.add("rrule", rule)
    return event


def _action(
    m: Mentorship, a: ActionItem, key: str, stamp: datetime, as_event: bool
) -> icalendar.Event | icalendar.Todo:
    import icalendar

    from mentorkit.domain.actions import sequence

    owner = m.people.of(a.owner).name
    summary = f"{_text(a.title)} ({_plain(owner)})"
    uid = f"{key}-action-{a.id}@mentorkit"
    if a.due is None:
        raise ValueError(f"action {a.id} has no due date to put in a calendar")
    item: icalendar.Event | icalendar.Todo
    if as_event:
        item = icalendar.Event()
        item.add("dtstart", a.due)
        item.add("dtend", a.due + timedelta(days=1))
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
    item.add("sequence", sequence(a))
    item.add("summary", summary)
    item.add("class", "PRIVATE")
    item.add("categories", ["Mentoring"])
    return item
