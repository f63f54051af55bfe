"""`mentorkit status`: one screen on where the mentorship stands."""

from __future__ import annotations

from typing import Annotated

import typer

from mentorkit.commands.context import load, options

status_app = typer.Typer(rich_markup_mode=None)


@status_app.command()
def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """One screen: both people, the next meeting in both time zones, open and overdue items."""
    from mentorkit import output, overview, render

    opts = options(ctx)
    result = overview.status(load(opts).mentorship, opts.now, opts.today)
    if as_json:
        output.print_json("status", overview.status_json(result))
    else:
        render.status(result)
