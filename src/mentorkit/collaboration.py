"""Two people, one file: git set up for mentorkit (merge driver, readable diffs, a
pre-commit check) and syncing with the shared remote."""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from mentorkit import git
from mentorkit.errors import GitProblem

HOOK_MARK = "# mentorkit pre-commit hook"


def command_prefix() -> str:
    """How git should call this mentorkit: the same Python, so a virtual environment works."""
    return f"{shlex.quote(sys.executable)} -m mentorkit"


@dataclass
class SetupReport:
    """What `git setup` did."""

    attributes_added: bool
    hook: str  # "installed", "kept" (ours already), "skipped" (someone else's hook)


def setup(path: Path) -> SetupReport:
    work_tree = git.toplevel(path.parent)
    if work_tree is None:
        raise GitProblem(f"{path.name} is not in a git repository; run git init first")
    relative = os.path.relpath(path.resolve(), work_tree)
    prefix = command_prefix()
    for key, value in (
        ("merge.mentorkit.name", "mentorkit: merge mentorship files item by item"),
        ("merge.mentorkit.driver", f"{prefix} git merge-driver %O %A %B %P"),
        ("diff.mentorkit.textconv", f"{prefix} git textconv"),
    ):
        result = git.run(["config", "--local", key, value], work_tree)
        if result.returncode != 0:
            raise GitProblem(f"git config {key} failed: {result.stderr.strip()}")
    attributes = work_tree / ".gitattributes"
    line = f"{relative} merge=mentorkit diff=mentorkit"
    existing = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    added = line not in existing.splitlines()
    if added:
        with open(attributes, "a", encoding="utf-8") as out:
            out.write(("" if existing.endswith("\n") or not existing else "\n") + line + "\n")
    return SetupReport(attributes_added=added, hook=_install_hook(work_tree, relative, prefix))


def _install_hook(work_tree: Path, relative: str, prefix: str) -> str:
    hooks = git.git_dir(work_tree) / "hooks"
    configured = git.config("core.hooksPath", work_tree)
    if configured:
        hooks = (work_tree / configured).resolve()
    hook = hooks / "pre-commit"
    if hook.exists() and HOOK_MARK not in hook.read_text(encoding="utf-8", errors="replace"):
        return "skipped"
    hooks.mkdir(parents=True, exist_ok=True)
    hook.write_text(
        "#!/bin/sh\n"
        f"{HOOK_MARK}: never commit a mentorship file that does not validate\n"
        f"if git diff --cached --name-only | grep -qx {shlex.quote(relative)}; then\n"
        f'  exec {prefix} validate "$(git rev-parse --show-toplevel)/{relative}"\n'
        "fi\n",
        encoding="utf-8",
    )
    hook.chmod(0o755)
    return "installed"


def driver_configured(work_tree: Path) -> bool:
    return git.config("merge.mentorkit.driver", work_tree) is not None


@dataclass
class SyncReport:
    """What `sync` did."""

    pulled: int
    pushed: int


def sync(path: Path, *, rebase: bool = False) -> SyncReport:
    work_tree = git.toplevel(path.parent)
    if work_tree is None:
        raise GitProblem(f"{path.name} is not in a git repository, so there is nothing to sync")
    if not driver_configured(work_tree):
        raise GitProblem(
            "this clone has no mentorkit merge driver, and git would silently merge the file "
            "line by line; run `mentorkit git setup` first"
        )
    if not git.run(["remote"], work_tree).stdout.strip():
        raise GitProblem(
            "this repository has no remote; add the shared one with `git remote add origin URL`"
        )
    upstream = git.run(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"], work_tree)
    if upstream.returncode != 0:
        branch = git.run(["branch", "--show-current"], work_tree).stdout.strip() or "HEAD"
        raise GitProblem(
            f"the branch {branch} has no upstream; push it once with `git push -u origin {branch}`"
        )
    relative = os.path.relpath(path.resolve(), work_tree)
    if git.run(["status", "--porcelain", "--", relative], work_tree).stdout.strip():
        raise GitProblem(
            f"{relative} has changes that are not committed; commit them (or `mentorkit edit`) first"
        )
    before = git.run(["rev-parse", "HEAD"], work_tree).stdout.strip()
    pulled = git.run(["pull", "--no-edit", "--rebase" if rebase else "--no-rebase"], work_tree)
    if pulled.returncode != 0:
        conflicted = git.run(["diff", "--name-only", "--diff-filter=U"], work_tree).stdout.split()
        if conflicted:
            step = "git rebase --continue" if rebase else "git commit"
            detail = (pulled.stderr + pulled.stdout).strip().splitlines()
            fields = [line for line in detail if "mentorkit:" in line]
            where = f" ({'; '.join(fields)})" if fields else ""
            raise GitProblem(
                f"the pull stopped on a true conflict in {', '.join(conflicted)}{where}; edit the "
                f"lines between the conflict markers, then `git add` the file and `{step}`"
            )
        raise GitProblem(f"git pull failed: {(pulled.stderr or pulled.stdout).strip()}")
    after_pull = git.run(["rev-parse", "HEAD"], work_tree).stdout.strip()
    count = git.run(["rev-list", "--count", f"{before}..{after_pull}"], work_tree).stdout.strip()
    ahead = git.run(["rev-list", "--count", "@{u}..HEAD"], work_tree).stdout.strip()
    if ahead and ahead != "0":
        pushed = git.run(["push"], work_tree)
        if pushed.returncode != 0:
            message = pushed.stderr.strip()
            if "rejected" in message or "fetch first" in message:
                raise GitProblem(
                    "the push was rejected: the other person pushed meanwhile; run `mentorkit sync` again"
                )
            raise GitProblem(f"git push failed: {message}")
    return SyncReport(pulled=int(count or 0), pushed=int(ahead or 0))
