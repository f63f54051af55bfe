"""Who is running mentorkit, and committing their changes under their own name."""

from __future__ import annotations

import os
from pathlib import Path

from mentorkit.errors import UsageProblem
from mentorkit.file.model import ROLES, Mentorship, Role
from mentorkit.git import git


def role_named(text: str | None, source: str) -> Role | None:
    """'mentor' or 'mentee' as typed for an option; None when not given."""
    if text is None:
        return None
    role = text.strip().lower()
    if role not in ROLES:
        raise UsageProblem(f"{source}: {text!r} is neither mentor nor mentee")
    return role


def roles_by_email(m: Mentorship) -> dict[str, Role]:
    """The two people's emails (lower case) to their roles, to tell who made a commit."""
    return {m.people.of(role).email.strip().lower(): role for role in ROLES}


def running_role(explicit: str | None, m: Mentorship | None, folder: Path) -> Role | None:
    """--as, then MENTORKIT_ROLE, then the local git user.email matched against the people;
    None when none of them says."""
    for source, value in (("--as", explicit), ("MENTORKIT_ROLE", os.environ.get("MENTORKIT_ROLE"))):
        if value:
            return role_named(value, source)
    if m is not None:
        email = git.config("user.email", folder)
        if email and email.strip().lower() in roles_by_email(m):
            return roles_by_email(m)[email.strip().lower()]
    return None


def role_setting(explicit: str | None) -> str | None:
    """Who the person says they are, as typed: --as, then MENTORKIT_ROLE (`init` checks the
    answer as its interview does)."""
    return explicit or os.environ.get("MENTORKIT_ROLE") or None


def known_role(explicit: str | None, m: Mentorship | None, folder: Path) -> Role:
    """Who is running mentorkit, as `running_role` finds it; refused when nothing says."""
    role = running_role(explicit, m, folder)
    if role is None:
        raise UsageProblem(
            "cannot tell whether you are the mentor or the mentee; pass --as mentor or --as "
            "mentee, set MENTORKIT_ROLE, or set your git user.email to the one in the file"
        )
    return role


def commits_enabled(folder: Path) -> bool:
    setting = git.config("mentorkit.commit", folder)
    return setting is None or setting.lower() not in ("false", "no", "off", "0")


def check_committer(path: Path, role: Role | None, *, enabled: bool = True) -> None:
    """Refuse, before anything is written, a change whose commit could not say who made
    it: git has no identity here and neither --as nor the email in git tells the role."""
    folder = path.parent
    if role is not None or not will_commit(folder, enabled):
        return
    if not git.has_identity(folder):
        raise UsageProblem(
            "cannot tell who you are for the commit: git has no user.name and user.email "
            "here; pass --as mentor or --as mentee, or set them with `git config user.email "
            "YOUR-EMAIL` (the one in the file) and `git config user.name YOUR-NAME`"
        )


def will_commit(folder: Path, enabled: bool) -> bool:
    return enabled and git.toplevel(folder) is not None and commits_enabled(folder)


def commit_change(
    path: Path,
    m: Mentorship,
    role: Role | None,
    message: str,
    *,
    enabled: bool = True,
    also: tuple[Path, ...] = (),
) -> bool:
    """Commit the mentorship file alone, when it lives in a git work tree."""
    folder = path.parent
    if not will_commit(folder, enabled):
        return False
    if role is None:
        if not git.has_identity(folder):
            raise UsageProblem("the file was saved, but cannot tell who you are for the commit")
        name = email = ""  # git's own identity is used
    else:
        name, email = m.people.of(role).name, m.people.of(role).email
    from mentorkit.output import literal

    return git.commit_file(
        path, literal(message), name, email, also, as_author=_for_the_other(folder, m, role)
    )


def _for_the_other(folder: Path, m: Mentorship, role: Role | None) -> bool:
    """Whether this clone's git identity is the other person's: `--as` names who made the
    change, so the commit's author is that person and its committer the one who typed it."""
    mine = (git.config("user.email", folder) or "").strip().lower()
    return role is not None and roles_by_email(m).get(mine, role) != role


def start_repository(folder: Path) -> Path | None:
    """Create a git repository in `folder` unless it already lies in one."""
    if not git.available() or git.toplevel(folder) is not None:
        return None
    git.init(folder)
    return folder
