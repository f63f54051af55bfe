"""Short random IDs that two people can create on their own machines without colliding,
and git-style prefix look-up."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

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


def find(items: Sequence[T], prefix: str, what: str) -> T:
    """The one item whose ID starts with `prefix`; a clear error when none or several do."""
    key = prefix.strip().lower()
    if not key:
        raise UsageProblem(f"give the ID of the {what}")
    exact = [item for item in items if item.id == key]
    if exact:
        return exact[0]
    matches = [item for item in items if item.id.startswith(key)]
    if not matches:
        raise NotFound(f"no {what} has an ID starting with {prefix!r}")
    if len(matches) > 1:
        shown = ", ".join(item.id for item in matches[:6])
        raise UsageProblem(
            f"{prefix!r} matches {len(matches)} {what}s ({shown}); type more of the ID"
        )
    return matches[0]
