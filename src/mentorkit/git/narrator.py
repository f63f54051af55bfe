"""The one place that puts a change to the file into words.

`compare` turns two versions of the file (plain data, as parsed) into sentences: the
specific sentence where the record has one ("completed action …"), and otherwise a
generic one naming the item, the field, and the value before and after. Commit messages
and `history` both come from here, so a change reads the same in both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from functools import cache
from itertools import pairwise
from typing import Any, NamedTuple

from mentorkit.domain.wording import because, quoted
from mentorkit.file.model import COLLECTIONS, Collection


class Change(NamedTuple):
    """One change: its kind ("action.moved"), the item's ID, and the sentence (without who
    made it). A change of one field also names the field (its path in the item, such as
    "due" or "mentee.email") and holds its values before and after as JSON has them (dates
    in ISO 8601; None where there was none): what is counted from history is read from
    these, never back out of the sentence."""

    kind: str
    item: str | None
    text: str
    field: str | None = None
    was: Any = None
    now: Any = None


_MISSING = object()


def plain(value: Any) -> Any:
    """A value as JSON holds it: dates and times in ISO 8601, None for a value not there."""
    if value is _MISSING:
        return None
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _field(kind: str, item: str | None, text: str, path: str, was: Any, now: Any) -> Change:
    """A change of one field, with its values before and after."""
    return Change(kind, item, text, path, plain(was), plain(now))


_SECTIONS = ("format", "people", "agreement", "schedule")  # the rest are COLLECTIONS


def _text(value: Any, limit: int = 60) -> str:
    text = " ".join(str(value).split()) if value is not None else "(none)"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(value: Any) -> str:
    """A value in a sentence: short, on one line, quoted when it is text."""
    if value is _MISSING or value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | date):
        return str(value)
    return quoted(_text(_flat(value)))


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_flat(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_flat(v) for v in value)
    return str(value)


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


_INDEXED: dict[int, tuple[list[Any], dict[str, dict[str, Any]]]] = {}


def _items(raw: Any, key: str) -> dict[str, dict[str, Any]]:
    """A list's items by ID. A history compares each version twice (with the one before and
    the one after), so the last few lists' indexes are kept."""
    items = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(items, list):
        return {}
    known = _INDEXED.get(id(items))
    if known is not None and known[0] is items:
        return known[1]
    index = {i["id"]: i for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)}
    if len(_INDEXED) >= 32:
        _INDEXED.pop(next(iter(_INDEXED)))
    _INDEXED[id(items)] = (items, index)
    return index


def _changed(before: dict[str, Any], after: dict[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    """(id, before or None, after) for the items that are new or not the same object."""
    for iid, item in after.items():
        previous = before.get(iid)
        if previous is not item:
            yield iid, previous, item


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _matched(before: list[Any], after: list[Any]) -> tuple[list[Any], list[Any], bool]:
    """(removed, added, reordered): the entries of `before` with no equal entry in `after`,
    those of `after` with none in `before` (each entry matched once), and whether the
    entries in both stand in another order. Entries a version shares with the one before
    are the very same objects, so a list that only grew is matched at a glance."""
    same = 0
    for was, now in zip(before, after, strict=False):
        if was is not now:
            break
        same += 1
    rest = after[same:]
    used = [False] * len(rest)
    removed: list[Any] = []
    places: list[int] = []
    for value in before[same:]:
        at = next(
            (k for k, v in enumerate(rest) if not used[k] and (v is value or v == value)), None
        )
        if at is None:
            removed.append(value)
        else:
            used[at] = True
            places.append(at)
    added = [v for k, v in enumerate(rest) if not used[k]]
    return removed, added, any(a > b for a, b in pairwise(places))


def _entries(value: Any) -> list[Any]:
    """A list field's entries; a value written by hand where a list belongs is one entry."""
    return value if isinstance(value, list) else [] if value is None else [value]


# --------------------------------------------------------------------------- generic


def fields(
    kind: str, item: str | None, label: str, old: Any, new: Any, handled: tuple[str, ...] = ()
) -> list[Change]:
    """A generic sentence for every field of a record that changed and that no specific
    sentence covers: "changed the title of action a5ce "…" from "…" to "…"". Lists are told
    element by element (added, removed, reordered); mappings field by field."""
    old, new = _dict(old), _dict(new)
    found: list[Change] = []
    for key in dict.fromkeys([*old, *new]):
        if key in handled:
            continue
        before, after = old.get(key, _MISSING), new.get(key, _MISSING)
        if before is after or before == after:
            continue
        found += value_changes(kind, item, f"{key}", label, before, after)
    return found


@cache
def _field_names() -> frozenset[str]:
    """The keys the record's own fields have in the file."""
    import dataclasses

    from mentorkit.file import model

    return frozenset(
        f.metadata.get("key", f.name)
        for cls in vars(model).values()
        if isinstance(cls, type) and dataclasses.is_dataclass(cls)
        for f in dataclasses.fields(cls)
    )


def _words(path: str) -> str:
    """A field's path in a sentence: the record's own fields read as words ("created by"),
    any other key exactly as written ("x_custom" and "x custom" are two keys)."""
    names = _field_names()
    return ".".join(p.replace("_", " ") if p in names else p for p in path.split("."))


def value_changes(
    kind: str, item: str | None, path: str, label: str, before: Any, after: Any
) -> list[Change]:
    """One field's change, however deep."""
    where = f"the {_words(path)} of {label}"
    if isinstance(before, dict) and isinstance(after, dict):
        found: list[Change] = []
        for key in dict.fromkeys([*before, *after]):
            was, now = before.get(key, _MISSING), after.get(key, _MISSING)
            if was is not now and was != now:
                found += value_changes(kind, item, f"{path}.{key}", label, was, now)
        return found
    if isinstance(before, list) and isinstance(after, list):
        return _list_changes(kind, item, where, before, after, path)
    if before is _MISSING:
        text = f"set {where} to {shown(after)}"
    elif after is _MISSING:
        text = f"removed {where} (was {shown(before)})"
    elif isinstance(before, bool) and isinstance(after, bool):  # a mark: urgent or not
        text = f"marked {label} {'' if after else 'not '}{_words(path)}"
    else:
        was, now = shown_apart(before, after)
        text = f"changed {where}: {was} → {now}"
    return [_field(f"{kind}.changed", item, text, path, before, after)]


def shown_apart(before: Any, after: Any) -> tuple[str, str]:
    """Two values in a sentence, cut where they differ: a long text changed near its end
    is shown from a little before the first difference, so the change is visible."""
    was, now = shown(before), shown(after)
    if was != now or not isinstance(before, str) or not isinstance(after, str):
        return was, now
    a, b = " ".join(before.split()), " ".join(after.split())
    if a == b:
        return f"{was} (line breaks or spacing)", now
    same = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    start = max(0, same - 20)
    return quoted(_text("…" + a[start:])), quoted(_text("…" + b[start:]))


def _list_changes(
    kind: str, item: str | None, where: str, before: list, after: list, path: str
) -> list[Change]:
    """A list field's entries removed (`was` the entry), added (`now` the entry) and
    reordered (the whole list before and after); one text entry rewritten in its place
    (the last or only one too), changed (`was` → `now`)."""
    removed, added, reordered = _matched(before, after)
    if (
        len(removed) == len(added) == 1
        and all(isinstance(x, str) for x in (*removed, *added))
        and len(before) == len(after)
        and before.index(removed[0]) == after.index(added[0])
    ):
        was, now = shown_apart(removed[0], added[0])
        text = f"changed an entry of {where}: {was} → {now}"
        return [_field(f"{kind}.changed", item, text, path, removed[0], added[0])]
    found = [
        _field(f"{kind}.changed", item, f"removed {shown(value)} from {where}", path, value, None)
        for value in removed
    ]
    for value in added:
        text = f"added {shown(value)} to {where}"
        found.append(_field(f"{kind}.changed", item, text, path, None, value))
    if reordered:
        text = f"reordered {where}"
        found.append(_field(f"{kind}.changed", item, text, path, before, after))
    return found


# --------------------------------------------------------------------------- the record


def compare(old: Any, new: Any) -> list[Change]:
    """What changed from one version of the file to the next, in the record's words."""
    old, new = _dict(old), _dict(new)
    if old is new:
        return []
    found: list[Change] = []
    if old.get("format") != new.get("format") and old:
        found += fields("file", None, "the file", {"format": old.get("format")},
                        {"format": new.get("format")})  # fmt: skip
    if old.get("people") is not new.get("people") and old:
        found += _people(_dict(old.get("people")), _dict(new.get("people")))
    found += _agreement(old.get("agreement"), new.get("agreement"))
    found += _schedule(old.get("schedule"), new.get("schedule"))
    for collection in COLLECTIONS:
        found += _collection(collection, old, new)
    for collection in COLLECTIONS:
        found += _order(collection.name, old.get(collection.name), new.get(collection.name))
    known = {*_SECTIONS, *(c.name for c in COLLECTIONS)}
    unknown = {k: v for k, v in old.items() if k not in known}
    unknown_new = {k: v for k, v in new.items() if k not in known}
    found += fields("file", None, "the file", unknown, unknown_new)
    return found


_AVAILABILITY = ("urgent_contact", "working_hours", "working_days")


def _people(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Who the two people are (told as fields of "the people"), and each one's availability
    between meetings: "set the urgent contact of the mentee to …"."""
    found: list[Change] = []
    rest_old, rest_new = dict(old), dict(new)
    for role in ("mentor", "mentee"):
        was, now = old.get(role), new.get(role)
        if not isinstance(was, dict) or not isinstance(now, dict):
            continue
        told = fields("people", None, f"the {role}",
                      {k: was[k] for k in _AVAILABILITY if k in was},
                      {k: now[k] for k in _AVAILABILITY if k in now})  # fmt: skip
        # the field's path in the people, as for their other fields ("mentee.email")
        found += [c._replace(field=f"{role}.{c.field}") if c.field else c for c in told]
        rest_old[role] = {k: v for k, v in was.items() if k not in _AVAILABILITY}
        rest_new[role] = {k: v for k, v in now.items() if k not in _AVAILABILITY}
    return fields("people", None, "the people", rest_old, rest_new) + found


def _order(key: str, old: Any, new: Any) -> list[Change]:
    """Items that stayed but stand in another order."""
    if not isinstance(old, list) or not isinstance(new, list) or old is new:
        return []
    ids_old, ids_new = list(_items({key: old}, key)), list(_items({key: new}, key))
    if ids_new[: len(ids_old)] == ids_old:
        return []  # items only added at the end
    both = set(ids_old) & set(ids_new)
    was = [i for i in ids_old if i in both]
    now = [i for i in ids_new if i in both]
    if was == now:
        return []
    moved = [i for i, j in zip(was, now, strict=True) if i != j]
    names = ", ".join(str(i) for i in moved)
    return [Change(f"{key}.reordered", str(moved[0]), f"reordered the {key} ({names})")]


def _agreement(old: Any, new: Any) -> list[Change]:
    if not isinstance(old, dict) or not old:
        return []  # a new file: its rules are agreed, not changed
    new = _dict(new)
    found: list[Change] = []
    for key in dict.fromkeys([*old, *new]):
        before, after = old.get(key, _MISSING), new.get(key, _MISSING)
        if key == "agreed" or before is after or before == after:
            continue
        if isinstance(before, dict) and isinstance(after, dict):
            for part in dict.fromkeys([*before, *after]):
                if before.get(part) != after.get(part):
                    was, now = before.get(part, _MISSING), after.get(part, _MISSING)
                    text = f"changed the {key} {part}: {_apart(was, now)}"
                    found.append(_field("agreement.changed", None, text, f"{key}.{part}", was, now))
            continue
        text = f"changed the rule {_words(key)}: {_apart(before, after)}"
        found.append(_field("agreement.changed", None, text, key, before, after))
    old_agreed, new_agreed = _dict(old.get("agreed")), _dict(new.get("agreed"))
    for role in ("mentor", "mentee"):
        was, now, path = old_agreed.get(role), new_agreed.get(role), f"agreed.{role}"
        same_rules = old_agreed.get(f"{role}_rules") == new_agreed.get(f"{role}_rules")
        if was and now and was != now and same_rules:  # the same agreement, dated otherwise
            text = f"changed the date the {role} agreed to the ground rules: {_apart(was, now)}"
            found.append(_field("agreement.changed", None, text, path, was, now))
        elif now and now != was:
            text = f"recorded that the {role} agreed to the ground rules"
            found.append(_field("agreement.agreed", None, text, path, was, now))
        elif was and not now:
            text = f"removed the {role}'s agreement to the ground rules"
            found.append(_field("agreement.changed", None, text, path, was, now))
        elif old_agreed.get(f"{role}_rules") != new_agreed.get(f"{role}_rules"):
            text = f"changed the fingerprint of the rules the {role} agreed to"
            found.append(Change("agreement.changed", None, text))
    # who agreed, and the fingerprint of the rules they agreed to, are told above
    told = ("mentor", "mentee", "mentor_rules", "mentee_rules")
    others = {k: v for k, v in old_agreed.items() if k not in told}
    others_new = {k: v for k, v in new_agreed.items() if k not in told}
    found += fields("agreement", None, "the agreement", others, others_new)
    return found


def _apart(before: Any, after: Any) -> str:
    was, now = shown_apart(before, after)
    return f"{was} → {now}"


def _schedule(old: Any, new: Any) -> list[Change]:
    if not isinstance(old, dict) or not old or old is new:
        return []  # a new file: its schedule is agreed, not changed
    new = _dict(new)
    found = fields("schedule", None, "the meeting schedule", old, new, ("changes", "revision"))
    before = [c for c in _entries(old.get("changes")) if isinstance(c, dict)]
    after = [c for c in _entries(new.get("changes")) if isinstance(c, dict)]
    for was, now in _amended(before, after):
        label = f"the schedule change of {was.get('date')} ({was.get('kind')})"
        found += fields("schedule", None, label, was, now)
    replaced = _replaced(before, after)
    for change in after:
        if change in before:
            continue
        kind = change.get("kind")
        reason = f": {change['reason']}" if change.get("reason") else ""
        day = f"{change.get('date')}{replaced.get(id(change), '')}"
        if kind == "moved":
            text = f"moved the meeting of {day} to {_when(change.get('to'))}{reason}"
            found.append(Change("meeting.moved", None, text))
        elif kind == "cancelled":
            text = f"cancelled the meeting of {day}{reason}"
            found.append(Change("meeting.cancelled", None, text))
        elif kind == "added":
            found.append(
                Change("meeting.added", None, f"added a meeting on {_when(change.get('to'))}")
            )
        else:
            found.append(
                Change("schedule.changed", None, f"added {shown(change)} to the schedule changes")
            )
    for change in before:
        if change not in after:
            text = f"removed {shown(change)} from the schedule changes"
            found.append(Change("schedule.changed", None, text))
    return found


def _replaced(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> dict[int, str]:
    """A meeting moved or cancelled that was moved or cancelled before (one change of that
    date gone, one come): what it was, by the new change's id, to tell with it (`(moved to
    2026-07-09 10:00)`), and the old one taken out of `before` (it is not removed: it is
    replaced)."""
    kinds = ("moved", "cancelled")
    gone = [c for c in before if c not in after and c.get("kind") in kinds]
    new = [c for c in after if c not in before and c.get("kind") in kinds]
    found: dict[int, str] = {}
    for was in gone:
        same = [c for c in new if c.get("date") == was.get("date")]
        if len(same) == 1 and sum(c.get("date") == was.get("date") for c in gone) == 1:
            moved = f" (moved to {_when(was.get('to'))})" if was.get("kind") == "moved" else ""
            found[id(same[0])] = moved or " (cancelled)"
            before.remove(was)
    return found


def _amended(
    before: list[dict[str, Any]], after: list[dict[str, Any]]
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Schedule changes kept but amended (the same kind, date and new time, or for a
    cancellation the same date; a reason changed, say): taken out of both lists, so no
    move or cancellation is told again."""
    gone = [c for c in before if c not in after]
    new = [c for c in after if c not in before]
    pairs = []
    for was in gone:
        key = ("kind", "date") if was.get("kind") == "cancelled" else ("kind", "date", "to")
        same = [c for c in new if all(c.get(k) == was.get(k) for k in key)]
        if len(same) == 1 and sum(all(c.get(k) == was.get(k) for k in key) for c in gone) == 1:
            pairs.append((was, same[0]))
            new.remove(same[0])
    for was, now in pairs:
        before.remove(was)
        after.remove(now)
    return pairs


def _when(value: Any) -> str:
    return str(value).replace("T", " ")


def _goals(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    if old.get("goals") is new.get("goals"):
        return []  # the very same list: nothing in it changed
    found: list[Change] = []
    before, after = _items(old, "goals"), _items(new, "goals")
    for gid, previous, goal in _changed(before, after):
        name = quoted(goal.get("competency"))
        label = f"goal {gid} {name}"
        if previous is None:
            found.append(Change("goal.set", gid, f"set goal {gid} {name}"))
            previous = {}
        else:
            status, was = goal.get("status", "active"), previous.get("status", "active")
            handled: tuple[str, ...] = ("kpis",)
            if status != was:
                word = {"achieved": "marked", "dropped": "dropped", "active": "reopened"}.get(
                    str(status), "changed"
                )
                text = {
                    "marked": f"marked goal {gid} {name} achieved",
                    "dropped": f"dropped goal {gid} {name}"
                    + (f": {_text(goal['drop_reason'])}" if goal.get("drop_reason") else ""),
                    "reopened": f"reopened goal {gid} {name}",
                }.get(word, f"changed the status of goal {gid} {name} to {shown(status)}")
                kind = f"goal.{'achieved' if word == 'marked' else word}"
                found.append(_field(kind, gid, text, "status", was, status))
                handled += ("status", "achieved", "dropped", "drop_reason")
            found += fields("goal", gid, label, previous, goal, handled)
        found += _kpis(gid, previous, goal, is_new=gid not in before)
    for gid in [k for k in before if k not in after]:  # in file order
        found.append(
            Change(
                "goal.removed", gid, f"removed goal {gid} {quoted(before[gid].get('competency'))}"
            )
        )
    return found


def _kpis(gid: str, old_goal: Any, goal: Any, *, is_new: bool) -> list[Change]:
    found: list[Change] = []
    old_kpis, new_kpis = _items(old_goal, "kpis"), _items(goal, "kpis")
    for kid, previous, kpi in _changed(old_kpis, new_kpis):
        name = quoted(kpi.get("name"))
        unit = f" {kpi['unit']}" if kpi.get("unit") else ""
        if previous is None:
            if not is_new:
                found.append(Change("kpi.added", kid, f"added KPI {kid} {name} to goal {gid}"))
            previous = {}
        else:
            found += fields("kpi", kid, f"KPI {kid} {name}", previous, kpi, ("measurements",))
        removed, remaining, reordered = _matched(
            _entries(previous.get("measurements")), _entries(kpi.get("measurements"))
        )
        for was, now in _corrections(removed, remaining):
            text = (
                f"corrected the {now['date']} measurement of KPI {kid} {name}: "
                f"{_corrected(was, now, kpi)}"
            )
            found.append(_field("kpi.corrected", kid, text, "measurements", was, now))
        for measurement in removed:
            text = f"removed the measurement {_measure(measurement, unit)} of KPI {kid} {name}"
            found.append(_field("kpi.unrecorded", kid, text, "measurements", measurement, None))
        for measurement in remaining:
            if isinstance(measurement, dict):
                text = f"recorded {measurement.get('value')}{unit} for KPI {kid} {name} ({measurement.get('date')})"
                found.append(_field("kpi.measured", kid, text, "measurements", None, measurement))
            else:
                text = f"added {shown(measurement)} to the measurements of KPI {kid} {name}"
                found.append(Change("kpi.changed", kid, text))
        if reordered:
            found.append(
                Change("kpi.changed", kid, f"reordered the measurements of KPI {kid} {name}")
            )
    for kid in [k for k in old_kpis if k not in new_kpis]:  # in file order
        text = f"removed KPI {kid} {quoted(old_kpis[kid].get('name'))} from goal {gid}"
        found.append(Change("kpi.removed", kid, text))
    return found


def _corrections(
    removed: list[Any], added: list[Any]
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """A measurement taken out and one put in for the same day, the only ones of that day
    either way: one value corrected (`kpi fix`, or by hand). Taken out of both lists."""

    def day(m: Any) -> Any:
        return m.get("date") if isinstance(m, dict) and "value" in m else None

    pairs = []
    for was in list(removed):
        same = [now for now in added if day(now) is not None and day(now) == day(was)]
        if len([w for w in removed if day(w) == day(was)]) == 1 and len(same) == 1:
            pairs.append((was, same[0]))
            removed.remove(was)
            added.remove(same[0])
    return pairs


def _corrected(was: dict[str, Any], now: dict[str, Any], kpi: dict[str, Any]) -> str:
    """What a correction changed in a measurement: its value, and any other field by name."""
    value = f"{_amount(was.get('value'), kpi)} → {_amount(now.get('value'), kpi)}"
    parts = [value] if was.get("value") != now.get("value") else []
    for key in dict.fromkeys([*was, *now]):
        if key not in ("date", "value") and was.get(key, _MISSING) != now.get(key, _MISSING):
            before, after = shown_apart(was.get(key, _MISSING), now.get(key, _MISSING))
            parts.append(f"the {_words(str(key))} {before} → {after}")
    return "; ".join(parts) or value


def _amount(value: Any, kpi: dict[str, Any]) -> str:
    from mentorkit.domain.wording import amount

    unit = kpi.get("unit")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return shown(value)
    return amount(value, unit if isinstance(unit, str) else None)


def _measure(measurement: Any, unit: str) -> str:
    if not isinstance(measurement, dict):
        return shown(measurement)
    return f"{measurement.get('value')}{unit} ({measurement.get('date')})"


def _lateness(completed: Any, due: Any) -> str:
    from mentorkit.domain.actions import timeliness

    done, due_date = _as_date(completed), _as_date(due)
    if done is None or due_date is None:
        return ""
    return f" (due {due_date}, {timeliness(done, due_date)})"


def _actions(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    if old.get("actions") is new.get("actions"):
        return []
    found: list[Change] = []
    before, after = _items(old, "actions"), _items(new, "actions")
    for aid, previous, action in _changed(before, after):
        title = quoted(action.get("title"))
        label = f"action {aid} {title}"
        if previous is None:
            due = f", due {action.get('due')}" if action.get("due") else ""
            text = f"added action {aid} {title} for the {action.get('owner')}{due}"
            found.append(Change("action.created", aid, text))
            previous = {"status": "open", "due": action.get("due")}
            handled: tuple[str, ...] = (*(k for k in action if k != "status"), "updates")
        else:
            # the revision counts changes told here; it is not one of its own
            handled = ("updates", "revision")
        status, was = action.get("status", "open"), previous.get("status", "open")
        if status != was:
            handled += ("status", "completed", "dropped", "drop_reason")
            if status == "done":
                lateness = _lateness(action.get("completed"), action.get("due"))
                kind, text = "action.completed", f"completed action {aid} {title}{lateness}"
            elif status == "dropped":
                reason = f": {action['drop_reason']}" if action.get("drop_reason") else ""
                kind, text = "action.dropped", f"dropped action {aid} {title}{reason}"
            elif status == "open":
                kind, text = "action.reopened", f"reopened action {aid} {title}"
            else:
                kind, text = "action.changed", f"changed the status of {label} to {shown(status)}"
            found.append(_field(kind, aid, text, "status", was, status))
        if previous.get("due") != action.get("due") and aid in before:
            handled += ("due", "moves")
            moves = list(_entries(action.get("moves")))
            latest = moves[-1] if len(moves) > len(_entries(previous.get("moves"))) else None
            reason = because(latest.get("reason") if isinstance(latest, dict) else None)
            moved = _moved(aid, title, previous.get("due"), action.get("due"))
            was_due, now_due = previous.get("due", _MISSING), action.get("due", _MISSING)
            found.append(_field("action.moved", aid, moved + reason, "due", was_due, now_due))
            found += _extra_moves(aid, label, previous, action)
        found += fields("action", aid, label, previous, action, handled)
        old_list, new_list = _entries(previous.get("updates")), _entries(action.get("updates"))
        old_updates, new_updates, reordered = _matched(old_list, new_list)
        if _reworded(old_list, new_list, old_updates, new_updates):
            was, now = old_updates[0]["text"], new_updates[0]["text"]
            shown_was, shown_now = shown_apart(was, now)
            text = f"changed the text of an update of {label}: {shown_was} → {shown_now}"
            found.append(_field("action.changed", aid, text, "updates.text", was, now))
            old_updates, new_updates = [], []
        for update in new_updates:
            if isinstance(update, dict):
                text = (
                    f"added an update to action {aid} {title}: {quoted(_text(update.get('text')))}"
                )
                found.append(Change("action.updated", aid, text))
            else:
                found.append(Change("action.changed", aid, f"added {shown(update)} to the updates of {label}"))  # fmt: skip
        for update in old_updates:
            text = f"removed the update {shown(update.get('text') if isinstance(update, dict) else update)} from {label}"
            found.append(Change("action.changed", aid, text))
        if reordered:
            found.append(Change("action.changed", aid, f"reordered the updates of {label}"))
    for aid in [k for k in before if k not in after]:  # in file order
        found.append(
            Change(
                "action.removed", aid, f"removed action {aid} {quoted(before[aid].get('title'))}"
            )
        )
    return found


def _reworded(before: list[Any], after: list[Any], removed: list[Any], added: list[Any]) -> bool:
    """Whether one update's text was rewritten in its place, all else about it kept."""
    if not (len(removed) == len(added) == 1 and len(before) == len(after)):
        return False
    was, now = removed[0], added[0]
    return (
        isinstance(was, dict)
        and isinstance(now, dict)
        and isinstance(was.get("text"), str)
        and isinstance(now.get("text"), str)
        and {k: v for k, v in was.items() if k != "text"}
        == {k: v for k, v in now.items() if k != "text"}
        and _place(before, was) == _place(after, now)
    )


def _place(entries: list[Any], entry: Any) -> int | None:
    return next((i for i, x in enumerate(entries) if x is entry), None)


def _moved(aid: str, title: str, was: Any, now: Any) -> str:
    was_due, now_due = _as_date(was), _as_date(now)
    if was_due and now_due and now_due > was_due:
        days = (now_due - was_due).days
        return f"moved action {aid} {title} from {was_due} to {now_due}, {days} day{'s' * (days != 1)} later"
    if was_due and now_due:
        days = (was_due - now_due).days
        return f"brought forward action {aid} {title} from {was_due} to {now_due}, {days} day{'s' * (days != 1)} earlier"
    return f"changed the due date of action {aid} {title} from {shown(was)} to {shown(now)}"


def _extra_moves(aid: str, label: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """The move record that goes with a due date's change is part of that sentence; any
    other change to the moves list is told on its own."""
    before, after = list(_entries(old.get("moves"))), list(_entries(new.get("moves")))
    if after[: len(before)] == before and len(after) - len(before) <= 1:
        return []
    return _list_changes("action", aid, f"moves of {label}", before, after, "moves")


def _records(
    old: dict[str, Any],
    new: dict[str, Any],
    key: str,
    kind: str,
    label: Callable[[str, dict[str, Any]], str],
    added: Callable[[str, dict[str, Any], str], Change],
    done: tuple[str, Callable[[dict[str, Any]], str], str] | None = None,
    removed: Callable[[str, dict[str, Any]], str] | None = None,
) -> list[Change]:
    """Resources, feedback, meeting logs, talking points: added, removed (`removed`: the
    sentence, where it is not "removed …"), closed (`done`: the event, its verb for the
    item, and the date field that goes with it), and any field changed."""
    if old.get(key) is new.get(key):
        return []
    found: list[Change] = []
    before, after = _items(old, key), _items(new, key)
    for iid, previous, item in _changed(before, after):
        name = label(iid, item)
        if previous is None:
            found.append(added(iid, item, name))
            continue
        handled: tuple[str, ...] = ()
        if done and item.get("status") == "done" and previous.get("status") != "done":
            found.append(Change(f"{kind}.{done[0]}", iid, f"{done[1](item)} {name}"))
            handled = ("status", done[2])
        if kind == "meeting" and item.get("followup_sent") and not previous.get("followup_sent"):
            day = item.get("date")
            found.append(
                Change("meeting.followup_sent", iid, f"sent the follow-up of the meeting of {day}")
            )
            handled = ("followup_sent", "followup_by")
        answered = item.get("reply") == "answered" and previous.get("reply") != "answered"
        if kind == "contact" and answered:
            from mentorkit.domain.contacts import answered_text

            was_reply = previous.get("reply", _MISSING)
            found.append(_field("contact.answered", iid, answered_text(item), "reply",
                                was_reply, item.get("reply")))  # fmt: skip
            handled = ("reply", "replied")
        found += fields(kind, iid, name, previous, item, handled)
    for iid in [k for k in before if k not in after]:  # in file order
        gone = removed(iid, before[iid]) if removed else f"removed {label(iid, before[iid])}"
        found.append(Change(f"{kind}.removed", iid, gone))
    return found


def _contact_logged(contact: dict[str, Any]) -> str:
    from mentorkit.domain.contacts import logged_text

    return logged_text(contact)


def _done_with(resource: dict[str, Any]) -> str:
    """What one did with a resource of its kind: a podcast is listened to, not read."""
    from mentorkit.domain.resources import VERBS

    return VERBS.get(str(resource.get("kind")), VERBS["other"])[1]


_RECORDS: tuple[tuple[str, str, Callable[..., str], Callable[..., Change], tuple[str, Callable[..., str], str] | None, Callable[..., str] | None], ...] = (
    ("resources", "resource",
     lambda rid, r: f"{r.get('kind')} {rid} {quoted(r.get('title'))}",
     lambda rid, r, name: Change("resource.shared", rid, f"shared {name}"),
     ("done", _done_with, "completed"), None),
    ("feedback", "feedback",
     lambda fid, f: f"{f.get('kind', 'feedback')} {fid}",
     lambda fid, f, name: Change("feedback.given", fid, f"gave {name} from the {f.get('from')} to the {f.get('to')}"),
     None,
     lambda fid, f: f"retracted {f.get('kind', 'feedback')} {fid} given to the {f.get('to')} on {f.get('date')}"),
    ("meetings", "meeting",
     lambda mid, x: f"the meeting log {mid} of {x.get('date')}",
     lambda mid, x, _: Change("meeting.logged", mid, f"logged the meeting of {x.get('date')} as {x.get('status', 'held')}"),
     None, None),
    ("agenda", "agenda",
     lambda pid, p: f"talking point {pid} {quoted(p.get('text'))}",
     lambda pid, p, name: Change("agenda.added", pid, f"added {name}"),
     ("closed", lambda _: "closed", "closed"), None),
    ("contacts", "contact",
     lambda cid, c: f"contact {cid} {quoted(c.get('topic'))}",
     lambda cid, c, _: Change("contact.logged", cid, _contact_logged(c)),
     None, None),
)  # fmt: skip
_WORDS = {key: (kind, label, added, done, gone) for key, kind, label, added, done, gone in _RECORDS}


def _collection(collection: Collection, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """The changes to one collection of records (model.COLLECTIONS). Goals and actions have
    sentences of their own; the others are told by `_records` in their words (`_RECORDS`),
    and a collection without words of its own as its noun and ID added, removed or changed."""
    if collection.name == "goals":
        return _goals(old, new)
    if collection.name == "actions":
        return _actions(old, new)
    words = _WORDS.get(collection.name)
    if words is None:
        kind, noun = collection.name, collection.noun
        return _records(old, new, kind, kind, lambda iid, _: f"{noun} {iid}",
                        lambda iid, _, name: Change(f"{kind}.added", iid, f"added {name}"))  # fmt: skip
    return _records(old, new, collection.name, *words)


# --------------------------------------------------------------------------- commit messages


def message(changes: list[Change], who: str, reason: str | None = None) -> str | None:
    """A commit message that is `history`'s lines for the change, each with who made it:
    the first is the subject and the others are the body, so that `git log` and `history`
    tell a change in the same words (a command's own account is not used for it).
    `reason` (why a correction was made) is told with each change and kept as the trailer
    `Reason:`, where `history` finds it."""
    if not changes:
        return None
    subject, *rest = told(changes, who, reason)
    trailer = f"Reason: {' '.join(reason.split())}" if reason and reason.strip() else ""
    return "\n\n".join(part for part in (subject, "\n".join(rest), trailer) if part)


def told(changes: list[Change], who: str, reason: str | None = None) -> list[str]:
    """Each change as `history` prints it, with who made it (and why, where said)."""
    return [f"{who} {with_reason(c.text, reason)}" for c in changes]


def with_reason(text: str, reason: str | None) -> str:
    """A change's sentence with the reason given for it, unless it already says it."""
    if not reason or not reason.strip() or " ".join(reason.split()) in text:
        return text
    return text + because(" ".join(reason.split()))


def between_texts(old_text: str | None, new_text: str) -> list[Change]:
    """The changes between two versions of the file's text (None: a new file)."""
    from mentorkit.git.history import Versions

    # One parser for both: the blocks the versions share are parsed once.
    versions = Versions()
    new = versions.parse(new_text.encode("utf-8"))
    if old_text is None:
        return started(new)
    return compare(versions.parse(old_text.encode("utf-8")) or {}, new or {})


def started(new: Any) -> list[Change]:
    """A new file: who mentors whom, and what it holds from the start."""
    people = _dict(_dict(new).get("people"))
    mentor, mentee = (
        _dict(people.get("mentor")).get("name"),
        _dict(people.get("mentee")).get("name"),
    )
    pair = f": {_text(mentor)} mentoring {_text(mentee)}" if mentor and mentee else ""
    held = {k: v for k, v in _dict(new).items() if k != "id"}  # the ID is part of starting it
    return [Change("file.created", None, f"started the mentorship file{pair}"), *compare({}, held)]
