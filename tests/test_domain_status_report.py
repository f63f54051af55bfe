"""domain/status (the next meetings), domain/report (the review as data), domain/ids,
domain/stats.moves_of, domain/cadence's month-end rules and domain/agreement's checks,
against plain objects and a fixed day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from mentorkit.domain import actions, agreement, cadence, feedback, goals, ids, report, schedule
from mentorkit.domain.stats import moves_of
from mentorkit.domain.status import meeting_times, upcoming_meetings
from mentorkit.errors import UsageProblem
from tests.conftest import DAY, make_mentorship, seeded

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


def test_the_next_meetings_stand_in_both_peoples_time_and_a_cancelled_one_says_why(m):
    schedule.cancel_meeting(m, date(2026, 12, 1), reason="court date", by="mentor")
    first, second, _ = upcoming_meetings(m, NOW, DAY, 2)  # two to be held, and the cancelled one
    assert first.status == "cancelled" and first.reason == "court date"
    assert first.days_away == 5
    assert second.start == datetime.fromisoformat("2027-01-05T10:00-06:00")
    assert second.local["mentee"].strftime("%H:%M %Z") == "16:00 GMT"
    assert second.local["mentor"].strftime("%H:%M %Z") == "10:00 CST"
    assert second.odd_hours == {} and second.channel == "video"


def test_a_meeting_at_an_odd_hour_for_one_person_says_so_for_that_person():
    m = make_mentorship(time="07:00")  # 07:00 in Chicago is 13:00 in London
    early = make_mentorship(time="07:00", timezone="Europe/London")  # 01:00 in Chicago
    (occurrence,) = schedule.upcoming(early.schedule, NOW, 1)
    times = meeting_times(early, occurrence, DAY)
    assert list(times.odd_hours) == ["mentor"]
    assert upcoming_meetings(m, NOW, DAY, 1)[0].odd_hours == {}


def test_the_review_counts_only_what_falls_in_its_period(m):
    goal, _ = goals.add_goal(m, "Depositions", why=None, strategies=[], by=None,
                             today=date(2026, 3, 2), rng=seeded(1))  # fmt: skip
    kpi, _ = goals.add_kpi(m, goal.id, name="Score", baseline=4, target=8, unit=None,
                           direction=None, due=None, by=None, rng=seeded(2))  # fmt: skip
    for day, value in ((date(2026, 6, 1), 5), (date(2026, 8, 1), 6), (date(2026, 11, 1), 7)):
        goals.record_measurement(m, kpi.id, value, when=day, note=None, by="mentee")
    feedback.give_feedback(m, "Sharp cross", by="mentor", to=None, kind="recognition",
                           today=date(2026, 8, 10), rng=seeded(3))  # fmt: skip
    feedback.give_feedback(m, "Later", by="mentor", to=None, kind="feedback",
                           today=date(2026, 10, 10), rng=seeded(4))  # fmt: skip
    review = report.build(m, date(2026, 7, 1), date(2026, 9, 30), "2026Q3", NOW, DAY)
    (shown,) = review.goals[0].kpis
    assert [s.value for s in shown.series] == [5, 6]  # up to the end of the period
    assert shown.in_period == 1
    assert shown.progress.latest == 6
    assert [f.text for f in review.recognition] == ["Sharp cross"] and review.feedback == []
    assert review.through == date(2026, 9, 30) and review.notes == []
    assert 0.5 < review.term_elapsed < 0.6  # 2 March 2026 to 2 March 2027

    early = report.build(m, date(2026, 3, 1), date(2026, 4, 30), "spring", NOW, DAY)
    assert early.notes == ["No KPI measurements up to the end of this period yet."]
    running = report.build(m, date(2026, 10, 1), date(2026, 12, 31), "2026Q4", NOW, DAY)
    assert running.through == DAY  # a period not over yet goes as far as today


def test_a_new_id_avoids_taken_ids_and_ids_that_start_with_it():
    class Picks:
        """Chooses the letters given, in order: the candidates new_id tries."""

        def __init__(self, letters: str) -> None:
            self.letters = iter(letters)

        def choice(self, _: str) -> str:
            return next(self.letters)

    taken = {"abcd", "efgh2"}
    assert ids.new_id(taken, Picks("abcdefghjkmn")) == "jkmn"
    found = ids.new_id(set(), seeded(7))
    assert len(found) == ids.LENGTH and set(found) <= set(ids.ALPHABET)
    assert found == ids.new_id(set(), seeded(7))


def test_each_move_of_a_due_date_says_who_when_and_which_way(m):
    action, _ = actions.add_action(m, "Draft", owner="mentee", due=date(2026, 12, 1), goal=None,
                                   by="mentee", today=DAY, rng=seeded(1))  # fmt: skip
    actions.move(m, action.id, date(2026, 12, 8), by="mentee", today=DAY)
    actions.move(m, action.id, date(2026, 12, 4), by=None, today=DAY + timedelta(days=1))
    assert moves_of(action) == [
        ("mentee", DAY, 1),
        ("mentee", DAY + timedelta(days=1), -1),  # no one named: the owner
    ]


def test_a_month_end_first_meeting_means_the_last_day_of_every_month():
    assert cadence.anchored("FREQ=MONTHLY", date(2026, 1, 15)) == "FREQ=MONTHLY"
    last = cadence.anchored("FREQ=MONTHLY", date(2026, 8, 31))
    assert last == "FREQ=MONTHLY;BYMONTHDAY=-1"
    assert cadence.month_end_note(last) and "shorter months" in cadence.month_end_note(last)
    assert cadence.month_end_note("FREQ=MONTHLY;BYDAY=1TU") is None
    assert cadence.anchored("FREQ=MONTHLY;INTERVAL=3", date(2026, 8, 31)).endswith("BYMONTHDAY=-1")
    with pytest.raises(UsageProblem):  # the 30th is no month's last day in every month
        cadence.anchored("FREQ=MONTHLY", date(2026, 1, 30))


def test_the_first_meeting_must_be_a_date_and_a_meeting_of_the_cadence():
    agreement.check_first_meeting("weekly on tuesday", "2026-03-03")
    agreement.check_first_meeting(None, "2026-03-04")
    with pytest.raises(UsageProblem, match="not a date"):
        agreement.check_first_meeting("weekly on tuesday", "next week")
    with pytest.raises(UsageProblem):
        agreement.check_first_meeting("weekly on tuesday", "2026-03-04")  # a Wednesday


def test_the_gaps_name_what_the_agreement_leaves_unsaid():
    m = make_mentorship()
    agreement.agree(m, "mentor", DAY)
    agreement.agree(m, "mentee", DAY)
    assert agreement.gaps(m) == []
    m.agreement.confidentiality = None
    m.agreement.term.review = date(2027, 6, 1)
    m.people.mentee.email = " Diane@Example.com "
    found = agreement.gaps(m)
    assert "the agreement has no confidentiality rule" in found
    assert "the review date 2027-06-01 is after the end of the term, 2027-03-02" in found
    assert any("the same email" in gap for gap in found)
    m.agreement.term.review = None
    assert "the agreement has no review date" in agreement.gaps(m)
