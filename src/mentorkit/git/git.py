"""Talking to git. Nothing here reads or writes the mentorship file itself."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mentorkit.errors import GitProblem


def _git(
    args: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    *,
    stdin: str | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            timeout=timeout,
            stdin=None if stdin is not None else subprocess.DEVNULL,
        )
    except FileNotFoundError as err:
        raise GitProblem("git is not installed; install it, or use --no-git") from err


def available() -> bool:
    return shutil.which("git") is not None


# folder -> the work tree that holds it, as found during this command (forget() at the
# start of each): a command asks several times, and each answer is a process of git.
_WORK_TREES: dict[str, Path] = {}


def forget() -> None:
    _WORK_TREES.clear()


def toplevel(folder: Path) -> Path | None:
    """The work tree that holds `folder`, or None outside a git repository."""
    found = _WORK_TREES.get(str(folder))
    if found is not None:
        return found
    if not available():
        return None
    result = _git(["rev-parse", "--show-toplevel"], folder)
    if result.returncode != 0:
        return None
    found = _WORK_TREES[str(folder)] = Path(result.stdout.strip())
    return found


def where(folder: Path) -> tuple[Path, Path, str] | None:
    """(the work tree that holds `folder`, its git directory, the commit HEAD names or ""
    before the first commit), in one call to git; None outside a work tree."""
    if not available():
        return None
    result = _git(
        ["rev-parse", "--show-toplevel", "--absolute-git-dir", "--verify", "--quiet", "HEAD"],
        folder,
    )
    lines = result.stdout.split("\n")[:-1]
    if result.returncode not in (0, 1) or len(lines) != 3 - result.returncode:
        # outside a work tree, or a name with a line break in it: asked one at a time
        work_tree = toplevel(folder)
        if work_tree is None:
            return None
        head = _git(["rev-parse", "--verify", "--quiet", "HEAD"], work_tree).stdout.strip()
        return work_tree, git_dir(work_tree), head
    work_tree = _WORK_TREES[str(folder)] = Path(lines[0])
    return work_tree, Path(lines[1]), lines[2] if len(lines) == 3 else ""


def init(folder: Path) -> None:
    result = _git(["init", "--quiet"], folder)
    if result.returncode != 0:
        raise GitProblem(f"git init failed in {folder}: {result.stderr.strip()}")


def config(key: str, folder: Path) -> str | None:
    if not available():
        return None
    result = _git(["config", "--get", key], folder)
    if result.returncode != 0:
        return None
    return result.stdout.strip() or None


def config_matching(pattern: str, folder: Path) -> dict[str, str]:
    """Every key git has here whose name matches `pattern`, in one call: names in lower
    case (as git compares them), the last value of a key winning (as for git itself), and
    keys set to nothing left out."""
    result = _git(["config", "--null", "--get-regexp", pattern], folder)
    found: dict[str, str] = {}
    for entry in result.stdout.split("\0"):
        key, _, value = entry.partition("\n")
        if key and value.strip():
            found[key.lower()] = value.strip()
    return found


def commit_file(
    path: Path,
    message: str,
    name: str,
    email: str,
    also: tuple[Path, ...] = (),
    *,
    as_author: bool = False,
) -> bool:
    """Commit this one file, and only it: the user's other staged changes stay staged.

    The author is the user's own git identity; where git has none configured, the acting
    person's name and email from the mentorship file stand in (and with `as_author`, they
    are the author, the user's identity the committer). Returns False when nothing
    changed."""
    folder = path.parent
    env: dict[str, str] = {}
    if not has_identity(folder):
        env = {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
        }
    elif as_author:
        env = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email}
    names = [path.name, *(os.path.relpath(p, folder) for p in also)]
    staged = _staged_entries(folder, names)
    added = _git(["add", "--", *names], folder)
    if added.returncode != 0:
        raise GitProblem(f"git add {path.name} failed: {added.stderr.strip()}")
    changed = _git(["diff", "--cached", "--quiet", "--", *names], folder)
    if changed.returncode == 0:
        return False
    # --no-verify: mentorkit validated the file itself; --only: the user's other staged
    # changes stay staged and out of this commit.
    result = _git(
        ["commit", "--quiet", "--no-verify", "-m", message, "--only", "--", *names], folder, env
    )
    if result.returncode != 0:
        _restore_staged(folder, names, staged)
        raise GitProblem(
            f"the file was saved, but git commit failed: {result.stderr.strip() or result.stdout.strip()}"
        )
    return True


def _staged_entries(folder: Path, names: list[str]) -> str:
    """The index entries of these paths (`git ls-files --stage`), to put back if the commit
    fails: a file rolled back must not stay staged with the text that was not committed."""
    result = _git(["ls-files", "--stage", "--full-name", "-z", "--", *names], folder)
    return result.stdout if result.returncode == 0 else ""


def _restore_staged(folder: Path, names: list[str], entries: str) -> None:
    """Put the index entries of these paths back as `_staged_entries` found them; a path
    that was not in the index leaves it."""
    _git(["update-index", "--force-remove", "--", *names], folder)
    if entries:
        subprocess.run(
            ["git", "update-index", "-z", "--index-info"],
            cwd=folder,
            input=entries.encode("utf-8"),
            capture_output=True,
        )


# --------------------------------------------------------------------------- reading history


@dataclass
class Revision:
    """One commit that changed the file: who, when, and the file's blob before and after."""

    commit: str
    author: str
    email: str
    when: datetime
    subject: str
    old_blob: str | None
    new_blob: str | None


_EMPTY = "0" * 40


def revisions(work_tree: Path, relative: str, since: str | None = None) -> list[Revision]:
    """Commits that changed the file, oldest first, merges left out (their changes are in
    the commits they merge), with the blob ids read from the same `git log` call."""
    args = ["log", "--no-merges", "--reverse", "--raw", "--no-abbrev", "--no-renames",
            "--format=%x01%H%x00%an%x00%ae%x00%aI%x00%s"]  # fmt: skip
    if since:
        args.append(since)
    result = _git([*args, "--", relative], work_tree)
    if result.returncode != 0:
        message = result.stderr.strip()
        if "does not have any commits" in message or "unknown revision" in message:
            return []
        raise GitProblem(f"git log failed: {message}")
    found: list[Revision] = []
    for chunk in result.stdout.split("\x01")[1:]:
        head, _, raw = chunk.partition("\n")
        commit, author, email, when, subject = head.split("\x00", 4)
        old_blob = new_blob = None
        for line in raw.splitlines():
            if line.startswith(":"):
                fields = line.split()
                old_blob = None if fields[2] == _EMPTY else fields[2]
                new_blob = None if fields[3] == _EMPTY else fields[3]
        found.append(
            Revision(
                commit, author, email, datetime.fromisoformat(when), subject, old_blob, new_blob
            )
        )
    return found


TOO_LARGE = b"\xff (larger than the limit: not read)"  # stands for a blob over `limit`


def read_blobs(work_tree: Path, blobs: list[str], limit: int | None = None) -> dict[str, bytes]:
    """The content of many blobs through one `git cat-file --batch`; with `limit`, a blob
    larger than that is not read (TOO_LARGE, which is not UTF-8, stands for it)."""
    if not blobs:
        return {}
    if limit is not None:
        return dict(stream_blobs(work_tree, blobs, limit))
    process = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=work_tree,
        input=("\n".join(blobs) + "\n").encode(),
        capture_output=True,
    )
    if process.returncode != 0:
        raise GitProblem(f"git cat-file failed: {process.stderr.decode(errors='replace').strip()}")
    data = process.stdout
    found: dict[str, bytes] = {}
    position = 0
    for blob in blobs:
        end = data.index(b"\n", position)
        header = data[position:end].split()
        if len(header) != 3:
            raise GitProblem(f"git cat-file could not read {blob}")
        size = int(header[2])
        found[blob] = data[end + 1 : end + 1 + size]
        position = end + 1 + size + 1
    return found


def blob_at(work_tree: Path, revision: str, relative: str) -> str | None:
    result = _git(["rev-parse", "--verify", "--quiet", f"{revision}:{relative}"], work_tree)
    if result.returncode != 0:
        return None
    return result.stdout.strip() or None


def resolve(work_tree: Path, revision: str) -> str:
    result = _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], work_tree)
    if result.returncode != 0:
        raise GitProblem(f"{revision!r} is not a commit in this repository")
    return result.stdout.strip()


def last_commit_before(work_tree: Path, relative: str, moment: str) -> str | None:
    result = _git(["log", "-1", "--format=%H", f"--until={moment}", "--", relative], work_tree)
    return result.stdout.strip() or None


def git_dir(work_tree: Path) -> Path:
    result = _git(["rev-parse", "--absolute-git-dir"], work_tree)
    if result.returncode != 0:
        raise GitProblem(f"{work_tree} is not in a git repository")
    return Path(result.stdout.strip())


def shallow_commits(git_directory: Path) -> frozenset[str]:
    """The commits a shallow clone stops at (their parents were not fetched); none in a
    full clone. Read from the repository's `shallow` file (shared by its work trees)."""
    common = git_directory
    with contextlib.suppress(OSError):
        common = (git_directory / (git_directory / "commondir").read_text().strip()).resolve()
    try:
        return frozenset((common / "shallow").read_text(encoding="ascii").split())
    except (OSError, ValueError):
        return frozenset()


def run(
    args: list[str],
    work_tree: Path,
    env: dict[str, str] | None = None,
    *,
    stdin: str | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    """A git command whose outcome the caller interprets: `env` added to the environment,
    `stdin` its input (else none), `timeout` in seconds (subprocess.TimeoutExpired)."""
    return _git(args, work_tree, env, stdin=stdin, timeout=timeout)


def show_bytes(work_tree: Path, spec: str) -> bytes:
    """A blob's bytes, as git stores them (`:path` for the staged version)."""
    result = subprocess.run(
        ["git", "cat-file", "blob", spec],
        cwd=work_tree,
        capture_output=True,
        stdin=subprocess.DEVNULL,
    )
    if result.returncode != 0:
        raise GitProblem(
            f"git cannot show {spec}: {result.stderr.decode(errors='replace').strip()}"
        )
    return result.stdout


def has_identity(folder: Path) -> bool:
    """Whether git knows who commits here (user.name and user.email, or the environment)."""
    return _git(["var", "GIT_AUTHOR_IDENT"], folder).returncode == 0 and (
        _git(["var", "GIT_COMMITTER_IDENT"], folder).returncode == 0
    )


def fetch(work_tree: Path, timeout: float) -> str | None:
    """`git fetch` from every remote, giving up after `timeout` seconds and never asking for
    a password. None when it worked, else why not, in one sentence."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    if "GIT_SSH_COMMAND" not in env:
        env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes -o ConnectTimeout=5"
    try:
        result = subprocess.run(
            ["git", "fetch", "--all", "--quiet"],
            cwd=work_tree,
            capture_output=True,
            text=True,
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return f"the remote did not answer within {timeout:g} seconds"
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        return lines[-1].removeprefix("fatal: ").strip() if lines else "git fetch failed"
    return None


def remotes(work_tree: Path) -> list[str]:
    return _git(["remote"], work_tree).stdout.split()


def ahead_behind(work_tree: Path) -> tuple[str, int, int] | None:
    """The upstream branch and how many commits HEAD is ahead of and behind it (as of the
    last fetch); None without an upstream."""
    upstream = _git(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"], work_tree)
    if upstream.returncode != 0:
        return None
    counts = _git(["rev-list", "--left-right", "--count", "HEAD...@{u}"], work_tree)
    if counts.returncode != 0:
        return None
    ahead, behind = (int(n) for n in counts.stdout.split())
    return upstream.stdout.strip(), ahead, behind


# --------------------------------------------------------------------------- the file's whole history


@dataclass
class FileCommit:
    """A commit on any path to HEAD that touched the file (under any of its names), with
    its parents; `old_blob`/`new_blob` are the file before and after for a single-parent
    commit (a merge's blobs are looked up per parent)."""

    commit: str
    parents: list[str]
    author: str
    email: str
    when: datetime
    old_blob: str | None = None
    new_blob: str | None = None
    path: str = ""
    reason: str = ""  # the commit's `Reason:` trailer: why a correction was made
    subject: str = ""  # the first line of its message (a copy of a commit keeps it)
    committer: tuple[str, str, datetime] | None = None  # name, email, date: who made it so
    picked_from: str = ""  # the commit it was cherry-picked from (`cherry-pick -x`)


def file_history(work_tree: Path, relative: str) -> list[FileCommit]:
    """Every commit reachable from HEAD that changed the file, oldest first: parents before
    children, otherwise in the order they were committed (an author date is whatever the
    author's clock or a rebase made it). Renames and moves are followed, merges included
    (not simplified away, so a side branch that a merge discarded still shows). Only the
    file's own commits are read: where it first appears, that commit is looked at whole
    for the name the file had before."""
    names = [relative]
    while True:
        found, appeared = _file_log(work_tree, names)
        moved = {_moved_from(work_tree, commit, path) for commit, path in appeared}
        earlier = {name for name in moved if name is not None} - set(names)
        if not earlier:
            return found
        names += sorted(earlier)


def _file_log(work_tree: Path, names: list[str]) -> tuple[list[FileCommit], list[tuple[str, str]]]:
    """The commits that changed any of `names` (the file's names, now and before), and
    where the file appeared from nothing: (commit, path)."""
    result = _git(
        ["--literal-pathspecs", "log", "--date-order", "--full-history", "--raw",
         "--no-abbrev", "-M", "-z",
         "--format=%x01%H%x00%P%x00%an%x00%ae%x00%aI%x00"
         "%(trailers:key=Reason,valueonly,unfold,separator=%x20)%x00%cn%x00%ce%x00%cI%x00"
         "%(trailers:unfold)%x00%s%x00", "--", *names],
        work_tree,
    )  # fmt: skip
    if result.returncode != 0:
        message = result.stderr.strip()
        if "does not have any commits" in message or "unknown revision" in message:
            return [], []
        raise GitProblem(f"git log failed: {message}")
    names_now = {names[0]}
    found: list[FileCommit] = []
    appeared: list[tuple[str, str]] = []
    for chunk in result.stdout.split("\x01")[1:]:
        commit, parents, author, email, when, reason, *by, trailers, subject, raw = chunk.split(
            "\x00", 11
        )
        entry = FileCommit(
            commit, parents.split(), author, email, datetime.fromisoformat(when), path=""
        )
        entry.reason, entry.subject = " ".join(reason.split()), subject
        entry.committer = (by[0], by[1], datetime.fromisoformat(by[2]))
        picked = _PICKED.findall(trailers)
        entry.picked_from = picked[-1] if picked else ""
        changes = _raw_changes(raw)
        added = False
        for status, old_blob, new_blob, source, target in changes:
            if target in names_now or (status not in "RC" and source in names_now):
                entry.old_blob = None if old_blob == _EMPTY else old_blob
                entry.new_blob = None if new_blob == _EMPTY else new_blob
                entry.path = target
                added = status == "A"
                if status == "R":
                    names_now.add(source)
                if status == "C":
                    entry.old_blob = None
        if added:  # moved and much changed at once: git sees a new file and a deleted one
            deleted = _same_name_deleted(changes, entry.path)
            if deleted is not None:
                names_now.add(deleted[0])
                entry.old_blob = deleted[1]
            elif len(entry.parents) == 1:
                appeared.append((commit, entry.path))
        if entry.path or len(entry.parents) > 1:
            found.append(entry)
    found.reverse()
    return found, appeared


_PICKED = re.compile(r"^\(cherry picked from commit ([0-9a-f]{40})\)$", re.MULTILINE)


def _raw_changes(raw: str) -> list[tuple[str, str, str, str, str]]:
    """`--raw -z` output as (status letter, old blob, new blob, source path, target path)."""
    fields = raw.strip("\n\x00").split("\x00")
    changes = []
    i = 0
    while i < len(fields):
        meta = fields[i].strip("\n").split()
        if not meta or not meta[0].startswith(":"):
            i += 1
            continue
        status = meta[4][0]
        source = fields[i + 1]
        target = fields[i + 2] if status in "RC" else source
        i += 3 if status in "RC" else 2
        changes.append((status, meta[2], meta[3], source, target))
    return changes


def _same_name_deleted(
    changes: list[tuple[str, str, str, str, str]], path: str
) -> tuple[str, str] | None:
    """The one file of the same name deleted where `path` was added: (path, blob)."""
    same = [(c[3], c[1]) for c in changes
            if c[0] == "D" and os.path.basename(c[3]) == os.path.basename(path)]  # fmt: skip
    return same[0] if len(same) == 1 else None


def _moved_from(work_tree: Path, commit: str, path: str) -> str | None:
    """The name a file added in `commit` had before, where the commit moved it."""
    result = _git(["diff-tree", "-r", "-M", "--raw", "-z", "--no-abbrev", "--no-commit-id",
                   commit], work_tree)  # fmt: skip
    changes = _raw_changes(result.stdout) if result.returncode == 0 else []
    renamed = [c[3] for c in changes if c[0] == "R" and c[4] == path]
    if renamed:
        return renamed[0]
    source = _same_name_deleted(changes, path)
    return source[0] if source else None


def blobs_of(work_tree: Path, specs: list[str]) -> dict[str, str | None]:
    """`commit:path` -> the blob id there (None where the path does not exist)."""
    if not specs:
        return {}
    process = subprocess.run(
        ["git", "cat-file", "--batch-check=%(objectname) %(objecttype)"],
        cwd=work_tree,
        input="\n".join(specs) + "\n",
        capture_output=True,
        text=True,
    )
    answers = process.stdout.splitlines()
    found: dict[str, str | None] = {}
    for spec, answer in zip(specs, answers, strict=False):
        parts = answer.split()
        found[spec] = parts[0] if len(parts) == 2 and parts[1] == "blob" else None
    return found


def _widen(pipe: int) -> None:
    """A 1 MB pipe where the system allows it (Linux): a version of the file then passes in
    one piece rather than in sixteen handovers between git and us."""
    try:
        import fcntl

        fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, 1 << 20)
    except (ImportError, AttributeError, OSError):
        pass


def stream_blobs(
    work_tree: Path, blobs: list[str], limit: int | None = None
) -> Iterator[tuple[str, bytes]]:
    """The content of many blobs, one at a time (memory holds one, not all); with `limit`,
    a blob larger than that is passed over by its size (TOO_LARGE stands for it)."""
    if not blobs:
        return
    process = subprocess.Popen(
        # a small cache of delta bases: consecutive versions are each other's bases, so
        # git's default (96 MB) only costs memory and time
        ["git", "-c", "core.deltaBaseCacheLimit=16m", "cat-file", "--batch"],
        cwd=work_tree,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert process.stdin is not None and process.stdout is not None
    stdin = process.stdin
    _widen(process.stdout.fileno())

    def feed() -> None:
        try:
            stdin.write(("\n".join(blobs) + "\n").encode())
            stdin.close()
        except OSError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for blob in blobs:
            header = process.stdout.readline().split()
            if len(header) != 3:
                raise GitProblem(f"git cat-file could not read {blob}")
            size = int(header[2])
            if limit is not None and size > limit:
                remaining = size + 1  # the content and its newline, passed over
                while remaining > 0:
                    chunk = process.stdout.read(min(remaining, 1 << 20))
                    if not chunk:
                        raise GitProblem(f"git cat-file could not read {blob}")
                    remaining -= len(chunk)
                yield blob, TOO_LARGE
                continue
            data = process.stdout.read(size)
            process.stdout.read(1)
            yield blob, data
    finally:
        process.stdout.close()
        process.wait()
        writer.join()
