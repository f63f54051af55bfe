"""`mentorkit checkin`, `mentorkit meeting log` and `mentorkit followup`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date
    from pathlib import Path

    from mentorkit.commands.context import Options
    from mentorkit.domain.meetings import Followup
    from mentorkit.file.model import ActionItem, Kpi, Meeting, Mentorship, Role
    from mentorkit.git.standing import Standing

from mentorkit.commands.context import (
    FullHelp,
    change,
    change_by_anyone,
    known_role,
    load,
    number,
    options,
    role_of,
    when,
)
from mentorkit.output import ask, ask_until, choose

checkin_app = typer.Typer(cls=FullHelp, rich_markup_mode=None)
meeting_app = typer.Typer(cls=FullHelp, rich_markup_mode=None, help="The log of meetings held.")
followup_app = typer.Typer(cls=FullHelp, rich_markup_mode=None)
_ITEM_ANSWERS = {"d": "done", "u": "update", "m": "move", "k": "keep", "x": "drop"}


def _interactive(choice: bool | None) -> bool:
    return sys.stdin.isatty() if choice is None else choice


@checkin_app.command()
def checkin(
    ctx: typer.Context,
    interactive: Annotated[
        bool | None,
        typer.Option(
            "--input/--no-input", help="Ask about your open items (default: on a terminal)."
        ),
    ] = None,
    format_: Annotated[
        str, typer.Option("--format", help="text or markdown (ready to paste).")
    ] = "text",
) -> None:
    """Before a meeting: what changed since the last one, what is open or overdue, and the
    agenda. On a terminal it walks you through your open items, KPIs without a recent
    measurement and your talking points; Ctrl-C leaves the file as it was."""
    from mentorkit.errors import UsageProblem
    from mentorkit.git.standing import standing_meanwhile

    if format_ not in ("text", "markdown"):
        raise UsageProblem(f"--format is text or markdown, not {format_!r}")
    opts = options(ctx)
    path = opts.path()
    found = standing_meanwhile(path, fetch=True)  # fetched while the file is read
    try:
        from mentorkit import output
        from mentorkit.domain.meetings import build_brief
        from mentorkit.views.meeting_text import brief_lines, brief_markdown

        loaded = load(opts)
        role = known_role(opts, loaded.mentorship, path.parent)
    finally:  # said first, whatever follows
        _say_standing(found, markdown=format_ == "markdown")
    recorded = _recorded(loaded.mentorship, path, opts, role, note=True)
    brief = build_brief(loaded.mentorship, role, opts.now, opts.today, recorded)
    if _interactive(interactive):
        output.write(brief_lines(brief))
        output.write([""])

        def walk(m: Mentorship, who: Role) -> tuple[None, str]:
            return None, _walk_through(m, who, opts)

        _, message = change(opts, walk)
        if message:
            output.success(message)
        m = load(opts).mentorship
        brief = build_brief(m, role, opts.now, opts.today, _recorded(m, path, opts, role))
        if format_ == "text":
            from mentorkit.views.meeting_text import agenda_section

            title, items = agenda_section(brief)
            output.write(["", [(title, "bold")], *[f"  • {item}" for item in items]])
            return
    if format_ == "markdown":
        output.write_text(brief_markdown(brief))
    else:
        output.write(brief_lines(brief))


def _say_standing(found: Callable[[], Standing | None], *, markdown: bool) -> None:
    """Say how the clone stands once `found` has it (fetched first; short timeout, offline
    is fine): on stderr for Markdown, so that what is pasted stays clean."""
    from datetime import UTC, datetime

    from mentorkit import output
    from mentorkit.git.standing import describe

    lines = describe(found(), datetime.now(UTC))
    if lines:
        output.write([*lines, ""], stderr=markdown)


def _recorded(
    m: Mentorship, path: Path, opts: Options, reader: Role, note: bool = False
) -> list[str] | None:
    """Who changed what since the last meeting, from git, on the days it was in the
    reader's zone; None outside git. `note`: say where a shallow clone's history starts."""
    from mentorkit.commands.history import told_in_git
    from mentorkit.domain.meetings import last_meeting_start
    from mentorkit.git import git
    from mentorkit.timezones import zone
    from mentorkit.views.meeting_text import recorded_lines

    if git.toplevel(path.parent) is None:
        return None
    start, _ = last_meeting_start(m, opts.now, opts.today)
    events = told_in_git(path, m, note=note)
    return recorded_lines(events, start, opts.today, zone(m.people.of(reader).timezone))


def _walk_through(m: Mentorship, role: Role, opts: Options) -> str:
    """The prompts of a check-in, applied to the mentorship in memory; the caller saves
    once at the end, so an interrupted check-in changes nothing."""
    from mentorkit.domain import actions, agenda, goals
    from mentorkit.domain.meetings import build_brief, kpis_without_recent_measurement

    brief = build_brief(m, role, opts.now, opts.today)
    counts: dict[str, int] = {}

    def count(what: str) -> None:
        counts[what] = counts.get(what, 0) + 1

    for item in brief.mine:
        key = choose(
            f"{item.title} (due {item.due or '-'}): [d]one, [u]pdate, [m]ove, [k]eep, drop [x]",
            _ITEM_ANSWERS,
            "k",
        )
        if key == "d":
            actions.complete(m, item.id, when=opts.today, by=role)
            count("done")
        elif key == "u":
            text = ask("  update")
            if text:
                actions.add_update(m, item.id, text, by=role, today=opts.today)
                count("updated")
        elif key == "m":

            def move_to(text: str, item: ActionItem = item) -> tuple[ActionItem, str]:
                return actions.move(m, item.id, when(opts, m, text), by=role, today=opts.today)

            moved = ask_until("  new due date (e.g. friday, +1w), blank to keep it", move_to)
            if moved:
                count("moved")
        elif key == "x":
            reason = ask("  why drop it")
            if reason:
                actions.drop(m, item.id, reason=reason, by=role, today=opts.today)
                count("dropped")
    for _goal, kpi in kpis_without_recent_measurement(m, brief.since.since):
        value = _ask_value(kpi, opts.today)
        if value is not None:
            goals.record_measurement(m, kpi.id, value, when=opts.today, note=None, by=role)
            count("measured")
    while True:
        point = ask("Talking point for the meeting, blank to finish")
        if not point:
            break
        agenda.add_point(m, point, by=role, today=opts.today)
        count("talking point")
    if not counts:
        return ""
    from mentorkit.domain.wording import plural

    summary = ", ".join(
        plural(n, what) if what == "talking point" else f"{n} {what}" for what, n in counts.items()
    )
    return f"{role} checked in before the meeting: {summary}"


def _ask_value(kpi: Kpi, today: date) -> int | float | None:
    """A new value for `kpi`, asked again until it is a number; one that looks like a typo
    (as `kpi record` would question it) is recorded only when confirmed."""
    from mentorkit.domain.goals import implausible
    from mentorkit.output import warn

    unit = f" ({kpi.unit})" if kpi.unit else ""
    while True:
        value = ask_until(
            f"New value for {kpi.name}{unit}, blank to skip", lambda text: number(text, kpi.name)
        )
        if value is None:
            return None
        doubts = implausible(kpi, value, today)
        for doubt in doubts:
            warn(doubt)
        if not doubts or choose("Record it anyway? [y/n]", {"y": "yes", "n": "no"}, "n") == "y":
            return value


@meeting_app.callback()
def meeting_group() -> None:
    """The log of meetings held."""


@meeting_app.command("log")
def meeting_log(
    ctx: typer.Context,
    date_text: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="The meeting's date (default: the scheduled meeting that began in the last "
            "two days, by its date in the schedule's time zone; else today).",
        ),
    ] = None,
    status: Annotated[str, typer.Option(help="held, moved or cancelled.")] = "held",
    notes: Annotated[
        str | None,
        typer.Option(
            help="Notes. They are in the file you both share and its git history, and in "
            "`followup` and its email unless you pass `followup --no-notes`."
        ),
    ] = None,
    decision: Annotated[
        list[str] | None, typer.Option("--decision", "-d", help="A decision (repeatable).")
    ] = None,
    action: Annotated[
        list[str] | None,
        typer.Option("--action", "-a", help="A new action item as OWNER|TITLE|DUE (repeatable)."),
    ] = None,
    covered: Annotated[
        list[str] | None,
        typer.Option("--covered", "-c", help="A talking point covered (repeatable)."),
    ] = None,
    interactive: Annotated[
        bool | None, typer.Option("--input/--no-input", help="Ask for what the flags do not give.")
    ] = None,
) -> None:
    """Record a meeting: notes, decisions, new action items; covered talking points are
    closed and the rest carry over to the next agenda."""
    from mentorkit.domain.meetings import log_meeting, meeting_day, parse_new_action
    from mentorkit.output import success

    opts = options(ctx)
    asking = _interactive(interactive) and not (notes or decision or action or covered)

    def operation(m: Mentorship, role: Role | None) -> tuple[Meeting, str]:
        mine = m.people.of(role).timezone if role else m.schedule.timezone
        day = when(opts, m, date_text) or meeting_day(m, opts.happened(mine), opts.today)

        def parse(text: str) -> date:
            return when(opts, m, text, after=day)

        new_actions = [parse_new_action(text, parse) for text in action or []]
        chosen_notes, decisions, points = notes, list(decision or []), list(covered or [])
        if asking:
            chosen_notes = ask("Notes") or None
            while decision_text := ask("Decision, blank to finish"):
                decisions.append(decision_text)
            while new_action := ask_until(
                "New action as OWNER|TITLE|DUE, blank to finish",
                lambda text: parse_new_action(text, parse),
            ):
                new_actions.append(new_action)
            for point in [p for p in m.agenda if p.status == "open"]:
                if choose(f"Covered '{point.text}'? [y/n]", {"y": "yes", "n": "no"}, "n") == "y":
                    points.append(point.id)
        return log_meeting(
            m, day=day, status=status, notes=chosen_notes, decisions=decisions, new_actions=new_actions,
            covered=points, by=role, today=opts.today,
        )  # fmt: skip

    _, message = change_by_anyone(opts, operation)
    success(message)


@followup_app.command()
def followup(
    ctx: typer.Context,
    meeting: Annotated[
        str | None,
        typer.Argument(metavar="[MEETING]", help="Meeting ID or date (default: the latest)."),
    ] = None,
    format_: Annotated[str, typer.Option("--format", help="markdown or text.")] = "markdown",
    eml: Annotated[
        str | None, typer.Option("--eml", help="Write an email message (.eml) to this file.")
    ] = None,
    mailto: Annotated[bool, typer.Option("--mailto", help="Print a mailto: link instead.")] = False,
    no_notes: Annotated[
        bool, typer.Option("--no-notes", help="Leave the meeting's notes out of the follow-up.")
    ] = False,
    send: Annotated[
        bool,
        typer.Option(
            "--send",
            help="Send it by email to both people (see README: Email) and record in the "
            "file that you sent it.",
        ),
    ] = False,
    again: Annotated[
        bool, typer.Option("--again", help="With --send: send it again, though it was sent.")
    ] = False,
) -> None:
    """The follow-up for a logged meeting: summary, decisions, open action items with owner
    and due date, and the next meeting in both time zones."""
    from mentorkit import output
    from mentorkit.domain.meetings import build_followup, find_meeting
    from mentorkit.errors import UsageProblem
    from mentorkit.views import meeting_text

    if format_ not in ("markdown", "text"):
        raise UsageProblem(f"--format is markdown or text, not {format_!r}")
    opts = options(ctx)
    m = load(opts).mentorship
    chosen = find_meeting(m, meeting)
    found = build_followup(m, chosen, opts.now, opts.today, notes=not no_notes)
    if send:
        _send_followup(opts, m, found, again=again)
    elif eml:
        sender = role_of(opts, m, opts.path().parent) or "mentor"
        from email.policy import default

        draft = meeting_text.followup_email(found, sender, opts.now)
        message = draft.as_bytes(policy=default).decode("utf-8")
        if output.export(eml, message):
            output.success(f"wrote {eml}")
    elif mailto:
        sys.stdout.write(meeting_text.mailto_link(found) + "\n")
    else:
        text = (
            meeting_text.followup_markdown(found)
            if format_ == "markdown"
            else meeting_text.followup_text(found)
        )
        output.write_text(text)


def _send_followup(opts: Options, m: Mentorship, found: Followup, *, again: bool) -> None:
    """Send the follow-up to both people, once each, and record it in the file when both
    have it; a failure records nothing and says so."""
    from mentorkit import output
    from mentorkit.domain.meetings import (
        check_followup_unsent,
        followup_keys,
        record_followup_sent,
    )
    from mentorkit.errors import UsageProblem
    from mentorkit.git import git
    from mentorkit.mail.dispatch import Outgoing, dispatch, raise_for
    from mentorkit.mail.settings import fill_password, read_settings, require_transport
    from mentorkit.views.meeting_text import followup_email

    path = opts.path()
    work_tree = git.toplevel(path.parent)
    if work_tree is None:
        raise UsageProblem(
            "sending keeps its record of what was sent in git; run it in the mentorship's "
            "git repository"
        )
    role = known_role(opts, m, path.parent)
    meeting = found.meeting
    check_followup_unsent(meeting, again=again)
    settings = read_settings(path.parent)
    require_transport(settings)
    fill_password(settings, path.parent)
    message = followup_email(found, role, opts.now, from_address=settings.sender, draft=False)
    keys = followup_keys(meeting, opts.now if again else None)
    copies = [
        Outgoing(keys[r], m.people.of(r).email, message, f"the follow-up to the {r}")
        for r in ("mentor", "mentee")
    ]
    outcome = dispatch(work_tree, settings, copies, who=role, now=opts.now)
    for copy in outcome.sent:
        output.success(f"sent {copy.label}, {copy.recipient}")
    for copy in outcome.already:
        output.success(f"{copy.label} went earlier, {copy.recipient}")
    raise_for(outcome, again=", or pass --again to try it again")
    if len(outcome.sent) + len(outcome.already) == len(copies):

        def record(mentorship: Mentorship, who: Role) -> tuple[Meeting, str]:
            return record_followup_sent(mentorship, meeting.id, by=who, now=opts.now)

        _, sentence = change(opts, record)
        output.success(sentence)
