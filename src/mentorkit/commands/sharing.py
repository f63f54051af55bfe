"""`mentorkit resource ...`, `mentorkit feedback ...` and `mentorkit agenda ...`."""

from __future__ import annotations

from typing import Annotated

import typer

from mentorkit.commands.context import FullHelp, change, load, options, when

resource_app = typer.Typer(
    cls=FullHelp, rich_markup_mode=None, help="Resources shared with the mentee."
)
feedback_app = typer.Typer(
    cls=FullHelp, rich_markup_mode=None, help="Feedback and recognition, both ways."
)
agenda_app = typer.Typer(
    cls=FullHelp, rich_markup_mode=None, help="Talking points for the next meeting."
)

JSON = Annotated[bool, typer.Option("--json", help="Print JSON (see README: JSON output).")]
RESOURCE = Annotated[
    str,
    typer.Argument(
        metavar="ID", help="The resource's ID, a prefix of it, or words from its title."
    ),
]
REASON = Annotated[str, typer.Option(help="Why, for the record (kept in the commit message).")]


def _raw_list(items):  # type: ignore[no-untyped-def]
    from mentorkit.file.fileformat import to_raw

    return [to_raw(item) for item in items]


@resource_app.command("add")
def resource_add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="The resource's title.")],
    kind: Annotated[
        str, typer.Option(help="template, webinar, article, book, course, video, podcast or other.")
    ],
    url: Annotated[str | None, typer.Option(help="Where to find it.")] = None,
    goal: Annotated[str | None, typer.Option(help="The goal it supports.")] = None,
    note: Annotated[str | None, typer.Option(help="Why it is worth the time.")] = None,
) -> None:
    """Share a resource (shared by you)."""
    from mentorkit.domain.sharing import add_resource
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change(
        opts,
        lambda m, role: add_resource(
            m,
            title,
            kind=kind,
            url=url,
            goal=goal,
            note=note,
            by=role,
            today=opts.today,  # type: ignore[arg-type]
        ),
    )
    success(message)


@resource_app.command("list")
def resource_list(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Option(help="Only this kind.")] = None,
    goal: Annotated[str | None, typer.Option(help="Only for this goal.")] = None,
    status: Annotated[
        str | None, typer.Option(help="shared (not yet worked through) or done.")
    ] = None,
    as_json: JSON = False,
) -> None:
    """Resources, with what is still to be worked through."""
    from mentorkit import output
    from mentorkit.domain.sharing import select_resources
    from mentorkit.views import terminal

    found = select_resources(load(options(ctx)).mentorship, kind=kind, goal=goal, status=status)
    if as_json:
        output.print_json("resources", _raw_list(found))
    else:
        terminal.resource_list(found)


@resource_app.command("done")
def resource_done(
    ctx: typer.Context,
    resource_id: RESOURCE,
    note: Annotated[str | None, typer.Option(help="What you took from it.")] = None,
) -> None:
    """Record that the mentee has worked through a resource."""
    from mentorkit.domain.sharing import complete_resource
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change(
        opts,
        lambda m, role: complete_resource(m, resource_id, note=note, when=opts.today, by=role),
        needs_role=False,
    )
    success(message)


@resource_app.command("edit")
def resource_edit(
    ctx: typer.Context,
    resource_id: RESOURCE,
    title: Annotated[str | None, typer.Option(help="The corrected title.")] = None,
    kind: Annotated[str | None, typer.Option(help="The corrected kind.")] = None,
    url: Annotated[str | None, typer.Option(help="Where to find it (empty to clear).")] = None,
    goal: Annotated[str | None, typer.Option(help="The goal it supports (- for none).")] = None,
    notes: Annotated[str | None, typer.Option(help="New notes (empty to clear).")] = None,
    reason: Annotated[str | None, typer.Option(help="Why, for the record.")] = None,
) -> None:
    """Correct a shared resource; history records before and after."""
    from mentorkit.domain.sharing import edit_resource
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change(
        opts,
        lambda m, role: edit_resource(
            m,
            resource_id,
            title=title,
            kind=kind,
            url=url,
            goal=goal,
            notes=notes,
            reason=reason,
            by=role,
        ),
        needs_role=False,
        reason=reason,
    )
    success(message)


@resource_app.command("drop")
def resource_drop(ctx: typer.Context, resource_id: RESOURCE, reason: REASON) -> None:
    """Take a resource off the list; git history keeps it."""
    from mentorkit.domain.sharing import drop_resource
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change(
        opts,
        lambda m, role: drop_resource(m, resource_id, reason=reason, by=role),
        needs_role=False,
        reason=reason,
    )
    success(message)


@feedback_app.command("give")
def feedback_give(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The feedback, specific and kind.")],
    to: Annotated[
        str | None, typer.Option(help="mentor or mentee (default: the other person).")
    ] = None,
    kind: Annotated[str, typer.Option(help="feedback or recognition.")] = "feedback",
) -> None:
    """Give feedback or recognition to the other person."""
    from mentorkit.domain.sharing import give_feedback
    from mentorkit.git.people import role_named
    from mentorkit.output import success

    opts = options(ctx)
    receiver = role_named(to, "--to")
    _, message = change(
        opts,
        lambda m, role: give_feedback(m, text, by=role, to=receiver, kind=kind, today=opts.today),  # type: ignore[arg-type]
    )
    success(message)


@feedback_app.command("list")
def feedback_list(
    ctx: typer.Context,
    from_: Annotated[
        str | None, typer.Option("--from", help="Only feedback from mentor or mentee.")
    ] = None,
    to: Annotated[str | None, typer.Option(help="Only feedback to mentor or mentee.")] = None,
    kind: Annotated[str | None, typer.Option(help="feedback or recognition.")] = None,
    since: Annotated[str | None, typer.Option(help="From this date on.")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date.")] = None,
    as_json: JSON = False,
) -> None:
    """Feedback and recognition given, oldest first."""
    from mentorkit import output
    from mentorkit.domain.sharing import select_feedback
    from mentorkit.git.people import role_named
    from mentorkit.views import terminal

    opts = options(ctx)
    m = load(opts).mentorship
    found = select_feedback(
        m,
        from_=role_named(from_, "--from"),
        to=role_named(to, "--to"),
        kind=kind,
        since=when(opts, m, since),
        until=when(opts, m, until),
    )
    if as_json:
        output.print_json("feedback", _raw_list(found))
    else:
        terminal.feedback_list(found)


@feedback_app.command("retract")
def feedback_retract(
    ctx: typer.Context,
    feedback_id: Annotated[
        str, typer.Argument(metavar="ID", help="The feedback's ID, a prefix, or words from it.")
    ],
    reason: REASON,
) -> None:
    """Withdraw feedback you gave; it leaves the file, git history keeps it."""
    from mentorkit.domain.sharing import retract_feedback
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change(
        opts,
        lambda m, role: retract_feedback(m, feedback_id, reason=reason, by=role),  # type: ignore[arg-type]
        reason=reason,
    )
    success(message)


@agenda_app.command("add")
def agenda_add(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="What to talk about.")],
) -> None:
    """Add a talking point for the next meeting."""
    from mentorkit.domain.sharing import add_point
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change(
        opts, lambda m, role: add_point(m, text, by=role, today=opts.today), needs_role=False
    )
    success(message)


@agenda_app.command("list")
def agenda_list(ctx: typer.Context, as_json: JSON = False) -> None:
    """Open talking points for the next meeting."""
    from mentorkit import output
    from mentorkit.domain.sharing import open_points
    from mentorkit.views import terminal

    points = open_points(load(options(ctx)).mentorship)
    if as_json:
        output.print_json("agenda", _raw_list(points))
    else:
        terminal.agenda_list(points)


@agenda_app.command("done")
def agenda_done(
    ctx: typer.Context,
    point_id: Annotated[
        str,
        typer.Argument(metavar="ID", help="The talking point's ID, a prefix, or words from it."),
    ],
) -> None:
    """Close a talking point."""
    from mentorkit.domain.sharing import close_point
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change(
        opts, lambda m, role: close_point(m, point_id, today=opts.today, by=role), needs_role=False
    )
    success(message)
