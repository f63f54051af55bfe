"""Syncing with the shared remote: pull (merged item by item), check, push. No invalid file
is pushed by `sync`: it validates after pulling, before pushing, and before finishing a
merge or a rebase."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from mentorkit.domain.wording import plural
from mentorkit.errors import GitProblem, Interrupted, InvalidFile
from mentorkit.git import git
from mentorkit.git.setup import missing_setup, staged_problems, work_tree_of


@dataclass
class SyncReport:
    """What `sync` did."""

    pulled: int
    pushed: int
    moved_to: str | None = None  # the other person moved or renamed the file to this path
    finished: str | None = None  # with --continue: what was finished ("merge" or "rebase")


def _in_progress(work_tree: Path) -> str | None:
    folder = git.git_dir(work_tree)
    if (folder / "rebase-merge").exists() or (folder / "rebase-apply").exists():
        return "rebase"
    if (folder / "MERGE_HEAD").exists():
        return "merge"
    return None


def _conflict_message(output: str, conflicted: list[str]) -> str:
    reasons = []
    for line in output.splitlines():
        _, found, reason = line.partition("mentorkit: conflict in ")
        if found:
            for name in conflicted:
                reason = reason.removeprefix(f"{name}: ")
            reasons.append(reason)
    where = f" ({'; '.join(reasons)})" if reasons else ""
    how = "edit them into one (or run `mentorkit edit`)"
    if "not UTF-8" in where:
        how = (
            "edit them into one in a text editor that reads that side's encoding and save the "
            "file as UTF-8 (`mentorkit edit` opens only UTF-8 files)"
        )
    return (
        f"the pull stopped on a conflict in {', '.join(conflicted)}{where}; both sides are kept "
        f"between the conflict markers: {how}, then run `mentorkit sync --continue`"
    )


def _unmerged(work_tree: Path) -> list[str]:
    """The paths git still marks as conflicted, as they are named (spaces and all)."""
    listed = git.run(["diff", "--name-only", "-z", "--diff-filter=U"], work_tree).stdout
    return list(dict.fromkeys(n for n in listed.split("\0") if n))


def refuse_unfinished(path: Path) -> None:
    """A change cannot be committed while a merge or rebase waits to be finished: say so
    before anything is written (`edit` finishes it instead)."""
    work_tree = git.toplevel(path.resolve().parent)
    state = _in_progress(work_tree) if work_tree is not None else None
    if state is not None:
        raise GitProblem(
            f"a {state} is in progress in this clone, so nothing was changed; finish it first "
            "(resolve the conflict with `mentorkit edit`, or by hand and then `mentorkit sync "
            f"--continue`), or give it up with `git {state} --abort`"
        )


def _stopped(work_tree: Path, result_output: str, what: str) -> GitProblem:
    conflicted = _unmerged(work_tree)
    if conflicted:
        return GitProblem(_conflict_message(result_output, conflicted))
    return GitProblem(f"{what} failed: {result_output.strip()}")


def _check_file(work_tree: Path, relative: str, revision: str, when: str) -> None:
    """The file as committed at `revision` must validate."""
    from mentorkit.file import storage

    data = git.show_bytes(work_tree, f"{revision}:{relative}")
    try:
        storage.parse(storage.decode(data, relative), relative)
    except InvalidFile as err:
        raise InvalidFile(
            f"{when}, {relative} is not valid, so nothing was pushed: {err.message}; fix it "
            "with `mentorkit edit` (which commits the fix), then run `mentorkit sync` again",
            err.problems,
        ) from None


def _check_outgoing(work_tree: Path, relative: str) -> None:
    """Every commit about to be pushed must hold a valid file, not only the last one: the
    other person's clone would hold each of them (and may merge from one)."""
    from mentorkit.file import storage

    listed = git.run(["rev-list", "@{u}..HEAD"], work_tree)
    commits = listed.stdout.split() if listed.returncode == 0 else []
    blobs = git.blobs_of(work_tree, [f"{commit}:{relative}" for commit in commits])
    checked: set[str | None] = {None}
    for spec, blob in blobs.items():
        if blob is None or blob in checked:
            continue
        checked.add(blob)
        data = git.read_blobs(work_tree, [blob])[blob]
        try:
            storage.parse(storage.decode(data, relative), relative)
        except InvalidFile as err:
            commit = spec.split(":", 1)[0]
            raise InvalidFile(
                f"commit {commit[:10]}, not yet pushed, holds an invalid {relative}, so nothing "
                f"was pushed: {err.message}; fold it into the commit that fixes it (`git rebase "
                "-i @{u}`, then `fixup` that commit), then run `mentorkit sync` again",
                err.problems,
            ) from None


def _commit_merge(work_tree: Path) -> None:
    """A pull merges without committing, so that a merge that does not validate is never
    committed, whatever merged it: the driver, or git line by line where the driver did not
    apply (the other person moved or renamed the file)."""
    problems = staged_problems(work_tree)
    if problems:
        name, err = problems[0]
        raise InvalidFile(
            f"merging the other person's changes gives a {name} that does not validate, so "
            f"the merge was not committed and nothing was pushed: {err.message}; fix the file "
            "with `mentorkit edit` (which finishes the merge), or give the merge up with "
            "`git merge --abort`",
            err.problems,
        )
    result = git.run(["commit", "--no-edit", "--no-verify"], work_tree, env={"GIT_EDITOR": "true"})
    if result.returncode != 0:
        raise GitProblem(f"git commit of the merge failed: {result.stderr.strip()}")


def _moved_to(work_tree: Path, before: str, relative: str) -> str:
    """Where the file went in the commits just pulled (moved or renamed by the other person)."""
    listed = git.run(["diff", "--name-status", "-z", "-M", before, "HEAD"], work_tree).stdout
    fields = listed.split("\0")
    for i, status in enumerate(fields):
        if status.startswith("R") and i + 2 < len(fields) and fields[i + 1] == relative:
            return fields[i + 2]
    raise GitProblem(
        f"{relative} is no longer in the repository after the pull: the other person removed "
        "it; see `git log --stat -1 -- " + shlex.quote(relative) + "`"
    )


def finish(path: Path) -> str | None:
    """Finish the merge or rebase that stopped on the file, once it validates: stage it,
    then commit the merge or let the rebase go on. Returns what was finished (None when
    nothing was in progress); raises when the rebase stops on the next conflict."""
    from mentorkit.file import storage

    if git.toplevel(path.resolve().parent) is None:
        return None
    work_tree, relative = work_tree_of(path, "finish")
    state = _in_progress(work_tree)
    if state is None:
        return None
    storage.load(path)  # raises with the file, line and field when it does not validate
    added = git.run(["add", "--", relative], work_tree)
    if added.returncode != 0:
        raise GitProblem(f"git add {relative} failed: {added.stderr.strip()}")
    left = _unmerged(work_tree)
    if left:
        raise GitProblem(
            f"{', '.join(left)} still have conflicts; resolve them and `git add` them, then run "
            "`mentorkit sync --continue`"
        )
    if state == "merge":
        result = git.run(
            ["commit", "--no-edit", "--no-verify"], work_tree, env={"GIT_EDITOR": "true"}
        )
    else:
        result = git.run(["rebase", "--continue"], work_tree, env={"GIT_EDITOR": "true"})
    if result.returncode != 0:
        raise _stopped(work_tree, result.stdout + result.stderr, f"git {state} --continue")
    return state


def sync(path: Path, *, rebase: bool = False, resume: bool = False) -> SyncReport:
    work_tree, relative = work_tree_of(path, "sync")
    problem = missing_setup(path)
    if problem:
        raise GitProblem(f"nothing was synced: {problem}")
    if not git.run(["remote"], work_tree).stdout.strip():
        raise GitProblem(
            "this repository has no remote; add the shared one with `git remote add origin URL`"
        )
    upstream = git.run(["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"], work_tree)
    state = _in_progress(work_tree)
    if upstream.returncode != 0 and state is None:
        branch = git.run(["branch", "--show-current"], work_tree).stdout.strip() or "HEAD"
        raise GitProblem(
            f"the branch {branch} has no upstream; push it once with `git push -u origin {branch}`"
        )
    resume = resume and state is not None  # finished already (`mentorkit edit`): just sync
    before = git.run(["rev-parse", "ORIG_HEAD" if resume else "HEAD"], work_tree).stdout.strip()
    if not resume and state is not None:
        if _unmerged(work_tree):
            raise GitProblem(
                f"a {state} is in progress; resolve the conflict, then run "
                "`mentorkit sync --continue`"
            )
        raise GitProblem(
            f"a {state} with no conflict left is in progress; run `mentorkit sync --continue` "
            f"to finish it, or give it up with `git {state} --abort`"
        )
    from mentorkit.file import storage

    # Ctrl-C waits for the git command under way (unless it stops git too), so that the
    # sentence can say what was pulled and pushed.
    report = None
    with storage.signals_held() as received:
        try:
            report = _exchange(path, work_tree, relative, before, rebase=rebase, resume=resume)
        except GitProblem:
            if not received:  # else git failed because Ctrl-C stopped it too
                raise
    if received or report is None:
        given_up = ""
        if not resume and state is None:
            with storage.signals_held():
                given_up = _give_up(work_tree)
        raise Interrupted(f"interrupted; {given_up}{_what_was_synced(work_tree, before)}")
    return report


def _give_up(work_tree: Path) -> str:
    """Undo the merge or rebase an interrupted pull left half done, so that the clone is as
    it was before the pull. Says so, or nothing if there was none (or it cannot be undone,
    which the sentence after it then tells)."""
    state = _in_progress(work_tree)
    if state is None:
        return ""
    if git.run([state, "--abort"], work_tree).returncode != 0 or _in_progress(work_tree):
        return ""
    return f"the {state} it had begun was undone: "


def _what_was_synced(work_tree: Path, before: str) -> str:
    state = _in_progress(work_tree)
    if state is not None:
        return (
            f"a {state} is in progress and nothing was pushed; run `mentorkit sync "
            "--continue` to finish it"
        )
    head = git.run(["rev-parse", "HEAD"], work_tree).stdout.strip()
    pulled = git.run(["rev-list", "--count", f"{before}..{head}"], work_tree).stdout.strip()
    ahead = git.run(["rev-list", "--count", "@{u}..HEAD"], work_tree).stdout.strip()
    got = "nothing was pulled" if pulled in ("", "0") else f"{plural(int(pulled), 'commit')} pulled"
    sent = "nothing was pushed" if ahead != "0" else "everything was pushed"
    return f"{got}, {sent}"


def _exchange(
    path: Path, work_tree: Path, relative: str, before: str, *, rebase: bool, resume: bool
) -> SyncReport:
    """Pull (merging item by item), check, push."""
    finished = None
    if resume:
        finished = finish(path)
    else:
        if git.run(["status", "--porcelain", "--", relative], work_tree).stdout.strip():
            raise GitProblem(
                f"{relative} has changes that are not committed; commit them (or `mentorkit "
                "edit`) first"
            )
        how = ["--rebase"] if rebase else ["--no-rebase", "--no-commit"]
        pulled = git.run(["pull", "--no-edit", *how], work_tree)
        if pulled.returncode != 0:
            raise _stopped(work_tree, pulled.stderr + pulled.stdout, "git pull")
        if _in_progress(work_tree) == "merge":
            _commit_merge(work_tree)
    moved = None
    if git.blob_at(work_tree, "HEAD", relative) is None:
        moved = relative = _moved_to(work_tree, before, relative)
    _check_file(work_tree, relative, "HEAD", "after pulling")
    _check_outgoing(work_tree, relative)
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
    return SyncReport(
        pulled=int(count or 0) if not resume else 0,
        pushed=int(ahead or 0),
        moved_to=moved,
        finished=finished,
    )
