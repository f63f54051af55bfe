"""Talking to git. Nothing here reads or writes the mentorship file itself."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mentorkit.errors import GitProblem


def _git(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError as err:
        raise GitProblem("git is not installed; install it, or use --no-git") from err


def available() -> bool:
    return shutil.which("git") is not None


def toplevel(folder: Path) -> Path | None:
    """The work tree that holds `folder`, or None outside a git repository."""
    if not available():
        return None
    result = _git(["rev-parse", "--show-toplevel"], folder)
    if result.returncode != 0:
        return None
    return Path(result.stdout.strip())


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


def commit_file(
    path: Path, message: str, name: str, email: str, also: tuple[Path, ...] = ()
) -> bool:
    """Commit this one file, and only it: the user's other staged changes stay staged.

    The author is the user's own git identity; where git has none configured, the acting
    person's name and email from the mentorship file stand in. Returns False when nothing
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
    names = [path.name, *(os.path.relpath(p, folder) for p in also)]
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
        raise GitProblem(
            f"the file was saved, but git commit failed: {result.stderr.strip() or result.stdout.strip()}"
        )
    return True


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


def read_blobs(work_tree: Path, blobs: list[str]) -> dict[str, bytes]:
    """The content of many blobs through one `git cat-file --batch`."""
    if not blobs:
        return {}
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


def run(
    args: list[str], work_tree: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """A git command whose outcome the caller interprets."""
    return _git(args, work_tree, env)


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
