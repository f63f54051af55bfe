"""The on-disk shape: raw data <-> typed Mentorship, validation and migrations.

Pure functions, no file system access (that is ``storage``); YAML text itself is
``yamltext``, imported only when text must be parsed or written, so that a cached read
does not pay for importing PyYAML.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal, get_args, get_origin

from mentorkit import model
from mentorkit.errors import InvalidFile
from mentorkit.model import FORMAT_VERSION, Mentorship

_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

Path = tuple[str | int, ...]


# --------------------------------------------------------------------------- migrations

Migration = Callable[[dict[str, Any]], dict[str, Any]]

# MIGRATIONS[n] turns a format-n file into a format-(n+1) file. Format 1 is the first.
MIGRATIONS: dict[int, Migration] = {}


def migrate(
    raw: dict[str, Any],
    source: str,
    migrations: dict[int, Migration] | None = None,
    current: int = FORMAT_VERSION,
) -> dict[str, Any]:
    chain = MIGRATIONS if migrations is None else migrations
    version = raw.get("format")
    if version is None:
        raise InvalidFile(f"{source} is not a mentorkit file: it has no 'format' key")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidFile(f"{source}: format: expected a whole number, got {version!r}")
    if version > current:
        raise InvalidFile(
            f"{source} was written by a newer mentorkit (format {version}); this one reads "
            f"format {current} and older, so upgrade mentorkit to use it"
        )
    while version < current:
        if version not in chain:
            raise InvalidFile(f"{source}: no migration from format {version}")
        raw = chain[version](raw)
        version += 1
        raw["format"] = version
    return raw


# --------------------------------------------------------------------------- raw -> model


def _key(f: dataclasses.Field[Any]) -> str:
    return f.metadata.get("key", f.name)


_hints: dict[type, dict[str, Any]] = {}
_fields: dict[type, tuple[dataclasses.Field[Any], ...]] = {}


def _describe(cls: type) -> tuple[tuple[dataclasses.Field[Any], ...], dict[str, Any]]:
    if cls not in _hints:
        _hints[cls] = typing.get_type_hints(cls)
        _fields[cls] = tuple(f for f in dataclasses.fields(cls) if f.name != "extra")
    return _fields[cls], _hints[cls]


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value) if not isinstance(value, date) else value.isoformat()


class _Converter:
    def __init__(self, lines: dict[Path, int]) -> None:
        self.raw_lines = lines
        self.problems: list[str] = []
        self.unknown: list[str] = []
        self.line_of: dict[str, int] = {}

    def problem(self, where: str, raw_path: Path, message: str) -> None:
        line = self._line(raw_path)
        suffix = f" (line {line})" if line else ""
        self.problems.append(f"{where}: {message}{suffix}")

    def _line(self, raw_path: Path) -> int | None:
        path = raw_path
        while path not in self.raw_lines and path:
            path = path[:-1]
        return self.raw_lines.get(path)

    def build(self, cls: type, raw: Any, where: str, raw_path: Path) -> Any:
        if not isinstance(raw, dict):
            self.problem(where or "the file", raw_path, f"expected a mapping, got {_shown(raw)}")
            return None
        line = self._line(raw_path)
        if line:
            self.line_of[where] = line
        fields, hints = _describe(cls)
        known = {_key(f) for f in fields}
        values: dict[str, Any] = {}
        ok = True
        for f in fields:
            key = _key(f)
            child = f"{where}.{key}" if where else key
            if key not in raw or raw[key] is None:
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                    self.problem(where or "the file", raw_path, f"'{key}' is missing")
                    ok = False
                continue
            value = self.value(hints[f.name], raw[key], child, (*raw_path, key))
            if value is _BAD:
                ok = False
            else:
                values[f.name] = value
        extra = {k: v for k, v in raw.items() if k not in known}
        for k in extra:
            self.unknown.append(f"{where}.{k}" if where else k)
        if not ok:
            return None
        return cls(**values, extra=extra)

    def value(self, hint: Any, raw: Any, where: str, raw_path: Path) -> Any:
        origin = get_origin(hint)
        if origin in (typing.Union, types.UnionType):
            args = [a for a in get_args(hint) if a is not type(None)]
            if set(args) == {int, float}:
                if isinstance(raw, bool) or not isinstance(raw, int | float):
                    return self.bad(where, raw_path, f"expected a number, got {_shown(raw)}")
                return raw
            return self.value(args[0], raw, where, raw_path)
        if origin is Literal:
            allowed = get_args(hint)
            if raw not in allowed:
                choices = ", ".join(str(a) for a in allowed)
                return self.bad(where, raw_path, f"expected one of {choices}, got {_shown(raw)}")
            return raw
        if origin is list:
            if not isinstance(raw, list):
                return self.bad(where, raw_path, f"expected a list, got {_shown(raw)}")
            (item_hint,) = get_args(hint)
            items = []
            for i, item in enumerate(raw):
                label = item.get("id") if isinstance(item, dict) else None
                label = label if isinstance(label, str) and label else str(i)
                value = self.value(item_hint, item, f"{where}[{label}]", (*raw_path, i))
                if value is _BAD or value is None:
                    items.append(None)
                else:
                    items.append(value)
            if any(item is None for item in items):
                return _BAD
            return items
        if dataclasses.is_dataclass(hint):
            built = self.build(hint, raw, where, raw_path)
            return _BAD if built is None else built
        if hint is str:
            if not isinstance(raw, str):
                if where.endswith("time") and isinstance(raw, int):
                    return self.bad(
                        where,
                        raw_path,
                        f"expected a time in quotes like '16:00', got {raw} "
                        "(YAML reads an unquoted 16:00 as the number 960)",
                    )
                return self.bad(where, raw_path, f"expected text, got {_shown(raw)}")
            return raw
        if hint is int:
            if isinstance(raw, bool) or not isinstance(raw, int):
                return self.bad(where, raw_path, f"expected a whole number, got {_shown(raw)}")
            return raw
        if hint is datetime:
            if isinstance(raw, datetime):
                return raw.replace(tzinfo=None) if raw.tzinfo is None else raw
            if isinstance(raw, str):
                try:
                    return datetime.fromisoformat(raw)
                except ValueError:
                    pass
            return self.bad(
                where,
                raw_path,
                f"expected a date and time like 2026-03-05T16:00, got {_shown(raw)}",
            )
        if hint is date:
            if isinstance(raw, date) and not isinstance(raw, datetime):
                return raw
            if isinstance(raw, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                try:
                    return date.fromisoformat(raw)
                except ValueError:
                    pass
            return self.bad(where, raw_path, f"expected a date like 2026-03-05, got {_shown(raw)}")
        raise TypeError(f"no conversion for {hint!r}")  # a bug in the model, not in the file

    def bad(self, where: str, raw_path: Path, message: str) -> Any:
        self.problem(where, raw_path, message)
        return _BAD


_BAD = object()


@dataclasses.dataclass
class Checked:
    mentorship: Mentorship
    unknown_keys: list[str]
    line_of: dict[str, int]


def mentorship_from_raw(raw: Any, lines: dict[Path, int], source: str) -> Checked:
    """Convert and validate raw data; raise InvalidFile listing every problem."""
    if not isinstance(raw, dict):
        raise InvalidFile(f"{source}: expected a mapping at the top, got {_shown(raw)}")
    raw = migrate(raw, source)
    converter = _Converter(lines)
    mentorship = converter.build(Mentorship, raw, "", ())
    problems = converter.problems
    if mentorship is not None:
        problems = problems + [
            _with_line(p, converter.line_of) for p in semantic_problems(mentorship)
        ]
    if problems:
        raise _invalid(source, problems)
    return Checked(mentorship, converter.unknown, converter.line_of)


def _invalid(source: str, problems: list[str]) -> InvalidFile:
    count = f" ({len(problems)} problems)" if len(problems) > 1 else ""
    return InvalidFile(f"{source} is not valid{count}: {problems[0]}", problems)


def _with_line(problem: tuple[str, str], line_of: dict[str, int]) -> str:
    where, message = problem
    path = where
    while path and path not in line_of:
        path = path.rsplit(".", 1)[0] if "." in path else ""
    line = line_of.get(path)
    return f"{where}: {message}" + (f" (line {line})" if line else "")


def check(mentorship: Mentorship, source: str) -> None:
    """Validate before writing (pipx's _validate_before_write): never save a broken file."""
    problems = [f"{where}: {message}" for where, message in semantic_problems(mentorship)]
    if problems:
        raise _invalid(source, problems)


def semantic_problems(m: Mentorship) -> list[tuple[str, str]]:
    """Problems that types alone cannot catch: IDs, references, time zones, clock times."""
    from mentorkit.timezones import is_timezone

    found: list[tuple[str, str]] = []
    for role in model.ROLES:
        person = m.people.of(role)
        if not is_timezone(person.timezone):
            found.append((f"people.{role}.timezone", _tz_message(person.timezone)))
    if not is_timezone(m.schedule.timezone):
        found.append(("schedule.timezone", _tz_message(m.schedule.timezone)))
    for where, value in (
        ("schedule.time", m.schedule.time),
        ("schedule.feedback_time", m.schedule.feedback_time),
    ):
        if value is not None and not _CLOCK.match(value):
            found.append((where, f"expected a time like '16:00', got {value!r}"))
    if m.schedule.duration <= 0:
        found.append(("schedule.duration", "expected a number of minutes above 0"))
    from mentorkit.cadence import rrule_problem

    problem = rrule_problem(m.schedule.rrule)
    if problem:
        found.append(("schedule.rrule", problem))
    term = m.agreement.term
    for name in ("review", "end"):
        when = getattr(term, name)
        if when is not None and when < term.start:
            found.append((f"agreement.term.{name}", f"{when} is before the start, {term.start}"))

    seen: dict[str, str] = {}
    goal_ids = {goal.id for goal in m.goals}

    def claim(item_id: str, where: str) -> None:
        if not re.fullmatch(r"[a-z0-9]+", item_id):
            found.append((where, f"an ID is lowercase letters and digits, got {item_id!r}"))
        if item_id in seen:
            found.append((where, f"the ID {item_id} is also used by {seen[item_id]}"))
        else:
            seen[item_id] = where

    for goal in m.goals:
        claim(goal.id, f"goals[{goal.id}]")
        for kpi in goal.kpis:
            claim(kpi.id, f"goals[{goal.id}].kpis[{kpi.id}]")
    for name in ("actions", "resources", "feedback", "meetings", "agenda"):
        for item in getattr(m, name):
            claim(item.id, f"{name}[{item.id}]")
    for name in ("actions", "resources"):
        for item in getattr(m, name):
            if item.goal is not None and item.goal not in goal_ids:
                found.append((f"{name}[{item.id}].goal", f"no goal has the ID {item.goal!r}"))
    for feedback in m.feedback:
        if feedback.from_ == feedback.to:
            found.append((f"feedback[{feedback.id}].to", "feedback goes to the other person"))
    for i, change in enumerate(m.schedule.changes):
        where = f"schedule.changes[{i}]"
        if change.kind in ("moved", "cancelled") and change.date is None:
            found.append((where, f"a {change.kind} meeting needs the 'date' it was due on"))
        if change.kind in ("moved", "added") and change.to is None:
            found.append((where, f"a {change.kind} meeting needs 'to', its new date and time"))
    return found


def _tz_message(name: str) -> str:
    return f"{name!r} is not a known time zone; use an IANA name like Europe/London"


# --------------------------------------------------------------------------- model -> raw

_TOP_LEVEL_LISTS = {"goals", "actions", "resources", "feedback", "meetings", "agenda"}


def mentorship_to_raw(m: Mentorship) -> dict[str, Any]:
    return _to_raw(m, top=True)


def _to_raw(obj: Any, top: bool = False) -> dict[str, Any]:
    fields, _ = _describe(type(obj))
    out: dict[str, Any] = {}
    for f in fields:
        value = getattr(obj, f.name)
        key = _key(f)
        if value is None or (value == [] and not (top and key in _TOP_LEVEL_LISTS)):
            continue
        out[key] = _plain(value)
    for key, value in obj.extra.items():
        if key not in out:
            out[key] = value
    return out


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return _to_raw(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")
    return value


def dump_text(m: Mentorship) -> str:
    from mentorkit.yamltext import dump_raw

    return dump_raw(mentorship_to_raw(m))


def load_text(text: str, source: str) -> Checked:
    from mentorkit.yamltext import parse_text

    parsed = parse_text(text, source)
    return mentorship_from_raw(parsed.raw, parsed.lines, source)
