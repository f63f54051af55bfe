"""Recurrence rules that cannot progress are refused on input and on load, quickly."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

HOSTILE = [
    ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL takes 1 to 99, not 0"),
    ("FREQ=MONTHLY;INTERVAL=0;BYDAY=1TU", "INTERVAL takes 1 to 99, not 0"),
    ("FREQ=DAILY;BYSETPOS=5", "BYSETPOS cannot be used with FREQ=DAILY"),
    ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "BYMONTH, BYMONTHDAY cannot be used with FREQ=DAILY"),
    ("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30", "the rule never produces a meeting"),
    ("FREQ=MONTHLY;BYMONTHDAY=1;BYSETPOS=2", "the rule never produces a meeting"),
    ("FREQ=MONTHLY;BYMONTH=2;BYDAY=5MO;BYMONTHDAY=1", "the rule never produces a meeting"),
    ("FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", "the rule never produces a meeting"),
    ("FREQ=WEEKLY;COUNT=3;UNTIL=20270101", "a rule has COUNT or UNTIL, not both"),
    ("FREQ=WEEKLY;BYHOUR=3", "BYHOUR is not supported"),
    ("FREQ=HOURLY", "meetings repeat daily at the most often"),
    ("FREQ=YEARLY;BYMONTHDAY=15", "a yearly rule with BYDAY or BYMONTHDAY needs BYMONTH"),
    ("FREQ=YEARLY;BYDAY=MO;BYSETPOS=1,-1", "a yearly rule with BYDAY or BYMONTHDAY needs BYMONTH"),
    ("FREQ=MONTHLY;BYSETPOS=2;BYMONTHDAY=1,15,28", "BYSETPOS is read alike by calendar apps only"),
    ("FREQ=YEARLY;BYMONTH=3;BYDAY=MO;BYSETPOS=2", "BYSETPOS is read alike by calendar apps only"),
]


@pytest.mark.parametrize(("rule", "message"), HOSTILE)
def test_a_rule_that_cannot_progress_is_refused_when_typed(cli, example: Path, rule, message):
    before = example.read_bytes()
    started = time.monotonic()
    result = cli("--as", "mentor", "schedule", "set", "--cadence", rule)
    assert time.monotonic() - started < 5
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert example.read_bytes() == before


@pytest.mark.parametrize(("rule", "message"), HOSTILE)
def test_a_file_with_such_a_rule_is_refused_on_load(cli, example: Path, rule, message):
    text = example.read_text(encoding="utf-8").replace(
        "rrule: FREQ=MONTHLY;BYDAY=1TU", f"rrule: {rule}"
    )
    example.write_text(text, encoding="utf-8")
    for command, code in (
        (["validate"], 1),
        (["--today", "2026-11-26", "export", "ics", "-o", "-"], 4),
    ):
        started = time.monotonic()
        result = cli(*command)
        assert time.monotonic() - started < 5
        assert result.exit_code == code, result.output
        assert f"schedule.rrule: {message}" in result.stderr
        rule_line = text[: text.index("\n  rrule:")].count("\n") + 2
        assert f"(line {rule_line})" in result.stderr
    assert example.read_text(encoding="utf-8") == text
