"""Random schedules, read back by every calendar reader: whatever the zone (Lord Howe's
half-hour change, Kathmandu's +05:45, Chatham's +12:45, Casablanca's Ramadan, Santiago's
midnight changes), cadence, moves, cancellations, extra meetings and later changes of
cadence, time or zone, each reader lists exactly the meetings `schedule --json` lists."""

from __future__ import annotations

import json
import re
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorkit.cli import app
from tests.readers import READERS, need_icaljs

ZONES = ["Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham", "Africa/Casablanca",
         "America/Santiago", "Pacific/Auckland", "UTC"]  # fmt: skip
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
ORDINALS = ["first", "second", "third", "fourth", "last"]

cadences = st.one_of(
    st.sampled_from(DAYS).map(lambda d: f"weekly on {d}"),
    st.sampled_from(DAYS).map(lambda d: f"every 2 weeks on {d}"),
    st.tuples(st.sampled_from(ORDINALS), st.sampled_from(DAYS)).map(
        lambda p: f"monthly on the {p[0]} {p[1]}"
    ),
    st.sampled_from(["1st", "2nd", "15th", "28th", "31st", "last day"]).map(
        lambda d: f"monthly on the {d}"
    ),
)
# no zone here changes its clocks between 06:00 and 22:00: times that do not exist or
# happen twice are refused (tested on their own), not what this test is about
clock_times = st.tuples(st.integers(6, 21), st.sampled_from([0, 15, 30, 45])).map(
    lambda t: f"{t[0]:02d}:{t[1]:02d}"
)
operations = st.one_of(
    st.tuples(st.just("move"), st.integers(0, 30), st.integers(-3, 3), clock_times),
    st.tuples(st.just("cancel"), st.integers(0, 30)),
    st.tuples(st.just("add"), st.integers(1, 700), clock_times),
    st.tuples(st.just("cancel-extra"), st.integers(0, 5)),
    st.tuples(st.just("cadence"), st.integers(20, 500), cadences),
    st.tuples(st.just("time"), st.integers(20, 500), clock_times),
    st.tuples(st.just("timezone"), st.integers(20, 500), st.sampled_from(ZONES)),
)
scenarios = st.fixed_dictionaries(
    {
        "zone": st.sampled_from(ZONES),
        "other": st.sampled_from(ZONES),
        "start": st.dates(date(2026, 1, 1), date(2028, 12, 31)),
        "cadence": cadences,
        "time": clock_times,
        "steps": st.lists(operations, max_size=5),
    }
)


class Mentorship:
    """One file in a folder of its own, driven through the CLI."""

    def __init__(self, cli, folder: Path) -> None:
        self.cli, self.file = cli, str(folder / "mentorship.yaml")

    def run(self, today: date, *args: str):  # type: ignore[no-untyped-def]
        return self.cli.runner.invoke(app, ["-f", self.file, "--as", "mentor", "--today", str(today), *args])  # fmt: skip

    def meetings(self, today: date) -> list[dict]:  # type: ignore[type-arg]
        result = self.run(today, "schedule", "--json", "-n", "400")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["data"]["meetings"]  # type: ignore[no-any-return]


def _changed(result, what: tuple) -> None:  # type: ignore[no-untyped-def, type-arg]
    """A change is made, or refused with one sentence (exit 2): never a crash."""
    assert result.exit_code in (0, 2), (what, result.output)
    if result.exit_code == 2:
        assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr, what


def _apply(m: Mentorship, start: date, step: tuple) -> None:  # type: ignore[type-arg]
    kind = step[0]
    if kind in ("move", "cancel"):
        series = [x for x in m.meetings(start) if x["status"] == "scheduled"]
        if not series:
            return
        day = date.fromisoformat(series[step[1] % len(series)]["start"][:10])
        if kind == "cancel":
            _changed(m.run(start, "schedule", "cancel", str(day)), step)
        else:
            to = f"{day + timedelta(days=step[2])} {step[3]}"
            _changed(m.run(start, "schedule", "move", str(day), to), step)
    elif kind == "add":
        _changed(m.run(start, "schedule", "add", f"{start + timedelta(days=step[1])} {step[2]}"), step)  # fmt: skip
    elif kind == "cancel-extra":
        extras = [x for x in m.meetings(start) if x["status"] == "added"]
        if extras:
            day = extras[step[1] % len(extras)]["start"][:10]
            _changed(m.run(start, "schedule", "cancel", day), step)
    else:  # a change of the series, some time after the start: what was held stays
        flag = {"cadence": "--cadence", "time": "--time", "timezone": "--timezone"}[kind]
        _changed(m.run(start + timedelta(days=step[1]), "schedule", "set", flag, step[2]), step)


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scenarios)
def test_every_reader_lists_what_schedule_lists(cli, scenario):
    need_icaljs()
    start: date = scenario["start"]
    with tempfile.TemporaryDirectory() as folder:
        m = Mentorship(cli, Path(folder))
        result = m.run(
            start, "init", "--no-input", "--no-git",
            "--mentor-name", "Ann Mentor", "--mentor-email", "ann@example.com", "--mentor-tz", scenario["zone"],
            "--mentee-name", "Bo Mentee", "--mentee-email", "bo@example.org", "--mentee-tz", scenario["other"],
            "--start", str(start), "--end", str(start + timedelta(days=730)),
            "--cadence", scenario["cadence"], "--time", scenario["time"], "--meeting-tz", scenario["zone"],
        )  # fmt: skip
        _changed(result, ("init", scenario))
        if result.exit_code != 0:
            return
        for step in scenario["steps"]:
            _apply(m, start, step)
        today = start - timedelta(days=1)
        ours = sorted(
            datetime.fromisoformat(x["start"]).astimezone(UTC)
            for x in m.meetings(today)
            if x["status"] != "cancelled"
        )
        low = datetime.combine(today, datetime.min.time(), UTC)
        high = datetime.combine(start + timedelta(days=800), datetime.min.time(), UTC)
        ours = [s for s in ours if s <= high]
        assert len(ours) >= 2
        export = m.run(today, "export", "ics", "-o", "-")
        assert export.exit_code == 0, export.output
        data = export.stdout_bytes
        for name, reader in READERS.items():
            theirs = reader(data, low, high)
            differ = sorted(set(theirs) ^ set(ours))[:4]
            assert theirs == ours, f"{name} differs from schedule at {differ}"
        # the export names every zone it uses, and only those
        used = set(re.findall(rb"TZID=([^:;]+)", data))
        assert used == set(re.findall(rb"\r\nTZID:([^\r]+)", data))
