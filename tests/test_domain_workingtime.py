"""Working time in each person's own zone: response times in words, weekends, working
hours, clock changes."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from mentorkit.domain.workingtime import (
    ResponseTime,
    WorkingWeek,
    days_text,
    parse_response_time,
    response_time_problem,
)
from mentorkit.file.fileformat import hours_problem, link_problem
from mentorkit.timezones import zone

CHICAGO, LONDON = zone("America/Chicago"), zone("Europe/London")
TWO_DAYS = ResponseTime(2, "working days")


def at(tz, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=tz)  # type: ignore[misc]


def test_two_working_days_from_friday_17_00_in_chicago_is_tuesday_17_00_for_a_chicago_recipient():
    sent = at(CHICAGO, 2026, 11, 27, 17, 0)  # a Friday
    assert sent.weekday() == 4
    due = TWO_DAYS.due(sent, WorkingWeek("America/Chicago"))
    assert due.astimezone(CHICAGO) == at(CHICAGO, 2026, 12, 1, 17, 0)  # Tuesday 17:00


def test_for_a_london_recipient_the_same_message_arrives_after_hours_and_their_monday_counts():
    sent = at(CHICAGO, 2026, 11, 27, 17, 0)  # Friday 23:00 in London
    due = TWO_DAYS.due(sent, WorkingWeek("Europe/London")).astimezone(LONDON)
    # Monday and Tuesday, the London working days, are the two days
    assert due == at(LONDON, 2026, 12, 1, 18, 0)
    assert due.astimezone(CHICAGO) == at(CHICAGO, 2026, 12, 1, 12, 0)


def test_a_message_sent_on_a_weekend_waits_for_monday_morning():
    sent = at(LONDON, 2026, 11, 28, 11, 0)  # Saturday
    due = ResponseTime(4, "working hours").due(sent, WorkingWeek("Europe/London"))
    assert due == at(LONDON, 2026, 11, 30, 13, 0)


def test_working_hours_carry_over_to_the_next_working_day():
    sent = at(LONDON, 2026, 11, 26, 16, 0)  # Thursday, two hours before the end of the day
    due = ResponseTime(4, "working hours").due(sent, WorkingWeek("Europe/London"))
    assert due == at(LONDON, 2026, 11, 27, 11, 0)


def test_a_working_week_of_sunday_to_thursday_counts_sunday_and_not_friday():
    week = WorkingWeek("Asia/Jerusalem", time(8), time(17),
                       ("sunday", "monday", "tuesday", "wednesday", "thursday"))  # fmt: skip
    jerusalem = zone("Asia/Jerusalem")
    sent = at(jerusalem, 2026, 11, 26, 16, 0)  # Thursday
    due = ResponseTime(1, "working days").due(sent, week)
    assert due == at(jerusalem, 2026, 11, 29, 16, 0)  # Sunday
    assert days_text(week.days) == "Sunday to Thursday"


def test_working_days_across_the_end_of_daylight_saving_keep_the_local_clock():
    # US clocks go back on Sunday 1 November 2026
    sent = at(CHICAGO, 2026, 10, 30, 17, 0)  # Friday, CDT
    due = TWO_DAYS.due(sent, WorkingWeek("America/Chicago")).astimezone(CHICAGO)
    assert due == at(CHICAGO, 2026, 11, 3, 17, 0)  # Tuesday, CST
    assert due.utcoffset() == timedelta(hours=-6)


def test_working_days_across_the_start_of_daylight_saving_keep_the_local_clock():
    # European clocks go forward on Sunday 29 March 2026
    sent = at(LONDON, 2026, 3, 27, 15, 0)  # Friday, GMT
    due = ResponseTime(1, "working days").due(sent, WorkingWeek("Europe/London"))
    assert due.astimezone(LONDON) == at(LONDON, 2026, 3, 30, 15, 0)  # Monday, BST


def test_plain_hours_are_hours_on_the_clock_and_plain_days_the_same_local_time():
    sent = at(LONDON, 2026, 3, 28, 12, 0)  # Saturday before the clocks go forward
    week = WorkingWeek("Europe/London")
    # the clocks go forward overnight: 24 hours later is 13:00 by the clock
    assert ResponseTime(24, "hours").due(sent, week).astimezone(LONDON) == at(
        LONDON, 2026, 3, 29, 13, 0
    )
    assert ResponseTime(1, "days").due(sent, week).astimezone(LONDON) == at(
        LONDON, 2026, 3, 29, 12, 0
    )


def test_a_person_with_no_working_days_counts_plain_time():
    sent = at(LONDON, 2026, 11, 28, 11, 0)
    week = WorkingWeek("Europe/London", days=())
    assert ResponseTime(3, "working hours").due(sent, week) == at(LONDON, 2026, 11, 28, 14, 0)


def test_working_hours_on_the_night_the_clocks_go_forward_are_an_hour_shorter():
    week = WorkingWeek("Europe/London", time(0), time.max, ("sunday",))
    sent = at(LONDON, 2026, 3, 29, 0, 0)  # 01:00 becomes 02:00 that night
    assert ResponseTime(3, "working hours").due(sent, week).astimezone(LONDON) == at(
        LONDON, 2026, 3, 29, 4, 0
    )


def test_inside_hours_and_the_next_start():
    week = WorkingWeek("Europe/London")
    assert week.is_working(at(LONDON, 2026, 11, 27, 9, 0))
    assert not week.is_working(at(LONDON, 2026, 11, 27, 18, 0))
    assert not week.is_working(at(LONDON, 2026, 11, 28, 12, 0))
    assert week.next_start(at(LONDON, 2026, 11, 27, 18, 30)) == at(LONDON, 2026, 11, 30, 9, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 working days", ResponseTime(2, "working days")),
        ("within 2 working days", ResponseTime(2, "working days")),
        ("Within 1 business day", ResponseTime(1, "working days")),
        ("a working day", ResponseTime(1, "working days")),
        ("24 hours", ResponseTime(24, "hours")),
        ("48h", ResponseTime(48, "hours")),
        ("4 working hours", ResponseTime(4, "working hours")),
        ("within a day", ResponseTime(1, "days")),
        ("1 week", ResponseTime(1, "weeks")),
        ("1 working week", ResponseTime(5, "working days")),
        ("52 weeks", ResponseTime(52, "weeks")),
        ("365 days", ResponseTime(365, "days")),
        ("53 weeks", None),  # longer than a year: no rule to count against
        ("999 working days", None),
        ("99999999999 working days", None),
        ("3000000 days", None),
        ("same day", None),
        ("as soon as we can", None),
        ("0 days", None),
        ("", None),
        (None, None),
    ],
)
def test_response_times_in_words(text, expected):
    assert parse_response_time(text) == expected


def test_a_response_time_that_cannot_be_read_is_a_warning_naming_the_fallback():
    problem = response_time_problem("response_time", "same day")
    assert problem and "'same day'" in problem and "2 working days" in problem
    assert response_time_problem("response_time", "within 2 working days") is None
    assert str(ResponseTime(1, "working days")) == "1 working day"


@pytest.mark.parametrize("text", ["09:00-18:00", "8:30-17:00", "00:00-24:00", "07:00 – 15:30"])
def test_working_hours_that_read(text):
    assert hours_problem(text) is None


@pytest.mark.parametrize("text", ["18:00-09:00", "9-5", "09:00-25:00", "09:00-09:00", "x"])
def test_working_hours_that_do_not(text):
    assert hours_problem(text)


@pytest.mark.parametrize(
    "link", ["https://example.com/v/1?t=3#x", "http://drop.example/a", "mailto:a@example.com"]
)
def test_links_that_are_kept(link):
    assert link_problem(link) is None


@pytest.mark.parametrize(
    "link",
    [
        "https://example.com/\x1b]8;;evil\x1b\\",
        "https://exa mple.com",
        "javascript:alert(1)",
        "data:text/html,hi",
        "file:///etc/passwd",
        "example.com/no-scheme",
        "https:///nohost",
        "https://example.com/\u202egnp.exe",
        "https://example.com/" + "a" * 3000,
        "https://example.com/a\nb",
    ],
)
def test_links_that_are_refused(link):
    assert link_problem(link)


def test_the_longest_response_time_stays_inside_the_calendar_even_for_tiny_working_days():
    week = WorkingWeek("Pacific/Kiritimati", time(9), time(9, 1), ("sunday",))
    sent = at(zone("Pacific/Kiritimati"), 2199, 12, 30, 9, 0)
    for rule in (ResponseTime(999, "working hours"), ResponseTime(365, "working days")):
        due = rule.due(sent, week)
        assert due > sent and due.year < 2300
        assert due - sent <= rule.at_most(week)


def test_a_due_time_the_clocks_skip_is_shown_as_the_moment_it_stands_for():
    sent = at(CHICAGO, 2027, 3, 13, 2, 30)  # the next night, 02:30 does not exist in Chicago
    due = ResponseTime(1, "days").due(sent, WorkingWeek("America/Chicago")).astimezone(CHICAGO)
    assert (due.hour, due.minute, due.tzname()) == (3, 30, "CDT")
