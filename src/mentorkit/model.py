"""The mentorship as plain typed objects.

The field order of each dataclass is the key order in the file. A field whose key in the
file differs from its Python name says so in ``metadata={"key": ...}``. Every object keeps
the keys mentorkit does not know in ``extra`` so that they survive a rewrite.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

FORMAT_VERSION = 1

Role = Literal["mentor", "mentee"]
ROLES: tuple[Role, ...] = ("mentor", "mentee")
Initiator = Literal["mentor", "mentee", "either"]
FormalChannel = Literal["video", "phone"]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
GoalStatus = Literal["active", "achieved", "dropped"]
Direction = Literal["higher", "lower"]
ActionStatus = Literal["open", "done", "dropped"]
ResourceKind = Literal[
    "template", "webinar", "article", "book", "course", "video", "podcast", "other"
]
RESOURCE_KINDS: tuple[str, ...] = (
    "template",
    "webinar",
    "article",
    "book",
    "course",
    "video",
    "podcast",
    "other",
)
ResourceStatus = Literal["shared", "done"]
FeedbackKind = Literal["feedback", "recognition"]
MeetingStatus = Literal["held", "moved", "cancelled"]
PointStatus = Literal["open", "done"]
ChangeKind = Literal["moved", "cancelled", "added"]
Number = int | float


def other(role: Role) -> Role:
    return "mentee" if role == "mentor" else "mentor"


@dataclass(kw_only=True)
class Person:
    name: str
    email: str
    timezone: str
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True)
class People:
    mentor: Person
    mentee: Person
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def of(self, role: Role) -> Person:
        return self.mentor if role == "mentor" else self.mentee


@dataclass(kw_only=True)
class Term:
    start: date
    review: date | None = None
    end: date | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True)
class Agreed:
    mentor: date | None = None
    mentee: date | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True)
class Agreement:
    mentee_wants: str | None = None
    mentor_wants: str | None = None
    initiates_contact: Initiator = "either"
    accountability: str | None = None
    formal_channel: FormalChannel = "video"
    informal_channels: list[str] = field(default_factory=list)
    response_time: str | None = None
    urgent_concerns: str | None = None
    confidentiality: str | None = None
    cancellations: str | None = None
    term: Term
    agreed: Agreed = field(default_factory=Agreed)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True)
class ScheduleChange:
    """One occurrence moved or cancelled, or a one-off session added."""

    kind: ChangeKind
    date: date | None = None
    to: datetime | None = None
    reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True)
class Schedule:
    cadence: str
    rrule: str
    first: date
    time: str
    timezone: str
    duration: int = 60
    channel: FormalChannel = "video"
    link: str | None = None
    until: date | None = None
    feedback_day: Weekday | None = "friday"
    feedback_time: str | None = None
    changes: list[ScheduleChange] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True)
class Measurement:
    date: date
    value: Number
    note: str | None = None
    by: Role | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True)
class Kpi:
    id: str
    name: str
    unit: str | None = None
    baseline: Number
    target: Number
    direction: Direction = "higher"
    due: date | None = None
    measurements: list[Measurement] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True)
class Goal:
    id: str
    competency: str
    why: str | None = None
    strategies: list[str] = field(default_factory=list)
    status: GoalStatus = "active"
    created: date
    set_by: Role | None = None
    achieved: date | None = None
    dropped: date | None = None
    drop_reason: str | None = None
    kpis: list[Kpi] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True)
class Update:
    date: date
    by: Role
    text: str
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True)
class DueMove:
    """A due date that slipped (or was pulled in): kept as part of the record."""

    was: date
    moved: date
    by: Role | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True)
class ActionItem:
    id: str
    title: str
    owner: Role
    goal: str | None = None
    created: date
    created_by: Role | None = None
    due: date | None = None
    status: ActionStatus = "open"
    completed: date | None = None
    dropped: date | None = None
    drop_reason: str | None = None
    moves: list[DueMove] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True)
class Resource:
    id: str
    title: str
    kind: ResourceKind
    url: str | None = None
    goal: str | None = None
    shared_by: Role
    shared: date
    status: ResourceStatus = "shared"
    completed: date | None = None
    notes: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True)
class Feedback:
    id: str
    date: date
    from_: Role = field(metadata={"key": "from"})
    to: Role
    kind: FeedbackKind = "feedback"
    text: str
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True)
class Meeting:
    id: str
    date: date
    status: MeetingStatus = "held"
    notes: str | None = None
    decisions: list[str] = field(default_factory=list)
    covered: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True)
class TalkingPoint:
    id: str
    text: str
    added_by: Role | None = None
    added: date
    status: PointStatus = "open"
    closed: date | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True)
class Mentorship:
    format_version: int = field(default=FORMAT_VERSION, metadata={"key": "format"})
    people: People
    agreement: Agreement
    schedule: Schedule
    goals: list[Goal] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    agenda: list[TalkingPoint] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def kpis(self) -> list[tuple[Goal, Kpi]]:
        return [(goal, kpi) for goal in self.goals for kpi in goal.kpis]

    def all_ids(self) -> set[str]:
        ids: set[str] = set()
        for collection in (self.goals, self.actions, self.resources, self.feedback):
            ids.update(item.id for item in collection)
        ids.update(item.id for item in self.meetings)
        ids.update(item.id for item in self.agenda)
        ids.update(kpi.id for _, kpi in self.kpis())
        return ids
