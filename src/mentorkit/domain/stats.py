"""Accountability in figures, for each person."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from mentorkit.domain import median, schedule
from mentorkit.domain.actions import is_overdue
from mentorkit.domain.contacts import between_meetings, overdue
from mentorkit.file.model import ROLES, ActionItem, Mentorship, Role, other
from mentorkit.timezones import zone


@dataclass
class PersonStats:
    """One person's record. On time is measured against the first agreed due date; the
    due dates a person moved count for the one who moved them, later and earlier apart."""

    role: str
    completed: int = 0
    on_time: int = 0
    on_time_rate: float | None = None
    median_days_late: float | None = None
    completed_after_moves: int = 0  # completed items whose due date had been moved
    moves_before_completion: int = 0  # how many times, all told
    due_dates_moved: int = 0
    moved_later: int = 0
    moved_earlier: int = 0
    open: int = 0
    overdue_now: int = 0
    dropped: int = 0
    feedback_given: dict[str, dict[str, int]] = field(default_factory=dict)  # month -> kind -> n
    feedback_received: dict[str, dict[str, int]] = field(default_factory=dict)
    contacts_sent: int = 0  # contacts between meetings they sent
    replied: int = 0  # contacts to them that they answered
    replied_within_agreed: int = 0  # of those, within the agreed response time
    median_reply_hours: float | None = None  # from sending to their reply, on the clock
    replies_overdue_now: int = 0


@dataclass
class Stats:
    """Both people's records and the meetings."""

    people: dict[Role, PersonStats]
    meetings_held: int  # days of scheduled meetings logged as held
    meetings_scheduled: int
    meetings_extra: int = 0  # days logged as held that the schedule did not have

    @property
    def meetings(self) -> str:
        """ "8 of 8 scheduled, plus 1 extra": the meetings held, in words."""
        extra = f", plus {self.meetings_extra} extra" if self.meetings_extra else ""
        return f"{self.meetings_held} of {self.meetings_scheduled} scheduled{extra}"


@dataclass(frozen=True)
class DueChange:
    """A due date changed, as the history tells it: by a command or by hand."""

    was: date
    now: date
    by: Role | None
    on: date


Told = Mapping[str, Sequence[DueChange]]  # action id -> its due date's changes, oldest first


def _recorded(action: ActionItem) -> list[DueChange]:
    dues = [mv.was for mv in action.moves] + [action.due]
    return [
        DueChange(mv.was, after or mv.was, mv.by or action.owner, mv.moved)
        for mv, after in zip(action.moves, dues[1:], strict=True)
    ]


def due_changes(action: ActionItem, told: Told | None = None) -> list[DueChange]:
    """Every move of the action's due date. With the history (`told`), the history's moves
    are the moves (a due date changed by hand counts as a move by whoever committed it);
    a `moves` record counts only when the history tells no move from its date (a move
    made before the file's history began)."""
    recorded = _recorded(action)
    if told is None:
        return recorded
    history = list(told.get(action.id, ()))
    seen = {c.was for c in history}
    return [c for c in recorded if c.was not in seen] + history


def first_due(action: ActionItem, told: Told | None = None) -> date | None:
    """The due date first agreed, before any move."""
    changes = due_changes(action, told)
    return changes[0].was if changes else action.due


def moves_of(action: ActionItem, told: Told | None = None) -> list[tuple[Role, date, int]]:
    """Each move of the due date: (who moved it, when, +1 later / -1 earlier / 0)."""
    return [
        (c.by or action.owner, c.on, (c.now > c.was) - (c.now < c.was))
        for c in due_changes(action, told)
    ]


def compute(
    m: Mentorship,
    now: datetime,
    today: date,
    since: date | None = None,
    until: date | None = None,
    told: Told | None = None,
) -> Stats:
    """`now` is the moment up to which meetings count as due (with a pinned day, the end
    of that day in the meeting's zone). `told`: the due dates' changes from the history
    (hand edits included); without it, the file's `moves` records."""
    start = since or m.agreement.term.start
    end = min(until or today, today)

    def inside(day: date | None) -> bool:
        return day is not None and start <= day <= end

    people = {role: PersonStats(role=role) for role in ROLES}
    for role in ROLES:
        mine = [a for a in m.actions if a.owner == role]
        person = people[role]
        done = [a for a in mine if a.status == "done" and inside(a.completed)]
        person.completed = len(done)
        with_due = [
            (a.completed, agreed) for a in done if (agreed := first_due(a, told)) and a.completed
        ]
        lateness = [(completed - agreed).days for completed, agreed in with_due]
        person.on_time = sum(1 for days in lateness if days <= 0)
        person.on_time_rate = person.on_time / len(with_due) if with_due else None
        late = [days for days in lateness if days > 0]
        person.median_days_late = median(late) if late else None
        person.completed_after_moves = sum(1 for a in done if due_changes(a, told))
        person.moves_before_completion = sum(len(due_changes(a, told)) for a in done)
        person.open = sum(1 for a in mine if a.status == "open")
        person.overdue_now = sum(1 for a in mine if is_overdue(a, today))
        person.dropped = sum(1 for a in mine if a.status == "dropped" and inside(a.dropped))
    for action in m.actions:
        for mover, moved, way in moves_of(action, told):
            if mover in people and inside(moved):
                person = people[mover]
                person.due_dates_moved += 1
                person.moved_later += way > 0
                person.moved_earlier += way < 0
    for f in m.feedback:
        if not inside(f.date):
            continue
        month = f.date.strftime("%Y-%m")
        given = people[f.from_].feedback_given.setdefault(month, {"feedback": 0, "recognition": 0})
        given[f.kind] += 1
        received = people[f.to].feedback_received.setdefault(
            month, {"feedback": 0, "recognition": 0}
        )
        received[f.kind] += 1
    between = between_meetings(m, now, start, end)
    for role, times in between.replies.items():
        person = people[role]
        person.contacts_sent = between.by_direction.get(f"{role}→{other(role)}", 0)
        person.replied, person.replied_within_agreed = times.replied, times.within_agreed
        person.median_reply_hours = times.median_hours
        person.replies_overdue_now = sum(1 for a in overdue(m, now) if a.contact.to == role)
    held = {x.date for x in m.meetings if x.status == "held" and inside(x.date)}
    tz = zone(m.schedule.timezone)
    first, last = (datetime.combine(start, datetime.min.time(), tz),
                   datetime.combine(end, datetime.max.time(), tz))  # fmt: skip
    due = [o for o in schedule.occurrences(m.schedule, first, last) if o.held]
    # scheduled: the meetings due by now, and any later one of the window already held
    days = {o.start.date() for o in due}
    scheduled = sum(1 for o in due if o.start <= now or o.start.date() in held)
    return Stats(
        people=people,
        meetings_held=len(held & days),
        meetings_scheduled=scheduled,
        meetings_extra=len(held - days),
    )
