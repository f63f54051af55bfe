"""`mentorkit feedback ...`: feedback and recognition, both ways."""

from __future__ import annotations

from typing import Annotated

import typer

from mentorkit.commands.context import JSON, REASON, FullHelp, change, load, options, when
from mentorkit.views.json_shapes import raw_list

feedback_app = typer.Typer(
    cls=FullHelp, rich_markup_mode=None, help="Feedback and recognition, both ways."
)


@feedback_app.command("give")
def feedback_give(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The feedback, specific and kind.")],
    to: Annotated[
        str | None, typer.Option(help="mentor or mentee (default: the other person).")
    ] = None,
    kind: Annotated[str, typer.Option(help="feedback or recognition.")] = "feedback",
) -> None:
    """Give feedback or recognition to the other person."""
    from mentorkit.domain.feedback import give_feedback
    from mentorkit.git.people import role_named
    from mentorkit.output import success

    opts = options(ctx)
    receiver = role_named(to, "--to")
    _, message = change(
        opts,
        lambda m, role: give_feedback(m, text, by=role, to=receiver, kind=kind, today=opts.today),
    )
    success(message)


@feedback_app.command("list")
def feedback_list(
    ctx: typer.Context,
    from_: Annotated[
        str | None, typer.Option("--from", help="Only feedback from mentor or mentee.")
    ] = None,
    to: Annotated[str | None, typer.Option(help="Only feedback to mentor or mentee.")] = None,
    kind: Annotated[str | None, typer.Option(help="feedback or recognition.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date on.")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date.")] = None,
    as_json: JSON = False,
) -> None:
    """Feedback and recognition given, oldest first."""
    from mentorkit import output
    from mentorkit.domain.feedback import select_feedback
    from mentorkit.git.people import role_named
    from mentorkit.views import terminal

    opts = options(ctx)
    m = load(opts).mentorship
    found = select_feedback(
        m,
        from_=role_named(from_, "--from"),
        to=role_named(to, "--to"),
        kind=kind,
        since=when(opts, m, since),
        until=when(opts, m, until),
    )
    if as_json:
        output.print_json("feedback", raw_list(found))
    else:
        output.write(terminal.feedback_list(found))


@feedback_app.command("retract")
def feedback_retract(
    ctx: typer.Context,
    feedback_id: Annotated[
        str, typer.Argument(metavar="ID", help="The feedback's ID, a prefix, or words from it.")
    ],
    reason: REASON,
) -> None:
    """Withdraw feedback you gave; it leaves the file, git history keeps it."""
    from mentorkit.domain.feedback import retract_feedback
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change(
        opts,
        lambda m, role: retract_feedback(m, feedback_id, reason=reason, by=role),
        reason=reason,
    )
    success(message)
