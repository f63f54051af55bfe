"""git as the accountability record: commits, history, stats, diff, merge driver, sync."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mentorkit.file import storage

from .conftest import EXAMPLE, INIT_FLAGS, git

MENTEE = {"GIT_AUTHOR_NAME": "Tomás", "GIT_AUTHOR_EMAIL": "tomas@example.co.uk",
          "GIT_COMMITTER_NAME": "Tomás", "GIT_COMMITTER_EMAIL": "tomas@example.co.uk"}  # fmt: skip
MENTOR = {"GIT_AUTHOR_NAME": "Diane", "GIT_AUTHOR_EMAIL": "diane@example.com",
          "GIT_COMMITTER_NAME": "Diane", "GIT_COMMITTER_EMAIL": "diane@example.com"}  # fmt: skip


def at(day: str, who: dict[str, str]) -> dict[str, str]:
    stamp = f"{day}T10:00:00+00:00"
    return {**who, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}


def as_json(cli, *args):
    result = cli(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["data"]


@pytest.fixture
def started(cli, isolated: Path) -> Path:
    """A mentorship started with init on 2026-03-02 by the mentor, with known commit dates."""
    result = cli("--as", "mentor", "init", "--no-input", *INIT_FLAGS, env=at("2026-03-02", MENTOR))
    assert result.exit_code == 0, result.output
    return isolated / "mentorship.yaml"


def test_a_change_commits_only_the_file_and_leaves_other_staged_work(cli, started: Path):
    folder = started.parent
    (folder / "notes.txt").write_text("draft\n")
    git(folder, "add", "notes.txt")
    result = cli("--as", "mentee", "--today", "2026-03-05", "action", "add", "Draft memo", "--due", "2026-03-12",
                 env=at("2026-03-05", MENTEE))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert git(folder, "show", "--name-only", "--format=%an|%s", "HEAD").splitlines()[:3] == [
        f'Tomás|mentee added action {as_json(cli, "action", "list")[0]["id"]} "Draft memo" for the mentee, due 2026-03-12',
        "",
        "mentorship.yaml",
    ]
    assert git(folder, "diff", "--cached", "--name-only") == "notes.txt\n"


def test_no_commit_flag_and_setting(cli, started: Path):
    folder = started.parent
    count = len(git(folder, "log", "--oneline").splitlines())
    assert cli("--as", "mentee", "--no-commit", "agenda", "add", "x").exit_code == 0
    git(folder, "config", "mentorkit.commit", "false")
    assert cli("--as", "mentee", "agenda", "add", "y").exit_code == 0
    assert len(git(folder, "log", "--oneline").splitlines()) == count
    assert (
        "agenda" in git(folder, "status", "--porcelain")
        or git(folder, "diff", "--name-only") == "mentorship.yaml\n"
    )


def test_init_sets_up_git_for_two_people(cli, started: Path):
    folder = started.parent
    assert (
        git(folder, "config", "merge.mentorkit.driver")
        .strip()
        .endswith("git merge-driver %O %A %B %P")
    )
    assert (
        "mentorship.yaml merge=mentorkit diff=mentorkit" in (folder / ".gitattributes").read_text()
    )
    assert git(folder, "ls-files") == ".gitattributes\nmentorship.yaml\n"
    assert "mentorkit git pre-commit" in (folder / ".git" / "hooks" / "pre-commit").read_text()


def test_history_from_versions_with_hand_edits_and_known_dates(cli, started: Path):
    folder = started.parent
    steps = [
        ("2026-03-05", MENTEE, ["--as", "mentee", "goal", "add", "Client communication"]),
        (
            "2026-03-06",
            MENTEE,
            ["--as", "mentee", "action", "add", "Call the client", "--due", "2026-03-10"],
        ),
        (
            "2026-03-09",
            MENTOR,
            ["--as", "mentor", "action", "add", "Send templates", "--due", "2026-03-09"],
        ),
        ("2026-03-12", MENTEE, ["--as", "mentee", "action", "move", "call", "2026-03-16"]),
    ]
    for day, who, args in steps:
        if "call" in args:  # resolve the ID of "Call the client"
            args = [
                *args[:4],
                next(
                    a["id"]
                    for a in as_json(cli, "action", "list")
                    if a["title"] == "Call the client"
                ),
                args[-1],
            ]
        result = cli("--today", day, *args, env=at(day, who))
        assert result.exit_code == 0, result.output
    actions = {a["title"]: a["id"] for a in as_json(cli, "action", "list")}
    # a hand edit, committed with plain git: the mentor marks "Send templates" done, 3 days late
    text = started.read_text(encoding="utf-8").replace(
        "  due: 2026-03-09\n  status: open\n",
        "  due: 2026-03-09\n  status: done\n  completed: 2026-03-12\n",
    )
    started.write_text(text, encoding="utf-8")
    subprocess.run(
        ["git", "commit", "-qam", "done"],
        cwd=folder,
        check=True,
        env={**os.environ, **at("2026-03-13", MENTOR)},
    )
    events = as_json(cli, "history", "--since", "2026-03-05")
    lines = [(e["when"][:10], e["role"], e["who"], e["kind"], e["item"]) for e in events]
    call, templates = actions["Call the client"], actions["Send templates"]
    assert lines[1:] == [
        ("2026-03-06", "mentee", "Tomás", "action.created", call),
        ("2026-03-09", "mentor", "Diane", "action.created", templates),
        ("2026-03-12", "mentee", "Tomás", "action.moved", call),
        ("2026-03-13", "mentor", "Diane", "action.completed", templates),
    ]
    assert events[0]["kind"] == "goal.set" and events[0]["when"].startswith("2026-03-05")
    assert (
        events[-1]["text"]
        == f'completed action {templates} "Send templates" (due 2026-03-09, 3 days late)'
    )
    assert (
        events[3]["text"]
        == f'moved action {call} "Call the client" from 2026-03-10 to 2026-03-16, 6 days later'
    )
    assert [e["kind"] for e in as_json(cli, "history", "--item", call)] == [
        "action.created",
        "action.moved",
    ]
    assert {e["role"] for e in as_json(cli, "history", "--who", "mentor")} == {"mentor"}
    cache = list((folder / ".git" / "mentorkit").glob("history-*.json"))
    assert len(cache) == 1 and len(json.loads(cache[0].read_text())["pairs"]) == 6
    # cached: the same answer
    assert as_json(cli, "history", "--since", "2026-03-05") == events
    text_out = cli("history", "--since", "2026-03-13").stdout
    assert (
        "2026-03-13 10:00" in text_out
        and f"mentor (Diane) completed action {templates}" in text_out
    )


def test_diff_between_revisions(cli, started: Path):
    folder = started.parent
    first = git(folder, "rev-parse", "HEAD").strip()
    assert (
        cli(
            "--as",
            "mentee",
            "feedback",
            "give",
            "Thanks for the quick call",
            env=at("2026-03-04", MENTEE),
        ).exit_code
        == 0
    )
    assert (
        cli(
            "--as",
            "mentee",
            "rules",
            "set",
            "response_time",
            "same day",
            env=at("2026-03-04", MENTEE),
        ).exit_code
        == 0
    )
    changes = as_json(cli, "diff", first)
    assert [c["text"] for c in changes][1:3] == [
        "removed the mentor's agreement to the ground rules",
        "recorded that the mentee agreed to the ground rules",
    ]
    assert [c["kind"] for c in changes] == [
        "agreement.changed",
        "agreement.changed",
        "agreement.agreed",
        "feedback.given",
    ]
    assert (
        changes[0]["text"] == 'changed the rule response time: "within 2 working days" → "same day"'
    )
    assert as_json(cli, "diff", first, "HEAD~1")[0]["kind"] == "feedback.given"
    # by default: since the file as it was at the last meeting (none yet: the start of the term)
    assert [c["kind"] for c in as_json(cli, "--today", "2026-03-05", "diff")] == [
        c["kind"] for c in changes
    ]
    bad = cli("diff", "nonsense")
    assert bad.exit_code == 6 and "'nonsense' is not a commit" in bad.stderr


def test_stats_on_the_example(cli, example: Path):
    data = as_json(cli, "--today", "2026-11-26", "stats")
    mentee, mentor = data["people"]["mentee"], data["people"]["mentor"]
    assert (mentee["completed"], mentee["on_time"], mentee["on_time_rate"]) == (3, 2, 2 / 3)
    assert (
        mentee["median_days_late"] == 17  # against the first agreed due date
        and mentee["due_dates_moved"] == 2
        and mentee["overdue_now"] == 2
    )
    assert (mentor["completed"], mentor["on_time_rate"], mentor["dropped"]) == (2, 1.0, 1)
    assert mentor["feedback_given"]["2026-04"] == {"feedback": 0, "recognition": 1}
    assert mentee["feedback_received"]["2026-05"] == {"feedback": 1, "recognition": 0}
    assert (data["meetings_held"], data["meetings_scheduled"]) == (8, 8)


def test_textconv_shows_one_line_per_field(cli, example: Path):
    out = cli("git", "textconv", str(example)).stdout.splitlines()
    assert (
        'actions[a2tw].title: "Draft the demand letter with the medical special damages schedule"'
        in out
    )
    assert "goals[g4mk].kpis[k7rd].measurements[7].value: 2" in out


# --------------------------------------------------------------------------- two people, one file


def clone_pair(cli, tmp: Path) -> tuple[Path, Path]:
    remote = tmp / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    mentor = tmp / "mentor"
    mentor.mkdir()
    shutil.copyfile(EXAMPLE, mentor / "mentorship.yaml")
    git(mentor, "init", "-q", "-b", "main")
    git(mentor, "config", "user.email", "diane.whitaker@example.com")
    git(mentor, "config", "user.name", "Diane")
    assert cli("-f", str(mentor / "mentorship.yaml"), "git", "setup").exit_code == 0
    git(mentor, "add", ".")
    git(mentor, "commit", "-qm", "Start")
    git(mentor, "remote", "add", "origin", str(remote))
    git(mentor, "push", "-qu", "origin", "main")
    mentee = tmp / "mentee"
    subprocess.run(["git", "clone", "-q", str(remote), str(mentee)], check=True)
    git(mentee, "config", "user.email", "tomas.okonkwo@example.co.uk")
    git(mentee, "config", "user.name", "Tomás")
    return mentor, mentee


def run_in(cli, folder: Path, *args: str):
    return cli("-f", str(folder / "mentorship.yaml"), "--today", "2026-11-26", *args)


@pytest.mark.parametrize("rebase", [False, True])
def test_concurrent_edits_merge_item_by_item_and_both_clones_end_identical(
    cli, isolated: Path, rebase
):
    mentor, mentee = clone_pair(cli, isolated)
    refused = run_in(cli, mentee, "sync")
    assert refused.exit_code == 6 and "no mentorkit merge driver" in refused.stderr
    assert run_in(cli, mentee, "git", "setup").exit_code == 0
    flag = ["--rebase"] if rebase else []
    # the mentee: completes a2tw, records a KPI value, adds an item
    for args in (["action", "done", "a2tw"], ["kpi", "record", "k7rd", "1", "--date", "2026-11-25"],
                 ["action", "add", "Mentee item", "--due", "friday"], ["sync", *flag]):  # fmt: skip
        assert run_in(cli, mentee, *args).exit_code == 0
    # the mentor, at the same time: moves a2tw, records a value, adds an item, edits a title
    for args in (["action", "add", "Mentor item", "--due", "friday"], ["kpi", "record", "k7rd", "1.5", "--date", "2026-11-24"],
                 ["action", "move", "a2tw", "2026-12-03"], ["goal", "edit", "g9tp", "--competency", "Taking and defending depositions"]):  # fmt: skip
        assert run_in(cli, mentor, *args).exit_code == 0, args
    synced = run_in(cli, mentor, "sync", *flag)
    assert synced.exit_code == 0, synced.output
    assert re.search(r"synced: pulled \d+ commits?, pushed \d+ commits?\n", synced.stdout)
    assert run_in(cli, mentee, "sync", *flag).exit_code == 0
    assert (mentor / "mentorship.yaml").read_bytes() == (mentee / "mentorship.yaml").read_bytes()
    m = storage.load(mentor / "mentorship.yaml").mentorship
    a2tw = next(a for a in m.actions if a.id == "a2tw")
    assert (a2tw.status, a2tw.due.isoformat(), len(a2tw.moves)) == ("done", "2026-12-03", 2)
    assert [x.value for x in m.goals[0].kpis[0].measurements][-2:] == [
        1.5,
        1,
    ]  # both, in date order
    assert {a.title for a in m.actions} >= {"Mentee item", "Mentor item"}
    assert m.goals[1].competency == "Taking and defending depositions"


def test_a_true_conflict_is_marked_on_just_those_lines(cli, isolated: Path):
    mentor, mentee = clone_pair(cli, isolated)
    assert run_in(cli, mentee, "git", "setup").exit_code == 0
    assert run_in(cli, mentee, "goal", "edit", "g9tp", "--competency", "Depositions").exit_code == 0
    assert run_in(cli, mentee, "action", "add", "Unrelated", "--due", "friday").exit_code == 0
    assert run_in(cli, mentee, "sync").exit_code == 0
    assert (
        run_in(cli, mentor, "goal", "edit", "g9tp", "--competency", "Deposing witnesses").exit_code
        == 0
    )
    result = run_in(cli, mentor, "sync")
    assert result.exit_code == 6
    assert (
        "conflict in mentorship.yaml (goals[g9tp].competency: changed differently on both sides)"
        in result.stderr
    )
    text = (mentor / "mentorship.yaml").read_text(encoding="utf-8")
    assert (
        "- id: g9tp\n<<<<<<< ours\n  competency: Deposing witnesses\n=======\n  competency: Depositions\n"
        ">>>>>>> theirs (goals[g9tp].competency)\n"
    ) in text
    assert text.count("<<<<<<<") == 1
    assert "title: Unrelated" in text  # the rest merged
    invalid = cli("validate", str(mentor / "mentorship.yaml"))
    assert invalid.exit_code == 1 and "merge-conflict markers" in invalid.stderr


def test_sync_messages_without_remote_or_upstream(cli, repo: Path):
    assert cli("git", "setup").exit_code == 0
    result = cli("sync")
    assert result.exit_code == 6 and "has no remote" in result.stderr
    bare = repo.parent / "r.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    git(repo, "remote", "add", "origin", str(bare))
    result = cli("sync")
    assert (
        result.exit_code == 6
        and "has no upstream; push it once with `git push -u origin" in result.stderr
    )


def test_the_pre_commit_hook_refuses_a_broken_file(cli, started: Path):
    folder = started.parent
    started.write_text(started.read_text().replace("duration: 60", "duration: sixty"))
    result = subprocess.run(["git", "commit", "-qam", "broken"], cwd=folder, capture_output=True, text=True,
                            env={**os.environ, **MENTOR})  # fmt: skip
    assert result.returncode != 0
    assert "schedule.duration: expected a whole number, got 'sixty'" in result.stderr
