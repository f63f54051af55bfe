"""Contacts between meetings: voice and video messages, chats, emails and calls, whether
they need a reply, when the reply is due in the recipient's working time, and how quickly
each person replies."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from mentorkit.domain import ids
from mentorkit.domain.wording import one_line, plural, quoted
from mentorkit.domain.workingtime import (
    DEFAULT_RESPONSE,
    ResponseTime,
    WorkingWeek,
    parse_response_time,
    week_of,
)
from mentorkit.errors import UsageProblem
from mentorkit.file.model import (
    CONTACT_CHANNELS,
    ROLES,
    Contact,
    ContactChannel,
    Mentorship,
    Role,
    one_of,
    other,
)


def find_contact(m: Mentorship, prefix: str) -> Contact:
    return ids.find(m.contacts, prefix, "contact")


def channel_named(text: str) -> ContactChannel:
    """'voice', 'voice message', 'video', 'chat', 'email', 'call' -> the channel."""
    typed = " ".join(text.strip().lower().replace("-", " ").replace("_", " ").split())
    short = {"voice": "voice message", "video": "video message", "phone": "call", "mail": "email"}
    found = one_of(short.get(typed, typed), CONTACT_CHANNELS)
    if found is None:
        raise UsageProblem(f"the channel is one of {', '.join(CONTACT_CHANNELS)}, not {text!r}")
    return found


# --------------------------------------------------------------------------- sentences
# The narrator tells a contact from the file's data in these words, so that a command's
# sentence and `history` read the same.


def label(contact: Mapping[str, Any]) -> str:
    """'voice message c4tk "Deposition questions"'."""
    return f"{contact.get('channel')} {contact.get('id')} {quoted(contact.get('topic'))}"


def logged_text(contact: Mapping[str, Any]) -> str:
    """'logged voice message c4tk "…" from the mentee to the mentor, urgent, needing a reply'."""
    parts = [f"logged {label(contact)} from the {contact.get('from')} to the {contact.get('to')}"]
    if contact.get("urgent") is True:
        parts.append("urgent")
    if contact.get("reply") == "needed":
        parts.append("needing a reply")
    if contact.get("reply_to"):
        parts.append(f"answering {contact.get('reply_to')}")
    return ", ".join(parts)


def answered_text(contact: Mapping[str, Any]) -> str:
    """'recorded the mentor's reply to voice message c4tk "…"'."""
    return f"recorded the {contact.get('to')}'s reply to {label(contact)}"


def when_text(m: Mentorship, role: Role, at: datetime) -> str:
    """'Fri 27 Nov 2026, 17:00 CST': a moment in `role`'s time zone, in words."""
    from mentorkit.timezones import zone

    local = at.astimezone(zone(m.people.of(role).timezone))
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname()}"


def _not_before(m: Mentorship, contact: Contact, moment: datetime, what: str) -> None:
    """An answer comes after the contact it answers."""
    if moment < contact.sent:
        raise UsageProblem(
            f"{what} ({when_text(m, contact.to, moment)}) cannot come before contact "
            f"{contact.id} was sent ({when_text(m, contact.to, contact.sent)})"
        )


def _not_answered(m: Mentorship, contact: Contact) -> None:
    if contact.reply == "answered":
        on = f" on {when_text(m, contact.to, contact.replied)}" if contact.replied else ""
        raise UsageProblem(f"contact {contact.id} was already answered{on}")


def _raw(contact: Contact) -> dict[str, Any]:
    from mentorkit.file.fileformat import to_raw

    return to_raw(contact)


# --------------------------------------------------------------------------- changes


def log_contact(
    m: Mentorship,
    topic: str,
    *,
    sender: Role,
    channel: str,
    sent: datetime,
    by: Role | None,
    link: str | None = None,
    needs_reply: bool = False,
    urgent: bool = False,
    reply_to: str | None = None,
    rng: random.Random | None = None,
) -> tuple[Contact, str]:
    """Record a contact from `sender` to the other person. An urgent one needs a reply.
    `reply_to` names the contact this one answers, which is then answered at `sent`."""
    from mentorkit.file.fileformat import date_problem, link_problem

    if sender not in ROLES:
        raise UsageProblem(f"a contact is from the mentor or the mentee, not {sender!r}")
    if not topic.strip():
        raise UsageProblem("a contact needs a topic: one line on what it was about")
    if sent.tzinfo is None:
        raise UsageProblem("the time a contact was sent needs its time zone")
    problem = date_problem(sent.date())
    if problem:
        raise UsageProblem(problem)
    if link is not None:
        link = link.strip() or None
    problem = link_problem(link) if link else None
    if problem:
        raise UsageProblem(f"--link: {problem}")
    answered = None
    if reply_to is not None:
        answered = find_contact(m, reply_to)
        if answered.to != sender:
            raise UsageProblem(
                f"contact {answered.id} went to the {answered.to}; the answer to it comes "
                f"from the {answered.to}, not the {sender}"
            )
        _not_answered(m, answered)
        _not_before(m, answered, sent, "the answer")
    contact = Contact(
        id=ids.new_id(m.all_ids(), rng),
        sent=sent,
        from_=sender,
        to=other(sender),
        channel=channel_named(channel),
        topic=one_line(topic, "the topic"),
        link=link,
        urgent=urgent,
        reply="needed" if needs_reply or urgent else "not needed",
        reply_to=answered.id if answered else None,
    )
    m.contacts.append(contact)
    if answered is not None and answered.reply == "needed":  # else a conversation goes on
        answered.reply, answered.replied = "answered", sent
    return contact, f"{by or 'someone'} {logged_text(_raw(contact))}"


def record_reply(
    m: Mentorship, prefix: str, *, at: datetime, by: Role | None
) -> tuple[Contact, str]:
    """Record that the recipient answered a contact (in a meeting, by phone, anywhere)."""
    contact = find_contact(m, prefix)
    if contact.reply == "not needed":
        raise UsageProblem(
            f"contact {contact.id} was logged as needing no reply, so there is none to record; "
            f"log the answer itself with `mentorkit note TOPIC --reply-to {contact.id}`"
        )
    _not_answered(m, contact)
    _not_before(m, contact, at, "the reply")
    contact.reply, contact.replied = "answered", at
    return contact, f"{by or 'someone'} {answered_text(_raw(contact))}"


# --------------------------------------------------------------------------- reply times


def response_time(m: Mentorship, urgent: bool) -> ResponseTime:
    """The agreed time to reply: the urgent rule for an urgent contact (where the agreement
    has one it can read), else the response time, else 2 working days."""
    if urgent:
        found = parse_response_time(m.agreement.urgent_response_time)
        if found is not None:
            return found
    return parse_response_time(m.agreement.response_time) or DEFAULT_RESPONSE


def weeks(m: Mentorship) -> dict[Role, WorkingWeek]:
    return {role: week_of(m.people.of(role)) for role in ROLES}


def reply_due(m: Mentorship, contact: Contact, week: WorkingWeek | None = None) -> datetime | None:
    """When the reply to a contact falls due, in the recipient's working time; None for one
    that needs none. In the recipient's zone."""
    if contact.reply == "not needed":
        return None
    chosen = week or week_of(m.people.of(contact.to))
    return response_time(m, contact.urgent).due(contact.sent, chosen).astimezone(chosen.zone())


@dataclass
class Awaiting:
    """A contact waiting for its reply: when it is due (in the recipient's zone), and
    whether that has passed."""

    contact: Contact
    due: datetime
    overdue: bool
    late_by: timedelta = timedelta(0)


def awaiting(m: Mentorship, now: datetime) -> list[Awaiting]:
    """Every contact that needs a reply and has none, oldest due first; sent by `now`."""
    week = weeks(m)
    found = []
    for contact in m.contacts:
        if contact.reply != "needed" or not sent_by(contact, now):
            continue
        due = reply_due(m, contact, week[contact.to])
        if due is None:
            continue
        due = due.astimezone(week[contact.to].zone())  # shown in the recipient's zone
        found.append(Awaiting(contact, due, due <= now, max(elapsed(due, now), timedelta(0))))
    found.sort(key=lambda a: a.due)
    return found


def sent_by(contact: Contact, now: datetime) -> bool:
    """Whether a contact has been sent by `now`: before it, or on its date in the sender's
    own calendar (with --today, now is 12:00 UTC, and a contact logged that evening in
    Chicago has happened that day too)."""
    return contact.sent <= now or contact.sent.date() <= now.astimezone(UTC).date()


def overdue(m: Mentorship, now: datetime) -> list[Awaiting]:
    return [a for a in awaiting(m, now) if a.overdue]


def elapsed(start: datetime, end: datetime) -> timedelta:
    """The time between two moments on the UTC clock (Python subtracts two moments of one
    zone by their wall clock, which misses a clock change between them)."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def span_text(length: timedelta) -> str:
    """'3 days 2 hours', '5 hours', '40 minutes': a length of time in words."""
    minutes = int(length.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return plural(days, "day") + (f" {plural(hours, 'hour')}" if hours else "")
    if hours:
        return plural(hours, "hour")
    return plural(minutes, "minute")


# --------------------------------------------------------------------------- between meetings


@dataclass
class ReplyTimes:
    """How quickly one person replied to the contacts that needed it."""

    replied: int = 0
    within_agreed: int = 0  # of those, within the agreed response time
    median_hours: float | None = None  # from sending to the reply, on the clock
    unanswered: int = 0  # still waiting for their reply


@dataclass
class BetweenMeetings:
    """The contacts of a period: by direction and channel, those unanswered, reply times."""

    since: date | None
    until: date | None
    total: int = 0
    by_direction: dict[str, int] = field(default_factory=dict)  # "mentor→mentee" -> n
    by_channel: dict[str, int] = field(default_factory=dict)
    urgent: int = 0
    unanswered: list[Awaiting] = field(default_factory=list)
    replies: dict[Role, ReplyTimes] = field(default_factory=dict)


def between_meetings(
    m: Mentorship, now: datetime, since: date | None = None, until: date | None = None
) -> BetweenMeetings:
    """The contacts sent from `since` to `until` (dates in the sender's zone), up to `now`."""

    def inside(contact: Contact) -> bool:
        day = contact.sent.date()
        return (
            sent_by(contact, now)
            and (since is None or day >= since)
            and (until is None or day <= until)
        )

    from mentorkit.domain import median

    chosen = [c for c in m.contacts if inside(c)]
    found = BetweenMeetings(since=since, until=until, total=len(chosen))
    for sender in ROLES:
        found.by_direction[f"{sender}→{other(sender)}"] = sum(
            1 for c in chosen if c.from_ == sender
        )
    for channel in CONTACT_CHANNELS:
        count = sum(1 for c in chosen if c.channel == channel)
        if count:
            found.by_channel[channel] = count
    found.urgent = sum(1 for c in chosen if c.urgent)
    week = weeks(m)
    found.unanswered = [a for a in awaiting(m, now) if inside(a.contact)]
    for role in ROLES:
        answered = [c for c in chosen if c.to == role and c.reply == "answered" and c.replied]
        hours = [elapsed(c.sent, c.replied or c.sent).total_seconds() / 3600 for c in answered]
        on_time = 0
        for c in answered:
            due = reply_due(m, c, week[role])
            on_time += due is not None and c.replied is not None and c.replied <= due
        found.replies[role] = ReplyTimes(
            replied=len(answered),
            within_agreed=on_time,
            median_hours=round(median(hours), 1) if hours else None,
            unanswered=sum(1 for a in found.unanswered if a.contact.to == role),
        )
    return found


# --------------------------------------------------------------------------- listing


@dataclass
class ContactFilter:
    """Which contacts `contact list` shows."""

    open: bool = False  # only those waiting for a reply
    sender: Role | None = None
    channel: ContactChannel | None = None
    since: date | None = None


def select(m: Mentorship, chosen: ContactFilter) -> list[Contact]:
    """The matching contacts, oldest first."""
    found = [
        c
        for c in m.contacts
        if (not chosen.open or c.reply == "needed")
        and (chosen.sender is None or c.from_ == chosen.sender)
        and (chosen.channel is None or c.channel == chosen.channel)
        and (chosen.since is None or c.sent.date() >= chosen.since)
    ]
    found.sort(key=lambda c: c.sent)
    return found


def state(m: Mentorship, contact: Contact, now: datetime) -> str:
    """'no reply needed', 'answered after 5 hours', 'reply due Tue 1 Dec 18:00 GMT',
    'reply overdue by 2 hours' (the due time in the recipient's zone)."""
    if contact.reply == "not needed":
        return "no reply needed"
    if contact.reply == "answered" and contact.replied is not None:
        return f"answered after {span_text(elapsed(contact.sent, contact.replied))}"
    due = reply_due(m, contact)
    if due is None:
        return "no reply needed"
    if due <= now:
        return f"reply overdue by {span_text(elapsed(due, now))}"
    local = due.astimezone(week_of(m.people.of(contact.to)).zone())
    return f"reply due {due_text(local, contact.sent)}"


def due_text(due: datetime, sent: datetime) -> str:
    """'Tue 1 Dec 18:00 GMT'; with the year when it is not the year the contact was sent."""
    year = f" {due.year}" if due.year != sent.year else ""
    return f"{due:%a} {due.day} {due:%b}{year} {due:%H:%M} {due.tzname()}"


# --------------------------------------------------------------------------- urgent


@dataclass
class UrgentNow:
    """How to reach the other person with an urgent concern now, in both local times."""

    role: Role  # the person to reach
    name: str
    channel: str | None  # their urgent contact, as the file has it
    inside_hours: bool
    hours: str  # their working hours, in words
    their_now: datetime
    your_now: datetime
    next_start: datetime | None  # when their working hours begin next, outside them
    what_counts: str | None  # the agreement's urgent concerns
    response: str  # the urgent response time in words
    reply_due: datetime  # an urgent message sent now: when its reply is due
    fallback: list[str] = field(default_factory=list)  # the agreed informal channels


def urgent_now(m: Mentorship, you: Role, now: datetime) -> UrgentNow:
    them = other(you)
    person = m.people.of(them)
    week = week_of(person)
    inside = week.is_working(now)
    rule = response_time(m, urgent=True)
    agreed = m.agreement.urgent_response_time
    response = (
        str(rule)
        if parse_response_time(agreed) is not None or agreed is None
        else f"{rule} (the agreement says {agreed!r})"
    )
    return UrgentNow(
        role=them,
        name=person.name,
        channel=person.urgent_contact,
        inside_hours=inside,
        hours=week.describe(),
        their_now=now.astimezone(week.zone()),
        your_now=now.astimezone(week_of(m.people.of(you)).zone()),
        next_start=None if inside else week.next_start(now),
        what_counts=m.agreement.urgent_concerns,
        response=response,
        reply_due=rule.due(now, week),
        fallback=list(m.agreement.informal_channels),
    )


def parse_moment(
    text: str, timezone: str, today: date, *, now: datetime | None = None, past: bool = True
) -> datetime:
    """A moment people type: '2026-11-27T17:00-06:00', '2026-11-27 17:00', '17:00' (today),
    'yesterday 9:30', 'friday 17:00', 'now'; without an offset, in `timezone`. For a moment
    in the `past`, a bare weekday is the latest one (today included) and 'last friday' the
    one before today; otherwise a weekday is the next one. Refused: a moment outside the
    dates mentorkit keeps, and a local time the clocks skip."""
    import re

    from mentorkit.domain.agreement import clock_text
    from mentorkit.domain.dates import _DAY_NAMES, parse_when
    from mentorkit.file.fileformat import date_problem
    from mentorkit.timezones import zone

    typed = " ".join(text.strip().split())
    examples = (
        "'2026-11-27 17:00', '17:00', 'yesterday 9:30', 'last friday 9:30' or 'now'"
        if past
        else "'2026-12-04 08:00', 'friday 9:30', '2026-12-04T08:00Z' or 'now'"
    )
    if typed.lower() == "now" and now is not None:
        return now.astimezone(zone(timezone)).replace(second=0, microsecond=0)
    try:
        moment = datetime.fromisoformat(typed.replace("Z", "+00:00"))
    except ValueError:
        match = re.fullmatch(r"(.*?)\s*(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)", typed, re.IGNORECASE)
        if not match or (not match.group(1) and ":" not in match.group(2)):
            raise UsageProblem(f"{text!r} is not a time like {examples}") from None
        phrase = match.group(1).lower()
        named = re.fullmatch(r"(last |on )?([a-z]+)", phrase)
        if past and named and named.group(2) in _DAY_NAMES:
            back = (today.weekday() - _DAY_NAMES[named.group(2)]) % 7
            day = today - timedelta(days=back or (7 if named.group(1) == "last " else 0))
        else:
            day = parse_when(phrase, today) if phrase else today
        problem = date_problem(day)
        if problem:
            raise UsageProblem(problem) from None
        moment = datetime.fromisoformat(f"{day.isoformat()}T{clock_text(match.group(2))}")
    problem = date_problem(moment.date())
    if problem:
        raise UsageProblem(problem)
    if moment.tzinfo is None:
        tz = zone(timezone)
        wall = moment
        moment = wall.replace(tzinfo=tz)
        real = moment.astimezone(UTC).astimezone(tz)
        if real.replace(tzinfo=None) != wall:
            raise UsageProblem(
                f"{wall:%Y-%m-%d %H:%M} does not exist in {timezone}: the clocks went forward "
                f"that night; say {real:%H:%M} ({real.tzname()}) for the same moment"
            )
    problem = date_problem(moment.astimezone(UTC).date())
    if problem:
        raise UsageProblem(problem)
    return moment.replace(second=0, microsecond=0)
