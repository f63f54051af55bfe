"""The merge driver on its own: exact conflict markers, and random pairs of edits from one
common version, which merge into a valid file or a conflict holding every side's values."""

from __future__ import annotations

import copy
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorkit.errors import InvalidFile
from mentorkit.file import fileformat
from mentorkit.file.yamltext import dump_raw, parse_text
from mentorkit.git.merging import merge_files

from .conftest import EXAMPLE
from .test_shared_record import take

BASE_TEXT = EXAMPLE.read_text(encoding="utf-8")
BASE = parse_text(BASE_TEXT, "base").raw
MARKERS = ["<<<<<<< ours", "=======", ">>>>>>> theirs", "MENTORKIT-CONFLICT-1", "MENTORKITCONFLICT"]


def text_of(raw) -> bytes:
    """The file as mentorkit writes it (an invalid one as PyYAML dumps it)."""
    try:
        checked = fileformat.mentorship_from_raw(copy.deepcopy(raw), {}, "x")
    except InvalidFile:
        return dump_raw(raw).encode("utf-8")
    return fileformat.dump_text(checked.mentorship).encode("utf-8")


def raw_of(data: bytes):
    return parse_text(data.decode("utf-8"), "x").raw


def valid(data: bytes) -> bool:
    try:
        fileformat.load_text(data.decode("utf-8"), "x")
    except InvalidFile:
        return False
    return True


def with_points(count: int):
    raw = copy.deepcopy(BASE)
    point = {"added_by": "mentee", "added": date(2026, 11, 1), "status": "open"}
    raw["agenda"] = [{"id": f"p{n}x", "text": f"point {n}", **point} for n in range(count)]
    return raw


def test_markers_stand_exactly_around_each_of_many_conflicts():
    base = with_points(23)
    base["meetings"][0]["notes"] = "Notes that mention MENTORKIT-CONFLICT-1 and MENTORKITCONFLICT0"
    ours, theirs = copy.deepcopy(base), copy.deepcopy(base)
    for n, point in enumerate(ours["agenda"]):
        point["text"] = f"ours {n} MENTORKIT-CONFLICT-{n}"
    for n, point in enumerate(theirs["agenda"]):
        point["text"] = f"theirs {n} # second part: kept"
    ours["meetings"][1]["notes"] = "=======\nours"
    theirs["meetings"][1]["notes"] = "<<<<<<< ours"
    outcome = merge_files(text_of(base), text_of(ours), text_of(theirs))
    assert len(outcome.conflicts) == 24
    text = outcome.data.decode("utf-8")
    assert text.count("\n<<<<<<< ours\n") == 24 and text.count("\n=======\n") == 24
    assert raw_of(take(text, "ours").encode()) == ours
    assert raw_of(take(text, "theirs").encode()) == theirs
    assert "Notes that mention MENTORKIT-CONFLICT-1 and MENTORKITCONFLICT0" in text
    assert ">>>>>>> theirs (agenda[p22x].text)" in text


def test_a_clean_merge_is_the_same_bytes_whoever_merges():
    ours, theirs = copy.deepcopy(BASE), copy.deepcopy(BASE)
    ours["agenda"].append(
        {"id": "p1aa", "text": "a", "added": date(2026, 11, 20), "status": "open"}
    )
    theirs["agenda"].append(
        {"id": "p1bb", "text": "b", "added": date(2026, 11, 19), "status": "open"}
    )
    one = merge_files(text_of(BASE), text_of(ours), text_of(theirs))
    other = merge_files(text_of(BASE), text_of(theirs), text_of(ours))
    assert one.conflicts == [] and one.data == other.data and valid(one.data)


# --------------------------------------------------------------------------- random edits

IDS = ["a2tw", "a7ks", "a4ub", "a3qd"]
TEXTS = ["Call the adjuster", "Call the insurer", *MARKERS, "ünïcode ✓", "two\nlines"]
DATES = [date(2026, 11, 20), date(2026, 11, 25), date(2026, 12, 4)]


def edits():
    field_edit = st.tuples(st.just("field"), st.sampled_from(IDS),
                           st.sampled_from(["title", "due", "status", "goal"]),
                           st.integers(0, 20))  # fmt: skip
    delete = st.tuples(st.just("delete"), st.sampled_from(["actions", "goals", "agenda", "resources"]),
                       st.integers(0, 9))  # fmt: skip
    add = st.tuples(st.just("add"), st.sampled_from(["a9zz", "a8yy", "p9zz"]), st.sampled_from(TEXTS),
                    st.sampled_from(["g2hx", "g4mk", None]))  # fmt: skip
    measure = st.tuples(st.just("measure"), st.sampled_from(DATES), st.integers(0, 3))
    meeting = st.tuples(st.just("meeting"), st.sampled_from(["2026-12-01", "2027-01-05"]),
                        st.sampled_from(["moved", "cancelled", "log"]), st.integers(2, 3))  # fmt: skip
    rules = st.tuples(st.just("rules"), st.sampled_from(["set", "agree"]), st.sampled_from(TEXTS))
    return st.lists(st.one_of(field_edit, delete, add, measure, meeting, rules), max_size=5)


def apply(raw, side: str, ops) -> dict:
    raw = copy.deepcopy(raw)
    actions = {a["id"]: a for a in raw["actions"]}
    for op in ops:
        kind = op[0]
        if kind == "field":
            _, item, name, pick = op
            if item not in actions:
                continue
            value = {"title": TEXTS[pick % len(TEXTS)], "due": DATES[pick % len(DATES)],
                     "status": ["open", "done", "dropped"][pick % 3],
                     "goal": ["g2hx", "g4mk", "g9tp"][pick % 3]}[name]  # fmt: skip
            actions[item][name] = value
        elif kind == "delete":
            _, name, index = op
            if raw[name]:
                raw[name].pop(index % len(raw[name]))
        elif kind == "add":
            _, item, text, goal = op
            if item.startswith("p"):
                raw["agenda"].append({"id": item, "text": text, "added_by": side,
                                      "added": date(2026, 11, 26), "status": "open"})  # fmt: skip
            else:
                entry = {"id": item, "title": text, "owner": side, "created": date(2026, 11, 26)}
                if goal:
                    entry["goal"] = goal
                raw["actions"].append(entry)
        elif kind == "measure":
            _, day, value = op
            kpi = raw["goals"][0]["kpis"][0]
            kpi["measurements"] = [m for m in kpi["measurements"] if m["date"] != day]
            kpi["measurements"].append({"date": day, "value": value, "by": side})
        elif kind == "meeting":
            _, day, what, to = op
            if what == "log":
                raw["meetings"].append({"id": f"m{side[4]}{to}z", "date": date.fromisoformat(day),
                                        "status": "held", "notes": f"{side} notes"})  # fmt: skip
                continue
            changes = raw["schedule"].setdefault("changes", [])
            changes[:] = [c for c in changes if str(c.get("date")) != day]
            entry = {"kind": what, "date": date.fromisoformat(day)}
            if what == "moved":
                entry["to"] = f"{day[:8]}0{to}T10:00"
            changes.append(entry)
            raw["schedule"]["revision"] = raw["schedule"].get("revision", 0) + 1
        elif kind == "rules":
            _, what, text = op
            if what == "set":
                raw["agreement"]["response_time"] = text
                raw["agreement"]["agreed"] = {side: date(2026, 11, 26)}
            else:
                raw["agreement"]["agreed"][side] = date(2026, 11, 26)
    return raw


def values(raw) -> set[str]:
    """Every scalar in the data, as the text it is written as."""
    if isinstance(raw, dict):
        return set().union(*(values(v) for v in raw.values())) if raw else set()
    if isinstance(raw, list):
        return set().union(*(values(v) for v in raw)) if raw else set()
    return {str(raw)}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits(), edits())
def test_random_edits_merge_into_a_valid_file_or_a_conflict_keeping_both(ops_a, ops_b):
    ours, theirs = apply(BASE, "mentor", ops_a), apply(BASE, "mentee", ops_b)
    data = [text_of(BASE), text_of(ours), text_of(theirs)]
    if not (valid(data[1]) and valid(data[2])):
        outcome = merge_files(*data)
        assert outcome.conflicts and data[1] in outcome.data and data[2] in outcome.data
        return
    outcome = merge_files(*data)
    swapped = merge_files(data[0], data[2], data[1])
    if not outcome.conflicts:
        assert valid(outcome.data)
        assert outcome.data == swapped.data  # the same file whoever merges
        merged = raw_of(outcome.data)
        for side, mine in ((ours, "ours"), (theirs, "theirs")):
            added = {a["id"] for a in side["actions"]} - {a["id"] for a in BASE["actions"]}
            assert added <= {a["id"] for a in merged["actions"]}, mine
        return
    assert len(swapped.conflicts) == len(outcome.conflicts)
    text = outcome.data.decode("utf-8")
    if outcome.conflicts[0].path == "the whole file":
        assert data[1] in outcome.data and data[2] in outcome.data
        return
    assert text.count("\n<<<<<<< ours\n") == len(outcome.conflicts)
    for side in ("ours", "theirs"):
        chosen = take(text, side)
        raw_of(chosen.encode())  # plain YAML again
        wanted = ours if side == "ours" else theirs
        wanted = {**wanted, "schedule": {**wanted["schedule"], "revision": None},
                  "meetings": [{**m, "id": None} for m in wanted["meetings"]]}  # fmt: skip
        for value in values(wanted) - values(BASE) - {"None"}:
            assert all(line in chosen for line in value.split("\n")), (side, value)
    for conflict in outcome.conflicts:
        assert conflict.reason


def test_a_conflict_on_a_key_longer_than_128_characters_keeps_the_key():
    key = "k" * 140
    sides = []
    for value in ("base", "ours", "theirs"):
        raw = copy.deepcopy(BASE)
        raw["agreement"][key] = value
        sides.append(text_of(raw))
    outcome = merge_files(*sides)
    assert [c.path for c in outcome.conflicts] == [f"agreement.{key}"]
    for side in ("ours", "theirs"):
        chosen = raw_of(take(outcome.data.decode("utf-8"), side).encode())
        assert chosen["agreement"][key] == side and None not in chosen["agreement"]
