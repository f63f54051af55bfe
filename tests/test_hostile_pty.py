"""The interactive prompts in a real terminal, with the other person's hostile text in them:
every escape, C1 and bidi character is shown, never sent raw to the terminal."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from .conftest import TODAY

pexpect = pytest.importorskip("pexpect")

HOSTILE = "Clear\x1b[2J osc52\x1b]52;c;cHduZWQ=\x07 c1\x9b31m bidi\u202etxt.exe"
# Raw controls but those a terminal session itself uses (CR, LF, BS, BEL from line editing).
RAW = re.compile("[\x1b\x80-\x9f\u202a-\u202e\u2066-\u2069]")


def _spawn(folder: Path, *args: str):  # type: ignore[no-untyped-def]
    env = {**os.environ, "MENTORKIT_ROLE": "mentee", "MENTORKIT_TODAY": TODAY, "NO_COLOR": "1",
           "COLUMNS": "200", "MENTORKIT_NO_CACHE": "1"}  # fmt: skip
    return pexpect.spawn(sys.executable, ["-m", "mentorkit", "--no-commit", *args], cwd=str(folder),
                         env=env, encoding="utf-8", timeout=30)  # fmt: skip


@pytest.fixture
def hostile_file(cli, example: Path) -> Path:
    for args in (
        ["action", "add", HOSTILE, "--due", "2026-11-20"],
        ["agenda", "add", "Point " + HOSTILE],
    ):
        assert cli("--as", "mentee", "--today", TODAY, "--no-commit", *args).exit_code == 0
    return example


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_checkin_prompts_show_hostile_titles_literally(hostile_file: Path):
    child = _spawn(hostile_file.parent, "checkin")
    seen = ""
    while True:
        index = child.expect([r"\[k\]eep, drop \[x\]", r"New value", r"Talking point", pexpect.EOF])
        seen += child.before + (child.after if isinstance(child.after, str) else "")
        if index == 3:
            break
        child.sendline("")
    child.close()
    assert child.exitstatus == 0, seen
    assert "\\x1b[2J" in seen and "\\u202e" in seen
    assert not RAW.search(seen), repr(seen)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_meeting_log_prompts_show_hostile_points_literally(hostile_file: Path):
    child = _spawn(hostile_file.parent, "meeting", "log", "--input")
    seen = ""
    while True:
        index = child.expect(
            [r"Notes", r"Decision", r"New action", r"Covered .*\? \[y/n\]", pexpect.EOF]
        )
        seen += child.before + (child.after if isinstance(child.after, str) else "")
        if index == 4:
            break
        child.sendline("n" if index == 3 else "")
    child.close()
    assert child.exitstatus == 0, seen
    assert "Covered 'Point Clear\\x1b[2J" in seen
    assert not RAW.search(seen), repr(seen)
