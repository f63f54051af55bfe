"""Correcting what was recorded: each correction is a commit that says who changed which
field from what to what, and why. Items are found by ID, ID prefix or words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mentorkit.file import storage

from .conftest import git

TODAY = ["--today", "2026-11-26"]


def last_commit(folder: Path) -> str:
    return git(folder, "log", "-1", "--format=%an|%s").strip()


def ok(cli, *args: str) -> str:
    result = cli(*TODAY, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_action_edit_records_before_and_after(cli, repo: Path):
    ok(cli, "action", "edit", "/mediation date/", "--title", "Book the third mock deposition",
       "--owner", "mentor", "--goal", "-", "--reason", "Diane books the room")  # fmt: skip
    title = '"Book the third mock deposition"'
    assert git(repo, "log", "-1", "--format=%an|%B").strip().splitlines() == [
        f"Tomás Okonkwo-Reyes|mentee changed the title of action a4ub {title}: "
        f'"Book the third mock deposition before the mediation date" → {title} '
        "(because: Diane books the room)",
        "",
        f'mentee changed the owner of action a4ub {title}: "mentee" → "mentor" '
        "(because: Diane books the room)",
        f'mentee removed the goal of action a4ub {title} (was "g9tp") '
        "(because: Diane books the room)",
        "",
        "Reason: Diane books the room",
    ]
    action = next(a for a in storage.load(repo / "mentorship.yaml").mentorship.actions
                  if a.id == "a4ub")  # fmt: skip
    assert (action.title, action.owner, action.goal) == (
        "Book the third mock deposition", "mentor", None)  # fmt: skip
    same = cli(*TODAY, "action", "edit", "a4ub", "--owner", "mentor")
    assert same.exit_code == 2 and "nothing to change" in same.stderr


def test_action_move_keeps_the_reason(cli, repo: Path):
    ok(cli, "action", "move", "a4ub", "2026-12-04", "--reason", "the room is booked out")
    assert last_commit(repo).endswith(
        "from 2026-11-20 to 2026-12-04, 14 days later (because: the room is booked out)"
    )
    assert "the room is booked out" in (repo / "mentorship.yaml").read_text()


def test_kpi_edit_drop_fix_and_unrecord(cli, repo: Path):
    ok(cli, "kpi", "edit", "k7rd", "--target", "2", "--reason", "one round is realistic")
    assert last_commit(repo).endswith(
        'mentee changed the target of KPI k7rd "Major revisions per liability memo": 1 → 2 '
        "(because: one round is realistic)"
    )
    ok(cli, "kpi", "fix", "k7rd", "2026-05-01", "4", "--reason", "miscounted")
    assert last_commit(repo).endswith(
        'corrected the 2026-05-01 measurement of KPI k7rd "Major revisions per liability memo": '
        "5 revisions → 4 revisions (because: miscounted)"
    )
    ok(cli, "kpi", "unrecord", "/liability memo/", "2026-04-03", "--reason", "wrong memo")
    assert last_commit(repo).endswith(
        'removed the measurement 6 revisions (2026-04-03) of KPI k7rd "Major revisions per '
        'liability memo" (because: wrong memo)'
    )
    missing = cli(*TODAY, "kpi", "fix", "k7rd", "2026-04-03", "3")
    assert missing.exit_code == 2 and "no measurement on 2026-04-03" in missing.stderr
    no_reason = cli(*TODAY, "kpi", "drop", "k7rd")
    assert no_reason.exit_code == 2 and "--reason" in no_reason.stderr
    ok(cli, "kpi", "drop", "k7rd", "--reason", "replaced by a review checklist")
    assert "removed KPI k7rd" in last_commit(repo)
    m = storage.load(repo / "mentorship.yaml").mentorship
    assert "k7rd" not in {kpi.id for _, kpi in m.kpis()}


def test_kpi_record_questions_an_implausible_value(cli, repo: Path):
    before = (repo / "mentorship.yaml").read_text()
    typo = cli(*TODAY, "kpi", "record", "k3wq", "170")
    assert typo.exit_code == 2
    assert "170 is far outside the range from 3 to 8; pass --force" in typo.stderr
    twice = cli(*TODAY, "kpi", "record", "k3wq", "6", "--date", "2026-08-19")
    assert twice.exit_code == 2 and "already has 6 on 2026-08-19" in twice.stderr
    assert (repo / "mentorship.yaml").read_text() == before
    ok(cli, "kpi", "record", "k3wq", "6", "--date", "2026-08-19", "--force")
    shown = ok(cli, "kpi", "show", "k3wq")
    assert shown.count("2026-08-19  ") == 2
    ok(cli, "kpi", "unrecord", "k3wq", "2026-08-19", "--value", "6", "--reason", "twice")


def test_kpi_fix_and_edit_question_a_typo_as_record_does(cli, repo: Path):
    before = (repo / "mentorship.yaml").read_text()
    fix = cli(*TODAY, "kpi", "fix", "k3wq", "2026-08-19", "170")
    assert fix.exit_code == 2
    assert "170 is far outside the range from 3 to 8; pass --force to correct it" in fix.stderr
    edit = cli(*TODAY, "kpi", "edit", "k3wq", "--target", "300")
    assert edit.exit_code == 2
    assert "a target of 300 is far outside the range from 3 to 8; pass --force" in edit.stderr
    percent = cli(*TODAY, "kpi", "edit", "k3wq", "--unit", "%", "--baseline", "-5")
    assert percent.exit_code == 2
    assert "a baseline of -5 is not a percentage between 0 and 100" in percent.stderr
    assert (repo / "mentorship.yaml").read_text() == before
    ok(cli, "kpi", "fix", "k3wq", "2026-08-19", "7", "--reason", "misread")
    ok(cli, "kpi", "edit", "k3wq", "--target", "300", "--force")


def test_two_values_on_one_date_name_the_way_out(cli, repo: Path):
    ok(cli, "kpi", "record", "k3wq", "7", "--date", "2026-08-19", "--force")
    for args in (["unrecord", "k3wq", "2026-08-19", "--reason", "twice"],
                 ["fix", "k3wq", "2026-08-19", "5"]):  # fmt: skip
        result = cli(*TODAY, "kpi", *args)
        assert result.exit_code == 2
        assert "(6, 7); remove the extra one with `mentorkit kpi unrecord k3wq 2026-08-19 " \
            "--value VALUE --reason WHY`" in result.stderr  # fmt: skip
    ok(cli, "kpi", "unrecord", "k3wq", "2026-08-19", "--value", "7", "--reason", "twice")
    ok(cli, "kpi", "fix", "k3wq", "2026-08-19", "5")


def test_percentages_over_100_are_questioned():
    from datetime import date

    from mentorkit.domain.goals import implausible
    from mentorkit.file.model import Kpi

    kpi = Kpi(id="k2aa", name="Win rate", unit="%", baseline=40, target=60)
    assert implausible(kpi, 55, date(2026, 1, 1)) == []
    assert any("percentage" in r for r in implausible(kpi, 170, date(2026, 1, 1)))


def test_resource_edit_and_drop(cli, repo: Path):
    ok(cli, "resource", "edit", "coverage periods", "--kind", "podcast", "--reason", "audio")
    assert last_commit(repo).endswith(
        'changed the kind of podcast r2dx "Who insures the Uber driver? Coverage periods '
        'explained": "article" → "podcast" (because: audio)'
    )
    ok(cli, "resource", "drop", "r9ha", "--reason", "superseded by the practice guide")
    assert last_commit(repo).endswith(
        'removed book r9ha "Damages in personal injury, chapter 7 (special damages)" '
        "(because: superseded by the practice guide)"
    )


def test_feedback_retract_only_by_the_giver(cli, repo: Path):
    theirs = cli(*TODAY, "--as", "mentee", "feedback", "retract", "f3nz", "--reason", "x")
    assert theirs.exit_code == 2 and "only they can retract it" in theirs.stderr
    ok(cli, "--as", "mentor", "feedback", "retract", "f3nz", "--reason", "sent to the wrong file")
    assert last_commit(repo).endswith(
        "mentor retracted recognition f3nz given to the mentee on 2026-04-10 "
        "(because: sent to the wrong file)"
    )


@pytest.mark.parametrize(
    ("key", "outcome"),
    [
        ("a2tw", "a2tw"),
        ("a2", "a2tw"),
        ("/demand letter with/", "a2tw"),
        ("Book the third", "a4ub"),
        ("demand letter", "ambiguous"),
        ("/nothing like it/", "missing"),
    ],
)
def test_items_by_id_prefix_or_words(key: str, outcome: str):
    from mentorkit.domain import ids
    from mentorkit.errors import NotFound, UsageProblem
    from mentorkit.file.storage import load

    from .conftest import EXAMPLE

    actions = load(EXAMPLE).mentorship.actions
    if outcome == "ambiguous":
        with pytest.raises(UsageProblem) as problem:
            ids.find(actions, key, "action item")
        assert "matches 2 action items: a2tw" in problem.value.message
        assert "a7ks" in problem.value.message
    elif outcome == "missing":
        with pytest.raises(NotFound):
            ids.find(actions, key, "action item")
    else:
        assert ids.find(actions, key, "action item").id == outcome


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [(1, "revisions", "1 revision"), (2, "revisions", "2 revisions"), (1, "points of 10", "1 point of 10"),
     (1, "%", "1 %"), (1, "hours", "1 hour"), (1, "entries", "1 entry"), (1.5, "days", "1.5 days"),
     (1, "class", "1 class"), (3, None, "3")],
)  # fmt: skip
def test_amounts_and_plurals(value, unit, shown):
    from mentorkit.domain.wording import amount, plural

    assert amount(value, unit) == shown
    assert (plural(1, "day"), plural(2, "day"), plural(1, "KPI"), plural(0, "commit")) == (
        "1 day", "2 days", "1 KPI", "0 commits")  # fmt: skip


def test_the_right_verb_for_each_kind_of_resource(cli, repo: Path):
    ok(cli, "--as", "mentor", "resource", "add", "Negotiation podcast", "--kind", "podcast")
    ok(cli, "--as", "mentor", "resource", "add", "Cross-examination webinar", "--kind", "webinar")
    listed = ok(cli, "resource", "list")
    assert "to listen to" in listed and "to watch" in listed and "to read" in listed
    ok(cli, "resource", "done", "Negotiation podcast")
    assert "listened to podcast" in last_commit(repo)


def test_status_shows_goals_without_a_kpi(cli, example: Path):
    assert cli("--as", "mentor", "goal", "add", "Negotiating a settlement").exit_code == 0
    shown = cli("--today", "2026-11-26", "status").stdout
    assert "no KPI yet      Negotiating a settlement (" in shown
    data = json.loads(cli("--today", "2026-11-26", "status", "--json").stdout)["data"]
    assert [g["competency"] for g in data["goals_without_kpis"]] == ["Negotiating a settlement"]


def test_candidates_say_which_are_no_longer_open(cli, repo: Path):
    ok(cli, "action", "done", "a2tw")
    result = cli(*TODAY, "action", "done", "demand letter")
    assert result.exit_code == 2
    assert 'special…" (done); a7ks "Review' in result.stderr


def test_readme_and_help_quote_words_with_spaces_as_the_shell_needs(cli, repo: Path):
    import re

    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    help_text = cli("action", "done", "--help").stdout
    for text in (readme, help_text):
        assert not re.search(r"(?<![\"'])/[a-z]+ [a-z ]+/(?![\"'])", text)
    assert '`action done "/draft the demand letter/"`' in readme
    ok(cli, "action", "done", "/draft the demand letter/")


@pytest.mark.parametrize(
    "args",
    [
        ["action", "add", "Draft\nthe letter", "--due", "friday"],
        ["action", "edit", "a2tw", "--title", "Draft\r\nthe letter"],
        ["--as", "mentor", "resource", "add", "Two\nlines", "--kind", "book"],
        ["agenda", "add", "Costs\nbudgeting"],
        ["goal", "add", "Negotiation\nskills"],
        ["kpi", "edit", "k3wq", "--name", "Mock\u2028score"],
    ],
)
def test_titles_with_a_line_break_are_refused(cli, repo: Path, args: list[str]):
    before = (repo / "mentorship.yaml").read_bytes()
    result = cli(*TODAY, *args)
    assert result.exit_code == 2, result.output
    assert "must be on one line; it has a line break" in result.stderr
    assert (repo / "mentorship.yaml").read_bytes() == before


def test_negative_values_need_no_double_dash_and_are_questioned(cli, repo: Path):
    below = cli(*TODAY, "kpi", "record", "k3wq", "-4")
    assert below.exit_code == 2
    assert "-4 is below zero, and the baseline and target are not" in below.stderr
    ok(cli, "kpi", "record", "k3wq", "-4", "--force")
    ok(cli, "kpi", "fix", "k3wq", "2026-11-26", "-3", "--force")
    ok(cli, "action", "move", "a4ub", "-2d")
    m = storage.load(repo / "mentorship.yaml").mentorship
    assert m.goals[1].kpis[0].measurements[-1].value == -3
    assert next(a for a in m.actions if a.id == "a4ub").due.isoformat() == "2026-11-24"


@pytest.mark.parametrize("url", ["not a url", "javascript:alert(1)", "data:text/html,x"])
def test_resource_addresses_are_web_addresses(cli, repo: Path, url: str):
    result = cli(*TODAY, "resource", "edit", "r9ha", "--url", url)
    assert result.exit_code == 2 and "is not a web address" in result.stderr
    ok(cli, "resource", "edit", "r9ha", "--url", "https://example.com/chapter-7")


def test_a_title_has_a_length_limit(cli, repo: Path):
    result = cli(*TODAY, "action", "add", "x" * 2000, "--due", "friday")
    assert result.exit_code == 2
    assert "the title has 2000 characters; keep it under 300" in result.stderr
    ok(cli, "action", "add", "y" * 300, "--due", "friday")
