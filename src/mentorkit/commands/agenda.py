"""`mentorkit agenda ...`: talking points for the next meeting."""

from __future__ import annotations

from typing import Annotated

import typer

from mentorkit.commands.context import JSON, FullHelp, change_by_anyone, load, options
from mentorkit.views.json_shapes import raw_list

agenda_app = typer.Typer(
    cls=FullHelp, rich_markup_mode=None, help="Talking points for the next meeting."
)


@agenda_app.command("add")
def agenda_add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="What to talk about.")],
) -> None:
    """Add a talking point for the next meeting."""
    from mentorkit.domain.agenda import add_point
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change_by_anyone(
        opts, lambda m, role: add_point(m, text, by=role, today=opts.today)
    )
    success(message)


@agenda_app.command("list")
def agenda_list(ctx: typer.Context, as_json: JSON = False) -> None:
    """Open talking points for the next meeting."""
    from mentorkit import output
    from mentorkit.domain.agenda import open_points
    from mentorkit.views import terminal

    points = open_points(load(options(ctx)).mentorship)
    if as_json:
        output.print_json("agenda", raw_list(points))
    else:
        output.write(terminal.agenda_list(points))


@agenda_app.command("done")
def agenda_done(
    ctx: typer.Context,
    point_id: Annotated[
        str,
        typer.Argument(metavar="ID", help="The talking point's ID, a prefix, or words from it."),
    ],
) -> None:
    """Close a talking point."""
    from mentorkit.domain.agenda import close_point
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change_by_anyone(
        opts, lambda m, role: close_point(m, point_id, today=opts.today, by=role)
    )
    success(message)
