"""Every calendar reader lists exactly the meetings `mentorkit schedule` lists, at the same
instants, for two-year series across daylight-saving changes in both people's zones."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

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
