"""Talking points for the next meeting."""

from __future__ import annotations

import random
from datetime import date

from mentorkit.domain import ids
from mentorkit.domain.wording import one_line, quoted
from mentorkit.errors import UsageProblem
from mentorkit.file.model import (
    Mentorship,
    Role,
    TalkingPoint,
)


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
