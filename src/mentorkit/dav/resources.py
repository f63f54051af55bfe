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

if TYPE_CHECKING:
    import icalendar

    from mentorkit.file.model import Mentorship, Role

# Lines that change without a change to the item: the day of the export, the commit the
# file was at
_UNCHANGED = re.compile(rb"^(?:DTSTAMP|X-MENTORKIT-[A-Z]+)[:;].*\r\n(?: .*\r\n)*", re.MULTILINE)
# properties of an item a calendar does not show: when it was stamped, made, last changed
_UNSHOWN = {"DTSTAMP", "CREATED", "LAST-MODIFIED"}
# what calendar apps add to a reminder of their own: it was dismissed, its own id
_ALARM_OWN = {"ACKNOWLEDGED", "UID", "RELATED-TO"}
# how a difference is told, for the properties people know by name
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
REPO, COMMIT, DIGEST = "X-MENTORKIT-REPO", "X-MENTORKIT-COMMIT", "X-MENTORKIT-DIGEST"


@dataclass(frozen=True)
class Origin:
    """Where an item was written from: the repository (its first commit) and the commit
    the file was at."""

    repo: str
    commit: str


@dataclass(frozen=True)
class Held:
    """What a resource in the calendar holds: its UID, the stamps mentorkit wrote into it
    (None: not written by this version of mentorkit) and what a calendar shows of it."""

    uid: str | None
    origin: Origin | None
    stamped: str | None  # the digest of what it showed when mentorkit wrote it
    shown: dict[str, str]

    @property
    def edited(self) -> bool:
        """Changed since mentorkit wrote it (in a calendar app)."""
        return self.stamped is not None and digest(self.shown) != self.stamped


@dataclass(frozen=True)
class Resource:
    uid: str
    name: str  # the resource's file name in the collection
    body: str
    what: str  # how the item is named to people: 'action a7ks "Draft the letter"'
    shows: str  # the digest of what a calendar shows of it

    @property
    def sha(self) -> str:
        """The text, the DTSTAMP aside (it is the day of the export, not a change)."""
        return hashlib.sha256(_UNCHANGED.sub(b"", self.body.encode("utf-8"))).hexdigest()


def wanted(
    m: Mentorship,
    today: date,
    person: Role | None,
    *,
    todos_as_events: bool,
    origin: Origin | None = None,
) -> dict[str, Resource]:
    """The resources `export ics` makes of the file, by UID. In the calendar of `person`,
    their own attendance is accepted; no attendee gets an invitation from the server
    (SCHEDULE-AGENT=CLIENT: both people keep their own calendar). Each is stamped with
    its `origin` and the digest of what it shows, to tell later who wrote it and whether
    it was changed in the calendar since."""
    import icalendar

    from mentorkit.views.icsexport import ExportOptions, parts

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
        # what a calendar reading the text will show; times with a TZID are held here as
        # local times and read back as times in that zone, so those items are read back
        made_of = digest(shown(calendar.to_ical().decode("utf-8")) if used else _shown_of(calendar))
        if origin is not None:
            for key, value in ((REPO, origin.repo), (COMMIT, origin.commit), (DIGEST, made_of)):
                components[0].add(key, value)
        body = calendar.to_ical().decode("utf-8")
        found[uid] = Resource(uid, resource_name(uid), body, describe(uid, components[0]), made_of)
    return found


def resource_name(uid: str) -> str:
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
    return read(text).shown


def read(text: str) -> Held:
    """A resource's text: its UID, mentorkit's stamps and what a calendar shows of it."""
    import icalendar

    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError:
        return Held(None, None, None, {"unreadable": text[:60]})
    items = [c for c in calendar.subcomponents if c.name in ("VEVENT", "VTODO")]
    uid = str(items[0].get("UID", "")) if items else None
    origin = stamped = None
    for item in items:
        if REPO in item and COMMIT in item and DIGEST in item:
            origin = Origin(str(item[REPO]), str(item[COMMIT]))
            stamped = str(item[DIGEST])
            break
    return Held(uid, origin, stamped, _shown_of(calendar))


def _shown_of(calendar: icalendar.Component) -> dict[str, str]:
    """What a calendar shows of each event or to-do, field by field ('start', 'the meeting
    of 2027-01-05: start', 'vtodo reminder 1: trigger'...): every property but the stamps
    of when it was made or changed and what apps add of their own (X- properties, an
    attendee's answer, a dismissed reminder)."""
    found: dict[str, str] = {}
    for component in calendar.subcomponents:
        if component.name not in ("VEVENT", "VTODO"):
            continue
        prefix = component.name.lower() + " "
        if "RECURRENCE-ID" in component:
            prefix = f"the meeting of {_value(component.get('RECURRENCE-ID'))}: "
        found.update(_fields(component, prefix, set()))
        alarms = sorted(
            json.dumps(_fields(alarm, "", _ALARM_OWN), sort_keys=True)
            for alarm in component.subcomponents
            if alarm.name == "VALARM"
        )
        for number, alarm in enumerate(alarms, 1):
            for label, value in json.loads(alarm).items():
                found[f"{prefix}reminder {number}: {label}"] = value
    return found


def _fields(component: icalendar.Component, prefix: str, own: set[str]) -> dict[str, str]:
    values: dict[str, list[str]] = {}
    for name, value in component.property_items(recursive=False):
        name = name.upper()
        if name in ("BEGIN", "END") or name.startswith("X-") or name in _UNSHOWN | own:
            continue
        values.setdefault(name, []).append(_value(value))
    return {
        prefix + _SHOWN.get(name, name.lower()): ", ".join(sorted(found))
        for name, found in values.items()
    }


def digest(fields: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode("utf-8")).hexdigest()


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(sorted(_value(v) for v in value))
    if hasattr(value, "dt"):
        return _moment(value.dt)
    if hasattr(value, "dts"):  # EXDATE, RDATE
        return ", ".join(sorted(_value(v) for v in value.dts))
    if hasattr(value, "cats"):  # CATEGORIES
        return ", ".join(sorted(str(v) for v in value.cats))
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
