"""`mentorkit goal ...`: the competencies the mentee develops."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from datetime import date

    from mentorkit.domain.goals import KpiProgress
    from mentorkit.file.model import Mentorship

from mentorkit.commands.context import (
    JSON,
    FullHelp,
    change_by_anyone,
    correct,
    load,
    options,
    when,
)
from mentorkit.views.json_shapes import goal_json

goal_app = typer.Typer(
    cls=FullHelp, rich_markup_mode=None, help="Goals: the competencies the mentee develops."
)


GOAL = Annotated[
    str,
    typer.Argument(
        metavar="GOAL", help="The goal's ID, a prefix of it, or words from its competency."
    ),
]


def _progress(m: Mentorship, today: date) -> dict[str, KpiProgress]:
    from mentorkit.domain.goals import kpi_progress

    return {kpi.id: kpi_progress(kpi, today) for _, kpi in m.kpis()}


@goal_app.command("add")
def goal_add(
    ctx: typer.Context,
    competency: Annotated[str, typer.Argument(help="The core competency, in your words.")],
    why: Annotated[str | None, typer.Option(help="Why it matters.")] = None,
    strategy: Annotated[
        list[str] | None,
        typer.Option("--strategy", "-s", help="A strategy to reach it (repeatable)."),
    ] = None,
) -> None:
    """Set a new goal."""
    from mentorkit.domain.goals import add_goal
    from mentorkit.output import success

    opts = options(ctx)
    _goal, message = change_by_anyone(
        opts,
        lambda m, role: add_goal(
            m, competency, why=why, strategies=strategy or [], by=role, today=opts.today
        ),
    )
    success(message)


@goal_app.command("list")
def goal_list(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option(help="Only goals that are active, achieved or dropped.")
    ] = None,
    as_json: JSON = False,
) -> None:
    """Goals with each KPI's progress bar, trend and projection."""
    from mentorkit import output
    from mentorkit.views import terminal

    opts = options(ctx)
    m = load(opts).mentorship
    goals = [g for g in m.goals if status is None or g.status == status]
    progress = _progress(m, opts.today)
    if as_json:
        output.print_json("goals", [goal_json(g, progress) for g in goals])
    else:
        output.write(terminal.goal_list(goals, progress))


@goal_app.command("show")
def goal_show(
    ctx: typer.Context,
    goal_id: GOAL,
    as_json: JSON = False,
) -> None:
    """One goal: why, strategies, KPIs with progress, linked actions and resources."""
    from mentorkit import output
    from mentorkit.domain.goals import find_goal
    from mentorkit.views import terminal

    opts = options(ctx)
    m = load(opts).mentorship
    goal = find_goal(m, goal_id)
    progress = _progress(m, opts.today)
    if as_json:
        output.print_json("goal", goal_json(goal, progress))
        return
    actions = [a for a in m.actions if a.goal == goal.id]
    resources = [r for r in m.resources if r.goal == goal.id]
    output.write(terminal.goal_detail(goal, progress, actions, resources))


@goal_app.command("edit")
def goal_edit(
    ctx: typer.Context,
    goal_id: GOAL,
    competency: Annotated[str | None, typer.Option(help="New wording of the competency.")] = None,
    why: Annotated[str | None, typer.Option(help="New reason (empty to clear).")] = None,
    strategy: Annotated[
        list[str] | None, typer.Option("--strategy", "-s", help="Add a strategy (repeatable).")
    ] = None,
    remove_strategy: Annotated[
        list[int] | None,
        typer.Option(help="Remove strategy number N, as `goal show` numbers them."),
    ] = None,
) -> None:
    """Change a goal's wording, reason or strategies."""
    from mentorkit.domain.goals import edit_goal
    from mentorkit.output import success

    opts = options(ctx)
    _, lines = correct(
        opts,
        lambda m, role: edit_goal(
            m,
            goal_id,
            competency=competency,
            why=why,
            add_strategies=strategy,
            remove_strategies=remove_strategy,
            by=role,
        ),
    )
    for line in lines:
        success(line)


@goal_app.command("achieve")
def goal_achieve(
    ctx: typer.Context,
    goal_id: GOAL,
    date_text: Annotated[str | None, typer.Option("--date", help="When (default today).")] = None,
) -> None:
    """Mark a goal achieved."""
    from mentorkit.domain.goals import achieve_goal
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change_by_anyone(
        opts,
        lambda m, role: achieve_goal(
            m, goal_id, when=when(opts, m, date_text) or opts.today, by=role
        ),
    )
    success(message)


@goal_app.command("drop")
def goal_drop(
    ctx: typer.Context,
    goal_id: GOAL,
    reason: Annotated[str | None, typer.Option(help="Why it is dropped.")] = None,
) -> None:
    """Drop a goal (it stays in the file, marked dropped)."""
    from mentorkit.domain.goals import drop_goal
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change_by_anyone(
        opts,
        lambda m, role: drop_goal(m, goal_id, reason=reason, when=opts.today, by=role),
    )
    success(message)
