"""domain/actions: action items against plain objects and a fixed day, no file or CLI."""

from __future__ import annotations

from datetime import date

import pytest

from mentorkit.domain import actions
from mentorkit.domain.actions import ActionFilter
from mentorkit.errors import NotFound, UsageProblem
from tests.conftest import DAY, seeded


def _add(m, title="Draft the demand letter", owner="mentee", due=date(2026, 12, 4)):
    action, _ = actions.add_action(
        m, title, owner=owner, due=due, goal=None, by="mentor", today=DAY, rng=seeded()
    )
    return action


def test_adding_records_who_when_and_says_so(m):
    action, sentence = actions.add_action(
        m, "  Draft the demand letter ", owner="mentee", due=date(2026, 12, 4), goal=None,
        by="mentor", today=DAY, rng=seeded(),
    )  # fmt: skip
    assert m.actions == [action]
    assert (action.title, action.owner, action.created, action.status) == (
        "Draft the demand letter", "mentee", DAY, "open",
    )  # fmt: skip
    assert sentence == (
        f'mentor added action {action.id} "Draft the demand letter" for the mentee, due 2026-12-04'
    )


def test_an_action_needs_a_title(m):
    with pytest.raises(UsageProblem):
        actions.add_action(m, "  ", owner="mentee", due=None, goal=None, by=None, today=DAY)
    assert m.actions == []


@pytest.mark.parametrize(
    ("done", "words"),
    [
        (date(2026, 12, 4), "on the due date"),
        (date(2026, 12, 1), "3 days early"),
        (date(2026, 12, 5), "1 day late"),
    ],
)
def test_completing_says_how_early_or_late(m, done, words):
    action = _add(m)
    _, sentence = actions.complete(m, action.id, when=done, by="mentee")
    assert action.status == "done" and action.completed == done
    assert words in sentence
    assert actions.timeliness(done, date(2026, 12, 4)) == words


def test_moving_keeps_the_earlier_date_and_the_reason_on_record(m):
    action = _add(m)
    _, sentence = actions.move(
        m, action.id, date(2026, 12, 11), by="mentee", today=DAY, reason="court date moved"
    )
    assert action.due == date(2026, 12, 11)
    assert [(mv.was, mv.moved, mv.by) for mv in action.moves] == [
        (date(2026, 12, 4), DAY, "mentee")
    ]
    assert "from 2026-12-04 to 2026-12-11" in sentence and "court date moved" in sentence


def test_reopening_clears_how_it_ended(m):
    action = _add(m)
    actions.drop(m, action.id, reason="no longer needed", by="mentor", today=DAY)
    assert action.status == "dropped" and action.drop_reason == "no longer needed"
    actions.reopen(m, action.id, by="mentor")
    assert (action.status, action.dropped, action.drop_reason, action.completed) == (
        "open", None, None, None,
    )  # fmt: skip
    with pytest.raises(UsageProblem, match="already open"):
        actions.reopen(m, action.id, by="mentor")


def test_overdue_is_open_and_past_its_due_date(m):
    late = _add(m, due=date(2026, 11, 20))
    assert actions.is_overdue(late, DAY)
    assert not actions.is_overdue(late, date(2026, 11, 20))
    actions.complete(m, late.id, when=DAY, by="mentee")
    assert not actions.is_overdue(late, DAY)
    assert not actions.is_overdue(_add(m, title="Undated", due=None), DAY)


def test_select_filters_by_owner_status_and_overdue(m):
    late = _add(m, "Late", "mentee", date(2026, 11, 1))
    mentors = _add(m, "Mentor's", "mentor", date(2026, 12, 1))
    finished = _add(m, "Finished", "mentee", date(2026, 12, 1))
    actions.complete(m, finished.id, when=DAY, by="mentee")
    assert actions.select(m, ActionFilter(), DAY) == [late, mentors]
    assert actions.select(m, ActionFilter(owner="mentor"), DAY) == [mentors]
    assert actions.select(m, ActionFilter(overdue=True), DAY) == [late]
    assert finished in actions.select(m, ActionFilter(status=None), DAY)


def test_an_unknown_id_is_not_found(m):
    with pytest.raises(NotFound):
        actions.complete(m, "zzzz", when=DAY, by="mentee")
