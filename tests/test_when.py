"""Date phrases against a fixed today (Thursday 2026-11-26)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentorkit.domain.dates import parse_when
from mentorkit.errors import UsageProblem

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
        ("Dec 4", date(2026, 12, 4)),
        ("dec. 4th", date(2026, 12, 4)),
        ("December 4, 2026", date(2026, 12, 4)),
        ("4 December 2026", date(2026, 12, 4)),
        ("4th of dec", date(2026, 12, 4)),
        ("Jan 10", date(2027, 1, 10)),  # without a year: the one nearest today
        ("sept 3", date(2026, 9, 3)),
        ("next month", date(2026, 12, 26)),
        ("last month", date(2026, 10, 26)),
        ("last week", date(2026, 11, 19)),
        ("-2w", date(2026, 11, 12)),
        ("-3d", date(2026, 11, 23)),
        ("-1m", date(2026, 10, 26)),
        ("2 weeks ago", date(2026, 11, 12)),
        ("a month ago", date(2026, 10, 26)),
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
        ("-99999d", "cannot read the date"),
        ("4/12", "cannot read the date"),
        ("12.04.26", "could be day/month or month/day"),
        ("Feb 30", "is not a date in the calendar"),
        ("Dec 44", "is not a date in the calendar"),
        ("Smarch 4", "cannot read the date"),
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


def test_next_meeting_on_the_meeting_day_is_the_one_after(cli, example):
    """The example meets on the first Tuesday: 1 December, then 5 January."""
    added = cli("--as", "mentee", "--today", "2026-12-01", "action", "add", "X",
                "--due", "before next meeting")  # fmt: skip
    assert added.exit_code == 0 and "due 2027-01-04" in added.stdout
    logged = cli("--as", "mentor", "--today", "2026-12-02", "meeting", "log", "--date",
                 "2026-12-01", "-a", "mentee|Send the offer letter|before next meeting")  # fmt: skip
    assert logged.exit_code == 0, logged.output
    assert "Send the offer letter" in (example.read_text())
    listed = cli("--today", "2026-12-02", "action", "list", "--json").stdout
    assert listed.count('"due": "2027-01-04"') == 2
    before = cli("--as", "mentee", "--today", "2026-11-26", "action", "add", "Y",
                 "--due", "next meeting")  # fmt: skip
    assert "due 2026-12-01" in before.stdout
