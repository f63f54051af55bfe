"""Time zone look-ups by IANA name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mentorkit.errors import UsageProblem


@cache
def zone(name: str) -> ZoneInfo:
    try:
        if not name or name.startswith(("/", ".")) or ".." in name:
            raise ValueError(name)
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as err:
        raise UsageProblem(
            f"{name!r} is not a known time zone; use an IANA name like Europe/London"
        ) from err


def is_timezone(name: str) -> bool:
    try:
        zone(name)
    except UsageProblem:
        return False
    return True


# --------------------------------------------------------------------------- transitions

_STEP = timedelta(days=1)  # no zone changes its offset twice within a day


@dataclass(frozen=True)
class Transition:
    """A change of a zone's UTC offset: the instant (UTC) and the offsets either side."""

    at: datetime
    before: timedelta
    after: timedelta
    name: str
    daylight: bool

    @property
    def local(self) -> datetime:
        """The wall-clock time of the change, as read before it (RFC 5545's DTSTART)."""
        return (self.at + self.before).replace(tzinfo=None)


def _offset(moment: datetime) -> timedelta:
    """The UTC offset of a moment in a zone (which every zone gives)."""
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError(f"{moment} has no time zone")
    return offset


def transitions(name: str, start: datetime, end: datetime) -> list[Transition]:
    """Every change of the zone's offset between two instants, to the second."""
    tz = zone(name)
    found: list[Transition] = []
    here = start.astimezone(UTC)
    offset = _offset(here.astimezone(tz))
    while here < end:
        step = min(_STEP, end - here)
        there = here + step
        later = _offset(there.astimezone(tz))
        if later != offset:
            low, high = here, there
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(tz).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            moment = high.replace(microsecond=0)
            if moment.astimezone(tz).utcoffset() != later:
                moment += timedelta(seconds=1)
            local = moment.astimezone(tz)
            found.append(
                Transition(
                    moment,
                    offset,
                    later,
                    local.tzname() or "",
                    bool(local.dst()),
                )
            )
            offset = later
        here = there
    return found


@dataclass(frozen=True)
class Observance:
    """One STANDARD or DAYLIGHT block of a VTIMEZONE: a change of offset at `start` (wall
    clock before it), repeated by `rule` (a yearly RRULE) when there is one."""

    start: datetime
    before: timedelta
    after: timedelta
    name: str
    daylight: bool
    rule: str | None = None


def _candidates(change: Transition) -> list[str]:
    """Yearly rules that could give this change: the nth or last weekday of its month, or
    the weekday within a run of seven days (Chile: the Sunday after the first Saturday)."""
    import calendar

    local = change.local
    length = calendar.monthrange(local.year, local.month)[1]
    code = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[local.weekday()]
    head = f"FREQ=YEARLY;BYMONTH={local.month};BYDAY="
    found = []
    if local.day <= 28:
        found.append(f"{head}{(local.day - 1) // 7 + 1}{code}")
    if local.day + 7 > length:
        found.append(f"{head}-1{code}")
    for low in range(max(1, local.day - 6), min(local.day, 22) + 1):
        found.append(f"{head}{code};BYMONTHDAY={','.join(str(d) for d in range(low, low + 7))}")
    return found


def _run_length(changes: list[Transition], rule: str) -> int:
    from dateutil.rrule import rrulestr

    count = 0
    for change, produced in zip(changes, rrulestr(rule, dtstart=changes[0].local), strict=False):
        if change.local != produced:
            break
        count += 1
    return count


@cache
def history(name: str, start: datetime, end: datetime) -> tuple[Observance, ...]:
    """The zone from `start` on, for ever: its offset at `start`, then every change, where
    changes of one kind follow a yearly rule for several years written as that rule (with
    UNTIL, or open-ended when it still holds at `end`, the last instant scanned)."""
    offset = start.astimezone(zone(name))
    wall = (start.astimezone(UTC) + _offset(offset)).replace(tzinfo=None)
    found = [
        Observance(
            wall,
            _offset(offset),
            _offset(offset),
            offset.tzname() or "",
            bool(offset.dst()),
        )
    ]
    changes = transitions(name, start, end)
    kinds: dict[tuple[timedelta, timedelta, str, bool], list[Transition]] = {}
    for change in changes:
        kinds.setdefault((change.before, change.after, change.name, change.daylight), []).append(
            change
        )
    for group in kinds.values():
        i = 0
        while i < len(group):
            best, chosen = 1, None
            for rule in _candidates(group[i]):
                length = _run_length(group[i:], rule)
                if length > best:
                    best, chosen = length, rule
            run = group[i : i + best]
            first = run[0]
            # UNTIL a day after the run's last change, not at its instant: vobject compares
            # it with the change's local time and dropped the last one (Gaza, 2029); the
            # next change of the yearly rule is months away
            if chosen and (i + best < len(group) or run[-1].at < end - timedelta(days=400)):
                chosen += f";UNTIL={run[-1].at + timedelta(days=1):%Y%m%dT%H%M%SZ}"
            if chosen:
                found.append(
                    Observance(
                        first.local, first.before, first.after, first.name, first.daylight, chosen
                    )
                )
            else:
                found += [Observance(c.local, c.before, c.after, c.name, c.daylight) for c in run]
            i += best
    found[1:] = sorted(found[1:], key=lambda o: o.start)
    return tuple(found)
