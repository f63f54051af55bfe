"""A mentoring program's file, program.yaml: its name, lead, pairs and health rules."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mentorkit.errors import CommentsInTheWay, InvalidFile, NotFound, UsageProblem

PROGRAM_FILE = "program.yaml"
CACHE_FOLDER = ".mentorkit-program"  # beside program.yaml: state.json (figures only)
MAX_PAIRS = 5000

# A branch as git allows it on the command line and in a refspec: no option, no `..`,
# no `:`, `*`, `^`, `~`, `?`, `[`, `\`, space or control character, no `@{`, no `.lock` end.
_BRANCH = re.compile(r"(?!-)(?!/)(?!.*\.\.)(?!.*@\{)(?!.*//)[A-Za-z0-9._/@+-]+(?<!/)(?<!\.lock)")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@dataclass
class HealthRules:
    """When a pair needs attention."""

    stalled_after_days: int = 21  # no meeting held for longer than this: stalled
    overdue_items: int = 3  # this many items overdue (both sides together): attention
    kpis_off_track: int = 1  # this many KPIs off track: attention
    one_way_feedback: bool = True  # feedback only one way in four weeks: attention


RULE_RANGES: dict[str, tuple[int, int] | None] = {
    "stalled_after_days": (1, 3650),
    "overdue_items": (1, 10_000),
    "kpis_off_track": (1, 10_000),
    "one_way_feedback": None,  # true or false
}


@dataclass
class PairSource:
    """Where one pair's mentorship lives: a git URL or a local path, its branch, and the
    file's path in it; `name` is the program's own label for the pair."""

    url: str
    branch: str = "main"
    name: str | None = None
    file: str = "mentorship.yaml"

    def key(self, folder: Path) -> str:
        """The pair's name in the cache: stable for the same URL, branch and file."""
        seed = "\0".join((location(self.url, folder), self.branch, self.file))
        return hashlib.sha256(seed.encode("utf-8", "surrogateescape")).hexdigest()[:20]


@dataclass
class Program:
    """The whole program file."""

    name: str
    lead: str | None = None
    health: HealthRules = field(default_factory=HealthRules)
    pairs: list[PairSource] = field(default_factory=list)
    path: Path = Path(PROGRAM_FILE)

    @property
    def folder(self) -> Path:
        return self.path.resolve().parent

    def cache(self) -> Path:
        return self.folder / CACHE_FOLDER


def location(url: str, folder: Path) -> str:
    """A URL as git is given it: a local path relative to the program file's folder made
    absolute; a URL (`scheme://`, `user@host:path`) as it is."""
    if "://" in url or re.match(r"[^/]+@[^/:]+:", url) or re.match(r"[A-Za-z0-9.-]+:[^/\\]", url):
        return url
    return os.path.normpath(folder / os.path.expanduser(url))


def same_place(url: str) -> str:
    """A URL or path written so that two ways of writing one repository compare equal
    (`a.git`, `./a.git`, `a.git/`; `https://host/a.git/`)."""
    return location(url, Path("/")).rstrip("/") or "/"


# --------------------------------------------------------------------------- finding it


def program_path(explicit: str | None) -> Path:
    """--file, else $MENTORKIT_PROGRAM, else the nearest program.yaml walking up."""
    from mentorkit.file.storage import nearest

    chosen = explicit or os.environ.get("MENTORKIT_PROGRAM")
    found = Path(chosen) if chosen else nearest(PROGRAM_FILE)
    if found:
        return found
    raise NotFound(
        f"no {PROGRAM_FILE} in this folder or any folder above it; run "
        "`mentorkit program init` to start one, or point at one with --file"
    )


# --------------------------------------------------------------------------- checking


def _one_line(value: Any, where: str, *, optional: bool = False, limit: int = 200) -> str | None:
    if value is None and optional:
        return None
    return _text(value, where, limit)


def _text(value: Any, where: str, limit: int = 200) -> str:
    if type(value) is not str or not value.strip():
        raise _bad(where, "expected one line of text")
    if _CONTROL.search(value) or len(value) > limit:
        raise _bad(
            where,
            f"expected one line of text of at most {limit} characters, without control characters",
        )
    return value


def _bad(where: str, message: str, line: int | None = None) -> InvalidFile:
    return InvalidFile(f"{where}: {message}" + (f" (line {line})" if line else ""))


def check_url(url: Any, where: str = "url") -> str:
    text = _text(url, where, limit=2000)
    if text.startswith("-"):
        raise _bad(where, "a URL or path may not start with '-'")
    if text.lower().startswith("ext::") or text.lower().startswith("fd::"):
        raise _bad(where, "the ext:: and fd:: transports run commands; use a git URL or a path")
    return text


def check_branch(branch: Any, where: str = "branch") -> str:
    if type(branch) is not str or not _BRANCH.fullmatch(branch) or len(branch) > 200:
        raise _bad(where, f"{_shown(branch)} is not a branch name git accepts")
    return branch


def check_file(name: Any, where: str = "file") -> str:
    text = _text(name, where, limit=500)
    parts = text.split("/")
    if text.startswith(("/", "-")) or any(p in ("", ".", "..") for p in parts) or "\\" in text:
        raise _bad(
            where, f"{_shown(text)} is not a path inside the repository (like mentorship.yaml)"
        )
    return text


def _shown(value: Any) -> str:
    from mentorkit.output import literal

    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return literal(text[:80] + ("…" if len(text) > 80 else ""))


def program_from_raw(raw: Any, lines: dict[Any, int], name: str) -> Program:
    """Check program.yaml's data and build the program; one sentence for the first problem."""

    def at(*path: Any) -> int | None:
        return lines.get(tuple(path))

    def where(*path: Any) -> str:
        shown = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in path)
        return f"{name}: {shown.replace('.[', '[')}"

    if not isinstance(raw, dict):
        raise InvalidFile(f"{name}: expected a mapping with program, lead, health and pairs")
    unknown = sorted(str(k) for k in raw if k not in ("program", "lead", "health", "pairs"))
    if unknown:
        raise _bad(
            where(unknown[0]),
            "unknown key (program.yaml holds program, lead, health and pairs)",
            at(unknown[0]),
        )
    try:
        title = _text(raw.get("program"), where("program"))
        lead = _one_line(raw.get("lead"), where("lead"), optional=True)
    except InvalidFile as err:
        raise InvalidFile(
            err.message + (f" (line {at('program')})" if at("program") else "")
        ) from None
    rules = HealthRules()
    health = raw.get("health") or {}
    if not isinstance(health, dict):
        raise _bad(where("health"), "expected a mapping of health rules", at("health"))
    for key, value in health.items():
        if key not in RULE_RANGES:
            known = ", ".join(RULE_RANGES)
            raise _bad(
                where("health", key), f"unknown rule (the rules are {known})", at("health", key)
            )
        bounds = RULE_RANGES[key]
        if bounds is None:
            if type(value) is not bool:
                raise _bad(
                    where("health", key),
                    f"expected true or false, got {_shown(value)}",
                    at("health", key),
                )
            setattr(rules, key, value)
            continue
        low, high = bounds
        if type(value) is not int or not low <= value <= high:
            raise _bad(
                where("health", key),
                f"expected a whole number from {low} to {high}, got {_shown(value)}",
                at("health", key),
            )
        setattr(rules, key, value)
    pairs_raw = raw.get("pairs")
    pairs_raw = [] if pairs_raw is None else pairs_raw
    if not isinstance(pairs_raw, list):
        raise _bad(where("pairs"), "expected a list of pairs", at("pairs"))
    if len(pairs_raw) > MAX_PAIRS:
        raise _bad(where("pairs"), f"a program holds at most {MAX_PAIRS:,} pairs", at("pairs"))
    pairs = []
    seen: dict[tuple[str, str, str], int] = {}
    for i, entry in enumerate(pairs_raw):
        if isinstance(entry, str):
            entry = {"url": entry}
        if not isinstance(entry, dict):
            raise _bad(
                where("pairs", i), "expected a mapping with url, branch, name, file", at("pairs", i)
            )
        extra = sorted(str(k) for k in entry if k not in ("url", "branch", "name", "file"))
        if extra:
            raise _bad(
                where("pairs", i, extra[0]),
                "unknown key (a pair has url, branch, name and file)",
                at("pairs", i, extra[0]),
            )
        try:
            pair = PairSource(
                url=check_url(entry.get("url"), where("pairs", i, "url")),
                branch=check_branch(entry.get("branch", "main"), where("pairs", i, "branch")),
                name=_one_line(entry.get("name"), where("pairs", i, "name"), optional=True),
                file=check_file(entry.get("file", "mentorship.yaml"), where("pairs", i, "file")),
            )
        except InvalidFile as err:
            line = at("pairs", i) or at("pairs", i, "url")
            raise InvalidFile(err.message + (f" (line {line})" if line else "")) from None
        same = (same_place(pair.url), pair.branch, pair.file)
        if same in seen:
            raise _bad(
                where("pairs", i),
                f"the same repository, branch and file as pairs[{seen[same]}]",
                at("pairs", i),
            )
        seen[same] = i
        pairs.append(pair)
    return Program(name=title, lead=lead, health=rules, pairs=pairs)


# --------------------------------------------------------------------------- reading, writing


def load_program(path: Path) -> Program:
    from mentorkit.file import storage
    from mentorkit.file.yamltext import parse_text

    name = storage.display_name(path)
    text = storage.read_other(path, "run `mentorkit program init` to start one")
    try:
        parsed = parse_text(text.removeprefix("\ufeff"), name)
    except InvalidFile as err:
        if err.message.startswith(f"{name} is empty;"):
            raise InvalidFile(
                f"{name} is empty; run `mentorkit program init` to start a program file"
            ) from None
        raise
    program = program_from_raw(parsed.raw, parsed.lines, name)
    program.path = path
    return program


def program_to_raw(program: Program) -> dict[str, Any]:
    raw: dict[str, Any] = {"program": program.name}
    if program.lead:
        raw["lead"] = program.lead
    raw["health"] = dict(program.health.__dict__)
    pairs = []
    for pair in program.pairs:
        entry: dict[str, Any] = {"url": pair.url, "branch": pair.branch}
        if pair.name:
            entry["name"] = pair.name
        if pair.file != "mentorship.yaml":
            entry["file"] = pair.file
        pairs.append(entry)
    raw["pairs"] = pairs
    return raw


def save_program(program: Program, *, new: bool = False) -> None:
    """Write program.yaml in mentorkit's layout. A file with comments is not rewritten
    (they would be lost): the sentence says to edit it by hand."""
    from mentorkit.file import storage
    from mentorkit.file.yamltext import dump_raw, find_comment_lines

    path = program.path
    name = storage.display_name(path)
    if new:
        if path.exists() or path.is_symlink():
            raise UsageProblem(f"{name} already exists; nothing was changed")
    else:
        before = storage.read_other(path, "run `mentorkit program init` to start one")
        comments = find_comment_lines(before) if "#" in before else []
        if comments:
            where = ", ".join(str(n) for n in comments[:6])
            raise CommentsInTheWay(
                f"{name} has comments (line {where}) that rewriting it would drop; "
                "edit it by hand instead; nothing was changed"
            )
    storage.write_other(path, dump_raw(program_to_raw(program)))
