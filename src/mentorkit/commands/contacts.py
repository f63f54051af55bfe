"""`mentorkit contact ...`, `note`, `urgent` and `availability`: contact between meetings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mentorkit.commands.context import (
    JSON,
    FullHelp,
    change,
    change_by_anyone,
    load,
    options,
)

if TYPE_CHECKING:
    from datetime import datetime

    from mentorkit.commands.context import Options
    from mentorkit.file.model import Contact, Mentorship, Role

contact_app = typer.Typer(
    cls=FullHelp,
    rich_markup_mode=None,
    help="Contact between meetings: voice and video messages, chats, emails, calls.",
)
note_app = typer.Typer(cls=FullHelp, rich_markup_mode=None)
urgent_app = typer.Typer(cls=FullHelp, rich_markup_mode=None)
availability_app = typer.Typer(
    cls=FullHelp,
    rich_markup_mode=None,
    help="Each person's urgent contact, working hours and days.",
)

ID = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help='The contact\'s ID, a prefix of it, or words from its topic, quoted: "/deposition/".',
    ),
]
AT = Annotated[
    str | None,
    typer.Option(
        "--at",
        metavar="TIME",
        help="When (default now): '2026-11-27 17:00', '17:00', 'yesterday 9:30', "
        "'last friday 9:30', in your time zone unless it has an offset.",
    ),
]


def _moment(
    opts: Options, m: Mentorship, text: str | None, you: Role | None, kept_in: Role
) -> datetime:
    """--at as a moment, typed in the time zone of whoever runs the command (else of
    `kept_in`), kept in `kept_in`'s zone; never later than now (with --today, that day)."""
    from datetime import timedelta

    from mentorkit.domain.contacts import parse_moment
    from mentorkit.errors import UsageProblem
    from mentorkit.timezones import zone

    kept = m.people.of(kept_in).timezone
    if text is None:
        return opts.now.astimezone(zone(kept)).replace(second=0, microsecond=0)
    typed_in = m.people.of(you or kept_in).timezone
    moment = parse_moment(text, typed_in, opts.today, now=opts.now)
    if moment > opts.happened(typed_in) + timedelta(minutes=1):
        raise UsageProblem(f"--at {text!r} is in the future; nothing was changed")
    return moment.astimezone(zone(kept))


def _log(
    ctx: typer.Context,
    topic: str,
    channel: str,
    sender: str | None,
    link: str | None,
    needs_reply: bool,
    urgent: bool,
    reply_to: str | None,
    at: str | None,
) -> None:
    from mentorkit.domain.contacts import log_contact
    from mentorkit.git.people import role_named
    from mentorkit.output import success

    opts = options(ctx)
    chosen = role_named(sender, "--from")

    def log(m: Mentorship, sender: Role, by: Role | None) -> tuple[Contact, str]:
        sent = _moment(opts, m, at, by, sender)
        return log_contact(m, topic, sender=sender, channel=channel, sent=sent, by=by, link=link,
                           needs_reply=needs_reply, urgent=urgent, reply_to=reply_to)  # fmt: skip

    if chosen is None:  # from whoever runs it, who must then be known
        _, message = change(opts, lambda m, role: log(m, role, role))
    else:
        _, message = change_by_anyone(opts, lambda m, role: log(m, chosen, role))
    success(message)


TOPIC = Annotated[str, typer.Argument(help="One line on what it was about.")]
CHANNEL = Annotated[
    str,
    typer.Option(
        "--channel", "-c", help="voice message, video message, chat, email or call (voice, video)."
    ),
]
FROM = Annotated[
    str | None,
    typer.Option(
        "--from", help="Who sent it: mentor or mentee (default: you); it went to the other."
    ),
]
LINK = Annotated[
    str | None,
    typer.Option(help="A link to the message (kept in the file, never fetched or exported)."),
]
NEEDS_REPLY = Annotated[
    bool, typer.Option("--needs-reply", help="It needs a reply within the agreed response time.")
]
URGENT = Annotated[
    bool,
    typer.Option("--urgent", help="An urgent concern: needs a reply within the urgent rule."),
]
REPLY_TO = Annotated[
    str | None,
    typer.Option("--reply-to", metavar="ID", help="The contact this answers; it is then answered."),
]


@contact_app.command("log")
def contact_log(
    ctx: typer.Context,
    topic: TOPIC,
    channel: CHANNEL = "voice message",
    sender: FROM = None,
    link: LINK = None,
    needs_reply: NEEDS_REPLY = False,
    urgent: URGENT = False,
    reply_to: REPLY_TO = None,
    at: AT = None,
) -> None:
    """Record a contact between meetings (short form: `mentorkit note`)."""
    _log(ctx, topic, channel, sender, link, needs_reply, urgent, reply_to, at)


note_app.command("note", help="Record a contact between meetings: `contact log` in short.")(
    contact_log
)


@contact_app.command("reply")
def contact_reply(ctx: typer.Context, contact_id: ID, at: AT = None) -> None:
    """Record that a contact was answered (in a meeting, by phone, anywhere)."""
    from mentorkit.domain.contacts import find_contact, record_reply
    from mentorkit.output import success

    opts = options(ctx)

    def reply(m: Mentorship, role: Role | None) -> tuple[Contact, str]:
        contact = find_contact(m, contact_id)
        moment = _moment(opts, m, at, role, contact.to)
        return record_reply(m, contact.id, at=moment, by=role)

    _, message = change_by_anyone(opts, reply)
    success(message)


@contact_app.command("list")
def contact_list(
    ctx: typer.Context,
    only_open: Annotated[
        bool, typer.Option("--open", help="Only those waiting for a reply.")
    ] = False,
    sender: Annotated[
        str | None, typer.Option("--from", help="Only those from the mentor or the mentee.")
    ] = None,
    channel: Annotated[str | None, typer.Option(help="Only this channel.")] = None,
    since: Annotated[
        str | None, typer.Option(help="Only those sent since (a date phrase: -2w, last month).")
    ] = None,
    as_json: JSON = False,
) -> None:
    """Contacts between meetings, oldest first, with the state of each reply."""
    from mentorkit import output
    from mentorkit.commands.context import when
    from mentorkit.domain.contacts import ContactFilter, channel_named, select
    from mentorkit.git.people import role_named
    from mentorkit.views import terminal
    from mentorkit.views.json_shapes import contact_json

    opts = options(ctx)
    m = load(opts).mentorship
    chosen = ContactFilter(
        open=only_open,
        sender=role_named(sender, "--from"),
        channel=channel_named(channel) if channel else None,
        since=when(opts, m, since),
    )
    found = select(m, chosen)
    if as_json:
        output.print_json("contacts", [contact_json(m, c, opts.now) for c in found])
    else:
        output.write(terminal.contact_list(m, found, opts.now))


@urgent_app.command()
def urgent(
    ctx: typer.Context,
    now_text: Annotated[
        str | None,
        typer.Option(
            "--now",
            metavar="TIME",
            help="As at this moment: '2026-12-04 08:00', 'friday 9:30', in your time zone unless "
            "it has an offset (2026-12-04T08:00Z).",
        ),
    ] = None,
    as_json: JSON = False,
) -> None:
    """How to reach the other person with an urgent concern now, and whether it is
    inside their working hours, in both local times."""
    from dataclasses import asdict

    from mentorkit import output
    from mentorkit.commands.context import known_role
    from mentorkit.domain.contacts import urgent_now
    from mentorkit.views import terminal

    opts = options(ctx)
    loaded = load(opts)
    m = loaded.mentorship
    you = known_role(opts, m, opts.path().parent)
    now = opts.now
    if now_text:  # typed in your time zone unless it has an offset, as --at is
        from mentorkit.domain.contacts import parse_moment

        now = parse_moment(now_text, m.people.of(you).timezone, opts.today, now=now, past=False)
    found = urgent_now(m, you, now)
    if as_json:
        output.print_json("urgent", asdict(found))
    else:
        output.write(terminal.urgent(found, you))


@availability_app.command("show")
def availability_show(ctx: typer.Context, as_json: JSON = False) -> None:
    """Both people's urgent contact, working hours and days, and the response times."""
    from mentorkit import output
    from mentorkit.views import terminal
    from mentorkit.views.json_shapes import availability_json

    m = load(options(ctx)).mentorship
    if as_json:
        output.print_json("availability", availability_json(m))
    else:
        output.write(terminal.availability(m))


@availability_app.command("set")
def availability_set(
    ctx: typer.Context,
    person: Annotated[
        str | None, typer.Option("--for", help="mentor or mentee (default: you).")
    ] = None,
    urgent_contact: Annotated[
        str | None,
        typer.Option(
            help="How to reach you for an urgent concern: a phone number or a channel "
            "('-' for none)."
        ),
    ] = None,
    hours: Annotated[
        str | None, typer.Option(help="Working hours in your time zone, like 09:00-18:00.")
    ] = None,
    days: Annotated[
        str | None,
        typer.Option(help="Working days: 'mon-fri', 'sun-thu', 'mon,tue,thu'."),
    ] = None,
) -> None:
    """Set a person's urgent contact, working hours or working days."""
    from mentorkit.domain.availability import set_availability
    from mentorkit.git.people import role_named
    from mentorkit.output import success

    opts = options(ctx)
    chosen = role_named(person, "--for")

    def operation(m: Mentorship, role: Role | None, whose: Role) -> tuple[None, str]:
        return None, set_availability(
            m, whose, urgent_contact=urgent_contact, hours=hours, days=days, by=role
        )

    if chosen is None:
        _, message = change(opts, lambda m, role: operation(m, role, role))
    else:
        _, message = change_by_anyone(opts, lambda m, role: operation(m, role, chosen))
    success(message)
