"""domain/meetings, domain/stats, domain/report and domain/agreement against plain objects
and a fixed day: the brief, the meeting log, accountability in figures, the review's
period, and the ground rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mentorkit.domain import actions, agenda, agreement, meetings, report, stats
from mentorkit.errors import UsageProblem
from tests.conftest import DAY, seeded

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


def test_the_brief_lists_the_runners_open_items_and_the_agenda(m):
    mine, _ = actions.add_action(m, "Draft", owner="mentee", due=date(2026, 11, 20), goal=None,
                                 by="mentee", today=date(2026, 11, 10), rng=seeded(1))  # fmt: skip
    actions.add_action(m, "Theirs", owner="mentor", due=None, goal=None, by="mentor",
                       today=date(2026, 11, 10), rng=seeded(2))  # fmt: skip
    point, _ = agenda.add_point(m, "Settlement ranges", by="mentee", today=DAY, rng=seeded(3))
    brief = meetings.build_brief(m, "mentee", NOW, DAY)
    assert [a.id for a in brief.mine] == [mine.id]
    assert [a.title for a in brief.theirs] == ["Theirs"]
    assert brief.agenda.talking_points == [point]
    assert brief.agenda.overdue == [mine]
    assert brief.since.since == date(2026, 11, 3)  # the last meeting, the first Tuesday


def test_logging_a_meeting_closes_the_points_covered_and_adds_new_actions(m):
    covered, _ = agenda.add_point(m, "Settlement", by="mentee", today=DAY, rng=seeded(1))
    carried, _ = agenda.add_point(m, "Deposition", by="mentee", today=DAY, rng=seeded(2))
    new = meetings.parse_new_action("mentee|Send the letter|friday", lambda text: date(2026, 12, 4))
    meeting, sentence = meetings.log_meeting(
        m, day=date(2026, 12, 1), status="held", notes="Good", decisions=["Send it"],
        new_actions=[new], covered=[covered.id], by="mentor", today=date(2026, 12, 1),
        rng=seeded(3),
    )  # fmt: skip
    assert m.meetings == [meeting] and meeting.decisions == ["Send it"]
    assert covered.status == "done" and carried.status == "open"
    assert [(a.title, a.owner, a.due) for a in m.actions] == [
        ("Send the letter", "mentee", date(2026, 12, 4))
    ]
    assert "2026-12-01" in sentence
    with pytest.raises(UsageProblem, match="already in the log"):
        meetings.log_meeting(m, day=date(2026, 12, 1), status="held", notes=None, decisions=[],
                             new_actions=[], covered=[], by=None, today=DAY)  # fmt: skip
    with pytest.raises(UsageProblem):
        meetings.parse_new_action("boss|x|friday", lambda text: DAY)


def test_stats_count_on_time_against_the_first_agreed_due_date(m):
    def add(title, due):
        return actions.add_action(m, title, owner="mentee", due=due, goal=None, by="mentee",
                                  today=date(2026, 10, 1))[0]  # fmt: skip

    on_time, moved, late = (
        add("a", date(2026, 10, 10)),
        add("b", date(2026, 10, 10)),
        add("c", date(2026, 10, 10)),
    )
    actions.complete(m, on_time.id, when=date(2026, 10, 9), by="mentee")
    actions.move(m, moved.id, date(2026, 10, 20), by="mentee", today=date(2026, 10, 5))
    actions.complete(m, moved.id, when=date(2026, 10, 15), by="mentee")
    actions.complete(m, late.id, when=date(2026, 10, 14), by="mentee")
    mentee = stats.compute(m, NOW, DAY).people["mentee"]
    assert (mentee.completed, mentee.on_time) == (3, 1)
    assert mentee.median_days_late == 4.5  # 5 days after 10-10, and 4
    assert (mentee.due_dates_moved, mentee.moved_later, mentee.completed_after_moves) == (1, 1, 1)


def test_stats_count_meetings_held_of_those_scheduled_so_far(m):
    meetings.log_meeting(m, day=date(2026, 11, 3), status="held", notes=None, decisions=[],
                         new_actions=[], covered=[], by=None, today=DAY)  # fmt: skip
    result = stats.compute(m, NOW, DAY)
    assert (result.meetings_held, result.meetings_scheduled) == (1, 9)  # March to November


@pytest.mark.parametrize(
    ("quarter", "start", "end"),
    [
        ("2026Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026q4", date(2026, 10, 1), date(2026, 12, 31)),
    ],
)
def test_a_quarter_is_three_calendar_months(m, quarter, start, end):
    assert report.period(None, None, quarter, m, DAY) == (start, end, f"2026 Q{quarter[-1]}")


def test_a_period_ending_before_it_starts_is_refused(m):
    with pytest.raises(UsageProblem):
        report.period(date(2026, 6, 1), date(2026, 5, 1), None, m, DAY)
    assert report.period(None, None, None, m, DAY)[:2] == (date(2026, 3, 2), DAY)


def test_renegotiating_a_rule_asks_the_other_person_to_agree_again(m):
    agreement.agree(m, "mentor", date(2026, 3, 2))
    agreement.agree(m, "mentee", date(2026, 3, 2))
    assert agreement.agreed_on(m, "mentee") == date(2026, 3, 2)
    agreement.set_rule(m, "response_time", "within a day", "mentor", DAY)
    assert m.agreement.response_time == "within a day"
    assert agreement.agreed_on(m, "mentor") == DAY
    assert agreement.agreed_on(m, "mentee") is None  # the rules they agreed to have changed


def test_a_follow_up_goes_once_unless_asked_again(m):
    meeting, _ = meetings.log_meeting(m, day=date(2026, 11, 3), status="held", notes=None,
                                      decisions=[], new_actions=[], covered=[], by=None, today=DAY)  # fmt: skip
    meetings.check_followup_unsent(meeting, again=False)
    meetings.record_followup_sent(m, meeting.id, by="mentee", now=NOW)
    with pytest.raises(UsageProblem, match="the mentee sent the follow-up of the meeting of 2026-11-03"):  # fmt: skip
        meetings.check_followup_unsent(meeting, again=False)
    meetings.check_followup_unsent(meeting, again=True)
