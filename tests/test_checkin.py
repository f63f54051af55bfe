"""checkin, meeting log and followup: golden files, prompts, a real terminal, email."""

from __future__ import annotations

import email
import email.policy
import os
import sys
from pathlib import Path

import pytest

from mentorkit.domain.meetings import build_brief
from mentorkit.file import storage

from .conftest import DATA, TODAY, git


def committed_as_told(cli, repo: Path) -> list[str]:
    """The last commit's message, line by line, having checked that it is the very lines
    `history` tells for that commit (the first the subject, the others the body)."""
    import json

    commit = git(repo, "rev-parse", "HEAD").strip()
    events = json.loads(cli("history", "--json").stdout)["data"]
    told = [f"{e['role']} {e['text']}" for e in events if e["commit"] == commit]
    message = git(repo, "log", "-1", "--format=%B").strip().split("\n\nReason: ")[0]
    lines = [line for line in message.splitlines() if line]
    assert lines == told
    return lines


def test_markdown_brief_matches_the_golden_file(cli, example: Path):
    result = cli(
        "--as", "mentee", "--today", TODAY, "checkin", "--no-input", "--format", "markdown"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == (DATA / "checkin-mentee-2026-11-26.md").read_text(encoding="utf-8")


def test_followup_matches_the_golden_file(cli, example: Path):
    result = cli("--today", TODAY, "followup")
    assert result.exit_code == 0, result.output
    assert result.stdout == (DATA / "followup-2026-11-03.md").read_text(encoding="utf-8")


def test_brief_since_the_last_meeting_from_the_file_dates(example: Path):
    from datetime import UTC, date, datetime

    m = storage.load(example).mentorship
    brief = build_brief(m, "mentor", datetime(2026, 9, 30, 12, tzinfo=UTC), date(2026, 9, 30))
    assert brief.since.label == "the meeting of 2026-09-01"
    assert [a.id for a, _ in brief.since.completed] == []
    assert [(c.kpi.id, c.change) for c in brief.since.measurements] == [("k7rd", 0)]
    assert {(f.from_, f.to) for f in brief.since.feedback} == {("mentee", "mentor")}
    assert [a.id for a in brief.mine] == ["a7ks"]
    later = build_brief(m, "mentee", datetime(2026, 11, 26, 12, tzinfo=UTC), date(2026, 11, 26))
    assert [a.id for a in later.mine] == ["a2tw", "a4ub"]  # overdue first
    assert [a.id for a in later.theirs] == ["a7ks"]
    assert [p.id for p in later.agenda.talking_points] == ["p8ym", "p3zn"]


def test_brief_without_a_logged_meeting_uses_the_schedule(example: Path):
    from datetime import UTC, date, datetime

    m = storage.load(example).mentorship
    m.meetings = []
    brief = build_brief(m, "mentee", datetime(2026, 11, 26, 12, tzinfo=UTC), date(2026, 11, 26))
    assert brief.since.label == "the meeting due on 2026-11-03"


def test_interactive_checkin_through_its_prompts(cli, repo: Path):
    answers = "\n".join([
        "d",  # a2tw done
        "m", "+1w",  # a4ub moved a week
        "3.5",  # k3wq, the only active KPI not measured since the meeting of 2026-11-03
        "Costs of the physio report",  # talking point
        "",  # finish
    ]) + "\n"  # fmt: skip
    result = cli("--today", TODAY, "checkin", "--input", input=answers)
    assert result.exit_code == 0, result.output
    m = storage.load(repo / "mentorship.yaml").mentorship
    actions = {a.id: a for a in m.actions}
    assert actions["a2tw"].status == "done" and actions["a2tw"].completed.isoformat() == TODAY
    assert actions["a4ub"].due.isoformat() == "2026-12-03"
    assert [x.value for x in m.goals[1].kpis[0].measurements][-1] == 3.5
    assert m.agenda[-1].text == "Costs of the physio report"
    told = committed_as_told(cli, repo)
    assert [line.split(" ")[1] for line in told] == ["recorded", "completed", "moved", "added"]
    assert "Agenda" in result.stdout


def test_checkin_reads_whole_words_and_asks_again_instead_of_guessing(cli, repo: Path):
    answers = "\n".join([
        "delete", "maybe",  # a2tw: not answers, asked again
        "drop", "client settled",  # the word on the prompt means drop, not done
        "move", "someday", "+1w",  # a4ub: an unreadable date is asked again; nothing is lost
        "k", "250", "n", "3.5",  # k3wq: not a number, then a typo declined, then the value
        "",  # no talking point
    ]) + "\n"  # fmt: skip
    result = cli("--today", TODAY, "checkin", "--input", input=answers)
    assert result.exit_code == 0, result.output
    m = storage.load(repo / "mentorship.yaml").mentorship
    actions = {a.id: a for a in m.actions}
    assert actions["a2tw"].status == "dropped" and actions["a2tw"].completed is None
    assert actions["a4ub"].due.isoformat() == "2026-12-03"
    assert [x.value for x in m.goals[1].kpis[0].measurements][-1] == 3.5
    assert "'delete' is not an answer here" in result.stderr
    assert "'maybe' is not an answer here" in result.stderr
    assert "cannot read the date 'someday'" in result.stderr
    assert "'k' is not a number" in result.stderr
    assert "250 is far outside the range from 3 to 8" in result.stderr
    told = committed_as_told(cli, repo)
    assert [line.split(" ")[1] for line in told] == ["recorded", "dropped", "moved"]


def test_meeting_log_asks_again_for_an_action_it_cannot_read(cli, example: Path):
    answers = "My notes.\nDecided X\n\nmentee|Do it|someday\nmentee|Do it|+3d\n\nn\nn\n"
    result = cli(
        "--as", "mentor", "--today", "2026-12-01", "meeting", "log", "--input", input=answers
    )
    assert result.exit_code == 0, result.output
    assert "cannot read the date 'someday'" in result.stderr
    meeting = storage.load(example).mentorship.meetings[-1]
    assert (meeting.notes, meeting.decisions) == ("My notes.", ["Decided X"])
    assert storage.load(example).mentorship.actions[-1].due.isoformat() == "2026-12-04"


def test_the_commit_that_created_the_file_is_not_news(cli, repo: Path):
    text = cli(
        "--as", "mentee", "--today", TODAY, "checkin", "--no-input", "--format", "markdown"
    ).stdout
    since = text.split("## Since the meeting of 2026-11-03\n\n")[1].split("\n\n")[0]
    assert "created action" not in since and "started the mentorship file" not in since


def test_skipping_everything_changes_nothing(cli, repo: Path):
    before = (repo / "mentorship.yaml").read_bytes()
    result = cli("--today", TODAY, "checkin", "--input", input="\n\n\n\n\n")
    assert result.exit_code == 0, result.output
    assert (repo / "mentorship.yaml").read_bytes() == before
    assert git(repo, "log", "--format=%s") == "Start\n"


def test_skipping_everything_leaves_a_file_in_its_own_layout_as_it_was(cli, repo: Path):
    """A valid file laid out by hand (or by another tool): a check-in that answered nothing
    neither rewrites it nor leaves a staged change behind."""
    import yaml

    path = repo / "mentorship.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    git(repo, "commit", "--quiet", "-am", "Laid out by hand")
    before = path.read_bytes()
    result = cli("--as", "mentor", "--today", TODAY, "checkin", "--input", input="\n" * 40)
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == before
    assert git(repo, "status", "--porcelain") == ""


def test_meeting_log_by_flags_closes_covered_points_and_adds_actions(cli, repo: Path):
    result = cli("--today", "2026-12-01", "meeting", "log", "--notes", "Demand letter reviewed.",
                 "-d", "Send it on Friday", "-a", "mentee|Send the demand letter|friday",
                 "-a", "mentor|Review the mediation brief|2026-12-10", "-c", "p3z")  # fmt: skip
    assert result.exit_code == 0, result.output
    m = storage.load(repo / "mentorship.yaml").mentorship
    meeting = m.meetings[-1]
    assert (meeting.date.isoformat(), meeting.decisions, meeting.covered) == (
        "2026-12-01",
        ["Send it on Friday"],
        ["p3zn"],
    )
    assert [p.status for p in m.agenda] == ["open", "done"]
    new = [(a.owner, a.title, a.due.isoformat()) for a in m.actions[-2:]]
    assert new == [
        ("mentee", "Send the demand letter", "2026-12-04"),
        ("mentor", "Review the mediation brief", "2026-12-10"),
    ]
    told = committed_as_told(cli, repo)
    assert "mentee logged the meeting of 2026-12-01 as held" in "\n".join(told)
    assert sum(" added action " in line for line in told) == 2
    followup = cli("--today", "2026-12-01", "followup", "2026-12-01").stdout
    assert "## Covered\n\n- Mediation strategy and the first offer" in followup
    assert "## Carried over to the next meeting\n\n- How to value the future care claim" in followup


def test_meeting_log_interactive(cli, example: Path):
    answers = "Short one.\nAgree the offer range\n\nmentee|Draft the offer letter|+3d\n\ny\nn\n"
    result = cli(
        "--as", "mentor", "--today", "2026-12-01", "meeting", "log", "--input", input=answers
    )
    assert result.exit_code == 0, result.output
    m = storage.load(example).mentorship
    assert m.meetings[-1].notes == "Short one." and m.meetings[-1].decisions == [
        "Agree the offer range"
    ]
    assert m.meetings[-1].covered == ["p8ym"]
    assert m.actions[-1].due.isoformat() == "2026-12-04"


def test_meeting_log_rejects_bad_actions_and_unknown_points(cli, example: Path):
    before = example.read_bytes()
    bad = cli("--as", "mentor", "meeting", "log", "-a", "boss|Do it|friday")
    assert bad.exit_code == 2 and "write it as OWNER|TITLE|DUE" in bad.stderr
    bad = cli("--as", "mentor", "meeting", "log", "-c", "pzz")
    assert bad.exit_code == 3 and "no talking point has an ID starting with 'pzz'" in bad.stderr
    assert example.read_bytes() == before


def test_followup_as_an_email_message(cli, example: Path, tmp_path: Path):
    target = tmp_path / "followup.eml"
    result = cli("--as", "mentee", "--today", TODAY, "followup", "--eml", str(target))
    assert result.exit_code == 0, result.output
    message = email.message_from_bytes(target.read_bytes(), policy=email.policy.default)
    assert message["Subject"] == "Follow-up: mentoring meeting of 2026-11-03"
    assert [a.addr_spec for a in message["To"].addresses] == [
        "diane.whitaker@example.com",
        "tomas.okonkwo@example.co.uk",
    ]
    assert message["To"].addresses[1].display_name == "Tomás Okonkwo-Reyes"
    assert message["From"].addresses[0].addr_spec == "tomas.okonkwo@example.co.uk"
    assert message["X-Unsent"] == "1"
    assert message["Reply-To"].addresses[0].addr_spec == "tomas.okonkwo@example.co.uk"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    body = message.get_body(("plain",)).get_content()
    assert body.startswith("Hello Diane Whitaker and Tomás Okonkwo-Reyes,\n")
    assert (
        "Review Tomás's demand letter and mark up the damages section: Diane Whitaker (mentor), due 2026-12-04"
        in body
    )


def test_followup_as_a_mailto_link(cli, example: Path):
    from urllib.parse import parse_qs, urlsplit

    link = cli("--today", TODAY, "followup", "--mailto").stdout.strip()
    parts = urlsplit(link)
    assert (
        parts.scheme == "mailto"
        and parts.path == "diane.whitaker@example.com,tomas.okonkwo@example.co.uk"
    )
    query = parse_qs(parts.query)
    assert query["subject"] == ["Follow-up: mentoring meeting of 2026-11-03"]
    assert "Tomás" in query["body"][0]


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_checkin_in_a_real_terminal_and_ctrl_c_leaves_the_file(example: Path):
    pexpect = pytest.importorskip("pexpect")
    env = {
        **os.environ,
        "MENTORKIT_ROLE": "mentee",
        "MENTORKIT_TODAY": TODAY,
        "NO_COLOR": "1",
        "COLUMNS": "200",
    }
    before = example.read_bytes()
    child = pexpect.spawn(sys.executable, ["-m", "mentorkit", "checkin"], cwd=str(example.parent), env=env,
                          encoding="utf-8", timeout=20)  # fmt: skip
    child.expect(r"Draft the demand letter.*\[d\]one, \[u\]pdate")
    child.sendline("d")
    child.expect(r"Book the third mock deposition")
    child.sendintr()  # Ctrl-C in the middle of the check-in
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "interrupted; nothing was changed" in child.before
    assert example.read_bytes() == before
    # and a completed run in the terminal saves
    child = pexpect.spawn(sys.executable, ["-m", "mentorkit", "checkin"], cwd=str(example.parent), env=env,
                          encoding="utf-8", timeout=20)  # fmt: skip
    for prompt, answer in (
        (r"\[k\]eep", "k"),
        (r"\[k\]eep", "d"),
        (r"New value", ""),
        (r"Talking point", ""),
    ):
        child.expect(prompt)
        child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "mentee checked in before the meeting: 1 done" in child.before


def test_in_git_the_brief_says_who_changed_what(cli, example: Path):
    folder = example.parent
    dated = lambda day, name, mail: {**os.environ, "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": mail,  # noqa: E731
                                     "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": mail,
                                     "GIT_AUTHOR_DATE": f"{day}T09:00:00Z", "GIT_COMMITTER_DATE": f"{day}T09:00:00Z"}  # fmt: skip
    import subprocess

    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
    subprocess.run(["git", "add", "mentorship.yaml"], cwd=folder, check=True)
    subprocess.run(["git", "commit", "-qm", "Start"], cwd=folder, check=True,
                   env=dated("2026-10-01", "Diane", "diane.whitaker@example.com"))  # fmt: skip
    tomas = dated("2026-11-10", "Tomás", "tomas.okonkwo@example.co.uk")
    assert (
        cli(
            "--as", "mentee", "--today", "2026-11-10", "action", "done", "a4ub", env=tomas
        ).exit_code
        == 0
    )
    # a hand edit by the mentor, committed with plain git
    example.write_text(
        example.read_text(encoding="utf-8").replace("  due: 2026-12-04\n", "  due: 2026-12-11\n")
    )
    subprocess.run(["git", "commit", "-qam", "later"], cwd=folder, check=True,
                   env=dated("2026-11-12", "Diane", "diane.whitaker@example.com"))  # fmt: skip
    text = cli(
        "--as", "mentee", "--today", TODAY, "checkin", "--no-input", "--format", "markdown"
    ).stdout
    section = text.split("## Since the meeting of 2026-11-03\n\n")[1].split("\n\n")[0].splitlines()
    assert section[:2] == [
        '- 2026-11-10 mentee: completed action a4ub "Book the third mock deposition before the mediation date" (due 2026-11-20, 10 days early)',
        '- 2026-11-12 mentor: moved action a7ks "Review Tomás\'s demand letter and mark up the damages section" from 2026-12-04 to 2026-12-11, 7 days later',
    ]


def test_followup_leaves_the_notes_out_when_asked(cli, example: Path, tmp_path: Path):
    notes = "Demand letter is late; physio invoices are the blocker."
    assert notes in cli("--today", TODAY, "followup").stdout
    assert notes not in cli("--today", TODAY, "followup", "--no-notes").stdout
    target = tmp_path / "no-notes.eml"
    result = cli("--as", "mentee", "--today", TODAY, "followup", "--no-notes", "--eml", str(target))
    assert result.exit_code == 0 and notes not in target.read_text(encoding="utf-8")
    assert notes in example.read_text(encoding="utf-8")  # the file keeps them
