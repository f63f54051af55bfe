"""`mentorkit stats`: accountability in figures for each person."""

from __future__ import annotations

from typing import Annotated

import typer

from mentorkit.commands.context import JSON, FullHelp, load, options, period

stats_app = typer.Typer(cls=FullHelp, rich_markup_mode=None)


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
    from mentorkit import output
    from mentorkit.commands.history import told_in_git
    from mentorkit.domain.stats import compute
    from mentorkit.git.history import due_changes
    from mentorkit.views import json_shapes, terminal

    opts = options(ctx)
    m = load(opts).mentorship
    first, last = period(opts, m, since, until)
    told = due_changes(told_in_git(opts.path(), m))
    result = compute(m, opts.happened(m.schedule.timezone), opts.today, first, last, told)
    if as_json:
        output.print_json("stats", json_shapes.stats_json(result))
        return
    output.write(terminal.stats(result, m.people.names()))
