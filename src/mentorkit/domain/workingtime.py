"""Working time: each person's working hours and days in their own time zone, response
times in words ("2 working days", "24 hours"), and when a reply falls due."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from itertools import pairwise
from typing import Literal

from mentorkit.file.model import WEEKDAYS, Person, Weekday
from mentorkit.timezones import zone

DEFAULT_HOURS = (time(9), time(18))
DEFAULT_DAYS: tuple[Weekday, ...] = WEEKDAYS[:5]


@dataclass(frozen=True)
class WorkingWeek:
    """When a person works: local hours on given weekdays, in their time zone."""

    timezone: str
    start: time = DEFAULT_HOURS[0]
    end: time = DEFAULT_HOURS[1]  # time.max stands for 24:00
    days: tuple[Weekday, ...] = DEFAULT_DAYS

    def zone(self) -> tzinfo:
        return zone(self.timezone)

    def describe(self) -> str:
        """'09:00–18:00, Monday to Friday'."""
        end = "24:00" if self.end == time.max else f"{self.end:%H:%M}"
        return f"{self.start:%H:%M}–{end}, {days_text(self.days)}"

    def hours_on(self, day: date) -> tuple[datetime, datetime] | None:
        """The working hours of a local date as two aware moments, or None on a day off."""
        if WEEKDAYS[day.weekday()] not in self.days:
            return None
        tz = zone(self.timezone)
        begin = datetime.combine(day, self.start, tz)
        end = (
            datetime.combine(day + timedelta(days=1), time(0), tz)
            if self.end == time.max
            else datetime.combine(day, self.end, tz)
        )
        return begin, end

    def day_length(self) -> timedelta:
        """A working day's length on the clock (9 hours for 09:00-18:00)."""
        end = timedelta(days=1) if self.end == time.max else _span(self.end)
        return end - _span(self.start)

    def is_working(self, moment: datetime) -> bool:
        local = moment.astimezone(zone(self.timezone))
        hours = self.hours_on(local.date())
        return hours is not None and hours[0] <= local < hours[1]

    def next_start(self, moment: datetime) -> datetime | None:
        """The next moment working hours begin, after `moment` (None: no working days)."""
        local = moment.astimezone(zone(self.timezone))
        for offset in range(8):
            hours = self.hours_on(local.date() + timedelta(days=offset))
            if hours is not None and hours[0] > moment:
                return hours[0]
        return None

    def end_of_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """The moment `amount` of working time has passed since `start`: only the hours
        inside this week's working hours count, so a message sent on Friday evening waits
        for Monday. With no working days, plain time counts."""
        # on the UTC clock: Python adds and subtracts moments of one zone by their wall
        # clock, which would miss the hour a clock change adds or takes away
        start = start.astimezone(UTC)
        if not self.days or amount <= timedelta(0):
            return start + max(amount, timedelta(0))
        left = amount
        day = start.astimezone(zone(self.timezone)).date()
        for _ in range(_LONGEST_SEARCH.days):
            hours = self.hours_on(day)
            if hours is not None:
                begin, end = max(hours[0].astimezone(UTC), start), hours[1].astimezone(UTC)
                if begin < end:
                    available = end - begin
                    if left <= available:
                        return begin + left
                    left -= available
            day += timedelta(days=1)
        # working days so short that the time would run for years: as good as never
        return start + _LONGEST_SEARCH


_LONGEST_SEARCH = timedelta(days=10 * 366)  # working time counted at most this far ahead


def _span(at: time) -> timedelta:
    return timedelta(hours=at.hour, minutes=at.minute)


def days_text(days: tuple[Weekday, ...] | list[Weekday]) -> str:
    """'Monday to Friday', 'Sunday to Thursday', 'Monday, Wednesday'."""
    if not days:
        return "no working days"
    ordered = sorted(set(days), key=WEEKDAYS.index)
    indexes = [WEEKDAYS.index(d) for d in ordered]
    # a run of days, possibly across the week's end (Sunday to Thursday)
    for first in range(len(indexes)):
        run = indexes[first:] + indexes[:first]
        if len(run) > 2 and all((b - a) % 7 == 1 for a, b in pairwise(run)):
            return f"{WEEKDAYS[run[0]].capitalize()} to {WEEKDAYS[run[-1]].capitalize()}"
    return ", ".join(d.capitalize() for d in ordered)


def parse_hours(text: str) -> tuple[time, time]:
    from mentorkit.errors import UsageProblem
    from mentorkit.file.fileformat import WORKING_HOURS, hours_problem  # not needed at start-up

    problem = hours_problem(text)
    match = WORKING_HOURS.fullmatch(text)
    if problem or not match:
        raise UsageProblem(problem or f"cannot read the working hours {text!r}")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    return time(h1, m1), (time.max if h2 == 24 else time(h2, m2))


def week_of(person: Person) -> WorkingWeek:
    """The person's working week as the file holds it (defaults: 09:00-18:00, Monday to
    Friday, in their time zone)."""
    start, end = parse_hours(person.working_hours) if person.working_hours else DEFAULT_HOURS
    days = tuple(person.working_days) or DEFAULT_DAYS
    return WorkingWeek(person.timezone, start, end, days)


# --------------------------------------------------------------------------- response times

Unit = Literal["working hours", "working days", "hours", "days", "weeks"]
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_RESPONSE = re.compile(
    r"(?:within|in)?\s*(\d{1,3}|a|an|one|two|three|four|five)\s*"
    r"(working|business)?\s*(hours?|hrs?|h|days?|d|weeks?)\.?",
)


@dataclass(frozen=True)
class ResponseTime:
    """An agreed response time: a number of working hours or days (counted in the
    recipient's working week) or of plain hours, days or weeks."""

    amount: int
    unit: Unit

    def __str__(self) -> str:
        word = self.unit if self.amount != 1 else self.unit[:-1]
        return f"{self.amount} {word}"

    def due(self, sent: datetime, week: WorkingWeek) -> datetime:
        """When a reply to a message sent at `sent` falls due, for a recipient who works
        `week`: working time counts only their working hours (a working day is the length
        of theirs); plain days are the same local time that many days later, in their zone."""
        if self.unit == "working hours":
            return week.end_of_working_time(sent, timedelta(hours=self.amount))
        if self.unit == "working days":
            return week.end_of_working_time(sent, self.amount * week.day_length())
        if self.unit == "hours":
            return sent.astimezone(UTC) + timedelta(hours=self.amount)
        local = sent.astimezone(zone(week.timezone))
        days = self.amount * (7 if self.unit == "weeks" else 1)
        wall = local.replace(tzinfo=None) + timedelta(days=days)
        # normalised through UTC: a wall time the clocks skip (02:30 on the night they go
        # forward) becomes the moment it stands for, shown as 03:30 in the new offset
        return wall.replace(tzinfo=local.tzinfo).astimezone(UTC)

    def nominal(self) -> timedelta:
        """Its length counting every hour: a working day as a day, a week as seven days."""
        if self.unit in ("hours", "working hours"):
            return timedelta(hours=self.amount)
        return timedelta(days=self.amount * (7 if self.unit == "weeks" else 1))

    def at_most(self, week: WorkingWeek) -> timedelta:
        """A calendar span the due time never exceeds, for a recipient who works `week`."""
        if self.unit not in ("working hours", "working days") or not week.days:
            return self.nominal() + timedelta(days=1)  # a clock change adds an hour
        length = timedelta(hours=self.amount) if self.unit == "working hours" else None
        per_day = week.day_length()
        working_days = self.amount if length is None else -(-length // per_day)
        return min(timedelta(weeks=-(-working_days // len(week.days)) + 1), _LONGEST_SEARCH)


DEFAULT_RESPONSE = ResponseTime(2, "working days")
LONGEST_RESPONSE = timedelta(days=365)  # a longer agreed response time is not counted


def parse_response_time(text: str | None) -> ResponseTime | None:
    """'2 working days', 'within 24 hours', '1 business day', 'a day' -> a response time;
    None for words that say something else ('same day', 'as soon as we can') and for a
    time longer than a year, which is no rule to count replies against."""
    if not text:
        return None
    match = _RESPONSE.fullmatch(" ".join(text.lower().split()))
    if not match:
        return None
    number, working, unit = match.groups()
    amount = int(number) if number.isdigit() else _NUMBERS[number]
    if amount == 0:
        return None
    base = {"h": "hours", "d": "days", "w": "weeks"}[unit[0]]
    found: ResponseTime
    if working:
        if base == "weeks":
            found = ResponseTime(amount * 5, "working days")
        else:
            found = ResponseTime(amount, "working hours" if base == "hours" else "working days")
    else:
        found = ResponseTime(amount, base)  # type: ignore[arg-type]  # one of the plain units
    return found if found.nominal() <= LONGEST_RESPONSE else None


def response_time_problem(field: str, text: str | None) -> str | None:
    """A warning for a response time that cannot be read as one, or None."""
    if text is None or parse_response_time(text) is not None:
        return None
    instead = (
        "urgent contacts are counted like ordinary ones"
        if field == "urgent_response_time"
        else f"replies and follow-ups are counted against {DEFAULT_RESPONSE}"
    )
    return (
        f"agreement.{field} {text!r} is not a time like '2 working days' or '24 hours' "
        f"(up to a year); {instead} until it is"
    )
