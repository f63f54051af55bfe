"""`mentorkit edit`: the file in $VISUAL or $EDITOR, validated before it is saved."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from pathlib import Path

    from mentorkit.errors import InvalidFile

from mentorkit.commands.context import FullHelp, commit, narrated, options, role_of
from mentorkit.errors import MentorkitError

edit_app = typer.Typer(cls=FullHelp, rich_markup_mode=None)


@edit_app.command()
def edit(ctx: typer.Context) -> None:
    """Edit the file in $VISUAL or $EDITOR; it is validated before it is saved. On a mistake
    you choose to edit again or to keep your edit aside in FILE.edited (with no terminal to
    ask: kept aside at once); the next `edit` offers to continue that kept edit."""
    from mentorkit import output
    from mentorkit.commands.calendar import after_change
    from mentorkit.file.handedit import edit_by_hand
    from mentorkit.file.storage import load, read_text
    from mentorkit.git.people import check_committer
    from mentorkit.git.sync import finish

    opts = options(ctx)
    path = opts.path()
    try:
        before = read_text(path)
    except MentorkitError as err:
        if "not UTF-8" not in err.message:
            raise
        raise type(err)(
            f"{err.message}. `mentorkit edit` opens only UTF-8 text: open the file in a text "
            "editor that reads its encoding, save it as UTF-8 (and, during a merge, edit the "
            "conflict into one), then run `mentorkit sync --continue` during a merge, or "
            "`mentorkit validate` and commit it"
        ) from None
    from mentorkit.domain.schedule import calendar_fingerprint

    shown = None  # what calendars showed of the file before the edit
    try:
        m = load(path).mentorship
        role, shown = role_of(opts, m, path.parent), calendar_fingerprint(m)
    except MentorkitError:  # a file with conflict markers: no roles to read
        role = role_of(opts, None, path.parent)
    check_committer(path, role, enabled=opts.commit)
    finished: list[str] = []

    def retry(problem: InvalidFile) -> bool | None:
        import sys

        if not sys.stdin.isatty():  # no one to ask: no prompt; the problems are shown once
            return None
        output.error(problem.message, problem.problems)
        try:
            answer = output.read_line("(e)dit again or (k)eep your edit aside in a file? [e]: ")
        except EOFError:
            return False
        return not answer.strip().lower().startswith("k")

    def after_write(written: Path) -> bool:
        state = finish(written) if opts.commit else None
        if state:
            finished.append(state)
            return True
        m = load(written).mentorship
        role = role_of(opts, m, written.parent)
        who = role or "someone"
        summary = f"{who} edited the mentorship file by hand"
        message = narrated(before, written, role) or summary
        return commit(written, m, role, message, enabled=opts.commit)

    if edit_by_hand(path, retry=retry, after_write=after_write, start=_kept_edit(path)):
        output.success(f"saved {path.name}" + "".join(f" and finished the {s}" for s in finished))
        edited = load(path).mentorship
        if calendar_fingerprint(edited) != shown:
            after_change(path.parent, edited, opts.today)
    else:
        output.write(["no changes"])


def _kept_edit(path: Path) -> str | None:
    """The text of an edit kept aside last time, when the person continues it: asked on a
    terminal, taken (and said) without one. Where the file has changed since, that is said:
    the kept edit may undo those changes."""
    import sys

    from mentorkit import output
    from mentorkit.file.handedit import kept_path

    kept = kept_path(path)
    if not kept.is_file():
        return None
    if path.stat().st_mtime > kept.stat().st_mtime:
        output.warn(f"{path.name} has changed since your edit was kept in {kept.name}")
    if sys.stdin.isatty():
        answer = output.ask(
            f"Continue your edit kept in {kept.name}? [y]es, [n]o: start again", "y"
        )
        if answer.lower() not in ("y", "yes"):
            return None
    else:
        output.warn(f"continuing your edit kept in {kept.name}")
    return kept.read_bytes().decode("utf-8", errors="replace")
