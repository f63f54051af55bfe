"""Every calendar reader lists exactly the meetings `mentorkit schedule` lists, at the same
instants, for two-year series across daylight-saving changes in both people's zones."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mentorkit.cli import app
from tests.readers import READERS, need_icaljs

PAIRS = [
    ("America/Chicago", "Europe/London", "monthly on the first tuesday", "2026-09-01", "10:00"),
    ("Asia/Kolkata", "America/Los_Angeles", "monthly on the second wednesday", "2026-09-09", "20:30"),
    ("Australia/Sydney", "Pacific/Auckland", "every 2 weeks on thursday", "2026-09-03", "08:00"),
    ("Australia/Lord_Howe", "America/Santiago", "monthly on the last friday", "2026-09-25", "09:00"),
    ("Europe/London", "America/Santiago", "weekly on sunday", "2026-09-06", "12:00"),
]  # fmt: skip


def _readers() -> dict:
    need_icaljs()
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


def test_meetings_held_in_an_earlier_zone_carry_that_zone_in_the_export(cli):
    start(cli, "America/Chicago", "Europe/London", "monthly on the first tuesday", "2026-09-01", "10:00")  # fmt: skip
    assert cli("--as", "mentor", "--today", "2026-08-20", "schedule", "move", "2026-10-06", "2026-10-08 11:00").exit_code == 0  # fmt: skip
    held = listed(cli, "2026-08-31")[:5]
    for flags in (["--timezone", "Europe/London"], ["--time", "15:00"]):
        result = cli("--as", "mentor", "--today", "2027-01-10", "schedule", "set", *flags)
        assert result.exit_code == 0, result.output
    assert listed(cli, "2026-08-31")[:5] == held
    data = exported(cli, "2026-08-31").decode()
    assert "TZID:America/Chicago" in data and "TZID:Europe/London" in data
    assert_readers_agree(cli, "2026-08-31", datetime(2028, 9, 1, tzinfo=UTC))


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
    path.write_text(re.sub(r"(?m)^id: .*$", "id: 5f3a9c2e7d1b4a60", text))
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


@pytest.mark.parametrize(
    ("until", "last"),
    [
        ("20270302", "2027-03-02"),  # a date: that day included
        ("20270302T100000", "2027-03-02"),  # a local time: the meeting at 10:00 included
        ("20270302T095900", "2027-02-02"),
        ("20270302T160000Z", "2027-03-02"),  # UTC: 10:00 in Chicago
    ],
)
def test_a_rule_with_its_own_until_is_read_and_exported_alike(cli, isolated, until, last):
    start(cli, "America/Chicago", "Europe/London", "monthly on the first tuesday", "2026-09-01", "10:00")  # fmt: skip
    path = isolated / "mentorship.yaml"
    text = path.read_text().replace("rrule: FREQ=MONTHLY;BYDAY=1TU", f"rrule: FREQ=MONTHLY;BYDAY=1TU;UNTIL={until}")  # fmt: skip
    path.write_text(text)
    assert cli("validate").exit_code == 0
    for command in (["schedule"], ["status"]):
        result = cli("--today", "2026-08-20", *command)
        assert result.exit_code == 0, result.output
    ours = assert_readers_agree(cli, "2026-08-31", datetime(2029, 1, 1, tzinfo=UTC))
    assert str(ours[-1].astimezone(ZoneInfo("America/Chicago")).date()) == last
    typed = cli("--as", "mentor", "--today", "2026-08-20", "schedule", "set", "--cadence", f"FREQ=MONTHLY;BYDAY=1TU;UNTIL={until}")  # fmt: skip
    # the same rule typed by command is either the one the file holds (nothing to change)
    # or reads to the same last meeting
    assert typed.exit_code == 0 or (
        typed.exit_code == 2 and "nothing was changed" in typed.stderr
    ), typed.output
    assert listed(cli, "2026-08-31")[-1] == ours[-1]


@pytest.mark.parametrize("until", ["20271341", "20270302T250000", "2027-03-02"])
def test_a_rule_with_an_impossible_until_is_refused_on_load(cli, isolated, until):
    start(cli, "America/Chicago", "Europe/London", "monthly on the first tuesday", "2026-09-01", "10:00")  # fmt: skip
    path = isolated / "mentorship.yaml"
    path.write_text(path.read_text().replace("rrule: FREQ=MONTHLY;BYDAY=1TU", f"rrule: FREQ=MONTHLY;UNTIL={until}"))  # fmt: skip
    before = path.read_bytes()
    result = cli("--today", "2026-08-20", "schedule")
    assert result.exit_code not in (0, 70), result.output
    assert "schedule.rrule" in result.stderr
    assert path.read_bytes() == before


def test_init_creates_the_id_once_and_history_tells_it_as_the_start(cli, isolated):
    from tests.conftest import INIT_FLAGS, git

    env = {"GIT_AUTHOR_NAME": "Diane", "GIT_AUTHOR_EMAIL": "diane@example.com",
           "GIT_COMMITTER_NAME": "Diane", "GIT_COMMITTER_EMAIL": "diane@example.com"}  # fmt: skip
    assert cli("--as", "mentor", "init", "--no-input", *INIT_FLAGS, env=env).exit_code == 0
    text = (isolated / "mentorship.yaml").read_text()
    (key,) = [line[4:] for line in text.splitlines() if line.startswith("id: ")]
    assert len(key) == 16
    assert "id" not in git(isolated, "log", "--format=%B")
    told = cli("history").stdout
    assert "started the mentorship file" in told and " id " not in told
    assert all(f"UID:{key}-" in line for line in exported(cli, "2026-03-02").decode().splitlines() if line.startswith("UID:"))  # fmt: skip
    assert cli("--as", "mentor", "--today", "2026-03-03", "rules", "set", "start", "2026-03-09", env=env).exit_code == 0  # fmt: skip
    assert f"id: {key}\n" in (isolated / "mentorship.yaml").read_text()


def test_a_file_without_an_id_keeps_its_uids_and_gets_one_only_when_written(cli, isolated):
    start(cli, "America/Chicago", "Europe/London", "monthly on the first tuesday", "2026-09-01", "10:00")  # fmt: skip
    path = isolated / "mentorship.yaml"
    path.write_text("".join(line for line in path.read_text().splitlines(True) if not line.startswith("id: ")))  # fmt: skip
    before = exported(cli, "2026-08-20")
    assert cli("--today", "2026-08-20", "schedule").exit_code == 0
    assert cli("validate").exit_code == 0
    assert "\nid: " not in path.read_text()  # reading never writes one
    old = path.read_text()
    assert cli("--as", "mentor", "--today", "2026-08-20", "rules", "set", "start", "2026-08-25").exit_code == 0  # fmt: skip
    assert "\nid: " in path.read_text()
    uids = [line for line in before.decode().splitlines() if line.startswith("UID:")]
    assert uids == [line for line in exported(cli, "2026-08-20").decode().splitlines() if line.startswith("UID:")]  # fmt: skip
    from mentorkit.git.narrator import between_texts

    assert any(" id of the file" in text for _, _, text, *_ in between_texts(old, path.read_text()))


@pytest.mark.parametrize(
    "email", ["bo@exam\x07ple.org", "bo\x1b[31m@example.org", "bo\x85x@example.org"]
)
def test_an_email_with_a_control_character_is_refused(cli, isolated, email):
    flags = ["--mentor-name", "A", "--mentor-email", "a@example.com", "--mentor-tz", "UTC",
             "--mentee-name", "B", "--mentee-tz", "UTC", "--start", "2026-09-01"]  # fmt: skip
    typed = cli("--as", "mentor", "init", "--no-input", "--no-git", *flags, "--mentee-email", email)
    assert typed.exit_code == 2 and "is not an email address" in typed.stderr
    assert not (isolated / "mentorship.yaml").exists()
    assert cli("--as", "mentor", "init", "--no-input", "--no-git", *flags, "--mentee-email", "b@example.org").exit_code == 0  # fmt: skip
    path = isolated / "mentorship.yaml"
    escaped = email.encode("unicode_escape").decode()
    path.write_text(path.read_text().replace("email: b@example.org", f'email: "{escaped}"'))
    result = cli("validate")
    assert result.exit_code == 1 and "people.mentee.email" in result.stderr
    assert cli("--today", "2026-09-01", "export", "ics", "-o", "-").exit_code not in (0, 70)


def test_schedule_lists_a_long_term_whole(cli):
    start(cli, "America/Chicago", "Europe/London", "weekly on monday", "2026-11-23", "10:00")
    assert cli("--as", "mentor", "schedule", "set", "--until", "2031-11-24").exit_code == 0
    ours = listed(cli, "2026-11-22", 400)
    assert len(ours) == 262  # every Monday of five years, the last on 24 Nov 2031
    assert ours[-1] == datetime(2031, 11, 24, 16, 0, tzinfo=UTC)


def test_the_feedback_day_is_shown_in_both_zones(cli):
    start(cli, "America/Chicago", "Europe/London", "weekly on monday", "2026-11-23", "10:00")
    assert cli("--as", "mentor", "schedule", "feedback-day", "friday", "--time", "15:00").exit_code == 0  # fmt: skip
    both = "Fri 15:00 CST for Mentor Person (mentor), Fri 21:00 GMT for Mentee Person (mentee)"
    for command in (["rules"], ["schedule"], ["status"]):
        result = cli("--today", "2026-11-23", *command)
        assert result.exit_code == 0, result.output
        assert both in " ".join(result.stdout.split()), command


@pytest.mark.parametrize("flags", [[], ["--todos-as-events"]])
def test_every_event_and_to_do_is_private(cli, flags):
    start(cli, "America/Chicago", "Europe/London", "weekly on monday", "2026-11-23", "10:00")
    assert cli("--as", "mentee", "action", "add", "Draft the Acme memo", "--due", "2026-12-04").exit_code == 0  # fmt: skip
    result = cli.runner.invoke(app, ["--today", "2026-11-23", "export", "ics", "-o", "-", *flags])
    import icalendar

    items = [c for c in icalendar.Calendar.from_ical(result.stdout_bytes).walk() if c.name in ("VEVENT", "VTODO")]  # fmt: skip
    assert len(items) == 3 and all(str(c.get("CLASS")) == "PRIVATE" for c in items)


@pytest.mark.parametrize(
    ("mentor_tz", "mentee_tz", "expected", "warned"),
    [
        ("America/Chicago", "Europe/London", "'11:00'", False),  # 11:00 CDT is 17:00 BST
        ("Europe/Berlin", "Europe/Paris", "'16:00'", False),
        ("Asia/Kolkata", "America/Los_Angeles", "'07:30'", True),  # no hour suits both
    ],
)
def test_the_default_time_falls_in_both_working_days_where_one_exists(
    cli, isolated, mentor_tz, mentee_tz, expected, warned
):
    result = cli(
        "--as", "mentor", "--today", "2026-10-01", "init", "--no-input", "--no-git",
        "--mentor-name", "A", "--mentor-email", "a@example.com", "--mentor-tz", mentor_tz,
        "--mentee-name", "B", "--mentee-email", "b@example.com", "--mentee-tz", mentee_tz,
        "--start", "2026-10-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"  time: {expected}\n" in (isolated / "mentorship.yaml").read_text()
    assert ("outside the working day (09:00–18:00 on weekdays)" in result.stderr) == warned


def test_a_time_outside_either_working_day_is_warned_of(cli):
    start(cli, "America/Chicago", "Europe/London", "monthly on the first tuesday", "2026-09-01", "10:00")  # fmt: skip
    late = cli("--as", "mentor", "--today", "2026-08-20", "schedule", "set", "--time", "15:00")
    assert late.exit_code == 0
    assert (
        "warning: the meetings (Tue 15:00 CDT) fall outside the working day (09:00–18:00 on "
        "weekdays): Tue 21:00 BST for Mentee Person (mentee); 11:00 America/Chicago falls "
        "inside both (`mentorkit schedule set --time 11:00`)"
    ) in " ".join(late.stderr.split())
    fine = cli("--as", "mentor", "--today", "2026-08-20", "schedule", "set", "--time", "11:00")
    assert fine.exit_code == 0 and "working day" not in fine.stderr


def test_a_zone_whose_yearly_rule_ends_reads_alike_to_its_last_change(cli):
    start(cli, "Asia/Gaza", "Pacific/Chatham", "FREQ=MONTHLY;BYDAY=2SU", "2027-04-11", "17:30")
    assert cli("--as", "mentor", "schedule", "set", "--until", "2029-12-31").exit_code == 0
    ours = assert_readers_agree(cli, "2027-04-10", datetime(2030, 1, 1, tzinfo=UTC))
    assert len(ours) == 33


def test_a_zone_without_yearly_rules_is_described_as_far_as_its_data_goes(cli):
    start(cli, "Africa/Casablanca", "UTC", "weekly on monday", "2026-11-23", "10:00")
    assert cli("--as", "mentor", "schedule", "set", "--until", "none").exit_code == 0
    ours = assert_readers_agree(cli, "2044-01-01", datetime(2050, 12, 31, tzinfo=UTC))
    assert len(ours) == 365


def test_a_moved_meeting_in_a_utc_schedule_is_shown_once_by_every_reader(cli):
    start(cli, "UTC", "America/Asuncion", "FREQ=MONTHLY;BYDAY=-1FR", "2027-04-30", "09:45")
    for args in (["move", "2027-11-26", "2027-11-26 01:00"], ["cancel", "2027-12-31"],
                 ["add", "2028-01-05 12:00"]):  # fmt: skip
        assert cli("--as", "mentor", "--today", "2027-04-01", "schedule", *args).exit_code == 0
    ours = assert_readers_agree(cli, "2027-04-01", datetime(2029, 6, 1, tzinfo=UTC))
    assert datetime(2027, 11, 26, 1, 0, tzinfo=UTC) in ours
    assert datetime(2027, 11, 26, 9, 45, tzinfo=UTC) not in ours
    data = exported(cli, "2027-04-01").decode()
    assert "RECURRENCE-ID;TZID=Etc/UTC:20271126T094500" in data and "TZID:Etc/UTC" in data


def test_allenporters_ical_shows_a_meeting_moved_in_utc_form_twice(cli):
    """Why the export names UTC Etc/UTC: the same calendar with the times in UTC form
    (`20271126T094500Z`, what icalendar writes for TZID=UTC, valid RFC 5545) is read right
    by three readers, but ical (14.3) keys a series' meetings by their wall-clock time
    without the Z and compares the RECURRENCE-ID as written: the moved meeting is listed
    at its old time and its new one. Should this fail, ical has mended that."""
    start(cli, "UTC", "America/Asuncion", "FREQ=MONTHLY;BYDAY=-1FR", "2027-04-30", "09:45")
    assert cli("--as", "mentor", "--today", "2027-04-01", "schedule", "move", "2027-11-26", "2027-11-26 01:00").exit_code == 0  # fmt: skip
    data = exported(cli, "2027-04-01").decode()
    utc_form = re.sub(r";TZID=Etc/UTC:(\d{8}T\d{6})", r":\1Z", data).encode()
    assert b"RECURRENCE-ID:20271126T094500Z" in utc_form and b"TZID=" not in utc_form
    low, high = datetime(2027, 11, 1, tzinfo=UTC), datetime(2027, 12, 1, tzinfo=UTC)
    moved, was = datetime(2027, 11, 26, 1, 0, tzinfo=UTC), datetime(2027, 11, 26, 9, 45, tzinfo=UTC)
    for name, reader in _readers().items():
        expected = [moved, was] if name == "ical" else [moved]
        assert reader(utc_form, low, high) == expected, name
        assert reader(data.encode(), low, high) == [moved], name


def test_a_meeting_on_local_mean_time_is_refused_with_the_first_date_calendars_can_show(
    cli, isolated
):
    """Amsterdam kept +00:19:32 until mid-1937: ical.js drops the seconds of an offset."""
    early = cli(
        "--as", "mentor", "--today", "1936-03-02", "init", "--no-input", "--no-git",
        "--mentor-name", "A", "--mentor-email", "a@example.com", "--mentor-tz", "Europe/Amsterdam",
        "--mentee-name", "B", "--mentee-email", "b@example.com", "--mentee-tz", "UTC",
        "--start", "1936-03-02", "--cadence", "weekly on monday", "--time", "10:00",
    )  # fmt: skip
    assert early.exit_code == 2
    assert (
        "on 1936-03-09, Europe/Amsterdam kept local mean time, an offset from UTC with "
        "seconds, which calendar apps round; choose a date from 1937-07-01 on"
    ) in early.stderr
    assert not (isolated / "mentorship.yaml").exists()
    start(cli, "Europe/Amsterdam", "UTC", "weekly on monday", "1937-07-05", "10:00")
    moved = cli("--as", "mentor", "--today", "1937-07-01", "schedule", "move", "1937-08-02", "1936-08-03 10:00")  # fmt: skip
    assert moved.exit_code == 2 and "choose a date from 1937-07-01 on" in moved.stderr
    assert len(assert_readers_agree(cli, "1937-07-01", datetime(1939, 12, 31, tzinfo=UTC))) == 105


def test_without_icaljs_the_reader_tests_skip_outside_ci_and_fail_in_ci(tmp_path, monkeypatch):
    """A fresh clone without `npm ci` in tests/node runs the suite green, the ical.js checks
    skipped with the reason; CI, which installs ical.js where npm exists, cannot skip them."""
    from tests import readers

    monkeypatch.setattr(readers, "NODE_FOLDER", tmp_path)
    monkeypatch.setattr(readers.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="npm ci"):
        need_icaljs()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="in CI"):
        need_icaljs()
