"""init, rules, validate, status and the CLI's behaviour, driven as a user would."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from mentorkit.cli import COMMANDS, app

from .conftest import EXAMPLE, INIT_FLAGS, TODAY, git


def test_init_without_input_writes_a_valid_file_and_commits_it(cli, isolated: Path):
    result = cli("--as", "mentor", "init", "--no-input", *INIT_FLAGS)
    assert result.exit_code == 0, result.output
    path = isolated / "mentorship.yaml"
    text = path.read_text(encoding="utf-8")
    assert "cadence: monthly on the second monday\n" in text
    assert "  feedback_day: friday\n" in text
    assert "    mentor: 2026-03-02\n" in text
    assert "Next steps" in result.stdout
    assert cli("validate").exit_code == 0
    log = git(isolated, "log", "--format=%an|%s")
    assert log == (
        "Diane Whitaker|mentor started the mentorship file: Diane Whitaker mentoring "
        "Tomás Okonkwo-Reyes\n"
    )
    assert git(isolated, "status", "--porcelain") == ""


def test_init_interview_through_its_prompts(cli, isolated: Path):
    answers = [
        "Diane Whitaker", "diane@example.com", "America/Chicago",
        "Tomás Okonkwo-Reyes", "tomas@example.co.uk", "Mars/Olympus", "Europe/London",
        "mentee",  # who is running it
        "2026-03-02", "quarterly", "2026-03-10", "4pm", "", "45", "phone",
        "https://meet.example.com/x", "thursday",
        "Run my first PI case end to end", "Teach better", "mentee",
        "", "voice message, email", "", "", "", "",  # accountability .. cancellations
        "", "",  # review, end
        "y",  # the summary is right
    ]  # fmt: skip
    result = cli("init", "--no-git", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "not a known time zone" in result.stdout  # asked again, not a crash
    text = (isolated / "mentorship.yaml").read_text(encoding="utf-8")
    for expected in (
        "    timezone: Europe/London\n",
        "  mentee_wants: Run my first PI case end to end\n",
        "  formal_channel: phone\n",
        "  cadence: quarterly\n  rrule: FREQ=MONTHLY;INTERVAL=3\n  first: 2026-03-10\n  time: '16:00'\n",
        "  duration: 45\n",
        "  feedback_day: thursday\n",
        "  - voice message\n  - email\n",
    ):
        assert expected in text
    assert not (isolated / ".git").exists()


def test_init_refuses_to_overwrite(cli, example: Path):
    before = example.read_bytes()
    result = cli("init", "--no-input", *INIT_FLAGS)
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert example.read_bytes() == before


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--mentee-tz", "Europe/Lundon"], "'Europe/Lundon' is not a known time zone"),
        (["--start", "2026-02-30"], "--start: '2026-02-30' is not a date"),
        (["--cadence", "whenever"], "cannot read the cadence 'whenever'"),
        (["--time", "25:00"], "cannot read the time '25:00'"),
        (["--mentee-email", "Diane@Example.com"], "is the mentor's email too"),
        (["--review", "2028-01-01", "--end", "2027-06-01"], "is before the review date"),
    ],
)
def test_init_rejects_bad_answers_without_writing(cli, isolated: Path, flags, message):
    result = cli("init", "--no-input", "--no-git", *INIT_FLAGS, *flags)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not (isolated / "mentorship.yaml").exists()


@pytest.mark.parametrize(
    ("end", "review"),
    [("2026-08-01", "2026-05-17"), ("2026-03-03", "2026-03-03"), ("2027-06-01", "2026-08-31")],
)
def test_init_puts_its_own_review_date_inside_a_given_term(cli, isolated: Path, end, review):
    """No review date given: half a year after the start, or half-way through a shorter term."""
    result = cli("init", "--no-input", "--no-git", *INIT_FLAGS, "--end", end)
    assert result.exit_code == 0, result.output
    text = (isolated / "mentorship.yaml").read_text(encoding="utf-8")
    assert f"    review: {review}\n    end: {end}\n" in text


def test_init_needs_names_without_input(cli, isolated: Path):
    result = cli("init", "--no-input", "--no-git")
    assert result.exit_code == 2
    assert "needs --mentor-name and --mentor-email" in result.stderr


def test_rules_show_and_set_and_agree_in_git(cli, repo: Path):
    shown = cli("rules")
    assert "Client details stay anonymised" in shown.stdout
    result = cli("--today", TODAY, "rules", "set", "response_time", "within 1 working day")
    assert result.exit_code == 0, result.output
    text = (repo / "mentorship.yaml").read_text(encoding="utf-8")
    assert "  response_time: within 1 working day\n" in text
    # the mentee (git user.email) changed it, so the mentor has to agree again
    assert re.search(
        r"  agreed:\n    mentee: 2026-11-26\n    mentee_rules: [0-9a-f]{12}\nschedule:", text
    )
    assert "the mentor has not agreed" in cli("rules").stderr
    # a hand edit of a rule voids both agreements: neither agreed to the edited rules
    assert cli("--as", "mentor", "--today", TODAY, "rules", "agree").exit_code == 0
    assert "has not agreed" not in cli("rules").stderr
    edited = (repo / "mentorship.yaml").read_text(encoding="utf-8")
    (repo / "mentorship.yaml").write_text(edited.replace("within 1 working day", "whenever"))
    warned = cli("rules").stderr
    assert "the mentor has not agreed" in warned and "the mentee has not agreed" in warned
    (repo / "mentorship.yaml").write_text(edited)
    assert git(repo, "log", "-2", "--format=%s") == (
        "mentor recorded that the mentor agreed to the ground rules\n"
        'mentee changed the rule response time: "within 2 working days" → "within 1 working day"\n'
    )


def test_rules_set_rejects_unknown_rules_and_bad_values(cli, example: Path):
    before = example.read_bytes()
    bad = cli("--as", "mentor", "rules", "set", "dress_code", "formal")
    assert bad.exit_code == 2 and "there is no rule called 'dress_code'" in bad.stderr
    bad = cli("--as", "mentor", "rules", "set", "initiates_contact", "nobody")
    assert bad.exit_code == 2 and "initiates_contact is one of mentor, mentee, either" in bad.stderr
    bad = cli("--as", "mentor", "rules", "set", "review", "soon")
    assert bad.exit_code == 2 and "review: 'soon' is not a date" in bad.stderr
    assert example.read_bytes() == before


def test_rules_set_needs_to_know_who_you_are(cli, example: Path):
    result = cli("rules", "set", "response_time", "fast")
    assert result.exit_code == 2
    assert "cannot tell whether you are the mentor or the mentee" in result.stderr
    result = cli("--as", "boss", "rules", "set", "response_time", "fast")
    assert "--as: 'boss' is neither mentor nor mentee" in result.stderr


def test_validate_reports_every_problem_and_gaps(cli, example: Path):
    assert cli("validate").exit_code == 0
    text = example.read_text(encoding="utf-8")
    text = text.replace(
        "  confidentiality: Client details stay anonymised in this file; what we say about colleagues stays between us.\n",
        "",
    )
    example.write_text(text, encoding="utf-8")
    ok = cli("validate")
    assert ok.exit_code == 0 and "no confidentiality rule" in ok.stderr
    example.write_text(
        text.replace("    target: 8\n", "    target: ten\n").replace(
            "  due: 2026-11-20\n", "  due: soon\n"
        )
    )
    bad = cli("validate", str(example))
    assert bad.exit_code == 1
    assert "goals[g9tp].kpis[k3wq].target: expected a number, got 'ten'" in bad.stderr
    assert "actions[a4ub].due: expected a date like 2026-03-05, got 'soon'" in bad.stderr


def test_validate_warns_of_a_review_after_the_end_and_one_email_for_both(cli, example: Path):
    text = example.read_text(encoding="utf-8")
    example.write_text(
        text.replace("    review: 2026-09-01\n", "    review: 2027-06-01\n").replace(
            "tomas.okonkwo@example.co.uk", "Diane.Whitaker@example.com"
        ),
        encoding="utf-8",
    )
    result = cli("validate")
    assert result.exit_code == 0
    assert "the review date 2027-06-01 is after the end of the term, 2027-03-01" in result.stderr
    assert "the mentor and the mentee have the same email" in result.stderr
    later = cli("--as", "mentor", "rules", "set", "end", "2026-08-01")
    assert later.exit_code == 2 and "would be after the end of the term" in later.stderr


def test_status_on_the_example(cli, example: Path):
    result = cli("--today", TODAY, "status")
    assert result.exit_code == 0, result.output
    assert "Mentorship Diane Whitaker (mentor) and Tomás Okonkwo-Reyes (mentee)" in result.stdout
    assert "Tue 1 Dec 2026, 10:00 CST  (in 5 days, 60 min, video)" in result.stdout
    assert "for the mentee, Tomás Okonkwo-Reyes: Tue 1 Dec 2026, 16:00 GMT" in result.stdout
    assert "mentee  2 open, 2 overdue, 3 done" in result.stdout
    assert "mentor  1 open, 2 done" in result.stdout
    assert "\x1b[" not in result.stdout  # plain when not a terminal


def test_status_json_has_a_stable_envelope(cli, example: Path):
    import json

    data = json.loads(cli("--today", TODAY, "status", "--json").stdout)
    assert data["mentorkit"] == 1 and data["kind"] == "status"
    assert data["data"]["next_meeting"]["local"]["mentee"] == "2026-12-01T16:00:00+00:00"
    assert data["data"]["actions"]["mentee"] == {"open": 2, "overdue": 2, "done": 3}


def test_the_file_is_found_by_walking_up_or_by_flag_or_env(cli, example: Path, monkeypatch):
    deeper = example.parent / "notes" / "2026"
    deeper.mkdir(parents=True)
    monkeypatch.chdir(deeper)
    assert cli("validate").exit_code == 0
    monkeypatch.chdir(example.parent.parent)
    missing = cli("status")
    assert (
        missing.exit_code == 3
        and "no mentorship.yaml in this folder or any folder above" in missing.stderr
    )
    assert cli("-f", str(example), "validate").exit_code == 0
    monkeypatch.setenv("MENTORKIT_FILE", str(example))
    assert cli("validate").exit_code == 0


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda t: t.replace("format: 2\n", "format: 2\nformat: 2\n"), "appears twice"),
        (lambda t: "people: !!python/object/apply:os.system ['echo hi']\n" + t, "is not allowed"),
        (
            lambda t: t.replace(
                "  time: '10:00'\n",
                "<<<<<<< HEAD\n  time: '10:00'\n=======\n  time: '11:00'\n>>>>>>> b\n",
            ),
            "merge-conflict markers",
        ),
        (lambda t: t[: t.index("'Webinar") + 9], "line"),  # truncated inside a quoted title
    ],
)
def test_bad_files_give_one_sentence_and_stay_unchanged(cli, example: Path, mangle, message):
    example.write_text(mangle(example.read_text(encoding="utf-8")), encoding="utf-8")
    before = example.read_bytes()
    for args in (["status"], ["--as", "mentor", "rules", "set", "response_time", "x"]):
        result = cli(*args)
        assert result.exit_code == 4, result.output
        assert message in result.stderr
        assert "Traceback" not in result.output
        assert example.read_bytes() == before


def test_every_command_has_help(cli):
    import typer.main

    top = cli("--help")
    assert top.exit_code == 0
    group = typer.main.get_command(app)
    for name in COMMANDS:
        assert name in top.stdout
        command = group.get_command(None, name)
        assert command.help, name
        result = cli(name, "--help")
        assert result.exit_code == 0 and "Usage:" in result.stdout
        for sub in getattr(command, "commands", {}).values():
            assert sub.help, f"{name} {sub.name}"


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.startswith("mentorkit ")


def test_debug_shows_the_traceback(cli, example: Path):
    example.write_text("format: 1\nformat: 2\n")
    with pytest.raises(Exception, match="appears twice"):
        cli("--debug", "status")


def test_python_dash_m_runs_the_cli(example: Path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "mentorkit", "--today", TODAY, "status"],
        capture_output=True, text=True, env={**os.environ}, cwd=example.parent,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Next meeting" in result.stdout
    assert EXAMPLE.read_bytes() == example.read_bytes()
