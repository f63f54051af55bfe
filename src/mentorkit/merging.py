"""Merging two people's edits of the file by item ID, for git's merge driver.

Additions on both sides are both kept; different fields of the same item changed on each
side are combined; measurement series appended on both sides are combined in date order.
Only a true conflict (the same field changed to different values, or an item deleted on
one side and edited on the other) stops the merge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_MISSING = object()


@dataclass
class Conflict:
    """One field both people changed differently."""

    path: str
    ours: Any
    theirs: Any
    marker: str = ""


@dataclass
class Merged:
    """The merged raw data, and the conflicts left in it (as placeholders)."""

    raw: Any
    conflicts: list[Conflict] = field(default_factory=list)


def merge(base: Any, ours: Any, theirs: Any) -> Merged:
    result = Merged(raw=None)
    result.raw = _merge(base, ours, theirs, "", result)
    return result


def _conflict(path: str, ours: Any, theirs: Any, result: Merged) -> Any:
    conflict = Conflict(
        path or "the file", ours, theirs, f"MENTORKIT-CONFLICT-{len(result.conflicts)}"
    )
    result.conflicts.append(conflict)
    return conflict.marker


def _child(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    if isinstance(key, str) and key.startswith("["):
        return f"{path}{key}"
    return f"{path}.{key}" if path else str(key)


def _merge(base: Any, ours: Any, theirs: Any, path: str, result: Merged) -> Any:
    if ours == theirs:
        return ours
    if ours == base:
        return theirs
    if theirs == base:
        return ours
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return _merge_maps(base if isinstance(base, dict) else {}, ours, theirs, path, result)
    if isinstance(ours, list) and isinstance(theirs, list):
        base_list = base if isinstance(base, list) else []
        if _keyed(ours) and _keyed(theirs) and _keyed(base_list):
            return _merge_items(base_list, ours, theirs, path, result)
        if _is_prefix(base_list, ours) and _is_prefix(base_list, theirs):
            added = [x for x in theirs[len(base_list) :] if x not in ours[len(base_list) :]]
            combined = ours + added
            if all(isinstance(x, dict) and "date" in x for x in combined):
                combined = sorted(combined, key=lambda x: str(x.get("date")))  # stable
            return combined
    return _conflict(path, ours, theirs, result)


def _merge_maps(base: dict, ours: dict, theirs: dict, path: str, result: Merged) -> dict:  # type: ignore[type-arg]
    merged: dict[str, Any] = {}
    for key in dict.fromkeys([*ours, *theirs, *base]):
        b, o, t = base.get(key, _MISSING), ours.get(key, _MISSING), theirs.get(key, _MISSING)
        if o is _MISSING and t is _MISSING:
            continue
        if o is _MISSING or t is _MISSING:
            present = t if o is _MISSING else o
            if b is _MISSING:
                merged[key] = present  # added on one side
            elif present == b:
                continue  # removed on one side, untouched on the other
            else:
                merged[key] = _conflict(_child(path, key), o if o is not _MISSING else None,
                                        t if t is not _MISSING else None, result)  # fmt: skip
            continue
        merged[key] = _merge(None if b is _MISSING else b, o, t, _child(path, key), result)
    return merged


def _keyed(items: list) -> bool:  # type: ignore[type-arg]
    return all(isinstance(x, dict) and isinstance(x.get("id"), str) for x in items)


def _is_prefix(prefix: list, items: list) -> bool:  # type: ignore[type-arg]
    return items[: len(prefix)] == prefix


def _merge_items(base: list, ours: list, theirs: list, path: str, result: Merged) -> list:  # type: ignore[type-arg]
    """Items by ID: the base's order, then items new on either side, in a deterministic
    order (by date, then ID) so that both people's merges give the same file."""
    by_id = {
        side: {x["id"]: x for x in items}
        for side, items in (("b", base), ("o", ours), ("t", theirs))
    }
    merged = []
    for item_id in dict.fromkeys(
        [x["id"] for x in base] + [x["id"] for x in ours] + [x["id"] for x in theirs]
    ):
        b, o, t = (by_id[side].get(item_id) for side in ("b", "o", "t"))
        where = _child(path, f"[{item_id}]")
        if b is not None and (o is None or t is None):
            present = o if t is None else t
            if present is None or present == b:
                continue  # deleted on one side (or both), not edited on the other
            merged.append(_conflict(where, o, t, result))
            continue
        merged.append(
            _merge(b, o if o is not None else t, t if t is not None else o, where, result)
        )
    known = [x for x in merged if not isinstance(x, dict) or x.get("id") in by_id["b"]]
    new = [x for x in merged if isinstance(x, dict) and x.get("id") not in by_id["b"]]
    new.sort(
        key=lambda x: (
            str(x.get("created") or x.get("date") or x.get("added") or x.get("shared") or ""),
            x["id"],
        )
    )
    return known + new


def render_conflicts(text: str, merged: Merged) -> str:
    """Put standard conflict markers around just the lines of each conflicting field."""
    lines = text.split("\n")
    for conflict in merged.conflicts:
        for number, line in enumerate(lines):
            if conflict.marker in line:
                lines[number : number + 1] = [
                    "<<<<<<< ours",
                    *_side(line, conflict.marker, conflict.ours),
                    "=======",
                    *_side(line, conflict.marker, conflict.theirs),
                    f">>>>>>> theirs ({conflict.path})",
                ]
                break
    return "\n".join(lines)


def _side(line: str, marker: str, value: Any) -> list[str]:
    """The YAML lines one side would have put where the placeholder stands."""
    from mentorkit.yamltext import dump_raw

    if value is None:
        return []
    indent = line[: len(line) - len(line.lstrip())]
    stripped = line.strip()
    dash = stripped.startswith("- ")
    rest = stripped[2:] if dash else stripped
    if rest == marker:  # a whole list item
        rows = dump_raw([value]).rstrip("\n").split("\n")
        return [indent + row for row in rows]
    key = rest.split(": ", 1)[0]
    rows = dump_raw({key: value}).rstrip("\n").split("\n")
    if dash:
        return [indent + ("- " if i == 0 else "  ") + row for i, row in enumerate(rows)]
    return [indent + row for row in rows]


def merge_texts(base: str, ours: str, theirs: str) -> tuple[str, list[Conflict]]:
    """Merge three versions of the file. Without conflicts the result is the canonical text
    (so both people's merges give the same bytes); with them, the conflicting fields are
    marked. Raises InvalidFile when a version cannot be read."""
    from mentorkit import fileformat
    from mentorkit.yamltext import dump_raw, parse_text

    raws = [parse_text(text.removeprefix("\ufeff"), name).raw if text.strip() else {}
            for text, name in ((base, "base"), (ours, "ours"), (theirs, "theirs"))]  # fmt: skip
    merged = merge(*raws)
    if merged.conflicts:
        return render_conflicts(dump_raw(merged.raw), merged), merged.conflicts
    checked = fileformat.mentorship_from_raw(merged.raw, {}, "the merged file")
    return fileformat.dump_text(checked.mentorship), []
