"""Talking to git. Nothing here reads or writes the mentorship file itself."""

from __future__ import annotations

import os
import shutil
import subprocess
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
    return result.stdout.strip() or None if result.returncode == 0 else None


def commit_file(path: Path, message: str, name: str, email: str) -> bool:
    """Commit this one file, and only it: the user's other staged changes stay staged.

    The author is the user's own git identity; where git has none configured, the person's
    name and email from the mentorship file stand in. Returns False when nothing changed."""
    folder = path.parent
    env: dict[str, str] = {}
    if config("user.email", folder) is None or config("user.name", folder) is None:
        env = {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
        }
    added = _git(["add", "--", path.name], folder)
    if added.returncode != 0:
        raise GitProblem(f"git add {path.name} failed: {added.stderr.strip()}")
    changed = _git(["diff", "--cached", "--quiet", "--", path.name], folder)
    if changed.returncode == 0:
        return False
    result = _git(
        ["commit", "--quiet", "--no-verify", "-m", message, "--only", "--", path.name], folder, env
    )
    if result.returncode != 0:
        raise GitProblem(
            f"the file was saved, but git commit failed: {result.stderr.strip() or result.stdout.strip()}"
        )
    return True
