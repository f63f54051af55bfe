"""Two people, one record: two clones of a bare remote, each with its own identity, driven
through the CLI. Every scenario ends with both clones valid and identical, or stops on a
conflict that keeps both sides and says why; nothing invalid is committed or pushed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from mentorkit.file import fileformat, storage

from .conftest import EXAMPLE, INIT_FLAGS, git
from .test_git_record import clone_pair, run_in

FILE = "mentorship.yaml"


def setup_pair(cli, tmp: Path) -> tuple[Path, Path]:
    mentor, mentee = clone_pair(cli, tmp)
    assert run_in(cli, mentee, "git", "setup").exit_code == 0
    return mentor, mentee


def ok(cli, folder: Path, *args: str) -> None:
    result = run_in(cli, folder, *args)
    assert result.exit_code == 0, (args, result.output)


def take(text: str, side: str) -> str:
    """Resolve every conflict by keeping one side, as a person would in an editor."""
    out, state = [], None
    for line in text.split("\n"):
        if line.startswith("<<<<<<< "):
            state = "ours"
        elif line == "=======" and state:
            state = "theirs"
        elif line.startswith(">>>>>>> ") and state:
            state = None
        elif state in (None, side):
            out.append(line)
    return "\n".join(out)


EDITOR = """import sys, pathlib
sys.path.insert(0, {root!r})
from tests.test_shared_record import take
p = pathlib.Path(sys.argv[1])
p.write_text(take(p.read_text(), {side!r}))
"""


def remote_head(folder: Path) -> str:
    git(folder, "fetch", "-q")
    return git(folder, "rev-parse", "origin/main").strip()


def hand_edit(folder: Path, old: str, new: str, *, verify: bool = True) -> None:
    path = folder / FILE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    git(folder, "commit", "-qam", "hand edit", *([] if verify else ["--no-verify"]))


def assert_same_and_valid(cli, mentor: Path, mentee: Path) -> None:
    assert (mentor / FILE).read_bytes() == (mentee / FILE).read_bytes()
    assert cli("validate", str(mentor / FILE)).exit_code == 0
    assert git(mentor, "status", "--porcelain") == "" and git(mentee, "status", "--porcelain") == ""


# --------------------------------------------------------------------------- never invalid


def test_a_reference_to_a_goal_deleted_on_the_other_side_is_a_conflict(cli, isolated: Path):
    mentor, mentee = setup_pair(cli, isolated)
    ok(
        cli,
        mentee,
        "action",
        "add",
        "Summarise the adjuster call",
        "--due",
        "friday",
        "--goal",
        "g2hx",
    )
    ok(cli, mentee, "sync")
    text = (mentor / FILE).read_text(encoding="utf-8")
    goal = text[text.index("- id: g2hx") : text.index("actions:\n")]
    hand_edit(mentor, goal, "")
    result = run_in(cli, mentor, "sync")
    assert result.exit_code == 6, result.output
    assert "goals[g2hx]: deleted on one side while actions[" in result.stderr
    assert "sync --continue" in result.stderr
    conflicted = (mentor / FILE).read_text(encoding="utf-8")
    assert "<<<<<<< ours\n=======\n- id: g2hx\n" in conflicted  # their goal, kept whole
    assert "Summarise the adjuster call" in conflicted
    assert cli("validate", str(mentor / FILE)).exit_code == 1
    assert run_in(cli, mentor, "sync", "--continue").exit_code == 4  # markers left: refused
    assert (mentor / ".git" / "MERGE_HEAD").exists()
    (mentor / FILE).write_text(take(conflicted, "theirs"), encoding="utf-8")
    ok(cli, mentor, "sync", "--continue")
    assert len(git(mentor, "log", "-1", "--format=%P").split()) == 2  # the merge is committed
    ok(cli, mentee, "sync")
    assert_same_and_valid(cli, mentor, mentee)


def test_an_unreadable_side_is_a_conflict_keeping_both_sides_byte_for_byte(cli, isolated: Path):
    mentor, mentee = setup_pair(cli, isolated)
    path = mentee / FILE
    path.write_bytes(path.read_bytes().replace(b"Debrief of the first", b"D\xe9brief of the first"))
    git(mentee, "commit", "-qam", "latin-1", "--no-verify")
    git(mentee, "push", "-q")
    ok(cli, mentor, "agenda", "add", "Settlement range")
    ours = (mentor / FILE).read_bytes()
    result = run_in(cli, mentor, "sync")
    assert result.exit_code == 6 and "not UTF-8" in result.stderr, result.output
    data = (mentor / FILE).read_bytes()
    assert data == b"<<<<<<< ours\n" + ours + b"=======\n" + path.read_bytes() + b">>>>>>> theirs\n"
    assert cli("validate", str(mentor / FILE)).exit_code == 1
    assert "save the file as UTF-8 (`mentorkit edit` opens only UTF-8 files)" in result.stderr
    edit = cli("-f", str(mentor / FILE), "edit", env={"VISUAL": "true"})
    assert edit.exit_code == 4 and "`mentorkit edit` opens only UTF-8 text" in edit.stderr
    assert "mentorkit sync --continue" in edit.stderr and (mentor / FILE).read_bytes() == data


def test_a_newer_format_or_comments_are_a_conflict_not_a_silent_merge(cli, isolated: Path):
    mentor, mentee = setup_pair(cli, isolated)
    hand_edit(mentee, "agenda:\n", "# talk about this first\nagenda:\n")
    ok(cli, mentee, "sync")
    ok(cli, mentor, "agenda", "add", "Settlement range")
    result = run_in(cli, mentor, "sync")
    assert result.exit_code == 6 and "has comments" in result.stderr, result.output
    assert "# talk about this first" in (mentor / FILE).read_text(encoding="utf-8")
    git(mentor, "merge", "--abort")
    # format 2, pulled without a local change: a fast-forward, caught after the pull
    before = remote_head(mentor)
    git(mentor, "reset", "-q", "--hard", "origin/main")
    hand_edit(mentee, "format: 2\n", "format: 3\n", verify=False)
    git(mentee, "push", "-q")
    result = run_in(cli, mentor, "sync")
    assert result.exit_code == 4 and "newer mentorkit (format 3)" in result.stderr, result.output
    assert "after pulling" in result.stderr and "nothing was pushed" in result.stderr
    assert remote_head(mentor) != before  # the mentee's push, and nothing from the mentor


def test_markers_committed_by_a_plain_rebase_continue_are_caught_before_pushing(
    cli, isolated: Path
):
    mentor, mentee = setup_pair(cli, isolated)
    ok(cli, mentee, "goal", "edit", "g9tp", "--competency", "Depositions")
    ok(cli, mentee, "sync")
    ok(cli, mentor, "goal", "edit", "g9tp", "--competency", "Deposing witnesses")
    assert run_in(cli, mentor, "sync", "--rebase").exit_code == 6
    git(mentor, "add", FILE)
    git(mentor, "-c", "core.editor=true", "rebase", "--continue")  # markers and all
    pushed = remote_head(mentor)
    result = run_in(cli, mentor, "sync")
    assert result.exit_code == 4 and "merge-conflict markers" in result.stderr, result.output
    assert "nothing was pushed" in result.stderr and "mentorkit edit" in result.stderr
    assert remote_head(mentor) == pushed
    # the same for a hand edit committed with --no-verify
    editor = isolated / "take-theirs.py"
    editor.write_text(
        EDITOR.format(root=str(Path(__file__).resolve().parent.parent), side="theirs")
    )
    env = {"VISUAL": f"{sys.executable} {editor}"}
    fixed = cli("-f", str(mentor / FILE), "--as", "mentor", "edit", env=env)
    assert fixed.exit_code == 0, fixed.output
    result = run_in(cli, mentor, "sync")  # the commit with the markers would still be pushed
    assert result.exit_code == 4 and "not yet pushed, holds an invalid" in result.stderr
    assert "merge-conflict markers" in result.stderr and remote_head(mentor) == pushed
    git(mentor, "rebase", "-q", "-i", "@{u}", env={"GIT_SEQUENCE_EDITOR": "sed -i 2s/^pick/fixup/"})
    ok(cli, mentor, "sync")
    ok(cli, mentee, "sync")
    assert_same_and_valid(cli, mentor, mentee)
    # in a rebase, "theirs" is your own commit being replayed onto the other person's
    assert storage.load(mentee / FILE).mentorship.goals[1].competency == "Deposing witnesses"


def stopped_on_a_conflict(cli, tmp: Path) -> tuple[Path, Path]:
    """Both people renamed one goal; the mentor's sync stops on the conflict."""
    mentor, mentee = setup_pair(cli, tmp)
    ok(cli, mentee, "goal", "edit", "g9tp", "--competency", "Depositions")
    ok(cli, mentee, "sync")
    ok(cli, mentor, "goal", "edit", "g9tp", "--competency", "Deposing witnesses")
    assert run_in(cli, mentor, "sync").exit_code == 6
    return mentor, mentee


def test_edit_during_a_merge_validates_and_finishes_the_merge(cli, isolated: Path):
    mentor, mentee = stopped_on_a_conflict(cli, isolated)
    editor = isolated / "take-theirs.py"
    editor.write_text(
        EDITOR.format(root=str(Path(__file__).resolve().parent.parent), side="theirs")
    )
    result = cli("-f", str(mentor / FILE), "edit", env={"VISUAL": f"{sys.executable} {editor}"})
    assert result.exit_code == 0, result.output
    assert "finished the merge" in result.stdout
    assert len(git(mentor, "log", "-1", "--format=%P").split()) == 2
    ok(cli, mentor, "sync", "--continue")  # the README's steps, as written: it pushes
    assert remote_head(mentor) == git(mentor, "rev-parse", "HEAD").strip()
    ok(cli, mentee, "sync")
    assert_same_and_valid(cli, mentor, mentee)


def test_a_write_during_an_unfinished_merge_refuses_up_front(cli, isolated: Path):
    mentor, _ = stopped_on_a_conflict(cli, isolated)
    text = (mentor / FILE).read_text(encoding="utf-8")
    (mentor / FILE).write_text(take(text, "ours"), encoding="utf-8")  # resolved, not finished
    resolved = (mentor / FILE).read_bytes()
    result = run_in(cli, mentor, "--as", "mentor", "agenda", "add", "Settlement range")
    assert result.exit_code == 6, result.output
    assert "a merge is in progress in this clone, so nothing was changed" in result.stderr
    assert (mentor / FILE).read_bytes() == resolved
    ok(cli, mentor, "sync", "--continue")
    ok(cli, mentor, "--as", "mentor", "agenda", "add", "Settlement range")


def test_a_rebase_conflict_is_finished_with_sync_continue(cli, isolated: Path):
    mentor, mentee = setup_pair(cli, isolated)
    ok(cli, mentee, "goal", "edit", "g9tp", "--competency", "Depositions")
    ok(cli, mentee, "sync")
    ok(cli, mentor, "goal", "edit", "g9tp", "--competency", "Deposing witnesses")
    ok(cli, mentor, "agenda", "add", "Settlement range")
    result = run_in(cli, mentor, "sync", "--rebase")
    assert result.exit_code == 6 and "sync --continue" in result.stderr
    text = (mentor / FILE).read_text(encoding="utf-8")
    (mentor / FILE).write_text(take(text, "theirs"), encoding="utf-8")
    ok(cli, mentor, "sync", "--continue")
    ok(cli, mentee, "sync")
    assert_same_and_valid(cli, mentor, mentee)
    m = storage.load(mentee / FILE).mentorship
    assert any(p.text == "Settlement range" for p in m.agenda)


# --------------------------------------------------------------------------- semantic conflicts


def test_semantic_conflicts_are_named_and_keep_both_sides(cli, isolated: Path):
    mentor, mentee = setup_pair(cli, isolated)
    for args in (["schedule", "move", "2026-12-01", "2026-12-02 10:00"],
                 ["schedule", "move", "2027-01-05", "2027-01-06 10:00"],
                 ["action", "done", "a2tw"], ["rules", "agree"],
                 ["kpi", "record", "k7rd", "1", "--date", "2026-11-25"]):  # fmt: skip
        ok(cli, mentee, "--as", "mentee", *args)
    ok(cli, mentee, "sync")
    for args in (["schedule", "move", "2026-12-01", "2026-12-03 10:00"],
                 ["schedule", "cancel", "2027-01-05"],
                 ["action", "drop", "a2tw", "--reason", "the client settled"],
                 ["rules", "set", "response_time", "same day"],
                 ["kpi", "record", "k7rd", "2", "--date", "2026-11-25"]):  # fmt: skip
        ok(cli, mentor, "--as", "mentor", *args)
    result = run_in(cli, mentor, "sync")
    assert result.exit_code == 6, result.output
    for sentence in (
        "the meeting due 2026-12-01 was moved to different times on the two sides",
        "the meeting due 2027-01-05 was moved on one side and cancelled on the other",
        "actions a2tw was marked dropped on one side and done on the other",
        "the rules were changed on one side while the other side recorded an agreement",
        "both sides recorded a different value for goals[g4mk].kpis[k7rd] on 2026-11-25",
    ):
        assert sentence in result.stderr
    text = (mentor / FILE).read_text(encoding="utf-8")
    assert text.count("<<<<<<< ours") == 5
    for value in ("2026-12-02T10:00", "2026-12-03T10:00", "kind: cancelled", "status: done",
                  "status: dropped", "drop_reason: the client settled"):  # fmt: skip
        assert value in text
    (mentor / FILE).write_text(take(text, "ours"), encoding="utf-8")
    ok(cli, mentor, "sync", "--continue")
    ok(cli, mentee, "sync")
    assert_same_and_valid(cli, mentor, mentee)
    m = storage.load(mentor / FILE).mentorship
    assert m.agreement.agreed.mentee is None  # the mentee agrees again to the new rules
    assert m.schedule.revision == 4  # four changes, two on each side


def test_concurrent_logs_of_one_meeting_become_one_log(cli, isolated: Path):
    mentor, mentee = setup_pair(cli, isolated)
    ok(cli, mentee, "--as", "mentee", "meeting", "log", "--date", "2026-12-01", "--no-input",
       "--notes", "Mentee: offer strategy", "-d", "Counter at 40k", "-c", "p8ym")  # fmt: skip
    ok(cli, mentee, "--as", "mentee", "action", "move", "a7ks", "2026-12-18")
    ok(cli, mentee, "--as", "mentee", "kpi", "record", "k3wq", "4", "--date", "2026-11-20")
    ok(cli, mentee, "sync")
    ok(cli, mentor, "--as", "mentor", "meeting", "log", "--date", "2026-12-01", "--no-input",
       "--notes", "Mentor: mediation prep", "-d", "Counter at 40k", "-c", "p3zn")  # fmt: skip
    ok(cli, mentor, "--as", "mentor", "action", "move", "a7ks", "2026-12-18")
    ok(cli, mentor, "--as", "mentor", "kpi", "record", "k3wq", "4", "--date", "2026-11-20")
    ok(cli, mentor, "sync")
    ok(cli, mentee, "sync")
    assert_same_and_valid(cli, mentor, mentee)
    m = storage.load(mentor / FILE).mentorship
    logs = [x for x in m.meetings if x.date.isoformat() == "2026-12-01"]
    assert len(logs) == 1
    assert "Mentee: offer strategy" in logs[0].notes and "Mentor: mediation prep" in logs[0].notes
    assert logs[0].decisions == ["Counter at 40k"] and set(logs[0].covered) == {"p8ym", "p3zn"}
    a7ks = next(a for a in m.actions if a.id == "a7ks")
    assert len(a7ks.moves) == 1  # one slip, not two
    kpi = next(k for _, k in m.kpis() if k.id == "k3wq")
    assert [x.date.isoformat() for x in kpi.measurements].count("2026-11-20") == 1


# --------------------------------------------------------------------------- setup, hook, identity


HOSTILE = "sub dir/ñ $(touch PWNED) `touch PWNED2`"


def test_setup_and_hook_with_a_hostile_subfolder_path(cli, isolated: Path):
    remote = isolated / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    top = isolated / "mentor"
    top.mkdir()
    git(top, "init", "-q", "-b", "main")
    git(top, "config", "user.email", "diane@example.com")
    git(top, "config", "user.name", "Diane")
    path = top / HOSTILE / FILE
    path.parent.mkdir(parents=True)
    result = cli("-f", str(path), "--as", "mentor", "init", "--no-input", *INIT_FLAGS)
    assert result.exit_code == 0, result.output
    relative = f"{HOSTILE}/{FILE}"
    assert git(top, "check-attr", "merge", "diff", "--", relative).splitlines() == [
        f'"{relative}": merge: mentorkit'.replace("ñ", "\\303\\261"),
        f'"{relative}": diff: mentorkit'.replace("ñ", "\\303\\261"),
    ]
    git(top, "remote", "add", "origin", str(remote))
    git(top, "push", "-qu", "origin", "main")
    # the hook checks what is staged, not the working tree
    valid = path.read_text(encoding="utf-8")
    path.write_text(valid.replace("duration: 60", "duration: sixty"), encoding="utf-8")
    git(top, "add", "--", relative)
    path.write_text(valid, encoding="utf-8")
    refused = subprocess.run(
        ["git", "commit", "-qm", "broken"], cwd=top, capture_output=True, text=True
    )
    assert refused.returncode != 0 and "expected a whole number, got 'sixty'" in refused.stderr
    path.write_text(valid.replace("duration: 60", "duration: sixty"), encoding="utf-8")
    git(top, "reset", "-q")
    subprocess.run(["git", "add", "-u"], cwd=top, check=True)
    git(top, "stash", "-q")
    # two clones merge item by item through the same hostile path
    mentee = isolated / "mentee"
    subprocess.run(["git", "clone", "-q", str(remote), str(mentee)], check=True)
    git(mentee, "config", "user.email", "tomas@example.co.uk")
    git(mentee, "config", "user.name", "Tomás")
    other = mentee / HOSTILE / FILE
    assert cli("-f", str(other), "git", "setup").exit_code == 0
    assert (
        cli("-f", str(other), "--as", "mentee", "agenda", "add", "From the mentee").exit_code == 0
    )
    assert cli("-f", str(other), "sync").exit_code == 0
    assert cli("-f", str(path), "--as", "mentor", "agenda", "add", "From the mentor").exit_code == 0
    synced = cli("-f", str(path), "sync")
    assert synced.exit_code == 0, synced.output
    assert {p.text for p in storage.load(path).mentorship.agenda} == {
        "From the mentee",
        "From the mentor",
    }
    for folder in (top, mentee, top / "sub dir", isolated):
        assert not any(p.name.startswith("PWNED") for p in folder.rglob("PWNED*"))
    assert not Path("PWNED").exists() and not Path("PWNED2").exists()


def test_every_write_in_a_clone_without_the_driver_says_so_once(cli, isolated: Path):
    _, mentee = clone_pair(cli, isolated)
    result = run_in(cli, mentee, "--as", "mentee", "agenda", "add", "x")
    assert result.exit_code == 0
    assert result.stderr.count("no mentorkit merge driver") == 1
    assert "run `mentorkit git setup`" in result.stderr
    ok(cli, mentee, "git", "setup")
    assert "merge driver" not in run_in(cli, mentee, "--as", "mentee", "agenda", "add", "y").stderr


def test_a_write_with_no_identity_refuses_instead_of_guessing(cli, isolated: Path):
    mentor, mentee = setup_pair(cli, isolated)
    git(mentee, "config", "--unset", "user.email")
    git(mentee, "config", "--unset", "user.name")
    git(mentee, "config", "user.useConfigOnly", "true")
    before = (mentee / FILE).read_bytes()
    for args in (
        ["action", "done", "a2tw"],
        ["resource", "done", "r8vn"],
        ["agenda", "done", "p8ym"],
    ):
        result = run_in(cli, mentee, *args)
        assert result.exit_code == 2 and "cannot tell who you are" in result.stderr, result.output
        assert (mentee / FILE).read_bytes() == before
    ok(cli, mentee, "--as", "mentee", "action", "done", "a2tw")
    assert git(mentee, "log", "-1", "--format=%an <%ae>").strip() == (
        "Tomás Okonkwo-Reyes <tomas.okonkwo@example.co.uk>"
    )
    git(mentor, "config", "user.email", "diane.whitaker@example.com")
    ok(cli, mentor, "action", "done", "a7ks")
    assert git(mentor, "log", "-1", "--format=%an").strip() == "Diane"


def test_a_format_1_file_is_migrated_with_fingerprints_of_the_rules_agreed(cli, isolated: Path):
    from mentorkit.domain.agreement import agreed_on

    old = Path(__file__).parent / "data" / "mentorship-format1.yaml"
    (isolated / FILE).write_bytes(old.read_bytes())
    m = storage.load(isolated / FILE).mentorship
    assert m.format_version == 2
    assert m.agreement.agreed.mentor_rules == m.agreement.agreed.mentee_rules
    assert (agreed_on(m, "mentor"), agreed_on(m, "mentee")) == (
        m.agreement.agreed.mentor,
        m.agreement.agreed.mentee,
    )
    m.agreement.confidentiality = "Anything goes"  # changed by a merge or a hand edit
    assert agreed_on(m, "mentor") is None and agreed_on(m, "mentee") is None
    ok(cli, isolated, "--as", "mentee", "--no-commit", "agenda", "add", "x")
    assert (isolated / FILE).read_text(encoding="utf-8").startswith("format: 2\n")


def test_one_change_and_one_log_a_meeting(cli, isolated: Path):
    old = (Path(__file__).parent / "data" / "mentorship-format1.yaml").read_text(encoding="utf-8")
    twice = old.replace(
        "    reason: Diane in trial on the 7th\n",
        "    reason: Diane in trial on the 7th\n  - kind: moved\n    date: 2026-07-07\n"
        "    to: 2026-07-10T10:00\n",
    ).replace(
        "- id: m3jc\n  date: 2026-06-02\n",
        "- id: m1zz\n  date: 2026-06-02\n  notes: Second log\n  decisions:\n  - One\n"
        "- id: m3jc\n  date: 2026-06-02\n",
    )
    m = fileformat.load_text(twice, "old").mentorship  # format 1: merged on reading
    assert [c.to.isoformat() for c in m.schedule.changes] == ["2026-07-10T10:00:00"]
    (log,) = [x for x in m.meetings if x.date.isoformat() == "2026-06-02"]
    assert (log.id, log.notes, log.decisions) == (
        "m1zz",
        "Second log\n\nDebrief of the first mock deposition.",
        ["One"],
    )
    current = fileformat.dump_text(m)
    (isolated / FILE).write_text(
        current.replace("- id: m1zz\n", "- id: m2yy\n  date: 2026-06-02\n- id: m1zz\n"),
        encoding="utf-8",
    )
    result = cli("validate")
    assert result.exit_code == 1
    assert "meetings[m1zz]: the meeting of 2026-06-02 is also logged as meetings[m2yy]" in (
        result.stderr
    )


# --------------------------------------------------------------------------- nothing lost, nobody misnamed


def test_two_measurements_on_one_date_both_survive_a_merge(cli, isolated: Path):
    mentor, mentee = setup_pair(cli, isolated)
    ok(cli, mentee, "--as", "mentee", "kpi", "record", "k7rd", "4", "--date", "2026-11-24")
    ok(cli, mentee, "--as", "mentee", "kpi", "record", "k7rd", "3", "--date", "2026-11-24",
       "--force")  # fmt: skip
    ok(cli, mentee, "sync")
    ok(cli, mentor, "--as", "mentor", "kpi", "record", "k7rd", "2", "--date", "2026-11-25")
    ok(cli, mentor, "sync")
    ok(cli, mentee, "sync")
    assert_same_and_valid(cli, mentor, mentee)
    kpi = next(k for _, k in storage.load(mentor / FILE).mentorship.kpis() if k.id == "k7rd")
    recent = [(str(x.date), x.value) for x in kpi.measurements if str(x.date) >= "2026-11-24"]
    assert sorted(recent) == [("2026-11-24", 3), ("2026-11-24", 4), ("2026-11-25", 2)]


def test_one_action_moved_by_both_keeps_each_person_s_move_in_the_conflict(cli, isolated: Path):
    mentor, mentee = setup_pair(cli, isolated)
    ok(cli, mentor, "--as", "mentor", "action", "move", "a2tw", "2026-12-08")
    ok(cli, mentor, "sync")
    ok(cli, mentee, "--as", "mentee", "action", "move", "a2tw", "2026-12-09")
    result = run_in(cli, mentee, "sync")
    assert result.exit_code == 6, result.output
    assert "actions[a2tw].due" in result.stderr
    assert "both sides moved the due date of actions[a2tw]" in result.stderr
    text = (mentee / FILE).read_text(encoding="utf-8")
    (mentee / FILE).write_text(take(text, "theirs"), encoding="utf-8")  # the mentor's date
    ok(cli, mentee, "sync", "--continue")
    ok(cli, mentor, "sync")
    assert_same_and_valid(cli, mentor, mentee)
    a2tw = next(a for a in storage.load(mentor / FILE).mentorship.actions if a.id == "a2tw")
    assert str(a2tw.due) == "2026-12-08"
    assert [m.by for m in a2tw.moves if str(m.moved) == "2026-11-26"] == ["mentor"]


def test_updates_added_on_both_sides_merge_alike_and_the_next_sync_is_clean(cli, isolated: Path):
    mentor, mentee = setup_pair(cli, isolated)
    ok(cli, mentor, "--as", "mentor", "action", "update", "a2tw", "mentor 1")
    ok(cli, mentor, "sync")
    ok(cli, mentee, "--as", "mentee", "action", "update", "a2tw", "mentee 1")
    ok(cli, mentee, "sync")  # the merge is made in the mentee's clone
    ok(cli, mentor, "--as", "mentor", "action", "update", "a2tw", "mentor 2")
    ok(cli, mentor, "sync")  # not a conflict: each person only added
    ok(cli, mentee, "sync")
    assert_same_and_valid(cli, mentor, mentee)
    a2tw = next(a for a in storage.load(mentor / FILE).mentorship.actions if a.id == "a2tw")
    texts = [u.text for u in a2tw.updates]
    assert {"mentor 1", "mentee 1", "mentor 2"} <= set(texts) and len(texts) == len(set(texts))


def test_one_meeting_logged_on_two_local_dates_is_one_log(cli, isolated: Path):
    mentor, mentee = setup_pair(cli, isolated)
    ok(cli, mentor, "schedule", "add", "2026-11-26 19:00")  # Chicago: 01:00 on the 27th in London
    ok(cli, mentor, "sync")
    ok(cli, mentee, "sync")
    for folder, role, today in ((mentor, "mentor", "2026-11-26"), (mentee, "mentee", "2026-11-27")):
        result = cli("-f", str(folder / FILE), "--today", today, "--as", role, "meeting", "log",
                     "--no-input", "--notes", f"{role} notes")  # fmt: skip
        assert result.exit_code == 0 and "the meeting of 2026-11-26" in result.output, result.output
    ok(cli, mentee, "sync")
    ok(cli, mentor, "sync")
    ok(cli, mentee, "sync")
    assert_same_and_valid(cli, mentor, mentee)
    (log,) = [
        x for x in storage.load(mentor / FILE).mentorship.meetings if str(x.date) == "2026-11-26"
    ]
    assert (
        str(log.date) == "2026-11-26"
        and "mentor notes" in log.notes
        and "mentee notes" in log.notes
    )


def test_validate_refuses_an_action_both_done_and_dropped(cli, example: Path):
    path = example
    text = path.read_text(encoding="utf-8")
    done = text[text.index("- id: a2tw") :]
    done = done[: done.index("\n- id:")]
    assert "status: open" in done
    both = done.replace("status: open", "status: done\n  completed: 2026-11-20\n  dropped: "
                        "2026-11-21\n  drop_reason: not needed")  # fmt: skip
    path.write_text(text.replace(done, both), encoding="utf-8")
    result = cli("validate")
    assert (
        result.exit_code == 1 and "actions[a2tw].status: the action is done, yet" in result.stderr
    )


def test_sync_checks_every_commit_it_would_push(cli, isolated: Path):
    mentor, _ = setup_pair(cli, isolated)
    pushed = remote_head(mentor)
    hand_edit(mentor, "duration: 60", "duration: sixty", verify=False)
    hand_edit(mentor, "duration: sixty", "duration: 60")  # fixed in the next commit
    result = run_in(cli, mentor, "sync")
    assert result.exit_code == 4, result.output
    assert "not yet pushed, holds an invalid mentorship.yaml" in result.stderr
    assert "expected a whole number, got 'sixty'" in result.stderr
    assert remote_head(mentor) == pushed


def test_a_file_moved_by_the_other_person_is_never_merged_into_an_invalid_commit(
    cli, isolated: Path
):
    mentor, mentee = setup_pair(cli, isolated)
    (mentor / "records").mkdir()
    git(mentor, "mv", FILE, f"records/{FILE}")
    git(mentor, "commit", "-qm", "move the file")
    moved = mentor / "records" / FILE
    assert cli("-f", str(moved), "git", "setup").exit_code == 0
    git(mentor, "commit", "-qam", "attributes")
    added = cli("-f", str(moved), "--as", "mentor", "action", "add", "Prepare outline",
                "--due", "2026-12-04", "--goal", "g2hx")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert cli("-f", str(moved), "sync").exit_code == 0
    text = (mentee / FILE).read_text(encoding="utf-8")
    hand_edit(mentee, text[text.index("- id: g2hx") : text.index("actions:\n")], "")
    head, pushed = git(mentee, "rev-parse", "HEAD"), remote_head(mentee)
    result = run_in(cli, mentee, "sync")  # git merges the moved file line by line
    assert result.exit_code == 4, result.output
    assert "the merge was not committed and nothing was pushed" in result.stderr
    assert "no goal has the ID 'g2hx'" in result.stderr
    assert git(mentee, "rev-parse", "HEAD") == head and remote_head(mentee) == pushed
    git(mentee, "merge", "--abort")
    git(mentee, "reset", "-q", "--hard", "HEAD~1")  # the mentee keeps the goal after all
    ok(cli, mentee, "--as", "mentee", "agenda", "add", "From the mentee")
    synced = run_in(cli, mentee, "sync")
    assert synced.exit_code == 0, synced.output
    assert "the other person moved the file to records/mentorship.yaml" in synced.stderr
    assert cli("-f", str(moved), "sync").exit_code == 0
    assert (mentee / "records" / FILE).read_bytes() == moved.read_bytes()
    texts = {p.text for p in storage.load(moved).mentorship.agenda}
    assert "From the mentee" in texts


def test_a_conflict_names_a_path_with_spaces_whole(cli, isolated: Path):
    mentor, mentee = setup_pair(cli, isolated)
    for folder in (mentor, mentee):
        (folder / "sub dir").mkdir()
        git(folder, "mv", FILE, f"sub dir/{FILE}")
    git(mentor, "commit", "-qm", "move")
    assert cli("-f", str(mentor / "sub dir" / FILE), "git", "setup").exit_code == 0
    git(mentor, "commit", "-qam", "attributes")
    git(mentor, "push", "-q")
    git(mentee, "reset", "-q", "--hard")
    git(mentee, "pull", "-q", "--no-rebase")
    for folder, name in ((mentee, "Depositions"), (mentor, "Deposing witnesses")):
        path = str(folder / "sub dir" / FILE)
        assert cli("-f", path, "goal", "edit", "g9tp", "--competency", name).exit_code == 0
    assert cli("-f", str(mentee / "sub dir" / FILE), "sync").exit_code == 0
    result = cli("-f", str(mentor / "sub dir" / FILE), "sync")
    assert result.exit_code == 6, result.output
    assert "a conflict in sub dir/mentorship.yaml (goals[g9tp].competency:" in result.stderr


def test_as_the_other_person_the_commit_names_them_as_author(cli, isolated: Path):
    _, mentee = setup_pair(cli, isolated)
    ok(cli, mentee, "--as", "mentor", "agenda", "add", "Typed by Tomás for Diane")
    assert git(mentee, "log", "-1", "--format=%an <%ae> / %cn <%ce>").strip() == (
        "Diane Whitaker <diane.whitaker@example.com> / Tomás <tomas.okonkwo@example.co.uk>"
    )
    ok(cli, mentee, "--as", "mentee", "agenda", "add", "Tomás's own")
    assert git(mentee, "log", "-1", "--format=%ae %ce").split() == [
        "tomas.okonkwo@example.co.uk",
        "tomas.okonkwo@example.co.uk",
    ]
    # no --today: the commits are made now, and a pinned day ends what history lists
    events = cli("-f", str(mentee / FILE), "history", "--json")
    assert events.exit_code == 0, events.output
    import json

    roles = {e["text"]: e["role"] for e in json.loads(events.stdout)["data"]}
    (typed,) = [role for text, role in roles.items() if "Typed by Tomás for Diane" in text]
    assert typed == "mentor"


def test_a_merge_keeps_every_hand_typed_line_neither_side_changed(cli, isolated: Path):
    mentor, mentee = setup_pair(cli, isolated)
    hand_edit(
        mentee,
        "format: 2\n",
        'format: 2\n1: one\nx_emoji: "\\U0001F389"\nx_flow: [a,  b]\n',
    )
    hand_edit(
        mentee,
        "  informal_channels:\n  - voice message\n  - video message\n  - email\n",
        '  informal_channels: [voice message,   video message, "email"]\n',
    )
    typed = (mentee / FILE).read_text(encoding="utf-8")
    ok(cli, mentor, "agenda", "add", "From the mentor")
    ok(cli, mentor, "sync")
    ok(cli, mentee, "agenda", "add", "From the mentee")
    ok(cli, mentee, "sync")  # a real merge of both sides
    assert len(git(mentee, "log", "-1", "--format=%P").split()) == 2
    ok(cli, mentor, "sync")
    assert_same_and_valid(cli, mentor, mentee)
    merged = (mentee / FILE).read_text(encoding="utf-8").splitlines()
    # Every line typed by hand is still there, as typed and in its order.
    remaining = iter(merged)
    assert all(any(line == m for m in remaining) for line in typed.splitlines())
    assert len(merged) == len(typed.splitlines()) + 2 * 5  # two talking points of five lines


def test_ctrl_c_in_the_merge_of_sync_undoes_it_and_says_so(cli, isolated: Path):
    """Ctrl-C from the terminal reaches git too: stopped while committing the merge, the
    clone is put back as it was before the pull (no MERGE_HEAD, nothing staged), the
    sentence says so, and the next `sync` merges normally."""
    mentor, mentee = setup_pair(cli, isolated)
    ok(cli, mentor, "agenda", "add", "From the mentor")
    ok(cli, mentor, "sync")
    ok(cli, mentee, "agenda", "add", "From the mentee")
    head = git(mentee, "rev-parse", "HEAD")
    marker = isolated / "committing"
    hook = mentee / git(mentee, "rev-parse", "--git-path", "hooks").strip() / "prepare-commit-msg"
    hook.write_text(f"#!/bin/sh\ntouch '{marker}'\nsleep 5\n")  # runs despite --no-verify
    hook.chmod(0o755)
    process = subprocess.Popen(
        [sys.executable, "-m", "mentorkit", "--today", "2026-11-26", "sync"],
        cwd=mentee, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)
    os.killpg(process.pid, signal.SIGINT)  # as the terminal does: mentorkit and git alike
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr == (
        "interrupted; the merge it had begun was undone: nothing was pulled, nothing was pushed\n"
    )
    assert not (mentee / ".git" / "MERGE_HEAD").exists()
    assert git(mentee, "status", "--porcelain", "--untracked-files=no") == ""
    assert git(mentee, "rev-parse", "HEAD") == head
    hook.unlink()
    ok(cli, mentee, "sync")
    ok(cli, mentor, "sync")
    assert_same_and_valid(cli, mentor, mentee)


def test_plain_sync_in_a_merge_with_no_conflict_left_says_how_to_finish_it(cli, isolated: Path):
    mentor, mentee = setup_pair(cli, isolated)
    ok(cli, mentor, "agenda", "add", "From the mentor")
    ok(cli, mentor, "sync")
    ok(cli, mentee, "agenda", "add", "From the mentee")
    git(mentee, "pull", "-q", "--no-rebase", "--no-commit")
    refused = run_in(cli, mentee, "sync")
    assert refused.exit_code == 6
    assert "a merge with no conflict left is in progress; run `mentorkit sync --continue`" in (
        refused.stderr
    )
    ok(cli, mentee, "sync", "--continue")
    ok(cli, mentor, "sync")
    assert_same_and_valid(cli, mentor, mentee)


def test_git_setup_at_the_top_finds_the_file_in_a_folder_below(isolated: Path):
    top = isolated / "repo"
    (top / "team").mkdir(parents=True)
    git(top, "init", "-q", "-b", "main")
    (top / "team" / FILE).write_bytes(EXAMPLE.read_bytes())
    git(top, "add", ".")
    mk = [sys.executable, "-m", "mentorkit", "git", "setup"]
    done = subprocess.run(mk, cwd=top, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert git(top, "check-attr", "merge", "--", f"team/{FILE}").strip().endswith("mentorkit")
    (top / "other").mkdir()
    (top / "other" / FILE).write_text("format: 2\n", encoding="utf-8")
    two = subprocess.run(mk, cwd=top, capture_output=True, text=True)
    assert two.returncode == 2
    assert two.stderr == (
        f"error: there are several {FILE} files here (other/{FILE}, team/{FILE}); choose one "
        "with --file\n"
    )


def test_sync_continue_says_it_finished_a_rebase_when_it_was_one(cli, isolated: Path):
    mentor, mentee = setup_pair(cli, isolated)
    ok(cli, mentee, "goal", "edit", "g9tp", "--competency", "Depositions")
    ok(cli, mentee, "sync")
    ok(cli, mentor, "goal", "edit", "g9tp", "--competency", "Deposing witnesses")
    assert run_in(cli, mentor, "sync", "--rebase").exit_code == 6
    path = mentor / FILE
    path.write_text(take(path.read_text(encoding="utf-8"), "theirs"), encoding="utf-8")
    result = run_in(cli, mentor, "sync", "--continue")
    assert result.exit_code == 0, result.output
    assert "finished the rebase and synced" in result.stdout
