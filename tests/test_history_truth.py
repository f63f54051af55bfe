"""The accountability record tells the whole truth: every change, in one wording, across
merges, renames, cherry-picks, rebases and broken versions."""

from __future__ import annotations

import copy
import json
import os
import random
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from mentorkit.git.narrator import compare

from .conftest import EXAMPLE, INIT_FLAGS, git
from .test_git_record import MENTEE, MENTOR, at, clone_pair, run_in
from .test_shared_record import take

# --------------------------------------------------------------------------- completeness


def _paths(value: Any, path: tuple = (), owner: str | None = None):
    """Every place in the file, with the ID of the record it belongs to."""
    if isinstance(value, dict):
        owner = value.get("id", owner) if isinstance(value.get("id"), str) else owner
        yield path, owner, value
        for key, child in value.items():
            yield from _paths(child, (*path, key), owner)
    elif isinstance(value, list):
        yield path, owner, value
        for i, child in enumerate(value):
            yield from _paths(child, (*path, i), owner)
    else:
        yield path, owner, value


def _at(raw: Any, path: tuple) -> Any:
    for key in path:
        raw = raw[key]
    return raw


def _other(value: Any, rng: random.Random) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + rng.choice([1, 2.5, -3])
    if isinstance(value, date):
        return value + timedelta(days=rng.randint(1, 30))
    return f"{value} (edited {rng.randint(1, 99)})"


def _edits(raw: dict[str, Any], rng: random.Random):
    """(description, owner ID, edited copy): one edit for every scalar, and for every list
    an element removed, one added and two swapped; an unknown key added to every mapping."""
    for path, owner, value in list(_paths(raw)):
        if path == ():
            continue
        edited = copy.deepcopy(raw)
        parent = _at(edited, path[:-1])
        if isinstance(value, list):
            if value:
                changed = copy.deepcopy(edited)
                _at(changed, path).pop(rng.randrange(len(value)))
                yield f"removed an element of {path}", owner, changed
                added = copy.deepcopy(value[0])
                if isinstance(added, dict) and "id" in added:
                    added["id"] = "zz9q"
                    new_owner = "zz9q"
                else:
                    added = (
                        _other(added, rng)
                        if not isinstance(added, dict)
                        else {**added, "note": "new"}
                    )
                    new_owner = owner
                changed = copy.deepcopy(edited)
                _at(changed, path).append(added)
                yield f"added an element to {path}", new_owner or owner, changed
            if len(value) >= 2 and value[0] != value[1]:
                changed = copy.deepcopy(edited)
                items = _at(changed, path)
                items[0], items[1] = items[1], items[0]
                yield f"swapped two elements of {path}", owner, changed
        elif isinstance(value, dict):
            changed = copy.deepcopy(edited)
            _at(changed, path)["x_private_note"] = "kept by hand"
            yield f"added an unknown key to {path}", owner, changed
        else:
            parent[path[-1]] = _other(value, rng)
            yield f"changed {path}", owner, edited


def test_every_single_field_edit_of_the_example_is_told_naming_its_item():
    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    rng = random.Random(13)
    count = 0
    for description, owner, edited in _edits(raw, rng):
        events = compare(raw, edited)
        assert events, f"{description}: no event"
        if owner is not None:
            assert any(item == owner or owner in text for _, item, text, *_ in events), (
                f"{description}: no event names {owner}: {events}"
            )
        count += 1
    assert count > 400


def test_the_hand_edits_the_issue_names_are_told():
    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    edited = copy.deepcopy(raw)
    action = next(a for a in edited["actions"] if a["id"] == "a8jv")
    action["owner"], action["title"] = "mentee", "Send three decisions"
    kpi = edited["goals"][0]["kpis"][0]
    kpi["measurements"].pop()
    kpi["measurements"].append({"date": date(2026, 11, 6), "value": 2})
    kpi["measurements"].append({"date": date(2026, 11, 6), "value": 3})
    kpi["measurements"].pop(3)  # the 170 typo
    edited["goals"][0]["why"] = "Because."
    texts = [text for _, _, text, *_ in compare(raw, edited)]
    assert texts == [
        'changed the why of goal g4mk "Liability analysis in rideshare accident claims": '
        '"The Adeyemi claim turns on whether the driver was logged in…" → "Because."',
        'removed the measurement 4 revisions (2026-07-03) of KPI k7rd "Major revisions per '
        'liability memo"',
        'recorded 3 revisions for KPI k7rd "Major revisions per liability memo" (2026-11-06)',
        'changed the title of action a8jv "Send three decisions": "Send Tomás three '
        'rideshare decisions from Illinois and Cali…" → "Send three decisions"',
        'changed the owner of action a8jv "Send three decisions": "mentor" → "mentee"',
    ]


def test_stats_count_each_meeting_day_once_moves_for_the_mover_and_the_first_due_date():
    from mentorkit.domain.stats import compute
    from mentorkit.file import storage
    from mentorkit.file.model import DueMove, Meeting

    m = storage.load(EXAMPLE).mentorship
    m.meetings.append(Meeting(id="m9zz", date=m.meetings[0].date))  # logged twice
    a2tw = next(a for a in m.actions if a.id == "a2tw")
    first = a2tw.moves[0].was
    a2tw.moves.append(DueMove(was=a2tw.due, moved=date(2026, 11, 20), by="mentor"))
    a2tw.due += timedelta(days=7)
    a2tw.moves.append(DueMove(was=a2tw.due, moved=date(2026, 11, 21), by="mentee"))
    a2tw.due -= timedelta(days=3)
    a2tw.status, a2tw.completed = "done", a2tw.due
    today = date(2026, 11, 26)
    from datetime import UTC, datetime

    result = compute(m, datetime(2026, 11, 26, 12, tzinfo=UTC), today)
    mentor, mentee = result.people["mentor"], result.people["mentee"]
    assert (mentor.due_dates_moved, mentor.moved_later, mentor.moved_earlier) == (1, 1, 0)
    assert (mentee.due_dates_moved, mentee.moved_later, mentee.moved_earlier) == (3, 2, 1)
    assert (result.meetings_held, result.meetings_scheduled) == (8, 8)
    # a2tw, done on its third due date, is late against the first one
    assert mentee.completed == 4 and mentee.on_time == 2
    assert (a2tw.completed - first).days > 0
    assert (mentee.completed_after_moves, mentee.moves_before_completion) == (2, 4)


def test_a_pinned_day_counts_that_days_meeting_as_due(cli, example: Path):
    def scheduled(day: str) -> int:
        result = cli("--today", day, "stats", "--json")
        return json.loads(result.stdout)["data"]["meetings_scheduled"]

    # the first Tuesday of December, 10:00 in Chicago: due by the end of that day
    assert scheduled("2026-12-01") == scheduled("2026-11-30") + 1


# --------------------------------------------------------------------------- one wording


def _history(cli, *args: str) -> list[dict[str, Any]]:
    result = cli("history", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["data"]


COMMANDS = [
    ["action", "add", "Draft the memo", "--due", "2026-12-04"],
    ["action", "done", "a2tw"],
    ["action", "reopen", "a2tw"],
    ["action", "move", "a4ub", "2026-12-10"],
    ["action", "move", "a4ub", "2026-12-01"],
    ["action", "update", "a7ks", "Halfway there"],
    ["action", "drop", "a7ks", "--reason", "no longer needed"],
    ["goal", "add", "Negotiation", "--why", "Mediation is coming"],
    ["goal", "edit", "g9tp", "--competency", "Depositions", "--why", "Key event"],
    ["goal", "achieve", "g9tp"],
    ["goal", "drop", "g4mk", "--reason", "covered elsewhere"],
    ["kpi", "add", "g2hx", "--name", "Calls", "--baseline", "0", "--target", "4"],
    ["kpi", "record", "k3wq", "7", "--date", "2026-11-20"],
    ["kpi", "record", "k3wq", "7.5", "--date", "2026-11-20", "--force"],
    ["kpi", "edit", "k7rd", "--target", "2", "--reason", "realistic"],
    ["kpi", "fix", "k7rd", "2026-05-01", "4", "--reason", "miscounted"],
    ["kpi", "unrecord", "k7rd", "2026-04-03", "--reason", "wrong memo"],
    ["kpi", "drop", "k8nf", "--reason", "replaced"],
    ["action", "edit", "a4ub", "--title", "Book the room", "--owner", "mentor", "--reason", "x"],
    ["action", "edit", "a2tw", "--title", "Read it twice", "--owner", "mentor", "--goal", "-"],
    ["kpi", "edit", "k3wq", "--name", "Mock calls", "--target", "9", "--unit", "calls"],
    [
        "goal",
        "edit",
        "g2hx",
        "--why",
        "Clients call",
        "-s",
        "Listen first",
        "--remove-strategy",
        "1",
    ],
    ["resource", "edit", "r9ha", "--kind", "podcast", "--reason", "audio"],
    ["resource", "edit", "r2dx", "--title", "Checklist", "--notes", "Short", "--goal", "g2hx"],
    ["resource", "drop", "r9ha", "--reason", "superseded"],
    ["resource", "add", "Deposition checklist", "--kind", "template"],
    ["resource", "done", "r2dx"],
    ["feedback", "give", "Clear and calm", "--kind", "recognition"],
    ["feedback", "retract", "f7cw", "--reason", "said it in person"],
    ["agenda", "add", "Costs of the physio report"],
    ["agenda", "done", "p8ym"],
    ["meeting", "log", "--date", "2026-11-24", "--notes", "Good one", "--decision", "Go"],
    ["schedule", "move", "2026-12-01", "2026-12-02T10:00", "--reason", "travel"],
    ["schedule", "cancel", "2027-01-05"],
    ["schedule", "add", "2026-12-15T10:00"],
    ["schedule", "feedback-day", "thursday"],
    ["schedule", "set", "--duration", "45"],
    ["schedule", "set", "--duration", "50", "--time", "09:30", "--channel", "phone"],
    ["rules", "set", "response_time", "same day"],
    ["rules", "agree"],
]


CORRECTIONS = {("action", "edit"), ("resource", "edit"), ("goal", "edit"), ("kpi", "edit"),
               ("kpi", "fix"), ("kpi", "unrecord")}  # fmt: skip


def test_each_command_commits_the_very_sentences_history_prints(cli, repo: Path):
    for args in COMMANDS:
        result = cli("--as", "mentee", "--today", "2026-11-26", *args)
        assert result.exit_code == 0, (args, result.output)
        subject = git(repo, "log", "-1", "--format=%s").strip()
        body = git(repo, "log", "-1", "--format=%b").strip().split("\n\nReason: ")[0]
        body = "" if body.startswith("Reason: ") else body
        # history's lines, the first as the subject and the others as the body
        commit = git(repo, "rev-parse", "HEAD").strip()
        told = [f"{e['role']} {e['text']}" for e in _history(cli) if e["commit"] == commit]
        assert told, args
        assert [subject, *body.splitlines()] == told, args
        if tuple(args[:2]) in CORRECTIONS:  # what the command says: history's very lines
            said = [line[2:] for line in result.stdout.splitlines() if line.startswith("✓ ")]
            assert said == told, args
        if args[:2] == ["kpi", "fix"]:  # one correction, not a removal and a new value
            assert told == [subject] and " corrected the 2026-05-01 measurement " in subject
        if "--reason" in args:  # the reason given is on record, in the same words
            reason = args[args.index("--reason") + 1]
            assert all(reason in line for line in told), (args, told)


def test_a_hand_edit_commits_what_history_prints(cli, repo: Path, tmp_path: Path):
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text().replace('owner: mentor', 'owner: mentee'))\n"
    )
    result = cli("--as", "mentee", "edit", env={"EDITOR": f"python3 {editor}", "VISUAL": ""})
    assert result.exit_code == 0, result.output
    subject = git(repo, "log", "-1", "--format=%s").strip()
    body = git(repo, "log", "-1", "--format=%b").strip().splitlines()
    commit = git(repo, "rev-parse", "HEAD").strip()
    told = [f"{e['role']} {e['text']}" for e in _history(cli) if e["commit"] == commit]
    assert [subject, *body] == told and len(told) >= 3
    assert all("owner of action" in line and '"mentor" → "mentee"' in line for line in told)


# --------------------------------------------------------------------------- git's shapes


@pytest.fixture
def shared(cli, isolated: Path) -> Path:
    """A mentorship started by the mentor on 2026-03-02 with an action the mentee owns."""
    result = cli("--as", "mentor", "init", "--no-input", *INIT_FLAGS, env=at("2026-03-02", MENTOR))
    assert result.exit_code == 0, result.output
    run(cli, "2026-03-03", MENTEE, "action", "add", "Call the client", "--due", "2026-03-10")
    return isolated


def run(cli, day: str, who: dict[str, str], *args: str) -> None:
    role = "mentee" if who is MENTEE else "mentor"
    result = cli("--as", role, "--today", day, *args, env=at(day, who))
    assert result.exit_code == 0, result.output


def told(cli, *args: str) -> list[tuple[str, str, str]]:
    return [(e["when"][:10], e["who"], e["text"]) for e in _history(cli, *args)]


def action_id(cli, title: str) -> str:
    result = cli("action", "list", "--status", "all", "--json")
    return next(a["id"] for a in json.loads(result.stdout)["data"] if a["title"] == title)


def commit_all(folder: Path, day: str, who: dict[str, str], message: str) -> None:
    git(folder, "commit", "--no-verify", "-qam", message, env=at(day, who))


def test_an_unreadable_stretch_is_one_event_and_the_repair_is_compared_with_the_last_good(
    cli, shared: Path
):
    path = shared / "mentorship.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("title: Call the client", "title: [Call"), encoding="utf-8")
    commit_all(shared, "2026-03-04", MENTEE, "oops")
    path.write_text(good.replace("title: Call the client", "title: [Call it"), encoding="utf-8")
    commit_all(shared, "2026-03-05", MENTEE, "oops again")
    path.write_text(
        good.replace("title: Call the client", "title: Call the client back"), encoding="utf-8"
    )
    commit_all(shared, "2026-03-06", MENTOR, "fix")
    aid = action_id(cli, "Call the client back")
    assert told(cli, "--since", "2026-03-04") == [
        ("2026-03-04", "Tomás", "left the file unreadable"),
        ("2026-03-06", "Diane", "repaired the file"),
        ("2026-03-06", "Diane", f'changed the title of action {aid} "Call the client back": '
                                '"Call the client" → "Call the client back"'),
    ]  # fmt: skip


def test_a_hand_resolved_merge_conflict_is_recorded_with_its_author(cli, shared: Path):
    aid = action_id(cli, "Call the client")
    git(shared, "checkout", "-qb", "side")
    run(cli, "2026-03-04", MENTEE, "action", "move", aid, "2026-03-12")
    run(cli, "2026-03-04", MENTEE, "agenda", "add", "Fees")
    git(shared, "checkout", "-q", "main")
    run(cli, "2026-03-05", MENTOR, "action", "move", aid, "2026-03-11")
    merge = subprocess.run(["git", "merge", "-q", "side"], cwd=shared, capture_output=True,
                           env={**os.environ, **at("2026-03-06", MENTOR)})  # fmt: skip
    assert merge.returncode != 0  # the due date conflicts
    path = shared / "mentorship.yaml"
    text = path.read_text(encoding="utf-8")
    assert "<<<<<<<" in text
    resolved = subprocess.run(["git", "show", "main:mentorship.yaml"], cwd=shared,
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
    side = subprocess.run(["git", "show", "side:mentorship.yaml"], cwd=shared,
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    agenda = side[side.index("agenda:") :]
    resolved = resolved[: resolved.index("agenda:")] + agenda
    resolved = resolved.replace("due: 2026-03-11", "due: 2026-03-13")
    resolved = resolved.replace("text: Fees", "text: Fees and costs")  # changed while merging
    path.write_text(resolved, encoding="utf-8")
    git(shared, "add", "mentorship.yaml")
    git(shared, "commit", "-q", "--no-edit", env=at("2026-03-06", MENTOR))
    events = told(cli, "--since", "2026-03-04")
    assert events[:3] == [
        ("2026-03-04", "Tomás", f'moved action {aid} "Call the client" from 2026-03-10 to 2026-03-12, 2 days later'),
        ("2026-03-04", "Tomás", events[1][2]),
        ("2026-03-05", "Diane", f'moved action {aid} "Call the client" from 2026-03-10 to 2026-03-11, 1 day later'),
    ]  # fmt: skip
    assert events[1][2].startswith("added talking point")
    # the merge records the hand resolution, and what else changed while merging, by the
    # one who resolved it
    assert events[3] == (
        "2026-03-06", "Diane", f'moved action {aid} "Call the client" from 2026-03-11 to 2026-03-13, 2 days later',
    )  # fmt: skip
    assert [(d, who) for d, who, _ in events[4:]] == [("2026-03-06", "Diane")]
    assert "Fees and costs" in events[4][2]


def test_a_renamed_file_keeps_its_history(cli, shared: Path):
    (shared / "record").mkdir()
    git(shared, "mv", "mentorship.yaml", "record/mentorship.yaml")
    git(shared, "commit", "-qm", "move", env=at("2026-03-04", MENTOR))
    cli("-f", "record/mentorship.yaml", "--as", "mentee", "agenda", "add", "Fees",
        env=at("2026-03-05", MENTEE))  # fmt: skip
    result = cli("-f", "record/mentorship.yaml", "history", "--json")
    events = [(e["when"][:10], e["who"], e["kind"]) for e in json.loads(result.stdout)["data"]]
    assert events[0] == ("2026-03-02", "Diane", "file.created")
    assert ("2026-03-03", "Tomás", "action.created") in events
    assert events[-1] == ("2026-03-05", "Tomás", "agenda.added")
    assert sum(1 for e in events if e[2] == "file.created") == 1


def test_a_cherry_pick_later_merged_and_a_rebase_are_counted_once(cli, shared: Path):
    git(shared, "checkout", "-qb", "side")
    run(cli, "2026-03-04", MENTEE, "agenda", "add", "Fees")
    picked = git(shared, "rev-parse", "HEAD").strip()
    run(cli, "2026-03-05", MENTEE, "agenda", "add", "Costs")
    git(shared, "checkout", "-q", "main")
    git(shared, "cherry-pick", picked, env={**os.environ, **at("2026-03-06", MENTOR)})
    run(cli, "2026-03-07", MENTOR, "action", "add", "Send templates", "--due", "2026-03-20")
    git(shared, "merge", "-q", "--no-edit", "side", env=at("2026-03-08", MENTOR))
    texts = [text for _, _, text in told(cli)]
    assert sum(t.endswith('"Fees"') for t in texts) == 1
    assert sum(t.endswith('"Costs"') for t in texts) == 1
    # a rebase: the side's commits replayed on main, the originals kept on a branch
    git(shared, "checkout", "-qb", "later")
    run(cli, "2026-03-09", MENTEE, "agenda", "add", "Mediation")
    git(shared, "branch", "-q", "original")
    git(shared, "checkout", "-q", "main")
    run(cli, "2026-03-10", MENTOR, "agenda", "add", "Expert report")
    git(shared, "checkout", "-q", "later")
    git(shared, "rebase", "-q", "main", env=at("2026-03-11", MENTEE))
    git(shared, "merge", "-q", "--no-edit", "original", env=at("2026-03-11", MENTEE))
    events = told(cli, "--since", "2026-03-09")
    assert [(d, who) for d, who, _ in events] == [("2026-03-09", "Tomás"), ("2026-03-10", "Diane")]


def test_each_measurement_line_shows_its_own_progress():
    from mentorkit.domain.meetings import since_last
    from mentorkit.file import storage

    m = storage.load(EXAMPLE).mentorship
    found = since_last(m, date(2026, 3, 2), "the start", date(2026, 11, 26))
    k7rd = [(c.measurement.value, c.progress.latest) for c in found.measurements if c.kpi.id == "k7rd"]  # fmt: skip
    assert k7rd == [(6, 6), (5, 5), (4, 4), (4, 4), (3, 3), (3, 3), (2, 2), (2, 2)]
    assert [c.progress.progress for c in found.measurements if c.kpi.id == "k7rd"][:3] == [
        0.0,
        0.2,
        0.4,
    ]


def test_times_in_the_readers_zone_and_filters_that_match_nothing(cli, shared: Path):
    tokyo = cli("history", "--tz", "Asia/Tokyo").stdout
    assert tokyo.startswith("times in Asia/Tokyo\n2026-03-02 19:00 JST  ")
    london = cli("--as", "mentee", "history").stdout
    assert london.startswith("times in Europe/London\n2026-03-02 10:00 GMT  ")
    assert _history(cli)[0]["when"] == "2026-03-02T10:00:00+00:00"  # JSON: ISO 8601, offset
    assert cli("history", "--item", "zzzz").stdout == "no events match these filters (of 2 in the history)\n"  # fmt: skip
    week = cli("--today", "2026-03-10", "history", "--since", "-1w", "--json")
    assert [e["kind"] for e in json.loads(week.stdout)["data"]] == ["action.created"]
    bad = cli("history", "--tz", "Mars/Olympus")
    assert bad.exit_code == 2 and "not a known time zone" in bad.stderr


def test_the_same_act_repeated_in_one_second_is_told_each_time(cli, shared: Path):
    a = action_id(cli, "Call the client")
    for verb in ("done", "reopen", "done", "reopen"):
        run(cli, "2026-03-04", MENTEE, "action", verb, a)  # each at 10:00:00 that day
    kinds = [e["kind"] for e in _history(cli, "--since", "2026-03-04")]
    assert len(kinds) == 4, kinds


def test_a_rebase_with_new_dates_is_still_counted_once(cli, shared: Path):
    git(shared, "checkout", "-qb", "side")
    run(cli, "2026-03-04", MENTEE, "agenda", "add", "Fees")
    git(shared, "checkout", "-q", "main")
    run(cli, "2026-03-05", MENTOR, "agenda", "add", "Costs")
    git(shared, "checkout", "-qb", "replayed", "side")
    git(shared, "rebase", "-q", "--ignore-date", "main", env=at("2026-03-06", MENTEE))
    git(shared, "checkout", "-q", "main")
    git(shared, "merge", "-q", "--no-edit", "side", env=at("2026-03-07", MENTOR))
    git(shared, "merge", "-q", "--no-edit", "replayed", env=at("2026-03-07", MENTOR))
    texts = [text for _, _, text in told(cli)]
    assert sum(t.endswith('"Fees"') for t in texts) == 1, texts


def test_the_cached_timeline_never_stands_in_for_another_file_or_commit(cli, shared: Path):
    first = told(cli)
    assert told(cli) == first  # answered from the cache
    (shared / "copy.yaml").write_text((shared / "mentorship.yaml").read_text(), encoding="utf-8")
    git(shared, "add", "copy.yaml")
    git(shared, "commit", "-qm", "a copy", env=at("2026-03-04", MENTOR))
    run(cli, "2026-03-05", MENTOR, "agenda", "add", "Fees")
    assert told(cli)[-1][2].endswith('"Fees"')  # HEAD moved: told afresh
    result = cli("-f", "copy.yaml", "history", "--json")
    copy = [(e["when"][:10], e["who"], e["text"]) for e in json.loads(result.stdout)["data"]]
    assert not any(text.endswith('"Fees"') for _, _, text in copy)
    assert copy[0][2].startswith("started the mentorship file")


def test_a_damaged_cache_is_set_aside_and_the_history_told_afresh(cli, shared: Path):
    run(cli, "2026-03-04", MENTOR, "agenda", "add", "Fees")
    first = _history(cli)
    folder = shared / ".git" / "mentorkit"
    pairs, timeline = (next(folder.glob(f"{name}-v*.json")) for name in ("history", "told"))
    saved = json.loads(timeline.read_text(encoding="utf-8"))
    saved["events"] = [row[:7] for row in saved["events"]]  # the same HEAD, rows cut short
    timeline.write_text(json.dumps(saved), encoding="utf-8")
    assert _history(cli) == first
    saved = json.loads(pairs.read_text(encoding="utf-8"))
    saved["pairs"] = {key: [[1, 2]] for key in saved["pairs"]}  # changes of another shape
    pairs.write_text(json.dumps(saved), encoding="utf-8")
    timeline.unlink()
    assert _history(cli) == first


def test_a_version_is_cut_from_the_one_before_as_if_cut_whole():
    from mentorkit.git.history import _chunks, _recut

    rng = random.Random(13)
    pieces = ["\n", " ", "- ", "x", "#", "\n- id: a\n", "\nkey: v\n", "  ", "\r\n", "\n\n"]
    text = EXAMPLE.read_text(encoding="utf-8")
    cut = _chunks(text)
    for _ in range(400):
        new = text
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(new) + 1)
            j = min(len(new), i + rng.choice([0, 1, 5, 40, 300]))
            new = new[:i] + rng.choice(pieces) * rng.randint(0, 3) + new[j:]
        new = rng.choice([new, new, new, "", EXAMPLE.read_text(encoding="utf-8")])
        again = _recut(text, cut, new)
        assert again == _chunks(new)
        text, cut = new, again


def test_a_change_at_the_end_of_a_long_text_is_shown():
    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    edited = copy.deepcopy(raw)
    edited["goals"][0]["why"] += " Not really."
    (change,) = compare(raw, edited)
    before, after = change[2].split(": ", 1)[1].split(" → ")
    assert before != after and after.endswith('Not really."'), change


def test_a_file_moved_and_much_changed_at_once_keeps_its_history(cli, shared: Path):
    (shared / "record").mkdir()
    git(shared, "mv", "mentorship.yaml", "record/mentorship.yaml")
    path = shared / "record" / "mentorship.yaml"
    notes = "".join(
        f"# note {i}: a long line that git will see as new content\n" for i in range(400)
    )
    path.write_text(path.read_text(encoding="utf-8") + notes, encoding="utf-8")
    git(shared, "add", "-A")
    git(shared, "commit", "-qm", "move and add notes", env=at("2026-03-04", MENTEE))
    result = cli("-f", "record/mentorship.yaml", "history", "--json")
    events = [(e["when"][:10], e["who"], e["kind"]) for e in json.loads(result.stdout)["data"]]
    assert events[0] == ("2026-03-02", "Diane", "file.created")
    assert ("2026-03-03", "Tomás", "action.created") in events
    assert sum(1 for e in events if e[2] == "file.created") == 1


def test_a_version_told_from_what_changed_reads_as_if_read_whole():
    """History reads a version from the chunks that changed since the one before; every
    edit, in the canonical layout or by hand, must read exactly as the two versions
    compared whole (or be left to that comparison)."""
    from mentorkit.file.yamltext import dump_raw
    from mentorkit.git.history import Versions, _patched, _quick, _Text

    rng = random.Random(7)
    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    texts = [dump_raw(raw), *(dump_raw(e[2]) for e in rng.sample(list(_edits(raw, rng)), 60))]
    pieces = ["\n", " ", "- ", "x", "#", "\n- id: a\n", "\nkey: v\n", "  ", "- id: zz\n  t: 1\n"]
    versions, whole, quick = Versions(), Versions(), 0
    for n in range(400):
        base = rng.choice(texts[:1] if n % 3 == 0 else texts)
        new = rng.choice(texts) if n % 2 else base
        for _ in range(0 if n % 2 else rng.randint(1, 2)):
            lines = [0, *(k + 1 for k, c in enumerate(new) if c == "\n")]
            margin = [k for k in lines if new[k : k + 1] == "-"]  # where list items start
            i = rng.choice([rng.choice(lines), rng.choice(margin), rng.randrange(len(new) + 1)])
            j = min(len(new), i + rng.choice([0, 1, 5, 40]))
            new = new[:i] + rng.choice(pieces) * rng.randint(0, 2) + new[j:]
        found = _quick(versions, _Text.cut(base.encode()), new.encode())
        if found is None:
            continue
        quick += 1
        new_raw = whole.parse(new.encode())
        assert new_raw is not None and whole.laid_out
        base_raw = whole.parse(base.encode())
        assert found[0] == compare(base_raw, new_raw), (base, new)
        assert found[1] == _Text.cut(new.encode())
        assert _patched(base_raw, found[2]) == new_raw
    assert quick > 60


def test_a_second_identical_measurement_is_recorded_not_reordered():
    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    edited = copy.deepcopy(raw)
    measurements = edited["goals"][0]["kpis"][0]["measurements"]
    measurements.append(dict(measurements[-1]))
    assert [c.kind for c in compare(raw, edited)] == ["kpi.measured"]
    edited = copy.deepcopy(raw)
    measurements = edited["goals"][0]["kpis"][0]["measurements"]
    measurements[0], measurements[1] = measurements[1], measurements[0]
    assert [c.kind for c in compare(raw, edited)] == ["kpi.changed"]


def test_history_is_in_commit_order_whatever_a_clock_said(cli, shared: Path):
    run(cli, "2026-02-20", MENTEE, "agenda", "add", "Fees")  # a clock two weeks behind
    run(cli, "2026-03-05", MENTOR, "agenda", "add", "Costs")
    events = told(cli)
    assert events[0][2].startswith("started the mentorship file")
    assert [(day, who) for day, who, _ in events[-2:]] == [
        ("2026-02-20", "Tomás"),
        ("2026-03-05", "Diane"),
    ]
    assert events[-2][2].endswith('"Fees"') and events[-1][2].endswith('"Costs"')


def test_a_change_inside_an_unreadable_version_is_credited_to_its_author(cli, shared: Path):
    aid = action_id(cli, "Call the client")
    path = shared / "mentorship.yaml"
    good = path.read_text(encoding="utf-8")
    assert "owner: mentee" in good
    broken = good.replace("owner: mentee", "owner: mentor")  # the mentee hands it over ...
    broken = broken.replace("title: Call the client", 'title: Call the client: "ch 1')  # ... and
    path.write_text(broken, encoding="utf-8")  # breaks the quoting in the same commit
    commit_all(shared, "2026-03-04", MENTEE, "hand it over")
    path.write_text(good.replace("owner: mentee", "owner: mentor"), encoding="utf-8")
    commit_all(shared, "2026-03-06", MENTOR, "fix the quote")
    assert told(cli, "--since", "2026-03-04") == [
        ("2026-03-04", "Tomás", "left the file unreadable"),
        ("2026-03-04", "Tomás", f'changed the owner of action {aid} "Call the client": '
                                '"mentee" → "mentor"'),
        ("2026-03-06", "Diane", "repaired the file"),
    ]  # fmt: skip


def test_a_meeting_held_off_the_schedule_is_counted_apart(cli, example: Path):
    def held() -> str:
        result = cli("--today", "2026-11-05", "stats", "--since", "2026-04-01")
        assert result.exit_code == 0, result.output
        return result.stdout.strip().splitlines()[-1]

    before = held()
    assert before == "meetings held 8 of 8 scheduled"
    result = cli("--as", "mentor", "--today", "2026-11-05", "--no-commit", "meeting", "log",
                 "--date", "2026-11-05", "--notes", "extra chat", "--no-input")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert held() == before + ", plus 1 extra"
    report = cli("--today", "2026-11-05", "report", "--format", "md", "--since", "2026-04-01",
                 "-o", "-")  # fmt: skip
    assert f"Meetings held: {before.removeprefix('meetings held ')}, plus 1 extra." in report.stdout
    data = json.loads(cli("--today", "2026-11-05", "stats", "--json").stdout)["data"]
    assert data["meetings_extra"] == 1 and data["meetings_held"] <= data["meetings_scheduled"]


def test_a_criss_cross_merge_tells_no_reorder_nobody_made(cli, shared: Path):
    def head() -> str:
        return git(shared, "rev-parse", "HEAD").strip()

    def merge(day: str, who: dict[str, str], rev: str) -> None:
        git(shared, "merge", "-q", "--no-edit", rev, env=at(day, who))

    git(shared, "checkout", "-qb", "a")
    run(cli, "2026-03-04", MENTOR, "agenda", "add", "A1")
    a1 = head()
    git(shared, "checkout", "-qb", "c", "main")
    run(cli, "2026-03-04", MENTEE, "agenda", "add", "C1")
    c1 = head()
    git(shared, "checkout", "-q", "a")
    merge("2026-03-05", MENTOR, c1)
    git(shared, "checkout", "-q", "c")
    merge("2026-03-05", MENTEE, a1)
    run(cli, "2026-03-06", MENTEE, "agenda", "add", "C2")
    git(shared, "checkout", "-q", "a")
    run(cli, "2026-03-06", MENTOR, "agenda", "add", "A2")
    assert len(git(shared, "merge-base", "--all", "a", "c").split()) == 2  # criss-cross
    merge("2026-03-07", MENTOR, "c")
    events = told(cli)
    assert not [e for e in events if "reordered" in e[2]], events
    added = [e[2].rsplit(" ", 1)[-1] for e in events if e[2].startswith("added talking point")]
    assert sorted(added) == ['"A1"', '"A2"', '"C1"', '"C2"']
    assert not [e for e in events if e[0] == "2026-03-07"]  # the last merge changed nothing


def test_history_and_diff_between_revisions_work_in_the_middle_of_a_conflict(cli, shared: Path):
    aid = action_id(cli, "Call the client")
    git(shared, "checkout", "-qb", "side")
    run(cli, "2026-03-04", MENTEE, "action", "move", aid, "2026-03-12")
    git(shared, "checkout", "-q", "main")
    run(cli, "2026-03-05", MENTOR, "action", "move", aid, "2026-03-11")
    merge = subprocess.run(["git", "merge", "-q", "side"], cwd=shared, capture_output=True,
                           env={**os.environ, **at("2026-03-06", MENTOR)})  # fmt: skip
    assert merge.returncode != 0
    assert "<<<<<<<" in (shared / "mentorship.yaml").read_text(encoding="utf-8")
    result = cli("history", "--json")
    assert result.exit_code == 0, result.output
    assert "cannot be read as it is now" in result.stderr
    told = [(e["who"], e["text"]) for e in json.loads(result.stdout)["data"]]
    assert told[-1][0] == "Diane" and "to 2026-03-11" in told[-1][1]
    diff = cli("diff", "HEAD~1", "HEAD")
    assert diff.exit_code == 0 and "to 2026-03-11" in diff.stdout, diff.output
    assert cli("diff", "HEAD").exit_code == 4  # against the file as it is: it must read


def test_dates_the_wrong_way_round_are_refused_in_one_sentence(cli, example: Path):
    for command in ("history", "stats"):
        result = cli(command, "--since", "2026-12-01", "--until", "2026-11-01")
        assert result.exit_code == 2, result.output
        assert "--since 2026-12-01 is after --until 2026-11-01" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_an_unknown_key_is_named_as_written():
    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    edited = copy.deepcopy(raw)
    edited["x_custom"] = 1
    edited["actions"][0]["my_note"] = "mine"
    texts = [text for _, _, text, *_ in compare(raw, edited)]
    assert any("the my_note of action" in t for t in texts), texts
    assert any("the x_custom of the file" in t for t in texts), texts
    edited = copy.deepcopy(raw)
    edited["actions"][0]["created_by"] = "mentor"
    assert "the created by of action" in compare(raw, edited)[0][2]


def test_a_due_date_changed_by_hand_is_a_move_in_stats_and_report_as_in_history(cli, shared: Path):
    aid = action_id(cli, "Call the client")
    path = shared / "mentorship.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("due: 2026-03-10") == 1
    path.write_text(text.replace("due: 2026-03-10", "due: 2026-03-24"), encoding="utf-8")
    commit_all(shared, "2026-03-09", MENTEE, "later")  # by hand, no `moves` record
    run(cli, "2026-03-12", MENTOR, "action", "move", aid, "2026-03-20")
    run(cli, "2026-03-21", MENTEE, "action", "done", aid)
    moved = [t for _, who, t in told(cli, "--item", aid) if "from 2026-03" in t]
    assert moved == [
        f'moved action {aid} "Call the client" from 2026-03-10 to 2026-03-24, 14 days later',
        f'brought forward action {aid} "Call the client" from 2026-03-24 to 2026-03-20, '
        "4 days earlier",
    ]
    result = cli("--today", "2026-03-25", "stats", "--json")
    assert result.exit_code == 0, result.output
    people = json.loads(result.stdout)["data"]["people"]
    mentee, mentor = people["mentee"], people["mentor"]
    assert (mentee["completed"], mentee["on_time"]) == (1, 0)  # late against 03-10
    assert (mentee["completed_after_moves"], mentee["moves_before_completion"]) == (1, 2)
    assert (mentee["due_dates_moved"], mentee["moved_later"], mentee["moved_earlier"]) == (1, 1, 0)
    assert (mentor["due_dates_moved"], mentor["moved_later"], mentor["moved_earlier"]) == (1, 0, 1)
    shown = cli("--today", "2026-03-25", "stats")
    assert "1 had their due date moved (2 moves in all)" in shown.stdout
    report = cli("--today", "2026-03-25", "report", "--format", "md", "-o", "-")
    assert report.exit_code == 0, report.output
    assert "0%" in report.stdout and "100%" not in report.stdout


def test_each_change_in_an_unreadable_stretch_stays_with_the_one_who_made_it(cli, shared: Path):
    run(cli, "2026-03-03", MENTOR, "action", "add", "Read book", "--due", "2026-03-20")
    aid, book = action_id(cli, "Call the client"), action_id(cli, "Read book")
    path = shared / "mentorship.yaml"
    good = path.read_text(encoding="utf-8")
    broken = good.replace("title: Call the client", "title: Call the client back")
    broken = broken.replace("title: Read book", 'title: Read book: "ch 1')
    path.write_text(broken, encoding="utf-8")
    commit_all(shared, "2026-03-04", MENTEE, "retitle, and break the book's title")
    path.write_text(broken.replace("due: 2026-03-20", "due: 2026-03-22"), encoding="utf-8")
    commit_all(shared, "2026-03-05", MENTOR, "book due later, still broken")
    repaired = good.replace("title: Call the client", "title: Call the client back")
    path.write_text(repaired.replace("due: 2026-03-20", "due: 2026-03-22"), encoding="utf-8")
    commit_all(shared, "2026-03-06", MENTEE, "fix the quote")
    assert told(cli, "--since", "2026-03-04") == [
        ("2026-03-04", "Tomás", "left the file unreadable"),
        ("2026-03-04", "Tomás", f'changed the title of action {aid} "Call the client back": '
                                '"Call the client" → "Call the client back"'),
        ("2026-03-05", "Diane", f'moved action {book} "Read book" from 2026-03-20 to 2026-03-22, '
                                "2 days later"),
        ("2026-03-06", "Tomás", "repaired the file"),
    ]  # fmt: skip


def test_a_merge_that_repairs_a_broken_branch_leaves_the_branchs_change_with_its_author(
    cli, shared: Path
):
    aid = action_id(cli, "Call the client")
    path = shared / "mentorship.yaml"
    good = path.read_text(encoding="utf-8")
    git(shared, "checkout", "-qb", "side")
    reassigned = good.replace("owner: mentee", "owner: mentor")
    path.write_text(reassigned.replace("title: Call the client", 'title: "Call the'), "utf-8")
    commit_all(shared, "2026-03-04", MENTEE, "reassign, and break the title")
    git(shared, "checkout", "-q", "main")
    run(cli, "2026-03-05", MENTOR, "agenda", "add", "Fees")
    subprocess.run(["git", "merge", "-q", "--no-commit", "--no-ff", "side"], cwd=shared,
                   capture_output=True, env={**os.environ, **at("2026-03-06", MENTOR)})  # fmt: skip
    ours = subprocess.run(["git", "show", "main:mentorship.yaml"], cwd=shared,
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    path.write_text(ours.replace("owner: mentee", "owner: mentor"), encoding="utf-8")
    git(shared, "add", "mentorship.yaml")
    git(shared, "commit", "-qm", "merge side, repaired", env=at("2026-03-06", MENTOR))
    events = told(cli, "--since", "2026-03-04")
    assert ("2026-03-04", "Tomás", f'changed the owner of action {aid} "Call the client": '
            '"mentee" → "mentor"') in events  # fmt: skip
    assert ("2026-03-06", "Diane", "repaired the file") in events
    assert [e for e in events if e[1] == "Diane" and "owner" in e[2]] == []


def test_a_file_removed_and_brought_back_is_compared_with_its_last_version(cli, shared: Path):
    aid = action_id(cli, "Call the client")
    run(cli, "2026-03-04", MENTOR, "agenda", "add", "Before it went")
    git(shared, "rm", "-q", "mentorship.yaml")
    git(shared, "commit", "-qm", "remove", env=at("2026-03-05", MENTOR))
    git(shared, "checkout", "HEAD~1", "--", "mentorship.yaml")
    path = shared / "mentorship.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("due: 2026-03-10", "due: 2026-03-11"), encoding="utf-8")
    git(shared, "commit", "-qam", "bring it back", env=at("2026-03-06", MENTEE))
    assert told(cli, "--since", "2026-03-05") == [
        ("2026-03-05", "Diane", "removed the mentorship file"),
        ("2026-03-06", "Tomás", "brought back the mentorship file"),
        ("2026-03-06", "Tomás", f'moved action {aid} "Call the client" from 2026-03-10 to '
                                "2026-03-11, 1 day later"),
    ]  # fmt: skip


def test_a_persons_commits_under_an_earlier_email_keep_their_role(cli, shared: Path):
    run(cli, "2026-03-04", MENTEE, "agenda", "add", "Under the old email")
    path = shared / "mentorship.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("tomas@example.co.uk", "tomas@newfirm.co.uk"), encoding="utf-8")
    moved = {**MENTEE, "GIT_AUTHOR_EMAIL": "tomas@newfirm.co.uk"}
    commit_all(shared, "2026-03-05", moved, "new email")
    mine = _history(cli, "--who", "mentee", "--since", "2026-03-04")
    assert [(e["role"], e["text"]) for e in mine] == [
        ("mentee", next(e["text"] for e in mine if "Under the old email" in e["text"])),
        ("mentee", 'changed the mentee.email of the people: "tomas@example.co.uk" → '
                   '"tomas@newfirm.co.uk"'),
    ]  # fmt: skip


def test_diff_refuses_a_version_that_cannot_be_read(cli, shared: Path):
    path = shared / "mentorship.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("title: Call the client", 'title: "Call'), encoding="utf-8")
    commit_all(shared, "2026-03-04", MENTEE, "broken")
    path.write_text(good.replace("title: Call the client", 'title: "Call it'), encoding="utf-8")
    commit_all(shared, "2026-03-05", MENTOR, "still broken")
    path.write_text(good, encoding="utf-8")
    commit_all(shared, "2026-03-06", MENTOR, "repaired")
    for old, new, bad in (("HEAD~3", "HEAD~2", "HEAD~2"), ("HEAD~2", "HEAD~1", "HEAD~2"),
                          ("HEAD~1", "HEAD", "HEAD~1")):  # fmt: skip
        result = cli("diff", old, new)
        assert result.exit_code == 4, result.output
        assert result.stderr.strip().splitlines() == [
            f"error: mentorship.yaml at {bad} cannot be read (see `mentorkit history` for who "
            "left it so); compare two readable versions"
        ]
        assert result.stdout == ""


def test_a_pinned_day_ends_the_history_and_who_takes_a_name_or_an_email(cli, shared: Path):
    run(cli, "2026-03-04", MENTOR, "agenda", "add", "Before")
    run(cli, "2026-03-09", MENTEE, "agenda", "add", "After")
    pinned = cli("--today", "2026-03-05", "history", "--json", "--since", "-1w")
    assert pinned.exit_code == 0, pinned.output
    texts = [e["text"] for e in json.loads(pinned.stdout)["data"]]
    assert any("Before" in t for t in texts) and not any("After" in t for t in texts)
    by_role = _history(cli, "--who", "mentee")
    assert by_role and {e["role"] for e in by_role} == {"mentee"}
    for name in ("Tomás Okonkwo-Reyes", "tomás", "TOMAS@example.co.uk"):
        assert _history(cli, "--who", name) == by_role
    wrong = cli("history", "--who", "Nobody")
    assert wrong.exit_code == 2
    assert "neither mentor nor mentee, nor the name or email" in wrong.stderr


def test_a_title_or_reason_worded_like_a_move_counts_no_move(cli, shared: Path):
    """What stats and report count is read from each move's dates, not from its sentence."""
    aid = action_id(cli, "Call the client")
    forged = "from 2026-01-01 to 2026-12-31, 364 days later"
    run(cli, "2026-03-04", MENTEE, "action", "edit", aid, "--title", f"Call ({forged})")
    run(cli, "2026-03-05", MENTEE, "action", "move", aid, "2026-03-12",
        "--reason", f"busy) {forged} (because: busy")  # fmt: skip
    run(cli, "2026-03-11", MENTEE, "action", "done", aid)
    (moved,) = [e for e in _history(cli) if e["kind"] == "action.moved"]
    assert (moved["field"], moved["was"], moved["now"]) == ("due", "2026-03-10", "2026-03-12")
    result = cli("--today", "2026-03-25", "stats", "--json")
    assert result.exit_code == 0, result.output
    mentee = json.loads(result.stdout)["data"]["people"]["mentee"]
    assert (mentee["completed"], mentee["on_time"]) == (1, 0)  # late against 03-10
    assert (mentee["completed_after_moves"], mentee["moves_before_completion"]) == (1, 1)
    assert (mentee["due_dates_moved"], mentee["moved_later"], mentee["moved_earlier"]) == (1, 1, 0)


def test_history_json_carries_each_fields_values_before_and_after(cli, shared: Path):
    aid = action_id(cli, "Call the client")
    run(cli, "2026-03-04", MENTEE, "action", "edit", aid, "--title", "Call the clients")
    run(cli, "2026-03-05", MENTOR, "action", "move", aid, "2026-03-09")
    run(cli, "2026-03-06", MENTEE, "action", "done", aid)
    path = shared / "mentorship.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("tomas@example.co.uk", "tomas@newfirm.co.uk"), encoding="utf-8")
    commit_all(shared, "2026-03-07", MENTEE, "new email")
    events = _history(cli, "--since", "2026-03-04")
    assert [(e["kind"], e["item"], e["field"], e["was"], e["now"]) for e in events] == [
        ("action.changed", aid, "title", "Call the client", "Call the clients"),
        ("action.moved", aid, "due", "2026-03-10", "2026-03-09"),
        ("action.completed", aid, "status", "open", "done"),
        ("people.changed", None, "mentee.email", "tomas@example.co.uk", "tomas@newfirm.co.uk"),
    ]
    started = _history(cli, "--until", "2026-03-02")
    assert started[0]["kind"] == "file.created" and started[0]["field"] is None
    diff = cli("diff", "HEAD~1", "HEAD", "--json")
    assert json.loads(diff.stdout)["data"] == [
        {"kind": "people.changed", "item": None, "field": "mentee.email",
         "text": 'changed the mentee.email of the people: "tomas@example.co.uk" → '
                 '"tomas@newfirm.co.uk"',
         "was": "tomas@example.co.uk", "now": "tomas@newfirm.co.uk"},
    ]  # fmt: skip


# --------------------------------------------------------------------------- two clones


def _told_in(cli, folder: Path) -> list[dict[str, Any]]:
    result = cli("-f", str(folder / "mentorship.yaml"), "history", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["data"]


def _ok(cli, folder: Path, *args: str) -> None:
    result = run_in(cli, folder, *args)
    assert result.exit_code == 0, (args, result.output)


def test_a_cherry_pick_re_authored_by_the_other_person_and_later_merged_is_told_once(
    cli, isolated: Path
):
    mentor, mentee = clone_pair(cli, isolated)
    _ok(cli, mentee, "git", "setup")
    git(mentor, "checkout", "-qb", "side")
    _ok(cli, mentor, "--as", "mentor", "agenda", "add", "Twice")
    git(mentor, "push", "-q", "origin", "side")
    git(mentor, "checkout", "-q", "main")
    _ok(cli, mentee, "--as", "mentee", "agenda", "add", "Other")
    git(mentee, "fetch", "-q")
    git(mentee, "cherry-pick", "origin/side")  # the mentee takes the point over as his own
    git(mentee, "commit", "-q", "--amend", "--reset-author", "--no-edit")
    assert git(mentee, "log", "-1", "--format=%ae").strip() == "tomas.okonkwo@example.co.uk"
    git(mentee, "push", "-q", "origin", "main")
    git(mentor, "pull", "-q", "--no-rebase", "origin", "main")
    git(mentor, "merge", "-q", "--no-edit", "side")
    assert (mentor / "mentorship.yaml").read_text(encoding="utf-8").count("Twice") == 1
    twice = [(e["who"], e["role"]) for e in _told_in(cli, mentor) if e["text"].endswith('"Twice"')]
    assert twice == [("Diane", "mentor")]
    other = [(e["who"], e["role"]) for e in _told_in(cli, mentor) if e["text"].endswith('"Other"')]
    assert other == [("Tomás", "mentee")]


def _both_then_resolved(
    cli, isolated: Path, by_mentor: list[str], by_mentee: list[str], resolve
) -> Path:
    """The mentor's change synced first, the mentee's conflicting with it, resolved by
    hand in the mentee's clone (`resolve` edits the text with the conflict markers)."""
    mentor, mentee = clone_pair(cli, isolated)
    _ok(cli, mentee, "git", "setup")
    _ok(cli, mentor, "--as", "mentor", *by_mentor)
    _ok(cli, mentor, "sync")
    _ok(cli, mentee, "--as", "mentee", *by_mentee)
    assert run_in(cli, mentee, "sync").exit_code == 6  # a conflict
    path = mentee / "mentorship.yaml"
    path.write_text(resolve(path.read_text(encoding="utf-8")), encoding="utf-8")
    _ok(cli, mentee, "sync", "--continue")
    assert len(git(mentee, "log", "-1", "--format=%P").split()) == 2  # a merge
    return mentee


def test_a_hand_resolved_merge_does_not_credit_the_resolver_with_the_other_sides_move(
    cli, isolated: Path
):
    mentee = _both_then_resolved(
        cli, isolated, ["action", "move", "a2tw", "2026-12-08", "--reason", "sick"],
        ["action", "move", "a2tw", "2026-12-09"],
        lambda text: take(text, "theirs").replace("due: 2026-12-08", "due: 2026-12-10"),
    )  # fmt: skip
    merge = git(mentee, "rev-parse", "HEAD").strip()
    events = _told_in(cli, mentee)
    title = "Draft the demand letter with the medical special damages schedule"
    moved = [(e["role"], e["text"]) for e in events if e["kind"] == "action.moved"]
    assert moved == [
        ("mentor", f'moved action a2tw "{title}" from 2026-11-13 to 2026-12-08, 25 days later (because: sick)'),
        ("mentee", f'moved action a2tw "{title}" from 2026-11-13 to 2026-12-09, 26 days later'),
        ("mentee", f'moved action a2tw "{title}" from 2026-12-09 to 2026-12-10, 1 day later'),
    ]  # fmt: skip
    at_merge = [e["text"] for e in events if e["commit"] == merge]
    assert at_merge == [
        moved[2][1],  # the date the resolver chose, and the record of his own move he left out
        f'removed "was: 2026-11-13, moved: 2026-11-26, by: mentee" from moves of action a2tw "{title}"',
    ]  # fmt: skip


def test_a_hand_resolved_merge_does_not_record_the_other_sides_measurement_as_the_resolvers(
    cli, isolated: Path
):
    markers = ("<<<<<<<", "=======", ">>>>>>>")  # both values kept
    mentee = _both_then_resolved(
        cli, isolated, ["kpi", "record", "k7rd", "2", "--date", "2026-11-25"],
        ["kpi", "record", "k7rd", "5", "--date", "2026-11-25"],
        lambda text: "\n".join(x for x in text.split("\n") if not x.startswith(markers)),
    )  # fmt: skip
    merge = git(mentee, "rev-parse", "HEAD").strip()
    events = _told_in(cli, mentee)
    recorded = [(e["role"], e["now"]["value"]) for e in events
                if e["kind"] == "kpi.measured" and e["now"]["date"] == "2026-11-25"]  # fmt: skip
    assert recorded == [("mentor", 2), ("mentee", 5)]  # each by the one who recorded it
    assert [e["text"] for e in events if e["commit"] == merge] == []  # nothing of the resolver's


def test_a_command_move_then_a_hand_edit_of_the_due_date_counts_the_two_moves_history_tells(
    cli, shared: Path
):
    """The file's `moves` record is not a third move from its date to today's due date."""
    aid = action_id(cli, "Call the client")
    run(cli, "2026-03-05", MENTEE, "action", "move", aid, "2026-03-12", "--reason", "exams")
    path = shared / "mentorship.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("due: 2026-03-12", "due: 2026-03-14"), encoding="utf-8")
    commit_all(shared, "2026-03-06", MENTOR, "later")
    run(cli, "2026-03-14", MENTEE, "action", "done", aid)
    moved = [(e["role"], e["was"], e["now"]) for e in _history(cli) if e["kind"] == "action.moved"]
    assert moved == [("mentee", "2026-03-10", "2026-03-12"), ("mentor", "2026-03-12", "2026-03-14")]
    result = cli("--today", "2026-03-20", "stats", "--json")
    assert result.exit_code == 0, result.output
    people = json.loads(result.stdout)["data"]["people"]
    mentee, mentor = people["mentee"], people["mentor"]
    assert (mentee["completed_after_moves"], mentee["moves_before_completion"]) == (1, 2)
    assert (mentee["due_dates_moved"], mentee["moved_later"], mentee["moved_earlier"]) == (1, 1, 0)
    assert (mentor["due_dates_moved"], mentor["moved_later"], mentor["moved_earlier"]) == (1, 1, 0)


def test_a_shallow_clone_says_where_its_history_starts_and_credits_nobody_with_what_came_before(
    cli, isolated: Path
):
    mentor, mentee = clone_pair(cli, isolated)
    _ok(cli, mentor, "--as", "mentor", "agenda", "add", "One")
    _ok(cli, mentor, "sync")
    _ok(cli, mentee, "git", "setup")
    _ok(cli, mentee, "sync")
    _ok(cli, mentee, "--as", "mentee", "agenda", "add", "Two")
    _ok(cli, mentee, "sync")
    shallow = isolated / "shallow"
    remote = (isolated / "remote.git").as_uri()
    subprocess.run(["git", "clone", "-q", "--depth", "2", remote, str(shallow)], check=True)
    assert git(shallow, "rev-parse", "--is-shallow-repository").strip() == "true"
    events = _told_in(cli, shallow)
    assert [(e["who"], e["kind"]) for e in events] == [
        ("Diane", "history.shallow"),
        ("Tomás", "agenda.added"),
    ]
    assert "not fetched" in events[0]["text"]
    shown = cli("-f", str(shallow / "mentorship.yaml"), "history")
    assert shown.exit_code == 0, shown.output
    assert "git fetch --unshallow" in shown.stderr
    assert "set goal" not in shown.stdout
    git(shallow, "fetch", "-q", "--unshallow")
    again = _told_in(cli, shallow)
    assert again[0]["kind"] == "file.created" and len(again) > 10
    assert not any(e["kind"] == "history.shallow" for e in again)


def test_a_version_over_the_size_limit_is_one_unreadable_event_and_is_never_parsed(
    cli, isolated: Path, monkeypatch
):
    from mentorkit.file.storage import MAX_BYTES
    from mentorkit.git import history

    mentor, _ = clone_pair(cli, isolated)
    path = mentor / "mentorship.yaml"
    good = path.read_text(encoding="utf-8")
    points = "".join(
        f"- id: z{i:05d}\n  text: point number {i} padded to make the file larger\n"
        f"  added_by: mentee\n  added: 2026-11-12\n  status: open\n"
        for i in range(7000)
    )
    path.write_text(good + points, encoding="utf-8")
    assert path.stat().st_size > MAX_BYTES
    commit_all(mentor, "2026-11-13", MENTEE, "many points")
    path.write_text(good.replace("Mediation strategy", "Mediation plan"), encoding="utf-8")
    commit_all(mentor, "2026-11-14", MENTOR, "back to size")
    parsed: list[int] = []
    parse = history.Versions.parse
    monkeypatch.setattr(
        history.Versions, "parse", lambda s, d: parsed.append(len(d)) or parse(s, d)
    )
    events = _told_in(cli, mentor)
    assert parsed and max(parsed) <= MAX_BYTES
    last_two = git(mentor, "rev-list", "-2", "HEAD").split()
    late = [(e["who"], e["kind"]) for e in events if e["commit"] in last_two]
    assert late == [
        ("Tomás", "file.unreadable"),
        ("Diane", "file.repaired"),
        ("Diane", "agenda.changed"),
    ]


def test_events_of_one_commit_come_in_file_order_in_every_run_and_clone(cli, isolated: Path):
    import sys

    mentor, mentee = clone_pair(cli, isolated)
    path = mentor / "mentorship.yaml"
    text = path.read_text(encoding="utf-8")
    feedback, meetings, agenda = (
        text.index(f"\n{k}:\n") for k in ("feedback", "meetings", "agenda")
    )
    path.write_text(
        text[:feedback] + "\nfeedback: []" + text[meetings:agenda] + "\nagenda: []\n",
        encoding="utf-8",
    )
    commit_all(mentor, "2026-11-20", MENTEE, "cleared")
    git(mentor, "push", "-q", "origin", "main")
    git(mentee, "pull", "-q")
    head, seen = git(mentor, "rev-parse", "HEAD").strip(), []
    for folder, seed in [(mentor, "1"), (mentor, "2"), (mentee, "3"), (mentee, "4")]:
        shutil.rmtree(folder / ".git" / "mentorkit", ignore_errors=True)
        result = subprocess.run(
            [sys.executable, "-m", "mentorkit", "history", "--json"],
            cwd=folder, capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )  # fmt: skip
        events = json.loads(result.stdout)["data"]
        seen.append([(e["item"], e["text"]) for e in events if e["commit"] == head])
    assert seen[0] == seen[1] == seen[2] == seen[3]
    removed = [item for item, _ in seen[0]]
    in_file = [
        line.split()[-1] for line in text[feedback:].splitlines() if line.startswith("- id:")
    ]
    assert removed == [i for i in in_file if i in removed] and len(removed) == 8


@pytest.mark.parametrize(
    ("old", "new", "told"),
    [
        ("      note: Only the damages section needed rework\n", "",
         ("kpi.corrected", 'corrected the 2026-10-02 measurement of KPI k7rd "Major revisions '
          'per liability memo": the note "Only the damages section needed rework" → (none)')),
        ("stays between us.", "stays with us.",
         ("agreement.changed", 'changed the rule confidentiality: "…ut colleagues stays between '
          'us." → "…ut colleagues stays with us."')),
        ("reason: Diane in trial on the 7th", "reason: Diane sick",
         ("schedule.changed", "changed the reason of the schedule change of 2026-07-07 (moved): "
          '"Diane in trial on the 7th" → "Diane sick"')),
        ("    mentee: 2026-03-03\n", "    mentee: 2026-03-04\n",
         ("agreement.changed", "changed the date the mentee agreed to the ground rules: "
          "2026-03-03 → 2026-03-04")),
    ],
)  # fmt: skip
def test_a_hand_edit_is_told_as_the_change_it_is_with_its_values(
    cli, isolated: Path, old: str, new: str, told: tuple[str, str]
):
    mentor, _ = clone_pair(cli, isolated)
    path = mentor / "mentorship.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    commit_all(mentor, "2026-11-20", MENTEE, "by hand")
    result = cli("-f", str(path), "diff", "HEAD~1", "--json")
    assert result.exit_code == 0, result.output
    (event,) = json.loads(result.stdout)["data"]
    assert (event["kind"], event["text"]) == told
    assert event["was"] is not None and event["now"] is not None and event["was"] != event["now"]
    shown = _told_in(cli, mentor)[-1]
    assert (shown["kind"], shown["text"], shown["who"]) == (*told, "Tomás")


def _title_changes(events: list[dict[str, Any]], item: str) -> list[tuple[str, str, str, str]]:
    return [(e["who"], e["role"], e["was"], e["now"]) for e in events
            if e["item"] == item and e["field"] == "title"]  # fmt: skip


def _merge_side_keeping_ours(mentor: Path) -> None:
    """The other person's branch merged; its conflict (the title again) resolved as ours."""
    merged = subprocess.run(["git", "merge", "-q", "--no-edit", "origin/side"], cwd=mentor,
                            capture_output=True, text=True)  # fmt: skip
    assert merged.returncode != 0
    path = mentor / "mentorship.yaml"
    path.write_text(take(path.read_text(encoding="utf-8"), "ours"), encoding="utf-8")
    git(mentor, "add", "mentorship.yaml")
    git(mentor, "commit", "-q", "--no-edit")


def test_a_hand_resolved_cherry_pick_credits_the_resolution_to_who_resolved_it(cli, isolated: Path):
    """The picked change stays its author's, told once when its branch is merged too; what
    the person resolving the conflict made of it is theirs."""
    mentor, mentee = clone_pair(cli, isolated)
    _ok(cli, mentee, "git", "setup")
    git(mentee, "checkout", "-qb", "side")
    _ok(cli, mentee, "--as", "mentee", "action", "edit", "a2tw", "--title", "Read the letter")
    _ok(cli, mentee, "--as", "mentee", "agenda", "add", "Costs")
    git(mentee, "push", "-q", "origin", "side")
    _ok(cli, mentor, "--as", "mentor", "action", "edit", "a2tw", "--title", "Read it twice")
    git(mentor, "fetch", "-q")
    picked = subprocess.run(["git", "cherry-pick", "-x", "origin/side~1"], cwd=mentor,
                            capture_output=True, text=True)  # fmt: skip
    assert picked.returncode != 0, picked.stdout  # both retitled the action
    path = mentor / "mentorship.yaml"
    resolved = take(path.read_text(encoding="utf-8"), "ours")
    path.write_text(resolved.replace("title: Read it twice", "title: Read the letter twice"))
    git(mentor, "add", "mentorship.yaml")
    git(mentor, "-c", "core.editor=true", "cherry-pick", "--continue")
    pick = git(mentor, "rev-parse", "HEAD").strip()
    assert git(mentor, "log", "-1", "--format=%an|%cn").strip() == "Tomás|Diane"
    first = "Draft the demand letter with the medical special damages schedule"
    resolution = ("Diane", "mentor", "Read it twice", "Read the letter twice")
    ours = ("Diane", "mentor", first, "Read it twice")
    events = _told_in(cli, mentor)
    assert _title_changes(events, "a2tw") == [ours, resolution]
    assert [(e["who"], e["kind"]) for e in events if e["commit"] == pick] == [
        ("Diane", "action.changed")
    ]
    _merge_side_keeping_ours(mentor)
    events = _told_in(cli, mentor)
    theirs = ("Tomás", "mentee", first, "Read the letter")
    assert sorted(_title_changes(events, "a2tw")) == sorted([theirs, ours, resolution])
    assert [e["who"] for e in events if e["text"].endswith('"Costs"')] == ["Tomás"]
    assert [(e["who"], e["kind"]) for e in events if e["commit"] == pick] == [
        ("Diane", "action.changed")
    ]


def test_a_merge_of_two_separately_started_histories_tells_each_change_once(cli, isolated: Path):
    """Both people ran `init` on their own, then merged: what both histories hold is told
    once, by whoever did it first; what only the later start holds and the merge kept (the
    mentee's agreement) is told once, as the mentee's; the merge tells what it changed
    beyond its parents."""
    remote = isolated / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    folders = {}
    for role, who, day, point in (("mentor", MENTOR, "2026-03-02", "Fees"),
                                  ("mentee", MENTEE, "2026-03-03", "Costs")):  # fmt: skip
        folder = folders[role] = isolated / role
        folder.mkdir()
        git(folder, "init", "-q", "-b", "main")
        path = str(folder / "mentorship.yaml")
        started = cli("-f", path, "--as", role, "init", "--no-input", *INIT_FLAGS, env=at(day, who))
        assert started.exit_code == 0, started.output
        added = cli("-f", path, "--as", role, "agenda", "add", point, env=at(day, who))
        assert added.exit_code == 0, added.output
    git(folders["mentee"], "push", "-q", remote.as_uri(), "main")
    mentor = folders["mentor"]
    git(mentor, "fetch", "-q", remote.as_uri(), "main:theirs")
    merged = subprocess.run(
        ["git", "merge", "-q", "--no-edit", "--allow-unrelated-histories", "theirs"],
        cwd=mentor, capture_output=True, text=True, env={**os.environ, **at("2026-03-04", MENTOR)},
    )  # fmt: skip
    assert merged.returncode != 0  # the file's id differs
    path = mentor / "mentorship.yaml"
    text = take(path.read_text(encoding="utf-8"), "ours").replace("text: Fees", "text: Fees due")
    path.write_text(text, encoding="utf-8")
    git(mentor, "add", "mentorship.yaml")
    git(mentor, "commit", "-q", "--no-edit", env=at("2026-03-04", MENTOR))
    merge = git(mentor, "rev-parse", "HEAD").strip()
    events = _told_in(cli, mentor)
    assert [(e["when"][:10], e["who"], e["kind"]) for e in events] == [
        ("2026-03-02", "Diane", "file.created"),
        ("2026-03-02", "Diane", "agenda.added"),
        ("2026-03-03", "Tomás", "agenda.added"),
        ("2026-03-03", "Tomás", "agreement.agreed"),
        ("2026-03-04", "Diane", "agenda.changed"),
    ]
    assert events[2]["text"].endswith('"Costs"') and events[4]["commit"] == merge
    assert events[3]["text"] == "recorded that the mentee agreed to the ground rules"
    assert (events[4]["was"], events[4]["now"]) == ("Fees", "Fees due")
    # the file's ID kept as the mentor's start had it: no change of it is told; merged
    # again, nothing is told twice
    _ok(cli, folders["mentee"], "--as", "mentee", "agenda", "add", "Later")
    git(folders["mentee"], "push", "-q", remote.as_uri(), "main")
    git(mentor, "pull", "-q", "--no-rebase", remote.as_uri(), "main", env=at("2026-03-05", MENTOR))
    again = _told_in(cli, mentor)
    assert [e["text"] for e in again][:5] == [e["text"] for e in events]
    assert [e["text"] for e in again][5:] == [
        "added talking point " + again[5]["item"] + ' "Later"'
    ]


def test_every_command_that_reads_the_history_says_once_where_a_shallow_clone_starts(
    cli, isolated: Path
):
    mentor, _ = clone_pair(cli, isolated)
    _ok(cli, mentor, "--as", "mentor", "agenda", "add", "One")
    _ok(cli, mentor, "--as", "mentor", "agenda", "add", "Two")
    _ok(cli, mentor, "sync")
    shallow = isolated / "shallow"
    remote = (isolated / "remote.git").as_uri()
    subprocess.run(["git", "clone", "-q", "--depth", "2", remote, str(shallow)], check=True)
    path = str(shallow / "mentorship.yaml")
    note = "is not in this clone (a shallow clone); `git fetch --unshallow` to see it"
    for args in (["history"], ["checkin", "--no-input"], ["stats"], ["report", "--format", "md"]):
        result = cli("-f", path, "--as", "mentee", "--today", "2026-11-26", *args)
        assert result.exit_code == 0, (args, result.output)
        assert result.stderr.count(note) == 1, (args, result.stderr)
        assert note not in result.stdout, args


def test_checkin_tells_each_change_on_its_day_in_the_readers_zone(cli, repo: Path):
    """Late on the day of the meeting in Chicago is the next morning in London; after the
    meeting for both."""
    late = {"GIT_AUTHOR_DATE": "2026-11-03T20:00:00-06:00",
            "GIT_COMMITTER_DATE": "2026-11-03T20:00:00-06:00"}  # fmt: skip
    added = cli("--as", "mentor", "agenda", "add", "Court fees", env={**MENTOR, **late})
    assert added.exit_code == 0, added.output
    line = "added talking point"
    for role, shown in (("mentee", ["2026-11-04 mentor: "]), ("mentor", ["2026-11-03 mentor: "])):
        result = cli("--as", role, "--today", "2026-11-26", "checkin", "--no-input")
        assert result.exit_code == 0, result.output
        assert "Since the meeting of 2026-11-03" in result.stdout
        found = [x.strip()[: x.strip().index(line)] for x in result.stdout.splitlines()
                 if line in x and "Court fees" in x]  # fmt: skip
        assert found == [f"• {s}" for s in shown], (role, result.stdout)


def test_a_meeting_moved_again_or_cancelled_after_a_move_is_told_as_what_it_was(cli, repo: Path):
    """Not as a new move and a removed one: the meeting is still moved, now elsewhere."""
    for args in (["schedule", "move", "2026-07-07", "2026-07-08T10:00", "--reason", "court"],
                 ["schedule", "cancel", "2026-07-07", "--reason", "trial"]):  # fmt: skip
        result = cli("--as", "mentor", "--today", "2026-06-01", *args)
        assert result.exit_code == 0, result.output
    path = repo / "mentorship.yaml"
    text = path.read_text(encoding="utf-8")
    moved = "  - kind: moved\n    date: 2026-08-04\n    to: 2026-08-05T10:00\n"
    path.write_text(text.replace("  changes:\n", f"  changes:\n{moved}"), encoding="utf-8")
    git(repo, "commit", "-qam", "by hand")
    path.write_text(text.replace("  changes:\n", f"  changes:\n{moved[:-6]}11:30\n"))
    git(repo, "commit", "-qam", "by hand")
    told = [e["text"] for e in _history(cli)][-4:]
    assert told == [
        "moved the meeting of 2026-07-07 (moved to 2026-07-09 10:00) to 2026-07-08 10:00: court",
        "cancelled the meeting of 2026-07-07 (moved to 2026-07-08 10:00): trial",
        "moved the meeting of 2026-08-04 to 2026-08-05 10:00",
        "moved the meeting of 2026-08-04 (moved to 2026-08-05 10:00) to 2026-08-05 11:30",
    ]


def test_a_text_entry_rewritten_in_its_place_is_told_as_changed(cli, repo: Path):
    """The first entry and the last rewritten in place are both told as changed."""
    path = repo / "mentorship.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in (("Mark the client communication goal achieved", "Mark the goal achieved"),
                     ("Drop the adjuster introduction for now", "Drop the adjuster call")):  # fmt: skip
        text = text.replace(f"  - {old}\n", f"  - {new}\n")
        path.write_text(text, encoding="utf-8")
        git(repo, "commit", "-qam", "by hand")
    commits = git(repo, "log", "-2", "--format=%H").split()[::-1]
    events = [[e for e in _history(cli) if e["commit"] == c] for c in commits]
    where = "the decisions of the meeting log m5vg of 2026-09-01"
    assert [[(e["text"], e["was"], e["now"]) for e in told] for told in events] == [
        [(f'changed an entry of {where}: "Mark the client communication goal achieved" → '
          '"Mark the goal achieved"', "Mark the client communication goal achieved",
          "Mark the goal achieved")],
        [(f'changed an entry of {where}: "Drop the adjuster introduction for now" → '
          '"Drop the adjuster call"', "Drop the adjuster introduction for now",
          "Drop the adjuster call")],
    ]  # fmt: skip


def _moves_counted(cli, role: str) -> int:
    result = cli("--today", "2026-03-30", "stats", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["data"]["people"][role]["due_dates_moved"]


def test_a_change_reached_by_two_paths_is_told_once_though_the_title_differs_on_them(
    cli, shared: Path
):
    aid = action_id(cli, "Call the client")
    git(shared, "checkout", "-qb", "side")
    run(cli, "2026-03-04", MENTEE, "action", "move", aid, "2026-03-17", "--reason", "exams")
    run(cli, "2026-03-04", MENTEE, "agenda", "add", "Side point")
    git(shared, "checkout", "-q", "main")
    run(cli, "2026-03-05", MENTOR, "action", "edit", aid, "--title", "Call the client twice")
    git(shared, "cherry-pick", "-x", "side~1", env={**os.environ, **at("2026-03-05", MENTOR)})
    git(shared, "merge", "-q", "--no-edit", "side", env=at("2026-03-06", MENTOR))
    moves = [(who, text) for _, who, text in told(cli) if "2026-03-17" in text]
    assert moves == [
        ("Tomás", f'moved action {aid} "Call the client" from 2026-03-10 to 2026-03-17, '
                  "7 days later (because: exams)")
    ]  # fmt: skip
    assert _moves_counted(cli, "mentee") == 1
    # a rebase of the other person's branch, its original merged later
    git(shared, "checkout", "-qb", "later")
    run(cli, "2026-03-07", MENTEE, "action", "edit", aid, "--owner", "mentor")
    git(shared, "branch", "-q", "original")
    git(shared, "checkout", "-q", "main")
    run(cli, "2026-03-08", MENTOR, "action", "edit", aid, "--title", "Call the client at last")
    git(shared, "checkout", "-q", "later")
    git(shared, "rebase", "-q", "main", env=at("2026-03-09", MENTOR))
    git(shared, "checkout", "-q", "main")
    git(shared, "merge", "-q", "--ff-only", "later")
    git(shared, "merge", "-q", "--no-edit", "original", env=at("2026-03-10", MENTOR))
    owners = [(who, text) for _, who, text in told(cli) if "owner" in text]
    assert [who for who, _ in owners] == ["Tomás"], owners


def test_history_and_diff_work_when_the_last_commit_holds_an_unreadable_file(cli, isolated: Path):
    mentor, mentee = clone_pair(cli, isolated)
    _ok(cli, mentee, "--as", "mentee", "agenda", "add", "Before the break")
    path = mentee / "mentorship.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Before the break", '"Before the'),
                    encoding="utf-8")  # fmt: skip
    git(mentee, "commit", "-q", "--no-verify", "-am", "typo", env=at("2026-11-25", MENTEE))
    git(mentee, "push", "-q", "origin", "main")
    git(mentor, "pull", "-q", "--no-rebase", "origin", "main")
    for folder in (mentor, mentee):
        where = ["-f", str(folder / "mentorship.yaml")]
        result = cli(*where, "history")
        assert result.exit_code == 0, result.output
        assert "left the file unreadable" in result.stdout
        assert "taken from the last commit that can be read" in result.stderr
        events = _told_in(cli, folder)
        assert [(e["who"], e["text"]) for e in events[-1:]] == [
            ("Tomás", "left the file unreadable")
        ]
        between = cli(*where, "diff", "HEAD~2", "HEAD~1")
        assert between.exit_code == 0, between.output
        assert "added talking point" in between.stdout and "Before the break" in between.stdout


@pytest.mark.parametrize(
    ("before", "after", "told"),
    [
        ("  - Drop the adjuster introduction for now\n", "  - Drop the adjuster introduction\n",
         'changed an entry of the decisions of the meeting log m5vg of 2026-09-01: '
         '"Drop the adjuster introduction for now" → "Drop the adjuster introduction"'),
        ("  - A short update call every two weeks, confirmed by email\n",
         "  - A short update call every week\n",
         'changed an entry of the strategies of goal g2hx "Client communication": '
         '"A short update call every two weeks, confirmed by email" → '
         '"A short update call every week"'),
        ("text: Opposing solicitors asked for a week; chased them by email.",
         "text: Opposing solicitors asked for two weeks.",
         "changed the text of an update of action a3hy"),
    ],
)  # fmt: skip
def test_the_last_or_only_entry_rewritten_in_place_is_told_as_changed(
    cli, isolated: Path, before: str, after: str, told: str
):
    _, mentee = clone_pair(cli, isolated)
    path = mentee / "mentorship.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(before) == 1
    path.write_text(text.replace(before, after), encoding="utf-8")
    git(mentee, "commit", "-qam", "reworded", env=at("2026-11-25", MENTEE))
    result = run_in(cli, mentee, "diff", "HEAD~1")
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(told), lines
    events = [e for e in _told_in(cli, mentee) if e["commit"].startswith(
        git(mentee, "rev-parse", "--short", "HEAD").strip())]  # fmt: skip
    assert [(e["who"], e["text"]) for e in events] == [("Tomás", lines[0])]


def _stamped(moment: str, who: dict[str, str]) -> dict[str, str]:
    return {**who, "GIT_AUTHOR_DATE": moment, "GIT_COMMITTER_DATE": moment}


def test_since_the_meeting_starts_at_the_meetings_start_for_both_people_in_any_zone(
    cli, isolated: Path
):
    """The example meets on the first Tuesday at 10:00 in Chicago: 2026-12-01 16:00 UTC."""
    mentor, mentee = clone_pair(cli, isolated)
    _ok(cli, mentee, "git", "setup")

    def act(folder: Path, moment: str, who: dict[str, str], *args: str) -> None:
        role = "mentee" if who is MENTEE else "mentor"
        where = ["-f", str(folder / "mentorship.yaml"), "--as", role, "--today", moment[:10]]
        result = cli(*where, *args, env=_stamped(moment, who))
        assert result.exit_code == 0, result.output

    act(mentor, "2026-12-01T09:30:00-06:00", MENTOR, "agenda", "add", "Before the meeting")
    act(mentor, "2026-12-01T11:05:00-06:00", MENTOR, "meeting", "log", "--notes", "ok")
    act(mentor, "2026-12-01T14:00:00-06:00", MENTOR, "agenda", "add", "Diane afternoon point")
    git(mentor, "push", "-q", "origin", "main")
    git(mentee, "pull", "-q", "--no-rebase", "origin", "main")
    act(mentee, "2026-12-01T21:00:00+00:00", MENTEE, "agenda", "add", "Tomas evening point")
    act(mentee, "2026-12-02T01:30:00+00:00", MENTEE, "agenda", "add", "Tomas late night point")
    git(mentee, "push", "-q", "origin", "main")
    git(mentor, "pull", "-q", "--no-rebase", "origin", "main")
    after = ["logged the meeting of 2026-12-01", "Diane afternoon point", "Tomas evening point",
             "Tomas late night point"]  # fmt: skip

    def found(text: str) -> list[str]:
        assert "Before the meeting" not in text, text
        return [x for x in after if x in text]

    for folder in (mentor, mentee):
        for role in ("mentor", "mentee"):
            where = ["-f", str(folder / "mentorship.yaml"), "--as", role, "--today", "2026-12-03"]
            brief = cli(*where, "checkin", "--no-input")
            assert brief.exit_code == 0, brief.output
            since = brief.stdout.split("Since", 1)[1].split("\n\n", 1)[0]
            assert found(since) == after, since
        for tz in ("UTC", "America/Chicago", "Asia/Tokyo", "Pacific/Kiritimati"):
            result = subprocess.run(
                [sys.executable, "-m", "mentorkit", "-f", str(folder / "mentorship.yaml"),
                 "--today", "2026-12-03", "diff"],
                capture_output=True, text=True, env={**os.environ, "TZ": tz}, check=False,
            )  # fmt: skip
            assert result.returncode == 0, result.stderr
            assert found(result.stdout) == after, (tz, result.stdout)


def test_a_hand_resolved_pick_without_x_of_an_unmerged_branch_credits_the_resolver(
    cli, isolated: Path
):
    """The original is on the other person's branch, not merged: found there by its author,
    date and subject, so what the resolver typed is theirs, before and after the merge."""
    mentor, mentee = clone_pair(cli, isolated)
    _ok(cli, mentee, "git", "setup")
    git(mentee, "checkout", "-qb", "side")
    _ok(cli, mentee, "--as", "mentee", "action", "edit", "a2tw", "--title", "Read the letter",
        "--owner", "mentor")  # fmt: skip
    _ok(cli, mentee, "--as", "mentee", "agenda", "add", "Costs")
    git(mentee, "push", "-q", "origin", "side")
    _ok(cli, mentor, "--as", "mentor", "action", "edit", "a2tw", "--title", "Read it twice")

    def moves_by(folder: Path) -> tuple[int, int]:
        result = cli("-f", str(folder / "mentorship.yaml"), "--today", "2026-11-30", "stats",
                     "--json")  # fmt: skip
        people = json.loads(result.stdout)["data"]["people"]
        return people["mentor"]["due_dates_moved"], people["mentee"]["due_dates_moved"]

    before = moves_by(mentor)
    git(mentor, "fetch", "-q")
    picked = subprocess.run(["git", "cherry-pick", "origin/side~1"], cwd=mentor,
                            capture_output=True, text=True)  # fmt: skip
    assert picked.returncode != 0, picked.stdout  # both retitled the action
    path = mentor / "mentorship.yaml"
    resolved = take(path.read_text(encoding="utf-8"), "ours")
    resolved = resolved.replace("title: Read it twice", "title: Read the letter twice")
    assert resolved.count("due: 2026-11-20") == 1
    path.write_text(resolved.replace("due: 2026-11-20", "due: 2026-11-27"), encoding="utf-8")
    git(mentor, "add", "mentorship.yaml")
    git(mentor, "-c", "core.editor=true", "cherry-pick", "--continue")
    pick = git(mentor, "rev-parse", "HEAD").strip()
    assert git(mentor, "log", "-1", "--format=%an|%cn").strip() == "Tomás|Diane"

    def at_pick() -> list[tuple[str, str | None]]:
        return sorted((e["who"], e["field"]) for e in _told_in(cli, mentor) if e["commit"] == pick)

    told = [("Diane", "due"), ("Diane", "title"), ("Tomás", "owner")]
    assert at_pick() == told
    assert moves_by(mentor) == (before[0] + 1, before[1])
    _merge_side_keeping_ours(mentor)
    assert at_pick() == [("Diane", "due"), ("Diane", "title")]
    owners = [e["who"] for e in _told_in(cli, mentor) if e["field"] == "owner"]
    assert owners == ["Tomás"]


def test_a_time_added_by_hand_to_a_cancellation_is_told_as_that_field(cli, isolated: Path):
    mentor, _ = clone_pair(cli, isolated)
    _ok(cli, mentor, "--as", "mentor", "schedule", "cancel", "2026-12-01", "--reason", "sick")
    path = mentor / "mentorship.yaml"
    text = path.read_text(encoding="utf-8")
    line = "    date: 2026-12-01\n"
    assert text.count(line) == 1
    path.write_text(text.replace(line, f"{line}    to: 2026-12-02T10:00\n"), encoding="utf-8")
    git(mentor, "commit", "-qam", "by hand", env=at("2026-11-27", MENTOR))
    result = run_in(cli, mentor, "diff", "HEAD~1")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines() == [
        'set the to of the schedule change of 2026-12-01 (cancelled) to "2026-12-02T10:00"'
    ]


def test_a_shallow_clone_cut_at_a_merge_tells_where_each_side_starts(cli, isolated: Path):
    mentor, mentee = clone_pair(cli, isolated)
    _ok(cli, mentee, "git", "setup")
    _ok(cli, mentor, "--as", "mentor", "agenda", "add", "Diane point")
    git(mentor, "push", "-q", "origin", "main")
    _ok(cli, mentee, "--as", "mentee", "agenda", "add", "Tomas point")
    git(mentee, "pull", "-q", "--no-rebase", "origin", "main", env=at("2026-11-26", MENTEE))
    git(mentee, "push", "-q", "origin", "main")
    shallow = isolated / "shallow"
    remote = (isolated / "remote.git").as_uri()
    subprocess.run(["git", "clone", "-q", "--depth", "2", remote, str(shallow)], check=True)
    cut = (shallow / ".git" / "shallow").read_text(encoding="ascii").split()
    assert len(cut) == 2
    events = _told_in(cli, shallow)
    starts = [e["commit"] for e in events if e["kind"] == "history.shallow"]
    assert sorted(starts) == sorted(cut)
