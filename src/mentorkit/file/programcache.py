"""A program's cache and the survey that fills it: each pair's last commit read and the
figures counted from it for the coming days, so that a repeat fetches only the pairs whose
branch moved.

The cache is state.json in .mentorkit-program/ beside program.yaml: per pair, the commit
and the figures for the coming days, or the commit's verdict (no file, too big, invalid).
Only figures are kept (no text from the pair's file but the two names); the repositories
fetched are removed as soon as their file is read. What the figures are, and how they are
counted from a mentorship, is the domain's (`mentorkit.domain.program.Counting`): this
module keeps and reads back what that gives it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable

    from mentorkit.file.model import Mentorship
    from mentorkit.file.programfile import PairSource, Program
    from mentorkit.git.fleet import Got

STATE_LIMIT = 20_000_000


class Counting(Protocol):
    """The domain's side of the cache, at one moment."""

    @property
    def version(self) -> int:
        """Raised when figures are counted differently: the cache is dropped."""
        ...

    def count(self, m: Mentorship) -> tuple[dict[str, Any], Any, tuple[str, str] | None]:
        """The figures of the coming days as plain data by day, today's figures, and the
        two names unless the pair withholds them."""
        ...

    def kept(self, days: Any) -> Any:
        """The figures kept by day (as `count` gave them) that hold now, else None."""
        ...

    def unreadable(self, name: str, message: str, problems: list[str]) -> str:
        """Why a pair's file could not be read, without quoting any of it."""
        ...


@dataclass(frozen=True)
class PairRead:
    """What the survey learnt of one pair: the two names (unless withheld), its figures
    for now, or why it could not be read (in git's or mentorkit's words)."""

    pair: PairSource
    names: tuple[str, str] | None
    figures: Any
    problem: str | None
    fetched: bool  # fetched in this run (new or changed)


def survey(
    program: Program,
    counting: Counting,
    *,
    jobs: int,
    timeout: float,
    debug: bool = False,
    advance: Callable[[], None] = lambda: None,
) -> list[PairRead]:
    """Fetch every pair whose branch moved, reduce each file to its figures at once, and
    keep (in state.json) only the commit and the figures of the coming days, or the
    commit's verdict (no file, too big, invalid): a week of daily runs with nothing new
    fetches nothing. `advance` is called as each pair is done."""
    from mentorkit.file import storage
    from mentorkit.file.programfile import location
    from mentorkit.git import fleet

    folder = program.folder
    stamp = f"{storage.code_stamp()}:{counting.version}"
    busy = "another `program status` or `program report` is reading this program's pairs"
    with storage.exclusive(program.cache(), busy + "; try again when it has finished"):
        state = read_state(program)
        keys = [pair.key(folder) for pair in program.pairs]
        wanted = []
        for key, pair in zip(keys, program.pairs, strict=True):
            entry = state.get(key, {})
            fresh = entry.get("stamp") == stamp and (
                isinstance(entry.get("problem"), str)
                or counting.kept(entry.get("days")) is not None
            )
            known = entry.get("commit") if fresh else None
            where = location(pair.url, folder)
            wanted.append(fleet.Wanted(key, where, pair.branch, pair.file, known))
        read: list[PairRead | None] = [None] * len(wanted)
        fresh_state: dict[str, dict[str, object]] = {}
        for index, got in fleet.survey(
            wanted, program.cache(), jobs=jobs, timeout=timeout, limit=storage.MAX_BYTES
        ):
            key, pair = keys[index], program.pairs[index]
            entry, read[index] = _one(pair, got, state.get(key, {}), counting, stamp, debug)
            if entry:
                fresh_state[key] = entry
            advance()
        if fresh_state != state:  # a repeat with nothing new writes nothing
            write_state(program, fresh_state)
    return [r for r in read if r is not None]


def _one(
    pair: PairSource,
    got: Got,
    kept: dict[str, Any],
    counting: Counting,
    stamp: str,
    debug: bool,
) -> tuple[dict[str, Any], PairRead]:
    """One pair's outcome: the cache's new entry for it ({} for none) and what was read."""
    entry: dict[str, Any] = dict(kept)
    figures, names, problem = None, None, got.problem
    if problem:  # the commit's own verdict (no file, too big) is kept; else nothing
        entry = {"commit": got.commit, "stamp": stamp, "problem": problem}
    elif got.data is None:  # the figures (or verdict) kept for this commit hold
        figures, names = counting.kept(entry.get("days")), _names(entry.get("names"))
        if figures is None:
            problem = entry.get("problem") or "the cache was damaged; run again"
            entry = entry if "problem" in entry else {}
    else:
        days, figures, names, problem = _count(counting, pair.file, got.data, debug)
        entry = {"commit": got.commit, "stamp": stamp, "problem": problem}
        if days:
            entry = {
                "commit": got.commit,
                "stamp": stamp,
                "names": list(names) if names else None,
                "days": days,
            }
    if entry.get("commit") is None:
        entry = {}
    return entry, PairRead(pair, names, figures, problem, got.fetched)


def _count(
    counting: Counting, name: str, data: bytes, debug: bool
) -> tuple[dict[str, Any], Any, tuple[str, str] | None, str | None]:
    """One pair's file reduced to its figures of the coming days and the two names (unless
    withheld), or why it could not be: nothing of its text but the names goes further."""
    from mentorkit.errors import MentorkitError
    from mentorkit.file import storage

    try:
        m = storage.parse(storage.decode(data, name), name).mentorship
    except MentorkitError as err:
        return {}, None, None, counting.unreadable(name, err.message, getattr(err, "problems", []))
    except RecursionError:
        return {}, None, None, f"{name} is nested too deeply to read"
    try:
        days, figures, names = counting.count(m)
    except Exception as err:  # one pair's file must not stop the others
        if debug:
            raise
        return (
            {},
            None,
            None,
            f"mentorkit could not count {name} (unexpected {type(err).__name__}: please report it with --debug)",
        )
    return days, figures, names, None


def _names(value: object) -> tuple[str, str] | None:
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return (value[0], value[1])
    return None


def read_state(program: Program) -> dict[str, Any]:
    """The cache's state; an unreadable or foreign one is an empty cache, never an error."""
    import json

    from mentorkit.errors import MentorkitError
    from mentorkit.file import storage

    path = program.cache() / "state.json"
    if not path.is_file():
        return {}
    try:
        data = json.loads(storage.read_other(path, "", STATE_LIMIT))
    except (MentorkitError, ValueError):
        return {}
    pairs = data.get("pairs") if isinstance(data, dict) else None
    return (
        {k: v for k, v in pairs.items() if isinstance(v, dict)} if isinstance(pairs, dict) else {}
    )


def write_state(program: Program, pairs: dict[str, Any]) -> None:
    import json

    from mentorkit.file import storage

    folder = program.cache()
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        storage.write_other(ignore, "# mentorkit's cache of the program's repositories\n*\n")
    storage.write_other(folder / "state.json", json.dumps({"pairs": pairs}, ensure_ascii=True))
