"""Every calendar reader lists exactly the meetings `mentorkit schedule` lists, at the same
instants, for two-year series across daylight-saving changes in both people's zones."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mentorkit.cli import app
from tests.readers import READERS, icaljs_missing

PAIRS = [
    ("America/Chicago", "Europe/London", "monthly on the first tuesday", "2026-09-01", "10:00"),
    ("Asia/Kolkata", "America/Los_Angeles", "monthly on the second wednesday", "2026-09-09", "20:30"),
    ("Australia/Sydney", "Pacific/Auckland", "every 2 weeks on thursday", "2026-09-03", "08:00"),
    ("Australia/Lord_Howe", "America/Santiago", "monthly on the last friday", "2026-09-25", "09:00"),
    ("Europe/London", "America/Santiago", "weekly on sunday", "2026-09-06", "12:00"),
]  # fmt: skip


def _readers() -> dict:
    missing = icaljs_missing()
    if missing:
        pytest.skip(f"ical.js cannot run: {missing}")
    return READERS


def start(cli, mentor_tz: str, mentee_tz: str, cadence: str, first: str, at: str, *extra: str):
    result = cli(
        "--as", "mentor", "init", "--no-input", "--no-git",
        "--mentor-name", "Mentor Person", "--mentor-email", "mentor@example.com", "--mentor-tz", mentor_tz,
        "--mentee-name", "Mentee Person", "--mentee-email", "mentee@example.org", "--mentee-tz", mentee_tz,
        "--start", first, "--end", str(date.fromisoformat(first) + timedelta(days=730)),
        "--cadence", cadence, "--first-meeting", first, "--time", at, "--meeting-tz", mentor_tz,
        *extra,
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def listed(cli, today: str, count: int = 400) -> list[datetime]:
    """The meetings `mentorkit schedule --json` lists from `today` on, cancelled ones left out."""
    result = cli.runner.invoke(app, ["--today", today, "schedule", "--json", "-n", str(count)])
    assert result.exit_code == 0, result.output
    meetings = json.loads(result.stdout)["data"]["meetings"]
    return [
        datetime.fromisoformat(m["start"]).astimezone(UTC)
        for m in meetings
        if m["status"] != "cancelled"
    ]


def exported(cli, today: str) -> bytes:
    result = cli.runner.invoke(app, ["--today", today, "export", "ics", "-o", "-"])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def assert_readers_agree(cli, today: str, until: datetime) -> list[datetime]:
    ours = [s for s in listed(cli, today) if s <= until]
    low = datetime.combine(date.fromisoformat(today), datetime.min.time(), UTC)
    data = exported(cli, today)
    for name, reader in _readers().items():
        theirs = reader(data, low, until)
        assert theirs == ours, f"{name} differs: {sorted(set(theirs) ^ set(ours))[:4]}"
    return ours


@pytest.mark.parametrize(("mentor_tz", "mentee_tz", "cadence", "first", "at"), PAIRS)
def test_two_year_series_read_alike_everywhere(cli, mentor_tz, mentee_tz, cadence, first, at):
    start(cli, mentor_tz, mentee_tz, cadence, first, at)
    day = date.fromisoformat(first)
    moves = [
        ("cancel", str(day + timedelta(days=140))),
        ("add", f"{day + timedelta(days=200)} 11:15"),
        ("add", f"{day + timedelta(days=900)} 09:45"),  # beyond the term and the series
    ]
    for verb, when in moves:
        result = cli("--as", "mentor", "--today", first, "schedule", verb, when)
        assert result.exit_code in (0, 2), result.output  # a cancel off the series is refused
    today = str(day - timedelta(days=1))
    ours = assert_readers_agree(cli, today, datetime(2029, 12, 31, tzinfo=UTC))
    assert len(ours) >= 20


def test_a_series_without_an_end_reads_alike_for_decades(cli):
    start(cli, "America/Chicago", "Europe/London", "monthly on the 15th", "2026-09-15", "10:00")
    assert cli("--as", "mentor", "schedule", "set", "--until", "none").exit_code == 0
    today = "2046-01-01"
    ours = assert_readers_agree(cli, today, datetime(2049, 6, 30, tzinfo=UTC))
    assert len(ours) == 42


def test_a_first_date_off_the_cadence_is_refused_with_the_nearest_that_fit(cli, isolated):
    start(cli, "America/Chicago", "Europe/London", "monthly on the first tuesday", "2026-09-01", "10:00")  # fmt: skip
    before = (isolated / "mentorship.yaml").read_bytes()
    result = cli("--as", "mentor", "--today", "2026-08-20", "schedule", "set", "--first", "2026-09-08")  # fmt: skip
    assert result.exit_code == 2
    assert (
        "Tue 2026-09-08 is not a meeting day of 'monthly on the first tuesday'; the nearest "
        "that fit are Tue 2026-09-01 or Tue 2026-10-06" in result.stderr
    )
    assert (isolated / "mentorship.yaml").read_bytes() == before
    result = cli("--as", "mentor", "--today", "2026-08-20", "schedule", "set", "--cadence", "monthly on the 15th")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "first: 2026-09-15\n" in (isolated / "mentorship.yaml").read_text()
    assert_readers_agree(cli, "2026-08-31", datetime(2029, 1, 1, tzinfo=UTC))


def test_a_cadence_change_keeps_the_meetings_held_and_starts_where_it_applies(cli, isolated):
    start(cli, "America/Chicago", "Europe/London", "monthly on the first tuesday", "2026-09-01", "10:00")  # fmt: skip
    assert cli("--as", "mentor", "--today", "2026-09-01", "schedule", "move", "2026-10-06", "2026-10-07 11:00").exit_code == 0  # fmt: skip
    held_before = listed(cli, "2026-08-31")[:4]
    result = cli("--as", "mentor", "--today", "2026-12-10", "schedule", "set", "--cadence", "every 2 weeks on thursday", "--time", "15:00")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "from 2026-12-10; meetings before 2026-12-10 stay as they were held" in result.stdout
    after = listed(cli, "2026-08-31")
    assert after[:4] == held_before  # Sep, the moved Oct meeting, Nov, Dec: as held
    chicago = ZoneInfo("America/Chicago")
    assert after[4].astimezone(chicago) == datetime(2026, 12, 10, 15, 0, tzinfo=chicago)
    assert_readers_agree(cli, "2026-08-31", datetime(2028, 6, 1, tzinfo=UTC))


def test_a_new_time_zone_keeps_moved_and_extra_meetings_where_they_were(cli):
    start(cli, "America/Chicago", "Europe/London", "monthly on the first tuesday", "2026-09-01", "10:00")  # fmt: skip
    for args in (["move", "2026-10-06", "2026-10-07 11:00"], ["add", "2026-11-20 10:00"]):
        assert cli("--as", "mentor", "--today", "2026-08-20", "schedule", *args).exit_code == 0
    before = listed(cli, "2026-08-31")
    assert cli("--as", "mentor", "--today", "2026-08-20", "schedule", "set", "--timezone", "Europe/London").exit_code == 0  # fmt: skip
    after = listed(cli, "2026-08-31")
    moved = datetime(2026, 10, 7, 16, 0, tzinfo=UTC)
    extra = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
    assert moved in before and extra in before and moved in after and extra in after
    assert_readers_agree(cli, "2026-08-31", datetime(2028, 6, 1, tzinfo=UTC))


def test_init_refuses_a_first_meeting_off_the_cadence(cli, isolated):
    result = cli(
        "--as", "mentor", "init", "--no-input", "--no-git",
        "--mentor-name", "A", "--mentor-email", "a@example.com", "--mentor-tz", "UTC",
        "--mentee-name", "B", "--mentee-email", "b@example.com", "--mentee-tz", "UTC",
        "--cadence", "weekly on thursday", "--first-meeting", "2026-09-08", "--start", "2026-09-01",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "the nearest that fit are Thu 2026-09-03 or Thu 2026-09-10" in result.stderr
    assert not (isolated / "mentorship.yaml").exists()


@pytest.mark.parametrize(
    ("cadence", "first", "expected"),
    [
        ("monthly on the 31st", "2026-08-31",
         ["2026-08-31", "2026-09-30", "2026-10-31", "2026-11-30", "2026-12-31", "2027-01-31", "2027-02-28"]),
        ("quarterly", "2026-08-31", ["2026-08-31", "2026-11-30", "2027-02-28", "2027-05-31", "2027-08-31"]),
        ("every month", "2026-11-30", ["2026-11-30", "2026-12-31", "2027-01-31", "2027-02-28"]),
        ("monthly on the 15th", "2026-09-15", ["2026-09-15", "2026-10-15"]),
    ],
)  # fmt: skip
def test_a_month_end_means_the_last_day_of_every_month(cli, cadence, first, expected):
    start(cli, "America/Chicago", "Europe/London", cadence, first, "10:00")
    today = str(date.fromisoformat(first) - timedelta(days=1))
    ours = assert_readers_agree(cli, today, datetime(2027, 9, 1, tzinfo=UTC))
    chicago = ZoneInfo("America/Chicago")
    assert [str(s.astimezone(chicago).date()) for s in ours][: len(expected)] == expected
    shown = cli("--today", today, "schedule", "-n", "1").stdout
    note = "on the last day of the month: the 28th, 29th or 30th in shorter months"
    assert (note in shown) == (cadence != "monthly on the 15th")


@pytest.mark.parametrize(
    ("args"),
    [
        ["--cadence", "monthly on the 30th"],
        ["--cadence", "monthly", "--first", "2027-01-29"],
    ],
)
def test_a_29th_or_30th_that_some_months_lack_is_refused(cli, args):
    start(cli, "America/Chicago", "Europe/London", "monthly on the 15th", "2026-09-15", "10:00")
    result = cli("--as", "mentor", "schedule", "set", *args)
    assert result.exit_code == 2
    assert "the 29th and 30th are missing from some months" in result.stderr
    assert "say 'monthly on the last day' or a day up to the 28th" in result.stderr


def test_count_and_until_end_the_series_alike(cli):
    start(cli, "Europe/London", "America/New_York", "weekly on monday", "2026-09-07", "09:00")
    assert cli("--as", "mentor", "schedule", "set", "--cadence", "FREQ=WEEKLY;COUNT=300;BYDAY=MO").exit_code == 0  # fmt: skip
    ours = assert_readers_agree(cli, "2026-09-06", datetime(2033, 1, 1, tzinfo=UTC))
    assert len(ours) == 105  # the term's two years, not the 300 of COUNT
    data = exported(cli, "2026-09-06").decode()
    assert "COUNT" not in data and "UNTIL=20280904T080000Z" in data


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "2027-03-14 02:30"],
         "02:30 on 2027-03-14 does not exist (the clocks go forward) in America/Chicago; choose 01:30 or 03:00"),
        (["move", "2026-11-03", "2026-11-01 01:30"],
         "01:30 on 2026-11-01 happens twice (the clocks go back) in America/Chicago; choose 00:30 or 02:00"),
        (["set", "--cadence", "weekly on sunday", "--time", "02:30"],
         "02:30 on 2027-03-14 does not exist (the clocks go forward) in America/Chicago; choose 01:30 or 03:00"),
    ],
)  # fmt: skip
def test_times_the_clocks_skip_or_repeat_are_refused(cli, isolated, args, message):
    start(cli, "America/Chicago", "Europe/London", "monthly on the first tuesday", "2026-09-01", "10:00")  # fmt: skip
    before = (isolated / "mentorship.yaml").read_bytes()
    result = cli("--as", "mentor", "--today", "2026-08-20", "schedule", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert (isolated / "mentorship.yaml").read_bytes() == before


def test_uids_rest_on_the_mentorship_id_and_settings_saved_are_read_back(cli, isolated):
    start(cli, "America/Chicago", "Europe/London", "monthly on the first tuesday", "2026-09-01", "10:00")  # fmt: skip

    def uids() -> set[str]:
        data = exported(cli, "2026-08-20").decode()
        return {line for line in data.splitlines() if line.startswith("UID:")}

    path = isolated / "mentorship.yaml"
    text = path.read_text()
    head, rest = text.split("\n", 1)
    path.write_text(f"{head}\nid: 5f3a9c2e7d1b4a60\n{rest}")
    before = uids()
    assert all("5f3a9c2e7d1b4a60-" in uid for uid in before)
    assert cli("--as", "mentor", "--today", "2026-08-20", "rules", "set", "start", "2026-08-25").exit_code == 0  # fmt: skip
    assert uids() == before
    assert cli("--as", "mentor", "schedule", "feedback-day", "none").exit_code == 0
    assert "feedback_day: null" in (isolated / "mentorship.yaml").read_text()
    assert "feedback-day" not in "".join(uids())
    assert cli("validate").exit_code == 0


def test_a_cancelled_extra_meeting_is_exported_as_cancelled(cli):
    start(cli, "America/Chicago", "Europe/London", "monthly on the first tuesday", "2026-09-01", "10:00")  # fmt: skip
    assert cli("--as", "mentor", "--today", "2026-08-20", "schedule", "add", "2026-09-17 10:00").exit_code == 0  # fmt: skip
    assert cli("--as", "mentor", "--today", "2026-08-20", "schedule", "cancel", "2026-09-17").exit_code == 0  # fmt: skip
    data = exported(cli, "2026-08-20").decode()
    extra = data[data.index("meeting-20260917T1000") :]
    assert "STATUS:CANCELLED" in extra[: extra.index("END:VEVENT")]
    assert datetime(2026, 9, 17, 15, 0, tzinfo=UTC) not in assert_readers_agree(
        cli, "2026-08-20", datetime(2027, 1, 1, tzinfo=UTC)
    )
