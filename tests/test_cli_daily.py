"""Goals, KPIs, action items, resources, feedback, agenda and edit through the real CLI."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path

import pytest

from mentorkit.domain.goals import kpi_progress
from mentorkit.file.model import Kpi, Measurement

from .conftest import TODAY, git


def as_json(cli, *args):
    result = cli("--today", TODAY, *args, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["mentorkit"] == 1
    return data["data"]


# --------------------------------------------------------------------------- goals and KPIs


def test_goal_lifecycle_with_commits(cli, repo: Path):
    added = cli("--today", TODAY, "goal", "add", "Negotiating a settlement", "--why", "Mediation is in January",
                "-s", "Role-play the first offer", "-s", "Read the mediator's past settlements")  # fmt: skip
    assert added.exit_code == 0, added.output
    goal = next(
        g for g in as_json(cli, "goal", "list") if g["competency"] == "Negotiating a settlement"
    )
    assert goal["strategies"] == [
        "Role-play the first offer",
        "Read the mediator's past settlements",
    ]
    assert goal["set_by"] == "mentee" and goal["created"] == TODAY
    gid = goal["id"]
    assert (
        cli(
            "goal", "edit", gid, "--remove-strategy", "2", "-s", "Draft a walk-away number"
        ).exit_code
        == 0
    )
    kpi = cli("--today", TODAY, "kpi", "add", gid, "--name", "Offers role-played", "--baseline", "0",
              "--target", "4", "--due", "2027-01-15")  # fmt: skip
    assert kpi.exit_code == 0, kpi.output
    kid = as_json(cli, "goal", "show", gid)["kpis"][0]["id"]
    assert cli("--today", "2026-12-01", "kpi", "record", kid, "1").exit_code == 0
    assert (
        cli("--today", "2026-12-15", "kpi", "record", kid, "2.5", "--note", "Good anchor").exit_code
        == 0
    )
    shown = as_json(cli, "kpi", "show", kid)
    assert [m["value"] for m in shown["measurements"]] == [1, 2.5]
    assert shown["progress"]["latest"] == 2.5
    assert cli("goal", "achieve", gid).exit_code == 0
    log = git(repo, "log", "--format=%s", "-6").splitlines()
    assert log[0] == f'mentee marked goal {gid} "Negotiating a settlement" achieved'
    assert log[1].startswith(f'mentee recorded 2.5 for KPI {kid} "Offers role-played" (')
    assert log[4] == (  # the last strategy replaced in its place: one entry changed
        f'mentee changed an entry of the strategies of goal {gid} "Negotiating a settlement": '
        '"Read the mediator\'s past settlements" → "Draft a walk-away number"'
    )
    text = (repo / "mentorship.yaml").read_text(encoding="utf-8")
    assert "  - Role-play the first offer\n  - Draft a walk-away number\n" in text


def test_kpi_show_draws_progress_trend_and_projection(cli, example: Path):
    result = cli("--today", TODAY, "kpi", "show", "k7r")
    assert result.exit_code == 0, result.output
    assert "████████████████░░░░ 80%  6 → 2 of 1 revision  (lower is better)" in result.stdout
    assert "trend █▆▅▅▃▃▁▁" in result.stdout
    assert "on track: reached around" in result.stdout
    assert "  2026-10-02         2      -1  Only the damages section needed rework" in result.stdout


def test_kpi_record_rejects_non_numbers_and_unknown_kpis(cli, example: Path):
    before = example.read_bytes()
    bad = cli("--as", "mentee", "kpi", "record", "k7rd", "ten")
    assert bad.exit_code == 2 and "VALUE: 'ten' is not a number" in bad.stderr
    bad = cli("--as", "mentee", "kpi", "record", "kzzz", "3")
    assert bad.exit_code == 3 and "no KPI has an ID starting with 'kzzz'" in bad.stderr
    bad = cli("--as", "mentee", "kpi", "record", "k", "3")
    assert (
        bad.exit_code == 2
        and "'k' matches 3 KPIs: k7rd \"Major revisions per liability memo\"; k3wq" in bad.stderr
    )
    bad = cli(
        "kpi",
        "add",
        "g4mk",
        "--name",
        "x",
        "--baseline",
        "5",
        "--target",
        "9",
        "--direction",
        "lower",
    )
    assert bad.exit_code == 2 and "a target of 9 moves away from the baseline 5" in bad.stderr
    assert example.read_bytes() == before


def test_projection_math():
    kpi = Kpi(id="k", name="n", baseline=0, target=10, due=date(2026, 3, 1), measurements=[
        Measurement(date=date(2026, 1, 1), value=2), Measurement(date=date(2026, 1, 11), value=4)])  # fmt: skip
    progress = kpi_progress(kpi, date(2026, 1, 12))
    assert progress.slope_per_day == pytest.approx(0.2)
    assert progress.projected == date(2026, 2, 10)  # 6 more at 0.2 a day from Jan 11
    assert progress.on_track is True
    kpi.due = date(2026, 2, 1)
    assert kpi_progress(kpi, date(2026, 1, 12)).on_track is False
    kpi.measurements.append(Measurement(date=date(2026, 1, 20), value=1))
    assert "not moving towards the target" in kpi_progress(kpi, date(2026, 1, 21)).verdict
    lower = Kpi(id="k", name="n", baseline=6, target=1, direction="lower", measurements=[
        Measurement(date=date(2026, 1, 1), value=1)])  # fmt: skip
    assert kpi_progress(lower, date(2026, 1, 2)).reached


# --------------------------------------------------------------------------- action items


def test_action_add_defaults_owner_to_you_and_reads_date_phrases(cli, repo: Path):
    result = cli(
        "--today",
        TODAY,
        "action",
        "add",
        "Send the demand letter",
        "--due",
        "before next meeting",
        "--goal",
        "g4",
    )
    assert result.exit_code == 0, result.output
    added = next(
        a for a in as_json(cli, "action", "list") if a["title"] == "Send the demand letter"
    )
    assert added["owner"] == "mentee" and added["due"] == "2026-11-30" and added["goal"] == "g4mk"
    assert added["created_by"] == "mentee"
    mentor = cli(
        "--today",
        TODAY,
        "action",
        "add",
        "Find a costs draftsman",
        "--owner",
        "mentor",
        "--due",
        "friday",
    )
    assert mentor.exit_code == 0
    mine = as_json(cli, "action", "list", "--owner", "mentor")
    assert [a["due"] for a in mine] == ["2026-11-27", "2026-12-04"]  # sorted by due date
    assert git(repo, "log", "-1", "--format=%s") == (
        f'mentee added action {mine[0]["id"]} "Find a costs draftsman" for the mentor, due 2026-11-27\n'
    )


def test_action_done_says_how_early_or_late(cli, repo: Path):
    late = cli("--today", TODAY, "action", "done", "a2t")
    assert late.exit_code == 0
    expected = 'mentee completed action a2tw "Draft the demand letter with the medical special damages schedule" (due 2026-11-13, 13 days late)'
    assert expected in late.stdout
    assert git(repo, "log", "-1", "--format=%s").strip() == expected
    early = cli("--today", TODAY, "--as", "mentor", "action", "done", "a7ks")
    assert "(due 2026-12-04, 8 days early)" in early.stdout
    again = cli("--today", TODAY, "action", "done", "a7ks")
    assert again.exit_code == 2 and "was already completed on 2026-11-26" in again.stderr


def test_action_move_keeps_the_slipped_date_on_record(cli, example: Path):
    assert cli("--as", "mentee", "--today", TODAY, "action", "move", "a4ub", "+1w").exit_code == 0
    shown = as_json(cli, "action", "show", "a4ub")
    assert shown["due"] == "2026-12-03"
    assert shown["moves"] == [{"was": "2026-11-20", "moved": TODAY, "by": "mentee"}]
    text = cli("--today", TODAY, "action", "show", "a4ub").stdout
    assert "moved on 2026-11-26 by the mentee; it was due 2026-11-20" in text


def test_action_update_reopen_and_drop(cli, example: Path):
    assert (
        cli(
            "--as", "mentee", "--today", TODAY, "action", "update", "a4ub", "Asked Diane for dates"
        ).exit_code
        == 0
    )
    assert as_json(cli, "action", "show", "a4ub")["updates"] == [
        {"date": TODAY, "by": "mentee", "text": "Asked Diane for dates"}
    ]
    no_reason = cli("--as", "mentee", "action", "drop", "a4ub")
    assert no_reason.exit_code == 2 and "--reason" in no_reason.stderr
    assert (
        cli(
            "--as",
            "mentee",
            "--today",
            TODAY,
            "action",
            "drop",
            "a4ub",
            "--reason",
            "Mediation moved",
        ).exit_code
        == 0
    )
    assert as_json(cli, "action", "show", "a4ub")["status"] == "dropped"
    assert cli("--as", "mentee", "action", "reopen", "a4ub").exit_code == 0
    reopened = as_json(cli, "action", "show", "a4ub")
    assert reopened["status"] == "open" and "drop_reason" not in reopened


def test_action_list_filters(cli, example: Path):
    overdue = as_json(cli, "action", "list", "--overdue")
    assert [a["id"] for a in overdue] == ["a2tw", "a4ub"] and all(a["overdue"] for a in overdue)
    before = as_json(cli, "action", "list", "--before-next-meeting")
    assert [a["id"] for a in before] == ["a2tw", "a4ub"]
    assert [
        a["id"] for a in as_json(cli, "action", "list", "--goal", "g9tp", "--status", "all")
    ] == ["a6mz", "a9pk", "a4ub"]
    assert [a["id"] for a in as_json(cli, "action", "list", "--status", "dropped")] == ["a3qd"]
    text = cli("--today", TODAY, "action", "list").stdout
    assert "a2tw  2026-11-13  mentee  overdue 13d" in text
    assert text.endswith("3 action items, 2 overdue\n")


def test_action_add_needs_to_know_the_owner(cli, example: Path):
    before = example.read_bytes()
    result = cli("action", "add", "Something", "--due", "friday")
    assert (
        result.exit_code == 2
        and "cannot tell whether you are the mentor or the mentee" in result.stderr
    )
    result = cli("--as", "mentor", "action", "add", "Something", "--due", "whenever")
    assert result.exit_code == 2 and "cannot read the date 'whenever'" in result.stderr
    result = cli("--as", "mentor", "action", "add", "Something", "--goal", "gzz")
    assert result.exit_code == 3 and "no goal has an ID starting with 'gzz'" in result.stderr
    assert example.read_bytes() == before


# --------------------------------------------------------------------------- resources, feedback, agenda


def test_resources(cli, example: Path):
    added = cli("--as", "mentor", "--today", TODAY, "resource", "add", "Mediation advocacy", "--kind", "course",
                "--url", "https://example.com/mediation", "--goal", "g4mk")  # fmt: skip
    assert added.exit_code == 0, added.output
    unread = as_json(cli, "resource", "list", "--status", "shared")
    assert [r["title"] for r in unread][-1] == "Mediation advocacy"
    assert unread[-1]["shared_by"] == "mentor" and unread[-1]["kind"] == "course"
    assert (
        cli(
            "--as",
            "mentee",
            "--today",
            TODAY,
            "resource",
            "done",
            "r2dx",
            "--note",
            "Period 2 applies",
        ).exit_code
        == 0
    )
    done = next(iter(as_json(cli, "resource", "list", "--kind", "article")))
    assert done["status"] == "done" and done["notes"] == "Period 2 applies"
    bad = cli("--as", "mentor", "resource", "add", "Thing", "--kind", "blog")
    assert bad.exit_code == 2 and "the kind is one of template, webinar" in bad.stderr


def test_feedback_both_ways_and_the_nudges(cli, example: Path):
    status = as_json(cli, "status")  # Thursday: before the feedback day, so one nudge only
    assert status["nudges"] == [
        "for four weeks feedback has gone only from the mentor to the mentee; the mentor should receive feedback too"
    ]
    result = cli("--today", "2026-11-27", "status")
    assert "no feedback has been given this week; the feedback day is Friday" in result.stdout
    assert (
        "feedback has gone only from the mentor to the mentee; the mentor should receive feedback too"
        in result.stdout
    )
    given = cli(
        "--as",
        "mentee",
        "--today",
        "2026-11-27",
        "feedback",
        "give",
        "Your markup rules helped a lot",
        "--kind",
        "recognition",
    )
    assert given.exit_code == 0 and "mentee gave recognition" in given.stdout
    assert "feedback:" not in cli("--today", "2026-11-27", "status").stdout
    to_mentor = as_json(cli, "feedback", "list", "--to", "mentor", "--since", "2026-09-01")
    assert [f["text"] for f in to_mentor] == [
        "Thank you for taking the late call before the trip-records hearing; it made the difference.",
        "Your markup rules helped a lot",
    ]
    wrong = cli("--as", "mentee", "feedback", "give", "x", "--to", "mentee")
    assert wrong.exit_code == 2 and "feedback goes to the other person" in wrong.stderr


def test_agenda(cli, example: Path):
    assert (
        cli("--as", "mentor", "--today", TODAY, "agenda", "add", "Costs budgeting").exit_code == 0
    )
    points = as_json(cli, "agenda", "list")
    assert [p["text"] for p in points] == [
        "How to value the future care claim without an expert report yet",
        "Mediation strategy and the first offer",
        "Costs budgeting",
    ]
    assert cli("--today", TODAY, "agenda", "done", "p8y").exit_code == 0
    assert len(as_json(cli, "agenda", "list")) == 2


# --------------------------------------------------------------------------- user text stays literal


def test_markup_and_escape_sequences_are_shown_literally(cli, example: Path):
    title = "[bold red]Pwn[/] \x1b[31mred\x1b[0m \x1b]0;title\x07"
    assert (
        cli("--as", "mentee", "--today", TODAY, "action", "add", title, "--due", "friday").exit_code
        == 0
    )
    listing = cli("--today", TODAY, "action", "list", env={"FORCE_COLOR": "1"})
    assert "[bold red]Pwn[/]" in listing.stdout
    assert "\\x1b[31mred\\x1b[0m \\x1b]0;title\\x07" in listing.stdout
    assert "\x1b]0;" not in listing.stdout and "\x07" not in listing.stdout
    plain = cli("--today", TODAY, "action", "list").stdout
    assert "\x1b" not in plain and "[bold red]Pwn[/]" in plain
    # and the file keeps exactly what was typed
    assert any(a["title"] == title for a in as_json(cli, "action", "list"))


# --------------------------------------------------------------------------- edit


EDITOR = """\
import pathlib, sys
counter = pathlib.Path(sys.argv[1]).with_name("edits-done")
n = int(counter.read_text()) if counter.exists() else 0
counter.write_text(str(n + 1))
target = pathlib.Path(sys.argv[-1])
steps = {steps}
target.write_text(steps[min(n, len(steps) - 1)](target.read_text()))
"""


def fake_editor(folder: Path, steps: str) -> str:
    script = folder / "editor.py"
    script.write_text(EDITOR.format(steps=steps))
    return f"{sys.executable} {script} {folder / 'marker'}"


def test_edit_saves_a_valid_edit_and_commits_it(cli, repo: Path):
    editor = fake_editor(
        repo.parent, "[lambda t: t.replace('within 2 working days', 'within a day')]"
    )
    result = cli("edit", env={"EDITOR": editor, "VISUAL": ""})
    assert result.exit_code == 0, result.output
    assert "response_time: within a day" in (repo / "mentorship.yaml").read_text(encoding="utf-8")
    # one change: the commit says it as history does
    assert git(repo, "log", "-1", "--format=%s") == (
        'mentee changed the rule response time: "within 2 working days" → "within a day"\n'
    )


def test_edit_keeps_an_invalid_edit_aside_when_no_one_can_be_asked(cli, example: Path):
    before = example.read_bytes()
    editor = fake_editor(
        example.parent.parent, "[lambda t: t.replace('target: 8', 'target: eight')]"
    )
    result = cli("edit", env={"EDITOR": editor, "VISUAL": ""})
    assert result.exit_code == 4
    assert result.stderr.count("expected a number, got 'eight'") == 1  # shown once
    assert "(e)dit again" not in result.output  # no prompt without a terminal
    assert f"your edit is kept in {example.parent / 'mentorship.yaml.edited'}" in result.stderr
    assert example.read_bytes() == before
    kept = example.with_name("mentorship.yaml.edited").read_text(encoding="utf-8")
    assert "target: eight" in kept
    assert "`mentorkit edit` again continues it" in result.stderr
    fix = fake_editor(example.parent.parent, "[lambda t: t.replace('target: eight', 'target: 9')]")
    again = cli("edit", env={"EDITOR": fix, "VISUAL": ""})
    assert again.exit_code == 0, again.output
    assert "continuing your edit kept in mentorship.yaml.edited" in again.stderr
    assert "    target: 9\n" in example.read_text(encoding="utf-8")
    assert not example.with_name("mentorship.yaml.edited").exists()


def test_edit_again_after_a_mistake_on_a_terminal(example: Path):
    pexpect = pytest.importorskip("pexpect")
    editor = fake_editor(
        example.parent.parent,
        "[lambda t: t.replace('target: 8', 'target: eight'), lambda t: t.replace('target: eight', 'target: 9')]",
    )
    env = {**os.environ, "EDITOR": editor, "VISUAL": "", "NO_COLOR": "1"}
    child = pexpect.spawn(sys.executable, ["-m", "mentorkit", "--as", "mentor", "edit"],
                          cwd=str(example.parent), env=env, encoding="utf-8", timeout=30)  # fmt: skip
    child.expect_exact("expected a number, got 'eight'")
    child.expect_exact("(e)dit again or (k)eep your edit aside in a file? [e]: ")
    child.sendline("e")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "    target: 9\n" in example.read_text(encoding="utf-8")
