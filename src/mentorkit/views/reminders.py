"""The reminders `remind` sends, as email messages: one person each, in their own time
zone, plain UTF-8 text with every piece of the file's text made literal."""

from __future__ import annotations

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from mentorkit.domain.meetings import Brief
from mentorkit.domain.reminders import Due
from mentorkit.file.model import Mentorship, other
from mentorkit.mail.addresses import header_address
from mentorkit.output import literal, one_line
from mentorkit.timezones import zone
from mentorkit.views.meeting_text import brief_text
from mentorkit.views.terminal import moment

KIND_NAMES = {
    "brief": "the check-in brief",
    "feedback": "the feedback-day nudge",
    "digest": "the weekly digest of overdue items",
    "review": "the reminder of the review",
    "followup": "the reminder of the follow-up",
    "reply": "the reminder of a reply overdue",
}


def describe(m: Mentorship, due: Due) -> str:
    """What a reminder is and for whom, for the report of a run."""
    person = m.people.of(due.to)
    return f"{KIND_NAMES[due.kind]} to the {due.to}, {one_line(person.name)}"


def subject(m: Mentorship, due: Due) -> str:
    tz = zone(m.people.of(due.to).timezone)
    if due.kind == "brief" and due.meeting_start:
        return f"Check-in before the meeting on {moment(due.meeting_start.astimezone(tz))}"
    if due.kind == "feedback":
        return f"Feedback day: a word for {m.people.of(other(due.to)).name}"
    if due.kind == "digest":
        n = len(due.overdue)
        return f"Overdue: {n} action item{'s' if n != 1 else ''}"
    if due.kind == "review":
        return f"The mentorship's review is on {due.day}"
    if due.kind == "reply" and due.contact is not None:
        sender = m.people.of(due.contact.from_).name
        return f"A reply is overdue: the {due.contact.channel} from {sender}"
    held = due.meeting.date if due.meeting else "the last meeting"
    return f"The follow-up of the meeting of {held} has not been sent"


def body(m: Mentorship, due: Due, brief: Brief | None) -> str:
    person, them = m.people.of(due.to), m.people.of(other(due.to))
    lines = [f"Hello {person.name},", ""]
    if due.kind == "brief" and brief is not None:
        lines += [f"{subject(m, due)}.", "", brief_text(brief).rstrip("\n"), ""]
        lines.append("Run `mentorkit checkin` to go through your items.")
    elif due.kind == "feedback":
        lines += [
            f"Today is the feedback day: a few words of feedback or recognition for {them.name}.",
            "",
            'mentorkit feedback give "..."',
        ]
    elif due.kind == "digest":
        lines += ["These action items of yours are overdue:", ""]
        lines += [f"  - {a.title} (due {a.due}) [{a.id}]" for a in due.overdue]
        lines += ["", "Close them with `mentorkit action done ID`, or move them with a reason."]
    elif due.kind == "review":
        lines += [
            f"The review of your mentorship with {them.name} is on {due.day}.",
            "",
            "`mentorkit report` gives the progress review to talk it through.",
        ]
    elif due.kind == "reply" and due.contact is not None:
        c = due.contact
        local = due.at.astimezone(zone(person.timezone))
        lines += [
            f"The {c.channel} {them.name} sent on {moment(c.sent.astimezone(local.tzinfo))} needs your reply; it was "
            f"due by {moment(local)}.",
            "",
            f"  {c.topic} [{c.id}]",
            "",
            f"Answer it and log the answer with `mentorkit note TOPIC --reply-to {c.id}`, or "
            f"record that you answered with `mentorkit contact reply {c.id}`.",
        ]
    elif due.meeting is not None:
        agreed = m.agreement.response_time or "the agreed time"
        lines += [
            f"The follow-up of the meeting of {due.meeting.date} has not been sent ({agreed}).",
            "",
            f"mentorkit followup {due.meeting.id} --send",
        ]
    return literal("\n".join(lines) + "\n")


def reminder_email(
    m: Mentorship, due: Due, now: datetime, *, from_address: str, brief: Brief | None = None
) -> EmailMessage:
    """One reminder to one person; `from_address` is the account it goes out from."""
    person = m.people.of(due.to)
    message = EmailMessage(policy=SMTP)
    message["From"] = Address(display_name="mentorkit", addr_spec=one_line(from_address))
    to = header_address(person.name, person.email)
    if to is not None:  # otherwise refused for this person alone when it is sent
        message["To"] = to
    message["Subject"] = one_line(subject(m, due))
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain="mentorkit.invalid")
    message["X-Mentorkit-Reminder"] = one_line(due.key)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to it
    message.set_content(body(m, due, brief), charset="utf-8")
    return message
