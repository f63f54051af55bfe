"""What every command shares: the global options, who is running, loading and changing
the file. Kept light: imported on every run."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, overload

import typer
from typer.core import TyperGroup

from mentorkit.errors import UsageProblem

if TYPE_CHECKING:
    from typer._click import Context as ClickContext  # typer's groups get click's context

    from mentorkit.file.model import Mentorship, Role
    from mentorkit.file.storage import Loaded
    from mentorkit.git.narrator import Change

T = TypeVar("T")


@dataclass
class Options:
    """The global options, shared by every command."""

    file: str | None
    role: str | None
    today_text: str | None
    commit: bool
    drop_comments: bool
    debug: bool = False

    @property
    def now(self) -> datetime:
        if self.today_text:
            return datetime.combine(self.today, datetime.min.time().replace(hour=12), UTC)
        return datetime.now(UTC)

    def happened(self, timezone: str) -> datetime:
        """Up to when things have happened: now, or with --today the end of that day in
        `timezone` (that day's 09:00 meeting in Chicago has taken place)."""
        if not self.today_text:
            return self.now
        from mentorkit.timezones import zone

        return datetime.combine(self.today, datetime.max.time(), zone(timezone))

    @property
    def today(self) -> date:
        if self.today_text:
            from mentorkit.file.fileformat import date_problem

            try:
                chosen = date.fromisoformat(self.today_text)
            except ValueError:
                raise UsageProblem(
                    f"--today: {self.today_text!r} is not a date like 2026-03-05"
                ) from None
            problem = date_problem(chosen)
            if problem:
                raise UsageProblem(f"--today: {problem}")
            return chosen
        return date.today()

    def path(self) -> Path:
        from mentorkit.file.storage import find_file

        return find_file(self.file)


# For commands whose arguments may start with a minus (`kpi record KPI -5`, `action move ID
# -2w`): a word that is not one of the command's options is taken as an argument.
NEGATIVE = {"ignore_unknown_options": True}

JSON = Annotated[bool, typer.Option("--json", help="Print JSON (see README: JSON output).")]
REASON = Annotated[str, typer.Option(help="Why, for the record (kept in the commit message).")]


class FullHelp(TyperGroup):
    """A command group whose listing shows each command's first sentence whole, wrapped
    under itself, never cut off with '...' (click cuts it to the terminal's width)."""

    def format_commands(self, ctx: ClickContext, formatter: Any) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def options(ctx: typer.Context) -> Options:
    chosen = ctx.find_root().obj
    if not isinstance(chosen, Options):
        raise TypeError("the command line's root did not set its options")
    return chosen


def role_of(options: Options, m: Mentorship | None, folder: Path) -> Role | None:
    """Who is running the command, or None when nothing says."""
    from mentorkit.git.people import running_role

    return running_role(options.role, m, folder)


def known_role(options: Options, m: Mentorship | None, folder: Path) -> Role:
    """Who is running the command; refused when nothing says."""
    from mentorkit.git.people import known_role

    return known_role(options.role, m, folder)


def load(options: Options) -> Loaded:
    from mentorkit.file.storage import load

    return load(options.path())


def change(
    options: Options,
    operation: Callable[[Mentorship, Role], tuple[T, str]],
    *,
    reason: str | None = None,
) -> tuple[T, str]:
    """Apply one domain operation, made by whoever runs the command, to the file: see
    `change_by_anyone`. Who that is must be known (--as, $MENTORKIT_ROLE or the git email);
    it is refused, with nothing changed, when it is not."""

    def by_someone_known(m: Mentorship, role: Role | None) -> tuple[T, str]:
        if role is None:
            raise UsageProblem("who are you? Say --as mentor or --as mentee; nothing was changed")
        return operation(m, role)

    return _transaction(options, by_someone_known, role_required=True, reason=reason)


def correct(
    options: Options,
    operation: Callable[[Mentorship, Role | None], tuple[T, str]],
    *,
    reason: str | None = None,
) -> tuple[T, list[str]]:
    """`change_by_anyone` for a correction: returns what the operation returned and the
    correction's lines as `history` and the commit tell them (each field from what to
    what), for the command to say in the very same words."""
    lines: list[str] = []
    value, sentence = _transaction(options, operation, role_required=False, reason=reason,
                                   told=lines)  # fmt: skip
    return value, lines or [sentence]


def change_by_anyone(
    options: Options,
    operation: Callable[[Mentorship, Role | None], tuple[T, str]],
    *,
    reason: str | None = None,
) -> tuple[T, str]:
    """Apply one domain operation to the file under its lock, save, and commit it with the
    operation's sentence as the message (and `reason`, for a correction the file does not
    keep the reason of). Returns what the operation returned. The operation gets the role
    of whoever runs the command, or None where that is not known.

    An empty sentence means nothing happened: the file is not written and nothing is
    committed, even where the file's own layout differs from the one mentorkit writes."""
    return _transaction(options, operation, role_required=False, reason=reason)


def _transaction(
    options: Options,
    operation: Callable[[Mentorship, Role | None], tuple[T, str]],
    *,
    role_required: bool,
    reason: str | None,
    told: list[str] | None = None,
) -> tuple[T, str]:
    """See `change_by_anyone`; `told` is filled with the change's lines as `history` tells
    them."""
    from mentorkit.domain.schedule import calendar_fingerprint, calendar_revisions
    from mentorkit.file import storage
    from mentorkit.git.people import check_committer, will_commit
    from mentorkit.git.sync import refuse_unfinished

    path = options.path()
    outcome: tuple[T, str] | None = None
    if will_commit(path.parent, options.commit):
        refuse_unfinished(path)

    def after_write(written: Path) -> bool:
        from mentorkit.git import narrator

        if outcome is None or not outcome[1]:
            return False
        committing = will_commit(written.parent, options.commit)
        changes = _changes(before, written) if committing or told is not None else []
        if told is not None:
            told.extend(narrator.told(changes, role or "someone", reason))
        if not committing:
            return False
        message = narrator.message(changes, role or "someone", reason) or outcome[1]
        return commit(written, loaded.mentorship, role, message, enabled=options.commit)

    with storage.editing(
        path, drop_comments=options.drop_comments, after_write=after_write
    ) as loaded:
        before = loaded.text
        folder = path.parent
        role = (known_role if role_required else role_of)(options, loaded.mentorship, folder)
        check_committer(path, role, enabled=options.commit)
        revise = calendar_revisions(loaded.mentorship)
        shown = calendar_fingerprint(loaded.mentorship)
        outcome = operation(loaded.mentorship, role)
        revise()
        loaded.unchanged = not outcome[1]
    if outcome[1] and calendar_fingerprint(loaded.mentorship) != shown:
        _CALENDAR[path] = (loaded.mentorship, options.today)
    return outcome


# Files changed in a way calendars show, synced to a connected calendar once the command
# has said what it did (`after_command`, from the command line's root).
_CALENDAR: dict[Path, tuple[Mentorship, date]] = {}


def before_command() -> None:
    """Nothing is left over from an earlier command run in the same process (one that
    failed after its change)."""
    _CALENDAR.clear()
    git = sys.modules.get("mentorkit.git.git")
    if git is not None:
        git.forget()


def after_command() -> None:
    """After a command that changed what calendars show: the connected calendar's sync."""
    while _CALENDAR:
        path, (m, today) = _CALENDAR.popitem()
        from mentorkit.commands.calendar import after_change

        after_change(path.parent, m, today)


def commit(
    path: Path,
    m: Mentorship,
    role: Role | None,
    message: str,
    *,
    enabled: bool,
    also: tuple[Path, ...] = (),
) -> bool:
    """Commit the file (`people.commit_change`), first saying on stderr when this clone
    would merge it line by line, for want of the merge driver."""
    from mentorkit.git.people import commit_change, will_commit
    from mentorkit.git.setup import missing_setup
    from mentorkit.output import warn

    if will_commit(path.parent, enabled):
        problem = missing_setup(path)
        if problem:
            warn(problem)
    return commit_change(path, m, role, message, enabled=enabled, also=also)


def narrated(
    before: str | None,
    written: Path,
    role: Role | None,
    *,
    reason: str | None = None,
) -> str | None:
    """The commit message for a change, in the words `history` will use for it: the
    change from the committed version (which `history` will compare with), else from
    `before`; None where the file did not change."""
    from mentorkit.git import narrator

    return narrator.message(_changes(before, written), role or "someone", reason)


def _changes(before: str | None, written: Path) -> list[Change]:
    """The change from the committed version (which `history` will compare with), else
    from `before`."""
    from mentorkit.file.storage import read_text
    from mentorkit.git import narrator
    from mentorkit.git.history import committed_text

    committed = committed_text(written)
    old = committed if committed is not None else before
    return narrator.between_texts(old, read_text(written))


def period(
    options: Options, m: Mentorship, since: str | None, until: str | None
) -> tuple[date | None, date | None]:
    """--since and --until as dates; refused where they are the wrong way round."""
    from mentorkit.errors import UsageProblem

    first, last = when(options, m, since), when(options, m, until)
    if first and last and first > last:
        raise UsageProblem(f"--since {first} is after --until {last}; swap them")
    return first, last


@overload
def when(options: Options, m: Mentorship, text: str, *, after: date | None = None) -> date: ...
@overload
def when(options: Options, m: Mentorship, text: None, *, after: date | None = None) -> None: ...
@overload
def when(
    options: Options, m: Mentorship, text: str | None, *, after: date | None = None
) -> date | None: ...
def when(
    options: Options, m: Mentorship, text: str | None, *, after: date | None = None
) -> date | None:
    """A date phrase (`friday`, `+3d`, `before next meeting`) seen from today. 'next
    meeting' is the first meeting after `after` (the meeting being logged; default today),
    so that on a meeting's day it names the one after it."""
    if text is None:
        return None
    from mentorkit.domain.dates import parse_when
    from mentorkit.file.fileformat import date_problem

    upcoming = None
    if "meeting" in text.lower():
        upcoming = meeting_after(m, after or options.today)
    day = parse_when(text, options.today, upcoming)
    problem = day and date_problem(day)
    if problem:
        raise UsageProblem(f"{problem}; nothing was changed")
    return day


def meeting_after(m: Mentorship, day: date) -> date | None:
    """The date of the first meeting held after `day`, in the meeting's own time zone."""
    from datetime import time, timedelta

    from mentorkit.domain.schedule import next_meeting
    from mentorkit.timezones import zone

    start = datetime.combine(day + timedelta(days=1), time.min, zone(m.schedule.timezone))
    found = next_meeting(m.schedule, start)
    return found.start.date() if found else None


def number(text: str, what: str) -> int | float:
    """A value people typed: a whole number stays whole; NaN, infinity and numbers beyond
    the file's range are refused."""
    from mentorkit.file.fileformat import number_problem

    value: int | float
    if len(text) > 40:
        raise UsageProblem(f"{what}: {text[:20]!r}… is not a number mentorkit keeps")
    if not text.isascii() or "_" in text:  # Python would read '１２', '٣' and '1_0'
        raise UsageProblem(f"{what}: {text!r} is not a number (digits 0-9, a point, an e)")
    try:
        value = int(text)
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            raise UsageProblem(f"{what}: {text!r} is not a number") from None
    problem = number_problem(value)
    if problem:
        raise UsageProblem(f"{what}: {problem}")
    return value


def moment_option(text: str, option: str) -> datetime:
    """An option naming a moment (`--now 2026-12-04T08:00Z`); UTC where it has no offset."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageProblem(f"{option}: {text!r} is not a time like 2026-12-04T08:00Z") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
