"""YAML text <-> plain data. Strict and safe: no aliases, no tags beyond YAML's plain
types, no duplicate keys; every value's line is remembered for error messages."""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from typing import TYPE_CHECKING, Any

import yaml

from mentorkit.errors import InvalidFile
from mentorkit.file.fileformat import Verbatim

# The C parser and emitter ship in the PyYAML wheel; they are several times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
if TYPE_CHECKING:  # the C dumper has the same interface as the Python one, which has types
    _BaseDumper = yaml.SafeDumper
else:
    _BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP, _MAP, _SEQ = (
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
_CONFLICT = re.compile(r"^(<<<<<<<|=======|>>>>>>>|\|\|\|\|\|\|\|)( |$)", re.MULTILINE)

Path = tuple[str | int, ...]

_MAX_DIGITS = 40
# Plain scalars that YAML 1.1 (PyYAML) reads otherwise than YAML 1.2 and people expect:
# 0755 (octal), 0b101, 0x3C (hexadecimal), 1:30 (base 60), 1_000, and yes/no/on/off as
# booleans.
_YAML11_INT = re.compile(
    r"[-+]?(0[0-7_]+|0b[01_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*(:[0-5]?[0-9])+|[0-9]+_[0-9_]*)"
)
_YAML12_BOOL = frozenset({"true", "false", "True", "False", "TRUE", "FALSE"})
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what YAML counts as a new line


@dataclasses.dataclass
class Parsed:
    """Raw data with the line of every value (1-based), keyed by raw path."""

    raw: Any
    lines: dict[Path, int]


def parse_text(text: str, source: str, *, lines: bool = True) -> Parsed:
    """Parse YAML text strictly into plain data, remembering where each value stood."""
    conflict_lines = [text.count("\n", 0, m.start()) + 1 for m in _CONFLICT.finditer(text)]
    if conflict_lines:
        where = ", ".join(str(n) for n in conflict_lines[:6])
        raise InvalidFile(
            f"{source} still has merge-conflict markers (line {where}); "
            "resolve the conflict and remove the markers first"
        )
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        raise InvalidFile(_syntax_message(err, source, text)) from err
    except yaml.YAMLError as err:
        raise InvalidFile(f"{source} is not valid YAML: {err}") from err
    if node is None:
        raise InvalidFile(f"{source} is empty; run `mentorkit init` to start a mentorship file")
    builder = _Builder(source, lines)
    raw = builder.build(node, ())
    return Parsed(raw, builder.lines)


def _syntax_message(err: yaml.MarkedYAMLError, source: str, text: str) -> str:
    mark = err.problem_mark or err.context_mark
    where = f"{source}, line {mark.line + 1}, column {mark.column + 1}" if mark else source
    problem = err.problem or "syntax error"
    lines = text.splitlines()
    if mark and mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
        problem = "a tab character where YAML needs spaces for indentation"
    return f"{where}: the YAML cannot be read: {problem}"


class _Builder:
    """Plain data from composed nodes. With `lines`, the line of every value is kept too
    (only needed to explain a problem, so the first read goes without)."""

    def __init__(self, source: str, lines: bool) -> None:
        self.source = source
        self.track = lines
        self.lines: dict[Path, int] = {}
        self.seen: set[int] = set()
        self.constructor = yaml.constructor.SafeConstructor()

    def fail(self, node: yaml.Node, message: str) -> InvalidFile:
        return InvalidFile(f"{self.source}, line {node.start_mark.line + 1}: {message}")

    def build(self, node: yaml.Node, path: Path) -> Any:
        # The composer hands back the very same node object for every alias of an anchor.
        seen = self.seen
        if id(node) in seen:
            raise self.fail(node, "YAML aliases (*name) are not allowed; write the value out")
        seen.add(id(node))
        track = self.track
        if track:
            self.lines[path] = node.start_mark.line + 1
        kind = type(node)
        if isinstance(node, yaml.ScalarNode):
            return node.value if node.tag == _STR else self.scalar(node)
        if kind is yaml.MappingNode:
            if node.tag != _MAP:
                raise self.fail(node, f"the tag {node.tag} is not allowed")
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if type(key_node) is not yaml.ScalarNode:
                    raise self.fail(key_node, "a key must be plain text")
                if key_node.tag == _STR:
                    key = key_node.value
                else:
                    if key_node.tag == "tag:yaml.org,2002:merge":
                        raise self.fail(key_node, "YAML merge keys (<<) are not allowed")
                    key = self.scalar(key_node)
                    if not isinstance(key, str):  # `1:`, `~:`: kept as typed when written
                        key = Verbatim(key_node.value, key_node.tag)
                if key in result:
                    raise self.fail(key_node, f"the key '{key}' appears twice in the same place")
                if track:
                    child = (*path, key)
                    result[key] = self.build(value_node, child)
                    self.lines[child] = key_node.start_mark.line + 1
                else:
                    result[key] = self.build(value_node, path)
            return result
        if kind is yaml.SequenceNode:
            if node.tag != _SEQ:
                raise self.fail(node, f"the tag {node.tag} is not allowed")
            if track:
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            return [self.build(item, path) for item in node.value]
        raise self.fail(node, "this kind of YAML node is not allowed")

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        c = self.constructor
        if tag == _STR:
            return node.value
        if tag == _INT:
            if len(node.value) > _MAX_DIGITS:
                raise self.fail(
                    node, f"a number of {len(node.value)} digits is longer than mentorkit keeps"
                )
            if _YAML11_INT.fullmatch(node.value):
                return Verbatim(node.value, tag)
            return c.construct_yaml_int(node)
        if tag == _FLOAT:
            if len(node.value) > _MAX_DIGITS:
                raise self.fail(
                    node, f"a number of {len(node.value)} digits is longer than mentorkit keeps"
                )
            if ":" in node.value or "_" in node.value:
                return Verbatim(node.value, tag)
            return c.construct_yaml_float(node)
        if tag == _BOOL:
            if node.value not in _YAML12_BOOL:
                return Verbatim(node.value, tag)
            return c.construct_yaml_bool(node)
        if tag == _NULL:
            return None
        if tag == _TIMESTAMP:
            try:
                return c.construct_yaml_timestamp(node)
            except ValueError:
                return node.value
        raise self.fail(node, f"the tag {tag} is not allowed (mentorkit reads plain YAML only)")


def find_comment_lines(text: str) -> list[int]:
    """Lines (1-based) holding a YAML comment, which a rewrite by PyYAML would drop."""
    return [line for line, _ in find_comments(text)]


def find_comments(text: str) -> list[tuple[int, str]]:
    """Each YAML comment: its line (1-based) and its text from the `#` on."""
    if "#" not in text:
        return []
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for token in yaml.scan(text, Loader=_Loader):
        if isinstance(token, yaml.ScalarToken):
            start, end = token.start_mark, token.end_mark
            spans.append(((start.line, start.column), (end.line, end.column)))
    starts = [span[0] for span in spans]
    found: list[tuple[int, str]] = []
    for number, line in enumerate(_YAML_BREAK.split(text)):
        column = line.find("#")
        while column != -1:
            if column == 0 or line[column - 1] in " \t":
                i = bisect_right(starts, (number, column)) - 1
                if i < 0 or spans[i][1] <= (number, column):
                    found.append((number + 1, line[column:].rstrip()))
                    break
            column = line.find("#", column + 1)
    return found


class _Dumper(_BaseDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


# Text that YAML 1.1 would read as a number in base 60 only where it starts with 1-9 (so
# PyYAML quotes 10:00 but not 09:15): quoted all the same, as every time is.
_CLOCK_LIKE = re.compile(r"[0-9][0-9_]*(:[0-5]?[0-9])+")


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    if "\n" in text:
        return dumper.represent_scalar(_STR, text, style="|")
    if _CLOCK_LIKE.fullmatch(text):
        return dumper.represent_scalar(_STR, text, style="'")
    return dumper.represent_scalar(_STR, text)


def _represent_verbatim(dumper: yaml.SafeDumper, text: Verbatim) -> yaml.ScalarNode:
    return dumper.represent_scalar(text.tag, str(text))


class _PythonDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


for _dumper in (_Dumper, _PythonDumper):
    _dumper.add_representer(str, _represent_str)
    _dumper.add_representer(Verbatim, _represent_verbatim)


def dump_raw(raw: dict[str, Any] | list[Any]) -> str:
    options: dict[str, Any] = {
        "sort_keys": False,
        "allow_unicode": True,
        "default_flow_style": False,
        "width": 2**30,
        "indent": 2,
    }
    text = yaml.dump(raw, Dumper=_Dumper, **options)
    if "\\U" in text and not any(escape in text for escape in ("\\N", "\\L", "\\P")):
        # libyaml escapes characters beyond the BMP (emoji) as \U0001F389; PyYAML's own
        # emitter, slower, writes them as themselves. Not when the text holds the line
        # breaks NEL, LS or PS, which PyYAML's emitter folds so that they do not read back.
        text = yaml.dump(raw, Dumper=_PythonDumper, **options)
    return str(text)


# --------------------------------------------------------------------------- keeping the text
# A command changes some values; the rest of a file written or edited by hand stays as it
# was typed, byte for byte: its quoting, escapes, flow lists, key order, unknown keys such
# as `1:` or `~:`, blank lines and comments. Only the lines of what changed are written anew,
# in mentorkit's own style.


class _Unpatchable(Exception):
    """This part of the text cannot take the change in place; its parent is rewritten."""


_MISSING: Any = object()
_ODD_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")


def same(a: Any, b: Any) -> bool:
    """Equal values of equal types (1, 1.0 and True are three different things in a file)."""
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if type(a) is list:
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Verbatim):
        return bool(a == b and a.tag == b.tag)
    return bool(a == b)


@dataclasses.dataclass
class _Run:
    """Whole entries of the old text that a change touched, [start, end) in it: root pairs
    `first`..`last` (`key` None), or items `first`..`last` of the list under root key `key`."""

    key: str | None
    first: int
    last: int
    start: int
    end: int


@dataclasses.dataclass
class Patched:
    """A text changed in place, and the runs of whole entries written anew, each with
    where it stands in the new text."""

    text: str
    runs: list[tuple[_Run, int, int]]


def patch_text(text: str, before: dict[str, Any], after: dict[str, Any]) -> Patched | None:
    """`text`, which reads as `before`, changed so that it reads as `after`, touching only
    the lines of what changed. None where the text cannot take the change in place (the
    caller then writes the whole file in mentorkit's style)."""
    if _ODD_BREAK.search(text):
        return None
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    if type(root) is not yaml.MappingNode or root.flow_style or not root.value:
        return None
    patcher = _Patcher(text, root)
    try:
        patcher.mapping(root, before, after)
        return patcher.result()
    except _Unpatchable:
        return None


def read_back(patched: Patched, old: dict[str, Any], source: str) -> dict[str, Any] | None:
    """What the patched text reads as, parsing only the entries written anew; the others
    read as in `old`, the old text's raw data. In YAML's block structure, a run of whole
    entries at one indentation reads alone as it does in the file. None if a run does not
    read as such entries."""
    pairs = list(old.items())  # in the order of the text, as a full read gives them
    lists: dict[str, list[Any]] = {}
    for run, start, end in reversed(patched.runs):  # back to front: earlier counts hold
        piece = patched.text[start:end]
        try:
            value = parse_text(piece, source, lines=False).raw if piece.strip() else {}
        except InvalidFile:
            return None
        if run.key is None:
            if type(value) is not dict:
                return None
            kept = pairs[: run.first] + pairs[run.last + 1 :]
            if any(k in value for k, _ in kept):
                return None  # a key twice in the file
            pairs[run.first : run.last + 1] = list(value.items())
        else:
            if type(value) is not list or type(old.get(run.key)) is not list:
                return None
            items = lists.setdefault(run.key, list(old[run.key]))
            items[run.first : run.last + 1] = value
    raw = dict(pairs)
    for key, items in lists.items():
        if key not in raw:
            return None
        raw[key] = items
    return raw


class _Patcher:
    def __init__(self, text: str, root: yaml.MappingNode) -> None:
        self.text = text
        self.root = root
        self.newline = "\r\n" if "\r\n" in text else "\n"
        # (start, end, replacement, made in the root mapping itself)
        self.edits: list[tuple[int, int, str, bool]] = []

    def edit(self, start: int, end: int, replacement: str, node: yaml.Node) -> None:
        self.edits.append((start, end, replacement, node is self.root))

    def result(self) -> Patched:
        edits = sorted(self.edits, key=lambda e: (e[0], e[1]))
        runs = self.runs(edits)
        text = self.text
        out: list[str] = []
        placed: list[tuple[_Run, int, int]] = []
        position = 0  # in the old text
        shift = 0  # new position - old position, from `position` on
        pending = iter(edits)
        edit = next(pending, None)
        for run in runs:
            run_start = run.start + shift
            while edit is not None and (edit[0] < run.end or edit[0] == edit[1] == run.end):
                start, end, replacement, _ = edit
                if start < position or start < run.start or end > run.end:
                    raise _Unpatchable
                out.append(text[position:start])
                out.append(replacement)
                shift += len(replacement) - (end - start)
                position = end
                edit = next(pending, None)
            placed.append((run, run_start, run.end + shift))
        if edit is not None:
            raise _Unpatchable
        out.append(text[position:])
        return Patched("".join(out), placed)

    def runs(self, edits: list[tuple[int, int, str, bool]]) -> list[_Run]:
        """The smallest runs of whole entries that hold every edit: items of a root list
        where an edit is inside its items, else root pairs."""
        pairs = self.root.value
        bounds = [self.line_start(key.start_mark.index) for key, _ in pairs]
        bounds.append(len(self.text))
        items: dict[int, list[int] | None] = {}
        found: list[_Run] = []
        for start, end, _, at_root in edits:
            first, last = _entries(bounds, start, end)
            run = None
            if first == last and not at_root:
                run = self.item_run(first, start, end, items)
            found.append(run or _Run(None, first, last, bounds[first], bounds[last + 1]))
        merged: list[_Run] = []
        for run in sorted(found, key=lambda r: (r.start, r.end)):
            last_run = merged[-1] if merged else None
            if last_run is None or run.start >= last_run.end:
                merged.append(run)
                continue
            if run.key is not None and run.key == last_run.key:
                last_run.last = max(last_run.last, run.last)
                last_run.end = max(last_run.end, run.end)
                continue
            # A root pair and items of a list within it: the whole pair.
            firsts = [self.root_index(r) for r in (last_run, run)]
            lasts = [r.last if r.key is None else self.root_index(r) for r in (last_run, run)]
            first, last = min(firsts), max(lasts)
            merged[-1] = _Run(None, first, last, bounds[first], bounds[last + 1])
        return merged

    def root_index(self, run: _Run) -> int:
        if run.key is None:
            return run.first
        return next(i for i, (key, _) in enumerate(self.root.value) if key.value == run.key)

    def item_run(
        self, index: int, start: int, end: int, cache: dict[int, list[int] | None]
    ) -> _Run | None:
        """The items of the list under root pair `index` that hold [start, end), if any."""
        key_node, value = self.root.value[index]
        if index not in cache:
            cache[index] = None
            if type(value) is yaml.SequenceNode and not value.flow_style and value.value:
                try:
                    dashes = [self.line_start(self.dash(item)) for item in value.value]
                    cache[index] = [*dashes, self.after_line(self.end(value))]
                except _Unpatchable:
                    pass
        bounds = cache[index]
        if bounds is None or start < bounds[0] or end > bounds[-1]:
            return None
        first, last = _entries(bounds, start, end)
        if last >= len(bounds) - 1:
            return None
        return _Run(key_node.value, first, last, bounds[first], bounds[last + 1])

    # Where things are ------------------------------------------------------------------
    def end(self, node: yaml.Node) -> int:
        """Just after the last character of the node's own text."""
        if type(node) is yaml.ScalarNode:
            end = node.end_mark.index
            if node.style in ("|", ">"):  # a block scalar ends with its line breaks
                while end > node.start_mark.index and self.text[end - 1] in " \r\n":
                    end -= 1
            return int(end)
        if not isinstance(node, yaml.CollectionNode) or node.flow_style or not node.value:
            return int(node.end_mark.index)
        last = node.value[-1]
        return self.end(last[1] if type(node) is yaml.MappingNode else last)

    def line_start(self, index: int) -> int:
        """The start of the line, if only blanks stand before `index` on it."""
        start = self.text.rfind("\n", 0, index) + 1
        if self.text[start:index].strip(" "):
            raise _Unpatchable
        return start

    def after_line(self, index: int) -> int:
        found = self.text.find("\n", index)
        return len(self.text) if found == -1 else found + 1

    def dash(self, item: yaml.Node) -> int:
        index = item.start_mark.index
        while index > 0 and self.text[index - 1] in " \r\n":
            index -= 1
        if index == 0 or self.text[index - 1] != "-":
            raise _Unpatchable
        return int(index - 1)

    # What is written -------------------------------------------------------------------
    def written(self, data: Any, prefix: str, indent: int) -> str:
        """`data` dumped, with `prefix` ("k" or "- ") cut from its start and every later
        line indented by `indent`."""
        text = dump_raw(data).removesuffix("\n")
        if not text.startswith(prefix):
            raise _Unpatchable
        lines = text[len(prefix) :].split("\n")
        pad = " " * indent
        lines[1:] = [pad + line if line else line for line in lines[1:]]
        return self.newline.join(lines)

    def block_lines(self, data: Any, indent: int) -> str:
        """Whole lines at `indent`, ending with a line break."""
        lines = dump_raw(data).removesuffix("\n").split("\n")
        pad = " " * indent
        return "".join(pad + line + self.newline if line else self.newline for line in lines)

    def insert(self, index: int, text: str, node: yaml.Node) -> None:
        if index == len(self.text) and not self.text.endswith("\n"):
            text = self.newline + text
        self.edit(index, index, text, node)

    # The walk --------------------------------------------------------------------------
    def child(self, node: yaml.Node, before: Any, after: Any) -> None:
        """Change a value in place where it is a block collection of the same kind; if it
        cannot be, nothing of it is changed and the caller rewrites it whole."""
        kept = len(self.edits)
        try:
            self.collection(node, before, after)
        except _Unpatchable:
            del self.edits[kept:]
            raise

    def collection(self, node: yaml.Node, before: Any, after: Any) -> None:
        if isinstance(node, yaml.MappingNode) and node.flow_style is False and type(before) is dict:
            if type(after) is not dict:
                raise _Unpatchable
            self.mapping(node, before, after)
        elif (
            isinstance(node, yaml.SequenceNode)
            and node.flow_style is False
            and type(before) is list
        ):
            # A block list cannot be empty, and its items must be those of `before`.
            if type(after) is not list or not after or len(node.value) != len(before):
                raise _Unpatchable
            self.sequence(node, before, after)
        else:
            raise _Unpatchable

    def mapping(
        self, node: yaml.MappingNode, before: dict[str, Any], after: dict[str, Any]
    ) -> None:
        pairs: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode:
                raise _Unpatchable
            pairs[key_node.value] = (key_node, value_node)
        if not pairs:
            raise _Unpatchable
        if node is self.root and "format" in after:
            # A file of an older format is migrated: written whole in the current one.
            typed = pairs.get("format")
            if typed is None or typed[1].value != str(after["format"]):
                raise _Unpatchable
        indent = node.value[0][0].start_mark.column
        order = list(after)
        for key in dict.fromkeys([*before, *after]):
            old, new = before.get(key, _MISSING), after.get(key, _MISSING)
            if old is not _MISSING and new is not _MISSING and same(old, new):
                continue
            pair = pairs.get(key)
            if new is _MISSING:
                if pair is not None:
                    key_node, value_node = pair
                    if len(pairs) == 1:
                        raise _Unpatchable
                    start = self.line_start(key_node.start_mark.index)
                    self.edit(start, self.after_line(self.end(value_node)), "", node)
                continue
            if pair is None:
                self.insert_pair(node, pairs, order, key, new, indent)
                continue
            key_node, value_node = pair
            try:
                self.child(value_node, old, new)
            except _Unpatchable:
                value = self.written({"k": new}, "k", key_node.start_mark.column)
                end = self.end(value_node)
                rest = self.text[end : self.after_line(end)].rstrip("\r\n")
                if self.newline in value and rest.strip().startswith("#"):
                    # `key: []  # none yet` grown to many lines: the comment stays on its line
                    first, more = value.split(self.newline, 1)
                    value = first + rest + self.newline + more
                    end += len(rest)
                self.edit(key_node.end_mark.index, end, value, node)

    def insert_pair(
        self,
        node: yaml.MappingNode,
        pairs: dict[str, tuple[yaml.Node, yaml.Node]],
        order: list[str],
        key: str,
        value: Any,
        indent: int,
    ) -> None:
        lines = self.block_lines({key: value}, indent)
        for earlier in reversed(order[: order.index(key)]):
            if earlier in pairs:
                self.insert(self.after_line(self.end(pairs[earlier][1])), lines, node)
                return
        first_key = node.value[0][0]
        try:
            self.insert(self.line_start(first_key.start_mark.index), lines, node)
        except _Unpatchable:  # the first key shares its line with a "- ": follow it
            self.insert(self.after_line(self.end(node.value[0][1])), lines, node)

    def sequence(self, node: yaml.SequenceNode, before: list[Any], after: list[Any]) -> None:
        import difflib

        items = node.value
        matcher = difflib.SequenceMatcher(
            None, [_identity(v) for v in before], [_identity(v) for v in after], autojunk=False
        )
        first_dash = self.dash(items[0])
        indent = first_dash - self.line_start(first_dash)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                    if not same(before[i], after[j]):
                        self.item(items[i], before[i], after[j], node)
                continue
            for i in range(i1, i2):
                start = self.line_start(self.dash(items[i]))
                self.edit(start, self.after_line(self.end(items[i])), "", node)
            if j2 > j1:
                lines = self.block_lines(after[j1:j2], indent)
                if i1 > 0:
                    self.insert(self.after_line(self.end(items[i1 - 1])), lines, node)
                else:
                    self.insert(self.line_start(self.dash(items[0])), lines, node)

    def item(self, node: yaml.Node, before: Any, after: Any, parent: yaml.Node) -> None:
        try:
            self.child(node, before, after)
        except _Unpatchable:
            value = self.written([after], "- ", node.start_mark.column - 2)
            self.edit(node.start_mark.index, self.end(node), value, parent)


def _entries(bounds: list[int], start: int, end: int) -> tuple[int, int]:
    """Which entries (each from one bound to the next) hold the edit [start, end). An
    insertion where an entry begins belongs to the entry before it."""
    point = start - 1 if start == end and start > bounds[0] else start
    first = max(bisect_right(bounds, point) - 1, 0)
    last = max(first, bisect_right(bounds, max(start, end - 1)) - 1)
    return first, min(last, len(bounds) - 2)


def _identity(value: Any) -> Any:
    """What makes an item of a list the same item before and after a change."""
    if type(value) is dict and isinstance(value.get("id"), str):
        return ("id", value["id"])
    if type(value) in (dict, list):
        import json

        return json.dumps(value, sort_keys=True, default=str)
    return (type(value).__name__, value)
