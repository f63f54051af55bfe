"""`mentorkit sync` and `mentorkit git ...`: two clones, one file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from mentorkit.commands.context import FullHelp, options

sync_app = typer.Typer(cls=FullHelp, rich_markup_mode=None)


git_app = typer.Typer(
    cls=FullHelp,
    rich_markup_mode=None,
    help="Set up git for mentorkit; the merge driver and diff helper.",
)


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
    from mentorkit.git.sync import sync as run_sync

    report = run_sync(options(ctx).path(), rebase=rebase, resume=resume)
    if report.moved_to:
        output.warn(
            f"the other person moved the file to {report.moved_to}; use it there from now on"
        )
    if resume:
        done = report.finished or "merge"
        output.success(f"finished the {done} and synced: pushed {plural(report.pushed, 'commit')}")
    else:
        output.success(
            f"synced: pulled {plural(report.pulled, 'commit')}, "
            f"pushed {plural(report.pushed, 'commit')}"
        )
    if report.pulled or resume:
        from mentorkit.commands.calendar import after_change
        from mentorkit.errors import MentorkitError
        from mentorkit.file.storage import load

        opts = options(ctx)
        try:
            pulled = load(opts.path()).mentorship
        except MentorkitError:  # moved by the other person: its new place is said above
            return
        after_change(opts.path().parent, pulled, opts.today)


@git_app.command("setup")
def git_setup(ctx: typer.Context) -> None:
    """Configure this clone: the merge driver, readable `git log -p`, and a pre-commit
    check. Run it once in every fresh clone (init does it for you)."""
    from mentorkit import output
    from mentorkit.errors import NotFound
    from mentorkit.file.storage import FILE_NAME
    from mentorkit.git.setup import file_below, setup

    try:
        path = options(ctx).path()
    except NotFound:  # run at the top of the repository, the file in a folder below
        below = file_below(Path.cwd(), FILE_NAME)
        if below is None:
            raise
        path = below
    report = setup(path)
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
    from mentorkit.git.setup import staged_problems

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
