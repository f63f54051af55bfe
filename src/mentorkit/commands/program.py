"""`mentorkit program`: one view over a mentoring program's many pairs (program.yaml)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mentorkit.commands.context import FullHelp, Options, options

if TYPE_CHECKING:
    from collections.abc import Callable

    from mentorkit.domain.program import ProgramView

program_app = typer.Typer(
    cls=FullHelp,
    rich_markup_mode=None,
    no_args_is_help=True,
    help="A mentoring program: many pairs' health at a glance, without reading their notes.",
)

PROGRAM = Annotated[
    str | None,
    typer.Option(
        "--file",
        "-f",
        help="The program file (else $MENTORKIT_PROGRAM, else the nearest program.yaml).",
    ),
]
JOBS = Annotated[int, typer.Option(help="How many repositories to fetch at once.", min=1, max=64)]
TIMEOUT = Annotated[
    float, typer.Option(help="Seconds to wait for each git command.", min=1, max=3600)
]


@program_app.command()
def init(
    name: Annotated[str, typer.Argument(help="The program's name.")],
    lead: Annotated[str | None, typer.Option(help="Who leads the program.")] = None,
    stalled_after: Annotated[
        int, typer.Option(help="Days without a meeting before a pair is stalled.", min=1, max=3650)
    ] = 21,
    file: PROGRAM = None,
) -> None:
    """Start a program file (program.yaml in this folder, or --file)."""
    from mentorkit import output
    from mentorkit.file.programfile import PROGRAM_FILE, Program, program_from_raw, save_program

    checked = program_from_raw(
        {"program": name, "lead": lead, "health": {"stalled_after_days": stalled_after}},
        {},
        "the program",
    )
    program = Program(checked.name, checked.lead, checked.health, [], Path(file or PROGRAM_FILE))
    save_program(program, new=True)
    output.success(f"wrote {program.path}")
    output.write(["  add pairs with: mentorkit program add URL [--branch main] [--name LABEL]"])


@program_app.command()
def add(
    url: Annotated[str, typer.Argument(help="The pair's git URL, or a path to its repository.")],
    branch: Annotated[str, typer.Option(help="The branch holding the mentorship.")] = "main",
    name: Annotated[str | None, typer.Option(help="A label for the pair.")] = None,
    path: Annotated[
        str, typer.Option(help="The mentorship file's path in the repository.")
    ] = "mentorship.yaml",
    file: PROGRAM = None,
) -> None:
    """Add a pair: a git remote URL (any server git reaches) or a local path."""
    from mentorkit import output
    from mentorkit.file.programfile import (
        load_program,
        program_from_raw,
        program_path,
        program_to_raw,
        save_program,
    )

    program = load_program(program_path(file))
    raw = program_to_raw(program)
    from mentorkit.domain.program import shown_url
    from mentorkit.errors import InvalidFile, UsageProblem

    entry = {"url": url, "branch": branch, "file": path, **({"name": name} if name else {})}
    try:
        checked = program_from_raw({**raw, "pairs": [*raw["pairs"], entry]}, {}, "the new pair")
    except InvalidFile as err:  # a bad argument (exit 2), not a bad program file
        raise UsageProblem(err.message + "; nothing was changed") from None
    program.pairs = checked.pairs
    save_program(program)
    shown = f"{shown_url(url)} ({branch})"
    output.success(f"added {shown} to {program.path}; {_pairs(len(program.pairs))}")


@program_app.command()
def remove(
    pair: Annotated[str, typer.Argument(help="The pair's URL or label.")],
    file: PROGRAM = None,
) -> None:
    """Remove a pair (by its URL or label) and its cached copy."""
    from mentorkit import output
    from mentorkit.domain.program import shown_url
    from mentorkit.errors import NotFound, UsageProblem
    from mentorkit.file.programfile import load_program, program_path, save_program
    from mentorkit.output import literal

    program = load_program(program_path(file))
    matches = [p for p in program.pairs if pair in (p.url, p.name)]
    shown = literal(shown_url(pair))
    if not matches:
        raise NotFound(f"no pair with the URL or label '{shown}' in {program.path}")
    if len(matches) > 1:
        raise UsageProblem(f"{len(matches)} pairs have '{shown}'; edit {program.path} by hand")
    program.pairs.remove(matches[0])
    save_program(program)
    output.success(f"removed {shown} from {program.path}; {_pairs(len(program.pairs))}")


def _pairs(count: int) -> str:
    return f"{count} pair" if count == 1 else f"{count} pairs"


class _progress:
    """A progress bar on stderr when it is a terminal; nothing otherwise."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.bar: object | None = None

    def __enter__(self) -> Callable[[], None]:
        from mentorkit.output import styled

        if not styled(sys.stderr) or self.total < 2:
            return lambda: None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        from mentorkit.output import console

        bar = Progress(
            TextColumn("fetching"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console(True),
            transient=True,
        )
        task = bar.add_task("pairs", total=self.total)
        bar.start()
        self.bar = bar
        return lambda: bar.advance(task)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()  # type: ignore[attr-defined]


def _view(
    opts: Options, file: str | None, jobs: int, timeout: float, sort: str, only: list[str]
) -> ProgramView:
    from mentorkit.domain import program as view
    from mentorkit.errors import UsageProblem
    from mentorkit.file import programcache
    from mentorkit.file.programfile import load_program, program_path

    if sort not in view.SORTS:
        raise UsageProblem(f"--sort is one of {', '.join(view.SORTS)}, not {sort!r}")
    chosen = tuple(v.strip() for value in only for v in value.split(",") if v.strip())
    for verdict in chosen:
        if verdict not in view.VERDICTS:
            raise UsageProblem(f"--only takes {', '.join(view.VERDICTS)}, not {verdict!r}")
    program = load_program(program_path(file))
    counting = view.Counting(opts.now, opts.today)
    with _progress(len(program.pairs)) as advance:
        read = programcache.survey(
            program, counting, jobs=jobs, timeout=timeout, debug=opts.debug, advance=advance
        )
    pairs = [view.pair_seen(r) for r in read]
    return view.build(
        program.name, program.lead, pairs, program.health, opts.today, sort=sort, only=chosen
    )


def _unread(result: ProgramView) -> None:
    from mentorkit.errors import PairsUnread

    unread = result.verdicts.get("unreadable", 0)
    if unread:
        total = sum(result.verdicts.values())
        shown = any(r.health.verdict == "unreadable" for r in result.rows)
        where = "each is listed with the reason" if shown else "`--only unreadable` lists them"
        raise PairsUnread(f"{unread} of {total} pairs could not be read; {where}")


@program_app.command()
def status(
    ctx: typer.Context,
    file: PROGRAM = None,
    sort: Annotated[
        str,
        typer.Option(help="health, name, quiet (days without a meeting), overdue, on-time, next."),
    ] = "health",
    only: Annotated[
        list[str],
        typer.Option(
            help="Show only these verdicts: stalled, attention, healthy, unreadable, 'not started', "
            "ended, withheld."
        ),
    ] = [],  # noqa: B006 - typer's way of a repeatable option
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV (one row per pair).")] = False,
    jobs: JOBS = 8,
    timeout: TIMEOUT = 120,
) -> None:
    """Fetch every pair's repository and show one line per pair: the agreement, meetings,
    open and overdue items, on-time rate, feedback both ways, KPIs, and a health verdict
    with its reason. Reads only counts, dates and states; exit 7 when some pairs could not
    be read (each is listed with the reason)."""
    from mentorkit import output
    from mentorkit.errors import UsageProblem
    from mentorkit.views import program as shown

    if as_json and as_csv:
        raise UsageProblem("give --json or --csv, not both")
    result = _view(options(ctx), file, jobs, timeout, sort, only)
    if as_json:
        output.print_json("program", shown.status_json(result))
    elif as_csv:
        output.write_text(shown.csv_text(result))
    else:
        output.write(shown.status_lines(result, output.terminal_width()))
    _unread(result)


@program_app.command()
def report(
    ctx: typer.Context,
    file: PROGRAM = None,
    output_file: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write, - for stdout (default: stdout when it is redirected or "
            "piped, else program-report.html).",
        ),
    ] = None,
    jobs: JOBS = 8,
    timeout: TIMEOUT = 120,
) -> None:
    """One self-contained HTML page for the program: the health of every pair, the pairs
    needing attention, distributions and the quarter's trends."""
    from mentorkit import output
    from mentorkit.errors import UsageProblem
    from mentorkit.file.programfile import program_path
    from mentorkit.views import program as shown

    target = output_file or ("-" if not sys.stdout.isatty() else "program-report.html")
    if target != "-" and Path(target).resolve() == program_path(file).resolve():
        raise UsageProblem(f"{target} is the program file; give another file name")
    result = _view(options(ctx), file, jobs, timeout, "health", [])
    if output.export(target, shown.html(result)):
        output.success(f"wrote {target}")
    _unread(result)
