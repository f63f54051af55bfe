"""`mentorkit program`: one view over a mentoring program's many pairs (program.yaml)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mentorkit.commands.context import FullHelp, Options, options

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from mentorkit.domain.program import Dated, PairFigures, PairSeen, ProgramView
    from mentorkit.file.programfile import Program
    from mentorkit.git.fleet import Wanted

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


def _gather(opts: Options, program: Program, jobs: int, timeout: float) -> list[PairSeen]:
    """Fetch every pair whose branch moved, reduce each file to its figures at once, and
    keep (in state.json) only the commit and the figures of the coming days, or the
    commit's verdict (no file, too big, invalid): a week of daily runs with nothing new
    fetches nothing."""
    from mentorkit.domain import program as view
    from mentorkit.file import programfile, storage
    from mentorkit.git import fleet

    folder = program.folder
    stamp = f"{storage.code_stamp()}:{view.FIGURES_VERSION}"
    busy = "another `program status` or `program report` is reading this program's pairs"
    with storage.exclusive(program.cache(), busy + "; try again when it has finished"):
        state = programfile.read_state(program)
        keys = [pair.key(folder) for pair in program.pairs]
        wanted = []
        for key, pair in zip(keys, program.pairs, strict=True):
            entry = state.get(key, {})
            fresh = entry.get("stamp") == stamp and (
                isinstance(entry.get("problem"), str) or _today(entry, opts) is not None
            )
            known = entry.get("commit") if fresh else None
            location = programfile.location(pair.url, folder)
            wanted.append(fleet.Wanted(key, location, pair.branch, pair.file, known))
        seen, fresh_state = _survey(opts, program, keys, wanted, state, stamp, jobs, timeout)
        if fresh_state != state:  # a repeat with nothing new writes nothing
            programfile.write_state(program, fresh_state)
    return seen


def _today(entry: dict[str, Any], opts: Options) -> PairFigures | None:
    """The cached figures that hold now (this day, this time of day), if any."""
    from mentorkit.domain import program as view

    days = entry.get("days")
    key = opts.today.isoformat()
    if not isinstance(days, dict) or key not in days:
        return None
    dated = view.dated_from_data(key, days[key])
    return dated.figures if dated and dated.holds(opts.now, opts.today) else None


def _survey(
    opts: Options,
    program: Program,
    keys: list[str],
    wanted: list[Wanted],
    state: dict[str, Any],
    stamp: str,
    jobs: int,
    timeout: float,
) -> tuple[list[PairSeen], dict[str, Any]]:
    from mentorkit.domain import program as view
    from mentorkit.file import storage
    from mentorkit.git import fleet

    seen: list[PairSeen | None] = [None] * len(wanted)
    fresh_state: dict[str, dict[str, object]] = {}
    with _progress(len(wanted)) as advance:
        for index, got in fleet.survey(
            wanted, program.cache(), jobs=jobs, timeout=timeout, limit=storage.MAX_BYTES
        ):
            pair, key = program.pairs[index], keys[index]
            entry: dict[str, Any] = dict(state.get(key, {}))
            figures, names, problem = None, None, got.problem
            if problem:  # the commit's own verdict (no file, too big) is kept; else nothing
                entry = {"commit": got.commit, "stamp": stamp, "problem": problem}
            elif got.data is None:  # the figures (or verdict) kept for this commit hold
                figures, names = _today(entry, opts), _names(entry.get("names"))
                if figures is None:
                    problem = entry.get("problem") or "the cache was damaged; run again"
                    entry = entry if "problem" in entry else {}
            else:
                ahead, names, problem = _count(opts, pair.file, got.data)
                entry = {"commit": got.commit, "stamp": stamp, "problem": problem}
                if ahead:
                    figures = ahead[0].figures
                    entry = {
                        "commit": got.commit,
                        "stamp": stamp,
                        "names": list(names) if names else None,
                        "days": {str(d.day): view.dated_to_data(d) for d in ahead},
                    }
            if entry.get("commit") is None:
                entry = {}
            problem = view.without_credentials(problem, pair.url) if problem else None
            if entry:
                fresh_state[key] = entry
            seen[index] = view.PairSeen(
                label=pair.name or _label(names, pair.url),
                where=view.shown_url(pair.url),
                branch=pair.branch,
                names=names,
                figures=figures,
                problem=problem,
                fetched=got.fetched,
            )
            advance()
    return [s for s in seen if s is not None], fresh_state


def _count(
    opts: Options, name: str, data: bytes
) -> tuple[list[Dated], tuple[str, str] | None, str | None]:
    """One pair's file reduced to its figures of the coming days and the two names (unless
    withheld), or why it could not be: nothing of its text but the names goes further."""
    from mentorkit.domain import program as view
    from mentorkit.errors import MentorkitError
    from mentorkit.file import storage

    try:
        m = storage.parse(storage.decode(data, name), name).mentorship
    except MentorkitError as err:
        return [], None, view.invalid_file(name, err.message, getattr(err, "problems", []))
    except RecursionError:
        return [], None, f"{name} is nested too deeply to read"
    try:
        ahead = view.figures_ahead(m, opts.now, opts.today)
    except Exception as err:  # one pair's file must not stop the others
        if opts.debug:
            raise
        return (
            [],
            None,
            f"mentorkit could not count {name} (unexpected {type(err).__name__}: please report it with --debug)",
        )
    withheld = m.program is not None and "names" in m.program.withhold
    return ahead, None if withheld else (m.people.mentor.name, m.people.mentee.name), None


def _names(value: object) -> tuple[str, str] | None:
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return (value[0], value[1])
    return None


def _label(names: tuple[str, str] | None, url: str) -> str:
    from mentorkit.domain.program import shown_url

    return f"{names[0]} & {names[1]}" if names else shown_url(url)


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
    from mentorkit.file.programfile import load_program, program_path

    if sort not in view.SORTS:
        raise UsageProblem(f"--sort is one of {', '.join(view.SORTS)}, not {sort!r}")
    chosen = tuple(v.strip() for value in only for v in value.split(",") if v.strip())
    for verdict in chosen:
        if verdict not in view.VERDICTS:
            raise UsageProblem(f"--only takes {', '.join(view.VERDICTS)}, not {verdict!r}")
    program = load_program(program_path(file))
    pairs = _gather(opts, program, jobs, timeout)
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
