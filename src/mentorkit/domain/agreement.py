"""The ground rules: starting a mentorship, renegotiating a rule, and spotting gaps."""

from __future__ import annotations

import dataclasses
import re
import typing
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, get_args, get_origin

from mentorkit.domain.cadence import anchored, monthly_cadence_for, parse_cadence
from mentorkit.errors import UsageProblem
from mentorkit.file.model import (
    Agreed,
    Agreement,
    Mentorship,
    People,
    Person,
    Role,
    Schedule,
    Term,
    Weekday,
)
from mentorkit.timezones import zone

DEFAULT_CHANNELS = ("voice message", "video message", "chat")
DEFAULTS: dict[str, str] = {
    "mentee_wants": "Skills development and insights into the profession.",
    "initiates_contact": "mentee",
    "accountability": (
        "Each of us updates our own action items before every meeting; we start each "
        "meeting by reviewing what is open and what slipped."
    ),
    "formal_channel": "video",
    "response_time": "within 2 working days",
    "urgent_concerns": "For an urgent concern, message any time and expect a call the same day.",
    "urgent_response_time": "12 hours",  # what "the same day" is counted as
    "confidentiality": "What we discuss stays between us unless we both agree otherwise.",
    "cancellations": "Cancel at least 24 hours ahead and propose a new time in the same message.",
}

# Why each default is what it is: shown next to the question in `mentorkit init`.
WHY = {
    "cadence": "formal sessions monthly or quarterly; weekly tends to feel forced",
    "initiates_contact": "the mentee usually drives: they know what they need next",
    "feedback_day": "the end of the work week, while the week is still fresh",
    "formal_channel": "video for formal meetings; phone when bandwidth is poor",
    "informal_channels": "short voice or video messages keep contact alive between meetings",
}


@dataclass
class PersonAnswers:
    """A person as init asks for them."""

    name: str
    email: str
    timezone: str


@dataclass
class InitAnswers:
    """Everything `mentorkit init` asks, as plain values."""

    mentor: PersonAnswers
    mentee: PersonAnswers
    start: date
    mentee_wants: str | None = DEFAULTS["mentee_wants"]
    mentor_wants: str | None = None
    initiates_contact: str = "mentee"
    accountability: str | None = DEFAULTS["accountability"]
    formal_channel: str = "video"
    informal_channels: list[str] = dataclasses.field(default_factory=lambda: list(DEFAULT_CHANNELS))
    response_time: str | None = DEFAULTS["response_time"]
    urgent_concerns: str | None = DEFAULTS["urgent_concerns"]
    urgent_response_time: str | None = DEFAULTS["urgent_response_time"]
    confidentiality: str | None = DEFAULTS["confidentiality"]
    cancellations: str | None = DEFAULTS["cancellations"]
    review: date | None = None
    end: date | None = None
    cadence: str | None = None
    first_meeting: date | None = None
    time: str = "16:00"
    timezone: str | None = None
    duration: int = 60
    link: str | None = None
    feedback_day: str = "friday"
    agreed_by: Role | None = None


def default_first_meeting(start: date) -> date:
    """A week after the start, moved off the weekend."""
    first = start + timedelta(days=7)
    while first.weekday() >= 5:
        first += timedelta(days=1)
    return first


def fitting_first_meeting(cadence: str | None, start: date) -> date:
    """The default first meeting: a week after the start, off the weekend, on or after
    which the first day the cadence gives (any day, for plain 'monthly')."""
    from mentorkit.domain.schedule import first_meeting_of

    first = default_first_meeting(start)
    if cadence in (None, "", "monthly"):
        return first
    try:
        return first_meeting_of(anchored(parse_cadence(cadence), first), first) or first
    except UsageProblem:
        return first


def check_first_meeting(cadence: str | None, text: str) -> None:
    """An interview answer for the first meeting: a date that is a meeting of the cadence."""
    from mentorkit.domain.schedule import require_fit

    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UsageProblem(f"{text!r} is not a date like 2026-03-05") from None
    if cadence not in (None, "", "monthly"):
        require_fit(anchored(parse_cadence(cadence), day), cadence, day)


def new_mentorship(answers: InitAnswers) -> Mentorship:
    """Build a new mentorship from the init answers, checking each one."""
    for who in (answers.mentor, answers.mentee):
        zone(who.timezone)
        if "@" not in who.email:
            raise UsageProblem(f"{who.email!r} is not an email address")
        if not who.name.strip():
            raise UsageProblem("every person needs a name")
    start = answers.start
    review = answers.review or start + timedelta(days=182)
    end = answers.end or start + timedelta(days=365)
    if review < start or end < start:
        raise UsageProblem("the review and end dates must come after the start")
    if review > end:
        raise UsageProblem(f"the review date {review} is after the end of the term, {end}")
    if answers.mentor.email.strip().lower() == answers.mentee.email.strip().lower():
        raise UsageProblem("the mentor and the mentee need different email addresses")
    first = answers.first_meeting or fitting_first_meeting(answers.cadence, start)
    if answers.cadence in (None, "", "monthly"):
        cadence, rule = monthly_cadence_for(first)
    else:
        cadence, rule = answers.cadence, anchored(parse_cadence(answers.cadence), first)
    from mentorkit.domain.schedule import require_fit

    require_fit(rule, cadence, first)
    agreed = Agreed()
    agreement = Agreement(
        mentee_wants=answers.mentee_wants or None,
        mentor_wants=answers.mentor_wants or None,
        initiates_contact=_choice(Agreement, "initiates_contact", answers.initiates_contact),
        accountability=answers.accountability or None,
        formal_channel=_choice(Agreement, "formal_channel", answers.formal_channel),
        informal_channels=[c for c in answers.informal_channels if c],
        response_time=answers.response_time or None,
        urgent_concerns=answers.urgent_concerns or None,
        urgent_response_time=answers.urgent_response_time or None,
        confidentiality=answers.confidentiality or None,
        cancellations=answers.cancellations or None,
        term=Term(start=start, review=review, end=end),
        agreed=agreed,
    )
    timezone = answers.timezone or answers.mentor.timezone
    zone(timezone)
    schedule = Schedule(
        cadence=cadence,
        rrule=rule,
        first=first,
        time=clock_text(answers.time),
        timezone=timezone,
        duration=answers.duration,
        channel=agreement.formal_channel,
        link=answers.link or None,
        until=end,
        feedback_day=weekday_named(answers.feedback_day),
    )
    people = People(
        mentor=Person(**dataclasses.asdict(answers.mentor)),
        mentee=Person(**dataclasses.asdict(answers.mentee)),
    )
    from mentorkit.domain.schedule import require_real_times

    require_real_times(schedule)
    import secrets

    mentorship = Mentorship(
        id=secrets.token_hex(8), people=people, agreement=agreement, schedule=schedule
    )
    if answers.agreed_by is not None:
        agree(mentorship, answers.agreed_by, start)
    return mentorship


def clock_text(text: str) -> str:
    """'16:00', '4pm', '9:30am' -> 'HH:MM'."""
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", text.strip().lower())
    if match:
        hours, minutes = int(match.group(1)), int(match.group(2) or 0)
        if match.group(3) == "pm" and hours < 12:
            hours += 12
        if match.group(3) == "am" and hours == 12:
            hours = 0
        if hours < 24 and minutes < 60:
            return f"{hours:02d}:{minutes:02d}"
    raise UsageProblem(f"cannot read the time {text!r}; write it like 16:00 or 4pm")


def weekday_named(text: str) -> Weekday:
    """'friday' or 'fri' -> 'friday'; anything else is an error."""
    from mentorkit.file.model import WEEKDAYS

    name = text.strip().lower()
    for day in WEEKDAYS:
        if name in (day, day[:3]):
            return day
    raise UsageProblem(f"{text!r} is not a day of the week")


def _choice(cls: type, name: str, value: str) -> typing.Any:
    allowed = get_args(typing.get_type_hints(cls)[name])
    if value not in allowed:
        raise UsageProblem(
            f"{name.replace('_', ' ')} is one of {', '.join(allowed)}, not {value!r}"
        )
    return value


# --------------------------------------------------------------------------- rules set

RULE_NAMES = [
    "mentee_wants",
    "mentor_wants",
    "initiates_contact",
    "accountability",
    "formal_channel",
    "informal_channels",
    "response_time",
    "urgent_concerns",
    "urgent_response_time",
    "confidentiality",
    "cancellations",
    "start",
    "review",
    "end",
]


def set_rule(m: Mentorship, name: str, value: str, by: Role | None, today: date) -> str:
    """Renegotiate one rule. The other person's agreement is reset: they agree again with
    `mentorkit rules agree`. Returns a sentence for the record."""
    key = name.strip().lower().replace("-", "_").removeprefix("term.")
    if key not in RULE_NAMES:
        raise UsageProblem(
            f"there is no rule called {name!r}; the rules are: {', '.join(RULE_NAMES)}"
        )
    target: object = m.agreement.term if key in ("start", "review", "end") else m.agreement
    hint = typing.get_type_hints(type(target))[key]
    new = _convert(key, hint, value)
    old = getattr(target, key)
    if key in ("review", "end") and new is not None and new < m.agreement.term.start:
        raise UsageProblem(f"the {key} date must come after the start, {m.agreement.term.start}")
    term = m.agreement.term
    review, end = (new, term.end) if key == "review" else (term.review, new)
    if key in ("review", "end") and review and end and review > end:
        raise UsageProblem(f"the review date {review} would be after the end of the term, {end}")
    if key == "start" and old != new and m.id is None:
        m.id = mentorship_key(m)  # calendars keep the UIDs they hold, now on a stable ID
    setattr(target, key, new)
    if old != new and by is not None:
        agree(m, by, today)
        other_role: Role = "mentee" if by == "mentor" else "mentor"
        setattr(m.agreement.agreed, other_role, None)
        setattr(m.agreement.agreed, f"{other_role}_rules", None)
    who = f"{by} " if by else ""
    if old == new:
        return f"the rule {key.replace('_', ' ')} is already {value.strip()!r}; nothing changed"
    return f"{who}changed the rule {key.replace('_', ' ')}"


def _convert(key: str, hint: typing.Any, value: str) -> typing.Any:
    args = [a for a in get_args(hint) if a is not type(None)] or [hint]
    inner = args[0] if get_origin(hint) is not Literal else hint
    if value.strip() == "" and type(None) in get_args(hint):
        return None
    if inner is date:
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise UsageProblem(f"{key}: {value!r} is not a date like 2026-06-30") from None
    if get_origin(inner) is Literal:
        if value not in get_args(inner):
            raise UsageProblem(f"{key} is one of {', '.join(get_args(inner))}, not {value!r}")
        return value
    if get_origin(inner) is list:
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def agree(m: Mentorship, by: Role, today: date) -> str:
    """Record that `by` agrees to the rules as they stand now."""
    from mentorkit.file.fileformat import rules_fingerprint, to_raw

    setattr(m.agreement.agreed, by, today)
    setattr(m.agreement.agreed, f"{by}_rules", rules_fingerprint(to_raw(m.agreement)))
    return f"{by} agreed to the ground rules"


def agreed_on(m: Mentorship, role: Role) -> date | None:
    """When `role` agreed to the rules as they stand now; None if they agreed to other
    rules (changed since by a command, a hand edit or a merge) or never."""
    from mentorkit.file.fileformat import rules_fingerprint, to_raw

    agreed = m.agreement.agreed
    when, rules = (
        (agreed.mentor, agreed.mentor_rules)
        if role == "mentor"
        else (agreed.mentee, agreed.mentee_rules)
    )
    if when is None or rules != rules_fingerprint(to_raw(m.agreement)):
        return None
    return when


def gaps(m: Mentorship) -> list[str]:
    """Where the agreement leaves something important unsaid."""
    a = m.agreement
    found = []
    if not a.confidentiality:
        found.append("the agreement has no confidentiality rule")
    if not a.urgent_concerns:
        found.append("the agreement does not say how to reach each other with an urgent concern")
    if a.term.review is None:
        found.append("the agreement has no review date")
    elif a.term.end is not None and a.term.review > a.term.end:
        found.append(f"the review date {a.term.review} is after the end of the term, {a.term.end}")
    if m.people.mentor.email.strip().lower() == m.people.mentee.email.strip().lower():
        found.append(
            f"the mentor and the mentee have the same email, {m.people.mentor.email}; "
            "mentorkit cannot tell from git which of you is running it"
        )
    from mentorkit.domain.workingtime import response_time_problem

    for name in ("response_time", "urgent_response_time"):
        problem = response_time_problem(name, getattr(a, name))
        if problem:
            found.append(problem)
    if a.urgent_concerns and not a.urgent_response_time:
        found.append(
            "the agreement has no urgent_response_time, so urgent contacts are counted like "
            "ordinary ones; agree one with `mentorkit rules set urgent_response_time "
            "'12 hours'`"
        )
    if not a.mentee_wants:
        found.append("the agreement does not say what the mentee wants from the mentorship")
    for role in ("mentor", "mentee"):
        if agreed_on(m, role) is None:
            found.append(
                f"the {role} has not agreed to the current rules (`mentorkit rules agree`)"
            )
    return found


def mentorship_key(m: Mentorship) -> str:
    """Stable across exports and edits: the mentorship's ID, created once by init. A file
    from before IDs keeps the key its calendars already hold: the two people's emails and
    the start of the term."""
    if m.id:
        return m.id
    seed = (
        f"{m.people.mentor.email.lower()}|{m.people.mentee.email.lower()}|{m.agreement.term.start}"
    )
    import hashlib

    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16]
