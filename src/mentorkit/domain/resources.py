"""Resources shared with the mentee: templates, webinars, articles, and what to do with each."""

from __future__ import annotations

import random
from datetime import date

from mentorkit.domain import ids
from mentorkit.domain.corrections import Corrections
from mentorkit.domain.wording import because, one_line, quoted
from mentorkit.errors import UsageProblem
from mentorkit.file.model import RESOURCE_KINDS, Mentorship, Resource, Role, one_of

# What one does with each kind: (still to do, done) — a podcast is listened to, not read.
VERBS = {
    "template": ("to use", "used"),
    "webinar": ("to watch", "watched"),
    "article": ("to read", "read"),
    "book": ("to read", "read"),
    "course": ("to take", "took"),
    "video": ("to watch", "watched"),
    "podcast": ("to listen to", "listened to"),
    "other": ("to work through", "worked through"),
}


def still_to_do(kind: str) -> str:
    return VERBS.get(kind, VERBS["other"])[0]


def add_resource(
    m: Mentorship,
    title: str,
    *,
    kind: str,
    url: str | None,
    goal: str | None,
    note: str | None,
    by: Role,
    today: date,
    rng: random.Random | None = None,
) -> tuple[Resource, str]:
    if not title.strip():
        raise UsageProblem("a resource needs a title")
    chosen = one_of(kind, RESOURCE_KINDS)
    if chosen is None:
        raise UsageProblem(f"the kind is one of {', '.join(RESOURCE_KINDS)}, not {kind!r}")
    resource = Resource(
        id=ids.new_id(m.all_ids(), rng),
        title=one_line(title, "the title"),
        kind=chosen,
        url=_web_address(url),
        goal=ids.find(m.goals, goal, "goal").id if goal else None,
        shared_by=by,
        shared=today,
        notes=note or None,
    )
    m.resources.append(resource)
    return resource, f"{by} shared {kind} {resource.id} {quoted(resource.title)}"


def complete_resource(
    m: Mentorship, prefix: str, *, note: str | None, when: date, by: Role | None
) -> tuple[Resource, str]:
    resource = ids.find(m.resources, prefix, "resource")
    if resource.status == "done":
        raise UsageProblem(
            f"resource {resource.id} was already worked through on {resource.completed}"
        )
    resource.status, resource.completed = "done", when
    if note:
        resource.notes = f"{resource.notes}\n{note}" if resource.notes else note
    return (
        resource,
        f"{by or 'someone'} {VERBS.get(resource.kind, VERBS['other'])[1]} {resource.kind} "
        f"{resource.id} {quoted(resource.title)}",
    )


def edit_resource(
    m: Mentorship,
    prefix: str,
    *,
    title: str | None = None,
    kind: str | None = None,
    url: str | None = None,
    goal: str | None = None,
    notes: str | None = None,
    reason: str | None = None,
    by: Role | None,
) -> tuple[Resource, str]:
    """Correct a shared resource; an empty --url, --notes or `-` for --goal clears it."""
    resource = ids.find(m.resources, prefix, "resource")
    changes = Corrections(resource)
    if title is not None:
        if not title.strip():
            raise UsageProblem("the new title is empty")
        changes.set("title", one_line(title, "the title"))
    if kind is not None:
        if kind not in RESOURCE_KINDS:
            raise UsageProblem(f"the kind is one of {', '.join(RESOURCE_KINDS)}, not {kind!r}")
        changes.set("kind", kind)
    if url is not None:
        changes.set("url", _web_address(url))
    if goal is not None:
        changes.set(
            "goal", None if goal.strip() in ("", "-") else ids.find(m.goals, goal, "goal").id
        )
    if notes is not None:
        changes.set("notes", notes.strip() or None)
    return resource, changes.sentence(
        by, "resource", resource.title, reason, options="--title, --kind, --url, --goal or --notes"
    )


def drop_resource(
    m: Mentorship, prefix: str, *, reason: str, by: Role | None
) -> tuple[Resource, str]:
    """Take a resource off the list (shared by mistake, or no longer worth the time); git
    history keeps it."""
    resource = ids.find(m.resources, prefix, "resource")
    if not reason.strip():
        raise UsageProblem("say why the resource is dropped (--reason)")
    m.resources.remove(resource)
    return resource, (
        f"{by or 'someone'} dropped {resource.kind} {resource.id} {quoted(resource.title)}"
        f"{because(reason)}"
    )


def select_resources(
    m: Mentorship, *, kind: str | None, goal: str | None, status: str | None
) -> list[Resource]:
    goal_id = ids.find(m.goals, goal, "goal").id if goal else None
    return [
        r
        for r in m.resources
        if (kind is None or r.kind == kind)
        and (goal_id is None or r.goal == goal_id)
        and (status is None or r.status == status)
    ]


def _web_address(url: str | None) -> str | None:
    """Where to find a resource: a web, mail or file address (it becomes a link to click in
    some viewers, so `javascript:` and the like are refused); empty for none."""
    import re

    url = (url or "").strip()
    if not url:
        return None
    if re.search(r"\s", url) or not re.match(r"(https?://|mailto:|ftp://|file:/|www\.)\S", url):
        raise UsageProblem(
            f"{url!r} is not a web address like https://example.com/page (or mailto:, file:)"
        )
    return url
