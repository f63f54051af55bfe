"""Expanding the meeting schedule into occurrences, in any person's local time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from mentorkit.model import Schedule
from mentorkit.timezones import zone

OccurrenceStatus = Literal["scheduled", "moved", "cancelled", "added"]


@dataclass(frozen=True)
class Occurrence:
    """One meeting of the schedule, as held, moved, cancelled or added."""

    start: datetime  # aware, in the schedule's time zone
    minutes: int
    status: OccurrenceStatus = "scheduled"
    original: date | None = None  # the series date a moved or cancelled meeting was due on
    reason: str | None = None

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)

    @property
    def held(self) -> bool:
        return self.status != "cancelled"


def clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def series_start(schedule: Schedule) -> datetime:
    return datetime.combine(schedule.first, clock(schedule.time), tzinfo=zone(schedule.timezone))


def _rule(schedule: Schedule):  # type: ignore[no-untyped-def]
    from dateutil.rrule import rrulestr

    rule = rrulestr(schedule.rrule, dtstart=series_start(schedule))
    if schedule.until is not None:
        limit = datetime.combine(schedule.until, time(23, 59), tzinfo=zone(schedule.timezone))
        if rule._until is None or rule._until > limit:
            rule = rule.replace(until=limit)
    return rule


def series_dates(schedule: Schedule, start: datetime, end: datetime) -> list[datetime]:
    """Occurrences of the recurrence rule alone (no moves or cancellations) in [start, end]."""
    return list(_rule(schedule).between(start, end, inc=True))


def occurrences(schedule: Schedule, start: datetime, end: datetime) -> list[Occurrence]:
    """Every meeting whose (possibly moved) start lies in [start, end], cancelled ones included."""
    tz = zone(schedule.timezone)
    margin = timedelta(days=400)
    cancelled = {c.date: c for c in schedule.changes if c.kind == "cancelled"}
    moved = {c.date: c for c in schedule.changes if c.kind == "moved"}
    found: list[Occurrence] = []
    for when in series_dates(schedule, start - margin, end + margin):
        day = when.date()
        if day in cancelled:
            found.append(
                Occurrence(when, schedule.duration, "cancelled", day, cancelled[day].reason)
            )
        elif day in moved and moved[day].to is not None:
            new = moved[day].to.replace(tzinfo=tz)
            found.append(Occurrence(new, schedule.duration, "moved", day, moved[day].reason))
        else:
            found.append(Occurrence(when, schedule.duration))
    for change in schedule.changes:
        if change.kind == "added" and change.to is not None:
            found.append(
                Occurrence(
                    change.to.replace(tzinfo=tz), schedule.duration, "added", None, change.reason
                )
            )
    found = [o for o in found if start <= o.start <= end]
    found.sort(key=lambda o: o.start)
    return found


def upcoming(schedule: Schedule, now: datetime, count: int = 5) -> list[Occurrence]:
    """The next `count` meetings from `now` on, cancelled ones shown among them."""
    window = timedelta(days=120)
    found: list[Occurrence] = []
    start = now
    for _ in range(12):
        found = occurrences(schedule, now, start + window)
        if sum(1 for o in found if o.held) >= count:
            break
        start += window
    result: list[Occurrence] = []
    held = 0
    for occurrence in found:
        if held >= count:
            break
        result.append(occurrence)
        held += occurrence.held
    return result


def next_meeting(schedule: Schedule, now: datetime) -> Occurrence | None:
    for occurrence in upcoming(schedule, now, count=1):
        if occurrence.held:
            return occurrence
    return None


def last_meeting(schedule: Schedule, now: datetime) -> Occurrence | None:
    """The most recent meeting that was due to be held before `now`."""
    past = [o for o in occurrences(schedule, now - timedelta(days=400), now) if o.held]
    return past[-1] if past else None


def in_zone(moment: datetime, timezone_name: str) -> datetime:
    return moment.astimezone(zone(timezone_name))


def at_odd_hours(local: datetime) -> str | None:
    """Why a meeting at this local time is hard for the person, or None."""
    reasons = []
    if local.hour < 7 or local.hour >= 21:
        reasons.append("at night")
    if local.weekday() >= 5:
        reasons.append("on a weekend")
    return " and ".join(reasons) or None


def local_now(now: datetime, timezone_name: str) -> datetime:
    return now.astimezone(zone(timezone_name))


def today_in(now: datetime, timezone_name: str) -> date:
    return local_now(now, timezone_name).date()
