"""Every command has help and a row in the README's command table, and no help is cut off:
each group lists its commands' first sentences whole, at 80 columns and at 50."""

from __future__ import annotations

import pytest
import typer
from typer.core import TyperGroup

from mentorkit.cli import app


def _tree(command, path: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    yield path, command
    if isinstance(command, TyperGroup):
        ctx = typer.Context(command)
        for name in command.list_commands(ctx):
            yield from _tree(command.get_command(ctx, name), (*path, name))  # type: ignore[arg-type]


COMMANDS = list(_tree(typer.main.get_command(app)))


def _first_sentence(text: str) -> str:
    words = " ".join(text.split())
    end = words.find(". ")
    return words if end < 0 else words[: end + 1]


@pytest.mark.parametrize("columns", ["80", "50"])
@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(p) or "mentorkit" for p, _ in COMMANDS]
)
def test_help_is_complete_and_never_cut(cli, path, command, columns):
    result = cli(*path, "--help", env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    assert command.help or command.short_help, f"{path} has no help text"
    body = result.stdout.split("\n", 1)[1]  # the usage line may end in [ARGS]...
    assert "..." not in body, body
    if path:  # shell completion is the root's, never listed under a command
        assert "-completion" not in result.stdout, path
    if isinstance(command, TyperGroup) and path:
        flat = " ".join(result.stdout.split())
        ctx = typer.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub.hidden:
                continue
            assert _first_sentence(sub.help or sub.short_help or "") in flat, (name, flat)


def test_long_lines_wrap_with_a_hanging_indent_on_a_terminal(cli, example):
    result = cli(
        "--today", "2026-11-26", "action", "list", env={"FORCE_COLOR": "1", "COLUMNS": "80"}
    )
    import re

    plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout).splitlines()
    assert plain[0].startswith("a2tw  2026-11-13")
    assert plain[1].startswith("      ") and "medical special damages" in plain[1]
    assert all(len(line) <= 80 for line in plain)


def _readme_command_rows() -> dict[str, set[str]]:
    """The README's command table: for each command, the words of the code spans in its
    row's command column (`goal add/list/show` gives goal, add, list, show); the prose
    beside it does not count."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Commands", 1)[1].split("\n\n", 2)[1]
    rows: dict[str, set[str]] = {}
    for line in table.splitlines()[2:]:
        first = line.strip("|").split("|", 1)[0]
        spans = re.findall(r"`([^`]*)`", first)
        if not spans:
            continue
        command = spans[0].split()[0]
        words = {w for span in spans for w in re.split(r"[ /]", span)}  # the command column only
        rows.setdefault(command, set()).update(words)
    return rows


DOCUMENTED = [
    (path, command)
    for path, command in COMMANDS
    if (path and not command.hidden and not isinstance(command, TyperGroup)) or len(path) == 1
]


@pytest.mark.parametrize(("path", "command"), DOCUMENTED, ids=[" ".join(p) for p, _ in DOCUMENTED])
def test_every_command_has_help_and_a_row_in_the_readme_table(path, command):
    assert (command.help or command.short_help or "").strip(), f"{path} has no help text"
    rows = _readme_command_rows()
    assert path[0] in rows, f"the README's command table has no row for {path[0]}"
    if len(path) > 1:
        assert path[-1] in rows[path[0]], f"the README's row for {path[0]} does not name {path}"
