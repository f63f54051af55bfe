"""Merging two people's edits of the file by item ID, for git's merge driver.

Additions on both sides are both kept; different fields of the same item changed on each
side are combined; measurements, due-date moves and meeting changes are grouped by the date
they are about (a date may hold several measurements), plain lists (updates, decisions,
strategies) keep every entry either side added, and entries new on both sides are put in a
fixed order, so both people's merges give the same file. Two logs of the same meeting
become one.

Everything else is a conflict, with both sides' values and a sentence saying why: the same
field changed differently, an item deleted on one side and edited (or referred to) on the
other, an item done on one side and dropped on the other, the rules changed on one side
while the other person agreed to the old ones, one meeting moved or cancelled differently.
A side that cannot be read item by item (not UTF-8, not valid, written by a newer
mentorkit, with comments that a rewrite would drop), or a merge that would not validate,
makes the whole file a conflict that keeps both sides byte for byte.
"""

from __future__ import annotations

import copy
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mentorkit.file.model import COLLECTIONS

if TYPE_CHECKING:
    from mentorkit.file.model import Mentorship

MISSING = object()  # a key one side of a merge does not have (history reads conflicts with it)
_RULES_EXCLUDED = ("agreed",)
# A record of a collection whose records count their changes for calendars (`revision`),
# by the collection's name: actions[a5ce] -> the fields a calendar shows of it.
_RECORD = re.compile(r"(\w+)\[[^\]]+\]")
_SHOWN = {c.name: c.shown_in_calendar for c in COLLECTIONS if c.shown_in_calendar}


@dataclass
class Conflict:
    """One place both people changed differently, and why it cannot be merged."""

    path: str
    ours: Any
    theirs: Any
    reason: str = "changed differently on both sides"
    marker: str = ""
    many: bool = False  # ours and theirs are each a run of list entries


@dataclass
class Merged:
    """The merged raw data, and the conflicts left in it (as placeholders)."""

    raw: Any
    conflicts: list[Conflict] = field(default_factory=list)


@dataclass
class Outcome:
    """What the merge driver writes, and the conflicts it found (none: a clean merge)."""

    data: bytes
    conflicts: list[Conflict]


def _child(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if isinstance(key, str) and key.startswith("["):
        return f"{path}{key}"
    return f"{path}.{key}" if path else str(key)


def _keyed(items: list) -> bool:
    return all(isinstance(x, dict) and isinstance(x.get("id"), str) for x in items)


def _dated(key: str) -> Callable[[Any], Any]:
    def key_of(entry: Any) -> Any:
        return str(entry.get(key)) if isinstance(entry, dict) and key in entry else None

    return key_of


def _occurrence(entry: Any) -> Any:
    """A schedule change is about one occurrence: the date it was due on (moved or
    cancelled), or the date and time a one-off session was added at."""
    if not isinstance(entry, dict):
        return None
    if entry.get("kind") in ("moved", "cancelled") and "date" in entry:
        return f"on {entry['date']}"
    if entry.get("kind") == "added" and "to" in entry:
        return f"added {entry['to']}"
    return None


def _by_id(entry: Any) -> Any:
    return entry.get("id") if isinstance(entry, dict) and isinstance(entry.get("id"), str) else None


def _shown(path: str) -> tuple[str, ...]:
    """The fields a calendar shows of the record at `path`, if its collection counts them."""
    found = _RECORD.fullmatch(path)
    return _SHOWN.get(found.group(1), ()) if found else ()


def _revise(
    ours: dict[str, Any], theirs: dict[str, Any], merged: dict[str, Any], shown: tuple[str, ...]
) -> None:
    """A record's revision (an action item's is its to-do's SEQUENCE in calendars) never goes
    down in a merge, and is above every side's revision whose calendar view (`shown`) differs
    from the merged one, so that a calendar holding either side takes the merge: the higher
    of the two sides', one more where a side holding that count shows something else (one
    side's title with the other side's higher count is a version neither calendar holds at
    that count). A record in conflict counts one more too: however the person resolves it,
    it is a version the other person's calendar does not hold. A side without a count has
    what exports gave before: one per due-date move, one once closed."""
    if isinstance(merged.get("revision"), Conflict):
        return

    def view(item: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(item.get(name) for name in shown)

    def revision(item: dict[str, Any]) -> int:
        count = item.get("revision")
        if type(count) is int:
            return count
        moves = item.get("moves")
        return (len(moves) if isinstance(moves, list) else 0) + bool(
            item.get("status", "open") != "open"
        )

    top = max(revision(ours), revision(theirs))
    if any(revision(side) == top and view(side) != view(merged) for side in (ours, theirs)):
        top += 1
    if top != revision(merged) or "revision" in merged:
        merged["revision"] = top


class _Merger:
    def __init__(self, protected: dict[str, str]) -> None:
        self.conflicts: list[Conflict] = []
        self.protected = protected  # item ID -> what still refers to it
        self.moved_alike = True  # both sides moved the action being merged to the same date

    def conflict(
        self,
        path: str,
        ours: Any,
        theirs: Any,
        reason: str = "changed differently on both sides",
        many: bool = False,
    ) -> Any:
        found = Conflict(path or "the file", ours, theirs, reason, many=many)
        self.conflicts.append(found)
        return found

    def merge(self, base: Any, ours: Any, theirs: Any, path: str) -> Any:
        if path == "schedule.revision" and all(type(x) is int for x in (ours, theirs)):
            start = base if type(base) is int else 0
            return ours + theirs - start  # both people's changes counted
        if (
            path.endswith(".revision")
            and _shown(path.removesuffix(".revision"))
            and all(type(x) is int for x in (ours, theirs))
        ):
            return max(ours, theirs)  # raised in `_revise` where a side at that count differs
        if ours == theirs:
            return ours
        if not self.refers_into(base):
            if ours == base:
                return theirs
            if theirs == base:
                return ours
        if isinstance(ours, dict) and isinstance(theirs, dict):
            return self.maps(base if isinstance(base, dict) else {}, ours, theirs, path)
        if isinstance(ours, list) and isinstance(theirs, list):
            base_list = base if isinstance(base, list) else []
            if path.endswith((".measurements", ".moves")):
                return self.dated(base_list, ours, theirs, path)
            key_of = self.list_key(path, [*base_list, *ours, *theirs])
            if key_of is not None:
                return self.items(base_list, ours, theirs, path, key_of)
            return self.entries(base_list, ours, theirs, path)
        return self.conflict(path, ours, theirs)

    def entries(self, base: list, ours: list, theirs: list, path: str) -> Any:
        """A plain list (updates, decisions, strategies): what either side removed goes,
        what either side added stays, the additions in a fixed order. When both sides
        removed or rewrote entries and both added others, that is a conflict."""
        removed_o, removed_t = _minus(base, ours), _minus(base, theirs)
        added_o, added_t = _minus(ours, base), _minus(theirs, base)
        if (removed_o or removed_t) and added_o and added_t:
            return self.conflict(path, ours, theirs)
        kept = list(base)
        for entry in _union(removed_o, removed_t):
            kept.remove(entry)
        return kept + sorted(_union(added_o, added_t), key=_order)

    def dated(self, base: list, ours: list, theirs: list, path: str) -> list:
        """Measurements by the date they are for, due-date moves by the date moved from: a
        date changed on one side takes that side's entries; a date where both sides only
        added entries keeps one entry recorded alike by both, otherwise it is a conflict
        holding both sides' entries for that date."""
        key_of = _dated("date" if path.endswith(".measurements") else "was")
        groups = [_grouped(entries, key_of) for entries in (base, ours, theirs)]
        merged: list[Any] = []
        new: list[Any] = []
        for key in dict.fromkeys(key_of(x) for x in [*base, *ours, *theirs]):
            b, o, t = (group.get(key, []) for group in groups)
            if o == t or t == b:
                chosen = o
            elif o == b:
                chosen = t
            else:
                added_o, added_t = _minus(o, b), _minus(t, b)
                alike = (
                    not _minus(b, o)
                    and not _minus(b, t)
                    and len(added_o) == len(added_t) == 1
                    and _same_but_by(added_o[0], added_t[0])
                )
                if alike and (self.moved_alike or path.endswith(".measurements")):
                    chosen = [*b, min(added_o[0], added_t[0], key=lambda x: str(x.get("by")))]
                else:
                    reason = self.same_occasion(path, key, {}, {})
                    if _minus(b, o) or _minus(b, t):
                        reason = "changed differently on both sides"
                    merged.append(
                        self.conflict(_child(path, f"[{key}]"), o, t, reason or "", many=True)
                    )
                    continue
            (merged if key in groups[0] else new).extend(chosen)
        return merged + sorted(new, key=_order)

    def refers_into(self, base: Any) -> bool:
        """Whether the merge still refers to an item of this list that one side deleted."""
        return (
            bool(self.protected)
            and isinstance(base, list)
            and any(_by_id(x) in self.protected for x in base)
        )

    @staticmethod
    def list_key(path: str, entries: list) -> Callable[[Any], Any] | None:
        """How the entries of this list are told apart, if they can be."""
        if path == "schedule.changes":
            key_of = _occurrence
        elif _keyed(entries):
            key_of = _by_id
        else:
            return None
        keys = [key_of(x) for x in entries]
        return key_of if all(k is not None for k in keys) else None

    def maps(self, base: dict, ours: dict, theirs: dict, path: str) -> dict:
        if path == "agreement":
            stale = self.stale_agreement(base, ours, theirs)
            if stale:
                rules = self.maps({**base, "agreed": None}, {**ours, "agreed": None},
                                  {**theirs, "agreed": None}, path)  # fmt: skip
                rules["agreed"] = self.conflict("agreement.agreed", ours.get("agreed"),
                                                theirs.get("agreed"), stale)  # fmt: skip
                return rules
        merged: dict[str, Any] = {}
        outer, self.moved_alike = self.moved_alike, ours.get("due") == theirs.get("due")
        for key in dict.fromkeys([*ours, *theirs, *base]):
            b, o, t = base.get(key, MISSING), ours.get(key, MISSING), theirs.get(key, MISSING)
            if o is MISSING and t is MISSING:
                continue
            if o is MISSING or t is MISSING:
                present = t if o is MISSING else o
                if b is MISSING:
                    merged[key] = present  # added on one side
                elif present == b:
                    continue  # removed on one side, untouched on the other
                else:
                    merged[key] = self.conflict(
                        _child(path, key),
                        None if o is MISSING else o,
                        None if t is MISSING else t,
                        "removed on one side and changed on the other",
                    )
                continue
            merged[key] = self.merge(None if b is MISSING else b, o, t, _child(path, key))
        self.moved_alike = outer
        if shown := _shown(path):
            _revise(ours, theirs, merged, shown)
        return merged

    @staticmethod
    def stale_agreement(base: dict, ours: dict, theirs: dict) -> str | None:
        """One side changed the rules while the other recorded an agreement: that agreement
        was to rules that no longer stand."""

        def rules(side: dict) -> dict:
            return {k: v for k, v in side.items() if k not in _RULES_EXCLUDED}

        for changed, agreed in ((ours, theirs), (theirs, ours)):
            if (
                rules(changed) != rules(base)
                and rules(agreed) == rules(base)
                and agreed.get("agreed") != base.get("agreed")
            ):
                return (
                    "the rules were changed on one side while the other side recorded an "
                    "agreement to the old rules; keep the side that changed the rules, and "
                    "agree again with `mentorkit rules agree`"
                )
        return None

    def items(
        self,
        base: list,
        ours: list,
        theirs: list,
        path: str,
        key_of: Callable[[Any], Any],
    ) -> list:
        """Entries by key: the base's order, then entries new on either side in a
        deterministic order (by date, then key) so both people's merges give the same file."""
        sides = [{key_of(x): x for x in entries} for entries in (base, ours, theirs)]
        whole = key_of is not _by_id  # a dated entry is one fact: it conflicts as a whole
        merged = []
        for key in dict.fromkeys([key_of(x) for x in [*base, *ours, *theirs]]):
            b, o, t = (side.get(key) for side in sides)
            where = _child(path, f"[{key}]")
            if b is not None and (o is None or t is None):
                present = o if t is None else t
                if present is None:
                    continue  # deleted on both sides
                if present == b and key not in self.protected:
                    continue  # deleted on one side, not edited on the other
                reason = (
                    f"deleted on one side while {self.protected[key]} refers to it on the other"
                    if present == b
                    else "deleted on one side and changed on the other"
                )
                merged.append(self.conflict(where, o, t, reason))
                continue
            if whole and b is None and o is not None and t is not None and _same_but_by(o, t):
                merged.append(min(o, t, key=lambda x: str(x.get("by"))))
                continue
            if o is not None and t is not None and o != t:
                clash = self.clash(path, key, b, o, t)
                if clash is None and whole and b is None:
                    clash = self.same_occasion(path, key, o, t)
                if clash:
                    merged.append(self.conflict(where, o, t, clash))
                    continue
            merged.append(
                self.merge(b, o if o is not None else t, t if t is not None else o, where)
            )
        known = [x for x in merged if isinstance(x, Conflict) or key_of(x) in sides[0]]
        new = [x for x in merged if not isinstance(x, Conflict) and key_of(x) not in sides[0]]
        new.sort(key=lambda x: (_when(x), str(key_of(x))))
        result = known + new
        if path == "meetings":
            result = self.one_log_per_date(result, path, set(sides[0]))
        return result

    @staticmethod
    def clash(path: str, key: Any, base: Any, ours: Any, theirs: Any) -> str | None:
        """Both sides changed the status of one item to different ends: done and dropped."""
        if not all(isinstance(x, dict) for x in (base, ours, theirs)):
            return None
        statuses = base.get("status"), ours.get("status"), theirs.get("status")
        if statuses[1] != statuses[2] and statuses[0] not in statuses[1:]:
            return (
                f"{path} {key} was marked {statuses[1]} on one side and {statuses[2]} on the "
                "other; keep one of the two"
            )
        return None

    @staticmethod
    def same_occasion(path: str, key: Any, ours: Any, theirs: Any) -> str | None:
        if path == "schedule.changes":
            kinds = ours.get("kind"), theirs.get("kind")
            if kinds == ("moved", "moved"):
                return f"the meeting due {ours.get('date')} was moved to different times on the two sides"
            if "added" in kinds:
                return f"the session at {ours.get('to')} was added differently on the two sides"
            return f"the meeting due {ours.get('date')} was moved on one side and cancelled on the other"
        if path.endswith(".measurements"):
            return f"both sides recorded a different value for {path.removesuffix('.measurements')} on {key}"
        if path.endswith(".moves"):
            return f"both sides moved the due date of {path.removesuffix('.moves')} from {key}, to different dates"
        return None

    def one_log_per_date(self, meetings: list, path: str, old: set[str]) -> list:
        """Logs of the same meeting from both sides become one: both people's notes and
        decisions, the points covered on either side; the log with the smaller ID stays."""
        by_date: dict[str, dict[str, Any]] = {}
        result: list[Any] = []
        for entry in meetings:
            if not isinstance(entry, dict) or "date" not in entry:
                result.append(entry)
                continue
            day = str(entry["date"])
            first = by_date.get(day)
            if first is None or (first.get("id") in old and entry.get("id") in old):
                by_date[day] = entry
                result.append(entry)
                continue
            keep, other = sorted((first, entry), key=lambda x: str(x.get("id")))
            combined = self.combine_logs(keep, other, _child(path, f"[{keep.get('id')}]"))
            index = next(i for i, x in enumerate(result) if x is first)
            result[index] = combined
            by_date[day] = combined
        return result

    def combine_logs(self, keep: dict, other: dict, where: str) -> Any:
        if keep.get("status", "held") != other.get("status", "held"):
            return self.conflict(
                where,
                keep,
                other,
                f"the meeting of {keep.get('date')} was logged as {keep.get('status', 'held')} "
                f"on one side and {other.get('status', 'held')} on the other",
            )
        from mentorkit.file.fileformat import one_log

        combined = one_log(keep, other)
        for key, value in other.items():
            if key not in combined:
                combined[key] = value
            elif key not in ("id", "notes", "decisions", "covered") and combined[key] != value:
                return self.conflict(
                    where,
                    keep,
                    other,
                    f"two logs of the meeting of {keep.get('date')} differ in {key}",
                )
        return combined


def _same_but_by(ours: Any, theirs: Any) -> bool:
    """The same fact recorded by both people (one move, one measurement)."""
    if not (isinstance(ours, dict) and isinstance(theirs, dict)):
        return False
    return {k: v for k, v in ours.items() if k != "by"} == {
        k: v for k, v in theirs.items() if k != "by"
    }


def _minus(entries: list, others: list) -> list:
    """The entries not matched one for one in others (a difference of multisets)."""
    left = list(others)
    found = []
    for entry in entries:
        if entry in left:
            left.remove(entry)
        else:
            found.append(entry)
    return found


def _union(first: list, second: list) -> list:
    """Both runs of entries, one made by both sides counted once."""
    return first + _minus(second, first)


def _grouped(entries: list, key_of: Callable[[Any], Any]) -> dict[Any, list]:
    groups: dict[Any, list] = {}
    for entry in entries:
        groups.setdefault(key_of(entry), []).append(entry)
    return groups


def _order(entry: Any) -> tuple[str, str]:
    """A fixed order for entries new on both sides: by date, then by content."""
    import json

    return _when(entry), json.dumps(entry, sort_keys=True, default=str, ensure_ascii=False)


# What dates an entry: a record's own date field, as its collection declares it, else that
# of an entry inside a record (a measurement's or an update's date, a due date's move, a
# schedule change's new time).
_DATE_KEYS = tuple(dict.fromkeys([*(c.dated_by for c in COLLECTIONS), "date", "was", "to"]))


def _when(entry: Any) -> str:
    if not isinstance(entry, dict):
        return ""
    for key in _DATE_KEYS:
        if key in entry:
            return str(entry[key])
    return ""


def merge(base: Any, ours: Any, theirs: Any) -> Merged:
    """Merge three raw versions. An item deleted on one side but still referred to in the
    merge (an action's goal) is a conflict, not a dangling reference."""
    merger = _Merger({})
    raw = merger.merge(base, ours, theirs, "")
    dangling = _dangling(raw)
    if dangling:
        merger = _Merger(dangling)
        raw = merger.merge(base, ours, theirs, "")
    return Merged(raw, merger.conflicts)


def _dangling(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    goals = {g.get("id") for g in raw.get("goals") or [] if isinstance(g, dict)}
    found: dict[str, str] = {}
    for collection in COLLECTIONS:
        if not collection.refers_to_goal():
            continue
        for item in raw.get(collection.name) or []:
            goal = item.get("goal") if isinstance(item, dict) else None
            if isinstance(goal, str) and goal not in goals:
                found.setdefault(goal, f"{collection.name}[{item.get('id')}]")
    return found


# --------------------------------------------------------------------------- conflict text


def render_conflicts(text: str, conflicts: list[Conflict]) -> str:
    """Put standard conflict markers around just the lines of each conflicting field. Each
    placeholder is a token found nowhere else in the text, matched as a whole value."""
    by_marker = {c.marker: c for c in conflicts}
    pattern = re.compile(
        r"^( *)(- )?(?:([^\n]*?): )?(" + "|".join(map(re.escape, by_marker)) + r")$"
    )
    out: list[str] = []
    for line in text.split("\n"):
        match = pattern.match(line) if by_marker else None
        if match is None:
            out.append(line)
            continue
        conflict = by_marker[match.group(4)]
        where = match.group(1), match.group(2), match.group(3)
        long_key = _LONG_KEY.match(out[-1]) if where[2] == "" and out else None
        if long_key:  # a key of over 128 characters: YAML writes `? key` then `: value`
            out.pop()
            where = long_key.group(1), long_key.group(2), long_key.group(3)
        out += [
            "<<<<<<< ours",
            *_side(*where, conflict.ours, conflict.many),
            "=======",
            *_side(*where, conflict.theirs, conflict.many),
            f">>>>>>> theirs ({conflict.path})",
        ]
    return "\n".join(out)


_LONG_KEY = re.compile(r"^( *)(- )?\? (.+)$")


def _side(indent: str, dash: str | None, key: str | None, value: Any, many: bool) -> list[str]:
    """The YAML lines one side would have put where the placeholder stands."""
    from mentorkit.file.yamltext import dump_raw

    if value is None or (many and not value):
        return []
    if key is None:  # a whole list item, or a run of them
        rows = dump_raw(value if many else [value]).rstrip("\n").split("\n")
        return [indent + row for row in rows]
    import yaml

    name = yaml.safe_load(key)  # the key as YAML wrote it, quoted or not
    rows = dump_raw({name: value}).rstrip("\n").split("\n")
    if dash:
        return [indent + ("- " if i == 0 else "  ") + row for i, row in enumerate(rows)]
    return [indent + row for row in rows]


def _whole_file(ours: bytes, theirs: bytes, reason: str) -> Outcome:
    """Both sides, byte for byte, between conflict markers."""

    def ended(data: bytes) -> bytes:
        return data if data.endswith(b"\n") or not data else data + b"\n"

    data = b"<<<<<<< ours\n" + ended(ours) + b"=======\n" + ended(theirs) + b">>>>>>> theirs\n"
    return Outcome(data, [Conflict("the whole file", None, None, reason)])


def _readable(data: bytes, name: str) -> tuple[Any, str | None]:
    """A side's raw data, or why it cannot be merged item by item."""
    from mentorkit.errors import InvalidFile
    from mentorkit.file import fileformat, storage
    from mentorkit.file.yamltext import find_comment_lines, parse_text

    try:
        text = storage.decode(data, name).removeprefix("\ufeff")
        if not text.strip():
            return {}, None
        raw = parse_text(text, name, lines=False).raw
        fileformat.mentorship_from_raw(raw, {}, name)
        raw = fileformat.migrate(raw, name)
    except InvalidFile as err:
        return None, f"{name} cannot be merged item by item: {err.message}"
    if find_comment_lines(text):
        return None, f"{name} has comments, which a merge item by item would drop"
    return raw, None


def merge_files(base: bytes, ours: bytes, theirs: bytes) -> Outcome:
    """Merge three versions of the file. A clean merge of files in mentorkit's style gives
    the canonical text (so both people's merges give the same bytes), and keeps our layout
    where we wrote the file by hand; otherwise the conflicts are marked."""
    from mentorkit.errors import InvalidFile
    from mentorkit.file import fileformat
    from mentorkit.file.yamltext import dump_raw

    raws = []
    for data, name in (
        (base, "the common version"),
        (ours, "our version"),
        (theirs, "their version"),
    ):
        raw, problem = _readable(data, name)
        if problem is not None:
            return _whole_file(ours, theirs, problem)
        raws.append(raw)
    if ours == theirs:
        return Outcome(ours, [])
    our_raw = copy.deepcopy(raws[1])
    merged = merge(*raws)
    if merged.conflicts:
        texts = b"\0".join((base, ours, theirs))
        nonce = secrets.token_hex(8)
        while nonce.encode() in texts:  # pragma: no cover - 2**-64
            nonce = secrets.token_hex(8)
        placeholders = {}
        for number, conflict in enumerate(merged.conflicts):
            conflict.marker = f"MENTORKITCONFLICT{nonce}N{number}E"
            placeholders[id(conflict)] = conflict.marker
        text = dump_raw(_placeheld(merged.raw, placeholders))
        return Outcome(render_conflicts(text, merged.conflicts).encode("utf-8"), merged.conflicts)
    try:
        checked = fileformat.mentorship_from_raw(merged.raw, {}, "the merged file")
    except InvalidFile as err:
        return _whole_file(
            ours, theirs, f"merging item by item gives an invalid file: {err.message}"
        )
    return Outcome(_in_our_layout(ours, our_raw, checked.mentorship).encode("utf-8"), [])


def _in_our_layout(ours: bytes, our_raw: dict[str, Any], merged: Mentorship) -> str:
    """The merged file: our text with only what the merge changed written anew, where we
    laid the file out by hand; else in mentorkit's style, the same bytes whoever merges."""
    from mentorkit.errors import InvalidFile
    from mentorkit.file import fileformat, storage
    from mentorkit.file.yamltext import dump_raw

    text = ours.decode("utf-8")
    canonical = fileformat.dump_text(merged)
    try:
        before = fileformat.mentorship_to_raw(
            fileformat.mentorship_from_raw(our_raw, {}, "our version").mentorship
        )
    except InvalidFile:  # pragma: no cover - read and checked before the merge
        return canonical
    if text == dump_raw(before):
        return canonical
    after = fileformat.mentorship_to_raw(merged)
    changed = storage.changed_in_place(text, our_raw, before, after, "the merged file")
    return canonical if changed is None else changed[0]


def _placeheld(raw: Any, placeholders: dict[int, str]) -> Any:
    if isinstance(raw, Conflict):
        return placeholders[id(raw)]
    if isinstance(raw, dict):
        return {k: _placeheld(v, placeholders) for k, v in raw.items()}
    if isinstance(raw, list):
        return [_placeheld(v, placeholders) for v in raw]
    return raw


def merge_texts(base: str, ours: str, theirs: str) -> tuple[str, list[Conflict]]:
    """merge_files for text."""
    outcome = merge_files(*(t.encode("utf-8") for t in (base, ours, theirs)))
    return outcome.data.decode("utf-8", errors="surrogateescape"), outcome.conflicts
