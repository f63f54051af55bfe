"""`mentorkit validate`: checking the file, also as a pre-commit hook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mentorkit.commands.context import FullHelp, options

validate_app = typer.Typer(cls=FullHelp, rich_markup_mode=None)


@validate_app.command()
def validate(
    ctx: typer.Context,
    file: Annotated[
        Path | None, typer.Argument(help="The file to check (default: as --file).")
    ] = None,
) -> None:
    """Check the file: exit 0 when valid, 1 listing every problem when not."""
    from mentorkit import output
    from mentorkit.domain.agreement import gaps
    from mentorkit.errors import InvalidFile
    from mentorkit.file.storage import display_name, load

    opts = options(ctx)
    path = file or opts.path()
    try:
        loaded = load(path)
    except InvalidFile as err:
        output.error(err.message, err.problems)
        raise typer.Exit(1) from None
    for key in loaded.unknown_keys:
        output.warn(f"unknown key {key} (kept as it is)")
    for gap in gaps(loaded.mentorship):
        output.warn(gap)
    output.success(f"{display_name(path)} is valid")
