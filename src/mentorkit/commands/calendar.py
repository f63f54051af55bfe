"""`mentorkit calendar`: connect a CalDAV calendar to this clone, keep it in sync with the
file (also after each change that affects it), and say how it stands."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mentorkit.commands.context import FullHelp, load, options, role_of

if TYPE_CHECKING:
    from datetime import date

    from mentorkit.dav.connection import Collection
    from mentorkit.file.model import Mentorship, Role

calendar_app = typer.Typer(
    cls=FullHelp,
    rich_markup_mode=None,
    no_args_is_help=True,
    help="Keep a CalDAV calendar in sync with the file: connect, sync, status, disconnect.",
)

# After a change: a short wait for a slow server, then the command goes on.
AUTO_TIMEOUT, AUTO_BUDGET = 3.0, 6.0


def _work_tree(path: Path) -> Path:
    from mentorkit.errors import UsageProblem
    from mentorkit.git import git

    found = git.toplevel(path.parent)
    if found is None:
        raise UsageProblem(
            "a calendar is connected to a clone, and the file is not in a git repository"
        )
    return found


@calendar_app.command("connect")
def connect(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="The calendar collection's URL.")],
    person: Annotated[
        str | None,
        typer.Option(
            "--for", metavar="ROLE", help="Whose calendar: mentor or mentee (default: you)."
        ),
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="The login (else from the URL or git credential).")
    ] = None,
    no_sync: Annotated[bool, typer.Option("--no-sync", help="Connect only; sync later.")] = False,
) -> None:
    """Keep the CalDAV calendar at URL in sync with the file, in this clone (its git
    config; never in the shared file). The password or app token comes from `git
    credential` (asked once on a terminal and handed to your credential helper)."""
    import sys

    from mentorkit import output
    from mentorkit.dav.connection import connect as connect_to
    from mentorkit.dav.connection import forget
    from mentorkit.dav.state import remove
    from mentorkit.errors import CalendarSettingsProblem, UsageProblem
    from mentorkit.git import git

    opts = options(ctx)
    path = opts.path()
    m = load(opts).mentorship
    roles: dict[str | None, Role] = {"mentor": "mentor", "mentee": "mentee"}
    if person is not None and person not in roles:
        raise UsageProblem(f"--for takes mentor or mentee, not {person!r}")
    whose = roles[person] if person else role_of(opts, m, path.parent)
    if whose is None:
        raise UsageProblem("whose calendar is it? Say --for mentor or --for mentee")
    work_tree = _work_tree(path)
    connection, collection, listing = connect_to(
        work_tree,
        url,
        user,
        whose,
        may_ask=sys.stdin.isatty(),
    )
    output.success(f"connected {connection.url} as {connection.user}, the {whose}'s calendar")
    if not listing.takes_todos:
        output.write(["it takes no to-dos: action items go in as all-day events"])
    if not git.config("credential.helper", work_tree):
        output.warn(
            "no git credential helper keeps the password, so later syncs will have none: "
            "set one (git config --global credential.helper store, or your system's "
            "keychain helper) and connect again"
        )
    if no_sync:
        return
    try:
        _sync(work_tree, m, opts.today, collection=collection)
    except CalendarSettingsProblem as err:  # e.g. a login that may read but not write
        forget(work_tree)
        remove(git.git_dir(work_tree))
        err.message += "; the calendar was not connected"
        raise


@calendar_app.command("sync")
def sync(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would change; change nothing.")
    ] = False,
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite", help="Put the file's version over items changed in the calendar."
        ),
    ] = False,
) -> None:
    """Make the connected calendar hold exactly what `export ics` makes of the file:
    create, update and delete mentorkit's own items, touching nothing else. An item changed
    in the calendar since the last sync is reported, not overwritten (--overwrite)."""
    opts = options(ctx)
    path = opts.path()
    _sync(
        _work_tree(path),
        load(opts).mentorship,
        opts.today,
        dry_run=dry_run,
        overwrite=overwrite,
    )


def _sync(
    work_tree: Path,
    m: Mentorship,
    today: date,
    *,
    dry_run: bool = False,
    overwrite: bool = False,
    collection: Collection | None = None,
) -> None:
    from mentorkit import output
    from mentorkit.dav.sync import sync as run
    from mentorkit.errors import CalendarConflict, CalendarUnreachable, MentorkitError
    from mentorkit.views.calendar_text import sync_lines

    try:
        report = run(
            work_tree,
            m,
            today,
            dry_run=dry_run,
            overwrite=overwrite,
            collection=collection,
        )
    except CalendarUnreachable as err:
        err.message += "; try again later: the next sync carries on from there"
        raise
    output.write(sync_lines(report))
    if report.foreign:
        raise CalendarConflict(
            f"the calendar holds {len(report.foreign)} item(s) of another mentorship with the "
            "same id, written from another repository, and they were left alone: give one "
            "of the two mentorships a new id (its `id:` line, 8 to 32 lowercase letters and "
            "digits, changed with `mentorkit edit`) and sync again"
        )
    if report.conflicts:
        raise CalendarConflict(
            f"{len(report.conflicts)} item(s) changed in the calendar since mentorkit wrote "
            "them were not overwritten; change them back there, or `mentorkit calendar sync "
            "--overwrite` puts the file's version in"
        )
    if report.behind:
        raise CalendarConflict(
            f"the calendar holds {len(report.behind)} item(s) written from a newer version of "
            "the file by another clone; run `mentorkit sync` to get it, then sync again"
        )
    if report.refused:
        raise MentorkitError(f"the calendar server refused {len(report.refused)} item(s)")


@calendar_app.command("status")
def status(ctx: typer.Context) -> None:
    """What calendar is connected, when it was last synced, and what is pending."""
    from mentorkit import output
    from mentorkit.dav.connection import connected
    from mentorkit.dav.sync import pending
    from mentorkit.views.calendar_text import status_lines

    opts = options(ctx)
    path = opts.path()
    work_tree = _work_tree(path)
    connection = connected(work_tree)
    if connection is None:
        output.write(["no calendar is connected in this clone (mentorkit calendar connect URL)"])
        return
    known, waiting = pending(work_tree, load(opts).mentorship, opts.today)
    output.write(status_lines(connection, known, waiting))


@calendar_app.command("disconnect")
def disconnect(ctx: typer.Context) -> None:
    """Stop syncing: forget the calendar in this clone. What is in the calendar stays."""
    from mentorkit import output
    from mentorkit.dav.connection import connected, forget
    from mentorkit.dav.state import remove
    from mentorkit.git import git

    work_tree = _work_tree(options(ctx).path())
    connection = connected(work_tree)
    if connection is None:
        output.write(["no calendar is connected in this clone"])
        return
    forget(work_tree)
    remove(git.git_dir(work_tree))
    output.success(f"disconnected {connection.url}; what mentorkit put in it stays there")


def after_change(folder: Path, m: Mentorship, today: date) -> None:
    """Sync the connected calendar after a change that affects it, unless auto-sync is
    off; never failing the command, and giving up soon on a slow server (the change stays
    pending for the next sync)."""
    from mentorkit import output
    from mentorkit.dav.connection import connected
    from mentorkit.errors import Interrupted, MentorkitError

    connection = connected(folder)
    if connection is None or not connection.auto:
        return
    from mentorkit.dav.sync import sync as run
    from mentorkit.views.calendar_text import counts

    try:
        report = run(folder, m, today, timeout=AUTO_TIMEOUT, budget=AUTO_BUDGET, wait=0)
    except Interrupted:
        raise
    except MentorkitError as err:
        output.warn(
            f"the calendar was not updated: {err.message}. It will be retried at the next "
            "change or `mentorkit calendar sync`"
        )
        return
    except Exception as err:  # a bug must not fail a change that is saved and committed
        output.warn(
            f"the calendar was not updated (unexpected {type(err).__name__}); it will be "
            "retried at the next change or `mentorkit calendar sync`"
        )
        return
    if report.done:
        output.success(f"calendar updated: {counts(report)}")
    if report.left:
        output.warn(
            f"the calendar holds {len(report.left)} item(s) changed there, written from a newer "
            "file by another clone or from another mentorship, or refused; not overwritten: "
            "see `mentorkit calendar sync`"
        )
