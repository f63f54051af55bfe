"""git/narrator's comparisons on plain data, as history and commit messages use them: the
specific sentence where a record has one, else the field from what to what."""

from __future__ import annotations

import copy

from mentorkit.git.narrator import compare

BASE = {
    "format": 2,
    "actions": [
        {"id": "a2tw", "title": "Draft the letter", "owner": "mentee", "created": "2026-11-01",
         "due": "2026-11-13", "status": "open"},
    ],
    "agenda": [
        {"id": "p8ym", "text": "Settlement ranges", "added": "2026-11-20", "status": "open"},
        {"id": "p4kq", "text": "Deposition outline", "added": "2026-11-21", "status": "open"},
    ],
}  # fmt: skip


def said(changes):
    """The changes as (kind, item, sentence)."""
    return [c[:3] for c in changes]


def _changed(edit):
    new = copy.deepcopy(BASE)
    edit(new)
    return said(compare(BASE, new))


def test_completing_an_action_is_one_specific_sentence():
    def done(raw):
        raw["actions"][0].update(status="done", completed="2026-11-26")

    assert _changed(done) == [
        ("action.completed", "a2tw",
         'completed action a2tw "Draft the letter" (due 2026-11-13, 13 days late)'),
    ]  # fmt: skip


def test_a_field_without_a_sentence_of_its_own_is_told_from_what_to_what():
    def owner(raw):
        raw["actions"][0]["owner"] = "mentor"

    [(kind, item, text)] = _changed(owner)
    assert (kind, item) == ("action.changed", "a2tw")
    assert text == 'changed the owner of action a2tw "Draft the letter": "mentee" → "mentor"'


def test_a_new_item_an_unknown_key_and_a_reorder_are_each_told():
    def edit(raw):
        raw["agenda"].reverse()
        raw["agenda"].append(
            {"id": "p3zn", "text": "Client call", "added": "2026-11-25", "status": "open"}
        )
        raw["notes"] = "kept by hand"

    told = _changed(edit)
    assert ("agenda.added", "p3zn", 'added talking point p3zn "Client call"') in told
    assert ("agenda.reordered", "p8ym", "reordered the agenda (p8ym, p4kq)") in told
    assert [kind for kind, _, _ in told if kind.startswith("file")] == ["file.changed"]


def test_the_same_version_twice_changes_nothing():
    assert compare(BASE, copy.deepcopy(BASE)) == []
    assert compare(BASE, BASE) == []


def test_a_record_type_without_words_of_its_own_is_told_by_its_noun(monkeypatch):
    """A collection added to the declaration is told by history without narrator code of
    its own: added, changed field by field, removed, each by its noun and ID."""
    from mentorkit.file.model import COLLECTIONS, Collection, TalkingPoint
    from mentorkit.git import narrator

    assessments = Collection("assessments", TalkingPoint, "assessment", "added")
    monkeypatch.setattr(narrator, "COLLECTIONS", (*COLLECTIONS, assessments))
    first = {"id": "s1", "text": "Cross-examination", "added": "2026-11-26"}
    old = {"format": 2, "assessments": []}
    assert said(compare(old, {"format": 2, "assessments": [first]})) == [
        ("assessments.added", "s1", "added assessment s1")
    ]
    changed = {**first, "text": "Cross"}
    assert said(
        compare({"format": 2, "assessments": [first]}, {"format": 2, "assessments": [changed]})
    ) == [
        (
            "assessments.changed",
            "s1",
            'changed the text of assessment s1: "Cross-examination" → "Cross"',
        )
    ]
    assert said(compare({"format": 2, "assessments": [first]}, old)) == [
        ("assessments.removed", "s1", "removed assessment s1")
    ]
