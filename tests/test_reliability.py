"""Prove it holds: crashes mid-write, many processes at once, a corpus of bad files and
inputs, property tests for the parsers and the merge driver, and hostile text."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorkit.domain.cadence import parse_cadence
from mentorkit.errors import InvalidFile, UsageProblem
from mentorkit.file import fileformat, storage
from mentorkit.file.rrule import rrule_problem
from mentorkit.file.yamltext import parse_text
from mentorkit.git.merging import merge_texts

from .conftest import EXAMPLE, git

MK = [sys.executable, "-m", "mentorkit"]


def run(
    folder: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*MK, *args], cwd=folder, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=60)  # fmt: skip


# --------------------------------------------------------------------------- crash safety


@pytest.mark.parametrize("stage", ["write", "replace", "commit"])
def test_a_process_killed_at_each_stage_of_a_write_leaves_a_valid_file(repo: Path, stage: str):
    path = repo / "mentorship.yaml"
    before = path.read_bytes()
    marker = repo.parent / f"paused-{stage}"
    process = subprocess.Popen([*MK, "--as", "mentee", "action", "add", "Killed midway", "--due", "friday"],
                               cwd=repo, env={**os.environ, "MENTORKIT_TEST_PAUSE": f"{stage}:{marker}"},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert marker.exists(), "the write never reached its pause point"
    process.send_signal(signal.SIGKILL)
    process.wait()
    after = path.read_bytes()
    storage.load(path)  # valid
    if stage == "commit":
        assert b"Killed midway" in after  # the new file, complete; git just did not commit it
    else:
        assert after == before  # the old file, untouched
    # the next command works, and leaves no temporary file of its own behind
    assert run(repo, "--as", "mentee", "agenda", "add", "Afterwards").returncode == 0
    leftovers = [p for p in repo.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) <= 1


def test_killed_at_random_moments_the_file_is_always_old_or_new(example: Path):
    rng = random.Random(2026)
    for attempt in range(12):
        before = example.read_bytes()
        process = subprocess.Popen([*MK, "--as", "mentee", "--no-commit", "action", "add", f"Attempt {attempt}"],
                                   cwd=example.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(rng.uniform(0.05, 0.4))
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = example.read_bytes()
        loaded = storage.load(example).mentorship
        titles = [a.title for a in loaded.actions]
        assert after == before or titles[-1] == f"Attempt {attempt}"


# --------------------------------------------------------------------------- concurrency


def test_twenty_processes_adding_action_items_at_once_lose_nothing(repo: Path):
    processes = [
        subprocess.Popen(
            [*MK, "--as", "mentee" if i % 2 else "mentor", "action", "add", f"Parallel {i}"],
            cwd=repo,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(20)
    ]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in processes]
    assert all(code == 0 for code, _ in results), results
    m = storage.load(repo / "mentorship.yaml").mentorship
    titles = {a.title for a in m.actions}
    assert {f"Parallel {i}" for i in range(20)} <= titles
    assert len({a.id for a in m.actions}) == len(m.actions)
    log = git(repo, "log", "--format=%s").splitlines()
    assert sum(1 for line in log if "Parallel" in line) == 20  # one commit each
    assert git(repo, "status", "--porcelain") == ""


# --------------------------------------------------------------------------- bad files and inputs


def _example() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def _bomb() -> str:
    text = "format: 1\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 20):
        text += f"{chr(97 + i)}: &{chr(97 + i)} [{', '.join([f'*{chr(96 + i)}'] * 10)}]\n"
    return text


BAD_FILES: dict[str, tuple[Any, str]] = {
    "truncated YAML": (
        lambda: _example()[: _example().index("'Webinar") + 9],
        "the YAML cannot be read",
    ),
    "a tab for indentation": (
        lambda: _example().replace("  mentor:\n    name:", "  mentor:\n\tname:", 1),
        "a tab character where YAML needs spaces",
    ),
    "invalid UTF-8": (
        lambda: _example().encode("utf-8").replace(b"Tom\xc3\xa1s", b"Tom\xe1s", 1),
        "is not UTF-8 text",
    ),
    "wrong type at the top": (lambda: "- a list\n", "expected a mapping at the top"),
    "wrong type for people": (
        lambda: _example().replace("people:\n  mentor:", "people: everyone\nx:\n  mentor:", 1),
        "people: expected a mapping, got 'everyone'",
    ),
    "wrong type in a list item": (
        lambda: _example().replace("  - Two mock depositions", "  - {a: 1}\n  - Two mock", 1),
        "goals[g9tp].strategies[0]: expected text, got a mapping",
    ),
    "missing required field": (
        lambda: _example().replace("    email: diane.whitaker@example.com\n", "", 1),
        "people.mentor: 'email' is missing",
    ),
    "duplicate IDs": (
        lambda: _example().replace("- id: a4ub\n", "- id: a5ce\n", 1),
        "the ID a5ce is also used by",
    ),
    "dangling reference": (
        lambda: _example().replace(
            "  goal: g9tp\n  created: 2026-11-03", "  goal: gxyz\n  created: 2026-11-03", 1
        ),
        "actions[a4ub].goal: no goal has the ID 'gxyz'",
    ),
    "a YAML alias": (
        lambda: (
            _example()
            .replace("  time: '10:00'\n", "  time: &t '10:00'\n  feedback_time: *t\n", 1)
            .replace("  feedback_time: '15:00'\n", "", 1)
        ),
        "YAML aliases (*name) are not allowed",
    ),
    "an alias bomb": (_bomb, "YAML aliases (*name) are not allowed"),
    "a python object tag": (
        lambda: _example().replace(
            "  duration: 60\n", "  duration: !!python/object/apply:os.system ['touch pwned']\n", 1
        ),
        "is not allowed",
    ),
    "leftover merge-conflict markers": (
        lambda: _example().replace(
            "  duration: 60\n",
            "<<<<<<< ours\n  duration: 60\n=======\n  duration: 45\n>>>>>>> theirs\n",
            1,
        ),
        "merge-conflict markers",
    ),
    "an empty file": (lambda: "", "is empty"),
    "a newer format version": (
        lambda: _example().replace("format: 2\n", "format: 7\n", 1),
        "newer mentorkit (format 7)",
    ),
    "duplicate keys": (
        lambda: _example().replace("  duration: 60\n", "  duration: 60\n  duration: 45\n", 1),
        "the key 'duration' appears twice",
    ),
    "an unquoted time": (
        lambda: _example().replace("  time: '10:00'", "  time: 10:00", 1),
        "YAML 1.1 reads 10:00 as the number 600",
    ),
    "a time zone that does not exist": (
        lambda: _example().replace("timezone: Europe/London", "timezone: Europe/Paris-ish", 1),
        "'Europe/Paris-ish' is not a known time zone",
    ),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_files_give_one_clear_sentence_and_stay_unchanged(example: Path, name: str):
    make, expected = BAD_FILES[name]
    content = make()
    example.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = example.read_bytes()
    for args in (["status"], ["--as", "mentee", "action", "add", "Anything"]):
        result = run(example.parent, *args)
        assert result.returncode in (3, 4), (name, result.stderr)
        first = result.stderr.splitlines()[0]
        assert first.startswith("error: ") and expected in first, (name, result.stderr)
        assert "Traceback" not in result.stderr
        assert example.read_bytes() == before
    assert not (example.parent / "pwned").exists()


def test_bom_and_crlf_are_accepted(example: Path):
    example.write_bytes(b"\xef\xbb\xbf" + _example().replace("\n", "\r\n").encode("utf-8"))
    assert run(example.parent, "status").returncode == 0
    assert run(example.parent, "--as", "mentee", "agenda", "add", "CRLF kept").returncode == 0
    data = example.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"CRLF kept\r\n" in data


def test_a_50_mb_file_is_refused_quickly(example: Path):
    with open(example, "ab") as out:
        out.write(b"# padding\n" * 5_000_000)
    began = time.monotonic()
    result = run(example.parent, "status")
    assert time.monotonic() - began < 10
    assert (
        result.returncode == 4
        and f" KB; mentorkit reads and writes mentorship files of up to {storage.MAX_BYTES // 1000:,} KB"
        in result.stderr
    )


def test_a_folder_or_a_read_only_file(example: Path):
    before = example.read_bytes()
    example.chmod(0o444)
    result = run(example.parent, "--as", "mentee", "agenda", "add", "x")
    assert result.returncode == 4 and "is read-only; nothing was changed" in result.stderr
    assert example.read_bytes() == before
    example.chmod(0o644)
    example.unlink()
    example.mkdir()
    result = run(example.parent, "status")
    assert result.returncode == 4 and "is a folder, not a mentorship file" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["action", "done", "zzzz"], "no action item has an ID starting with 'zzzz'"),
        (["action", "done", "a"], "matches 9 action items"),
        (["action", "add", "x", "--due", "31/12/2026"], "could be day/month or month/day"),
        (["action", "add", "x", "--due", "2026-02-30"], "is not a date in the calendar"),
        (["schedule", "set", "--timezone", "Mars/Olympus_Mons"], "is not a known time zone"),
        (["kpi", "record", "k7rd", "NaN"], "is not a number"),
        (["--as", "boss", "status"], "'boss' is neither mentor nor mentee"),
        (["--today", "yesterday", "status"], "--today: 'yesterday' is not a date"),
    ],
)
def test_bad_input_gives_one_clear_sentence(example: Path, args: list[str], message: str):
    before = example.read_bytes()
    result = (
        run(example.parent, "--as", "mentee", *args)
        if args[0] != "--as"
        else run(example.parent, *args)
    )
    assert result.returncode in (2, 3), result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert example.read_bytes() == before


def _paths(raw: Any, path: tuple = ()) -> list[tuple]:
    found = []
    if isinstance(raw, dict):
        for key, value in raw.items():
            found.append((*path, key))
            found += _paths(value, (*path, key))
    elif isinstance(raw, list):
        for i, value in enumerate(raw):
            found.append((*path, i))
            found += _paths(value, (*path, i))
    return found


def _replace(raw: Any, path: tuple, value: Any) -> Any:
    import copy

    raw = copy.deepcopy(raw)
    target = raw
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return raw


def test_wrong_types_at_every_level_are_named_by_their_path():
    """Every field of the example, in turn, given a value of the wrong shape."""
    from mentorkit.file.yamltext import dump_raw

    raw = parse_text(_example(), "x").raw
    checked = 0
    for path in _paths(raw):
        original = _replace(raw, path, None)
        current = raw
        for key in path:
            current = current[key]
        wrong = ["a", "list"] if not isinstance(current, list) else "not a list"
        if isinstance(current, list) and path[-1] in ("informal_channels",):
            wrong = {"a": 1}
        text = dump_raw(_replace(raw, path, wrong))
        with pytest.raises(InvalidFile) as caught:
            fileformat.load_text(text, "mentorship.yaml")
        problems = "\n".join([caught.value.message, *caught.value.problems])
        assert "line" in problems, path
        checked += 1
        del original
    assert checked > 400


# --------------------------------------------------------------------------- property tests


@settings(max_examples=300)
@given(st.text(max_size=60))
def test_the_cadence_parser_never_crashes_and_never_guesses(text):
    try:
        rule = parse_cadence(text)
    except UsageProblem:
        return
    assert rrule_problem(rule) is None


@given(
    st.sampled_from(
        ["weekly", "monthly", "quarterly", "every 2 weeks", "every 3 months", "fortnightly"]
    ),
    st.one_of(st.none(), st.sampled_from(["monday", "tue", "friday", "thursday and monday"])),
)
def test_every_cadence_phrase_gives_a_rule_that_occurs(head, day):
    phrase = (
        head
        if day is None
        else f"{head} on {day}"
        if "week" in head or head == "fortnightly"
        else head
    )
    assert rrule_problem(parse_cadence(phrase)) is None


def _edit(text: str, side: str, seed: int) -> str:
    """An independent edit of the example by one side: new items with their own IDs,
    a measurement, and a change to an item only this side touches."""
    from mentorkit.domain import actions, feedback, goals

    m = fileformat.load_text(text, "x").mentorship
    rng = random.Random(f"{side}-{seed}")  # each side has its own random IDs, as on two machines
    today = date(2026, 11, 26)
    for n in range(rng.randint(1, 3)):
        actions.add_action(
            m, f"{side} item {n}", owner=side, due=today, goal=None, by=side, today=today, rng=rng
        )  # type: ignore[arg-type]
    goals.record_measurement(m, "k7rd" if side == "mentor" else "k3wq", rng.randint(0, 9),
                             when=date(2026, 11, rng.randint(7, 28)), note=None, by=side)  # type: ignore[arg-type]  # fmt: skip
    if side == "mentee":
        actions.complete(m, "a2tw", when=today, by="mentee")
    else:
        actions.move(m, "a7ks", date(2026, 12, 11), by="mentor", today=today)
        feedback.give_feedback(
            m, "Well argued", by="mentor", to=None, kind="recognition", today=today, rng=rng
        )
    return fileformat.dump_text(m)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.integers(0, 10_000))
def test_merging_two_independent_edits_keeps_both_and_is_symmetric(seed_a, seed_b):
    base = _example()
    ours, theirs = _edit(base, "mentor", seed_a), _edit(base, "mentee", seed_b)
    merged, conflicts = merge_texts(base, ours, theirs)
    swapped, conflicts_swapped = merge_texts(base, theirs, ours)
    assert conflicts == [] and conflicts_swapped == []
    assert merged == swapped
    m = fileformat.load_text(merged, "merged").mentorship
    titles = {a.title for a in m.actions}
    assert any(t.startswith("mentor item") for t in titles) and any(
        t.startswith("mentee item") for t in titles
    )
    done = {a.id: a for a in m.actions}
    assert done["a2tw"].status == "done" and done["a7ks"].due == date(2026, 12, 11)
    assert len(m.goals[0].kpis[0].measurements) == 9 and len(m.goals[1].kpis[0].measurements) == 3
    dates = [x.date for x in m.goals[0].kpis[0].measurements]
    assert dates == sorted(dates)


def test_merging_with_itself_changes_nothing():
    base = _example()
    ours = _edit(base, "mentor", 1)
    assert merge_texts(base, ours, base)[0] == ours
    assert merge_texts(base, base, ours)[0] == ours


# --------------------------------------------------------------------------- hostile text


def test_text_from_the_file_never_reaches_a_shell_or_the_terminal(repo: Path):
    hostile = "$(touch pwned) `touch pwned2`; rm -rf / \x1b]0;owned\x07 [bold]x[/bold]"
    path = repo / "mentorship.yaml"
    escaped = hostile.replace("\x1b", "\\e").replace("\x07", "\\a")  # YAML double-quoted escapes
    text = path.read_text(encoding="utf-8").replace(
        "title: Book the third mock deposition before the mediation date", f'title: "{escaped}"'
    )
    path.write_text(text, encoding="utf-8")
    git(repo, "commit", "-qam", "hostile", env={"GIT_AUTHOR_NAME": "x", "GIT_AUTHOR_EMAIL": "x@example.com",
                                                "GIT_COMMITTER_NAME": "x", "GIT_COMMITTER_EMAIL": "x@example.com"})  # fmt: skip
    for args in (["status"], ["action", "list"], ["checkin", "--no-input"], ["history"], ["report", "-o", "-"],
                 ["export", "ics", "-o", "-"], ["followup"], ["stats"], ["action", "done", "a4ub"]):  # fmt: skip
        result = run(repo, "--as", "mentee", *args, env={"FORCE_COLOR": "1"})
        assert result.returncode == 0, (args, result.stderr)
        assert "\x1b]0;owned" not in result.stdout and "\x07" not in result.stdout
    assert not (repo / "pwned").exists() and not (repo / "pwned2").exists()
    listing = run(repo, "action", "list", "--status", "all").stdout
    assert "[bold]x[/bold]" in listing and "\\x1b]0;owned\\x07" in listing
    assert shutil.which("git")
