"""The meeting schedule and its .ics export, read back by independent parsers."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from mentorkit.cli import app
from mentorkit.domain import schedule
from mentorkit.file import storage

from .conftest import git

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = "2026-01-15"

TRICKY = 'Müller, Jörg; "the boss": C:\\path\\ and more'


@pytest.fixture
def berlin(cli, isolated: Path) -> Path:
    """A monthly 16:00 Berlin meeting with a mentee in New York: the two zones switch
    daylight-saving time on different dates."""
    result = cli(
        "--as", "mentor", "init", "--no-input", "--no-git",
        "--mentor-name", "Anna Schmidt", "--mentor-email", "anna@example.de", "--mentor-tz", "Europe/Berlin",
        "--mentee-name", "Ben Cole", "--mentee-email", "ben@example.com", "--mentee-tz", "America/New_York",
        "--start", "2026-01-05", "--end", "2028-01-31", "--cadence", "monthly on the first tuesday",
        "--first-meeting", "2026-02-03", "--time", "16:00", "--meeting-tz", "Europe/Berlin",
        "--link", "https://meet.example.com/anna-ben",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return isolated / "mentorship.yaml"


def export(cli, *args: str) -> bytes:
    result = cli.runner.invoke(app, ["--today", TODAY, "export", "ics", "-o", "-", *args])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def test_the_series_keeps_its_wall_clock_time_across_dst(cli, berlin: Path):
    calendar = icalendar.Calendar.from_ical(export(cli))
    (series,) = [
        e for e in calendar.walk("VEVENT") if "RRULE" in e and "feedback" not in str(e["UID"])
    ]
    assert series["DTSTART"].dt == datetime(2026, 2, 3, 16, 0, tzinfo=BERLIN)
    assert series["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    expanded = recurring_ical_events.of(calendar).between(
        datetime(2026, 1, 1), datetime(2027, 12, 31)
    )
    starts = [e["DTSTART"].dt for e in expanded if "meeting" in str(e["UID"])]
    assert all(s.astimezone(BERLIN).hour == 16 for s in starts)
    assert len(starts) == 23


def test_expansion_by_an_independent_reader_equals_the_schedule_listing(cli, berlin: Path):
    for args in (
        ["schedule", "cancel", "2026-04-07", "--reason", "Easter"],
        ["schedule", "move", "2026-11-03", "2026-11-05 09:30", "--reason", "Conference"],
        ["schedule", "move", "2027-03-02", "2027-03-30 18:00"],
        ["schedule", "add", "2026-06-18 12:00", "--reason", "Extra before the filing"],
    ):
        assert cli("--as", "mentor", "--today", TODAY, *args).exit_code == 0
    m = storage.load(berlin).mentorship
    window = (datetime(2026, 1, 1, tzinfo=BERLIN), datetime(2027, 12, 31, 23, 59, tzinfo=BERLIN))
    ours = [o.start for o in schedule.occurrences(m.schedule, *window) if o.held]
    calendar = icalendar.Calendar.from_ical(export(cli, "--only", "meetings"))
    theirs = sorted(e["DTSTART"].dt for e in recurring_ical_events.of(calendar).between(*window))
    assert [t.astimezone(BERLIN) for t in theirs] == [o.astimezone(BERLIN) for o in ours]
    assert datetime(2026, 4, 7, 16, 0, tzinfo=BERLIN) not in theirs
    assert datetime(2026, 11, 5, 9, 30, tzinfo=BERLIN) in theirs
    assert datetime(2026, 6, 18, 12, 0, tzinfo=BERLIN) in theirs
    assert (
        len(ours) == 23
    )  # 23 months from Feb 2026 to Dec 2027, less one cancelled, plus one extra


def test_the_strict_ical_parser_reads_the_export(cli, berlin: Path):
    from ical.calendar_stream import IcsCalendarStream

    assert (
        cli(
            "--as", "mentor", "--today", TODAY, "action", "add", "Read the brief", "--due", "friday"
        ).exit_code
        == 0
    )
    assert (
        cli("--as", "mentor", "--today", TODAY, "schedule", "cancel", "2026-04-07").exit_code == 0
    )
    parsed = IcsCalendarStream.calendar_from_ics(export(cli).decode("utf-8"))
    assert len(parsed.todos) == 1
    assert parsed.todos[0].summary == "Read the brief (Anna Schmidt)"
    assert {e.summary for e in parsed.events} == {
        "Mentoring: Anna Schmidt & Ben Cole",
        "Mentoring feedback day",
    }


def test_people_and_text_with_special_characters_cannot_inject_properties(cli, berlin: Path):
    text = berlin.read_text(encoding="utf-8")
    text = text.replace("name: Anna Schmidt", f"name: '{TRICKY.replace(chr(39), chr(39) * 2)}'")
    text = text.replace(
        "  mentee_wants: Skills development and insights into the profession.\n",
        '  mentee_wants: "Line one, with; colon: and \\\\ backslash\\nBEGIN:VEVENT\\nUID:evil\\nEND:VEVENT"\n',
    )
    berlin.write_text(text, encoding="utf-8")
    assert cli("validate").exit_code == 0
    assert b"Purpose" not in export(cli, "--only", "meetings")
    data = export(cli, "--only", "meetings", "--details")
    calendar = icalendar.Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    (event,) = events
    assert event["ORGANIZER"].params["CN"] == "Müller, Jörg; 'the boss': C:\\path\\ and more"
    description = str(event["DESCRIPTION"])
    assert (
        "Purpose: Line one, with; colon: and \\ backslash\nBEGIN:VEVENT\nUID:evil\nEND:VEVENT"
        in description
    )
    assert data.count(b"BEGIN:VEVENT") == 1
    assert b"\nUID:evil" not in data.replace(b"\r\n ", b"")


def test_the_same_file_exports_byte_identically(cli, berlin: Path, tmp_path: Path):
    first = export(cli)
    second = export(cli)
    assert first == second
    assert cli("--today", TODAY, "export", "ics", "-o", str(tmp_path / "a.ics")).exit_code == 0
    assert (tmp_path / "a.ics").read_bytes() == first


def test_uids_are_stable_and_sequence_grows_with_changes(cli, berlin: Path):
    before = icalendar.Calendar.from_ical(export(cli, "--only", "meetings"))
    assert (
        cli(
            "--as", "mentee", "--today", TODAY, "schedule", "move", "2026-03-03", "2026-03-04 16:00"
        ).exit_code
        == 0
    )
    after = icalendar.Calendar.from_ical(export(cli, "--only", "meetings"))
    uids_before = {str(e["UID"]) for e in before.walk("VEVENT")}
    uids_after = {str(e["UID"]) for e in after.walk("VEVENT")}
    assert uids_before == uids_after
    seq = [int(e["SEQUENCE"]) for e in after.walk("VEVENT")]
    assert min(seq) > max(int(e["SEQUENCE"]) for e in before.walk("VEVENT"))


def test_private_content_never_leaves(cli, example: Path):
    data = export(cli).decode("utf-8").replace("\r\n ", "")
    assert "Demand letter is late" not in data  # meeting notes
    assert "compound questions" not in data  # feedback text
    assert "Only the damages section" not in data  # KPI note
    assert "Major revisions" not in data  # KPI names and values


def test_only_reminders_and_todos_as_events(cli, example: Path):
    calendar = icalendar.Calendar.from_ical(export(cli, "--only", "actions", "--todos-as-events"))
    assert not list(calendar.walk("VTODO"))
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 9 and all(not hasattr(e["DTSTART"].dt, "hour") for e in events)
    calendar = icalendar.Calendar.from_ical(export(cli, "--only", "meetings", "--remind", "2h"))
    triggers = {a["TRIGGER"].dt for a in calendar.walk("VALARM")}
    assert triggers == {-timedelta(hours=2)}
    calendar = icalendar.Calendar.from_ical(export(cli, "--only", "feedback"))
    (day,) = calendar.walk("VEVENT")
    assert (
        str(day["RRULE"].to_ical(), "ascii").startswith("FREQ=WEEKLY")
        and b"BYDAY=FR" in day["RRULE"].to_ical()
    )
    bad = cli("export", "ics", "--only", "notes")
    assert bad.exit_code == 2 and "--only takes meetings, feedback, actions" in bad.stderr
    bad = cli("export", "ics", "--remind", "soon")
    assert bad.exit_code == 2 and "cannot read the reminder 'soon'" in bad.stderr


def test_schedule_shows_both_local_times_and_odd_hours(cli, berlin: Path):
    assert (
        cli("--as", "mentor", "--today", TODAY, "schedule", "set", "--time", "9:00").exit_code == 0
    )
    listing = cli("--today", TODAY, "schedule", "-n", "2")
    assert "Tue 3 Feb 2026, 09:00 CET  (in 19 days, 60 min, video)" in listing.stdout
    assert "for the mentee, Ben Cole: Tue 3 Feb 2026, 03:00 EST  ⚠ at night" in listing.stdout
    data = json.loads(cli("--today", TODAY, "schedule", "--json", "-n", "1").stdout)["data"]
    assert data["meetings"][0]["odd_hours"] == {"mentee": "at night"}


def test_schedule_set_with_phrases_and_feedback_day(cli, berlin: Path):
    assert (
        cli(
            "--as",
            "mentor",
            "--today",
            TODAY,
            "schedule",
            "set",
            "--cadence",
            "every 2 weeks on thursday",
        ).exit_code
        == 0
    )
    assert (
        cli("--as", "mentor", "schedule", "feedback-day", "wed", "--time", "15:00").exit_code == 0
    )
    text = berlin.read_text(encoding="utf-8")
    assert (
        "  cadence: every 2 weeks on thursday\n  rrule: FREQ=WEEKLY;INTERVAL=2;BYDAY=TH\n" in text
    )
    assert "  feedback_day: wednesday\n  feedback_time: '15:00'\n" in text
    assert (
        cli(
            "--as", "mentor", "schedule", "set", "--cadence", "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR"
        ).exit_code
        == 0
    )
    assert "rrule: FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR" in berlin.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["schedule", "set", "--timezone", "Europe/Atlantis"],
            "'Europe/Atlantis' is not a known time zone",
        ),
        (
            ["schedule", "set", "--cadence", "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30"],
            "never produces a meeting",
        ),
        (["schedule", "set", "--cadence", "whenever we feel like it"], "cannot read the cadence"),
        (
            ["schedule", "move", "2026-03-04", "2026-03-05 10:00"],
            "no meeting of the series falls on 2026-03-04; meetings near it: 2026-02-03, 2026-03-03, 2026-04-07",
        ),
        (["schedule", "cancel", "2026-03-10"], "no meeting of the series falls on 2026-03-10"),
        (["schedule", "move", "2026-03-03", "someday 10:00"], "cannot read the date 'someday'"),
        (["schedule", "feedback-day", "caturday"], "'caturday' is not a day of the week"),
        (["schedule", "set", "--duration", "0"], "a meeting lasts 5 to 600 minutes"),
    ],
)
def test_bad_schedules_are_clear_errors_and_change_nothing(cli, berlin: Path, args, message):
    before = berlin.read_bytes()
    result = cli("--as", "mentor", "--today", TODAY, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert berlin.read_bytes() == before


def test_a_moved_meeting_is_cancelled_by_its_new_date(cli, example: Path):
    """The date a meeting now falls on names it, as `schedule` lists it; the sentence says
    which meeting with both dates, and the calendar export cancels it."""
    day = ("--as", "mentor", "--today", "2026-11-26")
    assert cli(*day, "schedule", "move", "2027-01-05", "2027-01-07 10:00").exit_code == 0
    result = cli(*day, "schedule", "cancel", "2027-01-07")
    assert result.exit_code == 0, result.output
    assert "cancelled the meeting of 2027-01-05 (moved to 2027-01-07 10:00)" in result.stdout
    listed = json.loads(cli(*day, "schedule", "--json").stdout)["data"]
    held = [o for o in listed["meetings"] if o["start"].startswith("2027-01")]
    assert [o["status"] for o in held] == ["cancelled"], held


@pytest.mark.parametrize(
    "given",
    [
        ["--cadence", "monthly on the first tuesday"],
        ["--cadence", "FREQ=MONTHLY;BYDAY=1TU", "--time", "10:00"],
        ["--timezone", "America/Chicago", "--duration", "60", "--until", "2027-03-01"],
    ],
)
def test_setting_the_schedule_it_already_has_changes_nothing(cli, repo: Path, given):
    head, before = git(repo, "rev-parse", "HEAD"), (repo / "mentorship.yaml").read_bytes()
    result = cli("--as", "mentor", "--today", "2026-11-26", "schedule", "set", *given)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and "nothing was changed" in result.stderr
    assert "the schedule already has" in result.stderr and result.stdout == ""
    assert (repo / "mentorship.yaml").read_bytes() == before
    assert git(repo, "rev-parse", "HEAD") == head
    # the same cadence with a new time is a change, and says so
    changed = cli("--as", "mentor", "--today", "2026-11-26", "schedule", "set", *given[:2], "--time", "11:00")  # fmt: skip
    assert changed.exit_code == 0 and "time 11:00" in changed.stdout


@pytest.mark.parametrize(
    ("at", "clash"),
    [
        ("2026-12-01 10:00", "the meeting of 2026-12-01 10:00-11:00 America/Chicago"),
        ("2026-12-01 09:30", "the meeting of 2026-12-01 10:00-11:00 America/Chicago"),
        ("2027-01-07 10:30", "the meeting of 2027-01-05, moved to 2027-01-07 10:00-11:00"),
        ("2027-01-20 15:00", "the extra meeting of 2027-01-20 14:30-15:30"),
    ],
)
def test_an_extra_meeting_that_clashes_with_one_that_takes_place_is_refused(
    cli, example: Path, at, clash
):
    day = ("--as", "mentor", "--today", "2026-11-26")
    assert cli(*day, "schedule", "move", "2027-01-05", "2027-01-07 10:00").exit_code == 0
    assert cli(*day, "schedule", "add", "2027-01-20 14:30").exit_code == 0
    assert cli(*day, "schedule", "cancel", "2027-02-02").exit_code == 0
    before = example.read_bytes()
    result = cli(*day, "schedule", "add", at)
    assert result.exit_code == 2, result.output
    assert f"an extra meeting at {at} would clash with {clash}" in result.stderr
    assert result.stderr.count("\n") == 1 and example.read_bytes() == before
    # right after one, at a cancelled one's time or on a moved one's old slot: accepted
    for free in ("2026-12-01 11:00", "2027-02-02 10:00", "2027-01-05 10:00"):
        assert cli(*day, "schedule", "add", free).exit_code == 0, free


def test_two_extra_meetings_cancelled_leave_a_valid_file(cli, example: Path):
    day = ("--as", "mentor", "--today", "2026-11-26")
    for at in ("2027-01-20 14:30", "2027-02-10 14:30"):
        assert cli(*day, "schedule", "add", at).exit_code == 0
    for on in ("2027-01-20", "2027-02-10"):
        result = cli(*day, "schedule", "cancel", on)
        assert result.exit_code == 0, result.output
    assert cli("validate").exit_code == 0
    listed = cli(*day, "schedule", "--json", "-n", "40")
    assert listed.exit_code == 0, listed.output
