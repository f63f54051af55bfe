"""The check-in brief and the follow-up as text people read: terminal lines, Markdown,
plain text, an email message and a mailto: link. Pure functions of the brief."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING
from urllib.parse import quote

from mentorkit.domain.contacts import due_text
from mentorkit.domain.meetings import Brief, Followup
from mentorkit.domain.wording import amount, plural
from mentorkit.file.model import ActionItem, Role
from mentorkit.output import Line, literal, md, one_line
from mentorkit.views.terminal import between_meetings, day, meeting_lines, moment, relative_days

if TYPE_CHECKING:
    from email.message import EmailMessage

    from mentorkit.git.history import Event


def _item(a: ActionItem, today: date) -> str:
    from mentorkit.domain.actions import is_overdue

    due = f"due {a.due}" if a.due else "no due date"
    if a.due is not None and is_overdue(a, today):
        due += f", {plural((today - a.due).days, 'day')} overdue"
    return f"{a.title} ({due}) [{a.id}]"


def recorded_lines(timeline: list[Event], since: datetime, today: date, zone: tzinfo) -> list[str]:
    """The git timeline's lines for the brief: what happened from the last meeting's start
    (`since`, an instant, the same for both people), by whom, each on its day in the
    reader's `zone` (as `history` shows it). The commit that created the file is not news;
    measurements and feedback are listed by the brief itself (with the change since the
    previous value, by direction)."""
    created = {e.commit for e in timeline if e.kind == "file.created"}
    return [
        f"{on} {e.role or e.who}: {e.text}"
        for e in timeline
        if e.when >= since
        and (on := e.when.astimezone(zone).date()) <= today
        and e.commit not in created
        and e.kind != "kpi.measured"
        and not e.kind.startswith("feedback")
    ]


def _brief_sections(brief: Brief) -> list[tuple[str, list[str]]]:
    """The brief as titled lists of lines, shared by every format."""
    s = brief.since
    sections: list[tuple[str, list[str]]] = []
    changes: list[str] = []
    if brief.recorded is not None:
        # In git: who changed what, from the file's history (hand edits included).
        changes += brief.recorded
    else:
        changes += _from_file_dates(brief)
    for c in s.measurements:
        delta = "" if c.change is None else f" ({c.change:+g} since the previous value)"
        changes.append(
            f"measured: {c.kpi.name} {amount(c.measurement.value, c.kpi.unit)} on "
            f"{c.measurement.date}{delta}; {c.progress.progress * 100:.0f}% of the way from "
            f"{c.kpi.baseline:g} to {amount(c.kpi.target, c.kpi.unit)}"
        )
    for giver, receiver in (("mentor", "mentee"), ("mentee", "mentor")):
        given = [f for f in s.feedback if f.from_ == giver]
        if given:
            kinds = sorted({f.kind for f in given})
            changes.append(f"{giver} to {receiver}: {len(given)} × {' and '.join(kinds)}")
    sections.append((f"Since {s.label}", changes or ["nothing recorded"]))
    between = brief.between
    if between is not None and (between.total or between.unanswered):
        sections.append(("Between meetings", between_meetings(between)))
    return _open_and_agenda(brief, sections)


def brief_text(brief: Brief) -> str:
    """The brief as plain text for an email: the reader's open items first, then the
    agenda, what changed, and the other person's items."""
    since, *between, mine, theirs, agenda = _brief_sections(brief)
    out: list[str] = []
    for title, items in (mine, agenda, since, *between, theirs):
        out += ["", f"{title}:", *[f"  - {item}" for item in items]]
    return "\n".join(out[1:]) + "\n"


def agenda_section(brief: Brief) -> tuple[str, list[str]]:
    """The agenda alone, as the brief's last section: its title and its lines."""
    return _brief_sections(brief)[-1]


def _from_file_dates(brief: Brief) -> list[str]:
    s = brief.since
    changes: list[str] = []
    changes += [f"done: {a.title} by the {a.owner}, {how} [{a.id}]" for a, how in s.completed]
    changes += [f"added: {a.title} for the {a.owner}, due {day(a.due)} [{a.id}]" for a in s.added]
    changes += [
        f"moved: {a.title}, was due {mv.was}, now {day(a.due)} [{a.id}]" for a, mv in s.moved
    ]
    changes += [f"dropped: {a.title}: {a.drop_reason or ''} [{a.id}]" for a in s.dropped]
    changes += [f"shared: {r.kind} {r.title} by the {r.shared_by}" for r in s.resources]
    return changes


def _open_and_agenda(
    brief: Brief, sections: list[tuple[str, list[str]]]
) -> list[tuple[str, list[str]]]:
    sections.append(
        (f"Your open items ({brief.role})", [_item(a, brief.today) for a in brief.mine] or ["none"])
    )
    other = "mentee" if brief.role == "mentor" else "mentor"
    sections.append(
        (f"Open items of the {other}", [_item(a, brief.today) for a in brief.theirs] or ["none"])
    )
    agenda: list[str] = []
    agenda += [
        f"{p.text} (from the {p.added_by or 'either'}) [{p.id}]"
        for p in brief.agenda.talking_points
    ]
    agenda += [f"overdue: {_item(a, brief.today)}, {a.owner}" for a in brief.agenda.overdue]
    agenda += [
        f"off track: {k.name} ({g.competency}): {p.verdict}" for g, k, p in brief.agenda.off_track
    ]
    agenda += [
        f"feedback on: {a.title} ({a.owner}) [{a.id}]" for a in brief.agenda.awaiting_feedback
    ]
    missing = brief.agenda.followup_missing
    if missing is not None:
        agreed = f" ({brief.response_time})" if brief.response_time else ""
        agenda.append(f"follow-up not sent: the meeting of {missing.date}{agreed}")
    for waiting in brief.agenda.replies_overdue:
        c = waiting.contact
        agenda.append(
            f"reply overdue: the {c.to} to {c.channel} {c.id} from the {c.from_} "
            f"({c.topic}), due {due_text(waiting.due, c.sent)}"
        )
    sections.append(
        ("Agenda", agenda or ["nothing yet: add talking points with `mentorkit agenda add`"])
    )
    return sections


def _next_meeting_lines(brief: Brief) -> list[str]:
    meeting = brief.next_meeting
    if meeting is None:
        return ["none scheduled"]
    lines = [
        f"{moment(meeting.start)} ({relative_days(meeting.days_away)}), {meeting.minutes} min by {meeting.channel}"
    ]
    for role, local in meeting.local.items():
        lines.append(f"for the {role}, {brief.names[role]}: {moment(local)}")
    if meeting.link:
        lines.append(meeting.link)
    return lines


def brief_lines(brief: Brief) -> list[Line]:
    lines: list[Line] = [[("Next meeting", "bold")]]
    if brief.next_meeting is None:
        lines.append("  none scheduled")
    else:
        lines += meeting_lines(brief.next_meeting, brief.names)
    for title, items in _brief_sections(brief):
        lines += ["", [(title, "bold")]]
        for item in items:
            style = "red" if item.startswith(("overdue", "off track")) or " overdue" in item else ""
            lines.append([(f"  • {item}", style)])
    return lines


def brief_markdown(brief: Brief) -> str:
    out = [f"# Check-in for the {brief.role}, {brief.today}", "", "## Next meeting", ""]
    out += [f"- {md(line)}" for line in _next_meeting_lines(brief)]
    for title, items in _brief_sections(brief):
        out += ["", f"## {md(title)}", ""]
        out += [f"- {md(item)}" for item in items]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- follow-up


def subject(f: Followup) -> str:
    return f"Follow-up: mentoring meeting of {f.meeting.date}"


def _followup_sections(f: Followup) -> list[tuple[str, list[str]]]:
    m = f.meeting
    sections: list[tuple[str, list[str]]] = []
    summary = [f"Meeting of {m.date}: {m.status}."]
    if m.notes:
        summary += m.notes.rstrip("\n").split("\n")
    sections.append(("Summary", summary))
    sections.append(("Decisions", m.decisions or ["none recorded"]))
    if f.covered:
        sections.append(("Covered", [p.text for p in f.covered]))
    if f.carried_over:
        sections.append(("Carried over to the next meeting", [p.text for p in f.carried_over]))
    sections.append(
        (
            "Open action items",
            [f"{a.title}: {f.names[a.owner]} ({a.owner}), due {day(a.due)}" for a in f.open_items]
            or ["none"],
        )
    )
    if f.next_meeting is None:
        sections.append(("Next meeting", ["none scheduled"]))
    else:
        nm = f.next_meeting
        sections.append(
            (
                "Next meeting",
                [f"{f.names[role]}: {moment(local)}" for role, local in nm.local.items()]
                + ([nm.link] if nm.link else []),
            )
        )
    return sections


def followup_markdown(f: Followup) -> str:
    out = [f"# {subject(f)}"]
    for title, items in _followup_sections(f):
        out += ["", f"## {md(title)}", ""]
        out += [f"- {md(item)}" for item in items]
    return "\n".join(out) + "\n"


def followup_text(f: Followup) -> str:
    out = [f"Hello {f.names['mentor']} and {f.names['mentee']},", "", f"{subject(f)}."]
    for title, items in _followup_sections(f):
        out += ["", f"{title}:"]
        out += [f"  - {item}" for item in items]
    return "\n".join(out) + "\n"


def followup_html(f: Followup) -> str:
    """The follow-up as a small HTML page: the same sections as the text, every piece of
    people's text made literal and HTML-escaped."""
    from html import escape

    out = [
        '<!DOCTYPE html><html><head><meta charset="utf-8">',
        f"<title>{escape(literal(subject(f)))}</title></head><body>",
        f"<p>Hello {escape(literal(f.names['mentor']))} and {escape(literal(f.names['mentee']))},</p>",
        f"<h1>{escape(literal(subject(f)))}</h1>",
    ]
    for title, items in _followup_sections(f):
        out.append(f"<h2>{escape(title)}</h2><ul>")
        out += [f"<li>{escape(literal(item))}</li>" for item in items]
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def followup_email(
    f: Followup,
    sender_role: Role,
    now: datetime,
    *,
    from_address: str | None = None,
    draft: bool = True,
) -> EmailMessage:
    """An RFC 5322 message, UTF-8, plain text with an HTML alternative, both people as
    recipients and the sender as Reply-To. A draft is marked for mail clients to open
    ready to send; `from_address` (the account mail goes out from) replaces the sender's
    own address in From, keeping the sender's name."""
    # here, not at the top: the email package costs the check-in ~20 ms of start-up
    from email.headerregistry import Address
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import format_datetime, make_msgid

    from mentorkit.mail.addresses import header_address

    message = EmailMessage(policy=SMTP)
    names = {role: one_line(name) for role, name in f.names.items()}
    emails = {role: one_line(email) for role, email in f.emails.items()}
    sender = header_address(names[sender_role], emails[sender_role])
    if from_address:
        message["From"] = Address(display_name=names[sender_role], addr_spec=from_address)
    elif sender is not None:
        message["From"] = sender
    to = [a for r in ("mentor", "mentee") if (a := header_address(names[r], emails[r]))]
    if to:
        message["To"] = to
    if sender is not None:
        message["Reply-To"] = sender
    message["Subject"] = one_line(subject(f))
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain="mentorkit.invalid")
    if draft:
        message["X-Unsent"] = "1"  # mail clients open it as a draft, ready to send
    message.set_content(literal(followup_text(f)), charset="utf-8")
    message.add_alternative(followup_html(f), subtype="html", charset="utf-8")
    return message


def mailto_link(f: Followup) -> str:
    """The draft as a link; people's text made literal before it is percent-encoded, so a
    mail client receives no raw control, escape or bidi character through it either."""
    recipients = ",".join(quote(one_line(f.emails[r]), safe="@") for r in ("mentor", "mentee"))
    body = quote(literal(followup_text(f)))
    return f"mailto:{recipients}?subject={quote(one_line(subject(f)))}&body={body}"
