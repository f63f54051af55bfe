"""Feedback and recognition, both ways, and the nudges that keep it flowing."""

from __future__ import annotations

import random
from datetime import date, timedelta

from mentorkit.domain import ids
from mentorkit.domain.wording import because
from mentorkit.errors import UsageProblem
from mentorkit.file.model import FEEDBACK_KINDS, WEEKDAYS, Feedback, Mentorship, Role, one_of, other


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
    chosen = one_of(kind, FEEDBACK_KINDS)
    if chosen is None:
        raise UsageProblem(f"the kind is feedback or recognition, not {kind!r}")
    item = Feedback(
        id=ids.new_id(m.all_ids(), rng),
        date=today,
        from_=by,
        to=receiver,
        kind=chosen,
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
