"""What this clone knows of its calendar since the last sync, kept in the clone's git folder
(`.git/mentorkit/calendar.json`, never shared): each item mentorkit put there (its path,
ETag and what it held), when the last sync ended and what went wrong since."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from mentorkit.errors import Busy

_VERSION = 1


@dataclass
class Item:
    """One resource mentorkit owns in the collection: where, its ETag after mentorkit's last
    write, `sha` of the text it put, and `digest` of what a calendar shows of it."""

    path: str
    etag: str | None
    sha: str
    digest: str
    what: str = ""  # how it is named to people, for when the file no longer has it


@dataclass
class State:
    url: str = ""
    items: dict[str, Item] = field(default_factory=dict)  # by UID
    synced: str | None = None  # when the last sync ended with nothing left to do (UTC)
    problem: str | None = None  # why the last attempt did not finish; pending until one does
    tried: str | None = None  # when that was
    events_only: bool = False  # the collection takes no VTODO: to-dos went in as events
    # what the items were made from at the last complete sync (the file's text, whose
    # calendar, this version of mentorkit): the same again needs no export to compare
    source: str | None = None
    # the collection's change tokens as the server reported them once that sync was done
    # (and the login that asked): the same again means the collection is as it left it
    tokens: dict[str, str] | None = None


def folder_of(git_dir: Path) -> Path:
    return git_dir / "mentorkit"


def _path(git_dir: Path) -> Path:
    return folder_of(git_dir) / "calendar.json"


def load(git_dir: Path, url: str) -> State:
    """The state for the collection at `url`; a fresh one for another collection, or when
    the file is missing or unreadable (the next sync then finds its items by name)."""
    try:
        raw = json.loads(_path(git_dir).read_text(encoding="utf-8"))
        if raw.get("version") != _VERSION or raw.get("url") != url:
            return State(url=url)
        items = {uid: Item(**item) for uid, item in raw.get("items", {}).items()}
        return State(
            url=url,
            items=items,
            synced=raw.get("synced"),
            problem=raw.get("problem"),
            tried=raw.get("tried"),
            events_only=bool(raw.get("events_only")),
            source=raw.get("source"),
            tokens=_strings(raw.get("tokens")),
        )
    except (OSError, ValueError, TypeError, AttributeError):
        return State(url=url)


def _strings(value: object) -> dict[str, str] | None:
    if not isinstance(value, dict) or not value:
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return None
    return value


def save(git_dir: Path, state: State) -> None:
    """Written whole to a temporary file, then put in place."""
    target = _path(git_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    data = {"version": _VERSION, **asdict(state)}
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def remove(git_dir: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        _path(git_dir).unlink()


@contextlib.contextmanager
def locked(git_dir: Path, wait: float) -> Iterator[None]:
    """One sync at a time in a clone: two at once would each keep their own ETags."""
    lock = folder_of(git_dir) / "calendar.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a") as handle:
        give_up = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= give_up:
                    raise Busy(
                        "another calendar sync is under way in this clone; try again later"
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
