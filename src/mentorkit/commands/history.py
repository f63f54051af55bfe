"""`mentorkit history` and `mentorkit diff`: the accountability record rebuilt from git."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Annotated, cast

import typer

if TYPE_CHECKING:
    from datetime import tzinfo
    from pathlib import Path

    from mentorkit.commands.context import Options
    from mentorkit.file.model import Mentorship, Role
    from mentorkit.git.history import Event

from mentorkit.commands.context import JSON, FullHelp, load, options, period

history_app = typer.Typer(cls=FullHelp, rich_markup_mode=None)


diff_app = typer.Typer(cls=FullHelp, rich_markup_mode=None)


@history_app.command()
def history(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="From this date on.")] = None,
    until: Annotated[
        str | None, typer.Option(help="Up to this date (default: today; with --today, that day).")
    ] = None,
    item: Annotated[
        str | None, typer.Option(help="Only events of this item (ID or prefix).")
    ] = None,
    who: Annotated[
        str | None,
        typer.Option(help="Only changes made by one person: mentor, mentee, a name or an email."),
    ] = None,
    tz: Annotated[
        str | None,
        typer.Option("--tz", help="Show times in this IANA zone (default: yours, from the file)."),
    ] = None,
    as_json: JSON = False,
) -> None:
    """The timeline rebuilt from the file's versions in git, hand edits included: who
    committed to what, and when it got done, slipped or was dropped. Dates in --since and
    --until may be phrases like -2w or 'last month'."""

    from mentorkit import output
    from mentorkit.git.history import select
    from mentorkit.views import json_shapes, terminal

    opts = options(ctx)
    m = committed_if_unreadable(opts)
    zone = reader_zone(opts, m, tz)
    first, last = period(opts, m, since, until)
    if last is None and opts.today_text:
        last = opts.today  # with a pinned day, what has happened by its end
    everything = told_in_git(opts.path(), m)
    person = None if who is None else person_named(who, m, everything)
    events = select(everything, since=first, until=last, item=item, who=person, zone=zone)
    if as_json:
        output.print_json("history", json_shapes.history_json(events))
        return
    output.write(terminal.timeline(events, zone, total=len(everything)))


def told_in_git(path: Path, m: Mentorship, *, note: bool = True) -> list[Event]:
    """The file's timeline (`history.timeline`); where this clone is shallow, saying on
    stderr (`note`) that the history before its first commit is not here."""
    from mentorkit import output
    from mentorkit.git.history import timeline
    from mentorkit.git.people import roles_by_email

    everything = timeline(path, roles_by_email(m))
    cut = next((e for e in everything if e.kind == "history.shallow"), None)
    if cut is not None and note:
        output.warn(
            f"the history before {cut.when.date()} is not in this clone (a shallow clone); "
            "`git fetch --unshallow` to see it"
        )
    return everything


def committed_if_unreadable(opts: Options) -> Mentorship:
    """The mentorship as the file has it, or, where the file cannot be read now (a merge
    conflict being resolved by hand, a broken version committed), as last committed in a
    readable version: history reads only git, and says so on stderr."""
    from mentorkit import output
    from mentorkit.errors import InvalidFile
    from mentorkit.file.storage import display_name, parse
    from mentorkit.git.history import committed_texts

    try:
        return load(opts).mentorship
    except InvalidFile as problem:
        name = display_name(opts.path())
        for text in committed_texts(opts.path()):
            with contextlib.suppress(InvalidFile):
                committed = parse(text, f"{name} (as committed)").mentorship
                output.warn(
                    f"{name} cannot be read as it is now; its people are taken from the last"
                    " commit that can be read"
                )
                return committed
        raise problem from None


def reader_zone(opts: Options, m: Mentorship, tz: str | None) -> tzinfo | None:
    """The zone times are shown in: --tz, else the reader's own (from the file), else the
    machine's."""
    from mentorkit.commands.context import role_of
    from mentorkit.errors import UsageProblem
    from mentorkit.timezones import is_timezone, zone

    if tz is not None:
        if not is_timezone(tz):
            raise UsageProblem(
                f"--tz: {tz!r} is not a known time zone; use a name like Europe/London"
            )
        return zone(tz)
    role = role_of(opts, m, opts.path().parent)
    return zone(m.people.of(role).timezone) if role else None


@diff_app.command()
def diff(
    ctx: typer.Context,
    old: Annotated[
        str | None,
        typer.Argument(
            metavar="[REV]", help="From this revision (default: the last logged meeting)."
        ),
    ] = None,
    new: Annotated[
        str | None,
        typer.Argument(metavar="[REV]", help="To this revision (default: the file as it is)."),
    ] = None,
    as_json: JSON = False,
) -> None:
    """The changes between two versions of the file, in the words of `history`."""
    from mentorkit import output
    from mentorkit.domain.meetings import last_meeting_start
    from mentorkit.errors import GitProblem
    from mentorkit.git import history
    from mentorkit.views import json_shapes

    opts = options(ctx)
    path = opts.path()
    # between two revisions only git is read; against the file as it is, the file must read
    m = committed_if_unreadable(opts) if new is not None else load(opts).mentorship
    if old is None:
        start, label = last_meeting_start(m, opts.now, opts.today)
        old = history.revision_before(path, start)
        if old is None:
            from mentorkit.git import git

            found = git.where(path.parent)
            shallow = found is not None and git.shallow_commits(found[1])
            hint = " (this clone is shallow: `git fetch --unshallow` fetches the rest)"
            raise GitProblem(
                f"no commit of the file as it was at {label}; name a revision"
                + (hint if shallow else "")
            )
    changes = history.changes_between(path, old, new)
    if as_json:
        output.print_json("diff", json_shapes.diff_json(changes))
        return
    output.write([f"  {c.text}" for c in changes] or ["no changes"])


def person_named(text: str, m: Mentorship, events: list[Event]) -> Role:
    """--who: 'mentor' or 'mentee', or one person's name (whole or first) or an email the
    file holds or has held for them."""
    from mentorkit.errors import UsageProblem
    from mentorkit.file.model import ROLES

    wanted = " ".join(text.split()).lower()
    if wanted in ROLES:
        return wanted
    found: set[Role] = set()
    for role in ROLES:
        person = m.people.of(role)
        name = " ".join(person.name.split()).lower()
        if wanted in (name, name.split(" ")[0] if name else "", person.email.strip().lower()):
            found.add(role)
    found |= {cast("Role", e.role) for e in events if e.role and e.email.lower() == wanted}
    if len(found) != 1:
        raise UsageProblem(
            f"--who: {text!r} is neither mentor nor mentee, nor the name or email of one of them"
        )
    return found.pop()
