"""The one declaration of the record collections (model.COLLECTIONS) covers every list of
records in the model, and what walks the records reads it: IDs, checks, writing, merging."""

from __future__ import annotations

import dataclasses
from dataclasses import fields
from typing import get_args, get_origin

import pytest

from mentorkit.domain import actions, agenda
from mentorkit.file import fileformat, model
from mentorkit.file.model import COLLECTIONS, Mentorship
from mentorkit.git.merging import merge
from tests.conftest import DAY, make_mentorship, seeded


def test_every_list_of_records_in_the_model_is_declared_once_in_file_order():
    lists = [
        (f.name, get_args(f.type)[0]) for f in fields(Mentorship) if get_origin(f.type) is list
    ]
    assert [(c.name, c.item) for c in COLLECTIONS] == lists


@pytest.mark.parametrize("collection", COLLECTIONS, ids=[c.name for c in COLLECTIONS])
def test_each_collection_names_a_real_date_field_and_inner_lists(collection):
    names = {f.name for f in fields(collection.item)}
    assert {"id", collection.dated_by} <= names
    assert set(collection.inner) <= names


def test_all_ids_reads_every_collection_and_the_ids_inside_records(m):
    action, _ = actions.add_action(m, "Draft", owner="mentee", due=None, goal=None, by=None,
                                   today=DAY, rng=seeded(1))  # fmt: skip
    point, _ = agenda.add_point(m, "Settlement", by=None, today=DAY, rng=seeded(2))
    from mentorkit.domain.goals import add_goal, add_kpi

    goal, _ = add_goal(m, "Depositions", why=None, strategies=[], by=None, today=DAY,
                       rng=seeded(3))  # fmt: skip
    kpi, _ = add_kpi(m, goal.id, name="Score", baseline=4, target=8, unit=None, direction=None,
                     due=None, by=None, rng=seeded(4))  # fmt: skip
    assert m.all_ids() == {action.id, point.id, goal.id, kpi.id}


def test_an_id_used_twice_across_collections_is_refused_wherever_it_is(m):
    action, _ = actions.add_action(m, "Draft", owner="mentee", due=None, goal=None, by=None,
                                   today=DAY, rng=seeded(1))  # fmt: skip
    point, _ = agenda.add_point(m, "Settlement", by=None, today=DAY, rng=seeded(2))
    point.id = action.id
    problems = fileformat.semantic_problems(m)
    assert (f"agenda[{action.id}]", f"the ID {action.id} is also used by actions[{action.id}]") in (
        problems
    )


def test_a_collection_declared_later_is_not_written_while_it_is_empty(monkeypatch):
    """Adding a record type changes no existing file: a new collection, not written when
    empty, leaves every file without such records exactly as it was."""
    m = make_mentorship()
    written = fileformat.mentorship_to_raw(m)
    assert written["agenda"] == []  # format 2's own lists are written even when empty
    later = tuple(
        dataclasses.replace(c, written_when_empty=False) if c.name == "agenda" else c
        for c in COLLECTIONS
    )
    monkeypatch.setattr(model, "COLLECTIONS", later)
    assert "agenda" not in fileformat.mentorship_to_raw(m)


def test_a_merge_refuses_to_drop_a_goal_that_any_goal_serving_collection_refers_to(m):
    assert [c.name for c in COLLECTIONS if c.refers_to_goal()] == ["actions", "resources"]
    base = {"goals": [{"id": "g1"}], "resources": []}
    ours = {"goals": [], "resources": []}
    theirs = {"goals": [{"id": "g1"}], "resources": [{"id": "r1", "goal": "g1"}]}
    assert merge(base, ours, theirs).conflicts


@pytest.mark.parametrize(
    "collection", [c for c in COLLECTIONS if c.shown_in_calendar], ids=lambda c: c.name
)
def test_a_collection_shown_in_calendars_counts_its_records_changes(collection):
    """Its records keep a `revision` (the SEQUENCE calendars go by), and what a calendar
    shows of them names real fields: the transaction and the merge driver read both."""
    names = {f.name for f in fields(collection.item)}
    assert "revision" in names
    assert set(collection.shown_in_calendar) <= names - {"revision", "id", "extra"}
    assert collection.shown_in_calendar == actions.CALENDAR_FIELDS or collection.name != "actions"


@dataclasses.dataclass(kw_only=True, eq=False, repr=False)
class Assessment(model.Record):
    """A record type declared only here: what a new collection gets without other edits."""

    id: str
    date: object
    competency: str
    score: int
    extra: dict[str, object] = dataclasses.field(default_factory=dict, repr=False)


@pytest.fixture
def with_assessments(monkeypatch):
    """COLLECTIONS with one more collection, as declaring it in model.py would make it, in
    every module that read the declaration."""
    import sys

    declared = (*COLLECTIONS, model.Collection("assessments", Assessment, "assessment", "date"))
    for module in list(sys.modules.values()):
        if (module.__name__ or "").startswith("mentorkit") and (
            getattr(module, "COLLECTIONS", None) is COLLECTIONS
        ):
            monkeypatch.setattr(module, "COLLECTIONS", declared)
    return declared


def test_a_collection_added_to_the_declaration_gets_id_checks_and_field_history(with_assessments):
    from mentorkit.domain.ids import new_id
    from mentorkit.git import narrator

    m = make_mentorship()
    m.assessments = [Assessment(id="as01", date=DAY, competency="Drafting", score=4)]
    action, _ = actions.add_action(m, "Draft", owner="mentee", due=None, goal=None, by=None,
                                   today=DAY, rng=seeded(1))  # fmt: skip
    assert m.all_ids() == {action.id, "as01"}
    assert not new_id(m.all_ids(), seeded(5)).startswith("as01")
    assert fileformat.semantic_problems(m) == []

    m.assessments.append(Assessment(id=action.id, date=DAY, competency="Pleading", score=2))
    m.assessments.append(Assessment(id="as01", date=DAY, competency="Filing", score=3))
    problems = fileformat.semantic_problems(m)
    assert (f"assessments[{action.id}]", f"the ID {action.id} is also used by actions[{action.id}]") in problems  # fmt: skip
    assert ("assessments[as01]", "the ID as01 is also used by assessments[as01]") in problems

    old = {"assessments": [{"id": "as01", "date": str(DAY), "competency": "Drafting", "score": 4}]}
    new = {"assessments": [{**old["assessments"][0], "score": 5},
                           {"id": "as02", "date": str(DAY), "competency": "Filing", "score": 3}]}  # fmt: skip
    assert [c[:3] for c in narrator.compare(old, new)] == [
        ("assessments.changed", "as01", "changed the score of assessment as01: 4 → 5"),
        ("assessments.added", "as02", "added assessment as02"),
    ]
