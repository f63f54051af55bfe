"""What flows between the two: resources for the mentee, feedback and recognition both
ways, and talking points for the next meeting."""

from __future__ import annotations

import random
from datetime import date, timedelta

from mentorkit.domain import ids
from mentorkit.domain.corrections import Corrections
from mentorkit.domain.wording import because, one_line, quoted
from mentorkit.errors import UsageProblem
from mentorkit.file.model import (
    RESOURCE_KINDS,
    WEEKDAYS,
    Feedback,
    Mentorship,
    Resource,
    Role,
    TalkingPoint,
    other,
)

# --------------------------------------------------------------------------- resources

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
    if kind not in RESOURCE_KINDS:
        raise UsageProblem(f"the kind is one of {', '.join(RESOURCE_KINDS)}, not {kind!r}")
    resource = Resource(
        id=ids.new_id(m.all_ids(), rng),
        title=one_line(title, "the title"),
        kind=kind,  # type: ignore[arg-type]
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


# --------------------------------------------------------------------------- feedback


def give_feedback(
    m: Mentorship,
    text: str,
    *,
    by: Role,
    to: Role | None,
    kind: str,
    today: date,
    rng: random.Random | None = None,
) -> tuple[Feedback, str]:
    if not text.strip():
        raise UsageProblem("the feedback has no text")
    receiver = to or other(by)
    if receiver == by:
        raise UsageProblem("feedback goes to the other person")
    if kind not in ("feedback", "recognition"):
        raise UsageProblem(f"the kind is feedback or recognition, not {kind!r}")
    item = Feedback(
        id=ids.new_id(m.all_ids(), rng),
        date=today,
        from_=by,
        to=receiver,
        kind=kind,  # type: ignore[arg-type]
        text=text.strip(),
    )
    m.feedback.append(item)
    return item, f"{by} gave {kind} {item.id} to the {receiver}"


def retract_feedback(m: Mentorship, prefix: str, *, reason: str, by: Role) -> tuple[Feedback, str]:
    """Withdraw feedback you gave (the wrong words, or meant for someone else). Only the
    person who gave it can; git history keeps what was said."""
    item = ids.find(m.feedback, prefix, "feedback item")
    if item.from_ != by:
        raise UsageProblem(
            f"{item.kind} {item.id} was given by the {item.from_}; only they can retract it"
        )
    if not reason.strip():
        raise UsageProblem("say why the feedback is retracted (--reason)")
    m.feedback.remove(item)
    return item, (
        f"{by} retracted {item.kind} {item.id} given to the {item.to} on {item.date}"
        f"{because(reason)}"
    )


def select_feedback(
    m: Mentorship,
    *,
    from_: Role | None = None,
    to: Role | None = None,
    kind: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[Feedback]:
    return [
        f
        for f in m.feedback
        if (from_ is None or f.from_ == from_)
        and (to is None or f.to == to)
        and (kind is None or f.kind == kind)
        and (since is None or f.date >= since)
        and (until is None or f.date <= until)
    ]


def feedback_nudges(m: Mentorship, today: date) -> list[str]:
    """Keep the feedback habit alive: the weekly feedback day, and feedback both ways."""
    nudges = []
    day_name = m.schedule.feedback_day
    if day_name is not None:
        week_start = today - timedelta(days=today.weekday())
        feedback_day = week_start + timedelta(days=WEEKDAYS.index(day_name))
        this_week = [f for f in m.feedback if week_start <= f.date <= today]
        if today >= feedback_day and not this_week:
            nudges.append(
                f"no feedback has been given this week; the feedback day is {day_name.capitalize()}"
            )
    window = [f for f in m.feedback if today - timedelta(days=28) < f.date <= today]
    directions = {(f.from_, f.to) for f in window}
    if len(directions) == 1:
        (giver, receiver) = directions.pop()
        nudges.append(
            f"for four weeks feedback has gone only from the {giver} to the {receiver}; "
            f"the {giver} should receive feedback too"
        )
    return nudges


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


# --------------------------------------------------------------------------- agenda


def add_point(
    m: Mentorship, text: str, *, by: Role | None, today: date, rng: random.Random | None = None
) -> tuple[TalkingPoint, str]:
    if not text.strip():
        raise UsageProblem("the talking point has no text")
    point = TalkingPoint(
        id=ids.new_id(m.all_ids(), rng),
        text=one_line(text, "a talking point"),
        added_by=by,
        added=today,
    )
    m.agenda.append(point)
    return point, f"{by or 'someone'} added talking point {point.id} {quoted(point.text)}"


def close_point(
    m: Mentorship, prefix: str, *, today: date, by: Role | None
) -> tuple[TalkingPoint, str]:
    point = ids.find(m.agenda, prefix, "talking point")
    if point.status == "done":
        raise UsageProblem(f"talking point {point.id} was already closed on {point.closed}")
    point.status, point.closed = "done", today
    return point, f"{by or 'someone'} closed talking point {point.id} {quoted(point.text)}"


def open_points(m: Mentorship) -> list[TalkingPoint]:
    return [p for p in m.agenda if p.status == "open"]
