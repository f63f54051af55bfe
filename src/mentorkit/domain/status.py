"""What `mentorkit status` shows, computed from the mentorship and the moment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from mentorkit.domain import schedule
from mentorkit.domain.actions import is_overdue
from mentorkit.domain.feedback import feedback_nudges
from mentorkit.domain.goals import KpiProgress, kpi_progress
from mentorkit.file.model import ROLES, ActionItem, Goal, Mentorship, Resource, Role

if TYPE_CHECKING:
    from mentorkit.domain.contacts import Awaiting


@dataclass
class PersonNow:
    """A person and their local time now."""

    role: Role
    name: str
    email: str
    timezone: str
    local: datetime


@dataclass
class MeetingTimes:
    """A meeting in its own time zone and in each person's."""

    start: datetime
    minutes: int
    status: str
    original: date | None
    reason: str | None
    local: dict[Role, datetime]
    odd_hours: dict[Role, str]
    channel: str
    link: str | None
    days_away: int


@dataclass
class ActionCounts:
    """A person's action items by state."""

    open: int = 0
    overdue: int = 0
    done: int = 0


@dataclass
class KpiLine:
    """One KPI of an active goal, for the status screen."""

    goal: str
    goal_id: str
    kpi: str
    kpi_id: str
    progress: KpiProgress


@dataclass
class Status:
    """Everything `mentorkit status` shows."""

    today: date
    people: list[PersonNow]
    next_meeting: MeetingTimes | None
    actions: dict[Role, ActionCounts]
    open_actions: dict[Role, list[ActionItem]]
    kpis: list[KpiLine]
    unread_resources: list[Resource]
    goals_without_kpis: list[Goal] = field(default_factory=list)
    nudges: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    feedback_day: str | None = None  # as each person sees it
    replies_awaiting: list[Awaiting] = field(default_factory=list)  # contacts needing a reply


def meeting_times(m: Mentorship, occurrence: schedule.Occurrence, today: date) -> MeetingTimes:
    local = {role: schedule.in_zone(occurrence.start, m.people.of(role).timezone) for role in ROLES}
    odd = {role: why for role in ROLES if (why := schedule.at_odd_hours(local[role]))}
    return MeetingTimes(
        start=occurrence.start,
        minutes=occurrence.minutes,
        status=occurrence.status,
        original=occurrence.original,
        reason=occurrence.reason,
        local=local,
        odd_hours=odd,
        channel=m.schedule.channel,
        link=m.schedule.link,
        days_away=(occurrence.start.date() - today).days,
    )


def upcoming_meetings(m: Mentorship, now: datetime, today: date, count: int) -> list[MeetingTimes]:
    """The next `count` meetings, with cancelled ones among them shown as such."""
    return [meeting_times(m, o, today) for o in schedule.upcoming(m.schedule, now, count)]


def overview(m: Mentorship, now: datetime, today: date) -> Status:
    people = [
        PersonNow(
            role=role,
            name=m.people.of(role).name,
            email=m.people.of(role).email,
            timezone=m.people.of(role).timezone,
            local=schedule.local_now(now, m.people.of(role).timezone),
        )
        for role in ROLES
    ]
    upcoming = schedule.next_meeting(m.schedule, now)
    counts = {role: ActionCounts() for role in ROLES}
    open_actions: dict[Role, list[ActionItem]] = {role: [] for role in ROLES}
    for action in m.actions:
        tally = counts[action.owner]
        if action.status == "open":
            tally.open += 1
            tally.overdue += is_overdue(action, today)
            open_actions[action.owner].append(action)
        elif action.status == "done":
            tally.done += 1
    for items in open_actions.values():
        items.sort(key=lambda a: (a.due is None, a.due or date.max))
    kpis = [
        KpiLine(goal.competency, goal.id, kpi.name, kpi.id, kpi_progress(kpi, today))
        for goal in m.goals
        if goal.status == "active"
        for kpi in goal.kpis
    ]
    notes = []
    term = m.agreement.term
    if term.end is not None and today > term.end:
        notes.append(f"the mentorship term ended on {term.end.isoformat()}")
    elif term.review is not None and 0 <= (term.review - today).days <= 14:
        notes.append(f"the review date is {term.review.isoformat()}")
    return Status(
        today=today,
        people=people,
        next_meeting=meeting_times(m, upcoming, today) if upcoming else None,
        actions=counts,
        open_actions=open_actions,
        kpis=kpis,
        unread_resources=[r for r in m.resources if r.status == "shared"],
        goals_without_kpis=[g for g in m.goals if g.status == "active" and not g.kpis],
        nudges=feedback_nudges(m, today),
        notes=notes,
        feedback_day=schedule.feedback_day_text(m, today),
        replies_awaiting=_awaiting(m, now),
    )


def _awaiting(m: Mentorship, now: datetime) -> list[Awaiting]:
    """Contacts waiting for a reply (the module is loaded only for a file that has any:
    start-up time)."""
    if not m.contacts:
        return []
    from mentorkit.domain.contacts import awaiting

    return awaiting(m, now)
