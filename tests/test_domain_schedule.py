"""domain/schedule and domain/status: occurrences in every zone, changes to the series, and
what `status` computes, against plain objects and a fixed moment."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mentorkit.domain import schedule
from mentorkit.domain.status import overview
from mentorkit.errors import UsageProblem
from mentorkit.timezones import zone
from tests.conftest import DAY

CHICAGO = zone("America/Chicago")
NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


def _dates(m, start, end):
    window = (datetime.combine(start, datetime.min.time(), CHICAGO),
              datetime.combine(end, datetime.max.time(), CHICAGO))  # fmt: skip
    return [(o.start.date(), o.status) for o in schedule.occurrences(m.schedule, *window)]


def test_the_series_falls_on_the_first_tuesday_at_its_own_wall_clock_time(m):
    found = schedule.occurrences(
        m.schedule,
        datetime(2026, 10, 1, tzinfo=CHICAGO),
        datetime(2026, 12, 31, tzinfo=CHICAGO),
    )
    assert [o.start.date() for o in found] == [date(2026, 10, 6), date(2026, 11, 3),
                                               date(2026, 12, 1)]  # fmt: skip
    # 10:00 in Chicago on both sides of the change from daylight time (1 November)
    assert [o.start.hour for o in found] == [10, 10, 10]
    assert [o.start.utcoffset().total_seconds() / 3600 for o in found] == [-5, -6, -6]


def test_the_next_meeting_is_the_first_after_now(m):
    upcoming = schedule.next_meeting(m.schedule, NOW)
    assert upcoming is not None and upcoming.start.date() == date(2026, 12, 1)


def test_a_cancelled_or_moved_meeting_stays_in_the_series_as_such(m):
    _, sentence = schedule.cancel_meeting(m, date(2026, 12, 1), reason="trial", by="mentor")
    assert sentence == "mentor cancelled the meeting of 2026-12-01: trial"
    moved_to = datetime(2027, 1, 7, 9, 30)
    schedule.move_meeting(m, date(2027, 1, 5), moved_to, reason=None, by="mentee")
    assert _dates(m, date(2026, 11, 30), date(2027, 1, 31)) == [
        (date(2026, 12, 1), "cancelled"),
        (date(2027, 1, 7), "moved"),
    ]
    with pytest.raises(UsageProblem, match="already cancelled"):
        schedule.cancel_meeting(m, date(2026, 12, 1), reason=None, by="mentor")


def test_a_day_without_a_meeting_cannot_be_cancelled(m):
    with pytest.raises(UsageProblem):
        schedule.cancel_meeting(m, date(2026, 12, 2), reason=None, by="mentor")
    assert m.schedule.changes == []


def test_status_counts_open_and_overdue_items_and_shows_both_local_times(m):
    from mentorkit.domain.actions import add_action

    add_action(m, "Late", owner="mentee", due=date(2026, 11, 1), goal=None, by=None, today=DAY)
    add_action(m, "Soon", owner="mentee", due=date(2026, 12, 9), goal=None, by=None, today=DAY)
    add_action(m, "Mentor's", owner="mentor", due=None, goal=None, by=None, today=DAY)
    result = overview(m, NOW, DAY)
    assert (result.actions["mentee"].open, result.actions["mentee"].overdue) == (2, 1)
    assert (result.actions["mentor"].open, result.actions["mentor"].overdue) == (1, 0)
    meeting = result.next_meeting
    assert meeting is not None
    assert {role: moment.strftime("%H:%M") for role, moment in meeting.local.items()} == {
        "mentor": "10:00",
        "mentee": "16:00",
    }


def test_a_moved_meeting_is_named_by_its_new_date_too(m):
    schedule.move_meeting(m, date(2027, 1, 5), datetime(2027, 1, 7, 10), reason=None, by="mentor")
    _, sentence = schedule.move_meeting(
        m, date(2027, 1, 7), datetime(2027, 1, 8, 11), reason=None, by="mentee"
    )
    assert sentence == (
        "mentee moved the meeting of 2027-01-05 (moved to 2027-01-07 10:00) to 2027-01-08 11:00"
    )
    _, sentence = schedule.cancel_meeting(m, date(2027, 1, 8), reason="ill", by="mentor")
    assert sentence == "mentor cancelled the meeting of 2027-01-05 (moved to 2027-01-08 11:00): ill"
    assert _dates(m, date(2027, 1, 1), date(2027, 1, 31)) == [(date(2027, 1, 5), "cancelled")]
    assert [(c.kind, c.date) for c in m.schedule.changes] == [("cancelled", date(2027, 1, 5))]


def test_two_meetings_moved_to_one_day_are_named_by_the_dates_they_were_due_on(m):
    schedule.move_meeting(m, date(2027, 1, 5), datetime(2027, 1, 20, 9), reason=None, by="mentor")
    schedule.move_meeting(m, date(2027, 2, 2), datetime(2027, 1, 20, 15), reason=None, by="mentor")
    with pytest.raises(UsageProblem) as refused:
        schedule.cancel_meeting(m, date(2027, 1, 20), reason=None, by="mentor")
    assert "2 meetings were moved to 2027-01-20 (from 2027-01-05 and 2027-02-02)" in str(
        refused.value
    )
    # a series meeting due on the day is the one the day names
    schedule.move_meeting(m, date(2026, 11, 3), datetime(2026, 12, 1, 9), reason=None, by="mentor")
    _, sentence = schedule.cancel_meeting(m, date(2026, 12, 1), reason=None, by="mentor")
    assert sentence == "mentor cancelled the meeting of 2026-12-01"


def test_the_dates_offered_for_a_day_without_a_meeting_each_name_one(m):
    import copy
    import re

    schedule.move_meeting(m, date(2027, 1, 5), datetime(2027, 1, 7, 10), reason=None, by="mentor")
    schedule.cancel_meeting(m, date(2027, 2, 2), reason=None, by="mentor")
    with pytest.raises(UsageProblem) as refused:
        schedule.cancel_meeting(m, date(2027, 1, 9), reason=None, by="mentor")
    offered = str(refused.value).split("meetings near it: ")[1]
    assert offered == "2026-12-01, 2027-01-05 (moved to 2027-01-07)"
    for day in re.findall(r"\d{4}-\d{2}-\d{2}", offered):
        trial = copy.deepcopy(m)
        schedule.cancel_meeting(trial, date.fromisoformat(day), reason=None, by="mentor")
