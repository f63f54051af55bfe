"""`mentorkit report`: the progress review for a period, as HTML or Markdown."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from mentorkit.commands.context import FullHelp, load, options, when

report_app = typer.Typer(cls=FullHelp, rich_markup_mode=None)


@report_app.command()
def report(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option(help="Start of the period (default: the start of the term).")
    ] = None,
    until: Annotated[str | None, typer.Option(help="End of the period (default: today).")] = None,
    quarter: Annotated[str | None, typer.Option(help="A calendar quarter such as 2026Q1.")] = None,
    format_: Annotated[str, typer.Option("--format", help="html or md.")] = "html",
    output_file: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write, - for stdout (default: stdout when it is redirected or "
            "piped, else report.html or report.md).",
        ),
    ] = None,
) -> None:
    """A progress review for a period: KPI charts against baseline and target, each
    person's accountability, feedback both ways, and the highlights. HTML is one
    self-contained page (it prints well to PDF); Markdown uses text sparklines."""
    from mentorkit import output
    from mentorkit.commands.history import told_in_git
    from mentorkit.domain import report
    from mentorkit.errors import UsageProblem
    from mentorkit.git.history import due_changes
    from mentorkit.views import review

    if format_ not in ("html", "md"):
        raise UsageProblem(f"--format is html or md, not {format_!r}")
    if quarter and (since or until):
        raise UsageProblem("give either --quarter or --since/--until, not both")
    opts = options(ctx)
    m = load(opts).mentorship
    start, end, title = report.period(
        when(opts, m, since), when(opts, m, until), quarter, m, opts.today
    )
    told = due_changes(told_in_git(opts.path(), m))
    happened = opts.happened(m.schedule.timezone)
    built = report.build(m, start, end, title, happened, opts.today, told)
    text = review.html(built) if format_ == "html" else review.markdown(built)
    target = output_file or ("-" if not sys.stdout.isatty() else f"report.{format_}")
    if output.export(target, text):
        output.success(f"wrote {target}")
