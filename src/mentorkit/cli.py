"""The root of the command line: global options, the command registry, error handling.

Start-up time matters (the budget is 120 ms for `--help` and `status`). Building Typer
commands costs time for every parameter of every command, so commands live in modules under
``mentorkit.commands`` and are imported and built only when they are run; `--help` lists
them from the registry below. Typer's rich-formatted help costs about 70 ms more than
plain help, so help is plain (``rich_markup_mode=None``), and typer stays below 0.29,
which imports pydantic on every run.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import io
import os
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from mentorkit import __version__
from mentorkit.commands.context import Options
from mentorkit.errors import Interrupted, MentorkitError

if TYPE_CHECKING:
    from typer._click import Context as ClickContext  # typer's groups get click's context

# name: (module under mentorkit.commands, Typer app in it, one-line help)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("agreement", "init_app", "Agree the ground rules and start a new mentorship file."),
    "rules": ("agreement", "rules_app", "Show or renegotiate the ground rules."),
    "status": ("status", "status_app", "Both people, the next meeting, what is open and overdue."),
    "validate": ("validate", "validate_app", "Check the file; usable as a pre-commit hook."),
    "goal": ("goals", "goal_app", "Goals: add, list, show, edit, achieve, drop."),
    "kpi": ("kpis", "kpi_app", "KPIs: add, record, show, edit, fix, unrecord, drop."),
    "action": (
        "actions",
        "action_app",
        "Action items: add, list, show, done, update, move, edit, drop.",
    ),
    "resource": (
        "resources",
        "resource_app",
        "Resources for the mentee: add, list, done, edit, drop.",
    ),
    "feedback": ("feedback", "feedback_app", "Feedback and recognition: give, list, retract."),
    "contact": (
        "contacts",
        "contact_app",
        "Contact between meetings (voice and video messages, chat): log, reply, list.",
    ),
    "note": ("contacts", "note_app", "Log a contact between meetings: `contact log` in short."),
    "urgent": (
        "contacts",
        "urgent_app",
        "How to reach the other person with an urgent concern now.",
    ),
    "availability": (
        "contacts",
        "availability_app",
        "Each person's urgent contact, working hours and days: show, set.",
    ),
    "agenda": ("agenda", "agenda_app", "Talking points for the next meeting: add, list, done."),
    "schedule": (
        "schedule",
        "schedule_app",
        "The next meetings in both time zones; set, move, cancel, add.",
    ),
    "export": (
        "export",
        "export_app",
        "Export the schedule and due dates as an .ics calendar file.",
    ),
    "calendar": (
        "calendar",
        "calendar_app",
        "Keep a CalDAV calendar in sync with the file: connect, sync, status.",
    ),
    "checkin": (
        "meetings",
        "checkin_app",
        "Before a meeting: what changed, what is open, the agenda.",
    ),
    "meeting": (
        "meetings",
        "meeting_app",
        "After a meeting: log notes, decisions and new action items.",
    ),
    "followup": (
        "meetings",
        "followup_app",
        "The follow-up message for a logged meeting (Markdown, text, .eml).",
    ),
    "remind": (
        "remind",
        "remind_app",
        "Email each person what is due: check-in brief, feedback day, overdue items.",
    ),
    "history": (
        "history",
        "history_app",
        "The timeline rebuilt from git: who committed to what, and when.",
    ),
    "stats": ("stats", "stats_app", "Accountability in figures for each person."),
    "diff": ("history", "diff_app", "What changed between two versions, in the words of history."),
    "report": ("report", "report_app", "A progress review with KPI charts (HTML or Markdown)."),
    "sync": (
        "sync",
        "sync_app",
        "Pull the other person's changes (merged item by item), then push.",
    ),
    "git": (
        "sync",
        "git_app",
        "Set up git for mentorkit in a clone (merge driver, diffs, hook).",
    ),
    "edit": ("edit", "edit_app", "Edit the file in $EDITOR; it is validated before it is saved."),
    "program": (
        "program",
        "program_app",
        "A mentoring program: every pair's health at a glance (program.yaml).",
    ),
}


class _Group(TyperGroup):
    """Loads commands on demand, and is the one place where errors become output and an
    exit status (jrnl: "the only exit point"). A user sees one sentence; --debug (or
    MENTORKIT_DEBUG) shows the traceback."""

    def list_commands(self, ctx: ClickContext) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: ClickContext, name: str) -> Any:
        if name not in COMMANDS:
            return None
        module_name, attribute, _ = COMMANDS[name]
        module = importlib.import_module(f"mentorkit.commands.{module_name}")
        sub_app = getattr(module, attribute)
        # Shell completion is installed from the root (`mentorkit --install-completion`); a
        # one-command app would otherwise list those options under its own --help.
        sub_app._add_completion = False
        command = typer.main.get_command(sub_app)
        command.name = name
        return command

    def format_commands(self, ctx: ClickContext, formatter: Any) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, entry[2]) for name, entry in COMMANDS.items()])

    def invoke(self, ctx: ClickContext) -> Any:
        from mentorkit.commands.context import after_command, before_command

        before_command()
        try:
            result = super().invoke(ctx)
            after_command()
            return result
        except Interrupted as err:
            _say(_literal(err.message))
            raise typer.Exit(err.exit_code) from None
        except MentorkitError as err:
            if _debug(ctx):
                raise
            from mentorkit.output import error

            error(err.message, getattr(err, "problems", None))
            raise typer.Exit(err.exit_code) from None
        except KeyboardInterrupt:
            if _debug(ctx):
                raise
            raise typer.Exit(_say_interrupted()) from None
        except OSError as err:
            # The machine, not the file: a closed output, a full disk, a read-only folder.
            if _debug(ctx):
                raise
            from mentorkit.file.storage import PROGRESS, os_problem

            if isinstance(err, BrokenPipeError) or err.errno == errno.EPIPE:
                _output_closed()
                raise typer.Exit(74) from None
            problem = os_problem(
                err, f"use {os.fsdecode(err.filename or 'a file')}", PROGRESS.outcome()
            )
            sys.stderr.write(f"error: {_literal(problem.message)}\n")
            raise typer.Exit(problem.exit_code) from None


def _debug(ctx: ClickContext) -> bool:
    if isinstance(ctx.obj, Options) and ctx.obj.debug:
        return True
    return "--debug" in sys.argv[1:] or bool(os.environ.get("MENTORKIT_DEBUG"))


app = typer.Typer(
    cls=_Group,
    name="mentorkit",
    help="Keep one mentorship (ground rules, goals, action items, feedback, meetings) in one "
    "YAML file in git.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"mentorkit {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    file: Annotated[
        str | None,
        typer.Option(
            "--file",
            "-f",
            help="The mentorship file (else $MENTORKIT_FILE, else the nearest mentorship.yaml).",
        ),
    ] = None,
    role: Annotated[
        str | None,
        typer.Option(
            "--as",
            help="Who you are: mentor or mentee (else $MENTORKIT_ROLE, else your git user.email).",
        ),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            help="Act as if today were this date (YYYY-MM-DD), to preview or replay.",
            envvar="MENTORKIT_TODAY",
        ),
    ] = None,
    no_commit: Annotated[
        bool, typer.Option("--no-commit", help="Change the file without committing it to git.")
    ] = False,
    drop_comments: Annotated[
        bool,
        typer.Option(
            "--drop-comments", help="Allow a change that drops YAML comments from the file."
        ),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Keep one mentorship in one YAML file in git."""
    if role is not None:
        from mentorkit.git.people import role_named

        role_named(role, "--as")
    ctx.obj = Options(file, role, today, not no_commit, drop_comments, debug)


# --------------------------------------------------------------------------- entry point


def main() -> None:
    """The console script. Sets up what must hold before any command runs: output that
    cannot fail on an encoding, a write past `ulimit -f` that fails instead of killing the
    process, arguments that are text, and one documented exit code for every outcome."""
    import gc
    import signal

    # What start-up made (Typer, the model, thousands of objects that live as long as the
    # process) is set aside from the collector's full passes, which would otherwise walk
    # it again and again while a command builds its output (1-2% of a warm `history`).
    gc.freeze()
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        sys.stdout = _closed_output()
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(ValueError):
                stream.reconfigure(errors="backslashreplace")
    debugging = "--debug" in sys.argv[1:] or bool(os.environ.get("MENTORKIT_DEBUG"))
    code = 0
    try:
        _take_signals(_interrupted)
        sys.unraisablehook = _unraisable
        _refuse_undecodable_arguments(sys.argv[1:])
        app(standalone_mode=True)
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        if type(sys.stdout).__name__ == "PacifyFlushWrapper":
            # Typer met a closed stdout while parsing (`--help`, `--version`) and exits 1.
            _output_closed()
            code = 74
        elif code == 130 and not _interrupt_said:
            # Typer turns an interrupt outside the command (while it reads the global
            # options, or once the command has returned) into a silent exit 130.
            code = _say_interrupted()
    except MentorkitError as err:
        sys.stderr.write(f"error: {_literal(err.message)}\n")
        code = err.exit_code
    except KeyboardInterrupt:
        if debugging:
            import traceback

            traceback.print_exc()
        code = _say_interrupted()
    except Exception as err:
        if debugging:
            raise
        if _caused_by_interrupt(err):
            # e.g. Python 3.11 wraps an interrupt during a class's creation in RuntimeError
            code = _say_interrupted()
        else:
            sys.stderr.write(
                f"error: unexpected {type(err).__name__}: {_literal(str(err))} "
                "(run with --debug for details)\n"
            )
            code = 70
    # The outcome is decided and said: a signal from here on must not turn it into a death
    # by that signal (Python restores the default handlers while it shuts down).
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)
    if not _flush_quietly() and code == 0:
        code = 74
    sys.exit(code)


_interrupt_said = False


def _say(sentence: str) -> None:
    """Say what became of an interrupted run: once, whichever handler gets there."""
    global _interrupt_said
    _take_signals(_interrupted_again)
    _interrupt_said = True
    sys.stderr.write(sentence + "\n")


def _say_interrupted() -> int:
    from mentorkit.file.storage import PROGRESS

    _say(f"interrupted; {PROGRESS.outcome()}")
    return 130


def _caused_by_interrupt(err: BaseException) -> bool:
    seen = err.__cause__ or err.__context__
    for _ in range(20):
        if seen is None:
            return False
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _literal(text: str) -> str:
    from mentorkit.output import literal

    return literal(text)


def _refuse_undecodable_arguments(arguments: list[str]) -> None:
    """Python hands over argument bytes that are not UTF-8 as lone surrogates; they could
    not be written to the file, so say so at once."""
    for argument in arguments:
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            from mentorkit.errors import UsageProblem

            shown = argument.encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
            raise UsageProblem(
                f"the argument '{shown}' is not UTF-8 text; nothing was changed"
            ) from None


class _Interrupt(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or SIGHUP, raised by mentorkit's own handler. Not KeyboardInterrupt
    itself: CPython (3.8 and later) marks the process as stopped by an unhandled Ctrl-C
    whenever exactly KeyboardInterrupt leaves code compiled from a string (`exec`/`eval`,
    which dataclasses and namedtuples use as their modules are imported), even when the
    interrupt is then handled, and `python -m mentorkit` then ends by SIGINT after saying
    its sentence instead of exiting 130. A subclass is not marked."""


def _take_signals(handler: Any) -> None:
    import signal

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, handler)


def _interrupted(signum: int, frame: object) -> None:
    """Ctrl-C, SIGTERM and SIGHUP (the terminal closed) all end a command the same way:
    exit 130, saying what became of the change. The first one interrupts; another (Ctrl-C
    pressed twice, SIGHUP after SIGTERM) must not cut short the clean-up and the sentence."""
    _take_signals(_interrupted_again)
    raise _Interrupt


def _interrupted_again(signum: int, frame: object) -> None:
    """A signal while the run already ends by an interrupt: nothing more to do."""


def _unraisable(unraisable: Any) -> None:
    """An interrupt that came while Python ran a weak reference's callback or a `__del__`
    (the garbage collector, the import system's locks) cannot leave it and would be lost,
    with a traceback on stderr. Raise it again at the next call back in the command."""
    if not isinstance(unraisable.exc_value, _Interrupt):
        sys.__unraisablehook__(unraisable)
        return

    def again(frame: Any, event: str, arg: object) -> None:
        if event == "call":
            sys.setprofile(None)
            _take_signals(_interrupted_again)
            raise _Interrupt

    sys.setprofile(again)


class _ClosedOutput(io.TextIOBase):
    """Stands in for a stdout that was closed before mentorkit started: any output fails
    as a closed pipe does, so the command says so (exit 74) and what became of the change."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(errno.EPIPE, "stdout is closed")

    def flush(self) -> None:
        raise BrokenPipeError(errno.EPIPE, "stdout is closed")


def _closed_output() -> _ClosedOutput:
    # Hold descriptor 1 (read-only) so that no file opened later takes its place.
    with contextlib.suppress(OSError):
        held = os.open(os.devnull, os.O_RDONLY)
        if held != 1:
            os.close(held)
    return _ClosedOutput()


def _flush_quietly() -> bool:
    """Flush stdout; if it was closed (`| head`, a closed terminal), say so once on stderr
    instead of a traceback at exit, and point stdout at /dev/null so Python's own flush at
    exit stays quiet."""
    try:
        sys.stdout.flush()
    except OSError:
        _output_closed()
        return False
    return True


def _output_closed() -> None:
    """Say once that stdout was closed, and what became of the change; then point stdout
    at /dev/null so that Python's own flush at exit stays quiet."""
    from mentorkit.file.storage import PROGRESS

    with contextlib.suppress(OSError):
        sys.stderr.write(
            f"error: the output could not be written (it was closed); {PROGRESS.outcome()}\n"
        )
    if isinstance(sys.stdout, _ClosedOutput):
        sys.stdout = io.StringIO()  # said once; whatever else is printed goes nowhere
        return
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
