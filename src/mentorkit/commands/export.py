"""`mentorkit export ics`: the schedule and due dates as a calendar file."""

from __future__ import annotations

from typing import Annotated

import typer

from mentorkit.commands.context import FullHelp, load, options

export_app = typer.Typer(
    cls=FullHelp, rich_markup_mode=None, help="Export the mentorship for other tools."
)


@export_app.callback()
def export_group() -> None:
    """Export the mentorship for other tools."""


@export_app.command("ics")
def export_ics(
    ctx: typer.Context,
    output_file: Annotated[
        str, typer.Option("--output", "-o", help="File to write, or - for stdout.")
    ] = "mentorship.ics",
    only: Annotated[
        str, typer.Option(help="What goes in: meetings,feedback,actions.")
    ] = "meetings,feedback,actions",
    remind: Annotated[
        str, typer.Option(help="Reminders before each meeting, e.g. 1d,15m (or none).")
    ] = "1d,15m",
    todos_as_events: Annotated[
        bool,
        typer.Option("--todos-as-events", help="Action items as all-day events instead of VTODO."),
    ] = False,
    details: Annotated[
        bool,
        typer.Option("--details", help="Put what the mentee wants in each meeting's description."),
    ] = False,
) -> None:
    """Write an iCalendar (.ics) file any calendar app imports: meetings in their own time
    zone, the feedback day, and action item due dates. Importing a newer export updates the
    events instead of duplicating them. Events are private; no notes, feedback or KPI values
    go in, and the agreement's words only with --details."""
    from mentorkit import output
    from mentorkit.views.icsexport import ExportOptions, export, parse_only, parse_reminders

    opts = options(ctx)
    chosen = ExportOptions(parse_only(only), parse_reminders(remind), todos_as_events, details)
    data = export(load(opts).mentorship, opts.today, chosen)
    if output.export(output_file, data.decode("utf-8"), line_end="\r\n"):
        output.success(f"wrote {output_file}")
