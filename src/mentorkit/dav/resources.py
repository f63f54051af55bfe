"""What the collection should hold: the components of `export ics`, one resource per UID
(a series with its moved meetings), each with the time zones it uses; and what a calendar
shows of a resource, to tell a change made in the calendar from a new ETag alone and to
say what differs."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from mentorkit.views.icsexport import ExportOptions, parts

if TYPE_CHECKING:
    import icalendar

    from mentorkit.file.model import Mentorship, Role

_DTSTAMP = re.compile(rb"^DTSTAMP[:;].*\r\n(?: .*\r\n)*", re.MULTILINE)
# what a calendar shows of an event or a to-do, by the name a difference is told with
_SHOWN = {
    "SUMMARY": "title",
    "DTSTART": "start",
    "DTEND": "end",
    "DUE": "due",
    "RRULE": "repeats",
    "EXDATE": "cancelled meetings",
    "STATUS": "status",
    "LOCATION": "location",
    "DESCRIPTION": "description",
    "COMPLETED": "completed",
    "SEQUENCE": "sequence",
    "ATTENDEE": "attendees",
}


@dataclass(frozen=True)
class Resource:
    uid: str
    name: str  # the resource's file name in the collection
    body: str
    what: str  # how the item is named to people: 'action a7ks "Draft the letter"'

    @property
    def sha(self) -> str:
        """The text, the DTSTAMP aside (it is the day of the export, not a change)."""
        return hashlib.sha256(_DTSTAMP.sub(b"", self.body.encode("utf-8"))).hexdigest()


def wanted(
    m: Mentorship, today: date, person: Role | None, *, todos_as_events: bool
) -> dict[str, Resource]:
    """The resources `export ics` makes of the file, by UID. In the calendar of `person`,
    their own attendance is accepted; no attendee gets an invitation from the server
    (SCHEDULE-AGENT=CLIENT: both people keep their own calendar)."""
    import icalendar

    made = parts(m, today, ExportOptions(todos_as_events=todos_as_events))
    zones = {str(c["TZID"]): c for c in made if c.name == "VTIMEZONE"}
    grouped: dict[str, list[icalendar.Component]] = {}
    for component in made:
        if component.name != "VTIMEZONE":
            grouped.setdefault(str(component["UID"]), []).append(component)
    email = m.people.of(person).email.lower() if person else None
    found = {}
    for uid, components in grouped.items():
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//mentorkit//mentorkit//EN")
        calendar.add("version", "2.0")
        used: set[str] = set()
        for component in components:
            _for_person(component, email)
            used |= _zones_used(component)
        for name in sorted(used):
            if name in zones:
                calendar.add_component(zones[name])
        for component in components:
            calendar.add_component(component)
        body = calendar.to_ical().decode("utf-8")
        found[uid] = Resource(uid, _name(uid), body, describe(uid, components[0]))
    return found


def _name(uid: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "-", uid) + ".ics"


def owned_name(key: str, name: str) -> bool:
    """Whether a resource's file name is one mentorkit gives an item of this mentorship."""
    return name.startswith(f"{key}-") and name.endswith("-mentorkit.ics")


def _for_person(component: icalendar.Component, email: str | None) -> None:
    people = component.get("ATTENDEE", [])
    people = people if isinstance(people, list) else [people]
    organizer = component.get("ORGANIZER")
    for address in people:
        address.params["SCHEDULE-AGENT"] = "CLIENT"
        if email and str(address).lower() == f"mailto:{email}":
            address.params["PARTSTAT"] = "ACCEPTED"
    if organizer is not None:
        organizer.params["SCHEDULE-AGENT"] = "CLIENT"


def _zones_used(component: icalendar.Component) -> set[str]:
    used = set()
    for _, value in component.property_items(recursive=False):
        params = getattr(value, "params", None)
        if params and "TZID" in params:
            used.add(str(params["TZID"]))
    return used


def describe(uid: str, component: icalendar.Component) -> str:
    """An item as people know it."""
    name = uid.rsplit("@", 1)[0]
    if name.endswith("-meetings"):
        return "the meeting series"
    if found := re.search(r"-meetings-(\d{4})(\d\d)(\d\d)$", name):
        return f"the earlier meeting series from {'-'.join(found.groups())}"
    if found := re.search(r"-meeting-(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)$", name):
        y, mo, d, h, mi = found.groups()
        return f"the extra meeting of {y}-{mo}-{d} {h}:{mi}"
    if name.endswith("-feedback-day"):
        return "the feedback day"
    if found := re.search(r"-action-(\w+)$", name):
        return f'action {found.group(1)} "{component.get("SUMMARY", "")}"'
    return uid


def shown(text: str) -> dict[str, str]:
    """What a calendar shows of a resource's text, field by field ('start', 'the meeting
    of 2027-01-05: start'...): alarms, stamps, and what calendar apps add of their own
    (X- properties, an attendee's answer) are left out."""
    import icalendar

    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError:
        return {"unreadable": text[:60]}
    found: dict[str, str] = {}
    for component in calendar.walk():
        if component.name not in ("VEVENT", "VTODO"):
            continue
        prefix = component.name.lower() + " "
        if "RECURRENCE-ID" in component:
            prefix = f"the meeting of {_value(component.get('RECURRENCE-ID'))}: "
        for name, label in _SHOWN.items():
            if name in component:
                found[prefix + label] = _value(component.get(name))
    return found


def digest(fields: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode("utf-8")).hexdigest()


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(sorted(_value(v) for v in value))
    if hasattr(value, "dt"):
        return _moment(value.dt)
    if hasattr(value, "dts"):  # EXDATE, RDATE
        return ", ".join(sorted(_value(v) for v in value.dts))
    if hasattr(value, "to_ical") and type(value).__name__ == "vRecur":
        return ";".join(sorted(value.to_ical().decode("utf-8").split(";")))
    if type(value).__name__ == "vCalAddress":
        return str(value).lower()
    return str(value).strip()


def _moment(when: Any) -> str:
    if isinstance(when, datetime):
        if when.tzinfo is not None:
            return f"{when.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
        return f"{when:%Y-%m-%d %H:%M}"
    if isinstance(when, date):
        return when.isoformat()
    return str(when)


def differences(calendar: dict[str, str], file: dict[str, str], most: int = 3) -> str:
    """How the calendar's copy differs from the file's, field by field."""
    told = []
    for label in sorted(set(calendar) | set(file)):
        here, there = calendar.get(label), file.get(label)
        if here != there:
            told.append(f"{label}: {_short(here)} in the calendar, {_short(there)} in the file")
    more = f"; and {len(told) - most} more" if len(told) > most else ""
    return "; ".join(told[:most]) + more


def _short(value: str | None) -> str:
    if value is None:
        return "none"
    value = " ".join(value.split())
    return repr(value if len(value) <= 60 else value[:57] + "...")
