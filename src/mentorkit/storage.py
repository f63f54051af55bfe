"""The only module that opens the mentorship file: find, read, cache, lock, write."""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mentorkit import fileformat
from mentorkit.errors import Busy, InvalidFile, MentorkitError, NotFound
from mentorkit.model import Mentorship

FILE_NAME = "mentorship.yaml"
MAX_BYTES = 20_000_000
_BOM = "\ufeff"
_CACHE_FORMAT = 1


@dataclass
class Loaded:
    """A mentorship read from its file, with what a rewrite must respect."""

    path: Path
    mentorship: Mentorship
    text: str
    comment_lines: list[int] = field(default_factory=list)
    unknown_keys: list[str] = field(default_factory=list)
    line_of: dict[str, int] = field(default_factory=dict)


def _digest(text: str) -> str:
    """The content hash that keys the parse cache. The built-in SHA-256 avoids loading
    OpenSSL through hashlib, which costs ~4 ms of every start."""
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - other Pythons
        from hashlib import sha256
    return sha256(text.encode("utf-8")).hexdigest()


def find_file(explicit: str | None = None, start: Path | None = None) -> Path:
    """--file, then MENTORKIT_FILE, then the nearest mentorship.yaml walking up, like git."""
    chosen = explicit or os.environ.get("MENTORKIT_FILE")
    if chosen:
        return Path(chosen)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / FILE_NAME
        if candidate.exists():
            return candidate
    raise NotFound(
        f"no {FILE_NAME} in this folder or any folder above it; run `mentorkit init` to "
        "start one, or point at one with --file"
    )


def display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- reading


def _read_bytes(path: Path) -> bytes:
    name = display_name(path)
    if path.is_dir():
        raise InvalidFile(f"{name} is a folder, not a mentorship file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InvalidFile(
                f"{name} is {size / 1e6:.1f} MB; mentorkit reads mentorship files of up "
                f"to {MAX_BYTES // 1_000_000} MB"
            )
        return path.read_bytes()
    except FileNotFoundError as err:
        raise NotFound(f"{name} does not exist; run `mentorkit init` to start one") from err
    except PermissionError as err:
        raise InvalidFile(f"{name} cannot be read: permission denied") from err
    except IsADirectoryError as err:
        raise InvalidFile(f"{name} is a folder, not a mentorship file") from err


def decode(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InvalidFile(
            f"{name}, line {line}: the file is not UTF-8 text (byte {err.start + 1} is "
            f"0x{data[err.start]:02x}); save it as UTF-8"
        ) from err
    if "\x00" in text:
        raise InvalidFile(f"{name} contains NUL bytes; it is not a text file")
    return text


def parse(text: str, name: str) -> Loaded:
    """Parse and validate text (any BOM or CRLF accepted), using the parse cache."""
    body = text.removeprefix(_BOM)
    digest = _digest(body)
    cached = _cache_get(digest)
    if cached is not None:
        checked = fileformat.mentorship_from_raw(cached, {}, name, validated=True)
    else:
        from mentorkit.yamltext import parse_text

        parsed = parse_text(body, name, lines=False)
        try:
            checked = fileformat.mentorship_from_raw(parsed.raw, {}, name)
        except InvalidFile:
            # Read again, this time keeping every value's line, to say where the problems are.
            parsed = parse_text(body, name, lines=True)
            checked = fileformat.mentorship_from_raw(parsed.raw, parsed.lines, name)
        _cache_put(digest, parsed.raw)
    return Loaded(
        path=Path(name),
        mentorship=checked.mentorship,
        text=text,
        comment_lines=_comment_lines(body),
        unknown_keys=checked.unknown_keys,
        line_of=checked.line_of,
    )


def _comment_lines(text: str) -> list[int]:
    if "#" not in text:
        return []
    from mentorkit.yamltext import find_comment_lines

    return find_comment_lines(text)


def load(path: Path) -> Loaded:
    name = display_name(path)
    loaded = parse(decode(_read_bytes(path), name), name)
    loaded.path = path
    return loaded


# --------------------------------------------------------------------------- the parse cache
# Parsing YAML costs ~30 ms per 100 KB even with the C loader; JSON is ~40x faster. The
# cache keeps, per content hash, the raw data as JSON, with dates tagged so they come back
# as dates. A cache entry only ever stands for text that parsed and validated.


def _cache_dir() -> Path | None:
    if os.environ.get("MENTORKIT_NO_CACHE"):
        return None
    explicit = os.environ.get("MENTORKIT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mentorkit"


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    raise TypeError(type(value).__name__)


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if "$date" in obj:
            return date.fromisoformat(obj["$date"])
        if "$datetime" in obj:
            return datetime.fromisoformat(obj["$datetime"])
    return obj


def _cache_get(digest: str) -> Any | None:
    folder = _cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / f"{digest[:32]}.json", encoding="utf-8") as handle:
            entry = json.load(handle, object_hook=_decode)
    except (OSError, ValueError):
        return None
    if entry.get("sha256") != digest or entry.get("cache") != _CACHE_FORMAT:
        return None
    return entry.get("raw")


def _cache_put(digest: str, raw: Any) -> None:
    folder = _cache_dir()
    if folder is None:
        return
    entry = {"cache": _CACHE_FORMAT, "sha256": digest, "raw": raw}
    with contextlib.suppress(OSError, TypeError, ValueError):
        folder.mkdir(parents=True, exist_ok=True)
        _prune(folder)
        _atomic_write(folder / f"{digest[:32]}.json", json.dumps(entry, default=_encode))


def _prune(folder: Path, keep: int = 64) -> None:
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)
    for old in entries[:-keep]:
        with contextlib.suppress(OSError):
            old.unlink()


# --------------------------------------------------------------------------- writing


def _atomic_write(
    path: Path, text: str, mode: int | None = None, *, checkpoints: bool = False
) -> None:
    """Write to a temporary file in the same folder, fsync, then replace: old or new, never half."""
    import tempfile

    folder = path.parent
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            half = len(text) // 2
            out.write(text[:half])
            out.flush()
            if checkpoints:
                _pause("write", temporary)
            out.write(text[half:])
            out.flush()
            os.fsync(out.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        if checkpoints:
            _pause("replace", temporary)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):
        directory = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def _pause(stage: str, detail: str) -> None:
    """Pause points for the crash-safety tests: MENTORKIT_TEST_PAUSE=STAGE:MARKER makes a
    write stop at STAGE (write: half the new text written; replace: before the new file
    takes the old one's place; commit: after that, before git), announce itself in the
    MARKER file, and wait to be killed."""
    setting = os.environ.get("MENTORKIT_TEST_PAUSE", "")
    wanted, _, marker = setting.partition(":")
    if wanted == stage and marker:
        Path(marker).write_text(detail)
        time.sleep(60)


def render(mentorship: Mentorship, like: str = "") -> str:
    """The text to save, keeping the byte-order mark and line endings the file had."""
    text = fileformat.dump_text(mentorship)
    if "\r\n" in like:
        text = text.replace("\n", "\r\n")
    if like.startswith(_BOM):
        text = _BOM + text
    return text


def create(path: Path, mentorship: Mentorship) -> None:
    """Write a new file; refuse to overwrite anything that is already there."""
    name = display_name(path)
    if path.exists() or path.is_symlink():
        raise MentorkitError(f"{name} already exists; mentorkit init never overwrites a file")
    fileformat.check(mentorship, name)
    import tempfile

    text = render(mentorship)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(temporary, 0o644)
    try:
        os.link(temporary, path)  # fails if the path appeared meanwhile: no overwrite
    except FileExistsError as err:
        raise MentorkitError(
            f"{name} already exists; mentorkit init never overwrites a file"
        ) from err
    finally:
        os.unlink(temporary)


def _lock_timeout() -> float:
    try:
        return float(os.environ.get("MENTORKIT_LOCK_TIMEOUT", "30"))
    except ValueError:
        return 30.0


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock for the whole read-change-write-commit of the file. The lock is
    on the folder, not on the file: the file is replaced on every write, and a lock on the
    replaced file would let a second process in while the first still commits it."""
    import fcntl

    name = display_name(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd = os.open(folder, os.O_RDONLY)
    except FileNotFoundError as err:
        raise NotFound(f"the folder of {name} does not exist") from err
    deadline = time.monotonic() + _lock_timeout()
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise Busy(
                        f"another mentorkit command has been changing {name} for "
                        f"{_lock_timeout():.0f} s; try again when it has finished"
                    ) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def editing(
    path: Path,
    *,
    drop_comments: bool = False,
    after_write: Callable[[Path], None] | None = None,
) -> Iterator[Loaded]:
    """Read-modify-write under an exclusive lock. The caller changes ``loaded.mentorship``;
    on leaving the block the result is validated and written atomically, or, if anything
    raised, the file is left exactly as it was."""
    name = display_name(path)
    with _locked(path):
        loaded = load(path)
        if path.is_symlink():
            path = path.resolve()
        yield loaded
        fileformat.check(loaded.mentorship, name)
        text = render(loaded.mentorship, like=loaded.text)
        if text == loaded.text:
            return
        if loaded.comment_lines and not drop_comments:
            lines = ", ".join(str(n) for n in loaded.comment_lines[:8])
            more = "" if len(loaded.comment_lines) <= 8 else " and more"
            raise InvalidFile(
                f"{name} has comments (line {lines}{more}) that saving would drop, so nothing "
                "was changed; move them into a notes field, or run again with --drop-comments"
            )
        mode = path.stat().st_mode
        if not mode & 0o222:
            raise InvalidFile(f"{name} is read-only; nothing was changed")
        _atomic_write(path, text, mode & 0o7777, checkpoints=True)
        _pause("commit", str(path))
        body = text.removeprefix(_BOM)
        digest = _digest(body)
        _cache_put(digest, fileformat.mentorship_to_raw(loaded.mentorship))
        if after_write is not None:
            after_write(path)


def read_text(path: Path) -> str:
    """The file's text as it is, valid or not (for editing by hand)."""
    return decode(_read_bytes(path), display_name(path))


def replace_text(
    path: Path,
    expected: str,
    new: str,
    *,
    after_write: Callable[[Path], None] | None = None,
) -> Loaded:
    """Save text edited by hand, exactly as written, once it validates, and only if nobody
    changed the file since `expected` was read."""
    name = display_name(path)
    checked = parse(new, name)
    with _locked(path):
        current = read_text(path)
        if current != expected:
            raise InvalidFile(f"{name} was changed by someone else while you edited it")
        mode = path.stat().st_mode
        if not mode & 0o222:
            raise InvalidFile(f"{name} is read-only; nothing was changed")
        _atomic_write(path, new, mode & 0o7777)
        if after_write is not None:
            after_write(path)
    checked.path = path
    return checked


def write_export(target: str, data: bytes) -> None:
    """Write an export (such as the .ics file) atomically."""
    path = Path(target)
    if path.is_dir():
        raise MentorkitError(f"{target} is a folder; give a file name")
    if not path.parent.exists():
        raise NotFound(f"the folder {path.parent} does not exist")
    _atomic_write(path, data.decode("utf-8"), 0o644)
