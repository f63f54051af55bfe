"""The accountability record: the file's versions in git turned back into a timeline.

Events come from comparing each version of the file with the one before (not from
commit messages), so hand edits count too. Each version is parsed once; the events of
each pair of versions are cached inside .git, keyed by the two blob ids, so a second
`history` reads no YAML at all.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mentorkit.file.model import COLLECTIONS, ROLES
from mentorkit.file.storage import MAX_BYTES
from mentorkit.git import git
from mentorkit.git.narrator import Change, compare, plain, started, with_reason

if TYPE_CHECKING:
    from mentorkit.domain.stats import DueChange

_CACHE_VERSION = 18  # bump whenever compare() words things differently


@dataclass
class Event:
    """One line of the timeline."""

    when: datetime
    who: str
    role: str | None
    commit: str
    kind: str
    item: str | None
    text: str
    email: str = ""
    field: str | None = None  # a change of one field: its path, and its values as JSON has them
    was: Any = None
    now: Any = None


# --------------------------------------------------------------------------- reading versions

_TOP_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*:(?: |\r?$)", re.MULTILINE)
_BLOCK_START = re.compile(r"\n(?=[^ \t\r\n#])")


def _chunks(text: str) -> list[str]:
    """The text cut before every line that starts at the left margin (not a comment)."""
    starts = [0, *(m.end() for m in _BLOCK_START.finditer(text))]
    ends = [*starts[1:], len(text)]
    return [text[i:j] for i, j in zip(starts, ends, strict=True)]


def _recut(old: str, cut: list[str], new: str) -> list[str]:
    """`_chunks(new)`, given `old` already cut: the chunks `new` begins and ends with, as
    `old` did, are kept (the very same strings), and only the text between them is cut.
    A version differs from the one before in a few places, so this costs little."""
    head, end = 0, 0  # chunks matched at the start; where they end in `new`
    while head < len(cut) and new.startswith(cut[head], end):
        end += len(cut[head])
        head += 1
    if head == len(cut) and end == len(new) and old == new:
        return cut
    # keep all but the last matched chunk: the next one must start a line at the margin
    head = max(head - 1, 0)
    start = sum(map(len, cut[:head]))
    tail, begin = len(cut), len(new)  # the first chunk matched at the end; where it starts
    while tail - 1 > head and new.startswith(cut[tail - 1], begin - len(cut[tail - 1])):
        if begin - len(cut[tail - 1]) < start:
            break
        begin -= len(cut[tail - 1])
        tail -= 1
    if tail < len(cut):  # keep all but the first matched chunk: it ends a line
        begin += len(cut[tail])
        tail += 1
    if begin < start:
        return _chunks(new)
    middle = _chunks(new[start:begin]) if begin > start else []
    return [*cut[:head], *middle, *cut[tail:]] or [""]


def _blocks(chunks: list[str]) -> list[tuple[str, list[str]]] | None:
    """The canonical layout cut into blocks: each top-level section, and each item of a
    top-level list on its own. None where the text is not laid out that way (then it is
    parsed whole)."""
    sections: list[tuple[str, list[str]]] = []
    seen: set[str] = set()
    for chunk in chunks:
        if chunk[:1] == "-":
            if not chunk.startswith(("- ", "-\n")) or not sections:
                return None
            sections[-1][1].append(chunk)
            continue
        if _TOP_KEY.match(chunk) is None:
            return None
        key = chunk[: chunk.index(":")]
        if key in seen:
            return None
        seen.add(key)
        sections.append((key, [chunk]))
    return sections


class Versions:
    """Parses versions of the file, each block of text once: a version that changed one
    action re-parses that action only, and what it shares with the version before (items,
    whole lists) are the very same objects, so comparing them costs nothing."""

    def __init__(self) -> None:
        self.blocks: dict[str, Any] = {}
        self.lists: dict[tuple[Any, ...], list[Any]] = {}
        self.last: tuple[str, list[str]] = ("", [""])  # the text cut last, and its chunks
        self.laid_out = False

    def _cut(self, text: str) -> list[str]:
        chunks = _recut(*self.last, text)
        self.last = (text, chunks)
        return chunks

    def _parsed(self, text: str) -> Any:
        if text not in self.blocks:
            self.blocks[text] = _parse_whole(text)
        return self.blocks[text]

    def _item(self, text: str) -> Any:
        """A list item's chunk, parsed: a large one (a goal with its measurements) as the
        mapping it holds, cut into blocks in turn, so a new measurement re-parses that
        measurement only."""
        if text in self.blocks:
            return self.blocks[text]
        value = None
        inner = _dedented(text) if len(text) > _LARGE else None
        if inner is not None:
            mapping = self._layout(inner, _chunks(inner))
            value = [mapping] if isinstance(mapping, dict) else None
        self.blocks[text] = value if value is not None else _parse_whole(text)
        return self.blocks[text]

    def parse(self, data: bytes) -> Any:
        """The version's raw data (None where it cannot be read); `laid_out` then says
        whether it was read block by block (the file's canonical layout)."""
        self.laid_out = False
        try:
            text = data.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            return None
        return self._layout(text, self._cut(text), top=True)

    def _layout(self, text: str, chunks: list[str], top: bool = False) -> Any:
        layout = _blocks(chunks)
        if layout is None:
            return _parse_whole(text)
        raw: dict[str, Any] = {}
        for key, parts in layout:
            head = self._parsed(parts[0])
            if not isinstance(head, dict) or key not in head:
                return _parse_whole(text)
            value = head[key]
            if len(parts) > 1:
                if value is not None:
                    return _parse_whole(text)
                items = [self._item(part) for part in parts[1:]]
                if not all(isinstance(i, list) and len(i) == 1 for i in items):
                    return _parse_whole(text)
                value = [i[0] for i in items]
                value = self.lists.setdefault((key, *map(id, value)), value)
            raw[key] = value
        if not raw:
            return _parse_whole(text)
        self.laid_out = top
        return raw


_LARGE = 1000  # characters: a list item this long is parsed block by block


def _dedented(item: str) -> str | None:
    """A list item's text ("- key: …" and lines indented by two) as the mapping it holds,
    at the margin; None where it is not laid out that way."""
    if not item.startswith("- ") or item[2:3] in ("", " ", "-", "#", "\n"):
        return None
    if _UNINDENTED.search(item):
        return None
    return item[2:].replace("\n  ", "\n")


_UNINDENTED = re.compile(r"\n(?!  |\n|\Z)")  # a line neither indented by two nor empty


def _parse_whole(text: str) -> Any:
    from mentorkit.errors import InvalidFile
    from mentorkit.file.yamltext import parse_text

    try:
        return parse_text(text, "revision", lines=False).raw
    except InvalidFile:
        return None


def parse_version(data: bytes) -> Any:
    """A version's raw data, or None where it cannot be read (a broken hand edit)."""
    return Versions().parse(data)


# --------------------------------------------------------------------------- one version from the last

_MARGIN = re.compile(rb"\n(?=[^ \t\r\n#])")


@dataclass
class _Text:
    """A version's bytes cut as `_chunks` cuts its text: where each chunk starts (and, last,
    where the text ends), and which chunks start a top-level key (the others are items of
    that key's list)."""

    data: bytes
    bounds: list[int]
    heads: list[int]

    @classmethod
    def cut(cls, data: bytes) -> _Text:
        bounds = [0, *(m.end() for m in _MARGIN.finditer(data)), len(data)]
        heads = [i for i, at in enumerate(bounds[:-1]) if data[at : at + 1] != b"-"]
        return cls(data, bounds, heads)


def _window(old: _Text, new: bytes) -> tuple[int, int, int, int]:
    """(i, j, start, end): `new` is `old` with its chunks i to j-1 replaced by
    new[start:end]; the chunks before and after are the same in both. Found by comparing
    whole runs of chunks at once (each comparison is one memcmp), so a version costs a
    handful of comparisons, not one per chunk."""
    data, bounds = old.data, old.bounds
    chunks = len(bounds) - 1
    good, top = 0, chunks  # new begins with data[: bounds[good]]
    while good < top:
        probe = (good + top + 1) // 2
        if data[bounds[good] : bounds[probe]] == new[bounds[good] : bounds[probe]]:
            good = probe
        else:
            top = probe - 1
    i, shift = good, len(new) - len(data)
    low = max(i, bisect_left(bounds, bounds[i] - shift))
    end = chunks  # new ends with data[bounds[end]:]
    while low < end:
        probe = (low + end) // 2
        if data[bounds[probe] : bounds[end]] == new[bounds[probe] + shift : bounds[end] + shift]:
            end = probe
        else:
            low = probe + 1
    # the text between must begin and end at a chunk's edge in `new` too: a line added at
    # the end of a chunk (indented) belongs to that chunk
    if bounds[end] + shift > bounds[i] and i > 0 and new[bounds[i] : bounds[i] + 1] in _INSIDE:
        i -= 1
    if end < chunks and bounds[end] + shift > bounds[i] and new[bounds[end] + shift - 1] != 10:
        end += 1
    return i, end, bounds[i], bounds[end] + shift


_INSIDE = (b" ", b"\t", b"\r", b"\n", b"#")  # a line starting so is not a new chunk
_LISTS = {c.name for c in COLLECTIONS}  # the lists of records, read record by record


_Patch = tuple[str, int, int, list[Any]]  # list key, items i to j replaced, by these items


def _quick(versions: Versions, old: _Text, new: bytes) -> tuple[list[Change], _Text, _Patch] | None:
    """What changed from `old` (a version in the canonical layout) to `new`, told from the
    items that differ alone; `new` cut; and which items of which list it replaced (to make
    `new`'s data from `old`'s). None where the change is not inside one of the record's
    lists (a top-level key changed, the layout broken): then both are read whole."""
    i, j, start, end = _window(old, new)
    heads = old.heads
    at = bisect_left(heads, i)
    if at == 0 or (at < len(heads) and heads[at] < j):
        return None  # a top-level key is among the changed chunks
    head = old.bounds[heads[at - 1]]
    key = old.data[head : old.data.find(b":", head)].decode("utf-8", "replace")
    region = new[start:end]
    if key not in _LISTS or (region and region[:1] in _INSIDE):
        return None
    cuts = [0, *(m.end() for m in _MARGIN.finditer(region))] if region else []
    pieces = [region[a:b] for a, b in zip(cuts, [*cuts[1:], len(region)], strict=False)]
    bounds = old.bounds
    try:
        before = [versions._item(old.data[bounds[k] : bounds[k + 1]].decode()) for k in range(i, j)]
        after = [versions._item(p.decode()) for p in pieces if p.startswith((b"- ", b"-\n"))]
    except UnicodeDecodeError:
        return None
    if len(after) != len(pieces) or not all(
        isinstance(x, list) and len(x) == 1 for x in before + after
    ):
        return None
    items = [x[0] for x in after]
    found = compare({key: [x[0] for x in before]}, {key: items})
    moved = len(pieces) - (j - i)
    first = heads[at - 1] + 1  # the chunk of the list's first item
    cut = _Text(
        new,
        [*bounds[:i], *map(start.__add__, cuts), *map((end - bounds[j]).__add__, bounds[j:])],
        [*heads[:at], *(h + moved for h in heads[at:])],
    )
    return found, cut, (key, i - first, j - first, items)


def _patched(raw: dict[str, Any], patch: _Patch) -> dict[str, Any]:
    """A version's data made from the one before's: the very same objects, but for the
    items `_quick` found replaced (as reading it whole would give)."""
    key, i, j, items = patch
    listed = raw.get(key) or []
    return {**raw, key: [*listed[:i], *items, *listed[j:]] or None}


# --------------------------------------------------------------------------- the timeline

_UNREADABLE = Change("file.unreadable", None, "left the file unreadable")
_REPAIRED = Change("file.repaired", None, "repaired the file")
_RESTORED = Change("file.restored", None, "brought back the mentorship file")
_SHALLOW = Change(
    "history.shallow",
    None,
    "made the earliest version in this clone (the history before it was not fetched)",
)


def _cache_path(work_tree: Path) -> Path:
    return git.git_dir(work_tree) / "mentorkit" / f"history-v{_CACHE_VERSION}.json"


def _load_cache(path: Path) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _save_cache(path: Path, cache: dict[str, Any]) -> None:
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(cache, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, path)


@dataclass
class _Step:
    """One commit's part in the story: the versions to compare."""

    commit: git.FileCommit
    new: str | None  # the blob after
    parents: list[str | None]  # the blob in each parent
    cut: bool = False  # where a shallow clone's history starts: its parents were not fetched
    picked: tuple[str | None, str] | None = None  # a copy of a commit: the original's blobs


def _steps(work_tree: Path, relative: str, shallow: frozenset[str]) -> list[_Step]:
    commits = git.file_history(work_tree, relative)
    merges = [c for c in commits if len(c.parents) > 1]
    names = sorted({c.path for c in commits if c.path} | {relative})
    known = {c.commit for c in commits}
    _copied_from_elsewhere(work_tree, relative, commits, known)
    elsewhere = {c.picked_from for c in commits if c.picked_from and c.picked_from not in known}
    specs = [f"{x}:{name}" for c in merges for x in (c.commit, *c.parents) for name in names]
    specs += [f"{x}{up}:{name}" for x in elsewhere for up in ("", "^") for name in names]
    found = git.blobs_of(work_tree, specs)

    def blob(commit: str) -> str | None:
        return next((found[f"{commit}:{n}"] for n in names if found.get(f"{commit}:{n}")), None)

    originals = _originals(work_tree, commits)
    steps = []
    for c in commits:
        if len(c.parents) <= 1:
            step = _Step(c, c.new_blob, [c.old_blob], not c.parents and c.commit in shallow)
            original = originals.get(c.commit)
            if original is not None and original.new_blob:
                step.picked = (original.old_blob, original.new_blob)
            elif c.picked_from in elsewhere and blob(c.picked_from):
                step.picked = (blob(f"{c.picked_from}^"), blob(c.picked_from) or "")
            steps.append(step)
            continue
        after, before = blob(c.commit), [blob(p) for p in c.parents]
        if all(b == after for b in before):
            continue  # the merge took one side whole, or the file was not involved
        steps.append(_Step(c, after, before))
    return steps


def _copied_from_elsewhere(
    work_tree: Path, relative: str, commits: list[git.FileCommit], known: set[str]
) -> None:
    """A commit one person made of another's (a cherry-pick without `-x`) whose original
    is on a branch not merged (yet): the original, found on any branch by its author,
    author date and subject, is named as `-x` would have named it, so the copy's own part
    (a conflict resolved by hand) is the committer's."""
    copies = [
        c for c in commits
        if len(c.parents) == 1 and not c.picked_from and c.committer
        and c.committer[1].lower() != c.email.lower()
    ]  # fmt: skip
    if not copies:
        return
    found = git.run(["log", "--all", "--format=%H%x00%ae%x00%aI%x00%s", "--", relative],
                    work_tree)  # fmt: skip
    elsewhere: dict[tuple[str, datetime, str], str] = {}
    for line in found.stdout.splitlines() if found.returncode == 0 else []:
        commit, email, when, subject = [*line.split("\0"), "", "", ""][:4]
        if commit not in known and when:
            with contextlib.suppress(ValueError):
                key = (email.lower(), datetime.fromisoformat(when), subject)
                elsewhere.setdefault(key, commit)
    for c in copies:
        c.picked_from = elsewhere.get((c.email.lower(), c.when, c.subject), "")


def _originals(work_tree: Path, commits: list[git.FileCommit]) -> dict[str, git.FileCommit]:
    """The commits that are copies of another commit of the file (a cherry-pick, a rebased
    commit, with or without a conflict resolved on the way), each with the commit it copies:
    the one it names (`cherry-pick -x`), else the earlier one with the same author, author
    date and subject that is not in its past (a copy keeps those three; a commit that
    repeats an earlier one's act in the same second descends from it)."""
    by_commit = {c.commit: c for c in commits if len(c.parents) == 1}
    first: dict[tuple[str, datetime, str], git.FileCommit] = {}
    found: dict[str, git.FileCommit] = {}
    for c in by_commit.values():
        named = by_commit.get(c.picked_from)
        twin = first.setdefault((c.email.lower(), c.when, c.subject), c)
        if named is not None and named is not c:
            found[c.commit] = named
        elif twin is not c and not _is_ancestor(work_tree, twin.commit, c.commit):
            found[c.commit] = twin
    return found


def _first_side(value: Any) -> Any:
    """A merge's result with each conflict taken as the first parent had it: what the
    person resolving it changed is then told against their own side."""
    from mentorkit.git.merging import MISSING, Conflict

    if isinstance(value, Conflict):
        return value.ours
    if isinstance(value, dict):
        sides = {k: _first_side(v) for k, v in value.items()}
        return {k: v for k, v in sides.items() if v is not MISSING}
    if isinstance(value, list) and any(isinstance(v, Conflict | dict | list) for v in value):
        kept: list[Any] = []
        for v in value:
            if isinstance(v, Conflict) and v.many:  # a run of entries on each side
                kept += [_first_side(x) for x in v.ours or []]
            elif (side := _first_side(v)) is not MISSING:
                kept.append(side)
        return kept
    return value


def _theirs_added(conflicts: list[Any]) -> Callable[[Change], bool]:
    """Whether a change told at a merge is only an entry the other side had added where
    both sides added entries to a list for one date (two moves of a due date, two
    measurements): keeping it is taking their change, already told as theirs, not a
    change of the resolver's."""
    entries = [(c.path, plain(x)) for c in conflicts if c.many for x in c.theirs or []
               if x not in (c.ours or [])]  # fmt: skip

    def taken(change: Change) -> bool:
        return (
            change.field is not None
            and change.was is None
            and any(
                change.now == entry and f"[{change.item}].{change.field.split('.')[-1]}[" in path
                for path, entry in entries
            )
        )

    return taken


def _breakers_part(good: str, broken: str, repaired: str) -> str:
    """The good text with those of the repair's changes (line by line) that the unreadable
    version already held: what its author changed, without what the repair changed."""
    g, b, r = (t.splitlines(keepends=True) for t in (good, broken, repaired))
    from_broken = [False] * len(r)
    for tag, _, _, j1, j2 in _opcodes(b, r):
        if tag == "equal":
            from_broken[j1:j2] = [True] * (j2 - j1)
    kept = [False] * len(g)
    for tag, i1, i2, _, _ in _opcodes(g, b):
        if tag == "equal":
            kept[i1:i2] = [True] * (i2 - i1)
    lines: list[str] = []
    for tag, i1, i2, j1, j2 in _opcodes(g, r):
        theirs = tag != "equal" and all(from_broken[j1:j2]) and not any(kept[i1:i2])
        lines += r[j1:j2] if theirs else g[i1:i2]
    return "".join(lines)


def _opcodes(a: list[str], b: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes from `a` to `b`, the lines both begin and end with set apart
    first (a version differs from another in a few places)."""
    from difflib import SequenceMatcher

    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    middle = SequenceMatcher(None, a[head : len(a) - tail], b[head : len(b) - tail], False)
    found = [("equal", 0, head, 0, head)] if head else []
    found += [(t, i1 + head, i2 + head, j1 + head, j2 + head)
              for t, i1, i2, j1, j2 in middle.get_opcodes()]  # fmt: skip
    if tail:
        found.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return found


class _Story:
    """Walks the steps oldest first, remembering for every version the last readable one
    it descends from, so an unreadable stretch is one event and the version that repairs
    it is compared with the last good one."""

    def __init__(self, work_tree: Path, relative: str, cache: dict[str, Any]) -> None:
        self.work_tree, self.relative = work_tree, relative
        self.cache = cache
        self.readable: dict[str, bool] = cache.setdefault("readable", {})
        self.laid_out: dict[str, bool] = cache.setdefault("laid-out", {})
        self.pairs: dict[str, list[list[Any]]] = cache.setdefault("pairs", {})
        self.good: dict[str | None, str | None] = {None: None}
        self.versions = Versions()
        self.parsed: OrderedDict[str, Any] = OrderedDict()  # the last versions read whole
        self.texts: OrderedDict[str, _Text] = OrderedDict()  # the last versions' bytes, cut
        self.stream: Iterator[tuple[str, bytes]] = iter(())
        self.pending: set[str] = set()
        self.ahead: dict[str, bytes] = {}  # streamed before they were asked for
        self.computed = False
        self.made: dict[str, git.FileCommit] = {}  # the commit that first made each version
        self.stretch: dict[str, list[str]] = {}  # unreadable versions since the last good one
        self.gone: str | None = None  # the last good version before the file was removed
        self.roots: list[tuple[str, str]] = []  # each start of the file (commit, version)
        self.joined: set[str] = set()  # the later starts a merge has joined to the first

    def load(self, steps: list[_Step]) -> None:
        """Stream, in the order they will be asked for, the versions the cache cannot
        answer for."""
        needed = list(dict.fromkeys(s.new for s in steps if s.new and s.new not in self.readable))
        self.pending = set(needed)
        self.stream = git.stream_blobs(self.work_tree, needed, MAX_BYTES)

    def data(self, blob: str) -> bytes:
        if blob in self.texts:
            return self.texts[blob].data
        if blob in self.ahead:
            return self.ahead.pop(blob)
        if blob in self.pending:
            for streamed, data in self.stream:
                self.pending.discard(streamed)
                if streamed == blob:
                    return data
                self.ahead[streamed] = data
        return git.read_blobs(self.work_tree, [blob], MAX_BYTES)[blob]

    def text(self, blob: str) -> _Text:
        if blob not in self.texts:
            self._keep(blob, _Text.cut(self.data(blob)))
        self.texts.move_to_end(blob)
        return self.texts[blob]

    def _keep(self, blob: str, text: _Text) -> None:
        self.texts[blob] = text
        if len(self.texts) > 16:
            self.texts.popitem(last=False)

    def raw(self, blob: str) -> Any:
        """A version read whole."""
        if blob not in self.parsed:
            self.computed = True
            data = self.data(blob)
            self._remember(blob, self.versions.parse(data))
            if blob not in self.texts:
                self._keep(blob, _Text.cut(data))
            self.readable[blob] = self.parsed[blob] is not None
            self.laid_out[blob] = self.versions.laid_out
        self.parsed.move_to_end(blob)
        return self.parsed[blob]

    def _remember(self, blob: str, raw: Any) -> None:
        self.parsed[blob] = raw
        if len(self.parsed) > 256:  # items are shared: a version's data is a few lists
            self.parsed.popitem(last=False)

    def is_readable(self, blob: str, after: str | None = None) -> bool:
        """Whether a version can be read; `after`, the version it follows, lets it be read
        from what changed since."""
        if blob not in self.readable and after and f"{after}:{blob}" not in self.pairs:
            self._quickly(after, blob)
        if blob not in self.readable:
            self.raw(blob)
        return self.readable[blob]

    def _quickly(self, old: str, new: str) -> list[Change] | None:
        if not self.laid_out.get(old) or not self.is_readable(old):
            return None
        found = _quick(self.versions, self.text(old), self.data(new))
        if found is None:
            return None
        self.computed = True
        self._keep(new, found[1])
        if isinstance(self.parsed.get(old), dict):  # its data, for a merge to come
            self._remember(new, _patched(self.parsed[old], found[2]))
        self.readable[new] = self.laid_out[new] = True
        self.pairs[f"{old}:{new}"] = [list(c) for c in found[0]]
        return found[0]

    def compared(self, old: str | None, new: str) -> list[Change]:
        key = f"{old}:{new}"
        if key not in self.pairs:
            found = self._quickly(old, new) if old else None
            if found is None:
                found = (
                    started(self.raw(new)) if old is None else compare(self.raw(old), self.raw(new))
                )
                self.pairs[key] = [list(c) for c in found]
        return [Change(*c) for c in self.pairs[key]]

    def changes(self, step: _Step) -> list[tuple[git.FileCommit, Change]]:
        """What the step changed, each with the commit it is credited to. A file brought
        back after it was removed is compared with the last good version there was."""
        before = [self.good.get(p, p) if p else None for p in step.parents]
        if step.new is None:
            self.good[None] = None
            self.gone = before[0] or self.gone
            return [(step.commit, Change("file.removed", None, "removed the mentorship file"))]
        if before == [None] and self.gone:
            before, self.gone = [self.gone], None
            return [(step.commit, _RESTORED), *self._changes(step, step.new, before)]
        if step.cut and self.is_readable(step.new):  # what it holds was made before
            self.made[step.new], self.good[step.new] = step.commit, step.new
            return [(step.commit, _SHALLOW)]
        return self._changes(step, step.new, before)

    def _changes(
        self, step: _Step, new: str, before: list[str | None]
    ) -> list[tuple[git.FileCommit, Change]]:
        commit = step.commit
        self.made[new] = commit
        if not self.is_readable(new, before[0]):
            self.good[new] = before[0]
            first = step.parents[0]
            self.stretch[new] = (
                [*self.stretch.get(first, []), new] if first in self.stretch else [new]
            )
            broken = [p for p in step.parents if p and not self.is_readable(p)]
            return [] if broken and len(broken) == len(step.parents) else [(commit, _UNREADABLE)]
        self.good[new] = new
        if not commit.parents:
            self.roots.append((commit.commit, new))
        readable = [before[0], *(step.picked or [])]
        if step.picked and before[0] and all(self.is_readable(b) for b in readable if b):
            return self._picked(step, before[0], new)
        if not any(p and not self.is_readable(p) for p in step.parents):
            if len(before) == 1:
                return [(commit, c) for c in self.compared(before[0], new)]
            found = [(commit, c) for c in self._merged(step, before, new)]
            return [*self._joined_starts(step, new), *found]
        if len(before) == 1 and before[0] and step.parents[0] in self.made:
            stretch = [b for b in self.stretch.get(step.parents[0], []) if b in self.made]
            by_breakers, by_repairer = self._repaired(before[0], stretch or [step.parents[0]], new)
            return [
                *((self.made[b], c) for b, part in by_breakers for c in part),
                (commit, _REPAIRED),
                *((commit, c) for c in by_repairer),
            ]
        if len(before) > 1:
            return self._merge_repaired(step, before, new)
        return [(commit, _REPAIRED), *((commit, c) for c in self.compared(before[0], new))]

    def _picked(self, step: _Step, before: str, new: str) -> list[tuple[git.FileCommit, Change]]:
        """A copy of a commit (see `_originals`): the original's change as it applies here
        (what git does with it: its parent and it merged into `before`, each conflict as
        `before` had it), credited to its author (told once where the original is in the
        history too), and what the copy holds beyond that (a conflict resolved by hand) to
        whoever committed the copy."""
        from mentorkit.git.merging import merge

        assert step.picked is not None
        was, original = step.picked
        key = f"pick:{was}:{original}:{before}:{new}"
        if key not in self.pairs:
            base = self.raw(was) if was else {}
            merged = merge(base, self.raw(before), self.raw(original))
            applied = _first_side(merged.raw) if merged.conflicts else merged.raw
            theirs = _theirs_added(merged.conflicts)
            beyond = compare(applied, self.raw(new))
            parts = [
                [*compare(self.raw(before), applied), *(c for c in beyond if theirs(c))],
                [c for c in beyond if not theirs(c)],
            ]
            self.pairs[key] = [[list(c) for c in part] for part in parts]
        picked, resolved = ([Change(*c) for c in part] for part in self.pairs[key])
        commit = step.commit
        name, email, when = commit.committer or (commit.author, commit.email, commit.when)
        resolver = replace(commit, author=name, email=email, when=when, reason="")
        return [*((commit, c) for c in picked), *((resolver, c) for c in resolved)]

    def _repaired(
        self, good: str, stretch: list[str], new: str
    ) -> tuple[list[tuple[str, list[Change]]], list[Change]]:
        """A repair's changes since the last good version, split between the people who
        broke the file (see `_broken_parts`) and the person who repaired it (the rest)."""
        key = f"repair:{good}:{':'.join(stretch)}:{new}"
        if key not in self.pairs:
            split, held = self._broken_parts(good, stretch, new)
            split.append(compare(held, self.raw(new)))
            self.pairs[key] = [[list(c) for c in part] for part in split]
        parts: list[list[Change]] = [[Change(*c) for c in part] for part in self.pairs[key]]
        return list(zip(stretch, parts[:-1], strict=True)), parts[-1]

    def _broken_parts(
        self, good: str, stretch: list[str], new: str
    ) -> tuple[list[list[Change]], Any]:
        """What each unreadable version of a stretch held, line by line, that the one
        before it did not and the repair `new` kept; and the good version with all of those
        (what the stretch's authors made of it)."""
        self.computed = True
        base_text = self.data(good).decode("utf-8", "replace")
        repaired = self.data(new).decode("utf-8", "replace")
        base = self.raw(good)
        split: list[list[Change]] = []
        for broken in stretch:
            text = _breakers_part(base_text, self.data(broken).decode("utf-8", "replace"), repaired)
            between = Versions().parse(text.encode("utf-8"))
            if between is None:
                split.append([])
                continue
            split.append(compare(base, between))
            base_text, base = text, between
        return split, base

    def _merge_repaired(
        self, step: _Step, before: list[str | None], new: str
    ) -> list[tuple[git.FileCommit, Change]]:
        """A merge that repairs an unreadable parent: what each broken version held stays
        with its author; the merge is compared with its parents as their authors made them."""
        stretches = [
            [b for b in self.stretch.get(p, []) if b in self.made]
            if p and g and p != g and not self.is_readable(p)
            else []
            for p, g in zip(step.parents, before, strict=True)
        ]
        key = f"merge-repair:{':'.join(str(b) for b in before)}:{stretches}:{new}"
        if key not in self.pairs:
            parts: list[list[Change]] = []
            sides: list[Any] = []
            for good, stretch in zip(before, stretches, strict=True):
                if good and stretch:
                    split, held = self._broken_parts(good, stretch, new)
                    parts += split
                    sides.append(held)
                else:
                    sides.append(self.raw(good) if good else None)

            parts.append(self._merged(step, before, new, sides))
            self.pairs[key] = [[list(c) for c in part] for part in parts]
        told: list[list[Change]] = [[Change(*c) for c in part] for part in self.pairs[key]]
        breakers = [b for stretch in stretches for b in stretch]
        return [
            *((self.made[b], c) for b, part in zip(breakers, told, strict=False) for c in part),
            (step.commit, _REPAIRED),
            *((step.commit, c) for c in told[-1]),
        ]

    def _merged(
        self, step: _Step, before: list[str | None], new: str, sides: list[Any] | None = None
    ) -> list[Change]:
        """What a merge changed beyond its parents: its result against the item-by-item
        merge of the parents, each conflict taken as the first parent had it (so a hand
        resolution, and anything else changed while merging, is told)."""
        key = f"merge:{':'.join(str(b) for b in before)}:{new}"
        if sides is None and key in self.pairs:
            return [Change(*c) for c in self.pairs[key]]
        from mentorkit.git.merging import merge

        found: list[Change] | None = None
        parents = [b for b in before if b]
        if len(before) == 2 and len(parents) == 2:
            base = self._base(step.commit.parents, step.commit.path)
            two = sides or [self.raw(b) for b in parents]
            if base is not None and all(s is not None for s in two):
                merged = merge(base, two[0], two[1])
                resolved = _first_side(merged.raw) if merged.conflicts else merged.raw
                theirs = _theirs_added(merged.conflicts)
                found = [c for c in compare(resolved, self.raw(new)) if not theirs(c)]
        if found is None:
            given = sides or [self.raw(b) if b else None for b in before]
            each = [compare(side, self.raw(new)) if side is not None else [] for side in given]
            common = set.intersection(*({(c.kind, c.item) for c in changes} for changes in each))
            found = [c for c in each[0] if (c.kind, c.item) in common]
        if sides is None:
            self.pairs[key] = [list(c) for c in found]
        return found

    def _joined_starts(self, step: _Step, new: str) -> list[tuple[git.FileCommit, Change]]:
        """A merge that joins a file started on its own (both people ran `init`) to the
        first start: what that start held beyond the first one and the merge kept (the
        other person's agreement, the file's ID) is told once, as its author's."""
        if len(self.roots) < 2 or len(step.commit.parents) < 2:
            return []
        first_commit, first = self.roots[0]
        parents = step.commit.parents
        if not any(_is_ancestor(self.work_tree, first_commit, p) for p in parents):
            return []
        found: list[tuple[git.FileCommit, Change]] = []
        for root_commit, root in self.roots[1:]:
            joined = any(
                _is_ancestor(self.work_tree, root_commit, p)
                and not _is_ancestor(self.work_tree, first_commit, p)
                for p in parents
            )
            if root_commit in self.joined or not joined or root not in self.made:
                continue
            self.joined.add(root_commit)
            held = {_identity(c, "") for c in self.compared(first, root)}
            kept = [c for c in self.compared(first, new) if _identity(c, "") in held]
            found += [(self.made[root], c) for c in kept]
        return found

    def _base(self, commits: list[str], path: str, depth: int = 0) -> Any:
        """The version a merge of `commits` starts from: their merge base, or where there
        are several (a criss-cross merge), those merged in turn, as git merges them."""
        from mentorkit.git.merging import merge

        found = git.run(["merge-base", "--all", *commits], self.work_tree)
        bases = found.stdout.split() if found.returncode == 0 else []
        versions = [self._at(commit, path) for commit in bases]
        if not bases or any(v is None for v in versions):
            return {} if not bases else None
        virtual = versions[0]
        for commit, version in zip(bases[1:], versions[1:], strict=True):
            under = self._base([bases[0], commit], path, depth + 1) if depth < 3 else {}
            if under is None:
                return None
            merged = merge(under, virtual, version)
            virtual = _first_side(merged.raw) if merged.conflicts else merged.raw
        return virtual

    def _at(self, commit: str, path: str) -> Any:
        """The file at a commit, read whole ({} where it is not there)."""
        names = dict.fromkeys(n for n in (self.relative, path) if n)
        blob = next((b for n in names for b in [git.blob_at(self.work_tree, commit, n)] if b), None)
        return self.raw(blob) if blob else {}


def _identity(change: Change, reason: str) -> tuple[Any, ...]:
    """What makes two changes the same change, whatever the sentence's wording: a field's
    path and values before and after; otherwise the sentence with the item's current
    title left out (an item retitled on one path is still the same item)."""
    if change.field is not None:
        values = json.dumps([change.was, change.now], sort_keys=True, default=str)
        return change.kind, change.item, change.field, values, reason
    text = change.text
    title = text.find(f'{change.item} "') if change.item else -1
    if title >= 0:
        opened = title + len(change.item or "") + 2
        closed = text.find('"', opened)
        text = text[:opened] + text[closed:] if closed >= 0 else text
    return change.kind, change.item, text, reason


def _copied(
    work_tree: Path, earlier: git.FileCommit, commit: git.FileCommit, apart: dict[str, bool]
) -> bool:
    """Whether `commit` tells a change `earlier` told too as a copy of it (a cherry-pick,
    a rebased commit, whoever made the copy): by the same person or under the same commit
    message, and neither in the other's past; or on a history that shares no commit with
    `earlier`'s (both people started the file on their own, then merged: `apart` keeps
    what was found). The same act repeated one after the other (done, reopened, done
    again) is not a copy."""
    alike = earlier.email.lower() == commit.email.lower() or (
        earlier.subject == commit.subject and bool(commit.subject)
    )
    if alike:
        return not _is_ancestor(work_tree, earlier.commit, commit.commit)
    key = f"{earlier.commit}:{commit.commit}"
    if key not in apart:
        found = git.run(["merge-base", earlier.commit, commit.commit], work_tree)
        apart[key] = found.returncode == 1 and not found.stdout.strip()
    return apart[key]


def _is_ancestor(work_tree: Path, older: str, newer: str) -> bool:
    """Whether `older` is in `newer`'s past (then a repeated sentence is a repeated act)."""
    return git.run(["merge-base", "--is-ancestor", older, newer], work_tree).returncode == 0


def timeline(path: Path, people: Mapping[str, str]) -> list[Event]:
    """Every change to the file in its git history, in the order the commits were made
    (parents first, then by commit date; each shows its author date).
    `people` maps lower-case emails to roles, to say who (mentor or mentee) made each;
    an email the file held for a person earlier (its change is in the history) counts too.
    A change that reached the history twice (a cherry-pick later merged, a rebased commit
    beside its original, whatever their dates or whoever copied it) is told once: the same
    sentence by the same author, or under the same commit message, on two paths, neither
    in the other's past. The same act repeated one after the
    other (done, reopened, done again) is told each time."""
    events = _told(path, people)
    former = _emails_held(events, people)
    if not former:
        return events
    return [
        e if e.role or e.email.lower() not in former else replace(e, role=former[e.email.lower()])
        for e in events
    ]


def _emails_held(events: list[Event], people: Mapping[str, str]) -> dict[str, str]:
    """Every email the file has held for each person (as its history tells) that is not
    one of theirs now: a person's commits under an earlier email keep their role."""
    held: dict[str, str] = {}
    for e in events:
        role = (e.field or "").removesuffix(".email")
        if e.kind != "people.changed" or e.field != f"{role}.email" or role not in ROLES:
            continue
        for email in (e.was, e.now):
            key = email.strip().lower() if isinstance(email, str) else ""
            if key and key not in people:
                held.setdefault(key, role)
    return held


def _told(path: Path, people: Mapping[str, str]) -> list[Event]:
    found = git.where(path.parent)
    if found is None:
        return []
    work_tree, git_directory, head = found
    relative = os.path.relpath(path.resolve(), work_tree)
    cache_file = git_directory / "mentorkit" / f"history-v{_CACHE_VERSION}.json"
    told_file = cache_file.with_name(f"told-v{_CACHE_VERSION}.json")
    shallow = git.shallow_commits(cache_file.parent.parent)
    told_key = f"{head}:{relative}:{','.join(sorted(shallow))}"
    saved = _load_cache(told_file)
    if head and saved.get("key") == told_key and isinstance(saved.get("events"), list):
        with contextlib.suppress(TypeError, ValueError, AttributeError):  # damaged: tell afresh
            return [
                Event(
                    datetime.fromisoformat(when),
                    author,
                    people.get(email.lower()),
                    commit,
                    kind,
                    item,
                    text,
                    email,
                    field,
                    was,
                    now,
                )
                for when, author, email, commit, kind, item, text, field, was, now in saved[
                    "events"
                ]
            ]
    events = _timeline(work_tree, relative, people, cache_file, shallow)
    if head:
        rows = [[e.when.isoformat(), e.who, e.email, e.commit, e.kind, e.item, e.text,
                 e.field, e.was, e.now] for e in events]  # fmt: skip
        _save_cache(told_file, {"key": told_key, "events": rows})
    return events


def _timeline(
    work_tree: Path,
    relative: str,
    people: Mapping[str, str],
    cache_file: Path,
    shallow: frozenset[str],
) -> list[Event]:
    """The events, from the cache of what each pair of versions changed where it holds
    them; a cache that cannot be read (damaged, or written otherwise) is set aside and
    everything is told afresh from git."""
    steps = _steps(work_tree, relative, shallow)
    cache = _load_cache(cache_file)
    if cache:
        try:
            return _told_from(work_tree, relative, people, steps, cache, cache_file)
        except (TypeError, ValueError, KeyError, AttributeError, IndexError):
            cache = {}
    return _told_from(work_tree, relative, people, steps, cache, cache_file)


def _told_from(
    work_tree: Path,
    relative: str,
    people: Mapping[str, str],
    steps: list[_Step],
    cache: dict[str, Any],
    cache_file: Path,
) -> list[Event]:
    size = len(cache.get("pairs", {}))
    story = _Story(work_tree, relative, cache)
    story.load(steps)
    events: list[Event] = []
    told: dict[tuple[Any, ...], list[git.FileCommit]] = {}
    apart: dict[str, bool] = {}  # pairs of commits with no history in common
    for step in steps:
        for c, change in story.changes(step):
            role = people.get(c.email.lower())
            kind, item, text = change.kind, change.item, with_reason(change.text, c.reason)
            earlier = told.setdefault(_identity(change, c.reason), [])
            if change != _SHALLOW and any(_copied(work_tree, e, c, apart) for e in earlier):
                continue  # the same change on another path to HEAD
            earlier.append(c)
            values = (change.field, change.was, change.now)
            events.append(
                Event(c.when, c.author, role, c.commit, kind, item, text, c.email, *values)
            )
    if story.computed or len(story.pairs) != size:
        _save_cache(cache_file, cache)
    return events


def select(
    events: Iterable[Event],
    *,
    since: date | None = None,
    until: date | None = None,
    item: str | None = None,
    who: str | None = None,
    zone: tzinfo | None = None,
) -> list[Event]:
    """The events that match every filter; dates are days in `zone` (None: the machine's)."""
    return [
        e
        for e in events
        if (since is None or e.when.astimezone(zone).date() >= since)
        and (until is None or e.when.astimezone(zone).date() <= until)
        and (item is None or (e.item or "").startswith(item.lower()))
        and (who is None or e.role == who)
    ]


def revision_before(path: Path, moment: datetime) -> str | None:
    """The last commit of the file made before `moment` (an instant, whatever the
    machine's zone)."""
    work_tree = git.toplevel(path.parent)
    if work_tree is None:
        from mentorkit.errors import GitProblem

        raise GitProblem(f"{path.name} is not in a git repository")
    relative = os.path.relpath(path.resolve(), work_tree)
    from datetime import UTC, timedelta

    just_before = (moment - timedelta(seconds=1)).astimezone(UTC).isoformat()
    return git.last_commit_before(work_tree, relative, just_before)


def changes_between(path: Path, old_rev: str, new_rev: str | None) -> list[Change]:
    """What changed between two revisions (None: the file as it is now). A version that
    is there but cannot be read is an InvalidFile error, not a file emptied."""
    from mentorkit.errors import GitProblem, InvalidFile

    work_tree = git.toplevel(path.parent)
    if work_tree is None:
        raise GitProblem(f"{path.name} is not in a git repository")
    relative = os.path.relpath(path.resolve(), work_tree)

    def version(rev: str | None) -> Any:
        if rev is None:
            from mentorkit.file.storage import read_text

            data: bytes | None = read_text(path).encode("utf-8")
        else:
            git.resolve(work_tree, rev)
            blob = git.blob_at(work_tree, rev, relative)
            data = git.read_blobs(work_tree, [blob], MAX_BYTES)[blob] if blob else None
        if data is None:
            return {}
        raw = parse_version(data)
        if raw is None:
            where = "as it is" if rev is None else f"at {rev}"
            raise InvalidFile(
                f"{relative} {where} cannot be read (see `mentorkit history` for who left "
                "it so); compare two readable versions"
            )
        return raw

    old = version(old_rev)
    return compare(old or {}, version(new_rev) or {})


def committed_text(path: Path) -> str | None:
    """The file as last committed (None outside git or before its first commit)."""
    work_tree = git.toplevel(path.parent)
    if work_tree is None:
        return None
    relative = os.path.relpath(path.resolve(), work_tree)
    blob = git.blob_at(work_tree, "HEAD", relative)
    if blob is None:
        return None
    return git.read_blobs(work_tree, [blob])[blob].decode("utf-8", errors="replace")


def committed_texts(path: Path, limit: int = 50) -> Iterator[str]:
    """The file as committed, the last commit first, then each earlier version of it on
    the way back (at most `limit`): where the last is unreadable, an earlier one is not."""
    work_tree = git.toplevel(path.parent)
    if work_tree is None:
        return
    relative = os.path.relpath(path.resolve(), work_tree)
    found = git.run(["log", "--format=%H", f"--max-count={limit}", "HEAD", "--", relative],
                    work_tree)  # fmt: skip
    for commit in found.stdout.split() if found.returncode == 0 else []:
        blob = git.blob_at(work_tree, commit, relative)
        if blob is not None:
            yield git.read_blobs(work_tree, [blob])[blob].decode("utf-8", errors="replace")


def flatten(raw: Any, prefix: str = "") -> list[str]:
    """One line per field, each naming the item it belongs to: for `git log -p` (textconv)."""
    lines: list[str] = []
    if isinstance(raw, dict):
        for key, value in raw.items():
            lines += flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(raw, list):
        if not raw:
            lines.append(f"{prefix}: []")
        for i, value in enumerate(raw):
            label = (
                value.get("id")
                if isinstance(value, dict) and isinstance(value.get("id"), str)
                else i
            )
            lines += flatten(value, f"{prefix}[{label}]")
    else:
        text = raw.isoformat() if isinstance(raw, date) else raw
        lines.append(f"{prefix}: {json.dumps(text, ensure_ascii=False, default=str)}")
    return lines


def due_changes(events: Iterable[Event]) -> dict[str, list[DueChange]]:
    """The due dates' changes the history tells (commands and hand edits alike), by
    action id, oldest first: what `stats` and `report` count as moves. Read from each
    move's dates before and after, never from its sentence (which holds titles and
    reasons anyone can write)."""
    from mentorkit.domain.stats import DueChange  # history alone does not need stats

    found: dict[str, list[DueChange]] = {}
    for e in events:
        if e.kind != "action.moved" or not e.item or e.field != "due":
            continue
        was, now = _day(e.was), _day(e.now)
        if was is not None and now is not None and was != now:
            role = e.role if e.role in ROLES else None
            found.setdefault(e.item, []).append(DueChange(was, now, role, e.when.date()))
    return found


def _day(value: Any) -> date | None:
    """A date as JSON holds it (ISO 8601), or None where it is not one."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
