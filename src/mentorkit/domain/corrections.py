"""Correcting a recorded item field by field, and the sentence that puts each change on
record: who, which item, each field from what to what, and why."""

from __future__ import annotations

from typing import Any

from mentorkit.domain.wording import because, quoted
from mentorkit.errors import UsageProblem
from mentorkit.file.model import Role


class Corrections:
    """The fields changed on one item, as `title "old" → "new"` for the record."""

    def __init__(self, item: Any) -> None:
        self.item = item
        self.lines: list[str] = []

    def set(self, field: str, new: Any, *, quote: bool = True) -> None:
        old = getattr(self.item, field)
        if new != old:
            self.lines.append(f"{field} {_shown(old, quote)} → {_shown(new, quote)}")
            setattr(self.item, field, new)

    def sentence(self, by: Role | None, what: str, title: str, reason: str | None, *,
                 options: str) -> str:  # fmt: skip
        if not self.lines:
            raise UsageProblem(f"nothing to change; give {options} with a new value")
        return (
            f"{by or 'someone'} corrected {what} {self.item.id} {quoted(title)}: "
            f"{'; '.join(self.lines)}{because(reason)}"
        )


def _shown(value: Any, quote: bool) -> str:
    if value is None:
        return "none"
    return quoted(value) if quote and isinstance(value, str) else str(value)
