"""How this clone stands against its remote: commits not pushed, commits not pulled, as of
the last fetch, and when that was."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mentorkit.domain.wording import plural
from mentorkit.git import git

FETCH_TIMEOUT = 8.0


@dataclass
class Standing:
    remote: bool  # the repository has a remote at all
    upstream: str | None = None
    ahead: int = 0
    behind: int = 0
    fetched: datetime | None = None  # when the last fetch (or pull) finished
    fetch_problem: str | None = None  # set when a fetch was tried just now and failed
    fetched_now: bool = False


def standing(path: Path, *, fetch: bool) -> Standing | None:
    """None outside git. With `fetch`, fetch first (short timeout; offline is fine)."""
    found_where = git.where(path.parent)
    if found_where is None:
        return None
    work_tree, git_dir, _ = found_where
    if not git.remotes(work_tree):
        return Standing(remote=False)
    found = Standing(remote=True)
    if fetch:
        found.fetch_problem = git.fetch(work_tree, FETCH_TIMEOUT)
        found.fetched_now = found.fetch_problem is None
    counted = git.ahead_behind(work_tree)
    if counted is not None:
        found.upstream, found.ahead, found.behind = counted
    found.fetched = _last_heard(git_dir, found.upstream)
    return found


def standing_meanwhile(path: Path, *, fetch: bool) -> Callable[[], Standing | None]:
    """`standing`, found while the caller goes on (it mostly waits for git, and a fetch for
    the network): the function returned waits for it, then gives it or raises what it raised."""
    found: list[Standing | None] = []
    failed: list[BaseException] = []

    def find() -> None:
        try:
            found.append(standing(path, fetch=fetch))
        except BaseException as problem:  # raised in the caller's thread instead
            failed.append(problem)

    finder = threading.Thread(target=find, daemon=True)
    finder.start()

    def result() -> Standing | None:
        finder.join()
        if failed:
            raise failed[0]
        return found[0]

    return result


def _last_heard(git_dir: Path, upstream: str | None) -> datetime | None:
    """When this clone last heard from the remote: the last fetch, or the last clone, pull
    or push that moved the remote-tracking branch (its reflog)."""
    candidates = [git_dir / "FETCH_HEAD"]
    if upstream:
        candidates.append(git_dir / "logs" / "refs" / "remotes" / upstream)
    times = [p.stat().st_mtime for p in candidates if p.is_file()]
    if not times and (git_dir / "packed-refs").is_file():  # a fresh clone: no reflog yet
        times.append((git_dir / "packed-refs").stat().st_mtime)
    return datetime.fromtimestamp(max(times), UTC) if times else None


def describe(found: Standing | None, now: datetime) -> list[str]:
    """One or two sentences for `status` and `checkin`; nothing outside git."""
    if found is None:
        return []
    if not found.remote:
        return ["git: no remote yet, so the other person sees none of this (see `mentorkit sync`)"]
    lines = []
    if found.fetch_problem:
        lines.append(f"git: could not fetch ({found.fetch_problem}); working from what is here")
    if found.upstream is None:
        lines.append("git: this branch has no upstream; `git push -u origin HEAD` sets one")
        return lines
    parts = []
    if found.ahead:
        parts.append(f"{plural(found.ahead, 'commit')} of yours not pushed")
    if found.behind:
        parts.append(f"{plural(found.behind, 'commit')} from {found.upstream} not pulled")
    state = ", ".join(parts) if parts else f"in step with {found.upstream}"
    if found.fetched_now:
        when = "fetched just now"
    elif found.fetched is None:
        when = "never fetched, so this may be out of date"
    else:
        when = f"as of the last fetch or push, {_ago(found.fetched, now)}"
    advice = "; `mentorkit sync` brings both up to date" if parts else ""
    lines.append(f"git: {state} ({when}){advice}")
    return lines


def _ago(moment: datetime, now: datetime) -> str:
    seconds = max(0, int((now - moment).total_seconds()))
    stamp = f"{moment:%Y-%m-%d %H:%M} UTC"
    if seconds < 3600:
        return f"{stamp}, {plural(max(1, seconds // 60), 'minute')} ago"
    if seconds < 86400 * 2:
        return f"{stamp}, {plural(seconds // 3600, 'hour')} ago"
    return f"{stamp}, {plural(seconds // 86400, 'day')} ago"
