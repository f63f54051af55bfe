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
# 0755 (octal), 0b101, 1:30 (base 60), 1_000, and yes/no/on/off as booleans.
_YAML11_INT = re.compile(r"[-+]?(0[0-7_]+|0b[01_]+|[0-9][0-9_]*(:[0-5]?[0-9])+|[0-9]+_[0-9_]*)")
_YAML12_BOOL = frozenset({"true", "false", "True", "False", "TRUE", "FALSE"})


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
                    if not isinstance(key, str):
                        key = key_node.value
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
    if "#" not in text:
        return []
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for token in yaml.scan(text, Loader=_Loader):
        if isinstance(token, yaml.ScalarToken):
            start, end = token.start_mark, token.end_mark
            spans.append(((start.line, start.column), (end.line, end.column)))
    starts = [span[0] for span in spans]
    found: list[int] = []
    for number, line in enumerate(text.splitlines()):
        column = line.find("#")
        while column != -1:
            if column == 0 or line[column - 1] in " \t":
                i = bisect_right(starts, (number, column)) - 1
                if i < 0 or spans[i][1] <= (number, column):
                    found.append(number + 1)
                    break
            column = line.find("#", column + 1)
    return found


class _Dumper(_BaseDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    if "\n" in text:
        return dumper.represent_scalar(_STR, text, style="|")
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
