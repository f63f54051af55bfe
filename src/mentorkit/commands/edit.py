"""`mentorkit edit`."""

from __future__ import annotations

import typer

from mentorkit.commands.context import options, role_of
from mentorkit.errors import MentorkitError

edit_app = typer.Typer(rich_markup_mode=None)


@edit_app.command()
def edit(ctx: typer.Context) -> None:
    """Edit the file in $VISUAL or $EDITOR; it is validated before it is saved, and on a
    mistake you choose to edit again or discard (with no one to ask: discard)."""
    from mentorkit import output
    from mentorkit.collaboration import finish
    from mentorkit.handedit import edit_by_hand
    from mentorkit.people import check_committer, commit_change
    from mentorkit.storage import load

    opts = options(ctx)
    path = opts.path()
    try:
        role = role_of(opts, load(path).mentorship, path.parent, required=False)
    except MentorkitError:  # a file with conflict markers: no roles to read
        role = role_of(opts, None, path.parent, required=False)
    check_committer(path, role, enabled=opts.commit)
    finished: list[str] = []

    def retry(problem) -> bool:  # type: ignore[no-untyped-def]
        output.error(problem.message, problem.problems)
        try:
            answer = typer.prompt("(e)dit again or (d)iscard your edit?", default="e")
        except (typer.Abort, EOFError):  # no one to ask: discard
            return False
        return answer.strip().lower().startswith("e")

    def after_write(written) -> bool:  # type: ignore[no-untyped-def]
        state = finish(written) if opts.commit else None
        if state:
            finished.append(state)
            return True
        m = load(written).mentorship
        role = role_of(opts, m, written.parent, required=False)
        who = role or "someone"
        return commit_change(
            written, m, role, f"{who} edited the mentorship file by hand", enabled=opts.commit
        )

    if edit_by_hand(path, retry=retry, after_write=after_write):
        output.success(f"saved {path.name}" + "".join(f" and finished the {s}" for s in finished))
    else:
        output.write(["no changes"])
