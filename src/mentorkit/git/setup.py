"""Setting up a clone for mentorkit: the merge driver, readable diffs (textconv) and a
pre-commit check, so that no invalid file is committed by mentorkit."""

from __future__ import annotations

import os
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from mentorkit.errors import GitProblem, InvalidFile
from mentorkit.git import git

HOOK_MARK = "# mentorkit pre-commit hook"
_SAFE_PATTERN = re.compile(r"[A-Za-z0-9._/-]+")


def command_prefix() -> str:
    """How git should call this mentorkit: the same Python, so a virtual environment works."""
    return f"{shlex.quote(sys.executable)} -m mentorkit"


def attribute_line(relative: str) -> str:
    """The .gitattributes line for the file: anchored at the top of the work tree, glob
    characters escaped, and quoted C-style when the path has spaces, quotes or non-ASCII
    letters (git reads an unquoted space as the end of the pattern)."""
    pattern = "/" + Path(relative).as_posix()
    if not _SAFE_PATTERN.fullmatch(pattern):
        pattern = re.sub(r"([*?\[\\])", r"\\\1", pattern)
        quoted = []
        for char in pattern:
            if char in '"\\':
                quoted.append("\\" + char)
            elif ord(char) < 0x20 or ord(char) == 0x7F:
                quoted.append(f"\\{ord(char):03o}")
            else:
                quoted.append(char)
        pattern = '"' + "".join(quoted) + '"'
    return f"{pattern} merge=mentorkit diff=mentorkit"


@dataclass
class SetupReport:
    """What `git setup` did."""

    attributes_added: bool
    hook: str  # "installed", "kept" (ours already), "skipped" (someone else's hook)


def work_tree_of(path: Path, doing: str) -> tuple[Path, str]:
    work_tree = git.toplevel(path.resolve().parent)
    if work_tree is None:
        raise GitProblem(f"{path.name} is not in a git repository, so there is nothing to {doing}")
    return work_tree, Path(os.path.relpath(path.resolve(), work_tree.resolve())).as_posix()


def file_below(folder: Path, name: str) -> Path | None:
    """The one file called `name` that git knows (committed, staged or not ignored) in the
    repository below `folder`, for `git setup` run above the file's folder; None if there is
    none. Several are refused with their paths, to choose one with --file."""
    if git.toplevel(folder) is None:
        return None
    listed = git.run(
        ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", f"*{name}"],
        folder,
    ).stdout
    found = sorted({p for p in listed.split("\0") if p and Path(p).name == name})
    if len(found) > 1:
        from mentorkit.errors import UsageProblem

        shown = ", ".join(found[:5]) + (" and more" if len(found) > 5 else "")
        raise UsageProblem(f"there are several {name} files here ({shown}); choose one with --file")
    return folder / found[0] if found else None


def setup(path: Path) -> SetupReport:
    work_tree, relative = work_tree_of(path, "set up; run git init first")
    prefix = command_prefix()
    for key, value in (
        ("merge.mentorkit.name", "mentorkit: merge mentorship files item by item"),
        ("merge.mentorkit.driver", f"{prefix} git merge-driver %O %A %B %P"),
        ("diff.mentorkit.textconv", f"{prefix} git textconv"),
        ("diff.mentorkit.cachetextconv", "true"),
    ):
        result = git.run(["config", "--local", key, value], work_tree)
        if result.returncode != 0:
            raise GitProblem(f"git config {key} failed: {result.stderr.strip()}")
    attributes = work_tree / ".gitattributes"
    line = attribute_line(relative)
    existing = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    added = not attribute_applies(work_tree, relative)
    if added and line not in existing.splitlines():
        with open(attributes, "a", encoding="utf-8") as out:
            out.write(("" if existing.endswith("\n") or not existing else "\n") + line + "\n")
    return SetupReport(attributes_added=added, hook=_install_hook(work_tree, prefix))


def _install_hook(work_tree: Path, prefix: str) -> str:
    """The hook names no file: `git pre-commit` finds the staged mentorship files itself,
    so no path ever passes through the shell."""
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
        f"exec {prefix} git pre-commit\n",
        encoding="utf-8",
    )
    hook.chmod(0o755)
    return "installed"


def driver_configured(work_tree: Path) -> bool:
    return git.config("merge.mentorkit.driver", work_tree) is not None


def attribute_applies(work_tree: Path, relative: str) -> bool:
    result = git.run(["check-attr", "-z", "merge", "--", relative], work_tree)
    fields = result.stdout.split("\0")
    return result.returncode == 0 and len(fields) >= 3 and fields[2] == "mentorkit"


def missing_setup(path: Path) -> str | None:
    """Why git would not merge this file item by item here, with the fix; None when set up."""
    work_tree = git.toplevel(path.resolve().parent)
    if work_tree is None:
        return None
    relative = Path(os.path.relpath(path.resolve(), work_tree.resolve())).as_posix()
    if driver_configured(work_tree) and attribute_applies(work_tree, relative):
        return None
    fix = "" if path.name == "mentorship.yaml" else f"--file {shlex.quote(relative)} "
    return (
        f"this clone has no mentorkit merge driver for {relative}, so git would merge it "
        f"line by line; run `mentorkit {fix}git setup`"
    )


# --------------------------------------------------------------------------- the hook


def staged_problems(work_tree: Path) -> list[tuple[str, InvalidFile]]:
    """Every staged mentorship file (marked for the merge driver, or named like one) that
    does not validate, as staged: what the commit would hold, not the working tree."""
    from mentorkit.file import storage

    listed = git.run(["diff", "--cached", "--name-only", "-z", "--diff-filter=ACMRT"], work_tree)
    names = [n for n in listed.stdout.split("\0") if n]
    if not names:
        return []
    attrs = git.run(["check-attr", "-z", "merge", "--", *names], work_tree).stdout.split("\0")
    marked = {attrs[i] for i in range(0, len(attrs) - 2, 3) if attrs[i + 2] == "mentorkit"}
    found = []
    for name in names:
        if name not in marked and Path(name).name != storage.FILE_NAME:
            continue
        staged = git.run(["ls-files", "--stage", "-z", "--", name], work_tree).stdout
        if staged.startswith("120000"):
            link = InvalidFile(f"{name} is staged as a symbolic link; commit the file itself")
            found.append((name, link))
            continue
        data = git.show_bytes(work_tree, f":{name}")
        try:
            storage.parse(storage.decode(data, name), name)
        except InvalidFile as err:
            found.append((name, err))
    return found
