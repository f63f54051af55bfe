"""The brief before a meeting, the meeting log after it, and the follow-up message."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from mentorkit.domain import ids, schedule
from mentorkit.domain.actions import add_action, is_overdue, timeliness
from mentorkit.domain.contacts import Awaiting, BetweenMeetings, between_meetings, overdue
from mentorkit.domain.goals import KpiProgress, goals_off_track, kpi_progress
from mentorkit.domain.reminders import followup_overdue
from mentorkit.domain.status import MeetingTimes, meeting_times
from mentorkit.errors import UsageProblem
from mentorkit.file.model import (
    MEETING_STATUSES,
    ActionItem,
    DueMove,
    Feedback,
    Goal,
    Kpi,
    Measurement,
    Meeting,
    Mentorship,
    Resource,
    Role,
    TalkingPoint,
    one_of,
    other,
)


@dataclass
class Change:
    """A KPI measurement with its change since the one before."""

    goal: Goal
    kpi: Kpi
    measurement: Measurement
    change: float | None
    progress: KpiProgress


@dataclass
class SinceLast:
    """What happened since the last meeting, from the dates in the file."""

    since: date
    label: str
    completed: list[tuple[ActionItem, str]] = field(default_factory=list)
    added: list[ActionItem] = field(default_factory=list)
    moved: list[tuple[ActionItem, DueMove]] = field(default_factory=list)
    dropped: list[ActionItem] = field(default_factory=list)
    measurements: list[Change] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)


@dataclass
class Agenda:
    """What to talk about: the points both people raised, and what needs attention."""

    talking_points: list[TalkingPoint]
    overdue: list[ActionItem]
    off_track: list[tuple[Goal, Kpi, KpiProgress]]
    awaiting_feedback: list[ActionItem]
    followup_missing: Meeting | None = None  # its follow-up not sent in the agreed time
    replies_overdue: list[Awaiting] = field(default_factory=list)  # contacts not answered in time


@dataclass
class Brief:
    """Everything `mentorkit checkin` shows."""

    today: date
    role: Role
    names: dict[Role, str]
    next_meeting: MeetingTimes | None
    since: SinceLast
    mine: list[ActionItem]
    theirs: list[ActionItem]
    agenda: Agenda
    recorded: list[str] | None = None  # from git: who changed what since the last meeting
    response_time: str | None = None  # the agreement's, for a follow-up not sent
    between: BetweenMeetings | None = None  # the contacts since the last meeting


def last_meeting_date(m: Mentorship, now: datetime, today: date) -> tuple[date, str]:
    """The last logged meeting, else the last scheduled one, else the start of the term."""
    held = [x.date for x in m.meetings if x.status == "held" and x.date <= today]
    if held:
        return max(held), f"the meeting of {max(held)}"
    scheduled = schedule.last_meeting(m.schedule, now)
    if scheduled is not None:
        return scheduled.start.date(), f"the meeting due on {scheduled.start.date()}"
    return m.agreement.term.start, f"the start of the mentorship on {m.agreement.term.start}"


def last_meeting_start(m: Mentorship, now: datetime, today: date) -> tuple[datetime, str]:
    """The instant "since the last meeting" starts from, the same for both people: the
    last logged meeting's start (see `meeting_start`), else the last scheduled one's, else
    the end of the day the mentorship started (its setting up is not news)."""
    day, label = last_meeting_date(m, now, today)
    if label.startswith("the start"):
        from mentorkit.timezones import zone

        after = datetime.combine(day + timedelta(days=1), datetime.min.time())
        return after.replace(tzinfo=zone(m.schedule.timezone)), label
    return meeting_start(m, day), label


def meeting_start(m: Mentorship, day: date) -> datetime:
    """When the meeting held on `day` began, as an instant: the schedule's meeting that
    day (moved there or due then), at its time in its zone; a day with none, from the
    start of that day in the schedule's zone."""
    from mentorkit.timezones import zone

    midnight = datetime.combine(day, datetime.min.time(), tzinfo=zone(m.schedule.timezone))
    that_day = [
        o.start
        for o in schedule.occurrences(m.schedule, midnight, midnight + timedelta(days=1))
        if o.held and o.start.date() == day
    ]
    return min(that_day) if that_day else midnight


def since_last(m: Mentorship, since: date, label: str, today: date) -> SinceLast:
    found = SinceLast(since=since, label=label)

    def recent(day: date | None) -> bool:
        return day is not None and since < day <= today

    for action in m.actions:
        completed = action.completed
        if action.status == "done" and completed is not None and recent(completed):
            found.completed.append((action, timeliness(completed, action.due)))
        if recent(action.created):
            found.added.append(action)
        found.moved += [(action, move) for move in action.moves if recent(move.moved)]
        if action.status == "dropped" and recent(action.dropped):
            found.dropped.append(action)
    for goal in m.goals:
        for kpi in goal.kpis:
            previous: float | None = None
            for i, measurement in enumerate(kpi.measurements):
                if recent(measurement.date):
                    change = None if previous is None else measurement.value - previous
                    # each line shows the progress as of its own measurement
                    then = Kpi(**{**kpi.__dict__, "measurements": kpi.measurements[: i + 1]})
                    progress = kpi_progress(then, measurement.date)
                    found.measurements.append(Change(goal, kpi, measurement, change, progress))
                previous = measurement.value
    found.resources = [r for r in m.resources if recent(r.shared)]
    found.feedback = [f for f in m.feedback if recent(f.date)]
    return found


def build_brief(
    m: Mentorship, role: Role, now: datetime, today: date, recorded: list[str] | None = None
) -> Brief:
    """The brief; `recorded` are the lines of the git history since the last meeting,
    where the file lives in git."""
    since, label = last_meeting_date(m, now, today)
    upcoming = schedule.next_meeting(m.schedule, now)

    def open_items(owner: Role) -> list[ActionItem]:
        items = [a for a in m.actions if a.owner == owner and a.status == "open"]
        return sorted(items, key=lambda a: (not is_overdue(a, today), a.due or date.max, a.created))

    done_since = [
        a for a in m.actions if a.status == "done" and a.completed and since < a.completed <= today
    ]
    feedback_since = [f for f in m.feedback if f.date >= since]
    awaiting = [
        a
        for a in done_since
        if not any(f.to == a.owner and f.date >= (a.completed or since) for f in feedback_since)
    ]
    agenda = Agenda(
        talking_points=[p for p in m.agenda if p.status == "open"],
        overdue=[a for a in m.actions if is_overdue(a, today)],
        off_track=goals_off_track(m, today),
        awaiting_feedback=awaiting,
        followup_missing=followup_overdue(m, now),
        replies_overdue=overdue(m, now),
    )
    return Brief(
        today=today,
        role=role,
        names=m.people.names(),
        next_meeting=meeting_times(m, upcoming, today) if upcoming else None,
        since=since_last(m, since, label, today),
        mine=open_items(role),
        theirs=open_items(other(role)),
        agenda=agenda,
        recorded=recorded,
        response_time=m.agreement.response_time,
        between=between_meetings(m, now, since=since),
    )


def kpis_without_recent_measurement(m: Mentorship, since: date) -> list[tuple[Goal, Kpi]]:
    return [
        (goal, kpi)
        for goal in m.goals
        if goal.status == "active"
        for kpi in goal.kpis
        if not any(x.date > since for x in kpi.measurements)
    ]


# --------------------------------------------------------------------------- after the meeting


@dataclass
class NewAction:
    """An action item agreed in a meeting."""

    owner: Role
    title: str
    due: date | None


def meeting_day(m: Mentorship, moment: datetime, today: date) -> date:
    """The date a log is for when none is given: the latest scheduled meeting that began in
    the two days up to `moment` and is not logged yet, by its date in the schedule's time
    zone, so both people log one meeting under one date wherever they are; else today."""
    logged = {x.date for x in m.meetings}
    begun = [
        o
        for o in schedule.occurrences(m.schedule, moment - timedelta(days=2), moment)
        if o.held and o.start.date() not in logged
    ]
    return begun[-1].start.date() if begun else today


def log_meeting(
    m: Mentorship,
    *,
    day: date,
    status: str,
    notes: str | None,
    decisions: list[str],
    new_actions: list[NewAction],
    covered: list[str],
    by: Role | None,
    today: date,
    rng: random.Random | None = None,
) -> tuple[Meeting, str]:
    """Record a meeting: talking points covered are closed, the rest carry over."""
    chosen = one_of(status, MEETING_STATUSES)
    if chosen is None:
        raise UsageProblem(f"a meeting is held, moved or cancelled, not {status!r}")
    if any(x.date == day and x.status == status for x in m.meetings):
        raise UsageProblem(f"the meeting of {day} is already in the log")
    points = [ids.find(m.agenda, prefix, "talking point") for prefix in covered]
    meeting = Meeting(
        id=ids.new_id(m.all_ids(), rng),
        date=day,
        status=chosen,
        notes=notes or None,
        decisions=[d.strip() for d in decisions if d.strip()],
        covered=[p.id for p in points],
    )
    for point in points:
        point.status, point.closed = "done", day
    m.meetings.append(meeting)
    for item in new_actions:
        add_action(
            m, item.title, owner=item.owner, due=item.due, goal=None, by=by, today=today, rng=rng
        )
    parts = []
    if meeting.decisions:
        parts.append(f"{len(meeting.decisions)} decision{'s' * (len(meeting.decisions) != 1)}")
    if new_actions:
        parts.append(f"{len(new_actions)} new action item{'s' * (len(new_actions) != 1)}")
    detail = f" ({', '.join(parts)})" if parts else ""
    return meeting, f"{by or 'someone'} logged the meeting of {day} as {status}{detail}"


def parse_new_action(text: str, parse_date: Callable[[str], date]) -> NewAction:
    """'mentee|Draft the mediation statement|friday' (the due date may be left out)."""
    parts = [part.strip() for part in text.split("|")]
    if len(parts) not in (2, 3) or parts[0] not in ("mentor", "mentee") or not parts[1]:
        raise UsageProblem(
            f"cannot read the action {text!r}; write it as OWNER|TITLE|DUE, e.g. 'mentee|Draft the statement|friday'"
        )
    due = parse_date(parts[2]) if len(parts) == 3 and parts[2] else None
    owner: Role = "mentor" if parts[0] == "mentor" else "mentee"
    return NewAction(owner=owner, title=parts[1], due=due)


def find_meeting(m: Mentorship, key: str | None) -> Meeting:
    """A logged meeting by ID prefix or date; the latest held one when no key is given."""
    if not m.meetings:
        raise UsageProblem("no meeting is logged yet (`mentorkit meeting log`)")
    if key is None:
        held = [x for x in m.meetings if x.status == "held"] or m.meetings
        return max(held, key=lambda x: x.date)
    by_date = [x for x in m.meetings if x.date.isoformat() == key.strip()]
    if by_date:
        return by_date[-1]
    return ids.find(m.meetings, key, "meeting")


@dataclass
class Followup:
    """The message that goes to both people after a meeting."""

    meeting: Meeting
    names: dict[Role, str]
    emails: dict[str, str]
    covered: list[TalkingPoint]
    carried_over: list[TalkingPoint]
    agreed: list[ActionItem]
    open_items: list[ActionItem]
    next_meeting: MeetingTimes | None
    today: date


def build_followup(
    m: Mentorship, meeting: Meeting, now: datetime, today: date, *, notes: bool = True
) -> Followup:
    """The follow-up of `meeting`; without `notes`, the meeting's notes are left out."""
    open_items = sorted(
        (a for a in m.actions if a.status == "open"), key=lambda a: (a.due or date.max, a.owner)
    )
    upcoming = schedule.next_meeting(
        m.schedule, max(now, datetime.combine(meeting.date, datetime.max.time(), now.tzinfo))
    )
    return Followup(
        meeting=meeting if notes else replace(meeting, notes=None),
        names=m.people.names(),
        emails={r: m.people.of(r).email for r in ("mentor", "mentee")},
        covered=[p for p in m.agenda if p.id in meeting.covered],
        carried_over=[p for p in m.agenda if p.status == "open"],
        agreed=[a for a in m.actions if a.created == meeting.date],
        open_items=open_items,
        next_meeting=meeting_times(m, upcoming, today) if upcoming else None,
        today=today,
    )


def record_followup_sent(
    m: Mentorship, meeting_id: str, *, by: Role, now: datetime
) -> tuple[Meeting, str]:
    """Record that `by` sent the follow-up of a meeting by email at `now` (UTC, to the
    minute): what `history`, `checkin` and `remind` go by."""
    meeting = next(x for x in m.meetings if x.id == meeting_id)
    meeting.followup_sent = now.astimezone(UTC).replace(second=0, microsecond=0)
    meeting.followup_by = by
    return meeting, f"{by} sent the follow-up of the meeting of {meeting.date}"


def check_followup_unsent(meeting: Meeting, *, again: bool) -> None:
    """A follow-up goes once unless asked to go again: say who sent it and when."""
    if meeting.followup_sent and not again:
        raise UsageProblem(
            f"the {meeting.followup_by or 'someone'} sent the follow-up of the meeting of "
            f"{meeting.date} on {meeting.followup_sent:%Y-%m-%d %H:%M} UTC; pass --again to "
            "send it again"
        )


def followup_keys(meeting: Meeting, again: datetime | None = None) -> dict[Role, str]:
    """The keys under which the follow-up's copy to each person goes once; a follow-up
    sent again is a new message, keyed by the minute it was asked for."""
    suffix = f":again:{again.astimezone(UTC):%Y-%m-%dT%H:%MZ}" if again else ""
    return {r: f"followup:{meeting.id}:{r}{suffix}" for r in ("mentor", "mentee")}
