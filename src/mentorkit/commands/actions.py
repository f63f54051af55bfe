"""`mentorkit action ...`: commitments by either person."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mentorkit.commands.context import (
    JSON,
    NEGATIVE,
    FullHelp,
    change,
    change_by_anyone,
    correct,
    load,
    options,
    when,
)
from mentorkit.views.json_shapes import action_json

if TYPE_CHECKING:
    from mentorkit.file.model import ActionItem, Mentorship, Role

action_app = typer.Typer(cls=FullHelp, rich_markup_mode=None, help="Action items for both people.")

ID = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help="The action item's ID, a prefix of it, or words from its title, quoted: "
        '"/demand letter/".',
    ),
]
REASON = Annotated[
    str | None, typer.Option(help="Why, for the record (kept in the commit message).")
]


@action_app.command("add")
def action_add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="What will be done.")],
    owner: Annotated[str | None, typer.Option(help="mentor or mentee (default: you).")] = None,
    due: Annotated[
        str | None,
        typer.Option(
            help="2026-12-04, Dec 4, friday, next tuesday, tomorrow, +3d, in 2 weeks, next month, "
            "before next meeting (the day before the meeting after today)."
        ),
    ] = None,
    goal: Annotated[str | None, typer.Option(help="The goal it serves.")] = None,
) -> None:
    """Add an action item."""
    from mentorkit.domain.actions import add_action
    from mentorkit.git.people import role_named
    from mentorkit.output import success

    opts = options(ctx)
    chosen = role_named(owner, "--owner")

    def add(m: Mentorship, owner: Role, by: Role | None) -> tuple[ActionItem, str]:
        return add_action(
            m, title, owner=owner, due=when(opts, m, due), goal=goal, by=by, today=opts.today
        )

    if chosen is None:  # the owner is whoever runs it, who must then be known
        _, message = change(opts, lambda m, role: add(m, role, role))
    else:
        _, message = change_by_anyone(opts, lambda m, role: add(m, chosen, role))
    success(message)


@action_app.command("list")
def action_list(
    ctx: typer.Context,
    owner: Annotated[str | None, typer.Option(help="Only the mentor's or the mentee's.")] = None,
    status: Annotated[str, typer.Option(help="open, done, dropped or all.")] = "open",
    overdue: Annotated[bool, typer.Option("--overdue", help="Only overdue items.")] = False,
    before_next_meeting: Annotated[
        bool, typer.Option("--before-next-meeting", help="Only items due before the next meeting.")
    ] = False,
    goal: Annotated[str | None, typer.Option(help="Only items for this goal.")] = None,
    as_json: JSON = False,
) -> None:
    """Action items by due date, overdue ones highlighted."""
    from mentorkit import output
    from mentorkit.domain.actions import ActionFilter, select
    from mentorkit.errors import UsageProblem
    from mentorkit.git.people import role_named
    from mentorkit.views import terminal

    opts = options(ctx)
    if status not in ("open", "done", "dropped", "all"):
        raise UsageProblem(f"--status is open, done, dropped or all, not {status!r}")
    m = load(opts).mentorship
    due_before = None
    if before_next_meeting:
        from mentorkit.domain.schedule import next_meeting

        upcoming = next_meeting(m.schedule, opts.now)
        if upcoming is None:
            raise UsageProblem(
                "--before-next-meeting needs a scheduled next meeting, and there is none"
            )
        due_before = upcoming.start.date()
    chosen = ActionFilter(
        owner=role_named(owner, "--owner"),
        status=None if status == "all" else status,
        overdue=overdue,
        due_before=due_before,
        goal=goal,
    )
    found = select(m, chosen, opts.today)
    if as_json:
        output.print_json("actions", [action_json(a, opts.today) for a in found])
    else:
        output.write(terminal.action_list(found, opts.today))


@action_app.command("show")
def action_show(ctx: typer.Context, action_id: ID, as_json: JSON = False) -> None:
    """One action item with its follow-up updates and moved due dates."""
    from mentorkit import output
    from mentorkit.domain.actions import find_action
    from mentorkit.views import terminal

    opts = options(ctx)
    action = find_action(load(opts).mentorship, action_id)
    if as_json:
        output.print_json("action", action_json(action, opts.today))
    else:
        output.write(terminal.action_detail(action, opts.today))


@action_app.command("done")
def action_done(
    ctx: typer.Context,
    action_id: ID,
    date_text: Annotated[
        str | None, typer.Option("--date", help="When it was done (default today).")
    ] = None,
) -> None:
    """Record an action item as done, and say how early or late it was."""
    from mentorkit.domain.actions import complete
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change_by_anyone(
        opts,
        lambda m, role: complete(
            m, action_id, when=when(opts, m, date_text) or opts.today, by=role
        ),
    )
    success(message)


@action_app.command("update")
def action_update(
    ctx: typer.Context,
    action_id: ID,
    text: Annotated[str, typer.Argument(help="The follow-up: where it stands.")],
) -> None:
    """Add a dated follow-up update to an action item."""
    from mentorkit.domain.actions import add_update
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change(
        opts,
        lambda m, role: add_update(m, action_id, text, by=role, today=opts.today),
    )
    success(message)


@action_app.command("move", context_settings=NEGATIVE)
def action_move(
    ctx: typer.Context,
    action_id: ID,
    due: Annotated[str, typer.Argument(metavar="WHEN", help="The new due date (any date phrase).")],
    reason: REASON = None,
) -> None:
    """Change the due date; the earlier one and the reason are kept on record."""
    from mentorkit.domain.actions import move
    from mentorkit.output import success

    opts = options(ctx)

    def operation(m: Mentorship, role: Role | None) -> tuple[ActionItem, str]:
        return move(m, action_id, when(opts, m, due), by=role, today=opts.today, reason=reason)

    _, message = change_by_anyone(opts, operation)
    success(message)


@action_app.command("reopen")
def action_reopen(ctx: typer.Context, action_id: ID) -> None:
    """Reopen a done or dropped action item."""
    from mentorkit.domain.actions import reopen
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change_by_anyone(opts, lambda m, role: reopen(m, action_id, by=role))
    success(message)


@action_app.command("drop")
def action_drop(
    ctx: typer.Context,
    action_id: ID,
    reason: Annotated[str, typer.Option(help="Why it is dropped.")],
) -> None:
    """Drop an action item, with the reason on record."""
    from mentorkit.domain.actions import drop
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change_by_anyone(
        opts,
        lambda m, role: drop(m, action_id, reason=reason, by=role, today=opts.today),
    )
    success(message)


@action_app.command("edit")
def action_edit(
    ctx: typer.Context,
    action_id: ID,
    title: Annotated[str | None, typer.Option(help="The corrected title.")] = None,
    owner: Annotated[str | None, typer.Option(help="mentor or mentee.")] = None,
    goal: Annotated[str | None, typer.Option(help="The goal it serves (- for none).")] = None,
    reason: REASON = None,
) -> None:
    """Correct an action item's title, owner or goal; history records before and after."""
    from mentorkit.domain.actions import edit_action
    from mentorkit.git.people import role_named
    from mentorkit.output import success

    opts = options(ctx)
    new_owner = role_named(owner, "--owner")
    _, lines = correct(
        opts,
        lambda m, role: edit_action(
            m, action_id, title=title, owner=new_owner, goal=goal, reason=reason, by=role
        ),
        reason=reason,
    )
    for line in lines:
        success(line)
