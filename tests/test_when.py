"""Date phrases against a fixed today (Thursday 2026-11-26)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentorkit.errors import UsageProblem
from mentorkit.when import parse_when

TODAY = date(2026, 11, 26)  # a Thursday
NEXT_MEETING = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("2026-12-04", date(2026, 12, 4)),
        ("today", TODAY),
        ("tomorrow", date(2026, 11, 27)),
        ("friday", date(2026, 11, 27)),
        ("Friday", date(2026, 11, 27)),
        ("fri", date(2026, 11, 27)),
        ("thursday", date(2026, 12, 3)),  # never today: the next one
        ("next tuesday", date(2026, 12, 1)),
        ("this monday", date(2026, 11, 30)),
        ("+3d", date(2026, 11, 29)),
        ("+2w", date(2026, 12, 10)),
        ("+1m", date(2026, 12, 26)),
        ("in 2 weeks", date(2026, 12, 10)),
        ("in a week", date(2026, 12, 3)),
        ("in 3 days", date(2026, 11, 29)),
        ("in 1 month", date(2026, 12, 26)),
        ("next week", date(2026, 12, 3)),
        ("end of month", date(2026, 11, 30)),
        ("before next meeting", date(2026, 11, 30)),
        ("next meeting", NEXT_MEETING),
    ],
)
def test_phrases(phrase, expected):
    assert parse_when(phrase, TODAY, NEXT_MEETING) == expected


def test_months_clamp_to_the_end_of_shorter_months():
    assert parse_when("+1m", date(2026, 1, 31)) == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("someday", "cannot read the date 'someday'"),
        ("12/04/2026", "could be day/month or month/day; write dates as YYYY-MM-DD"),
        ("2026-02-30", "is not a date in the calendar"),
        ("next", "cannot read the date"),
        ("fridays", "cannot read the date"),
        ("in -2 weeks", "cannot read the date"),
        ("+99999d", "cannot read the date"),
    ],
)
def test_what_cannot_be_read_is_an_error_never_a_guess(phrase, message):
    with pytest.raises(UsageProblem, match=message):
        parse_when(phrase, TODAY, NEXT_MEETING)


def test_before_next_meeting_needs_a_meeting():
    with pytest.raises(UsageProblem, match="needs a scheduled next meeting"):
        parse_when("before next meeting", TODAY, None)


@given(st.text(max_size=30))
def test_any_text_gives_a_date_or_a_usage_problem(text):
    try:
        result = parse_when(text, TODAY, NEXT_MEETING)
    except UsageProblem:
        return
    assert isinstance(result, date)
