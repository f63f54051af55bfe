"""The record of mail sent, kept in git beside the file: the ref `refs/mentorkit/sent`,
shared through the remote, so that whichever clone runs `remind` (or `followup --send`),
each message goes once.

A run first claims what it is about to send by adding lines to the record and pushing it;
git accepts a push only onto the tip it replaces, so of two clones claiming at the same
moment one is refused, fetches the other's claims and leaves those out. Without a remote
the same compare-and-swap is `git update-ref`. After sending, the run settles each claim
as sent, or releases it for the next run to try again. A claim never settled (the run was
killed between claiming and settling) is taken as abandoned after an hour, so a message
is retried rather than lost.
"""

from __future__ import annotations

import fcntl
import os
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mentorkit.errors import MailNotSent
from mentorkit.git import git
from mentorkit.output import one_line

REF = "refs/mentorkit/sent"
_REMOTE_COPY = "refs/mentorkit/sent-remote"
_FILE = "sent"
ABANDONED = timedelta(hours=1)
_IDENTITY = {
    "GIT_AUTHOR_NAME": "mentorkit",
    "GIT_AUTHOR_EMAIL": "mentorkit@localhost",
    "GIT_COMMITTER_NAME": "mentorkit",
    "GIT_COMMITTER_EMAIL": "mentorkit@localhost",
    "GIT_TERMINAL_PROMPT": "0",
}
_TIMEOUT = 30
# A push refused because another clone moved the record first (the tip moved, or the
# remote's ref was being updated at that moment); anything else (a hook, no access) is an
# error, not a reason to try again.
_CONFLICT = re.compile(
    r"\[rejected\]|fetch first|non-fast-forward|stale info|cannot lock ref|"
    r"failed to update ref|incorrect old value"
)

# The lines of git's (or ssh's) stderr that say what went wrong
_ERROR = re.compile(r"(fatal|error|ssh|remote): ")


@dataclass(frozen=True)
class Entry:
    """The latest word on one message: claimed, sent, released or failed (refused for
    good by the server, for `address`), when, by which run."""

    key: str
    state: str
    at: datetime
    by: str
    address: str = ""


def safe_key(text: str) -> str:
    """A key on one line of the record: no whitespace or control characters."""
    return re.sub(r"[\s\x00-\x1f\x7f]", "_", text)


class Ledger:
    """The record as of the last read, and the remote it is shared through."""

    def __init__(self, work_tree: Path, remote: str | None) -> None:
        self.work_tree = work_tree
        self.remote = remote
        self.tip: str | None = None
        self.text = ""
        self.entries: dict[str, Entry] = {}

    def sent(self) -> set[str]:
        return {key for key, e in self.entries.items() if e.state == "sent"}

    def failed(self) -> dict[str, str]:
        """The keys the server refused for good, each with the address it refused."""
        return {key: e.address for key, e in self.entries.items() if e.state == "failed"}

    def taken(self, now: datetime, run: str) -> set[str]:
        """Keys not to send now: sent, or claimed by another run less than an hour ago."""
        return {
            key
            for key, e in self.entries.items()
            if e.state == "sent"
            or (e.state == "claimed" and e.by != run and now - e.at < ABANDONED)
        }

    def read(self) -> None:
        if self.remote:
            self._fetch()
        tip = _run(["rev-parse", "--verify", "--quiet", self._ref()], self.work_tree)
        self.tip = tip.stdout.strip() if tip.returncode == 0 else None
        self.text = ""
        if self.tip:
            self.text = git.show_bytes(self.work_tree, f"{self.tip}:{_FILE}").decode("utf-8")
        self.entries = {}
        for line in self.text.splitlines():
            parts = line.split("\t")
            if len(parts) not in (4, 5):
                continue
            try:
                at = datetime.fromisoformat(parts[2])
            except ValueError:
                continue
            self.entries[parts[0]] = Entry(parts[0], parts[1], at, *parts[3:])

    def _ref(self) -> str:
        return _REMOTE_COPY if self.remote else REF

    def _fetch(self) -> None:
        result = _run(
            ["fetch", "--quiet", "--no-tags", self.remote or "", f"+{REF}:{_REMOTE_COPY}"],
            self.work_tree,
        )
        if result.returncode == 0:
            return
        if "couldn't find remote ref" in result.stderr:
            # Not on the remote yet: start from this clone's own record, if it kept one
            # before it had a remote, so that nothing it sent then goes again.
            local = _run(["rev-parse", "--verify", "--quiet", REF], self.work_tree)
            if local.returncode == 0:
                _run(["update-ref", _REMOTE_COPY, local.stdout.strip()], self.work_tree)
            else:
                _run(["update-ref", "-d", _REMOTE_COPY], self.work_tree)
            return
        raise MailNotSent(
            f"could not read the record of mail sent from the remote {self.remote}: "
            f"{_git_said(result.stderr)}; nothing was sent"
        )

    def append(self, lines: list[str], message: str) -> bool:
        """Add `lines` on top of the tip last read; False when someone else moved it first."""
        text = self.text + "".join(line + "\n" for line in lines)
        blob = _run(["hash-object", "-w", "--stdin"], self.work_tree, text).stdout.strip()
        tree = _run(["mktree"], self.work_tree, f"100644 blob {blob}\t{_FILE}\n").stdout.strip()
        parents = ["-p", self.tip] if self.tip else []
        made = _run(["commit-tree", tree, *parents, "-m", message], self.work_tree)
        if made.returncode != 0:
            raise MailNotSent(f"could not record mail sent in git: {_git_said(made.stderr)}")
        commit = made.stdout.strip()
        if self.remote:
            pushed = _run(["push", "--quiet", self.remote, f"{commit}:{REF}"], self.work_tree)
            if pushed.returncode != 0:
                if _CONFLICT.search(pushed.stderr):
                    return False
                raise MailNotSent(
                    f"could not record mail sent on the remote {self.remote}: "
                    f"{_git_said(pushed.stderr)}"
                )
            _run(["update-ref", _REMOTE_COPY, commit], self.work_tree)
            _run(["update-ref", REF, commit], self.work_tree)
        else:
            old = self.tip or "0" * 40
            if _run(["update-ref", REF, commit, old], self.work_tree).returncode != 0:
                return False
        self.tip, self.text = commit, text
        for line in lines:
            key, state, at, *by = line.split("\t")
            self.entries[key] = Entry(key, state, datetime.fromisoformat(at), *by)
        return True

    def claim(self, keys: list[str], run: str, now: datetime) -> list[str]:
        """Claim the keys no one else has sent or claimed; returns those now this run's."""
        for _ in range(20):
            mine = [k for k in keys if k not in self.taken(now, run)]
            if not mine:
                return []
            stamp = now.astimezone(UTC).isoformat(timespec="seconds")
            if self.append([f"{k}\tclaimed\t{stamp}\t{run}" for k in mine], "claimed"):
                return mine
            self.read()
        raise MailNotSent("the record of mail sent kept changing under this run; nothing was sent")

    def settle(
        self, states: dict[str, str], run: str, now: datetime, failed: dict[str, str] | None = None
    ) -> None:
        """Record each claimed key as `sent`, `released`, or `failed` for the address in
        `failed` (so that it is tried again only for another address). Where the record cannot be
        pushed (the remote went away after the mail went), the lines wait in this clone's
        git folder and are recorded first thing on the next run."""
        if not states:
            return
        stamp = now.astimezone(UTC).isoformat(timespec="seconds")
        lines = [f"{key}\t{state}\t{stamp}\t{run}" for key, state in states.items()]
        lines = [
            f"{line}\t{safe_key((failed or {})[key])}" if states[key] == "failed" else line
            for key, line in zip(states, lines, strict=True)
        ]
        try:
            self._append_lines(lines)
        except MailNotSent as err:
            with self._pending().open("a", encoding="utf-8") as waiting:
                waiting.writelines(line + "\n" for line in lines)
            raise MailNotSent(
                f"the mail went, but {err.message[0].lower()}{err.message[1:]}; it is "
                "recorded on the next run"
            ) from None

    def _append_lines(self, lines: list[str]) -> None:
        for _ in range(20):
            if self.append(lines, f"{sum(line.split(chr(9))[1] == 'sent' for line in lines)} sent"):
                return
            self.read()
        raise MailNotSent("could not record what was sent: the record kept changing")

    def _pending(self) -> Path:
        return git.git_dir(self.work_tree) / "mentorkit" / "sent-unrecorded"

    def record_pending(self) -> None:
        """Record what an earlier run sent but could not record (see `settle`)."""
        pending = self._pending()
        if not pending.exists():
            return
        lines = [line for line in pending.read_text(encoding="utf-8").splitlines() if line]
        if lines:
            self._append_lines(lines)
        pending.unlink()


def remote_of(work_tree: Path) -> str | None:
    """The remote the record is shared through: the upstream's, else the only one or
    `origin`; None for a clone without remotes."""
    upstream = _run(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"], work_tree)
    names = git.remotes(work_tree)
    if upstream.returncode == 0:
        for name in names:
            if upstream.stdout.strip().startswith(name + "/"):
                return name
    if "origin" in names:
        return "origin"
    return names[0] if len(names) == 1 else None


@contextmanager
def held(work_tree: Path) -> Iterator[None]:
    """One sending run at a time in this clone (other clones are kept apart by the push).
    Waiting is bounded: every step of a run (git, the mail server) has its own timeout."""
    folder = git.git_dir(work_tree) / "mentorkit"
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / "send.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _run(
    args: list[str], work_tree: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(_IDENTITY)
    if "GIT_SSH_COMMAND" not in {**os.environ, **env}:
        env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes -o ConnectTimeout=10"
    try:
        return git.run(args, work_tree, env, stdin=stdin, timeout=_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise MailNotSent(
            f"git did not finish `{args[0]}` within {_TIMEOUT} s; nothing more was sent"
        ) from None


def _git_said(text: str) -> str:
    """git's reason, in one line: its first error (ssh's own comes before git's), not the
    advice that follows it ("Please make sure you have the correct access rights ...")."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if _ERROR.match(line)]
    said = errors[0] if errors else lines[-1] if lines else "git failed"
    return one_line(said.removeprefix("fatal: ").removeprefix("error: "))
