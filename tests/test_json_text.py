"""The --json text: exactly what the standard library writes with an indent of two and
ASCII only (the output is written by a faster encoder of our own)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit.output import _json_default, json_text

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.dates()
    | st.datetimes(timezones=st.just(timezone(timedelta(hours=-6))))
)
KEYS = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(KEYS, inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_the_json_text_is_the_standard_librarys_character_for_character(value):
    expected = json.dumps(value, indent=2, ensure_ascii=True, default=_json_default)
    assert json_text(value) == expected


def test_control_bidi_and_non_ascii_characters_are_escaped():
    value = {"é": ["\x1b[31m", "\u202e", "🎉"], True: date(2026, 1, 2), 2: None}
    text = json_text(value)
    assert text.isascii() and "\\u001b" in text and "\\u202e" in text
    assert json.loads(text) == {
        "\u00e9": ["\x1b[31m", "\u202e", "🎉"],
        "true": "2026-01-02",
        "2": None,
    }


def test_a_value_json_cannot_hold_is_refused():
    for value in ({"k": object()}, {(1, 2): "tuple key"}):
        try:
            json_text(value)
        except TypeError:
            continue
        raise AssertionError(value)
    assert json_text([datetime(2026, 1, 2, 3, 4, tzinfo=UTC)]) == (
        '[\n  "2026-01-02T03:04:00+00:00"\n]'
    )
