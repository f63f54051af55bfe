"""Who is running mentorkit, and committing their changes under their own name."""

from __future__ import annotations

import os
from pathlib import Path

from mentorkit import git
from mentorkit.errors import UsageProblem
from mentorkit.model import ROLES, Mentorship, Role


def role_named(text: str | None, source: str) -> Role | None:
    """'mentor' or 'mentee' as typed for an option; None when not given."""
    if text is None:
        return None
    role = text.strip().lower()
    if role not in ROLES:
        raise UsageProblem(f"{source}: {text!r} is neither mentor nor mentee")
    return role  # type: ignore[return-value]


def roles_by_email(m: Mentorship) -> dict[str, Role]:
    """The two people's emails (lower case) to their roles, to tell who made a commit."""
    return {m.people.of(role).email.strip().lower(): role for role in ROLES}


def running_role(
    explicit: str | None, m: Mentorship | None, folder: Path, *, required: bool = True
) -> Role | None:
    """--as, then MENTORKIT_ROLE, then the local git user.email matched against the people."""
    for source, value in (("--as", explicit), ("MENTORKIT_ROLE", os.environ.get("MENTORKIT_ROLE"))):
        if value:
            return role_named(value, source)
    if m is not None:
        email = git.config("user.email", folder)
        if email and email.strip().lower() in roles_by_email(m):
            return roles_by_email(m)[email.strip().lower()]
    if required:
        raise UsageProblem(
            "cannot tell whether you are the mentor or the mentee; pass --as mentor or --as "
            "mentee, set MENTORKIT_ROLE, or set your git user.email to the one in the file"
        )
    return None


def commits_enabled(folder: Path) -> bool:
    setting = git.config("mentorkit.commit", folder)
    return setting is None or setting.lower() not in ("false", "no", "off", "0")


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
    if not enabled or git.toplevel(folder) is None or not commits_enabled(folder):
        return False
    from mentorkit.output import one_line

    person = m.people.of(role or "mentor")
    return git.commit_file(path, one_line(message), person.name, person.email, also)


def start_repository(folder: Path) -> Path | None:
    """Create a git repository in `folder` unless it already lies in one."""
    if not git.available() or git.toplevel(folder) is not None:
        return None
    git.init(folder)
    return folder
