"""The mentorship as plain typed objects.

The field order of each dataclass is the key order in the file. A field whose key in the
file differs from its Python name says so in ``metadata={"key": ...}``. Every object keeps
the keys mentorkit does not know in ``extra`` so that they survive a rewrite.
"""

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any, Literal, TypeVar

FORMAT_VERSION = 2

Role = Literal["mentor", "mentee"]
ROLES: tuple[Role, ...] = ("mentor", "mentee")
Initiator = Literal["mentor", "mentee", "either"]
FormalChannel = Literal["video", "phone"]
FORMAL_CHANNELS: tuple[FormalChannel, ...] = ("video", "phone")
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
DIRECTIONS: tuple[Direction, ...] = ("higher", "lower")
ActionStatus = Literal["open", "done", "dropped"]
ResourceKind = Literal[
    "template", "webinar", "article", "book", "course", "video", "podcast", "other"
]
RESOURCE_KINDS: tuple[ResourceKind, ...] = (
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
FEEDBACK_KINDS: tuple[FeedbackKind, ...] = ("feedback", "recognition")
MeetingStatus = Literal["held", "moved", "cancelled"]
MEETING_STATUSES: tuple[MeetingStatus, ...] = ("held", "moved", "cancelled")
PointStatus = Literal["open", "done"]
ContactChannel = Literal["voice message", "video message", "chat", "email", "call"]
TITLE_LIMIT = 300  # characters in a title or topic, which is shown on one line

CONTACT_CHANNELS: tuple[ContactChannel, ...] = (
    "voice message",
    "video message",
    "chat",
    "email",
    "call",
)
ReplyState = Literal["needed", "not needed", "answered"]
# What a pair may keep out of a program's view (`program: withhold: [...]` in its file).
SharedSet = Literal["names", "agreement", "meetings", "actions", "feedback", "kpis", "contacts"]
SHARED_SETS: tuple[SharedSet, ...] = (
    "names",
    "agreement",
    "meetings",
    "actions",
    "feedback",
    "kpis",
    "contacts",
)
ChangeKind = Literal["moved", "cancelled", "added"]
Number = int | float

Word = TypeVar("Word", bound=str)


def one_of(value: str | None, words: tuple[Word, ...]) -> Word | None:
    """`value` as the one of `words` it is (typed as that word), or None."""
    return next((word for word in words if word == value), None)


class Record:
    """Equality and repr for the model's dataclasses, written once instead of generated
    per class: the generated methods cost start-up time on every run."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items() if k != "extra")
        return f"{type(self).__name__}({fields})"

    __hash__ = None  # type: ignore[assignment]  # unhashable: records change, and compare by value


def other(role: Role) -> Role:
    return "mentee" if role == "mentor" else "mentor"


@dataclass(kw_only=True, eq=False, repr=False)
class Person(Record):
    """One of the two people: name, email and IANA time zone."""

    name: str
    email: str
    timezone: str
    # availability between meetings: how to reach them for an urgent concern (a phone
    # number or a channel), and their working hours and days (default 09:00-18:00,
    # Monday to Friday), in which reply times are counted
    urgent_contact: str | None = None
    working_hours: str | None = None
    working_days: list[Weekday] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True, eq=False, repr=False)
class People(Record):
    """The mentor and the mentee."""

    mentor: Person
    mentee: Person
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def of(self, role: Role) -> Person:
        return self.mentor if role == "mentor" else self.mentee

    def names(self) -> dict[Role, str]:
        return {"mentor": self.mentor.name, "mentee": self.mentee.name}


@dataclass(kw_only=True, eq=False, repr=False)
class Term(Record):
    """When the mentorship starts, is reviewed and ends."""

    start: dt.date
    review: dt.date | None = None
    end: dt.date | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True, eq=False, repr=False)
class Agreed(Record):
    """The date each person agreed to the ground rules, and a fingerprint of the rules they
    agreed to: once the rules change (by command, hand edit or merge), an agreement to
    other rules no longer counts."""

    mentor: dt.date | None = None
    mentee: dt.date | None = None
    mentor_rules: str | None = None
    mentee_rules: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True, eq=False, repr=False)
class Agreement(Record):
    """The ground rules agreed at the start."""

    mentee_wants: str | None = None
    mentor_wants: str | None = None
    initiates_contact: Initiator = "either"
    accountability: str | None = None
    formal_channel: FormalChannel = "video"
    informal_channels: list[str] = field(default_factory=list)
    response_time: str | None = None  # "2 working days", "24 hours" (domain/workingtime)
    urgent_concerns: str | None = None
    urgent_response_time: str | None = None  # the same for a contact marked urgent
    confidentiality: str | None = None
    cancellations: str | None = None
    term: Term
    agreed: Agreed = field(default_factory=Agreed)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True, eq=False, repr=False)
class ScheduleChange(Record):
    """One occurrence moved or cancelled, or a one-off session added."""

    kind: ChangeKind
    date: dt.date | None = None
    to: dt.datetime | None = None
    reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True, eq=False, repr=False)
class SeriesPart(Record):
    """An earlier stretch of the series, kept as it was held when the rhythm changed."""

    cadence: str
    rrule: str
    first: dt.date
    until: dt.date
    time: str
    timezone: str
    duration: int = 60
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True, eq=False, repr=False)
class Schedule(Record):
    """The formal meeting rhythm and the weekly feedback day."""

    cadence: str
    rrule: str
    first: dt.date
    time: str
    timezone: str
    duration: int = 60
    channel: FormalChannel = "video"
    link: str | None = None
    until: dt.date | None = None
    feedback_day: Weekday | None = "friday"
    feedback_time: str | None = None
    changes: list[ScheduleChange] = field(default_factory=list)
    earlier: list[SeriesPart] = field(default_factory=list)
    revision: int | None = None  # counts changes, for SEQUENCE in the calendar export
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True, eq=False, repr=False)
class Measurement(Record):
    """One dated value of a KPI."""

    date: dt.date
    value: Number
    note: str | None = None
    by: Role | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True, eq=False, repr=False)
class Kpi(Record):
    """A measurable indicator of a goal, from baseline to target."""

    id: str
    name: str
    unit: str | None = None
    baseline: Number
    target: Number
    direction: Direction = "higher"
    due: dt.date | None = None
    measurements: list[Measurement] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True, eq=False, repr=False)
class Goal(Record):
    """A core competency the mentee works on, with KPIs and strategies."""

    id: str
    competency: str
    why: str | None = None
    strategies: list[str] = field(default_factory=list)
    status: GoalStatus = "active"
    created: dt.date
    set_by: Role | None = None
    achieved: dt.date | None = None
    dropped: dt.date | None = None
    drop_reason: str | None = None
    kpis: list[Kpi] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True, eq=False, repr=False)
class Update(Record):
    """A dated follow-up note on an action item."""

    date: dt.date
    by: Role
    text: str
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True, eq=False, repr=False)
class DueMove(Record):
    """A due date that slipped (or was pulled in): kept as part of the record."""

    was: dt.date
    moved: dt.date
    by: Role | None = None
    reason: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True, eq=False, repr=False)
class ActionItem(Record):
    """A commitment by one of the two people, with a due date."""

    id: str
    title: str
    owner: Role
    goal: str | None = None
    created: dt.date
    created_by: Role | None = None
    due: dt.date | None = None
    status: ActionStatus = "open"
    completed: dt.date | None = None
    dropped: dt.date | None = None
    drop_reason: str | None = None
    moves: list[DueMove] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    # counts the changes a calendar shows, for the to-do's SEQUENCE (COLLECTIONS below)
    revision: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True, eq=False, repr=False)
class Resource(Record):
    """Something shared with the mentee: a template, webinar, article..."""

    id: str
    title: str
    kind: ResourceKind
    url: str | None = None
    goal: str | None = None
    shared_by: Role
    shared: dt.date
    status: ResourceStatus = "shared"
    completed: dt.date | None = None
    notes: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True, eq=False, repr=False)
class Feedback(Record):
    """Feedback or recognition from one person to the other."""

    id: str
    date: dt.date
    from_: Role = field(metadata={"key": "from"})
    to: Role
    kind: FeedbackKind = "feedback"
    text: str
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True, eq=False, repr=False)
class Meeting(Record):
    """A meeting in the log: held, moved or cancelled; and when its follow-up was sent by
    email (`followup --send`), by whom."""

    id: str
    date: dt.date
    status: MeetingStatus = "held"
    notes: str | None = None
    decisions: list[str] = field(default_factory=list)
    covered: list[str] = field(default_factory=list)
    followup_sent: dt.datetime | None = None
    followup_by: Role | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True, eq=False, repr=False)
class TalkingPoint(Record):
    """A point to talk about at the next meeting."""

    id: str
    text: str
    added_by: Role | None = None
    added: dt.date
    status: PointStatus = "open"
    closed: dt.date | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True, eq=False, repr=False)
class Contact(Record):
    """An informal contact between meetings: a voice or video message, a chat, an email or a
    call, from one person to the other, with its topic, a link to the message (kept, never
    fetched), and whether it needs a reply and when that came."""

    id: str
    sent: dt.datetime  # with the sender's offset
    from_: Role = field(metadata={"key": "from"})
    to: Role
    channel: ContactChannel
    topic: str
    link: str | None = None
    urgent: bool = False
    reply: ReplyState = "not needed"
    replied: dt.datetime | None = None  # when the answer came
    reply_to: str | None = None  # the contact this one answers
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True, eq=False, repr=False)
class ProgramSharing(Record):
    """What this pair lets a mentoring program's view count: every figure set but those
    it withholds. The view never reads text (notes, feedback, titles, KPI values)."""

    withhold: list[SharedSet] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(kw_only=True, eq=False, repr=False)
class Mentorship(Record):
    """The whole mentorship: one file."""

    format_version: int = field(default=FORMAT_VERSION, metadata={"key": "format"})
    id: str | None = None  # created once by init; calendar UIDs are built on it
    people: People
    agreement: Agreement
    schedule: Schedule
    program: ProgramSharing | None = None  # what a mentoring program's view may count
    goals: list[Goal] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    agenda: list[TalkingPoint] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def kpis(self) -> list[tuple[Goal, Kpi]]:
        return [(goal, kpi) for goal in self.goals for kpi in goal.kpis]

    def items(self, collection: "Collection") -> list[Any]:
        """The records of one collection (`m.items(c)` is `m.actions` for the actions)."""
        found: list[Any] = getattr(self, collection.name)
        return found

    def all_ids(self) -> set[str]:
        """Every ID in use, in every collection and inside their items (a goal's KPIs)."""
        ids: set[str] = set()
        for collection in COLLECTIONS:
            for item in self.items(collection):
                ids.add(item.id)
                for inner in collection.inner:
                    ids.update(part.id for part in getattr(item, inner))
        return ids


@dataclass(frozen=True)
class Collection:
    """One list of records at the top of the file. What walks every record (IDs, checks,
    writing, merging, history) reads this declaration instead of naming the lists."""

    name: str  # the key in the file, and the field of Mentorship
    item: type[Any]  # the record's dataclass
    noun: str  # what one record is called before its ID: `action a5ce`, `talking point p8ym`
    dated_by: str  # the field that dates a record; merges order new records by it
    written_when_empty: bool = False  # `name: []` is written when there are none
    inner: tuple[str, ...] = ()  # lists inside each record whose entries have IDs too
    # The fields a calendar shows of a record: a change to any of them raises the record's
    # `revision`, the SEQUENCE calendars go by (domain/actions.revise; merges keep the
    # higher count, git/merging._revise).
    shown_in_calendar: tuple[str, ...] = ()

    def refers_to_goal(self) -> bool:
        """Whether a record of this collection may serve a goal (its `goal` field)."""
        return any(f.name == "goal" for f in fields(self.item))


# The order of the lists in the file. The first six are written even when empty (format 2
# always has); a collection added later is written only once it has records, so adding a
# record type changes no existing file.
COLLECTIONS: tuple[Collection, ...] = (
    Collection("goals", Goal, "goal", "created", written_when_empty=True, inner=("kpis",)),
    Collection(
        "actions",
        ActionItem,
        "action",
        "created",
        written_when_empty=True,
        shown_in_calendar=("title", "owner", "due", "status", "completed", "dropped"),
    ),
    Collection("resources", Resource, "resource", "shared", written_when_empty=True),
    Collection("feedback", Feedback, "feedback", "date", written_when_empty=True),
    Collection("meetings", Meeting, "meeting log", "date", written_when_empty=True),
    Collection("agenda", TalkingPoint, "talking point", "added", written_when_empty=True),
    Collection("contacts", Contact, "contact", "sent"),
)
