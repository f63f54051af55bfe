"""The file on disk: round trips, normalisation, strict and clear loading."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorkit.errors import InvalidFile
from mentorkit.file import fileformat
from mentorkit.file.model import ActionItem, Feedback, Goal, Kpi, Measurement
from mentorkit.file.yamltext import find_comment_lines, parse_text

from .conftest import EXAMPLE


def load(text: str):
    return fileformat.load_text(text, "mentorship.yaml").mentorship


def test_example_is_canonical_and_byte_identical_after_a_round_trip():
    text = EXAMPLE.read_text(encoding="utf-8")
    assert fileformat.dump_text(load(text)) == text


def test_dump_is_readable_for_people_and_git():
    m = load(EXAMPLE.read_text(encoding="utf-8"))
    text = fileformat.dump_text(m)
    assert text.startswith("format: 2\npeople:\n  mentor:\n    name: Diane Whitaker\n")
    assert "  time: '10:00'\n" in text  # quoted, or YAML 1.1 reads 600
    assert "Tomás Okonkwo-Reyes" in text  # non-ASCII as itself
    assert "text: |\n    In the mock deposition" in text  # multi-line as a block
    assert "&" not in text and "*id" not in text  # no anchors
    long = m.agreement.urgent_concerns
    assert f"urgent_concerns: {long}\n" in text  # never re-wrapped


def test_every_time_is_written_quoted_before_ten_too():
    m = load(EXAMPLE.read_text(encoding="utf-8"))
    m.schedule.time = "09:15"
    m.schedule.feedback_time = "08:00"
    text = fileformat.dump_text(m)
    assert "  time: '09:15'\n" in text and "  feedback_time: '08:00'\n" in text
    assert load(text) == m


def test_unknown_keys_survive_a_rewrite_in_place():
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "  status: open\n  moves:", "  status: open\n  billing_code: PI-2291\n  moves:", 1
    )
    text = text.replace("format: 2\n", "format: 2\nteam: litigation\n")
    m = load(text)
    again = fileformat.dump_text(m)
    assert "  billing_code: PI-2291\n" in again
    assert "team: litigation\n" in again
    assert again == fileformat.dump_text(load(again))


def test_new_items_are_appended():
    m = load(EXAMPLE.read_text(encoding="utf-8"))
    m.actions.append(
        ActionItem(id="zzzz", title="Last", owner="mentee", created=date(2026, 11, 26))
    )
    text = fileformat.dump_text(m)
    assert text.index("id: zzzz") > text.index("id: a3qd")
    assert text.index("id: zzzz") < text.index("resources:")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "    target: 8\n",
            "    target: ten\n",
            "goals[g9tp].kpis[k3wq].target: expected a number, got 'ten' (line",
        ),
        (
            "  owner: mentee\n  goal: g4mk\n  created: 2026-03-10\n",
            "  owner: boss\n  goal: g4mk\n  created: 2026-03-10\n",
            "actions[a5ce].owner: expected one of mentor, mentee, got 'boss'",
        ),
        (
            "  due: 2026-11-20\n",
            "  due: 2026-13-40\n",
            "actions[a4ub].due: expected a date like 2026-03-05, got '2026-13-40'",
        ),
        (
            "    timezone: Europe/London\n",
            "    timezone: Europe/Lundon\n",
            "people.mentee.timezone: 'Europe/Lundon' is not a known time zone",
        ),
        (
            "  time: '10:00'\n",
            "  time: 10:00\n",
            "schedule.time: expected a time in quotes like '16:00', got 10:00 (YAML 1.1 reads 10:00 as the number 600",
        ),
        (
            "  goal: g9tp\n  created: 2026-11-03\n",
            "  goal: gzzz\n  created: 2026-11-03\n",
            "actions[a4ub].goal: no goal has the ID 'gzzz'",
        ),
        (
            "- id: a4ub\n",
            "- id: a5ce\n",
            "actions[a5ce]: the ID a5ce is also used by actions[a5ce]",
        ),
        ("  competency: Taking a deposition\n", "", "goals[g9tp]: 'competency' is missing"),
        ("format: 2\n", "format: 9\n", "written by a newer mentorkit (format 9)"),
        ("format: 2\n", "", "is not a mentorkit file: it has no 'format' key"),
    ],
)
def test_invalid_values_name_the_field_path_and_line(old, new, expected):
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(InvalidFile) as caught:
        load(text.replace(old, new, 1))
    assert expected in "\n".join([caught.value.message, *caught.value.problems])


def test_the_line_in_a_message_is_the_line_of_the_field():
    text = EXAMPLE.read_text(encoding="utf-8").replace("    target: 8\n", "    target: ten\n")
    line = text.splitlines().index("    target: ten") + 1
    with pytest.raises(InvalidFile) as caught:
        load(text)
    assert caught.value.message.endswith(f"expected a number, got 'ten' (line {line})")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  time: '10:00'\n", '  time: "10:00\n    "\n', "schedule.time: expected a time like"),
        ("  time: '10:00'\n", "  time: '25:00'\n", "schedule.time: expected a time like"),
        ("  duration: 60\n", '  duration: "60\n    min"\n', "schedule.duration: expected a whole"),
        ("  channel: video\n", "  channel: |\n    video\n    call\n", "schedule.channel: expected"),
        ("  channel: video\n", "  channel: >-\n    video\n    call\n", "schedule.channel: expected"),
        ("    timezone: Europe/London\n", "    timezone: 'Europe/\n      Lond'\n", "people.mentee.timezone"),
        ("    timezone: Europe/London\n", "    timezone: Europe/Lond\n", "people.mentee.timezone"),
        ("  rrule: FREQ=MONTHLY;BYDAY=1TU\n", '  rrule: "FREQ=MONTHLY;\n    INTERVAL=0"\n', "schedule.rrule"),
    ],
)  # fmt: skip
def test_a_value_over_several_lines_is_reported_at_its_own_line(old, new, expected):
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    line = text.splitlines().index(old.rstrip("\n")) + 1
    with pytest.raises(InvalidFile) as caught:
        fileformat.load_text(text.replace(old, new, 1), "mentorship.yaml")
    message = caught.value.message
    assert message.startswith(f"mentorship.yaml is not valid: {expected}")
    assert message.endswith(f"(line {line})")


def test_every_problem_is_listed_not_just_the_first():
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("    target: 8\n", "    target: ten\n").replace(
        "  due: 2026-11-20\n", "  due: soon\n"
    )
    with pytest.raises(InvalidFile) as caught:
        load(text)
    assert len(caught.value.problems) == 2
    assert "(2 problems)" in caught.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "format: 1\npeople: !!python/object:os.system {}\n",
            "the tag tag:yaml.org,2002:python/object:os.system is not allowed",
        ),
        ("format: 1\nformat: 1\n", "the key 'format' appears twice"),
        ("format: 1\na: &x [1]\nb: *x\n", "YAML aliases (*name) are not allowed"),
        (
            "format: 1\n<<<<<<< HEAD\na: 1\n=======\na: 2\n>>>>>>> other\n",
            "merge-conflict markers (line 2, 4, 6)",
        ),
        (
            "format: 1\npeople:\n\tmentor: x\n",
            "line 3, column 1: the YAML cannot be read: a tab character",
        ),
        ("format: [1\n", "the YAML cannot be read"),
        ("", "is empty"),
        ("- just\n- a list\n", "expected a mapping at the top"),
    ],
)
def test_unsafe_or_broken_yaml_is_refused_with_one_sentence(text, expected):
    with pytest.raises(InvalidFile) as caught:
        load(text)
    assert expected in caught.value.message
    assert "\n" not in caught.value.message


def test_alias_bomb_is_refused_quickly():
    bomb = "format: 1\na: &a [x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 12):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [*{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}]\n"
    with pytest.raises(InvalidFile, match="aliases"):
        load(bomb)


def test_comment_lines_are_found_but_hashes_in_text_are_not_comments():
    text = "format: 1  # version\n# whole line\nlink: https://x.example/#anchor\ntext: 'a # b'\nblock: |\n  # not a comment\n"
    assert find_comment_lines(text) == [1, 2]


def test_migrations_run_in_a_chain_and_set_the_format():
    chain = {1: lambda raw: {**raw, "two": True}, 2: lambda raw: {**raw, "three": True}}
    raw = fileformat.migrate({"format": 1}, "f", migrations=chain, current=3)
    assert raw == {"format": 3, "two": True, "three": True}


def test_lines_are_remembered_for_nested_values():
    parsed = parse_text("format: 1\ngoals:\n- id: g1\n  kpis:\n  - id: k1\n    target: 3\n", "f")
    assert parsed.lines[("goals", 0, "kpis", 0, "target")] == 6


# --------------------------------------------------------------------------- property test

texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufeff"),
    max_size=40,
)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))
numbers = st.one_of(
    st.integers(-(10**6), 10**6),
    st.floats(-1e6, 1e6, allow_nan=False).filter(lambda f: f != 0 or str(f) == "0.0"),
)
roles = st.sampled_from(["mentor", "mentee"])
LINE_BREAK = re.compile("[\n\r\v\f\x85\u2028\u2029]")  # titles are one line; notes need not be


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=texts.filter(lambda s: s.strip() != "" and not LINE_BREAK.search(s)),
    note=st.one_of(st.none(), texts),
    value=numbers,
    when=dates,
    owner=roles,
    feedback_text=texts,
)
def test_any_valid_mentorship_round_trips(title, note, value, when, owner, feedback_text):
    m = load(EXAMPLE.read_text(encoding="utf-8"))
    m.goals[0].strategies.append(title)
    m.goals[0].kpis.append(
        Kpi(id="kzzz", name=title, baseline=value, target=value, due=when,
            measurements=[Measurement(date=when, value=value, note=note)])
    )  # fmt: skip
    m.actions.append(ActionItem(id="azzz", title=title, owner=owner, created=when, due=when))
    m.feedback.append(
        Feedback(
            id="fzzz",
            date=when,
            from_=owner,
            to="mentor" if owner == "mentee" else "mentee",
            text=feedback_text,
        )
    )
    m.goals.append(Goal(id="gzzz", competency=title, created=when, why=note))
    text = fileformat.dump_text(m)
    again = load(text)
    assert again == m
    assert fileformat.dump_text(again) == text
