"""The on-disk shape: raw data <-> typed Mentorship, validation and migrations.

Pure functions, no file system access (that is ``storage``); YAML text itself is
``yamltext``, imported only when text must be parsed or written, so that a cached read
does not pay for importing PyYAML.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import re
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal, get_args, get_origin

from mentorkit.errors import InvalidFile
from mentorkit.file import model
from mentorkit.file.model import FORMAT_VERSION, TITLE_LIMIT, Mentorship

_CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d")

Path = tuple[str | int, ...]

# The documented ranges of values (README, "What a file may hold"): every view can handle
# them, and they are checked when a file is read and again before it is written.
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2200, 12, 31)
MAX_NUMBER = 10**15
MAX_DURATION = 24 * 60
MAX_REVISION = 1_000_000  # the calendar's SEQUENCE is at most 2**31 - 1


def date_problem(day: date) -> str | None:
    if FIRST_DATE <= day <= LAST_DATE:
        return None
    return f"{day.isoformat()} is outside the dates mentorkit keeps ({FIRST_DATE.year} to {LAST_DATE.year})"


def number_problem(value: float) -> str | None:
    if value != value or value in (float("inf"), float("-inf")):
        return f"{value} is not a number mentorkit keeps"
    if abs(value) > MAX_NUMBER:
        return f"{value!r} is beyond the numbers mentorkit keeps (up to ±10^15)"
    return None


class Verbatim(str):
    """A plain scalar whose YAML 1.1 reading would surprise (0755, 1:30, yes), or a key that
    is not text (`1:`, `~:`, `1.5:`): kept as the text it was typed as, so an unknown key is
    written back exactly, and a known field can refuse it with the reason."""

    tag: str

    def __new__(cls, text: str, tag: str) -> Verbatim:
        made = super().__new__(cls, text)
        made.tag = tag
        return made

    def __reduce__(self) -> tuple[type[Verbatim], tuple[str, str]]:  # copies keep the tag
        return (Verbatim, (str(self), self.tag))

    def reading(self) -> str:
        """What YAML 1.1 would have made of it, for the message."""
        if self.tag.endswith(":bool"):
            return f"YAML 1.1 reads {self} as a yes/no value"
        if ":" in self and self.replace(":", "").isdigit():
            value = 0
            for part in self.split(":"):
                value = value * 60 + int(part)
            return f"YAML 1.1 reads {self} as the number {value}"
        if ":" in self:
            return f"YAML 1.1 reads {self} as a number in base 60"
        if self.lstrip("+-").startswith("0b"):
            return f"YAML 1.1 reads {self} as a binary number"
        if self.lstrip("+-").startswith("0x"):
            return f"YAML reads {self} as a hexadecimal number"
        if "_" in self:
            return f"YAML 1.1 reads {self} as a number without the underscores"
        return f"YAML 1.1 reads {self} as an octal number"


# --------------------------------------------------------------------------- migrations

Migration = Callable[[dict[str, Any]], dict[str, Any]]


def rules_fingerprint(agreement: Any) -> str:
    """A short fingerprint of the ground rules (the agreement without who agreed when), as
    raw data: equal rules give equal fingerprints however the file is laid out."""
    import json

    try:  # the built-in SHA-256: hashlib loads OpenSSL, which costs start-up time
        from _sha256 import sha256
    except ImportError:  # pragma: no cover - other Pythons
        from hashlib import sha256

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items() if v is not None and v != []}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    rules = {k: v for k, v in (agreement if isinstance(agreement, dict) else {}).items()}
    rules.pop("agreed", None)
    text = json.dumps(plain(rules), sort_keys=True, ensure_ascii=False, default=str)
    digest: str = sha256(text.encode("utf-8")).hexdigest()
    return digest[:12]


def _to_format_2(raw: dict[str, Any]) -> dict[str, Any]:
    """Format 2 records, next to each date of agreement, the fingerprint of the rules
    agreed to (a format-1 agreement was to the rules as the file holds them); it has one
    change a meeting (the last one, which is the one format 1 applied) and one log a
    meeting date (two logs of one date with the same status become one)."""
    schedule = raw.get("schedule")
    if isinstance(schedule, dict) and isinstance(schedule.get("changes"), list):
        last: dict[Any, Any] = {}
        for change in schedule["changes"]:
            if isinstance(change, dict) and change.get("kind") in ("moved", "cancelled"):
                last[change.get("date")] = change
        schedule["changes"] = [c for c in schedule["changes"]
                               if not isinstance(c, dict) or c.get("kind") not in ("moved", "cancelled")
                               or last.get(c.get("date")) is c]  # fmt: skip
    if isinstance(raw.get("meetings"), list):
        kept: dict[Any, dict[str, Any]] = {}
        meetings = []
        for log in raw["meetings"]:
            key = (log.get("date"), log.get("status", "held")) if isinstance(log, dict) else None
            first = kept.get(key) if key else None
            if first is None:
                if key:
                    kept[key] = log
                meetings.append(log)
                continue
            first.update(one_log(first, log))
        raw["meetings"] = meetings
    return _fingerprint_agreements(raw)


def one_log(first: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """Two logs of one meeting as one: the first's fields, both people's notes and
    decisions, every point covered on either."""
    combined = dict(first)
    notes = [n for n in (first.get("notes"), other.get("notes")) if n]
    if notes:
        combined["notes"] = "\n\n".join(dict.fromkeys(notes))
    for name in ("decisions", "covered"):
        values = [*(first.get(name) or []), *(other.get(name) or [])]
        if values:
            combined[name] = list(dict.fromkeys(values))
    return combined


def _fingerprint_agreements(raw: dict[str, Any]) -> dict[str, Any]:
    agreement = raw.get("agreement")
    if isinstance(agreement, dict) and isinstance(agreement.get("agreed"), dict):
        agreed = agreement["agreed"]
        fingerprint = rules_fingerprint(agreement)
        for role in ("mentor", "mentee"):
            if agreed.get(role) is not None and f"{role}_rules" not in agreed:
                agreed[f"{role}_rules"] = fingerprint
    return raw


# MIGRATIONS[n] turns a format-n file into a format-(n+1) file. Format 1 is the first.
MIGRATIONS: dict[int, Migration] = {1: _to_format_2}


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
    key: str = f.metadata.get("key", f.name)
    return key


@functools.cache
def _describe(cls: type[Any]) -> tuple[tuple[dataclasses.Field[Any], ...], dict[str, Any]]:
    """The fields of a model class (the model's annotations are real types, not strings,
    so no evaluation is needed: get_type_hints costs ~10 ms at every start)."""
    fields = tuple(f for f in dataclasses.fields(cls) if f.name != "extra")
    return fields, {f.name: f.type for f in fields}


def _shown(value: Any) -> str:
    if isinstance(value, Verbatim):
        return f"{value} ({value.reading()}; put it in quotes if you mean the text)"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value) if not isinstance(value, date) else value.isoformat()


_BAD = object()
# A converter turns one raw value into its typed value, or reports a problem and returns
# _BAD. It gets the path of the object holding the value and the value's key, and builds
# the full path only for a message: loading a five-year file converts ~40,000 values.
Converter = Callable[[Any, "_Conversion", str, "str | int", Path], Any]


def _child(where: str, key: str | int, raw: Any = None) -> str:
    """The path people read: goals[g7k2].kpis[k1].target (list items by their ID)."""
    if isinstance(key, int):
        named = raw.get("id") if type(raw) is dict else None
        return f"{where}[{named if type(named) is str and named else key}]"
    if not key:
        return where
    return f"{where}.{key}" if where else key


@functools.cache
def _plan(cls: type) -> tuple[tuple[tuple[str, str, bool, Converter], ...], frozenset[str]]:
    """Per class: (python name, key in the file, required, converter) for each field."""
    fields, hints = _describe(cls)
    plan = tuple(
        (
            f.name,
            _key(f),
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
            _converter(hints[f.name]),
        )
        for f in fields
    )
    return plan, frozenset(_key(f) for f in fields)


def _converter(hint: Any) -> Converter:
    origin = get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        if set(args) != {int, float}:
            return _converter(args[0])

        def number(raw: Any, cx: _Conversion, where: str, key: str | int, at: Path) -> Any:
            if type(raw) is int or type(raw) is float:
                problem = number_problem(raw)
                return raw if problem is None else cx.bad(where, key, at, problem)
            return cx.bad(where, key, at, f"expected a number, got {_shown(raw)}")

        return number
    if origin is Literal:
        allowed = get_args(hint)
        choices = ", ".join(str(a) for a in allowed)

        def choice(raw: Any, cx: _Conversion, where: str, key: str | int, at: Path) -> Any:
            if raw in allowed and type(raw) is str:
                return raw
            return cx.bad(where, key, at, f"expected one of {choices}, got {_shown(raw)}")

        return choice
    if origin is list:
        (item_hint,) = get_args(hint)
        item = _converter(item_hint)

        def sequence(raw: Any, cx: _Conversion, where: str, key: str | int, at: Path) -> Any:
            if type(raw) is not list:
                return cx.bad(where, key, at, f"expected a list, got {_shown(raw)}")
            here = _child(where, key)
            path = (*at, key)
            items = []
            ok = True
            for i, value in enumerate(raw):
                converted = item(value, cx, here, i, path)
                if converted is _BAD:
                    ok = False
                items.append(converted)
            return items if ok else _BAD

        return sequence
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):

        def nested(raw: Any, cx: _Conversion, where: str, key: str | int, at: Path) -> Any:
            return cx.build(hint, raw, where, key, at)

        return nested
    if hint is str:

        def text(raw: Any, cx: _Conversion, where: str, key: str | int, at: Path) -> Any:
            if type(raw) is str:
                return raw
            if type(raw) in (int, Verbatim) and isinstance(key, str) and key.endswith("time"):
                if type(raw) is Verbatim:
                    return cx.bad(
                        where, key, at, f"expected a time in quotes like '16:00', got {_shown(raw)}"
                    )
                return cx.bad(
                    where,
                    key,
                    at,
                    f"expected a time in quotes like '16:00', got {raw} "
                    "(YAML reads an unquoted 16:00 as the number 960)",
                )
            return cx.bad(where, key, at, f"expected text, got {_shown(raw)}")

        return text
    if hint is bool:

        def yes_no(raw: Any, cx: _Conversion, where: str, key: str | int, at: Path) -> Any:
            if type(raw) is bool:
                return raw
            return cx.bad(where, key, at, f"expected true or false, got {_shown(raw)}")

        return yes_no
    if hint is int:

        def whole(raw: Any, cx: _Conversion, where: str, key: str | int, at: Path) -> Any:
            if type(raw) is int:
                problem = number_problem(raw)
                return raw if problem is None else cx.bad(where, key, at, problem)
            return cx.bad(where, key, at, f"expected a whole number, got {_shown(raw)}")

        return whole
    if hint is datetime:

        def moment(raw: Any, cx: _Conversion, where: str, key: str | int, at: Path) -> Any:
            value = None
            if type(raw) is datetime:
                value = raw
            elif type(raw) is str:
                with contextlib.suppress(ValueError):
                    value = datetime.fromisoformat(raw)
            if value is not None:
                problem = date_problem(value.date())
                return value if problem is None else cx.bad(where, key, at, problem)
            return cx.bad(
                where, key, at, f"expected a date and time like 2026-03-05T16:00, got {_shown(raw)}"
            )

        return moment
    if hint is date:

        def day(raw: Any, cx: _Conversion, where: str, key: str | int, at: Path) -> Any:
            value = None
            if type(raw) is date:
                value = raw
            elif type(raw) is str and _ISO_DATE.fullmatch(raw):
                with contextlib.suppress(ValueError):
                    value = date.fromisoformat(raw)
            if value is not None:
                problem = date_problem(value)
                return value if problem is None else cx.bad(where, key, at, problem)
            return cx.bad(where, key, at, f"expected a date like 2026-03-05, got {_shown(raw)}")

        return day
    raise TypeError(f"no conversion for {hint!r}")  # a bug in the model, not in the file


_EMAIL = re.compile(
    r"[^\s@<>\"(),;:\x00-\x1f\x7f-\x9f]+@[^\s@<>\"(),;:\x00-\x1f\x7f-\x9f]+\.[^\s@<>\"(),;:\x00-\x1f\x7f-\x9f]+"
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class _Conversion:
    def __init__(self, lines: dict[Path, int]) -> None:
        self.raw_lines = lines
        self.problems: list[str] = []
        self.unknown: list[str] = []
        self.line_of: dict[str, int] = {}

    def _line(self, raw_path: Path) -> int | None:
        path = raw_path
        while path not in self.raw_lines and path:
            path = path[:-1]
        return self.raw_lines.get(path)

    def problem(self, where: str, raw_path: Path, message: str) -> None:
        line = self._line(raw_path)
        suffix = f" (line {line})" if line else ""
        self.problems.append(f"{where or 'the file'}: {message}{suffix}")

    def bad(self, where: str, key: str | int, at: Path, message: str) -> Any:
        self.problem(_child(where, key), (*at, key), message)
        return _BAD

    def build(self, cls: type, raw: Any, where: str, key: str | int, at: Path) -> Any:
        here = _child(where, key, raw)
        path = (*at, key) if key != "" else at
        if type(raw) is not dict:
            self.problem(here, path, f"expected a mapping, got {_shown(raw)}")
            return _BAD
        if self.raw_lines:
            line = self._line(path)
            if line:
                self.line_of[here] = line
            for field_key in raw:  # a problem found later names the field's own line
                line = self.raw_lines.get((*path, field_key))
                if line and type(field_key) is str:
                    self.line_of[_child(here, field_key)] = line
        plan, known = _plan(cls)
        values: dict[str, Any] = {}
        ok = True
        for name, field_key, required, convert in plan:
            value = raw.get(field_key)
            if value is None:
                if required:
                    self.problem(here, path, f"'{field_key}' is missing")
                    ok = False
                elif field_key in raw and (cls, name) in _NULL_KEPT:
                    values[name] = None
                continue
            converted = convert(value, self, here, field_key, path)
            if converted is _BAD:
                ok = False
            else:
                values[name] = converted
        extra: dict[str, Any] = {}
        if len(raw) > len(values):
            extra = {k: v for k, v in raw.items() if k not in known}
            if extra:
                extra = Extras(extra, raw)
        for k in extra:
            self.unknown.append(_child(here, k))
        if not ok:
            return _BAD
        return cls(**values, extra=extra)


class Extras(dict[str, Any]):
    """Keys mentorkit does not know, with the key each followed in the file, so that they
    are written back where they were."""

    def __init__(self, extra: dict[str, Any], raw: dict[str, Any]) -> None:
        super().__init__(extra)
        keys = list(raw)
        self.after = {k: (keys[i - 1] if i else None) for i, k in enumerate(keys) if k in extra}

    def placed(self, known: dict[str, Any]) -> dict[str, Any]:
        following: dict[str | None, list[str]] = {}
        for key, anchor in self.after.items():
            following.setdefault(anchor, []).append(key)
        out: dict[str, Any] = {}

        def emit(anchor: str | None) -> None:
            for key in following.get(anchor, ()):
                if key in self and key not in known and key not in out:
                    out[key] = self[key]
                    emit(key)

        emit(None)
        for key, value in known.items():
            out[key] = value
            emit(key)
        for key, value in self.items():  # its neighbour is gone: at the end
            if key not in out and key not in known:
                out[key] = value
        return out


@dataclasses.dataclass
class Checked:
    """A validated mentorship, with the keys mentorkit did not know."""

    mentorship: Mentorship
    unknown_keys: list[str]
    line_of: dict[str, int]


def mentorship_from_raw(
    raw: Any, lines: dict[Path, int], source: str, *, validated: bool = False
) -> Checked:
    """Convert and validate raw data; raise InvalidFile listing every problem. `validated`
    raw data (from the parse cache, which only holds data that passed) skips the checks
    across fields: the time zones, the recurrence rule, IDs and references."""
    if not isinstance(raw, dict):
        raise InvalidFile(f"{source}: expected a mapping at the top, got {_shown(raw)}")
    try:
        raw = migrate(raw, source)
    except InvalidFile as err:
        line = lines.get(("format",))
        raise InvalidFile(err.message + (f" (line {line})" if line else "")) from None
    converter = _Conversion(lines)
    mentorship = converter.build(Mentorship, raw, "", "", ())
    problems = converter.problems
    if mentorship is not _BAD and not validated:
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
    """Validate before writing (pipx's _validate_before_write): never save a broken file,
    nor one with a value outside the documented ranges (typed values, --today, phrases)."""
    found = range_problems(mentorship, "") + semantic_problems(mentorship)
    problems = [f"{where}: {message}" for where, message in found]
    if problems:
        raise _invalid(source, problems)


def range_problems(obj: Any, where: str) -> list[tuple[str, str]]:
    """Dates and numbers outside the documented ranges, anywhere in the model."""
    found: list[tuple[str, str]] = []
    fields, _ = _describe(obj.__class__)
    for f in fields:
        value = getattr(obj, f.name)
        kind = type(value)
        problem = None
        if kind is date:
            problem = date_problem(value)
        elif kind is datetime:
            problem = date_problem(value.date())
        elif kind is int or kind is float:
            problem = number_problem(value)
        elif kind is list:
            for i, item in enumerate(value):
                if dataclasses.is_dataclass(item):
                    named = getattr(item, "id", None) or i
                    found += range_problems(item, f"{_child(where, _key(f))}[{named}]")
        elif dataclasses.is_dataclass(value):
            found += range_problems(value, _child(where, _key(f)))
        if problem:
            found.append((_child(where, _key(f)), problem))
    return found


def semantic_problems(m: Mentorship) -> list[tuple[str, str]]:
    """Problems that types alone cannot catch: IDs, references, time zones, clock times."""
    from mentorkit.timezones import is_timezone

    found: list[tuple[str, str]] = []
    if m.id is not None and not re.fullmatch(r"[a-z0-9]{8,32}", m.id):
        found.append(("id", f"an ID is 8 to 32 lowercase letters and digits, got {m.id!r}"))
    for role in model.ROLES:
        person = m.people.of(role)
        if _NOT_ONE_LINE.search(person.name):
            found.append(
                (f"people.{role}.name", f"{person.name!r} is not a name on one line of text")
            )
        if not _EMAIL.fullmatch(person.email):
            found.append((f"people.{role}.email", f"{person.email!r} is not an email address"))
        if not is_timezone(person.timezone):
            found.append((f"people.{role}.timezone", _tz_message(person.timezone)))
    if not is_timezone(m.schedule.timezone):
        found.append(("schedule.timezone", _tz_message(m.schedule.timezone)))
    for where, value in (
        ("schedule.time", m.schedule.time),
        ("schedule.feedback_time", m.schedule.feedback_time),
    ):
        if value is not None and not _CLOCK.fullmatch(value):
            found.append((where, f"expected a time like '16:00', got {value!r}"))
    if m.schedule.revision is not None and not 0 <= m.schedule.revision <= MAX_REVISION:
        found.append(
            ("schedule.revision", f"expected a count of changes from 0 to {MAX_REVISION:,}")
        )
    if not 0 < m.schedule.duration <= MAX_DURATION:
        found.append(
            ("schedule.duration", f"expected a number of minutes from 1 to {MAX_DURATION}")
        )
    from mentorkit.file.rrule import rrule_problem

    problem = rrule_problem(m.schedule.rrule, m.schedule.first)
    if problem:
        found.append(("schedule.rrule", problem))
    for i, part in enumerate(m.schedule.earlier):
        where = f"schedule.earlier[{i}]"
        problem = rrule_problem(part.rrule, part.first)
        if problem:
            found.append((f"{where}.rrule", problem))
        if not is_timezone(part.timezone):
            found.append((f"{where}.timezone", _tz_message(part.timezone)))
        if not _CLOCK.match(part.time):
            found.append((f"{where}.time", f"expected a time like '16:00', got {part.time!r}"))
        if part.until < part.first:
            found.append((f"{where}.until", f"{part.until} is before its first meeting"))
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

    for collection in model.COLLECTIONS:
        for item in m.items(collection):
            where = f"{collection.name}[{item.id}]"
            claim(item.id, where)
            for inner in collection.inner:
                for part in getattr(item, inner):
                    claim(part.id, f"{where}.{inner}[{part.id}]")
            if collection.refers_to_goal() and item.goal is not None and item.goal not in goal_ids:
                found.append((f"{where}.goal", f"no goal has the ID {item.goal!r}"))
    for action in m.actions:
        where = f"actions[{action.id}]"
        if action.revision is not None and not 0 <= action.revision <= MAX_REVISION:
            found.append((f"{where}.revision", f"expected a count of changes from 0 to {MAX_REVISION:,}"))  # fmt: skip
        if action.status == "done" and (action.dropped or action.drop_reason):
            found.append((f"{where}.status", "the action is done, yet it has a dropped date or a "
                          "drop reason; keep one of the two ends"))  # fmt: skip
        if action.status == "dropped" and action.completed:
            found.append((f"{where}.status", "the action is dropped, yet it has a completed "
                          "date; keep one of the two ends"))  # fmt: skip
    found += _broken_lines(m)
    found += _contact_problems(m)
    logged: dict[date, str] = {}
    for meeting in m.meetings:
        if meeting.date in logged:
            found.append((f"meetings[{meeting.id}]", f"the meeting of {meeting.date} is also logged "
                          f"as meetings[{logged[meeting.date]}]; keep one log a meeting"))  # fmt: skip
        logged.setdefault(meeting.date, meeting.id)
    for feedback in m.feedback:
        if feedback.from_ == feedback.to:
            found.append((f"feedback[{feedback.id}].to", "feedback goes to the other person"))
    occasions: dict[str, int] = {}
    for i, change in enumerate(m.schedule.changes):
        where = f"schedule.changes[{i}]"
        # an extra meeting (added, or added and then cancelled) is known by its time
        extra = change.kind == "added" or (change.kind == "cancelled" and change.date is None)
        occasion = f"added at {change.to}" if extra else f"due {change.date}"
        if occasion in occasions:
            found.append((where, f"the meeting {occasion} is also changed by "
                                 f"schedule.changes[{occasions[occasion]}]; keep one change a meeting"))  # fmt: skip
        occasions.setdefault(occasion, i)
        if change.kind == "moved" and change.date is None:
            found.append((where, "a moved meeting needs the 'date' it was due on"))
        if change.kind == "cancelled" and change.date is None and change.to is None:
            found.append(
                (where, "a cancelled meeting needs the 'date' it was due on, or 'to' for an extra")
            )
        if change.kind in ("moved", "added") and change.to is None:
            found.append((where, f"a {change.kind} meeting needs 'to', its new date and time"))
    return found


_LINE_BREAK = re.compile("[\n\r\v\f\x85\u2028\u2029]")


def _broken_lines(m: Mentorship) -> list[tuple[str, str]]:
    """Titles and names are shown as one line (in lists, prompts, commit summaries and
    calendars), and the commands refuse a line break in them: so does a load, or the other
    person could make a title print as a line of its own."""
    fields: list[tuple[str, str]] = []
    for goal in m.goals:
        fields.append((f"goals[{goal.id}].competency", goal.competency))
        fields += [(f"goals[{goal.id}].kpis[{k.id}].name", k.name) for k in goal.kpis]
    fields += [(f"actions[{a.id}].title", a.title) for a in m.actions]
    fields += [(f"resources[{r.id}].title", r.title) for r in m.resources]
    fields += [(f"agenda[{p.id}].text", p.text) for p in m.agenda]
    return [
        (where, f"{text!r} has a line break; it must be on one line")
        for where, text in fields
        if _LINE_BREAK.search(text)
    ]


def _contact_problems(m: Mentorship) -> list[tuple[str, str]]:
    """Each person's availability, and the contacts between meetings: one line of text,
    a link that is a plain URL, a reply that answers a contact that is there."""
    found: list[tuple[str, str]] = []
    for role in model.ROLES:
        person = m.people.of(role)
        if person.urgent_contact is not None and _LINE_BREAK.search(person.urgent_contact):
            found.append((f"people.{role}.urgent_contact",
                          f"{person.urgent_contact!r} is not one line of text"))  # fmt: skip
        if person.working_hours is not None:
            problem = hours_problem(person.working_hours)
            if problem:
                found.append((f"people.{role}.working_hours", problem))
        if len(set(person.working_days)) != len(person.working_days):
            found.append((f"people.{role}.working_days", "a day is listed twice"))
    ids = {c.id for c in m.contacts}
    by_id = {c.id: c for c in m.contacts}
    for contact in m.contacts:
        where = f"contacts[{contact.id}]"
        if contact.from_ == contact.to:
            found.append((f"{where}.to", "a contact goes to the other person"))
        if contact.sent.tzinfo is None:
            found.append((f"{where}.sent", "expected a date and time with its offset, like "
                          "2026-11-27T17:00-06:00"))  # fmt: skip
        if _LINE_BREAK.search(contact.topic) or not contact.topic.strip():
            found.append((f"{where}.topic", f"{contact.topic[:80]!r} is not a topic on one line"))
        elif len(contact.topic) > TITLE_LIMIT:
            found.append((f"{where}.topic", f"the topic has {len(contact.topic):,} characters; "
                          f"keep it under {TITLE_LIMIT}"))  # fmt: skip
        if contact.link is not None:
            problem = link_problem(contact.link)
            if problem:
                found.append((f"{where}.link", problem))
        if contact.replied is not None and contact.replied.tzinfo is None:
            found.append((f"{where}.replied", "expected a date and time with its offset"))
        elif contact.replied and contact.sent.tzinfo and contact.replied < contact.sent:
            found.append((f"{where}.replied", "the reply comes before the contact was sent"))
        if (contact.reply == "answered") != (contact.replied is not None):
            found.append((f"{where}.reply", "a contact is 'answered' exactly when it has the "
                          "time it was 'replied'"))  # fmt: skip
        if contact.reply_to is not None and (
            contact.reply_to not in ids or contact.reply_to == contact.id
        ):
            found.append((f"{where}.reply_to", f"no other contact has the ID {contact.reply_to!r}"))  # fmt: skip
        found += _answer_problems(contact, by_id)
    return found


def _answer_problems(
    contact: model.Contact, by_id: dict[str, model.Contact]
) -> list[tuple[str, str]]:
    """An answer comes from the recipient of the contact it answers, not before it was
    sent, and answers never go round in a loop."""
    answered = by_id.get(contact.reply_to or "")
    if answered is None or answered is contact:
        return []
    where = f"contacts[{contact.id}].reply_to"
    if answered.to != contact.from_:
        return [(where, f"contact {answered.id} went to the {answered.to}, so its answer must "
                        f"come from the {answered.to}; this one is from the {contact.from_}")]  # fmt: skip
    if contact.sent.tzinfo and answered.sent.tzinfo and contact.sent < answered.sent:
        return [(where, f"this answer was sent before contact {answered.id}, which it answers")]
    seen = {contact.id}
    while answered is not None and answered.reply_to is not None:
        if answered.id in seen:
            return [(where, f"the answers go round in a loop back to contact {contact.id}")]
        seen.add(answered.id)
        answered = by_id.get(answered.reply_to)
    return []


WORKING_HOURS = re.compile(r"\s*([01]?\d|2[0-3]):([0-5]\d)\s*[-–]\s*([01]?\d|2[0-4]):([0-5]\d)\s*")


def hours_problem(text: str) -> str | None:
    """Why `text` is not working hours like '09:00-18:00', or None."""
    match = WORKING_HOURS.fullmatch(text)
    if not match:
        return f"expected working hours like '09:00-18:00', got {text!r}"
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if (h2, m2) > (24, 0) or (h1, m1) >= (h2, m2):
        return f"the working hours {text!r} end before they start (or after 24:00)"
    return None


def link_problem(text: str) -> str | None:
    """Why `text` is not a plain link (a URL with a scheme, one line, no spaces or control
    characters), or None. Links are kept, shown and never fetched."""
    from urllib.parse import urlsplit

    if len(text) > 2000:
        return f"a link of {len(text)} characters is longer than mentorkit keeps (2,000)"
    if any(ch.isspace() or ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in text):
        return f"{text!r} is not a link: it has spaces or control characters"
    if any(
        ch in text
        for ch in "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    ):
        return f"{text!r} is not a link: it has invisible direction marks"
    try:
        parts = urlsplit(text)
    except ValueError:
        return f"{text!r} is not a link"
    if not re.fullmatch(r"[a-z][a-z0-9+.-]*", parts.scheme or "", re.IGNORECASE):
        return f"{text!r} is not a link like https://…"
    if parts.scheme.lower() in ("http", "https") and not parts.netloc:
        return f"{text!r} is not a link: it names no host"
    if parts.scheme.lower() in ("javascript", "data", "vbscript", "file"):
        return f"{text!r} is not a link mentorkit keeps ({parts.scheme}: links are refused)"
    return None


def _tz_message(name: str) -> str:
    return f"{name!r} is not a known time zone; use an IANA name like Europe/London"


# --------------------------------------------------------------------------- model -> raw

# Fields whose absence means a default other than None: "none" is written as null, or the
# next load would read the default back (no feedback day came back as Friday).
_NULL_KEPT = {(model.Schedule, "feedback_day")}


def _written_when_empty(key: str) -> bool:
    return any(c.name == key and c.written_when_empty for c in model.COLLECTIONS)


def mentorship_to_raw(m: Mentorship) -> dict[str, Any]:
    return _to_raw(m, top=True)


def to_raw(obj: Any) -> dict[str, Any]:
    """One model object in the file's shape (for --json output and diffs)."""
    return _to_raw(obj)


def _to_raw(obj: Any, top: bool = False) -> dict[str, Any]:
    fields, _ = _describe(obj.__class__)
    out: dict[str, Any] = {}
    for f in fields:
        value = getattr(obj, f.name)
        key = _key(f)
        if value is None and (type(obj), f.name) in _NULL_KEPT:
            out[key] = None
            continue
        if value is None or (value == [] and not (top and _written_when_empty(key))):
            continue
        out[key] = _plain(value)
    extra = obj.extra
    if not extra:
        return out
    if not isinstance(extra, Extras):
        return {**out, **{k: v for k, v in extra.items() if k not in out}}
    return extra.placed(out)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return _to_raw(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")
    return value


def dump_text(m: Mentorship) -> str:
    from mentorkit.file.yamltext import dump_raw

    return dump_raw(mentorship_to_raw(m))


def load_text(text: str, source: str) -> Checked:
    from mentorkit.file.yamltext import parse_text

    parsed = parse_text(text, source)
    return mentorship_from_raw(parsed.raw, parsed.lines, source)
