"""Short random IDs that two people can create on their own machines without colliding,
and git-style prefix look-up."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

from mentorkit.domain.wording import quoted
from mentorkit.errors import NotFound, UsageProblem

if TYPE_CHECKING:
    import random

# No 0/o, 1/l/i: easy to read aloud and to type.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
LENGTH = 4


def new_id(taken: Iterable[str], rng: random.Random | None = None) -> str:
    """A fresh ID, not equal to and not a prefix-clash with any taken one."""
    import secrets  # here, not at the top: it costs start-up time for every command

    taken = set(taken)
    choose = rng.choice if rng is not None else secrets.choice
    while True:
        candidate = "".join(choose(ALPHABET) for _ in range(LENGTH))
        if candidate not in taken and not any(t.startswith(candidate) for t in taken):
            return candidate


class HasId(Protocol):
    id: str


T = TypeVar("T", bound=HasId)


def label(item: object) -> str:
    """The words an item is known by: an action's title, a goal's competency, a KPI's name."""
    for attribute in ("title", "competency", "name", "text", "topic"):
        value = getattr(item, attribute, None)
        if isinstance(value, str):
            return value
    return ""


def find(items: Sequence[T], key: str, what: str) -> T:
    """The one item that `key` names: its ID, a prefix of its ID, or words from its title
    (`"/demand letter/"` or plain words when no ID starts with them), case-insensitive. None
    or several give a clear error; several are listed so that the next try can be exact."""
    typed = key.strip()
    if not typed:
        raise UsageProblem(f"give the ID of the {what} or words from it")
    slashed = len(typed) > 2 and typed.startswith("/") and typed.endswith("/")
    if not slashed:
        lowered = typed.lower()
        exact = [item for item in items if item.id == lowered]
        if exact:
            return exact[0]
        by_id = [item for item in items if item.id.startswith(lowered)]
        if len(by_id) == 1:
            return by_id[0]
        if by_id:
            raise UsageProblem(_ambiguous(typed, by_id, what))
    words = " ".join((typed[1:-1] if slashed else typed).lower().split())
    by_text = [item for item in items if words and words in " ".join(label(item).lower().split())]
    if len(by_text) == 1:
        return by_text[0]
    if by_text:
        raise UsageProblem(_ambiguous(typed, by_text, what))
    raise NotFound(f"no {what} has an ID starting with {typed!r} or those words in it")


def _short(text: str, cells: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= cells else text[: cells - 1].rstrip() + "…"


def _state(item: object) -> str:
    """' (done)' for an item no longer open or active; nothing for one that is."""
    status = getattr(item, "status", None)
    return f" ({status})" if isinstance(status, str) and status not in ("open", "active") else ""


def _ambiguous(typed: str, matches: Sequence[HasId], what: str) -> str:
    shown = "; ".join(
        f"{item.id} {quoted(_short(label(item)))}{_state(item)}" for item in matches[:8]
    )
    more = f" and {len(matches) - 8} more" if len(matches) > 8 else ""
    return (
        f"{typed!r} matches {len(matches)} {what}s: {shown}{more}; "
        "give more of the ID or of the words"
    )
