"""A file written or edited by hand stays as it was typed: a command changes only the lines
of what it changed (unknown keys such as `1:` and `~:`, quoting, escapes, flow lists,
comments, blank lines and key order are kept byte for byte)."""

from __future__ import annotations

import json
import random
import re
import secrets
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorkit.errors import CommentsInTheWay
from mentorkit.file import fileformat, storage, yamltext

from .conftest import EXAMPLE, TODAY, Cli

CANONICAL = EXAMPLE.read_text(encoding="utf-8")


def _edit(old: str, new: str):
    def apply(text: str) -> str:
        assert old in text
        return text.replace(old, new, 1)

    return apply


# Edits a person makes by hand, each with the lines it adds (which must come back as typed).
HAND_EDITS = {
    "keys that are not text, at the top": _edit(
        "format: 2\n", "format: 2\n1: one\n~: nothing\n1.5: half\ntrue: yes\n0755: oct\nNO: n\n"
    ),
    "keys that are not text, in a record": _edit(
        "- id: a7ks\n", "- id: a7ks\n  1: one\n  ~: n\n  false: 0x1F\n"
    ),
    "keys that are not text, in a person": _edit(
        "    timezone: America/Chicago\n", "    timezone: America/Chicago\n    1.5: [a, {b: ~}]\n"
    ),
    "keys that are not text, in the term": _edit(
        "    end: 2027-03-01\n", "    end: 2027-03-01\n    true: on\n    2: 'two'\n"
    ),
    "an escaped emoji": _edit(
        "  text: Real progress in the second mock deposition; you kept control when I went off"
        " script.\n",
        '  text: "Real progress \\U0001F389 in the second mock deposition; you kept control when'
        ' I went off script."\n',
    ),
    "double quotes": _edit(
        "  title: Draft the liability memo on the driver's app status\n",
        '  title: "Draft the liability memo on the driver\'s app status"\n',
    ),
    "single quotes": _edit(
        "  title: SMART goal template for litigators\n",
        "  title: 'SMART goal template for litigators'\n",
    ),
    "a quoted date": _edit("  due: 2026-04-03\n", '  due: "2026-04-03"\n'),
    "a flow list": _edit(
        "  informal_channels:\n  - voice message\n  - video message\n  - email\n",
        "  informal_channels: [voice message, video message, email]\n",
    ),
    "a flow list of one": _edit(
        "  strategies:\n  - A short update call every two weeks, confirmed by email\n",
        '  strategies: ["A short update call every two weeks, confirmed by email"]\n',
    ),
    "comments": _edit("agreement:\n", "# Signed in March.\nagreement:  # the ground rules\n"),
    "blank lines": _edit("\ngoals:\n", "\n\ngoals:\n"),
    "indented list items": _edit(
        "  decisions:\n  - Tomás writes a liability memo for each new fact pattern\n",
        "  decisions:\n    - Tomás writes a liability memo for each new fact pattern\n",
    ),
    "keys in another order": _edit(
        "  kind: book\n  goal: g4mk\n  shared_by: mentor\n  shared: 2026-10-06\n  status: shared\n"
        "  notes: Read before drafting the schedule of special damages.\n",
        "  notes: Read before drafting the schedule of special damages.\n  status: shared\n"
        "  kind: book\n  goal: g4mk\n  shared_by: mentor\n  shared: 2026-10-06\n",
    ),
}

COMMANDS = [
    ["action", "add", "Call the claims adjuster", "--due", "2026-12-20"],
    ["action", "done", "a4ub"],
    ["action", "update", "a7ks", "Started the markup"],
    ["action", "move", "a7ks", "2026-12-11", "--reason", "in trial"],
    ["action", "drop", "a7ks", "--reason", "no longer needed"],
    ["agenda", "add", "Mediation strategy"],
    ["kpi", "record", "k3wq", "7"],
    ["resource", "add", "Rideshare claims handbook", "--kind", "book"],
    ["resource", "done", "r9ha"],
    ["rules", "set", "response-time", "within a day"],
    ["schedule", "cancel", "2026-12-01", "--reason", "holiday"],
    ["goal", "edit", "g9tp", "--why", "The deposition decides the mediation."],
]


def _run(cli: Cli, path: Path, command: list[str], monkeypatch: pytest.MonkeyPatch) -> str:
    # The same new IDs in both runs, so that the two results can be compared line by line.
    monkeypatch.setattr(secrets, "choice", random.Random(7).choice)
    result = cli("-f", str(path), "--as", "mentor", "--today", TODAY, *command)
    assert result.exit_code == 0, result.output
    return path.read_text(encoding="utf-8")


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.sets(st.sampled_from(sorted(HAND_EDITS)), min_size=1),
    command=st.sampled_from(COMMANDS),
)
def test_a_command_changes_only_the_lines_of_what_it_changed(
    edits: set[str], command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    cli = Cli()
    by_hand = CANONICAL
    for name in sorted(edits):
        by_hand = HAND_EDITS[name](by_hand)
    expected = _in_mentorkits_style(cli, by_hand, command, tmp_path, monkeypatch)
    edited = tmp_path / "edited.yaml"
    edited.write_text(by_hand, encoding="utf-8")
    after_by_hand = _run(cli, edited, command, monkeypatch)

    # The same lines came and went in both files; nothing else of the hand-edited one moved.
    assert _came_and_went(by_hand, after_by_hand) == _came_and_went(*expected)
    # And it means what the command made of the file written in mentorkit's style.
    assert _meaning(after_by_hand) == _meaning(expected[1])


def _in_mentorkits_style(
    cli: Cli, by_hand: str, command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, str]:
    """The same mentorship as mentorkit writes it, before and after the command."""
    same_meaning = fileformat.dump_text(fileformat.load_text(by_hand, "m.yaml").mentorship)
    canonical = tmp_path / "canonical.yaml"
    canonical.write_text(same_meaning, encoding="utf-8")
    return same_meaning, _run(cli, canonical, command, monkeypatch)


def _came_and_went(before: str, after: str) -> tuple[Counter[str], Counter[str]]:
    """The lines a change added and those it removed."""
    old, new = Counter(before.splitlines()), Counter(after.splitlines())
    return new - old, old - new


def _meaning(text: str) -> dict:
    loaded = fileformat.load_text(text, "mentorship.yaml")
    return fileformat.mentorship_to_raw(loaded.mentorship)


def test_unknown_keys_that_are_not_text_come_back_as_typed(example: Path, cli: Cli):
    text = HAND_EDITS["keys that are not text, at the top"](CANONICAL)
    text = HAND_EDITS["keys that are not text, in a record"](text)
    text = HAND_EDITS["an escaped emoji"](text)
    text = HAND_EDITS["a flow list"](text)
    example.write_text(text, encoding="utf-8")
    for _ in range(2):  # the second time from the parse cache
        assert cli("--as", "mentor", "--today", TODAY, "agenda", "add", "p").exit_code == 0
    written = example.read_text(encoding="utf-8")
    for typed in ("\n1: one\n~: nothing\n1.5: half\ntrue: yes\n0755: oct\nNO: n\n",
                  "- id: a7ks\n  1: one\n  ~: n\n  false: 0x1F\n",
                  '  text: "Real progress \\U0001F389 in the second',
                  "  informal_channels: [voice message, video message, email]\n"):  # fmt: skip
        assert typed in written


def test_a_changed_value_is_written_in_mentorkits_style_in_its_place(example: Path, cli: Cli):
    text = CANONICAL.replace(
        "  response_time: within 2 working days\n",
        '  response_time: "within 2 working days"  # agreed in March\n',
    )
    example.write_text(text, encoding="utf-8")
    assert cli("--as", "mentor", "--today", TODAY, "rules", "set", "response-time",
               "within a day").exit_code == 0  # fmt: skip
    written = example.read_text(encoding="utf-8")
    assert "  response_time: within a day  # agreed in March\n" in written


def test_comments_are_kept_where_the_change_is_elsewhere(example: Path):
    text = "# Diane and Tomás, 2026\n" + CANONICAL.replace(
        "  status: shared\n  notes: Read before",
        "  status: shared  # not yet\n  notes: Read before",
    )
    example.write_text(text, encoding="utf-8")
    with storage.editing(example) as loaded:
        loaded.mentorship.agreement.response_time = "within a day"
    written = example.read_text(encoding="utf-8")
    assert written.startswith("# Diane and Tomás, 2026\n")
    assert "  status: shared  # not yet\n" in written
    assert "  response_time: within a day\n" in written


def test_a_change_that_would_drop_a_comment_is_refused(example: Path):
    text = CANONICAL.replace(
        "  status: shared\n  notes: Read", "  status: shared  # not yet\n  notes: Read"
    )
    example.write_text(text, encoding="utf-8")

    def drop_the_book(loaded: storage.Loaded) -> None:
        m = loaded.mentorship
        m.resources = [r for r in m.resources if r.id != "r9ha"]

    with (
        pytest.raises(CommentsInTheWay, match=r"has comments \(line 269\) that saving would drop"),
        storage.editing(example) as loaded,
    ):
        drop_the_book(loaded)
    assert example.read_text(encoding="utf-8") == text
    with storage.editing(example, drop_comments=True) as loaded:
        drop_the_book(loaded)
    assert "# not yet" not in example.read_text(encoding="utf-8")


def test_a_run_that_changes_nothing_leaves_a_hand_laid_out_file_alone(example: Path, cli: Cli):
    import yaml

    text = yaml.safe_dump(yaml.safe_load(CANONICAL), allow_unicode=True, sort_keys=False, width=70)
    example.write_text(text, encoding="utf-8")
    with storage.editing(example):
        pass
    assert example.read_text(encoding="utf-8") == text


def _laid_out_otherwise(text: str) -> str:
    """The example as another tool or person might lay it out: list items indented under
    their key, four spaces a level, long text folded over lines, CRLF line ends."""
    import yaml

    class Indented(yaml.SafeDumper):
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

    data = fileformat.mentorship_to_raw(fileformat.load_text(text, "m.yaml").mentorship)
    out = yaml.dump(data, Dumper=Indented, sort_keys=False, allow_unicode=True, width=60,
                    default_flow_style=False, indent=4)  # fmt: skip
    return out.replace("\n", "\r\n")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_file_laid_out_otherwise_keeps_its_layout(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    cli = Cli()
    by_hand = _laid_out_otherwise(CANONICAL)
    expected = _in_mentorkits_style(cli, by_hand, command, tmp_path, monkeypatch)
    edited = tmp_path / "edited.yaml"
    edited.write_bytes(by_hand.encode("utf-8"))
    _run(cli, edited, command, monkeypatch)
    after_by_hand = edited.read_bytes().decode("utf-8")

    assert "\n" not in after_by_hand.replace("\r\n", "")  # its line ends kept
    # As many lines came and went as in mentorkit's own layout (not the whole file).
    added, removed = _came_and_went(by_hand, after_by_hand)
    expected_added, expected_removed = _came_and_went(*expected)
    assert added.total() <= expected_added.total()
    assert removed.total() <= expected_removed.total()
    assert _meaning(after_by_hand) == _meaning(expected[1])


_PAIR = re.compile(r"^( *)(- )?([a-z_]+): (.+)$")
_NUMBER = re.compile(r"[-+.\d]+(e[-+]?\d+)?")


@st.composite
def _hand_laid_out(draw: st.DrawFn) -> str:
    """The example with values quoted one way or another, comments at line ends and blank
    lines between entries, each at random."""
    out = []
    block_indent: int | None = None  # inside a | block: its text, where # is no comment
    for number, line in enumerate(CANONICAL.split("\n")[:-1]):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None and (not line.strip() or indent > block_indent):
            out.append(line)
            continue
        block_indent = None
        match = _PAIR.match(line)
        if match and match[4] in ("|", "|-", ">"):
            block_indent = indent
        elif match and not _NUMBER.fullmatch(match[4]) and match[4][0] not in "'\"[{|>":
            style = draw(st.sampled_from(["", "", "double", "single"]))
            value = match[4]
            if style == "double":
                value = json.dumps(value)  # non-ASCII as \u escapes
            elif style == "single":
                value = "'" + value.replace("'", "''") + "'"
            line = f"{match[1]}{match[2] or ''}{match[3]}: {value}"
        if (indent == 0 or line.lstrip().startswith("- id:")) and number and draw(st.booleans()):
            out.append("")
        if draw(st.integers(0, 9)) == 0:
            line += f"  # note {number}"
        out.append(line)
    return "\n".join(out) + "\n"


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(by_hand=_hand_laid_out(), command=st.sampled_from(COMMANDS))
def test_a_hand_laid_out_file_keeps_everything_but_the_change(
    by_hand: str, command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    cli = Cli()
    expected = _in_mentorkits_style(cli, by_hand, command, tmp_path, monkeypatch)
    edited = tmp_path / "edited.yaml"
    edited.write_text(by_hand, encoding="utf-8")
    monkeypatch.setattr(secrets, "choice", random.Random(7).choice)
    result = cli("-f", str(edited), "--as", "mentor", "--today", TODAY, *command)
    after_by_hand = edited.read_text(encoding="utf-8")
    if result.exit_code == 1:  # a comment stood on a line the change rewrites
        assert "that saving would drop" in result.stderr
        assert after_by_hand == by_hand
        return
    assert result.exit_code == 0, result.output
    # As many lines came and went (values quoted otherwise differ, but not their number).
    added, removed = _came_and_went(by_hand, after_by_hand)
    expected_added, expected_removed = _came_and_went(*expected)
    assert (added.total(), removed.total()) == (expected_added.total(), expected_removed.total())
    assert _meaning(after_by_hand) == _meaning(expected[1])
    comments = [
        line[line.index("  # note") :] for line in by_hand.splitlines() if "  # note" in line
    ]
    assert all(comment in after_by_hand for comment in comments)


def test_keys_that_are_not_text_keep_their_spelling_in_an_item_written_anew(
    example: Path, cli: Cli
):
    """A changed item written in flow style is written anew in block style; its keys that
    are not text stay as typed (`1:`, not `'1':`), and quoted ones stay quoted."""
    item = "\n".join(CANONICAL.split("- id: a7ks\n", 1)[1].split("\n")[:7])
    flow = (
        '- {id: a7ks, title: "Review Tomás\'s demand letter and mark up the damages section",'
        " owner: mentor, goal: g4mk, created: 2026-10-06, created_by: mentee, due: 2026-12-04,"
        ' status: open, 1: one, ~: n, 1.5: f, true: t, "2": two}\n'
    )
    example.write_text(CANONICAL.replace("- id: a7ks\n" + item + "\n", flow), encoding="utf-8")
    assert cli("--as", "mentor", "--today", TODAY, "action", "done", "a7ks").exit_code == 0
    written = example.read_text(encoding="utf-8")
    assert "  status: done\n  1: one\n  ~: n\n  1.5: f\n  true: t\n  '2': two\n" in written


def test_a_merge_keeps_our_hand_laid_out_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`sync` merges their change into our file: our hand edits stay as typed."""
    from mentorkit.git.merging import merge_files

    ours = CANONICAL
    for name in ("keys that are not text, at the top", "an escaped emoji", "a flow list"):
        ours = HAND_EDITS[name](ours)
    cli = Cli()
    same_meaning, theirs = _in_mentorkits_style(
        cli, ours, ["agenda", "add", "Their point"], tmp_path, monkeypatch
    )
    outcome = merge_files(ours.encode(), ours.encode(), theirs.encode())
    merged = outcome.data.decode("utf-8")
    assert outcome.conflicts == []
    assert _came_and_went(ours, merged) == _came_and_went(same_meaning, theirs)
    assert _meaning(merged) == _meaning(theirs)


def test_a_comment_after_a_value_grown_to_many_lines_stays_on_its_line(example: Path, cli: Cli):
    text = CANONICAL[: CANONICAL.index("agenda:\n")] + "agenda: []  # none yet\n"
    example.write_text(text, encoding="utf-8")
    assert cli("--as", "mentor", "--today", TODAY, "agenda", "add", "First point").exit_code == 0
    written = example.read_text(encoding="utf-8")
    assert written.startswith(text[: -len("agenda: []  # none yet\n")])
    assert written.endswith("agenda:  # none yet\n- id: " + written.split("- id: ")[-1])
    assert written.endswith(
        "  text: First point\n  added_by: mentor\n  added: 2026-11-26\n  status: open\n"
    )


WRITES_IN_A_ROW = [
    ["rules", "agree"],
    ["goal", "add", "Negotiation", "--why", "Most cases settle."],
    ["rules", "set", "response-time", "within a day"],
    ["feedback", "give", "Clear memo."],
    ["schedule", "move", "2027-01-05", "2027-01-07T10:00"],
    ["schedule", "set", "--time", "11:00"],
    ["resource", "add", "Negotiation handbook", "--kind", "book"],
    ["meeting", "log", "--date", "2026-11-24", "--notes", "Went well.", "--no-input"],
    ["goal", "add", "Depositions", "--why", "They decide cases."],
]


def test_a_comment_no_change_touches_survives_writes_in_a_row(example: Path, cli: Cli):
    """Each save leaves in the parse cache what a full read of the saved text gives (keys in
    the file's order), so the next command changes its own lines in place as well."""
    text = CANONICAL.replace("format: 2\n", "format: 2  # file format, do not touch\n", 1)
    example.write_text(text, encoding="utf-8")
    for command in WRITES_IN_A_ROW:
        result = cli("--no-commit", "--as", "mentor", "--today", TODAY, *command)
        assert result.exit_code == 0, (command, result.output)
        saved = example.read_text(encoding="utf-8")
        assert saved.startswith("format: 2  # file format, do not touch\n"), command
        cached = storage._cache_get(storage._digest(saved))
        full = yamltext.parse_text(saved, "mentorship.yaml", lines=False).raw
        assert cached is not None and list(cached) == list(full) and cached == full, command
