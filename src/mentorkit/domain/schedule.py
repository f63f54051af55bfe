"""Expanding the meeting schedule into occurrences, in any person's local time."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, Literal

from mentorkit.errors import UsageProblem
from mentorkit.file.model import (
    FORMAL_CHANNELS,
    Mentorship,
    Role,
    Schedule,
    ScheduleChange,
    SeriesPart,
    one_of,
)
from mentorkit.timezones import zone

if TYPE_CHECKING:
    from dateutil.rrule import rrule as dateutil_rrule

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


Series = Schedule | SeriesPart  # the current series, or an earlier part of it


def series_start(schedule: Series) -> datetime:
    return datetime.combine(schedule.first, clock(schedule.time), tzinfo=zone(schedule.timezone))


def expand(rrule: str, dtstart: datetime) -> dateutil_rrule:
    """`rrule` from `dtstart` as a dateutil rule. An UNTIL in the rule is applied here, in
    the start's time zone: a date means the end of that day, a time without Z the local
    time (dateutil refuses both with a zoned start, and the other person may write either)."""
    from dateutil.rrule import rrule as dateutil_rrule
    from dateutil.rrule import rrulestr

    kept = [item for item in rrule.split(";") if not item.startswith("UNTIL=")]
    rule = rrulestr(";".join(kept), dtstart=dtstart)
    if not isinstance(rule, dateutil_rrule):  # one RRULE gives one rule, never a set
        raise TypeError(f"{rrule!r} is not a single rule")
    given = rrule[rrule.index("UNTIL=") + 6 :].split(";")[0] if "UNTIL=" in rrule else ""
    if not given:
        return rule
    day = date(int(given[:4]), int(given[4:6]), int(given[6:8]))
    at = time(int(given[9:11]), int(given[11:13]), int(given[13:15])) if "T" in given else None
    if at is None:
        limit = datetime.combine(day, time(23, 59, 59), tzinfo=dtstart.tzinfo)
    elif given.endswith("Z") and dtstart.tzinfo is not None:
        limit = datetime.combine(day, at, tzinfo=UTC).astimezone(dtstart.tzinfo)
    else:
        limit = datetime.combine(day, at, tzinfo=dtstart.tzinfo)
    return rule.replace(until=limit)


def series_rule(schedule: Series, near: datetime | None = None) -> dateutil_rrule:
    """The series as a dateutil rule, ending at `until` when the rule itself runs on.
    With `near`, the rule starts at the last whole period of the rule before it, which
    yields the same meetings from `near` on without walking from a first meeting decades back."""
    rule = expand(schedule.rrule, series_start(schedule))
    if schedule.until is not None:
        limit = datetime.combine(schedule.until, time(23, 59), tzinfo=zone(schedule.timezone))
        until = rule_state(rule)["_until"]
        if until is None or until > limit:
            rule = rule.replace(until=limit)
    return rule if near is None else _started_near(rule, near)


def rule_state(rule: dateutil_rrule) -> dict[str, Any]:
    """A dateutil rule's start, count, frequency, interval and end, which it keeps in
    attributes its type stubs do not declare."""
    return vars(rule)


def _started_near(rule: dateutil_rrule, near: datetime) -> dateutil_rrule:
    """The rule with its start moved forward by whole periods (days or weeks, or whole years
    for monthly and yearly rules, so that day and month stay), to at most a year before
    `near`. dateutil fills what a rule leaves out (weekday, day of month, month, time) from
    the start and steps whole intervals from it, so the meetings from the new start on are
    exactly the original's. A COUNT counts from the first meeting, so such a rule stays."""
    from math import gcd

    from dateutil.rrule import DAILY, MONTHLY, WEEKLY

    state = rule_state(rule)
    first: datetime = state["_dtstart"]
    freq: int = state["_freq"]
    interval: int = state["_interval"]
    if state["_count"] is not None or near - first < timedelta(days=800):
        return rule
    if freq in (DAILY, WEEKLY):
        step = interval * (7 if freq == WEEKLY else 1)
        moved = first + timedelta(days=(near - first).days // step * step)
        while moved > near - timedelta(days=366):
            moved -= timedelta(days=step)
    else:
        months = interval * (1 if freq == MONTHLY else 12)
        years = months // gcd(months, 12)
        year = first.year + (near.year - first.year - 2) // years * years
        while True:  # 29 February moves only to a leap year: step back whole periods
            if year <= first.year:
                return rule
            try:
                moved = first.replace(year=year)
                break
            except ValueError:
                year -= years
    return rule.replace(dtstart=moved) if moved > first else rule


def first_meeting_of(rrule: str, day: date) -> date | None:
    """The first day a series with this rule yields when it starts on `day`."""
    start = datetime.combine(day, time(12))
    found = expand(rrule, start).between(start, start + timedelta(days=3660), inc=True)
    return found[0].date() if found else None


def fitting_dates(rrule: str, day: date) -> list[date]:
    """The dates nearest `day` (one before, one after) on which a series with this rule
    can start, i.e. that are themselves meetings of it."""
    reach = 400 if "FREQ=YEARLY" in rrule else 70
    before = next(
        (d for k in range(1, reach) if first_meeting_of(rrule, d := day - timedelta(days=k)) == d),
        None,
    )
    after = next(
        (d for k in range(1, reach) if first_meeting_of(rrule, d := day + timedelta(days=k)) == d),
        None,
    )
    return [d for d in (before, after) if d is not None]


def require_fit(rrule: str, cadence: str, day: date) -> None:
    """Refuse a first meeting that is not a meeting of the series: RFC 5545 counts DTSTART
    as a meeting, `schedule` would not, and calendars would show one more."""
    if first_meeting_of(rrule, day) == day:
        return
    near = " or ".join(f"{d:%a} {d.isoformat()}" for d in fitting_dates(rrule, day))
    offer = f"; the nearest that fit are {near}" if near else ""
    raise UsageProblem(f"{day:%a} {day.isoformat()} is not a meeting day of {cadence!r}{offer}")


def series_parts(schedule: Schedule) -> list[Series]:
    """The earlier parts of the series, as they were held, then the current one."""
    return [*schedule.earlier, schedule]


def part_dates(part: Series, start: datetime, end: datetime) -> list[datetime]:
    """Meetings of one part of the series alone (no moves or cancellations) in [start, end]."""
    return list(series_rule(part, near=start).between(start, end, inc=True))


def _clock_problem(local: datetime, name: str) -> str | None:
    """'missing' for a wall-clock time the clocks skip, 'twice' for one they repeat."""
    tz = zone(name)
    early, late = local.replace(tzinfo=tz, fold=0), local.replace(tzinfo=tz, fold=1)
    if early.utcoffset() == late.utcoffset():
        return None
    back = early.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return "missing" if back != local else "twice"


def require_real_time(local: datetime, name: str) -> None:
    """Refuse a wall-clock time that does not exist (clocks go forward) or happens twice
    (clocks go back) in the zone, offering the two nearest times that are neither."""
    _require_whole_minutes(local, name)
    problem = _clock_problem(local, name)
    if problem is None:
        return
    step = timedelta(minutes=30)
    before, after = local - step, local + step
    while _clock_problem(before, name):
        before -= step
    while _clock_problem(after, name):
        after = after + step
    what = (
        "does not exist (the clocks go forward)"
        if problem == "missing"
        else "happens twice (the clocks go back)"
    )
    raise UsageProblem(
        f"{local:%H:%M} on {local.date()} {what} in {name}; choose {before:%H:%M} or {after:%H:%M}"
    )


def _require_whole_minutes(local: datetime, name: str) -> None:
    """Refuse a time when the zone kept local mean time, an offset from UTC with seconds
    (Amsterdam's +00:19:32 before 1937, Monrovia's -00:44:30 until 1972): ical.js, the
    library of Thunderbird, drops the seconds and shows every such meeting 28 s or so off,
    and loses some."""
    tz = zone(name)
    offset = local.replace(tzinfo=tz).utcoffset()
    if offset is None or not offset.seconds % 60:
        return
    day = local.date()
    for _ in range(200 * 366):
        day += timedelta(days=1)
        later = datetime.combine(day, local.time(), tzinfo=tz).utcoffset()
        if later is not None and not later.seconds % 60:
            break
    raise UsageProblem(
        f"on {local.date()}, {name} kept local mean time, an offset from UTC with seconds, "
        f"which calendar apps round; choose a date from {day} on"
    )


def require_real_times(part: Series, years: int = 5) -> None:
    """Every meeting of the series (over its span, or the next `years`) at a real time."""
    start = series_start(part)
    for when in part_dates(part, start, start + timedelta(days=366 * years)):
        require_real_time(when.replace(tzinfo=None), part.timezone)


def series_dates(schedule: Schedule, start: datetime, end: datetime) -> list[datetime]:
    """Meetings of the series alone (no moves or cancellations) in [start, end], earlier
    parts included."""
    return [when for _, when in _dated_parts(schedule, start, end)]


def _dated_parts(
    schedule: Schedule, start: datetime, end: datetime
) -> list[tuple[Series, datetime]]:
    found = [
        (part, when) for part in series_parts(schedule) for when in part_dates(part, start, end)
    ]
    found.sort(key=lambda pair: pair[1])
    return found


def occurrences(schedule: Schedule, start: datetime, end: datetime) -> list[Occurrence]:
    """Every meeting whose (possibly moved) start lies in [start, end], cancelled ones included."""
    tz = zone(schedule.timezone)
    margin = timedelta(days=400)
    cancelled = {c.date: c for c in schedule.changes if c.kind == "cancelled" and c.date}
    moved = {c.date: c for c in schedule.changes if c.kind == "moved"}
    found: list[Occurrence] = []
    for part, when in _dated_parts(schedule, start - margin, end + margin):
        day = when.date()
        if day in cancelled:
            found.append(Occurrence(when, part.duration, "cancelled", day, cancelled[day].reason))
        elif day in moved and (to := moved[day].to) is not None:
            new = to.replace(tzinfo=tz)
            found.append(Occurrence(new, part.duration, "moved", day, moved[day].reason))
        else:
            found.append(Occurrence(when, part.duration))
    for change in schedule.changes:
        if change.date is None and change.to is not None and change.kind != "moved":
            status: OccurrenceStatus = "added" if change.kind == "added" else "cancelled"
            found.append(
                Occurrence(
                    change.to.replace(tzinfo=tz), schedule.duration, status, None, change.reason
                )
            )
    found = [o for o in found if start <= o.start <= end]
    found.sort(key=lambda o: o.start)
    return found


def upcoming(schedule: Schedule, now: datetime, count: int = 5) -> list[Occurrence]:
    """The next `count` meetings from `now` on, cancelled ones shown among them. The
    window doubles from 120 days until it holds them all or spans 160 years, so that a
    long term can be listed whole."""
    found: list[Occurrence] = []
    for doubling in range(10):
        found = occurrences(schedule, now, now + timedelta(days=120 << doubling))
        if sum(1 for o in found if o.held) >= count:
            break
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


WORKING_DAY = "09:00–18:00 on weekdays"


def _outside(start: datetime, minutes: int, timezone_name: str) -> int:
    """How far (minutes) a meeting reaches outside the person's working day (09:00-18:00,
    Monday to Friday): 0 inside it, 330 for 03:30-04:30, a day more on a weekend."""
    local = start.astimezone(zone(timezone_name))
    begin = local.hour * 60 + local.minute
    early, late = max(0, 9 * 60 - begin), max(0, begin + minutes - 18 * 60)
    return early + late + (24 * 60 if local.weekday() >= 5 else 0)


def working_time(day: date, timezone_name: str, zones: list[str], minutes: int = 60) -> str:
    """The meeting time (in `timezone_name`, on `day`) inside every zone's working day,
    the nearest to 16:00 of those; where none is, the one that asks least of the person
    it suits worst."""
    best: tuple[tuple[int, int, int], time] | None = None
    for half in range(48):
        at = time(half // 2, 30 * (half % 2))
        local = datetime.combine(day, at)
        if _clock_problem(local, timezone_name):
            continue
        start = local.replace(tzinfo=zone(timezone_name))
        costs = [_outside(start, minutes, name) for name in zones]
        key = (max(costs), sum(costs), abs(half - 32))
        if best is None or key < best[0]:
            best = (key, at)
    return f"{best[1]:%H:%M}" if best else "16:00"


def outside_working_day(m: Mentorship, day: date) -> list[str]:
    """Warnings for each person whose working day the series' first meeting from `day`
    falls outside, with a time inside both where there is one."""
    s = m.schedule
    floor = datetime.combine(day, time(0), tzinfo=zone(s.timezone))
    found = [
        o for o in occurrences(s, floor, floor + timedelta(days=400)) if o.status == "scheduled"
    ]
    if not found:
        return []
    start = found[0].start
    zones = [m.people.of(role).timezone for role in ("mentor", "mentee")]
    late = [
        f"{in_zone(start, m.people.of(role).timezone):%a %H:%M %Z} for {m.people.of(role).name} ({role})"
        for role in ("mentor", "mentee")
        if _outside(start, s.duration, m.people.of(role).timezone)
    ]
    if not late:
        return []
    better = working_time(start.date(), s.timezone, zones, s.duration)
    fit = datetime.combine(start.date(), clock(better), tzinfo=zone(s.timezone))
    offer = (
        f"; {better} {s.timezone} falls inside both (`mentorkit schedule set --time {better}`)"
        if not any(_outside(fit, s.duration, name) for name in zones)
        else "; no time falls inside both people's working day"
    )
    return [
        f"the meetings ({start:%a %H:%M %Z}) fall outside the working day ({WORKING_DAY}): "
        f"{', '.join(late)}{offer}"
    ]


def local_now(now: datetime, timezone_name: str) -> datetime:
    return now.astimezone(zone(timezone_name))


# --------------------------------------------------------------------------- changing the schedule


def series_occurrence(schedule: Schedule, day: date) -> datetime | None:
    """The series meeting due on `day` (in its part's time zone), if there is one."""
    found = occurrence_part(schedule, day)
    return found[1] if found else None


def occurrence_part(schedule: Schedule, day: date) -> tuple[Series, datetime] | None:
    """The part of the series with a meeting due on `day`, and that meeting."""
    for part in series_parts(schedule):
        start = datetime.combine(day, time(0, 0), tzinfo=zone(part.timezone))
        found = part_dates(part, start, start + timedelta(days=1) - timedelta(seconds=1))
        if found:
            return part, found[0]
    return None


def _require_occurrence(schedule: Schedule, day: date) -> None:
    """Refuse a date no series meeting is due on, offering the dates of the meetings near
    it that name one (a moved meeting by the date it was due on)."""
    if series_occurrence(schedule, day) is None:
        midnight = datetime.combine(day, time(0), tzinfo=zone(schedule.timezone))
        window = occurrences(schedule, midnight - timedelta(days=45), midnight + timedelta(days=45))
        upcoming_days = [
            f"{o.original} (moved to {o.start.date()})"
            if o.status == "moved"
            else o.start.date().isoformat()
            for o in window
            if o.status in ("scheduled", "moved")
        ]
        near = f"; meetings near it: {', '.join(upcoming_days)}" if upcoming_days else ""
        raise UsageProblem(f"no meeting of the series falls on {day}{near}")


def _series_meeting(schedule: Schedule, day: date) -> tuple[date, str]:
    """The series meeting a date names: the one due on it or, where none is, the one moved
    to it; with how a sentence names it (both dates for a moved meeting)."""
    if series_occurrence(schedule, day) is None:
        here = [
            c.date
            for c in schedule.changes
            if c.kind == "moved" and c.date is not None and c.to is not None and c.to.date() == day
        ]
        if len(here) > 1:
            dates = " and ".join(str(d) for d in sorted(here))
            raise UsageProblem(
                f"{len(here)} meetings were moved to {day} (from {dates}); "
                "name the one you mean by the date it was due on"
            )
        if not here:
            _require_occurrence(schedule, day)
        day = here[0]
    moved = [c.to for c in schedule.changes if c.kind == "moved" and c.date == day and c.to]
    name = f"the meeting of {day}"
    return day, f"{name} (moved to {moved[0]:%Y-%m-%d %H:%M})" if moved else name


def _bump(schedule: Schedule) -> None:
    schedule.revision = (schedule.revision or 0) + 1


def _calendar_state(m: Mentorship) -> str:
    """What the exported meetings and feedback day are made of, the count of changes aside:
    the schedule, the term (the feedback day ends with it), the two people (the attendees
    and the title) and what the mentee wants (the description, with --details)."""
    s = m.schedule
    kept = {k: v for k, v in vars(s).items() if k not in ("revision", "extra")}
    return repr(
        (kept, m.agreement.term, m.people.mentor, m.people.mentee, m.agreement.mentee_wants)
    )


def calendar_fingerprint(m: Mentorship) -> str:
    """What calendars hold of the file, to tell whether a change reached them."""
    from mentorkit.domain.actions import shown

    return repr((shown(m), _calendar_state(m), m.schedule.revision))


def calendar_revisions(m: Mentorship) -> Callable[[], None]:
    """Taken before a change: what calendars hold of the meetings, the feedback day and
    each to-do. The function returned, called after the change, raises the revision (the
    SEQUENCE calendars go by) of each that changed and was not counted yet, such as the
    feedback day's last week after a new end of the term."""
    from mentorkit.domain.actions import revise, shown

    views, state, revision = shown(m), _calendar_state(m), m.schedule.revision or 0

    def revise_all() -> None:
        revise(m, views)
        if (m.schedule.revision or 0) <= revision and _calendar_state(m) != state:
            m.schedule.revision = revision + 1

    return revise_all


def _replace_change(schedule: Schedule, change: ScheduleChange) -> ScheduleChange:
    """Record a move or cancellation of one series meeting, replacing an earlier move."""
    schedule.changes = [
        c for c in schedule.changes if not (c.kind == "moved" and c.date == change.date)
    ]
    schedule.changes.append(change)
    _bump(schedule)
    return change


def parse_local_datetime(text: str, schedule: Schedule, today: date) -> datetime:
    """'2026-03-05T17:00', '2026-03-05 17:00', 'friday 17:00', or a date alone (the
    schedule's usual time), as a wall-clock time in the schedule's time zone."""
    from mentorkit.domain.agreement import clock_text
    from mentorkit.domain.dates import parse_when

    cleaned = (
        text.strip().replace("T", " ", 1)
        if re.match(r"\d{4}-\d{2}-\d{2}T", text.strip())
        else text.strip()
    )
    parts = cleaned.rsplit(" ", 1)
    hour = schedule.time
    if len(parts) == 2 and re.fullmatch(r"\d{1,2}(:\d{2})?\s*(am|pm)?", parts[1].lower()):
        cleaned, hour = parts[0], clock_text(parts[1])
    day = parse_when(cleaned, today)
    return datetime.combine(day, clock(hour))


def set_schedule(
    m: Mentorship,
    *,
    cadence: str | None = None,
    first: date | None = None,
    at: str | None = None,
    timezone: str | None = None,
    duration: int | None = None,
    channel: str | None = None,
    link: str | None = None,
    until: date | None = None,
    open_ended: bool = False,
    today: date,
    by: Role | None,
) -> tuple[Schedule, str]:
    """Change the series. Meetings before today (or before a new first date, if earlier)
    stay as they were held: the series up to then is kept as an earlier part, and the new
    one starts on the first day that fits it from the next meeting on. Moved and extra
    meetings keep their instant when the time zone changes."""
    from mentorkit.domain.agreement import clock_text
    from mentorkit.domain.cadence import anchored, parse_cadence
    from mentorkit.file.rrule import rrule_problem

    s = m.schedule
    rule = parse_cadence(cadence) if cadence is not None else None
    new_time = clock_text(at) if at is not None else None
    if timezone is not None:
        zone(timezone)
    if duration is not None and not 5 <= duration <= 600:
        raise UsageProblem(f"a meeting lasts 5 to 600 minutes, not {duration}")
    chosen_channel = one_of(channel, FORMAL_CHANNELS)
    if channel is not None and chosen_channel is None:
        raise UsageProblem(f"the channel is video or phone, not {channel!r}")
    changed = [
        text
        for given, text in (
            (cadence, f"cadence {(cadence or '').strip()}"),
            (first, f"first meeting {first}"),
            (new_time, f"time {new_time}"),
            (timezone, f"time zone {timezone}"),
            (duration, f"{duration} minutes"),
            (channel, f"by {channel}"),
            (link, "link"),
            (until, f"until {until}"),
            (open_ended or None, "no last date"),
        )
        if given is not None
    ]
    if not changed:
        raise UsageProblem(
            "nothing to change; give --cadence, --first, --time, --timezone, --duration, "
            "--channel, --link or --until"
        )
    as_it_is = (
        (rule is None or _same_rule(rule, s.rrule, s.first))
        and first in (None, s.first)
        and new_time in (None, s.time)
        and timezone in (None, s.timezone)
        and duration in (None, s.duration)
        and (channel is None or chosen_channel == s.channel)
        and (link is None or (link or None) == s.link)
        and until in (None, s.until)
        and (not open_ended or s.until is None)
    )
    if as_it_is:
        raise UsageProblem(f"the schedule already has {', '.join(changed)}; nothing was changed")
    rhythm = any(x is not None for x in (cadence, first, new_time, timezone, duration))
    split = min(today, first) if first is not None else today
    split_at = datetime.combine(split, time(0), tzinfo=zone(s.timezone))
    held = part_dates(s, series_start(s), split_at - timedelta(seconds=1)) if rhythm else []
    following = part_dates(s, split_at, split_at + timedelta(days=3660))[:1]
    if held:
        s.earlier.append(
            SeriesPart(
                cadence=s.cadence,
                rrule=s.rrule,
                first=s.first,
                until=held[-1].date(),
                time=s.time,
                timezone=s.timezone,
                duration=s.duration,
            )
        )
    if timezone is not None and timezone != s.timezone:
        before, after = zone(s.timezone), zone(timezone)
        for change in s.changes:
            if change.to is not None:
                moment = change.to.replace(tzinfo=before).astimezone(after)
                change.to = moment.replace(tzinfo=None)
        s.timezone = timezone
    if rule is not None:
        s.rrule, s.cadence = rule, (cadence or "").strip()
    s.time = new_time or s.time
    s.duration = duration or s.duration
    s.channel = chosen_channel or s.channel
    if link is not None:
        s.link = link or None
    if cadence is not None or first is not None or held:
        try:
            base = rule or parse_cadence(s.cadence)
        except UsageProblem:
            base = s.rrule  # a cadence written by hand: keep its rule
        if first is not None:
            s.first = first
        elif held or rule is not None:
            # the same rhythm at a new time goes on from its next meeting; a new rhythm
            # starts on its first day from today (or from the first meeting, if later)
            same = rule is None and following
            floor = following[0].date() if same else max(split, s.first)
            s.first = first_meeting_of(anchored(base, floor), floor) or floor
        s.rrule = anchored(base, s.first)
        require_fit(s.rrule, s.cadence, s.first)
    if until is not None:
        if until < s.first:
            raise UsageProblem(
                f"the schedule cannot end ({until}) before the first meeting ({s.first})"
            )
        s.until = until
    if open_ended:
        s.until = None
    problem = rrule_problem(s.rrule, s.first)
    if problem:
        raise UsageProblem(f"the cadence cannot be used from {s.first}: {problem}")
    require_real_times(s)
    if part_dates(s, series_start(s), series_start(s) + timedelta(days=3660))[:1] == []:
        raise UsageProblem("with these settings no meeting would ever take place")
    dropped = [
        c
        for c in s.changes
        if c.kind != "added" and c.date and series_occurrence(s, c.date) is None
    ]
    s.changes = [c for c in s.changes if c not in dropped]
    _bump(s)
    notes = [f"from {s.first}; meetings before {split} stay as they were held"] if held else []
    if dropped:
        notes.append(f"{len(dropped)} earlier move or cancellation no longer applies")
    note = f" ({'; '.join(notes)})" if notes else ""
    return s, f"{by or 'someone'} changed the meeting schedule: {', '.join(changed)}{note}"


def _same_rule(rule: str, current: str, first: date) -> bool:
    """Whether a cadence given as a rule is the series' own (from its first meeting)."""
    from mentorkit.domain.cadence import anchored
    from mentorkit.file.rrule import rule_parts

    try:
        return rule_parts(anchored(rule, first)) == rule_parts(current)
    except (UsageProblem, ValueError):
        return False


def feedback_day_text(m: Mentorship, today: date) -> str | None:
    """The weekly feedback day as each person sees it, its time taken in the meeting's
    zone: 'friday 15:00 America/Chicago: Fri 15:00 CST for Ann (mentor), Fri 21:00 GMT
    for Bo (mentee)'. None when there is no feedback day."""
    from mentorkit.file.model import WEEKDAYS

    s = m.schedule
    if not s.feedback_day:
        return None
    if not s.feedback_time:
        return f"{s.feedback_day}, any time of the day in each person's own time zone"
    weekday = WEEKDAYS.index(s.feedback_day)
    due = today + timedelta(days=(weekday - today.weekday()) % 7)
    at = datetime.combine(due, clock(s.feedback_time), tzinfo=zone(s.timezone))
    each = ", ".join(
        f"{local:%a %H:%M %Z} for {m.people.of(role).name} ({role})"
        for role in ("mentor", "mentee")
        if (local := in_zone(at, m.people.of(role).timezone))
    )
    return f"{s.feedback_day} {s.feedback_time} {s.timezone}: {each}"


def set_feedback_day(
    m: Mentorship, day_name: str, at: str | None, *, by: Role | None
) -> tuple[Schedule, str]:
    from mentorkit.domain.agreement import clock_text, weekday_named

    s = m.schedule
    if day_name.strip().lower() in ("none", "off"):
        s.feedback_day = s.feedback_time = None
        _bump(s)
        return s, f"{by or 'someone'} stopped the weekly feedback day"
    s.feedback_day = weekday_named(day_name)
    s.feedback_time = clock_text(at) if at else None
    _bump(s)
    when_text = f" at {s.feedback_time}" if s.feedback_time else ""
    return s, f"{by or 'someone'} set the feedback day to {s.feedback_day}{when_text}"


def move_meeting(
    m: Mentorship, day: date, to: datetime, *, reason: str | None, by: Role | None
) -> tuple[ScheduleChange, str]:
    s = m.schedule
    day, name = _series_meeting(s, day)
    require_real_time(to, s.timezone)
    for change in s.changes:
        if change.kind == "cancelled" and change.date == day:
            raise UsageProblem(f"the meeting of {day} is cancelled; it cannot be moved")
    change = _replace_change(
        s, ScheduleChange(kind="moved", date=day, to=to, reason=reason or None)
    )
    because = f": {reason}" if reason else ""
    return change, f"{by or 'someone'} moved {name} to {to:%Y-%m-%d %H:%M}{because}"


def cancel_meeting(
    m: Mentorship, day: date, *, reason: str | None, by: Role | None
) -> tuple[ScheduleChange, str]:
    s = m.schedule
    added = [c for c in s.changes if c.kind == "added" and c.to is not None and c.to.date() == day]
    if added:
        # kept, as cancelled, so that calendars that imported it learn it is off
        added[0].kind, added[0].reason = "cancelled", reason or added[0].reason
        _bump(s)
        return added[0], f"{by or 'someone'} cancelled the extra meeting of {day}"
    day, name = _series_meeting(s, day)
    if any(c.kind == "cancelled" and c.date == day for c in s.changes):
        raise UsageProblem(f"the meeting of {day} is already cancelled")
    change = _replace_change(s, ScheduleChange(kind="cancelled", date=day, reason=reason or None))
    because = f": {reason}" if reason else ""
    return change, f"{by or 'someone'} cancelled {name}{because}"


def _refuse_clash(schedule: Schedule, to: datetime) -> None:
    """An extra meeting may not overlap a meeting that takes place: the two people would be
    due in two meetings at once."""
    start = to.replace(tzinfo=zone(schedule.timezone))
    end = start + timedelta(minutes=schedule.duration)
    for o in occurrences(schedule, start - timedelta(days=2), end + timedelta(days=2)):
        if o.held and o.start < end and start < o.end:
            which = {
                "moved": f"the meeting of {o.original}, moved to",
                "added": "the extra meeting of",
            }.get(o.status, "the meeting of")
            raise UsageProblem(
                f"an extra meeting at {to:%Y-%m-%d %H:%M} would clash with {which} "
                f"{o.start:%Y-%m-%d %H:%M}-"
                f"{o.end:%H:%M} {schedule.timezone}; choose another time, or move that meeting"
            )


def add_meeting(
    m: Mentorship, to: datetime, *, reason: str | None, by: Role | None
) -> tuple[ScheduleChange, str]:
    s = m.schedule
    require_real_time(to, s.timezone)
    if any(c.kind == "added" and c.to == to for c in s.changes):
        raise UsageProblem(f"a meeting is already added at {to:%Y-%m-%d %H:%M}")
    _refuse_clash(s, to)
    for change in s.changes:
        if change.kind == "cancelled" and change.date is None and change.to == to:
            change.kind, change.reason = "added", reason or None
            _bump(s)
            return change, f"{by or 'someone'} added a meeting on {to:%Y-%m-%d %H:%M} again"
    change = ScheduleChange(kind="added", to=to, reason=reason or None)
    s.changes.append(change)
    _bump(s)
    return change, f"{by or 'someone'} added a meeting on {to:%Y-%m-%d %H:%M}"
