"""`mentorkit kpi ...`: how each goal is measured, and the measurements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from mentorkit.file.model import Kpi, Mentorship, Role

from mentorkit.commands.context import (
    JSON,
    NEGATIVE,
    FullHelp,
    change_by_anyone,
    correct,
    load,
    number,
    options,
    when,
)

kpi_app = typer.Typer(cls=FullHelp, rich_markup_mode=None, help="KPIs: how each goal is measured.")


KPI = Annotated[
    str,
    typer.Argument(metavar="KPI", help="The KPI's ID, a prefix of it, or words from its name."),
]


DAY = Annotated[str, typer.Argument(metavar="DATE", help="The date of the measurement.")]


@kpi_app.command("add")
def kpi_add(
    ctx: typer.Context,
    goal_id: Annotated[str, typer.Argument(metavar="GOAL", help="The goal it measures.")],
    name: Annotated[str, typer.Option(help="What is measured.")],
    baseline: Annotated[str, typer.Option(help="Where it stands now.")],
    target: Annotated[str, typer.Option(help="Where it should get to.")],
    unit: Annotated[str | None, typer.Option(help="Unit, e.g. 'revisions' or '%'.")] = None,
    direction: Annotated[
        str | None,
        typer.Option(help="higher or lower is better (default: from baseline and target)."),
    ] = None,
    due: Annotated[str | None, typer.Option(help="When the target should be reached.")] = None,
) -> None:
    """Add a KPI to a goal."""
    from mentorkit.domain.goals import add_kpi
    from mentorkit.output import success

    opts = options(ctx)
    low, high = number(baseline, "--baseline"), number(target, "--target")
    _, message = change_by_anyone(
        opts,
        lambda m, role: add_kpi(
            m,
            goal_id,
            name=name,
            baseline=low,
            target=high,
            unit=unit,
            direction=direction,
            due=when(opts, m, due),
            by=role,
        ),
    )
    success(message)


@kpi_app.command("record", context_settings=NEGATIVE)
def kpi_record(
    ctx: typer.Context,
    kpi_id: KPI,
    value: Annotated[str, typer.Argument(help="The measured value.")],
    date_text: Annotated[
        str | None, typer.Option("--date", help="When it was measured (default today).")
    ] = None,
    note: Annotated[str | None, typer.Option(help="A note on this measurement.")] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Record a value that looks like a typo without asking (needed without a "
            "terminal).",
        ),
    ] = False,
) -> None:
    """Record a dated measurement of a KPI. A value far outside baseline to target, over 100
    for a %, or a second value on the same date is questioned first: on a terminal you are
    asked; otherwise it is refused unless you pass --force."""
    from mentorkit.domain.goals import find_kpi, implausible, record_measurement
    from mentorkit.output import success

    opts = options(ctx)
    amount = number(value, "VALUE")

    def operation(m: Mentorship, role: Role | None) -> tuple[Kpi, str]:
        day = when(opts, m, date_text) or opts.today
        doubts = implausible(find_kpi(m, kpi_id)[1], amount, day)
        if doubts and not force:
            _confirm_or_refuse(doubts)
        return record_measurement(m, kpi_id, amount, when=day, note=note, by=role)

    _, message = change_by_anyone(opts, operation)
    success(message)


FORCE = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Take a value that looks like a typo without asking (needed without a terminal).",
    ),
]


def _confirm_or_refuse(doubts: list[str], verb: str = "record") -> None:
    """Ask on a terminal whether to go ahead; without one, refuse and name --force."""
    import sys

    from mentorkit.errors import UsageProblem
    from mentorkit.output import read_line, warn

    if not sys.stdin.isatty():
        raise UsageProblem(f"{'; '.join(doubts)}; pass --force to {verb} it anyway")
    for doubt in doubts:
        warn(doubt)
    try:
        answer = read_line(f"{verb.capitalize()} it anyway? [y/N]: ")
    except EOFError:
        answer = ""
    if answer.strip().lower() not in ("y", "yes"):
        raise UsageProblem(f"not {verb}{'d' if verb.endswith('e') else 'ed'}")


@kpi_app.command("edit")
def kpi_edit(
    ctx: typer.Context,
    kpi_id: KPI,
    name: Annotated[str | None, typer.Option(help="The corrected name.")] = None,
    unit: Annotated[str | None, typer.Option(help="The unit (empty to clear).")] = None,
    baseline: Annotated[str | None, typer.Option(help="The corrected baseline.")] = None,
    target: Annotated[str | None, typer.Option(help="The corrected target.")] = None,
    direction: Annotated[str | None, typer.Option(help="higher or lower is better.")] = None,
    due: Annotated[str | None, typer.Option(help="When the target should be reached.")] = None,
    reason: Annotated[str | None, typer.Option(help="Why, for the record.")] = None,
    force: FORCE = False,
) -> None:
    """Correct a KPI's name, unit, baseline, target, direction or due date; the
    measurements stay and history records before and after. A baseline or target that
    looks like a typo (far from the range so far, outside 0-100 for a %) is questioned as
    in `kpi record`."""
    from mentorkit.domain.goals import edit_kpi, find_kpi, implausible_definition
    from mentorkit.output import success

    opts = options(ctx)
    low = number(baseline, "--baseline") if baseline is not None else None
    high = number(target, "--target") if target is not None else None

    def operation(m: Mentorship, role: Role | None) -> tuple[Kpi, str]:
        kpi = find_kpi(m, kpi_id)[1]
        doubts = implausible_definition(kpi, baseline=low, target=high, unit=unit)
        if doubts and not force:
            _confirm_or_refuse(doubts, "change")
        return edit_kpi(
            m, kpi_id, name=name, unit=unit, baseline=low, target=high, direction=direction,
            due=when(opts, m, due), reason=reason, by=role,
        )  # fmt: skip

    _, lines = correct(opts, operation, reason=reason)
    for line in lines:
        success(line)


@kpi_app.command("drop")
def kpi_drop(
    ctx: typer.Context,
    kpi_id: KPI,
    reason: Annotated[str, typer.Option(help="Why it is dropped, for the record.")],
) -> None:
    """Remove a KPI and its measurements from the file; git history keeps them."""
    from mentorkit.domain.goals import drop_kpi
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change_by_anyone(
        opts,
        lambda m, role: drop_kpi(m, kpi_id, reason=reason, by=role),
        reason=reason,
    )
    success(message)


@kpi_app.command("fix", context_settings=NEGATIVE)
def kpi_fix(
    ctx: typer.Context,
    kpi_id: KPI,
    date_text: DAY,
    value: Annotated[str, typer.Argument(help="The correct value.")],
    reason: Annotated[str | None, typer.Option(help="Why, for the record.")] = None,
    force: FORCE = False,
) -> None:
    """Correct the value measured on one date; history records before and after. A value
    that looks like a typo is questioned as in `kpi record`."""
    from mentorkit.domain.goals import find_kpi, fix_measurement, implausible
    from mentorkit.output import success

    opts = options(ctx)
    amount = number(value, "VALUE")

    def operation(m: Mentorship, role: Role | None) -> tuple[Kpi, str]:
        doubts = implausible(find_kpi(m, kpi_id)[1], amount, None)
        if doubts and not force:
            _confirm_or_refuse(doubts, "correct")
        day = when(opts, m, date_text)
        return fix_measurement(m, kpi_id, day, amount, reason=reason, by=role)

    _, lines = correct(opts, operation, reason=reason)
    for line in lines:
        success(line)


@kpi_app.command("unrecord")
def kpi_unrecord(
    ctx: typer.Context,
    kpi_id: KPI,
    date_text: DAY,
    reason: Annotated[str, typer.Option(help="Why it is removed, for the record.")],
    value: Annotated[
        str | None, typer.Option(help="Which value, where the date has more than one.")
    ] = None,
) -> None:
    """Remove a measurement recorded by mistake; git history keeps it."""
    from mentorkit.domain.goals import unrecord_measurement
    from mentorkit.output import success

    opts = options(ctx)
    amount = number(value, "--value") if value is not None else None
    _, lines = correct(
        opts,
        lambda m, role: unrecord_measurement(
            m,
            kpi_id,
            when(opts, m, date_text),
            value=amount,
            reason=reason,
            by=role,
        ),
        reason=reason,
    )
    for line in lines:
        success(line)


@kpi_app.command("show")
def kpi_show(
    ctx: typer.Context,
    kpi_id: KPI,
    as_json: JSON = False,
) -> None:
    """The measurement series, progress bar, trend and projection of one KPI."""
    from mentorkit import output
    from mentorkit.domain.goals import find_kpi, kpi_progress
    from mentorkit.views import json_shapes, terminal

    opts = options(ctx)
    m = load(opts).mentorship
    goal, kpi = find_kpi(m, kpi_id)
    progress = kpi_progress(kpi, opts.today)
    if as_json:
        output.print_json("kpi", json_shapes.kpi_json(goal, kpi, progress))
    else:
        output.write(terminal.kpi_detail(goal, kpi, progress))
