"""`mentorkit resource ...`: resources shared with the mentee."""

from __future__ import annotations

from typing import Annotated

import typer

from mentorkit.commands.context import (
    JSON,
    REASON,
    FullHelp,
    change,
    change_by_anyone,
    correct,
    load,
    options,
)
from mentorkit.views.json_shapes import raw_list

resource_app = typer.Typer(
    cls=FullHelp, rich_markup_mode=None, help="Resources shared with the mentee."
)


RESOURCE = Annotated[
    str,
    typer.Argument(
        metavar="ID", help="The resource's ID, a prefix of it, or words from its title."
    ),
]


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
    from mentorkit.domain.resources import add_resource
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
            today=opts.today,
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
    from mentorkit.domain.resources import select_resources
    from mentorkit.views import terminal

    found = select_resources(load(options(ctx)).mentorship, kind=kind, goal=goal, status=status)
    if as_json:
        output.print_json("resources", raw_list(found))
    else:
        output.write(terminal.resource_list(found))


@resource_app.command("done")
def resource_done(
    ctx: typer.Context,
    resource_id: RESOURCE,
    note: Annotated[str | None, typer.Option(help="What you took from it.")] = None,
) -> None:
    """Record that the mentee has worked through a resource."""
    from mentorkit.domain.resources import complete_resource
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change_by_anyone(
        opts,
        lambda m, role: complete_resource(m, resource_id, note=note, when=opts.today, by=role),
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
    from mentorkit.domain.resources import edit_resource
    from mentorkit.output import success

    opts = options(ctx)
    _, lines = correct(
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
        reason=reason,
    )
    for line in lines:
        success(line)


@resource_app.command("drop")
def resource_drop(ctx: typer.Context, resource_id: RESOURCE, reason: REASON) -> None:
    """Take a resource off the list; git history keeps it."""
    from mentorkit.domain.resources import drop_resource
    from mentorkit.output import success

    opts = options(ctx)
    _, message = change_by_anyone(
        opts,
        lambda m, role: drop_resource(m, resource_id, reason=reason, by=role),
        reason=reason,
    )
    success(message)
