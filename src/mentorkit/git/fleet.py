"""Fetching many pairs' repositories at once with the system git, into a cache of shallow
bare repositories, and reading one file from each.

Per pair and run: `git ls-remote` asks the remote for the branch's commit (one small
exchange, no objects). Only when that commit is new is it fetched (`--depth=1`, into the
pair's own bare repository, so fetches run in parallel without sharing a lock), and only
when the caller has no figures for that commit is the file read (`git cat-file --batch`).
A repeat run with nothing new therefore costs one `ls-remote` per pair. git asks no
questions (no terminal prompt, ssh in batch mode) and each git command has a time limit;
credentials are git's own (helpers, ssh keys).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from mentorkit.errors import GitProblem

_LIVE: set[subprocess.Popen[bytes]] = set()
_LIVE_LOCK = threading.Lock()
_STOP = threading.Event()


@dataclass(frozen=True)
class Wanted:
    """One pair to read: its cache key, where git finds it, the branch and the file;
    `have` is the commit already in its cache repository, `known` the commit whose
    figures the caller already holds (then the file is not read again)."""

    key: str
    location: str
    branch: str
    file: str
    have: str | None = None
    known: str | None = None


@dataclass
class Got:
    """What became of one pair: the commit read and the file's bytes (None when the
    caller's figures for that commit still hold), or why it could not be read."""

    key: str
    commit: str | None = None
    data: bytes | None = None
    problem: str | None = None
    fetched: bool = False


def _environment() -> dict[str, str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GCM_INTERACTIVE": "never"}
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes -o ConnectTimeout=10")
    # Only git's own transports: ext:: (which runs a command) and other helpers are refused.
    env["GIT_ALLOW_PROTOCOL"] = "file:git:http:https:ssh"
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"):
        env.pop(name, None)
    return env


def _run(
    args: list[str], cwd: Path, timeout: float, data: bytes | None = None
) -> tuple[int, bytes, str]:
    """One git command in its own process group, so that a time limit or Ctrl-C ends it
    and whatever it started (ssh, a credential helper)."""
    if _STOP.is_set():
        return 130, b"", "stopped"
    try:
        process = subprocess.Popen(
            ["git", *args],
            cwd=cwd,
            stdin=subprocess.PIPE if data is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_environment(),
            start_new_session=True,
        )
    except FileNotFoundError as err:
        raise GitProblem("git is not installed; the program view needs it") from err
    with _LIVE_LOCK:
        _LIVE.add(process)
        if _STOP.is_set():  # stopped while it was starting
            _kill(process)
    try:
        out, said = process.communicate(data, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        process.communicate()
        return 124, b"", f"git did not finish within {timeout:g} seconds"
    finally:
        with _LIVE_LOCK:
            _LIVE.discard(process)
    return process.returncode, out, said.decode("utf-8", "replace")


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def stop_all() -> None:
    """End every git command under way (Ctrl-C): no fetch goes on behind the user's back."""
    _STOP.set()
    with _LIVE_LOCK:
        for process in list(_LIVE):
            _kill(process)


def _why(stderr: str, fallback: str) -> str:
    """git's failure as one sentence: what kind of failure, then git's last line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    said = [line for line in lines if line.lower().startswith(("fatal:", "error:"))]
    last = (said or lines or [fallback])[0]
    for prefix in ("fatal: ", "error: ", "ERROR: "):
        last = last.removeprefix(prefix)
    last = last[:200]
    text = stderr.lower()
    if any(
        s in text
        for s in (
            "authentication failed",
            "could not read username",
            "could not read password",
            "terminal prompts disabled",
            "permission denied",
            "403",
            "401",
        )
    ):
        return f"private: git could not log in ({last})"
    if "did not finish within" in text:
        return f"unreachable: {last}"
    return f"unreachable: {last}"


def _remote_commit(w: Wanted, timeout: float, cwd: Path) -> tuple[str | None, str | None]:
    code, out, err = _run(["ls-remote", "--", w.location, f"refs/heads/{w.branch}"], cwd, timeout)
    if code != 0:
        return None, _why(err, "git ls-remote failed")
    for line in out.decode("utf-8", "replace").splitlines():
        commit, _, ref = line.partition("\t")
        if ref == f"refs/heads/{w.branch}" and len(commit) in (40, 64):
            return commit, None
    return None, f"no branch {w.branch} in the repository"


def _fetch(w: Wanted, repo: Path, timeout: float) -> str | None:
    if not (repo / "HEAD").exists():
        if repo.exists():
            shutil.rmtree(repo, ignore_errors=True)
        code, _, err = _run(["init", "--quiet", "--bare", str(repo)], repo.parent, timeout)
        if code != 0:
            return f"the cache could not hold it: {err.strip()[:200]}"
    refspec = f"+refs/heads/{w.branch}:refs/heads/pair"
    fetch = ["fetch", "--quiet", "--no-tags", "--no-write-fetch-head"]
    code, _, err = _run([*fetch, "--depth=1", "--", w.location, refspec], repo, timeout)
    if code != 0 and "shallow" in err.lower():  # a server without shallow fetches (dumb http)
        code, _, err = _run([*fetch, "--", w.location, refspec], repo, timeout)
    if code != 0:
        if "couldn't find remote ref" in err:
            return f"no branch {w.branch} in the repository"
        return _why(err, "git fetch failed")
    return None


def _read(w: Wanted, repo: Path, commit: str, timeout: float, limit: int) -> Got:
    """The commit's file, by `git cat-file --batch` (the commit's ID is checked too)."""
    code, out, err = _run(
        ["cat-file", "--batch"], repo, timeout, f"{commit}\n{commit}:{w.file}\n".encode()
    )
    if code != 0:
        return Got(w.key, problem=_why(err, "git cat-file failed"))
    header, _, rest = out.partition(b"\n")
    parts = header.split()
    if len(parts) != 3 or parts[1] != b"commit":
        return Got(w.key, problem=f"the commit {commit[:12]} could not be read from the cache")
    rest = rest[int(parts[2]) + 1 :]
    header, _, rest = rest.partition(b"\n")
    parts = header.split()
    if len(parts) == 2 and parts[1] == b"missing":
        return Got(w.key, commit=commit, problem=f"no {w.file} on branch {w.branch}")
    if len(parts) != 3:
        return Got(w.key, commit=commit, problem=f"{w.file} could not be read")
    if parts[1] != b"blob":
        return Got(w.key, commit=commit, problem=f"{w.file} is not a file on branch {w.branch}")
    size = int(parts[2])
    if size > limit:
        return Got(
            w.key,
            commit=commit,
            problem=f"{w.file} is {-(-size // 1000):,} KB; mentorkit reads files of up to "
            f"{limit // 1000:,} KB",
        )
    return Got(w.key, commit=commit, data=rest[:size])


def _one(w: Wanted, cache: Path, timeout: float, limit: int) -> Got:
    repo = cache / f"{w.key}.git"
    commit, problem = _remote_commit(w, timeout, cache)
    if problem or commit is None:
        return Got(w.key, problem=problem)
    if commit == w.known:
        return Got(w.key, commit=commit)
    fetched = False
    if commit != w.have or not (repo / "HEAD").exists():
        problem = _fetch(w, repo, timeout)
        if problem:
            return Got(w.key, problem=problem)
        fetched = True
        # the branch may have moved since ls-remote: read what was fetched
        code, out, _ = _run(["rev-parse", "--verify", "--quiet", "refs/heads/pair"], repo, timeout)
        if code == 0:
            commit = out.decode().strip()
    got = _read(w, repo, commit, timeout, limit)
    got.fetched = fetched
    return got


def survey(
    wanted: list[Wanted], cache: Path, *, jobs: int, timeout: float, limit: int
) -> Iterator[tuple[int, Got]]:
    """Read every pair, `jobs` at a time; yields (index, result) as each one is done, so
    that the caller can reduce each file at once and keep none of them in memory."""
    cache.mkdir(parents=True, exist_ok=True)
    _STOP.clear()
    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    pending: dict[Future[Got], int] = {}
    queue = iter(enumerate(wanted))

    def top_up() -> None:
        # a bounded queue: at most twice `jobs` results wait to be taken
        while len(pending) < 2 * max(1, jobs):
            entry = next(queue, None)
            if entry is None:
                return
            index, w = entry
            pending[pool.submit(_one, w, cache, timeout, limit)] = index

    try:
        top_up()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                index = pending.pop(future)
                yield index, future.result()
            top_up()
    except BaseException:
        stop_all()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def forget(cache: Path, keys: set[str]) -> None:
    """Remove the cache repositories of pairs no longer in the program."""
    if not cache.is_dir():
        return
    for entry in cache.iterdir():
        if entry.name.endswith(".git") and entry.name[:-4] not in keys and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
