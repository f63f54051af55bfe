"""`mentorkit schedule ...`: the meeting schedule in both time zones, and changes to it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from mentorkit.file.model import Mentorship, Role, ScheduleChange

from mentorkit.commands.context import FullHelp, change_by_anyone, load, options, when

schedule_app = typer.Typer(
    cls=FullHelp, rich_markup_mode=None, help="The meeting schedule, in both people's time zones."
)


DAY = Annotated[
    str,
    typer.Argument(metavar="DATE", help="The date the meeting is due on (YYYY-MM-DD or a phrase)."),
]


REASON = Annotated[str | None, typer.Option(help="Why, for both of you to see.")]


@schedule_app.callback(invoke_without_command=True)
def schedule_show(
    ctx: typer.Context,
    count: Annotated[int, typer.Option("--count", "-n", help="How many meetings to show.")] = 5,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON (see README: JSON output).")
    ] = False,
) -> None:
    """The next meetings, each in the meeting's time zone and in both people's local time."""
    if ctx.invoked_subcommand is not None:
        return
    from mentorkit import output
    from mentorkit.domain.status import upcoming_meetings
    from mentorkit.views import json_shapes, terminal

    opts = options(ctx)
    m = load(opts).mentorship
    found = upcoming_meetings(m, opts.now, opts.today, max(1, count))
    if as_json:
        output.print_json("schedule", json_shapes.schedule_json(m, found))
    else:
        output.write(terminal.schedule(m, found, opts.today))


@schedule_app.command("set")
def schedule_set(
    ctx: typer.Context,
    cadence: Annotated[
        str | None,
        typer.Option(
            help="'monthly on the first tuesday', 'every 2 weeks on thursday', 'quarterly', or an RRULE."
        ),
    ] = None,
    first: Annotated[str | None, typer.Option(help="Date of the first meeting.")] = None,
    at: Annotated[str | None, typer.Option("--time", help="Meeting time, e.g. 16:00.")] = None,
    timezone: Annotated[
        str | None, typer.Option(help="Time zone of that time (IANA name).")
    ] = None,
    duration: Annotated[int | None, typer.Option(help="Length in minutes.")] = None,
    channel: Annotated[str | None, typer.Option(help="video or phone.")] = None,
    link: Annotated[str | None, typer.Option(help="Video link or dial-in.")] = None,
    until: Annotated[
        str | None,
        typer.Option(help="Last date of the series (e.g. the end of the term), or 'none'."),
    ] = None,
) -> None:
    """Change the formal meeting schedule."""
    from mentorkit.domain.schedule import set_schedule
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change_by_anyone(
        opts,
        lambda m, role: set_schedule(
            m,
            cadence=cadence,
            first=when(opts, m, first),
            at=at,
            timezone=timezone,
            duration=duration,
            channel=channel,
            link=link,
            until=None if _never(until) else when(opts, m, until),
            open_ended=_never(until),
            today=opts.today,
            by=role,
        ),
    )
    success(message)
    if any(x is not None for x in (cadence, first, at, timezone, duration)):
        from mentorkit.domain.schedule import outside_working_day
        from mentorkit.output import warn

        for problem in outside_working_day(load(opts).mentorship, opts.today):
            warn(problem)


def _never(text: str | None) -> bool:
    return text is not None and text.strip().lower() in ("none", "never")


@schedule_app.command("feedback-day")
def schedule_feedback_day(
    ctx: typer.Context,
    day: Annotated[str, typer.Argument(help="A day of the week, or 'none'.")],
    at: Annotated[str | None, typer.Option("--time", help="A time of day, e.g. 15:00.")] = None,
) -> None:
    """Set the weekly feedback day."""
    from mentorkit.domain.schedule import set_feedback_day
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change_by_anyone(opts, lambda m, role: set_feedback_day(m, day, at, by=role))
    success(message)


@schedule_app.command("move")
def schedule_move(
    ctx: typer.Context,
    day: DAY,
    new: Annotated[
        str,
        typer.Argument(
            metavar="NEWDATETIME", help="'2026-03-05 17:00', 'friday 15:00', or a date."
        ),
    ],
    reason: REASON = None,
) -> None:
    """Move one meeting of the series to another date and time."""
    from mentorkit.domain.schedule import move_meeting, parse_local_datetime
    from mentorkit.output import success

    opts = options(ctx)

    def operation(m: Mentorship, role: Role | None) -> tuple[ScheduleChange, str]:
        target = parse_local_datetime(new, m.schedule, opts.today)
        return move_meeting(m, when(opts, m, day), target, reason=reason, by=role)

    _, message = change_by_anyone(opts, operation)
    success(message)


@schedule_app.command("cancel")
def schedule_cancel(ctx: typer.Context, day: DAY, reason: REASON = None) -> None:
    """Cancel one meeting (of the series, or an extra one)."""
    from mentorkit.domain.schedule import cancel_meeting
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change_by_anyone(
        opts, lambda m, role: cancel_meeting(m, when(opts, m, day), reason=reason, by=role)
    )
    success(message)


@schedule_app.command("add")
def schedule_add(
    ctx: typer.Context,
    at: Annotated[
        str, typer.Argument(metavar="DATETIME", help="'2026-03-05 17:00' or 'friday 15:00'.")
    ],
    reason: REASON = None,
) -> None:
    """Add a one-off meeting outside the series."""
    from mentorkit.domain.schedule import add_meeting, parse_local_datetime
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change_by_anyone(
        opts,
        lambda m, role: add_meeting(
            m, parse_local_datetime(at, m.schedule, opts.today), reason=reason, by=role
        ),
    )
    success(message)
