"""Small helpers for the sentences mentorkit writes into commit messages and the record."""

from __future__ import annotations

from typing import Any


def quoted(value: Any) -> str:
    """A title or name in double quotes, on one line: `"Draft the memo"`."""
    return '"' + " ".join(str(value).split("\n")) + '"'
