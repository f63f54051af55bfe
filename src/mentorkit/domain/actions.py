"""Action items: commitments by either person, with due dates that are kept on record."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from mentorkit.domain import ids
from mentorkit.domain.corrections import Corrections
from mentorkit.domain.wording import because, one_line, quoted
from mentorkit.errors import UsageProblem
from mentorkit.file.model import COLLECTIONS, ROLES, ActionItem, DueMove, Mentorship, Role, Update


def find_action(m: Mentorship, prefix: str) -> ActionItem:
    return ids.find(m.actions, prefix, "action item")


def timeliness(done: date, due: date | None) -> str:
    """'on the due date', '3 days early', '1 day late'."""
    if due is None:
        return "no due date"
    days = (done - due).days
    if days == 0:
        return "on the due date"
    unit = "day" if abs(days) == 1 else "days"
    return f"{abs(days)} {unit} {'late' if days > 0 else 'early'}"


def add_action(
    m: Mentorship,
    title: str,
    *,
    owner: Role,
    due: date | None,
    goal: str | None,
    by: Role | None,
    today: date,
    rng: random.Random | None = None,
) -> tuple[ActionItem, str]:
    if not title.strip():
        raise UsageProblem("an action item needs a title")
    if owner not in ROLES:
        raise UsageProblem(f"the owner is mentor or mentee, not {owner!r}")
    goal_id = ids.find(m.goals, goal, "goal").id if goal else None
    action = ActionItem(
        id=ids.new_id(m.all_ids(), rng),
        title=one_line(title, "the title"),
        owner=owner,
        goal=goal_id,
        created=today,
        created_by=by,
        due=due,
    )
    m.actions.append(action)
    due_text = f", due {due}" if due else ""
    return (
        action,
        f"{by or 'someone'} added action {action.id} {quoted(action.title)} for the {owner}{due_text}",
    )


def complete(m: Mentorship, prefix: str, *, when: date, by: Role | None) -> tuple[ActionItem, str]:
    action = find_action(m, prefix)
    if action.status == "done":
        raise UsageProblem(f"action {action.id} was already completed on {action.completed}")
    action.status, action.completed = "done", when
    action.dropped = action.drop_reason = None
    due = f"due {action.due}, " if action.due else ""
    return action, (
        f"{by or 'someone'} completed action {action.id} {quoted(action.title)} "
        f"({due}{timeliness(when, action.due)})"
    )


def add_update(
    m: Mentorship, prefix: str, text: str, *, by: Role, today: date
) -> tuple[ActionItem, str]:
    action = find_action(m, prefix)
    if not text.strip():
        raise UsageProblem("the update has no text")
    action.updates.append(Update(date=today, by=by, text=text.strip()))
    return action, f"{by} added an update to action {action.id} {quoted(action.title)}"


def move(
    m: Mentorship,
    prefix: str,
    due: date,
    *,
    by: Role | None,
    today: date,
    reason: str | None = None,
) -> tuple[ActionItem, str]:
    """Change the due date; the earlier one stays on record: a slipped commitment is history."""
    action = find_action(m, prefix)
    if action.status != "open":
        raise UsageProblem(f"action {action.id} is {action.status}; reopen it before moving it")
    if action.due == due:
        raise UsageProblem(f"action {action.id} is already due on {due}")
    if action.due is not None:
        action.moves.append(
            DueMove(was=action.due, moved=today, by=by, reason=(reason or "").strip() or None)
        )
    before = action.due
    action.due = due
    word = "moved" if before is None or due > before else "brought forward"
    return action, (
        f"{by or 'someone'} {word} action {action.id} {quoted(action.title)} "
        f"from {before or 'no due date'} to {due}{because(reason)}"
    )


def edit_action(
    m: Mentorship,
    prefix: str,
    *,
    title: str | None = None,
    owner: str | None = None,
    goal: str | None = None,
    reason: str | None = None,
    by: Role | None,
) -> tuple[ActionItem, str]:
    """Correct what was recorded: the title, the owner, the goal it serves (`-` for none)."""
    action = find_action(m, prefix)
    changes = Corrections(action)
    if title is not None:
        if not title.strip():
            raise UsageProblem("the new title is empty")
        changes.set("title", one_line(title, "the title"))
    if owner is not None:
        if owner not in ROLES:
            raise UsageProblem(f"the owner is mentor or mentee, not {owner!r}")
        changes.set("owner", owner, quote=False)
    if goal is not None:
        goal_id = None if goal.strip() in ("", "-") else ids.find(m.goals, goal, "goal").id
        changes.set("goal", goal_id, quote=False)
    return action, changes.sentence(
        by, "action", action.title, reason, options="--title, --owner or --goal"
    )


def reopen(m: Mentorship, prefix: str, *, by: Role | None) -> tuple[ActionItem, str]:
    action = find_action(m, prefix)
    if action.status == "open":
        raise UsageProblem(f"action {action.id} is already open")
    action.status = "open"
    action.completed = action.dropped = action.drop_reason = None
    return action, f"{by or 'someone'} reopened action {action.id} {quoted(action.title)}"


def drop(
    m: Mentorship, prefix: str, *, reason: str, by: Role | None, today: date
) -> tuple[ActionItem, str]:
    action = find_action(m, prefix)
    if action.status == "dropped":
        raise UsageProblem(f"action {action.id} was already dropped on {action.dropped}")
    if not reason.strip():
        raise UsageProblem("say why the action item is dropped (--reason)")
    action.status, action.dropped, action.drop_reason = "dropped", today, reason.strip()
    action.completed = None
    return (
        action,
        f"{by or 'someone'} dropped action {action.id} {quoted(action.title)}: {reason.strip()}",
    )


# What a calendar shows of an action item (the to-do's summary, due date and state), as
# the declaration of the collections has it: a change to any is a new revision of the to-do.
CALENDAR_FIELDS = next(c for c in COLLECTIONS if c.item is ActionItem).shown_in_calendar
_calendar_view = attrgetter(*CALENDAR_FIELDS)


def sequence(action: ActionItem) -> int:
    """The revision calendars hold of this to-do (its SEQUENCE): the count in the file, or,
    for an item not changed since the file has kept one, what exports gave it before: one
    for each move of its due date and one once it is closed."""
    if action.revision is not None:
        return action.revision
    return len(action.moves) + (action.status != "open")


Shown = dict[str, tuple[tuple[object, ...], int]]


def shown(m: Mentorship) -> Shown:
    """Each action item's calendar view and revision, to compare after a change."""
    return {a.id: (_calendar_view(a), sequence(a)) for a in m.actions}


def revise(m: Mentorship, before: Shown) -> None:
    """One revision more for every action item whose calendar view changed since `before`:
    a reopened, retitled, moved, closed or reassigned to-do reaches calendars with a
    SEQUENCE higher than any they hold, so that they take the new version."""
    for action in m.actions:
        known = before.get(action.id)
        if known is None:
            continue
        view, revision = known
        if view != _calendar_view(action):
            action.revision = max(revision, action.revision or 0) + 1


def is_overdue(action: ActionItem, today: date) -> bool:
    return action.status == "open" and action.due is not None and action.due < today


@dataclass
class ActionFilter:
    """Which action items `action list` shows."""

    owner: Role | None = None
    status: str | None = "open"  # None: every status
    overdue: bool = False
    due_before: date | None = None
    goal: str | None = None


def select(m: Mentorship, chosen: ActionFilter, today: date) -> list[ActionItem]:
    """The matching action items, by due date (none last), then by when they were added."""
    goal_id = ids.find(m.goals, chosen.goal, "goal").id if chosen.goal else None
    found = [
        action
        for action in m.actions
        if (chosen.owner is None or action.owner == chosen.owner)
        and (chosen.status is None or action.status == chosen.status)
        and (not chosen.overdue or is_overdue(action, today))
        and (
            chosen.due_before is None or (action.due is not None and action.due < chosen.due_before)
        )
        and (goal_id is None or action.goal == goal_id)
    ]
    found.sort(key=lambda a: (a.due is None, a.due or date.max, a.created))
    return found
