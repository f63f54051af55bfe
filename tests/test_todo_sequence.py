"""A to-do's SEQUENCE in the calendar export never goes down and rises with every change a
calendar shows (reopened, retitled, moved, closed, reassigned), through merges of two
people's clones too: calendars replace a to-do only by a higher SEQUENCE."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit.cli import app
from mentorkit.file import storage
from mentorkit.git import merging

from .conftest import git
from .test_git_record import run_in
from .test_shared_record import FILE, assert_same_and_valid, ok, setup_pair


def sequences(cli, *flags: str) -> dict[str, int]:
    """Each to-do's SEQUENCE in an export of the file (action ID -> SEQUENCE)."""
    import icalendar

    result = cli.runner.invoke(app, [*flags, "--today", "2026-11-26", "export", "ics", "--only", "actions", "-o", "-"])  # fmt: skip
    assert result.exit_code == 0, result.output
    found = {}
    for todo in icalendar.Calendar.from_ical(result.stdout_bytes).walk("VTODO"):
        key = str(todo["UID"]).split("-action-")[1].split("@")[0]
        found[key] = int(todo["SEQUENCE"])
    return found


CHANGES = [
    ["action", "done", "memo"],
    ["action", "reopen", "memo"],
    ["action", "edit", "memo", "--title", "Draft the Acme memo, second pass"],
    ["action", "move", "memo", "2026-12-18"],
    ["action", "move", "memo", "2026-12-11"],  # brought forward
    ["action", "edit", "memo", "--owner", "mentor"],
    ["action", "drop", "memo", "--reason", "the client settled"],
    ["action", "reopen", "memo"],
    ["action", "done", "memo"],
]


def test_every_change_a_calendar_shows_raises_the_sequence(cli, isolated: Path):
    from .test_calendar_readers import start

    start(cli, "America/Chicago", "Europe/London", "weekly on monday", "2026-11-23", "10:00")
    assert cli("--as", "mentee", "action", "add", "Draft the Acme memo", "--due", "2026-12-04").exit_code == 0  # fmt: skip
    (key,) = sequences(cli)
    seen = [sequences(cli)[key]]
    assert seen == [0]
    for args in CHANGES:
        result = cli("--as", "mentee", "--today", "2026-11-26", *args)
        assert result.exit_code == 0, (args, result.output)
        seen.append(sequences(cli)[key])
        assert seen[-1] > seen[-2], (args, seen)
    assert seen == list(range(len(CHANGES) + 1))
    # a note on the item is not in the calendar: the to-do stays as calendars hold it
    assert cli("--as", "mentee", "action", "update", "memo", "called the client").exit_code == 0
    assert sequences(cli)[key] == seen[-1]
    assert f"  revision: {seen[-1]}\n" in (isolated / "mentorship.yaml").read_text()


def test_a_file_from_before_the_count_keeps_the_sequence_calendars_hold(cli, example: Path):
    """Exports gave a to-do one SEQUENCE per move of its due date, plus one once closed:
    the first change after the count is kept goes on from there, never below it."""
    before = sequences(cli)
    assert "  revision:" not in example.read_text()
    assert before["a2tw"] == 1  # one move, open
    assert cli("--as", "mentee", "--today", "2026-11-26", "action", "done", "a2tw").exit_code == 0
    assert cli("--as", "mentee", "--today", "2026-11-26", "action", "reopen", "a2tw").exit_code == 0  # fmt: skip
    after = sequences(cli)
    assert after["a2tw"] == 3
    assert {k: v for k, v in after.items() if k != "a2tw"} == {
        k: v for k, v in before.items() if k != "a2tw"
    }


@pytest.mark.parametrize("value", ["-5", "1000001", "yes", "2.5"])
def test_a_revision_that_is_not_a_count_is_refused_on_load(cli, example: Path, value):
    text = example.read_text()
    example.write_text(
        text.replace("  status: open\n", f"  status: open\n  revision: {value}\n", 1)
    )
    before = example.read_bytes()
    result = cli("validate")
    assert result.exit_code == 1, result.output
    assert "actions[" in result.stderr and ".revision" in result.stderr
    assert cli("--today", "2026-11-26", "export", "ics", "-o", "-").exit_code not in (0, 70)
    assert example.read_bytes() == before


def test_history_and_commits_tell_the_change_not_the_count(cli, repo: Path):
    assert cli("--as", "mentee", "--today", "2026-11-26", "action", "done", "a2tw").exit_code == 0
    assert "  revision: 2\n" in (repo / FILE).read_text()
    message = git(repo, "log", "-1", "--format=%B")
    assert "completed action a2tw" in message and not re.search(r"\brevision\b", message)
    told = cli("history").stdout
    assert "completed action a2tw" in told and not re.search(r"\brevision\b", told)


def test_two_clones_changing_one_to_do_merge_to_a_higher_sequence(cli, isolated: Path):
    mentor, mentee = setup_pair(cli, isolated)
    base = sequences(cli, "-f", str(mentor / FILE))["a2tw"]
    ok(cli, mentor, "--as", "mentor", "action", "edit", "a2tw", "--title", "Demand letter")
    ok(cli, mentor, "sync")
    ok(cli, mentee, "--as", "mentee", "action", "move", "a2tw", "2026-12-09")
    ok(cli, mentee, "action", "update", "a2tw", "invoices in")
    sides = [sequences(cli, "-f", str(side / FILE))["a2tw"] for side in (mentor, mentee)]
    assert sides == [base + 1, base + 1]
    ok(cli, mentee, "sync")  # the merge: the mentor's title and the mentee's date
    ok(cli, mentor, "sync")
    assert_same_and_valid(cli, mentor, mentee)
    a2tw = next(a for a in storage.load(mentor / FILE).mentorship.actions if a.id == "a2tw")
    assert (a2tw.title, str(a2tw.due)) == ("Demand letter", "2026-12-09")
    merged = sequences(cli, "-f", str(mentor / FILE))["a2tw"]
    assert merged == base + 2  # above what either person's calendar holds
    # one side only: the other side's count, not one more
    ok(cli, mentor, "--as", "mentor", "action", "done", "a2tw")
    ok(cli, mentor, "sync")
    ok(cli, mentee, "--as", "mentee", "action", "add", "Another item", "--due", "2026-12-10")
    ok(cli, mentee, "sync")
    ok(cli, mentor, "sync")
    assert_same_and_valid(cli, mentor, mentee)
    assert sequences(cli, "-f", str(mentee / FILE))["a2tw"] == merged + 1
    # reopened on one side: never lower than the other's count
    ok(cli, mentee, "--as", "mentee", "action", "reopen", "a2tw")
    ok(cli, mentee, "sync")
    ok(cli, mentor, "sync")
    assert sequences(cli, "-f", str(mentor / FILE))["a2tw"] == merged + 2


def test_one_side_s_title_with_the_other_side_s_higher_count_rises_above_both(cli, isolated: Path):
    """Mentor: done then reopened (count 2, the old title); mentee: a new title (count 1).
    The merge has the new title, which the mentor's calendar does not hold at 2."""
    mentor, mentee = setup_pair(cli, isolated)
    base = sequences(cli, "-f", str(mentor / FILE))["a2tw"]
    ok(cli, mentor, "--as", "mentor", "action", "done", "a2tw")
    ok(cli, mentor, "--as", "mentor", "action", "reopen", "a2tw")
    ok(cli, mentee, "--as", "mentee", "action", "edit", "a2tw", "--title", "Demand letter v2")
    sides = [sequences(cli, "-f", str(side / FILE))["a2tw"] for side in (mentor, mentee)]
    assert sides == [base + 2, base + 1]
    ok(cli, mentor, "sync")
    ok(cli, mentee, "sync")  # the merge
    ok(cli, mentor, "sync")
    assert_same_and_valid(cli, mentor, mentee)
    a2tw = next(a for a in storage.load(mentor / FILE).mentorship.actions if a.id == "a2tw")
    assert (a2tw.title, a2tw.status) == ("Demand letter v2", "open")
    assert sequences(cli, "-f", str(mentor / FILE))["a2tw"] == base + 3


def _item(**fields: object) -> dict:
    return {"id": "a1", "title": "Memo", "owner": "mentee", "created": "2026-11-01", **fields}


@pytest.mark.parametrize(
    ("base", "ours", "theirs", "expected"),
    [
        # both changed alike: the higher count, nothing new for calendars
        (_item(), _item(status="done", revision=1), _item(status="done", revision=1), 1),
        # a merge of merges: the higher of the two, never the lower
        (_item(revision=2), _item(revision=7, title="A"), _item(revision=3, title="A"), 7),
        # both changed, differently: one more than either side
        (_item(revision=2), _item(revision=3, title="A"), _item(revision=5, due="2026-12-01"), 6),
        # no counts yet (before the count was kept): from the moves and state
        (_item(), _item(title="A"), _item(status="done"), 2),
        # one side's content, the other side's higher count: a calendar holds the other
        # content at that count, so one more
        (_item(), _item(revision=2), _item(revision=1, title="A"), 3),
        (_item(revision=1), _item(revision=6), _item(revision=3, title="A"), 7),
        # the higher count's side is the merged content: that count is enough
        (_item(), _item(revision=2, title="A"), _item(revision=1), 2),
        (_item(), _item(revision=2), _item(revision=2, title="A"), 3),
    ],
)
def test_the_merge_takes_the_higher_count_and_one_more_for_a_new_view(base, ours, theirs, expected):
    merged = merging.merge({"actions": [base]}, {"actions": [ours]}, {"actions": [theirs]})
    assert merged.conflicts == []
    assert merged.raw["actions"][0]["revision"] == expected


def test_the_meetings_and_feedback_day_rise_with_every_change_calendars_show(cli):
    from .test_calendar_readers import start

    start(cli, "America/Chicago", "Europe/London", "weekly on monday", "2026-11-23", "10:00")
    assert cli("--as", "mentor", "schedule", "set", "--until", "none").exit_code == 0

    def meeting_sequences() -> set[int]:
        import icalendar

        result = cli.runner.invoke(app, ["--today", "2026-11-20", "export", "ics", "-o", "-"])
        assert result.exit_code == 0, result.output
        return {int(e["SEQUENCE"]) for e in icalendar.Calendar.from_ical(result.stdout_bytes).walk("VEVENT")}  # fmt: skip

    (first,) = meeting_sequences()
    # a new end of the term ends the feedback day a week later; schedule commands count once
    for args in (["rules", "set", "end", "2029-01-31"], ["schedule", "set", "--link", "https://meet.example/x"]):  # fmt: skip
        assert cli("--as", "mentor", "--today", "2026-11-20", *args).exit_code == 0, args
        (now,) = meeting_sequences()
        assert now == first + 1, args
        first = now


def test_a_to_do_in_conflict_comes_out_of_the_resolution_above_both_sides(cli, isolated: Path):
    from .test_shared_record import take

    mentor, mentee = setup_pair(cli, isolated)
    ok(cli, mentor, "--as", "mentor", "action", "move", "a2tw", "2026-12-08")
    ok(cli, mentor, "sync")
    ok(cli, mentee, "--as", "mentee", "action", "move", "a2tw", "2026-12-09")
    sides = [sequences(cli, "-f", str(side / FILE))["a2tw"] for side in (mentor, mentee)]
    result = run_in(cli, mentee, "sync")
    assert result.exit_code == 6 and "actions[a2tw].due" in result.stderr, result.output
    text = (mentee / FILE).read_text(encoding="utf-8")
    (mentee / FILE).write_text(take(text, "ours"), encoding="utf-8")  # the mentee's own date
    ok(cli, mentee, "sync", "--continue")
    ok(cli, mentor, "sync")
    assert_same_and_valid(cli, mentor, mentee)
    # the mentor's calendar holds the 8th at sides[0]: the 9th must come with more
    assert sequences(cli, "-f", str(mentor / FILE))["a2tw"] > max(sides)


_STEPS = st.lists(
    st.one_of(
        st.just(("done",)),
        st.just(("reopen",)),
        st.just(("drop",)),
        st.tuples(st.just("move"), st.integers(-20, 20)),
        st.tuples(st.just("title"), st.sampled_from(["Memo", "Draft", "Memo, second pass"])),
        st.tuples(st.just("owner"), st.sampled_from(["mentor", "mentee"])),
        st.just(("update",)),
    ),
    max_size=12,
)


@settings(max_examples=60)
@given(_STEPS)
def test_the_sequence_rises_with_every_change_shown_and_never_falls(steps):
    """The domain rule under any run of changes, refused ones included: a change a
    calendar shows gives a higher SEQUENCE, anything else leaves it as it was."""
    from datetime import date, timedelta

    from mentorkit.domain import actions
    from mentorkit.domain.schedule import calendar_revisions
    from mentorkit.errors import UsageProblem
    from mentorkit.file.storage import load

    from .conftest import EXAMPLE

    m = load(EXAMPLE).mentorship
    today = date(2026, 11, 26)
    for step in steps:
        action = actions.find_action(m, "a2tw")
        view, before = actions.shown(m)["a2tw"]
        revise = calendar_revisions(m)
        try:
            if step[0] == "done":
                actions.complete(m, "a2tw", when=today, by="mentee")
            elif step[0] == "reopen":
                actions.reopen(m, "a2tw", by="mentee")
            elif step[0] == "drop":
                actions.drop(m, "a2tw", reason="no longer needed", by="mentor", today=today)
            elif step[0] == "move":
                due = (action.due or today) + timedelta(days=step[1])
                actions.move(m, "a2tw", due, by="mentee", today=today)
            elif step[0] in ("title", "owner"):
                actions.edit_action(m, "a2tw", **{step[0]: step[1]}, by="mentor")
            else:
                actions.add_update(m, "a2tw", "called the client", by="mentee", today=today)
        except UsageProblem:
            pass  # refused: nothing changed
        revise()
        after_view, after = actions.shown(m)["a2tw"]
        assert after > before if after_view != view else after == before, (step, before, after)
