"""`mentorkit edit`."""

from __future__ import annotations

import typer

from mentorkit.commands.context import options, role_of

edit_app = typer.Typer(rich_markup_mode=None)


@edit_app.command()
def edit(ctx: typer.Context) -> None:
    """Edit the file in $VISUAL or $EDITOR; it is validated before it is saved, and on a
    mistake you choose to edit again or discard (with no one to ask: discard)."""
    from mentorkit import output
    from mentorkit.handedit import edit_by_hand
    from mentorkit.people import commit_change
    from mentorkit.storage import load

    opts = options(ctx)
    path = opts.path()

    def retry(problem) -> bool:  # type: ignore[no-untyped-def]
        output.error(problem.message, problem.problems)
        try:
            answer = typer.prompt("(e)dit again or (d)iscard your edit?", default="e")
        except (typer.Abort, EOFError):  # no one to ask: discard
            return False
        return answer.strip().lower().startswith("e")

    def after_write(written) -> bool:  # type: ignore[no-untyped-def]
        m = load(written).mentorship
        role = role_of(opts, m, written.parent, required=False)
        who = role or "someone"
        return commit_change(
            written, m, role, f"{who} edited the mentorship file by hand", enabled=opts.commit
        )

    if edit_by_hand(path, retry=retry, after_write=after_write):
        output.success(f"saved {path.name}")
    else:
        output.write(["no changes"])
