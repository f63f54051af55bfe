"""The only module that opens the mentorship file: find, read, cache, lock, write."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mentorkit.errors import (
    Busy,
    CommentsInTheWay,
    EnvironmentProblem,
    GitProblem,
    Interrupted,
    InvalidFile,
    MentorkitError,
    NotFound,
    UsageProblem,
)
from mentorkit.file import fileformat
from mentorkit.file.model import Mentorship

FILE_NAME = "mentorship.yaml"
# Measured (benchmarks/bench_size.py, CPU time): a change saved and committed costs 3-4 s
# per MB and validating about 1.5 s, so files stop at 600 KB (about 3,000 action items,
# more than twice a five-year mentorship) to keep every command under 3 s.
MAX_BYTES = 600_000
_BOM = "\ufeff"
_CACHE_FORMAT = 3
_code_stamp_memo: list[str] = []


def _code_stamp() -> str:
    """Which mentorkit's checks a cache entry passed: the version and every module's size and
    time. An entry skips the semantic checks, so an upgraded or edited mentorkit, whose checks
    may refuse what an older one let through, must not trust an older one's verdict."""
    if not _code_stamp_memo:
        from mentorkit import __version__

        parts = [__version__]
        folders = [Path(__file__).parent.parent]  # the whole package, all its subpackages
        while folders:
            with os.scandir(folders.pop()) as entries:
                for entry in sorted(entries, key=lambda e: e.name):
                    if entry.is_dir() and not entry.name.startswith(("_", ".")):
                        folders.append(Path(entry.path))
                    elif entry.name.endswith(".py"):
                        info = entry.stat()
                        parts.append(f"{entry.path}:{info.st_size}:{info.st_mtime_ns}")
        _code_stamp_memo.append(_digest("\n".join(parts)))
    return _code_stamp_memo[0]


@dataclass
class Progress:
    """What this run has done to the file so far, so that a fault or an interrupt at any
    moment is reported truthfully: nothing changed, saved, or saved and committed."""

    saved: str | None = None
    committed: bool = False

    def outcome(self) -> str:
        if self.saved is None:
            return "nothing was changed"
        if self.committed:
            return f"the change to {self.saved} was saved and committed"
        return f"the change to {self.saved} was saved"


PROGRESS = Progress()
_DEFERRED: list[int] = []  # signals held while a write and its commit are under way


def os_problem(err: OSError, doing: str, outcome: str = "nothing was changed") -> MentorkitError:
    """One sentence for an operating-system error, with what became of the change."""
    reason = {
        errno.ENOSPC: "the disk is full",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EFBIG: "the file is larger than this process may write (ulimit -f)",
        errno.ELOOP: "the path has a symbolic link loop",
        errno.EDQUOT: "the disk quota is exhausted",
        errno.ENAMETOOLONG: "the name is too long",
        errno.ENOTDIR: "a part of the path is not a folder",
    }.get(err.errno or 0, (err.strerror or type(err).__name__).lower())
    return EnvironmentProblem(f"cannot {doing}: {reason}; {outcome}")


@dataclass
class Loaded:
    """A mentorship read from its file, with what a rewrite must respect."""

    path: Path
    mentorship: Mentorship
    text: str
    comment_lines: list[int] = field(default_factory=list)
    unknown_keys: list[str] = field(default_factory=list)
    line_of: dict[str, int] = field(default_factory=dict)
    # The text's raw data (None once migrated from an older format): what a change in place
    # starts from.
    raw: Any = None
    # Set by a caller that changed nothing: the file stays as it is, even where a rewrite
    # would only change its layout.
    unchanged: bool = False


def _digest(text: str) -> str:
    """The content hash that keys the parse cache: BLAKE2b, built into Python (hashlib would
    load OpenSSL, which costs ~4 ms of every start) and three times as fast as its SHA-256."""
    return str(_blake2b(text.encode("utf-8")).hexdigest())


def _blake2b(data: bytes, key: bytes = b"") -> Any:
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - other Pythons
        from hashlib import blake2b
    return blake2b(data, key=key)


def _named(explicit: str | None) -> Path | None:
    chosen = explicit or os.environ.get("MENTORKIT_FILE")
    return Path(chosen) if chosen else None


def new_file(explicit: str | None) -> Path:
    """Where `init` writes a new file: --file, then MENTORKIT_FILE, then mentorship.yaml
    in this folder."""
    return _named(explicit) or Path(FILE_NAME)


def find_file(explicit: str | None = None, start: Path | None = None) -> Path:
    """--file, then MENTORKIT_FILE, then the nearest mentorship.yaml walking up, like git."""
    chosen = _named(explicit) or nearest(FILE_NAME, start)
    if chosen:
        return chosen
    raise NotFound(
        f"no {FILE_NAME} in this folder or any folder above it; run `mentorkit init` to "
        "start one, or point at one with --file"
    )


def nearest(name: str, start: Path | None = None) -> Path | None:
    """The nearest file `name` in this folder or one above it, as git finds `.git`."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / name
        if candidate.exists() or candidate.is_symlink():
            return candidate
    return None


def display_name(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # elsewhere, gone, or a symbolic link loop
        return str(path)


# --------------------------------------------------------------------------- reading


# The mentorship files this process has read (device, inode): an export never replaces one.
_READ: set[tuple[int, int]] = set()


def _read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file, at most `limit` (MAX_BYTES). A FIFO, a device or a link to one
    is refused without reading (O_NONBLOCK: opening a FIFO does not wait for a writer)."""
    name = display_name(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except FileNotFoundError as err:
        raise NotFound(f"{name} does not exist; run `mentorkit init` to start one") from err
    except IsADirectoryError as err:
        raise InvalidFile(f"{name} is a folder, not a mentorship file") from err
    except OSError as err:
        raise os_problem(err, f"read {name}") from err
    try:
        info = os.fstat(fd)
        _require_regular(name, info.st_mode)
        _READ.add((info.st_dev, info.st_ino))
        if info.st_size > limit:
            raise InvalidFile(_too_big(name, info.st_size))
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise InvalidFile(_too_big(name, len(data)))
        return data
    except OSError as err:
        raise os_problem(err, f"read {name}") from err
    finally:
        os.close(fd)


def _kb(size: int) -> str:
    return f"{-(-size // 1000):,} KB"


def _too_big(name: str, size: int, *, saving: bool = False) -> str:
    what = f"saving would make {name} {_kb(size)}" if saving else f"{name} is {_kb(size)}"
    return f"{what}; mentorkit reads and writes mentorship files of up to {_kb(MAX_BYTES)}"


def real_file(path: Path) -> Path:
    """The regular file a path stands for, following symbolic links, so that the lock and
    the write both apply to the file itself and a link is never replaced."""
    name = display_name(path)
    try:
        real = path.resolve(strict=True)
        info = real.stat()
    except FileNotFoundError as err:
        raise NotFound(f"{name} does not exist; run `mentorkit init` to start one") from err
    except RuntimeError as err:  # a loop, on Python before 3.13
        raise EnvironmentProblem(f"cannot read {name}: the path has a symbolic link loop") from err
    except OSError as err:
        raise os_problem(err, f"read {name}") from err
    _require_regular(name, info.st_mode)
    _refuse_leaving_the_repository(path, real)
    return real


def _refuse_leaving_the_repository(path: Path, real: Path) -> None:
    """A symbolic link in a git work tree may come from the other person's commit: the file
    it leads to must lie in the same work tree, or a change would land in some other file
    of this machine and never be committed."""
    absolute = Path(os.path.abspath(path))
    top = next((p for p in absolute.parents if (p / ".git").exists()), None)
    if top is None or real.is_relative_to(top.resolve()):
        return
    raise InvalidFile(
        f"{display_name(path)} leads to {real}, outside its git repository {top}; mentorkit "
        "reads and changes only a file inside it (replace the link with the file)"
    )


def _require_regular(name: str, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise InvalidFile(f"{name} is a folder, not a mentorship file")
    if not stat.S_ISREG(mode):
        raise InvalidFile(
            f"{name} is not a regular file (a device, a pipe or a socket); mentorkit "
            "reads only regular files"
        )


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
    cached = _cached(digest)
    if cached is not None:
        checked, raw = cached
    else:
        from mentorkit.file.yamltext import parse_text

        parsed = parse_text(body, name, lines=False)
        try:
            checked = fileformat.mentorship_from_raw(parsed.raw, {}, name)
        except InvalidFile:
            # Read again, this time keeping every value's line, to say where the problems are.
            parsed = parse_text(body, name, lines=True)
            checked = fileformat.mentorship_from_raw(parsed.raw, parsed.lines, name)
        raw = parsed.raw
        _cache_put(digest, raw, checked)
    return Loaded(
        path=Path(name),
        mentorship=checked.mentorship,
        text=text,
        comment_lines=_comment_lines(body),
        unknown_keys=checked.unknown_keys,
        line_of=checked.line_of,
        raw=raw,
    )


def _comment_lines(text: str) -> list[int]:
    if "#" not in text:
        return []
    from mentorkit.file.yamltext import find_comment_lines

    return find_comment_lines(text)


def load(path: Path) -> Loaded:
    name = display_name(path)
    with contextlib.suppress(OSError, RuntimeError):
        _refuse_leaving_the_repository(path, path.resolve(strict=True))
    loaded = parse(decode(_read_bytes(path), name), name)
    loaded.path = path
    return loaded


# --------------------------------------------------------------------------- the parse cache
# Parsing YAML costs ~30 ms per 100 KB even with the C loader, and building the model from
# it as much again. The cache keeps, per content hash of the text read, what a read gave:
# the model, the unknown keys and the raw data, pickled (the standard library's fastest
# way back to the same objects: dates, dates with times, kept scalars, keys of any kind).
# It is an optimisation only, and nothing from outside can reach the unpickling: an entry
# is signed with a random per-user key kept beside it, and is read only when the key file
# is this user's alone (0600) and the signature over the entry matches; the file's content
# only ever goes into an entry as data, through pickle's own writer.


def _cache_dir() -> Path | None:
    if os.environ.get("MENTORKIT_NO_CACHE"):
        return None
    explicit = os.environ.get("MENTORKIT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mentorkit"


def _cache_key(folder: Path) -> bytes | None:
    """The per-user signing key, created on first use; None where the key file is not this
    user's alone (someone else could then sign entries)."""
    path = folder / "key"
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            key = handle.read(64)
        if info.st_uid != os.getuid() or info.st_mode & 0o077 or not stat.S_ISREG(info.st_mode):
            return None
        return key if len(key) == 32 else None
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _cache_key(folder)
    except OSError:
        return None
    key = os.urandom(32)
    with os.fdopen(fd, "wb") as out:
        out.write(key)
    return key


def _sign(key: bytes, payload: bytes) -> str:
    """Keyed BLAKE2b, a message authentication code of its own (RFC 7693)."""
    return str(_blake2b(payload, key).hexdigest())


def _entry_head(digest: str) -> bytes:
    """The first line of an entry's signed part: which text, cache format and mentorkit."""
    return json.dumps([_CACHE_FORMAT, _code_stamp(), digest]).encode("utf-8") + b"\n"


def _cached(digest: str) -> tuple[fileformat.Checked, Any] | None:
    """The validated model and the raw data cached for the text with this digest."""
    folder = _cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / f"{digest[:32]}.pickle", "rb") as handle:
            signature, _, payload = handle.read(MAX_BYTES * 8).partition(b"\n")
        head = _entry_head(digest)
        if not payload.startswith(head):  # another text, format or mentorkit
            return None
        key = _cache_key(folder)
        if key is None or signature.decode("ascii") != _sign(key, payload):
            return None
    except (OSError, ValueError):
        return None
    import pickle

    try:
        checked, raw = pickle.loads(payload[len(head) :])
    except Exception:  # signed by this user's mentorkit, yet unreadable: read the file
        return None
    return checked, raw


def _cache_get(digest: str) -> Any | None:
    """The raw data cached for the text with this digest."""
    found = _cached(digest)
    return None if found is None else found[1]


def _cache_put(digest: str, raw: Any, checked: fileformat.Checked | None = None) -> None:
    """Cache what reading the text with this digest gave (`raw` validated: the model is
    built from it where not given)."""
    folder = _cache_dir()
    if folder is None:
        return
    import pickle

    with contextlib.suppress(OSError, InvalidFile, pickle.PicklingError, RecursionError):
        key = _cache_key(folder)
        if key is None:
            return
        if checked is None:
            checked = fileformat.mentorship_from_raw(raw, {}, "the file", validated=True)
        payload = _entry_head(digest) + pickle.dumps(
            (fileformat.Checked(checked.mentorship, checked.unknown_keys, {}), raw),
            protocol=pickle.HIGHEST_PROTOCOL,
        )
        _prune(folder)
        signed = _sign(key, payload).encode("ascii") + b"\n" + payload
        _atomic_write(folder / f"{digest[:32]}.pickle", signed)


def _prune(folder: Path, keep: int = 64) -> None:
    entries = sorted(
        [*folder.glob("*.pickle"), *folder.glob("*.json")], key=lambda p: p.stat().st_mtime
    )
    for old in entries[:-keep]:
        with contextlib.suppress(OSError):
            old.unlink()


# --------------------------------------------------------------------------- writing


def _atomic_write(
    path: Path, text: str | bytes, mode: int | None = None, *, checkpoints: bool = False
) -> None:
    """Write to a temporary file in the same folder, fsync, then replace: old or new, never half."""
    import tempfile

    folder = path.parent
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(handle, "wb") as out:
            half = len(data) // 2
            out.write(data[:half])
            out.flush()
            if checkpoints:
                _pause("write", temporary)
            out.write(data[half:])
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
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _DEFERRED:  # a held Ctrl-C ends the wait
            time.sleep(0.02)


def render(mentorship: Mentorship, like: str = "", raw: dict[str, Any] | None = None) -> str:
    """The text to save, keeping the byte-order mark and line endings the file had. `raw`:
    the mentorship's on-disk shape where the caller has it already."""
    from mentorkit.file.yamltext import dump_raw

    text = dump_raw(raw if raw is not None else fileformat.mentorship_to_raw(mentorship))
    if "\r\n" in like:
        text = text.replace("\n", "\r\n")
    if like.startswith(_BOM):
        text = _BOM + text
    return text


def _remove_stale_temporaries(real: Path) -> None:
    """Temporary files of writes that were killed (SIGKILL, power loss). Only called under
    the lock, when no other write of this file can be under way."""
    prefix = f".{real.name}."
    with contextlib.suppress(OSError):
        for entry in os.scandir(real.parent):
            if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _check_size(name: str, text: str) -> None:
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise InvalidFile(f"{_too_big(name, size, saving=True)}; nothing was changed")


def create(path: Path, mentorship: Mentorship) -> None:
    """Write a new file; refuse to overwrite anything that is already there."""
    name = display_name(path)
    if path.exists() or path.is_symlink():
        raise MentorkitError(f"{name} already exists; mentorkit init never overwrites a file")
    fileformat.check(mentorship, name)
    import tempfile

    text = render(mentorship)
    _check_size(name, text)
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise os_problem(err, f"create {name}", "nothing was written") from err
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.link(temporary, path)  # fails if the path appeared meanwhile: no overwrite
    except FileExistsError as err:
        raise MentorkitError(
            f"{name} already exists; mentorkit init never overwrites a file"
        ) from err
    except OSError as err:
        raise os_problem(err, f"create {name}", "nothing was written") from err
    finally:
        with contextlib.suppress(OSError):
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
    replaced file would let a second process in while the first still commits it. `path`
    is the real file (symbolic links followed), so a link and its target share one lock."""
    import fcntl

    name = display_name(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd = os.open(folder, os.O_RDONLY)
    except FileNotFoundError as err:
        raise NotFound(f"the folder of {name} does not exist") from err
    except OSError as err:
        raise os_problem(err, f"lock the folder of {name}") from err
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
def signals_held() -> Iterator[list[int]]:
    """Hold Ctrl-C and termination requests while the file is written and committed (or
    synced), so that the run ends in a state it can say truthfully: no change or a saved
    and committed one. Yields the signals that came meanwhile."""
    import signal

    received = _DEFERRED
    received.clear()

    def remember(signum: int, frame: Any) -> None:
        received.append(signum)

    previous = {}
    try:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            previous[signum] = signal.signal(signum, remember)
    except ValueError:  # not the main thread: nothing to defer
        pass
    try:
        yield received
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _write_file(real: Path, name: str, text: str, mode: int, *, checkpoints: bool) -> None:
    _check_size(name, text)
    _remove_stale_temporaries(real)
    try:
        _atomic_write(real, text, mode & 0o7777, checkpoints=checkpoints)
    except OSError as err:
        raise os_problem(err, f"save {name}") from err


def _save_and_commit(
    real: Path,
    name: str,
    old: str,
    new: str,
    after_write: Callable[[Path], object] | None,
    *,
    checkpoints: bool = False,
) -> None:
    """Write and commit as one step: an interrupt waits until both are done; if it stopped
    the commit, the old text is put back, so the file never holds an uncommitted change
    that the next commit would record under someone else's name."""
    mode = real.stat().st_mode
    if not mode & 0o222:
        raise InvalidFile(f"{name} is read-only; nothing was changed")
    with signals_held() as received:
        _write_file(real, name, new, mode, checkpoints=checkpoints)
        PROGRESS.saved = name
        if checkpoints:
            _pause("commit", str(real))
        try:
            if after_write is not None:
                PROGRESS.committed = bool(after_write(real))
        except GitProblem:
            if not received:
                raise
            _write_file(real, name, old, mode, checkpoints=False)
            PROGRESS.saved = None
            raise Interrupted("interrupted during the commit; nothing was changed") from None
    if received:
        raise Interrupted(f"interrupted; {PROGRESS.outcome()}")


@contextlib.contextmanager
def editing(
    path: Path,
    *,
    drop_comments: bool = False,
    after_write: Callable[[Path], object] | None = None,
) -> Iterator[Loaded]:
    """Read-modify-write under an exclusive lock. The caller changes ``loaded.mentorship``;
    on leaving the block the result is validated and written atomically, or, if anything
    raised, the file is left exactly as it was. A symbolic link is followed for the lock
    and the write alike; the link itself stays."""
    name = display_name(path)
    real = real_file(path)
    with _locked(real):
        loaded = load(real)
        loaded.path = path
        before = fileformat.mentorship_to_raw(loaded.mentorship)
        yield loaded
        if loaded.unchanged:
            return
        fileformat.check(loaded.mentorship, name)
        raw = fileformat.mentorship_to_raw(loaded.mentorship)
        text, read_back = _rewritten(loaded, before, raw)
        if text == loaded.text:
            return
        if loaded.comment_lines and not drop_comments:
            lost = _lost_comments(loaded.text, text)
            if lost:
                lines = ", ".join(str(n) for n in lost[:8])
                more = "" if len(lost) <= 8 else " and more"
                raise CommentsInTheWay(
                    f"{name} has comments (line {lines}{more}) that saving would drop, so "
                    "nothing was changed; move them into a notes field, or run again with "
                    "--drop-comments"
                )
        _save_and_commit(real, name, loaded.text, text, after_write, checkpoints=True)
        _cache_put(_digest(text.removeprefix(_BOM)), read_back)


def _rewritten(loaded: Loaded, before: dict[str, Any], after: dict[str, Any]) -> tuple[str, Any]:
    """The text to save and the raw data it reads as: changed in place where it can be,
    else the whole file in mentorkit's style."""
    from mentorkit.file.yamltext import same

    if same(before, after):
        return loaded.text, None
    if type(loaded.raw) is dict:
        changed = changed_in_place(loaded.text, loaded.raw, before, after, loaded.path.name)
        if changed is not None:
            return changed
    return render(loaded.mentorship, like=loaded.text, raw=after), after


def changed_in_place(
    text: str, raw: dict[str, Any], before: dict[str, Any], after: dict[str, Any], source: str
) -> tuple[str, dict[str, Any]] | None:
    """`text` (whose raw data is `raw`, and which mentorkit reads as `before`) with only the
    lines of what changed written anew, so that a file written or edited by hand keeps its
    spelling, layout and comments; and the raw data it reads as. It is checked to read as
    `after`; None where the text cannot take the change in place."""
    from mentorkit.file.yamltext import patch_text, read_back, same

    body = text.removeprefix(_BOM)
    patched = patch_text(body, before, after)
    if patched is None:
        return None
    new_raw = read_back(patched, raw, source)
    if new_raw is None or new_raw.get("format") != after.get("format"):
        return None
    try:
        again = fileformat.mentorship_from_raw(new_raw, {}, source, validated=True)
    except InvalidFile:
        return None
    if not same(fileformat.mentorship_to_raw(again.mentorship), after):
        return None
    return text[: len(text) - len(body)] + patched.text, new_raw


def _lost_comments(old: str, new: str) -> list[int]:
    """Lines of `old` whose comments `new` no longer holds."""
    from collections import Counter

    from mentorkit.file.yamltext import find_comments

    kept = Counter(comment for _, comment in find_comments(new))
    lost = []
    for line, comment in find_comments(old):
        if kept[comment]:
            kept[comment] -= 1
        else:
            lost.append(line)
    return lost


def read_text(path: Path) -> str:
    """The file's text as it is, valid or not (for editing by hand)."""
    return decode(_read_bytes(path), display_name(path))


def replace_text(
    path: Path,
    expected: str,
    new: str,
    *,
    after_write: Callable[[Path], object] | None = None,
) -> Loaded:
    """Save text edited by hand, exactly as written, once it validates, and only if nobody
    changed the file since `expected` was read."""
    name = display_name(path)
    checked = parse(new, name)
    real = real_file(path)
    with _locked(real):
        current = read_text(real)
        if current != expected:
            raise InvalidFile(f"{name} was changed by someone else while you edited it")
        _save_and_commit(real, name, current, new, after_write)
    checked.path = path
    return checked


def write_export(target: str, data: bytes) -> None:
    """Write an export (a report, an .ics file, a message). A regular file is replaced
    atomically; through a symbolic link, the file it points to is; a device or a pipe
    (/dev/null, /dev/stdout, a FIFO) is written into, never replaced."""
    path = Path(target)
    try:
        info: os.stat_result | None = path.stat()
    except FileNotFoundError:
        info = None
    except RuntimeError as err:
        raise EnvironmentProblem(
            f"cannot write {target}: the path has a symbolic link loop"
        ) from err
    except OSError as err:
        raise os_problem(err, f"write {target}", "nothing was written") from err
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise MentorkitError(f"{target} is a folder; give a file name")
    if info is not None and (info.st_dev, info.st_ino) in _READ:
        raise UsageProblem(
            f"{target} is the mentorship file itself; give another file name; nothing was written"
        )
    try:
        if info is not None and not stat.S_ISREG(info.st_mode):
            with open(path, "wb") as out:
                out.write(data)
            return
        real = Path(os.path.realpath(path))
        if not real.parent.is_dir():
            raise NotFound(f"the folder {path.parent} does not exist")
        mode = info.st_mode & 0o7777 if info is not None else 0o644
        _atomic_write(real, data.decode("utf-8"), mode)
    except OSError as err:
        raise os_problem(err, f"write {target}", "nothing was written") from err


# --------------------------------------------------------------------------- other files
# Files mentorkit keeps beside mentorship files (a program's program.yaml and its cache):
# read and written with the same care, regular files only, atomically.


def read_other(path: Path, missing: str, limit: int = MAX_BYTES) -> str:
    """The text of a regular file of at most `limit` bytes; `missing` says what to do when
    there is none."""
    name = display_name(path)
    try:
        data = _read_bytes(path, limit)
    except NotFound:
        raise NotFound(f"{name} does not exist; {missing}") from None
    return decode(data, name)


def write_other(path: Path, text: str) -> None:
    """Replace (or create) a file atomically."""
    try:
        if path.is_symlink() or (path.exists() and not path.is_file()):
            raise InvalidFile(f"{display_name(path)} is not a regular file; nothing was written")
        _atomic_write(path, text, 0o644)
    except OSError as err:
        raise os_problem(err, f"write {display_name(path)}", "nothing was written") from err


def code_stamp() -> str:
    """Which mentorkit wrote a cache entry (see `_code_stamp`)."""
    return _code_stamp()


@contextlib.contextmanager
def exclusive(folder: Path, busy: str) -> Iterator[None]:
    """Hold `folder` for this process alone; another holder means Busy(`busy`) at once."""
    import fcntl

    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY)
    except OSError as err:
        raise os_problem(err, f"use {display_name(folder)}") from err
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(busy) from None
        yield
    finally:
        os.close(fd)
