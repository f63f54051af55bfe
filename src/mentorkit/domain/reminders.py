"""What is due for whom at a moment: the check-in brief before each meeting, the nudge on
the morning of the feedback day, the weekly digest of overdue items, the review date
approaching, a follow-up not sent within the agreed response time, and a contact between
meetings not answered within it (in the recipient's working time). Each reminder is
timed in its recipient's own zone, held back during their quiet hours, and has a key that
names it once and for all (what was sent is kept elsewhere, and given here as `sent`)."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Literal

from mentorkit.domain.actions import is_overdue
from mentorkit.domain.schedule import clock, occurrences
from mentorkit.domain.workingtime import ResponseTime, WorkingWeek, week_of
from mentorkit.errors import UsageProblem
from mentorkit.file.model import ROLES, WEEKDAYS, ActionItem, Contact, Meeting, Mentorship, Role
from mentorkit.timezones import zone

Kind = Literal["brief", "feedback", "digest", "review", "followup", "reply"]
MORNING = time(8, 0)
REVIEW_AHEAD = timedelta(days=7)
DIGEST_GOOD_FOR = timedelta(days=2)  # a digest not sent by Monday night goes until Wednesday
FOLLOWUP_GOOD_FOR = timedelta(days=14)


@dataclass(frozen=True)
class QuietHours:
    """Local hours in which nothing is sent; a reminder due then waits until they end."""

    start: time
    end: time

    def holds(self, local: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end


NO_QUIET = QuietHours(time(0), time(0))


def quiet_hours(text: str) -> QuietHours:
    """`21:00-08:00` (the default), or `none`."""
    if text.strip().lower() in ("none", "off", ""):
        return NO_QUIET
    match = re.fullmatch(r"\s*(\d\d?):(\d\d)\s*-\s*(\d\d?):(\d\d)\s*", text)
    if match:
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 < 24 and h2 < 24 and m1 < 60 and m2 < 60:
            return QuietHours(time(h1, m1), time(h2, m2))
    raise UsageProblem(f"quiet hours are written like 21:00-08:00 (or none), not {text!r}")


@dataclass(frozen=True)
class Due:
    """One reminder for one person: what, since when, and until when it is worth sending."""

    key: str
    kind: Kind
    to: Role
    at: datetime  # when it fell due (aware)
    until: datetime
    meeting_start: datetime | None = None  # brief: the meeting's start
    meeting: Meeting | None = None  # followup: the meeting whose follow-up is missing
    day: date | None = None  # feedback: the day; review: the review date
    overdue: tuple[ActionItem, ...] = ()  # digest: the person's overdue items
    contact: Contact | None = None  # reply: the contact waiting for the person's reply


def due_reminders(
    m: Mentorship,
    now: datetime,
    *,
    sent: Collection[str] = (),
    quiet: QuietHours = NO_QUIET,
    brief_hours: int = 24,
) -> list[Due]:
    """Every reminder due at `now` and not in `sent`, for both people."""
    found: list[Due] = []
    now = now.astimezone(UTC)
    term = m.agreement.term
    for role in ROLES:
        tz = zone(m.people.of(role).timezone)
        local = now.astimezone(tz)
        if term.end is not None and local.date() > term.end:
            continue
        if quiet.holds(local.time()):
            continue
        found += _briefs(m, role, now, brief_hours)
        found += _feedback_day(m, role, now)
        found += _digest(m, role, now)
        found += _review(m, role, now)
        found += _followups(m, role, now)
        found += _replies(m, role, now)
    return [d for d in found if d.key not in sent and d.at <= now < d.until]


def _morning(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, MORNING, tz)


def _end_of(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tz)


def _briefs(m: Mentorship, role: Role, now: datetime, hours: int) -> list[Due]:
    ahead = timedelta(hours=hours)
    found = []
    for o in occurrences(m.schedule, now, now + ahead):
        if o.held and o.start > now:
            start = o.start.astimezone(UTC)
            found.append(
                Due(f"brief:{start:%Y-%m-%dT%H:%MZ}:{role}", "brief", role, start - ahead, start,
                    meeting_start=o.start)
            )  # fmt: skip
    return found


def feedback_days(m: Mentorship, role: Role, near: date) -> list[date]:
    """The feedback days, as dates in `role`'s zone, within a day of `near`. Without a
    time, the feedback day is that weekday in each person's own zone; with one, it is an
    instant in the meeting's zone, which may fall on another date for the other person."""
    s = m.schedule
    if not s.feedback_day:
        return []
    weekday = WEEKDAYS.index(s.feedback_day)
    days = [near + timedelta(days=d) for d in (-1, 0, 1)]
    if not s.feedback_time:
        return [d for d in days if d.weekday() == weekday]
    there, here = zone(s.timezone), zone(m.people.of(role).timezone)
    found = []
    for d in [near + timedelta(days=d) for d in (-2, -1, 0, 1, 2)]:
        if d.weekday() == weekday:
            local = datetime.combine(d, clock(s.feedback_time), there).astimezone(here).date()
            if local in days:
                found.append(local)
    return found


def _feedback_day(m: Mentorship, role: Role, now: datetime) -> list[Due]:
    tz = zone(m.people.of(role).timezone)
    today = now.astimezone(tz).date()
    return [
        Due(f"feedback:{d}:{role}", "feedback", role, _morning(d, tz), _end_of(d, tz), day=d)
        for d in feedback_days(m, role, today)
    ]


def _digest(m: Mentorship, role: Role, now: datetime) -> list[Due]:
    tz = zone(m.people.of(role).timezone)
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    at, until = _morning(monday, tz), _end_of(monday + DIGEST_GOOD_FOR, tz)
    if not at <= now < until:
        return []
    overdue = tuple(a for a in m.actions if a.owner == role and is_overdue(a, today))
    if not overdue:
        return []
    year, week, _ = monday.isocalendar()
    return [
        Due(f"digest:{year}-W{week:02d}:{role}", "digest", role, at, until, overdue=overdue)
    ]  # fmt: skip


def _review(m: Mentorship, role: Role, now: datetime) -> list[Due]:
    review = m.agreement.term.review
    if review is None:
        return []
    tz = zone(m.people.of(role).timezone)
    at = _morning(review - REVIEW_AHEAD, tz)
    return [Due(f"review:{review}:{role}", "review", role, at, _end_of(review, tz), day=review)]


def meeting_end(m: Mentorship, meeting: Meeting) -> datetime:
    """When a logged meeting ended: its occurrence in the schedule on that date, else the
    schedule's time on that date."""
    tz = zone(m.schedule.timezone)
    day_start = datetime.combine(meeting.date, time(0), tz)
    for o in occurrences(m.schedule, day_start, day_start + timedelta(days=1)):
        if o.held and o.start.date() == meeting.date:
            return o.end
    start = datetime.combine(meeting.date, clock(m.schedule.time), tz)
    return start + timedelta(minutes=m.schedule.duration)


def followup_due_at(m: Mentorship, meeting: Meeting) -> datetime:
    """When the follow-up of a held meeting is due: its end plus the agreed response time,
    read as contacts read it and counted in the working week of whoever keeps the
    schedule's time zone (else the mentor's)."""
    rule, week = _followup_rule(m)
    return rule.due(meeting_end(m, meeting), week)


def _followup_rule(m: Mentorship) -> tuple[ResponseTime, WorkingWeek]:
    from mentorkit.domain.contacts import response_time

    keeper: Role = next(
        (r for r in ROLES if m.people.of(r).timezone == m.schedule.timezone), "mentor"
    )
    week = week_of(m.people.of(keeper))
    return response_time(m, urgent=False), replace(week, timezone=m.schedule.timezone)


def followup_overdue(m: Mentorship, now: datetime) -> Meeting | None:
    """The latest held meeting, when its follow-up was not sent within the agreed time."""
    held = [x for x in m.meetings if x.status == "held" and x.date <= now.date()]
    if not held:
        return None
    latest = max(held, key=lambda x: x.date)
    if latest.followup_sent or now < followup_due_at(m, latest):
        return None
    return latest


def _followups(m: Mentorship, role: Role, now: datetime) -> list[Due]:
    found = []
    rule, week = _followup_rule(m)
    recent = now.date() - FOLLOWUP_GOOD_FOR - rule.at_most(week)
    for meeting in m.meetings:
        if meeting.status != "held" or meeting.followup_sent:
            continue
        if not recent - timedelta(days=4) <= meeting.date <= now.date():
            continue
        at = followup_due_at(m, meeting)
        found.append(
            Due(f"followup:{meeting.id}:due:{role}", "followup", role, at,
                at + FOLLOWUP_GOOD_FOR, meeting=meeting)
        )  # fmt: skip
    return found


def _replies(m: Mentorship, role: Role, now: datetime) -> list[Due]:
    """A contact to `role` not answered within the agreed time, from when it fell due."""
    from mentorkit.domain.contacts import overdue

    return [
        Due(f"reply:{a.contact.id}:{role}", "reply", role, a.due, a.due + FOLLOWUP_GOOD_FOR,
            contact=a.contact)
        for a in overdue(m, now)
        if a.contact.to == role
    ]  # fmt: skip
