"""Fetching many pairs' repositories at once with the system git, and reading one file
from each, keeping nothing of them.

Per pair and run: `git ls-remote` asks the remote for the branch's commit (one small
exchange, no objects). Only when the caller has no figures (or verdict) for that commit is
it fetched (`--depth=1`, into a new bare repository of its own, so fetches run in parallel
without sharing a lock), its file's size checked and the file read; the repository is
removed as soon as the file is read. A repeat run with nothing new therefore costs one
`ls-remote` per pair, and no pair's text stays on disk. git asks no
questions (no terminal prompt, ssh in batch mode) and each git command has a time limit;
credentials are git's own (helpers, ssh keys).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
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
    """One pair to read: its key, where git finds it, the branch and the file; `known` is
    the commit whose figures (or verdict) the caller already holds (then nothing is
    fetched)."""

    key: str
    location: str
    branch: str
    file: str
    known: str | None = None


@dataclass
class Got:
    """What became of one pair: the commit read and the file's bytes (None when the
    caller's figures for that commit still hold), or why it could not be read (with the
    commit when the reason is the commit's own: no file, too big, not a file)."""

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


BIG = "1m"  # blobs over this are streamed by git, never held whole in its memory
GRACE = 2.0  # seconds git has to remove its lock files after SIGTERM before SIGKILL


def _kill(process: subprocess.Popen[bytes]) -> None:
    """End git gently (SIGTERM lets it remove its lock files), then surely after GRACE."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(GRACE)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def stop_all() -> None:
    """End every git command under way (Ctrl-C): no fetch goes on behind the user's back."""
    _STOP.set()
    with _LIVE_LOCK:
        processes = list(_LIVE)
    enders = [threading.Thread(target=_kill, args=(p,)) for p in processes]
    for ender in enders:
        ender.start()
    for ender in enders:
        ender.join()


def _why(stderr: str, fallback: str) -> str:
    """git's failure as one sentence: what kind of failure, then git's last line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    said = [line for line in lines if line.lower().startswith(("fatal:", "error:"))]
    last = (said or lines or [fallback])[0]
    if "could not read from remote repository" in last.lower() and lines[0] != last:
        last = lines[0]  # ssh's own words come first (refused, unknown host, host key)
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
    if "dubious ownership" in text:
        return (
            "not trusted: the repository belongs to another user, so git refuses it; "
            "`git config --global --add safe.directory PATH` trusts it"
        )
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
    """The branch's commit, shallow, into a new bare repository of its own."""
    code, _, err = _run(
        ["init", "--quiet", "--bare", "--template=", str(repo)], repo.parent, timeout
    )
    if code != 0:
        return f"the cache could not hold it: {_first_line(err)}"
    refspec = f"+refs/heads/{w.branch}:refs/heads/pair"
    # big blobs are streamed while the pack is checked, never held whole in git's memory
    fetch = ["-c", f"core.bigFileThreshold={BIG}", "fetch", "--quiet", "--no-tags"]
    fetch += ["--no-write-fetch-head"]
    if w.location.startswith(("/", "file://")):  # the sending side runs here too
        fetch += [f"--upload-pack=git -c core.bigFileThreshold={BIG} upload-pack"]
    code, _, err = _run([*fetch, "--depth=1", "--", w.location, refspec], repo, timeout)
    if code != 0 and "shallow" in err.lower():  # a server without shallow fetches (dumb http)
        code, _, err = _run([*fetch, "--", w.location, refspec], repo, timeout)
    if code != 0:
        if "couldn't find remote ref" in err:
            return f"no branch {w.branch} in the repository"
        return _why(err, "git fetch failed")
    return None


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return (lines or ["no reason given"])[0][:200]


def _read(w: Wanted, repo: Path, timeout: float, limit: int) -> Got:
    """The fetched commit's file (the branch may have moved since ls-remote: what was
    fetched is read): its type and size first (`cat-file --batch-check`, a link inside
    the repository followed), and its bytes only when it is a file within `limit`."""
    code, out, err = _run(
        ["cat-file", "--batch-check", "--follow-symlinks"],
        repo,
        timeout,
        f"refs/heads/pair^{{commit}}\nrefs/heads/pair:{w.file}\n".encode(),
    )
    if code != 0:
        return Got(w.key, problem=f"{w.file} could not be read: {_first_line(err)}")
    lines = out.decode("utf-8", "replace").split("\n")
    if len(lines[0].split()) != 3 or lines[0].split()[1] != "commit":
        return Got(w.key, problem="the commit fetched could not be read")
    commit = lines[0].split()[0]
    parts = lines[1].split() if len(lines) > 1 else []
    if parts[-1:] == ["missing"]:
        return Got(w.key, commit=commit, problem=f"no {w.file} on branch {w.branch}")
    if parts[:1] in (["symlink"], ["dangling"], ["loop"], ["notdir"]):
        return Got(
            w.key,
            commit=commit,
            problem=f"{w.file} is a link to nothing in the repository on branch {w.branch}",
        )
    if len(parts) != 3 or parts[1] != "blob":
        return Got(w.key, commit=commit, problem=f"{w.file} is not a file on branch {w.branch}")
    blob, size = parts[0], int(parts[2])
    if size > limit:
        return Got(
            w.key,
            commit=commit,
            problem=f"{w.file} is {-(-size // 1000):,} KB; mentorkit reads files of up to "
            f"{limit // 1000:,} KB",
        )
    code, out, err = _run(["cat-file", "blob", blob], repo, timeout)
    if code != 0 or len(out) != size:
        return Got(w.key, problem=f"{w.file} could not be read: {_first_line(err)}")
    return Got(w.key, commit=commit, data=out)


def _one(w: Wanted, work: Path, timeout: float, limit: int) -> Got:
    commit, problem = _remote_commit(w, timeout, work)
    if problem or commit is None:
        return Got(w.key, problem=problem)
    if commit == w.known:
        return Got(w.key, commit=commit)
    # A repository of its own for this run only: nothing of the pair stays on disk, and
    # no lock or damage left by an earlier run can stand in the way.
    repo = Path(tempfile.mkdtemp(prefix="pair-", suffix=".git", dir=work))
    try:
        problem = _fetch(w, repo, timeout)
        if problem:
            return Got(w.key, problem=problem)
        got = _read(w, repo, timeout, limit)
        got.fetched = True
        return got
    finally:
        shutil.rmtree(repo, ignore_errors=True)


def survey(
    wanted: list[Wanted], cache: Path, *, jobs: int, timeout: float, limit: int
) -> Iterator[tuple[int, Got]]:
    """Read every pair, `jobs` at a time; yields (index, result) as each one is done, so
    that the caller can reduce each file at once and keep none of them in memory."""
    shutil.rmtree(cache / "repos", ignore_errors=True)  # where earlier versions kept copies
    work = cache / "fetching"  # emptied now: a run killed outright may have left a copy
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
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
            pending[pool.submit(_one, w, work, timeout, limit)] = index

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
        shutil.rmtree(work, ignore_errors=True)
