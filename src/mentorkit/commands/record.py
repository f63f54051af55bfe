"""`mentorkit history`, `stats`, `diff`, `sync` and `git ...`: the accountability record."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from mentorkit.commands.context import FullHelp, load, options, when

history_app = typer.Typer(cls=FullHelp, rich_markup_mode=None)
stats_app = typer.Typer(cls=FullHelp, rich_markup_mode=None)
diff_app = typer.Typer(cls=FullHelp, rich_markup_mode=None)
sync_app = typer.Typer(cls=FullHelp, rich_markup_mode=None)
git_app = typer.Typer(
    cls=FullHelp,
    rich_markup_mode=None,
    help="Set up git for mentorkit; the merge driver and diff helper.",
)

JSON = Annotated[bool, typer.Option("--json", help="Print JSON (see README: JSON output).")]


@history_app.command()
def history(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="From this date on.")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date.")] = None,
    item: Annotated[
        str | None, typer.Option(help="Only events of this item (ID or prefix).")
    ] = None,
    who: Annotated[
        str | None, typer.Option(help="Only changes made by the mentor or the mentee.")
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
    from mentorkit.git.history import select, timeline
    from mentorkit.git.people import role_named, roles_by_email
    from mentorkit.views import terminal

    opts = options(ctx)
    m = load(opts).mentorship
    zone = reader_zone(opts, m, tz)
    everything = timeline(opts.path(), roles_by_email(m))
    events = select(
        everything, since=when(opts, m, since), until=when(opts, m, until), item=item,
        who=role_named(who, "--who"), zone=zone,
    )  # fmt: skip
    if as_json:
        keys = ("when", "who", "role", "commit", "kind", "item", "text")
        output.print_json("history", [{k: getattr(e, k) for k in keys} for e in events])
        return
    terminal.timeline(events, zone, total=len(everything))


def reader_zone(opts, m, tz: str | None):  # type: ignore[no-untyped-def]
    """The zone times are shown in: --tz, else the reader's own (from the file), else the
    machine's."""
    from mentorkit.commands.context import role_of
    from mentorkit.domain.timezones import is_timezone, zone
    from mentorkit.errors import UsageProblem

    if tz is not None:
        if not is_timezone(tz):
            raise UsageProblem(
                f"--tz: {tz!r} is not a known time zone; use a name like Europe/London"
            )
        return zone(tz)
    role = role_of(opts, m, opts.path().parent, required=False)
    return zone(m.people.of(role).timezone) if role else None


@stats_app.command()
def stats(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option(help="From this date on (default: the start of the term).")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date (default: today).")] = None,
    as_json: JSON = False,
) -> None:
    """Accountability in figures: actions completed, on-time rate, days late, due dates
    moved, overdue now; feedback given and received per month; meetings held."""
    from dataclasses import asdict

    from mentorkit import output
    from mentorkit.domain.stats import compute
    from mentorkit.views import terminal

    opts = options(ctx)
    m = load(opts).mentorship
    result = compute(
        m,
        opts.happened(m.schedule.timezone),
        opts.today,
        when(opts, m, since),
        when(opts, m, until),
    )
    if as_json:
        output.print_json("stats", asdict(result))
        return
    terminal.stats(result, {role: m.people.of(role).name for role in ("mentor", "mentee")})


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
    from mentorkit.domain.meetings import last_meeting_date
    from mentorkit.errors import GitProblem
    from mentorkit.git import history

    opts = options(ctx)
    path = opts.path()
    m = load(opts).mentorship
    if old is None:
        since, label = last_meeting_date(m, opts.now, opts.today)
        old = history.revision_on(path, since)
        if old is None:
            raise GitProblem(f"no commit of the file as it was at {label}; name a revision")
    changes = history.changes_between(path, old, new)
    if as_json:
        output.print_json("diff", [{"kind": k, "item": i, "text": t} for k, i, t in changes])
        return
    output.write([f"  {text}" for _, _, text in changes] or ["no changes"])


@sync_app.command()
def sync(
    ctx: typer.Context,
    rebase: Annotated[
        bool, typer.Option("--rebase", help="Rebase your commits instead of merging.")
    ] = False,
    resume: Annotated[
        bool,
        typer.Option(
            "--continue",
            help="After resolving a conflict: validate, finish the merge or rebase, then push.",
        ),
    ] = False,
) -> None:
    """Pull the other person's changes (merged item by item), check the file, then push
    yours. Nothing invalid is pushed."""
    from mentorkit import output
    from mentorkit.domain.wording import plural
    from mentorkit.git.collaboration import sync as run_sync

    report = run_sync(options(ctx).path(), rebase=rebase, resume=resume)
    if report.moved_to:
        output.warn(
            f"the other person moved the file to {report.moved_to}; use it there from now on"
        )
    if resume:
        output.success(f"finished the merge and synced: pushed {plural(report.pushed, 'commit')}")
    else:
        output.success(
            f"synced: pulled {plural(report.pulled, 'commit')}, "
            f"pushed {plural(report.pushed, 'commit')}"
        )


@git_app.command("setup")
def git_setup(ctx: typer.Context) -> None:
    """Configure this clone: the merge driver, readable `git log -p`, and a pre-commit
    check. Run it once in every fresh clone (init does it for you)."""
    from mentorkit import output
    from mentorkit.git.collaboration import setup

    report = setup(options(ctx).path())
    output.success("configured the mentorkit merge driver and diff helper in .git/config")
    if report.attributes_added:
        output.success("added the file to .gitattributes (commit it so the other clone has it too)")
    if report.hook == "skipped":
        output.warn(
            "a pre-commit hook that is not mentorkit's exists; add `mentorkit validate` to it yourself"
        )
    else:
        output.success("installed a pre-commit hook that validates the file as staged")


@git_app.command("merge-driver", hidden=True)
def git_merge_driver(
    base: Annotated[str, typer.Argument(help="%O: the common ancestor's version.")],
    ours: Annotated[str, typer.Argument(help="%A: our version; the result is written here.")],
    theirs: Annotated[str, typer.Argument(help="%B: their version.")],
    name: Annotated[
        str, typer.Argument(help="%P: the file's path in the repository.")
    ] = "mentorship.yaml",
) -> None:
    """git's merge driver: merge %O %A %B into %A, item by item."""
    from mentorkit import output
    from mentorkit.git.merging import merge_files

    data = [Path(p).read_bytes() for p in (base, ours, theirs)]
    outcome = merge_files(*data)
    Path(ours).write_bytes(outcome.data)
    for conflict in outcome.conflicts:
        sys.stderr.write(
            output.literal(f"mentorkit: conflict in {name}: {conflict.path}: {conflict.reason}")
            + "\n"
        )
    if outcome.conflicts:
        raise typer.Exit(1)


@git_app.command("pre-commit", hidden=True)
def git_pre_commit() -> None:
    """git's pre-commit hook: refuse a commit whose staged mentorship file does not validate."""
    from mentorkit import output
    from mentorkit.git import git
    from mentorkit.git.collaboration import staged_problems

    work_tree = git.toplevel(Path.cwd())
    if work_tree is None:
        return
    problems = staged_problems(work_tree)
    for _, err in problems:
        output.error(err.message, err.problems)
    if problems:
        raise typer.Exit(1)


@git_app.command("textconv", hidden=True)
def git_textconv(file: str) -> None:
    """git's textconv: the file as one line per field, for readable `git log -p`."""
    from mentorkit import output
    from mentorkit.errors import InvalidFile
    from mentorkit.file import storage
    from mentorkit.file.yamltext import parse_text
    from mentorkit.git.history import flatten

    text = storage.read_text(Path(file))
    try:
        lines = flatten(parse_text(text.removeprefix("\ufeff"), file).raw)
    except InvalidFile:
        lines = text.splitlines()
    output.write_text("\n".join(lines) + "\n")
