"""`mentorkit status`: one screen on where the mentorship stands."""

from __future__ import annotations

from typing import Annotated

import typer

from mentorkit.commands.context import FullHelp, load, options

status_app = typer.Typer(cls=FullHelp, rich_markup_mode=None)


@status_app.command()
def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """One screen: both people, the next meeting in both time zones, open and overdue items,
    and how this clone stands against its remote (as of the last fetch; `checkin` fetches)."""
    from dataclasses import asdict
    from datetime import UTC, datetime

    from mentorkit import output
    from mentorkit.domain.status import overview
    from mentorkit.git.standing import describe, standing
    from mentorkit.views import terminal
    from mentorkit.views.json_shapes import status_json

    opts = options(ctx)
    result = overview(load(opts).mentorship, opts.now, opts.today)
    remote = standing(opts.path(), fetch=False)
    if as_json:
        shape = status_json(result)
        shape["git"] = asdict(remote) if remote else None
        output.print_json("status", shape)
    else:
        output.write(terminal.status(result))
        lines = describe(remote, datetime.now(UTC))
        if lines:
            output.write(["", *lines])
