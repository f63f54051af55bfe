"""`mentorkit remind`: send each person what is due for them, once; `remind install` and
`remind uninstall` schedule it for this clone."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from datetime import datetime
    from email.message import EmailMessage

    from mentorkit.domain.reminders import Due
    from mentorkit.file.model import Mentorship
    from mentorkit.mail.dispatch import Deliver, Outgoing
    from mentorkit.mail.settings import MailSettings
    from mentorkit.mail.timer import Plan

from mentorkit.commands.context import FullHelp, load, moment_option, options, role_of

remind_app = typer.Typer(cls=FullHelp, rich_markup_mode=None)


@remind_app.callback(invoke_without_command=True)
def remind(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be sent; send and record nothing.")
    ] = False,
    outbox: Annotated[
        str | None,
        typer.Option(
            "--outbox",
            metavar="DIR",
            help="Write each message as an .eml file in DIR instead of sending it (recorded as "
            "sent, like a send).",
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Connect to the mail server and log in, and say what is wrong."
        ),
    ] = False,
    now_text: Annotated[
        str | None,
        typer.Option("--now", metavar="TIME", help="Decide as at this moment (2026-12-04T08:00Z)."),
    ] = None,
) -> None:
    """Send each person what is due for them, in their own time zone: the check-in brief
    before a meeting, the feedback-day nudge, the weekly digest of overdue items, the
    review approaching, a follow-up not yet sent. Run it every few minutes or hourly
    (`remind install`); each reminder goes once, whichever clone runs it."""
    if ctx.invoked_subcommand is not None:
        return
    from mentorkit import output
    from mentorkit.domain.reminders import due_reminders, quiet_hours
    from mentorkit.errors import UsageProblem
    from mentorkit.git import git
    from mentorkit.mail.dispatch import dispatch, raise_for, refused_earlier, taken
    from mentorkit.mail.settings import fill_password, read_settings, require_transport

    opts = options(ctx)
    path = opts.path()
    settings = read_settings(path.parent)
    if check:
        from mentorkit.mail import send

        require_transport(settings)
        fill_password(settings, path.parent)
        output.success(send.check(settings))
        return
    m = load(opts).mentorship
    now = moment_option(now_text, "--now") if now_text else opts.now
    quiet = quiet_hours(settings.quiet)
    work_tree = git.toplevel(path.parent)
    if dry_run:
        sent, failed = taken(work_tree, now) if work_tree else (set[str](), {})
        found = due_reminders(m, now, sent=sent, quiet=quiet, brief_hours=settings.brief_hours)
        found = [d for d in found if not refused_earlier(failed, d.key, m.people.of(d.to).email)]
        output.write([_would(m, d) for d in found] or ["nothing is due"])
        return
    if work_tree is None:
        raise UsageProblem(
            "remind keeps its record of what was sent in git; run it in the mentorship's git "
            "repository (or use --dry-run)"
        )
    role = role_of(opts, m, path.parent)
    from_address = settings.sender or git.config("user.email", path.parent)
    if not from_address and role:
        from_address = m.people.of(role).email
    deliver: Deliver | None = None
    if outbox:
        deliver = _outbox_writer(Path(outbox))
    else:
        require_transport(settings)
        fill_password(settings, path.parent)

    def outgoing(already: set[str]) -> list[Outgoing]:
        found = due_reminders(m, now, sent=already, quiet=quiet, brief_hours=settings.brief_hours)
        return _messages(m, found, now, from_address or "mentorkit@localhost")

    outcome = dispatch(work_tree, settings, outgoing, who=role, now=now, send=deliver)
    for copy in outcome.sent:
        output.success(f"{'wrote' if outbox else 'sent'} {copy.label}, {copy.recipient}")
    raise_for(outcome)


def _would(m: Mentorship, due: Due) -> str:
    from mentorkit.views.reminders import describe, subject

    return f"would send {describe(m, due)}, {m.people.of(due.to).email}: {subject(m, due)}"


def _messages(m: Mentorship, found: list[Due], now: datetime, from_address: str) -> list[Outgoing]:
    from mentorkit.domain.meetings import build_brief
    from mentorkit.mail.dispatch import Outgoing
    from mentorkit.timezones import zone
    from mentorkit.views.reminders import describe, reminder_email

    copies: list[Outgoing] = []
    for due in found:
        brief = None
        if due.kind == "brief":
            local = now.astimezone(zone(m.people.of(due.to).timezone))
            brief = build_brief(m, due.to, now, local.date())
        message = reminder_email(m, due, now, from_address=from_address, brief=brief)
        copies.append(Outgoing(due.key, m.people.of(due.to).email, message, describe(m, due)))
    return copies


def _outbox_writer(folder: Path) -> Deliver:
    """Delivery into a folder: one .eml file per message and recipient, named by its key."""
    import re

    def write(
        settings: MailSettings, message: EmailMessage, recipients: list[str]
    ) -> dict[str, str]:
        from mentorkit.file.storage import write_export

        key = str(message["X-Mentorkit-Reminder"] or message["Message-ID"])
        name = re.sub(r"[^A-Za-z0-9._-]", "_", key) + ".eml"
        folder.mkdir(parents=True, exist_ok=True)
        write_export(str(folder / name), message.as_bytes())
        return {}

    return write


_YES = Annotated[bool, typer.Option("--yes", "-y", help="Write it without asking.")]


@remind_app.command("install")
def install(
    ctx: typer.Context,
    every: Annotated[int, typer.Option(help="Minutes between runs (1-59).", min=1, max=59)] = 15,
    cron: Annotated[
        bool, typer.Option("--cron", help="A crontab line even where systemd runs.")
    ] = False,
    yes: _YES = False,
) -> None:
    """Run `remind` every few minutes for this clone: a systemd user timer where systemd
    runs, else a line in your crontab; shown before it is written."""
    from mentorkit.mail.timer import plan_install

    _carry_out(plan_install(options(ctx).path(), every, cron=cron), "install", yes)


@remind_app.command("uninstall")
def uninstall(ctx: typer.Context, yes: _YES = False) -> None:
    """Remove this clone's remind timer or crontab line; shown before it is removed."""
    from mentorkit.mail.timer import plan_uninstall

    _carry_out(plan_uninstall(options(ctx).path()), "uninstall", yes)


def _carry_out(plan: Plan, doing: str, yes: bool) -> None:
    import sys

    from mentorkit import output
    from mentorkit.errors import UsageProblem
    from mentorkit.mail.timer import apply
    from mentorkit.output import choose

    removing = doing == "uninstall"
    lines = []
    if plan.kind == "systemd":
        for path, text in plan.files.items():
            lines += [f"{'remove' if removing else 'write'} {path}"]
            lines += [f"  {line}" for line in (text or "").splitlines()]
        lines += [" ".join(c) for c in plan.commands]
    else:
        lines += [f"{'remove from' if removing else 'add to'} your crontab:", f"  {plan.line}"]
    output.write(lines)
    if not yes:
        if not sys.stdin.isatty():
            raise UsageProblem(f"nothing was written; pass --yes to {doing} it as shown")
        if choose("Go ahead? [y/n]", {"y": "yes", "n": "no"}, "n") != "y":
            output.write(["nothing was written"])
            return
    apply(plan)
    what = "timer " + plan.name if plan.kind == "systemd" else "crontab line"
    output.success(f"{'removed' if removing else 'installed'} the {what}")
