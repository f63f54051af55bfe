"""`status` and `checkin` say how a clone stands against its remote; `checkin` fetches
first, and being offline is said, not an error."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import git
from .test_git_record import clone_pair, run_in


def test_ahead_and_behind_as_of_the_last_fetch(cli, isolated: Path):
    mentor, mentee = clone_pair(cli, isolated.parent)
    status = run_in(cli, mentee, "status").stdout
    assert "git: in step with origin/main (as of the last fetch or push, " in status
    assert (
        run_in(cli, mentor, "--as", "mentor", "agenda", "add", "Mediation strategy").exit_code == 0
    )
    assert run_in(cli, mentor, "--as", "mentor", "agenda", "add", "Expert fees").exit_code == 0
    assert "git: 2 commits of yours not pushed" in run_in(cli, mentor, "status").stdout
    git(mentor, "push", "-q")
    assert run_in(cli, mentee, "--as", "mentee", "agenda", "add", "Trip records").exit_code == 0
    # status does not fetch: the mentee does not know yet
    status = run_in(cli, mentee, "status").stdout
    assert "git: 1 commit of yours not pushed (as of the last fetch or push" in status
    checkin = run_in(cli, mentee, "--as", "mentee", "checkin", "--no-input")
    assert checkin.exit_code == 0, checkin.output
    assert (
        "git: 1 commit of yours not pushed, 2 commits from origin/main not pulled "
        "(fetched just now); `mentorkit sync` brings both up to date"
    ) in checkin.stdout
    shape = json.loads(run_in(cli, mentee, "status", "--json").stdout)["data"]["git"]
    assert (shape["upstream"], shape["ahead"], shape["behind"]) == ("origin/main", 1, 2)


def test_checkin_offline_says_so_and_carries_on(cli, isolated: Path):
    _mentor, mentee = clone_pair(cli, isolated.parent)
    git(mentee, "remote", "set-url", "origin", str(isolated.parent / "gone.git"))
    checkin = run_in(cli, mentee, "--as", "mentee", "checkin", "--no-input", "--format", "markdown")
    assert checkin.exit_code == 0, checkin.output
    assert "git: could not fetch (" in checkin.stderr
    assert "working from what is here" in checkin.stderr
    assert "git:" not in checkin.stdout  # the Markdown to paste stays clean


def test_no_remote_and_no_git(cli, repo: Path, isolated: Path):
    assert "git: no remote yet" in cli("--today", "2026-11-26", "status").stdout
    (repo / ".git").rename(repo / "not-git")
    assert "git:" not in cli("--today", "2026-11-26", "status").stdout
