"""The code shows its design: the README's code map lists exactly the modules in the tree,
each module opens with a line saying what it is for, the layers import only downwards, and
only commands write to the terminal."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "mentorkit"
MODULES = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py"))


def _code_map() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## The code", 1)[1].split("```", 2)[1]
    folder, listed = "", set()
    for line in block.splitlines():
        if re.match(r"  \w+/", line):
            folder = line.split()[0]
        elif re.match(r"  \w", line):
            folder = ""
        for name in re.findall(r"\b(\w+\.py)\b", line):
            listed.add(folder + name)
    return listed


def test_the_readme_code_map_lists_exactly_the_modules_in_the_tree():
    in_tree = {m for m in MODULES if not m.endswith(("__init__.py", "__main__.py"))}
    listed = _code_map()
    assert sorted(in_tree - listed) == [], "modules missing from the README's code map"
    assert sorted(listed - in_tree) == [], "the README's code map names modules not in the tree"


@pytest.mark.parametrize("module", MODULES)
def test_each_module_opens_with_a_line_saying_what_it_is_for(module):
    text = (PACKAGE / module).read_text(encoding="utf-8")
    docstring = ast.get_docstring(ast.parse(text))
    assert text.startswith('"""') and docstring, f"{module} has no docstring first"
    assert len(docstring.split()) >= 4, f"{module}: {docstring!r} says too little"


# Which layer may import which: the domain and the file format know nothing of commands,
# views or git; views know nothing of commands. (Lazy imports inside functions count.)
_MAY_NOT_IMPORT = {
    "domain": ("mentorkit.commands", "mentorkit.views", "mentorkit.git", "mentorkit.output"),
    "file": ("mentorkit.commands", "mentorkit.views", "mentorkit.domain"),
    "views": ("mentorkit.commands",),
    "git": ("mentorkit.commands", "mentorkit.views"),
    "dav": ("mentorkit.commands",),
}


def _imported(source: str) -> set[str]:
    """The modules a source imports, however it names them: `import mentorkit.a.b`,
    `from mentorkit.a import b` and `from mentorkit import a, b` (each name may be a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _wrong_imports(layer: str, source: str) -> list[str]:
    forbidden = _MAY_NOT_IMPORT[layer]
    return sorted(
        name
        for name in _imported(source)
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    )


@pytest.mark.parametrize("module", [m for m in MODULES if m.split("/")[0] in _MAY_NOT_IMPORT])
def test_layers_import_only_downwards(module):
    source = (PACKAGE / module).read_text(encoding="utf-8")
    wrong = _wrong_imports(module.split("/")[0], source)
    assert wrong == [], f"{module} imports {wrong}"


@pytest.mark.parametrize(
    "line",
    [
        "import mentorkit.commands.context",
        "from mentorkit import output, views",
        "from mentorkit.views import terminal",
        "from mentorkit.git.history import changes",
        "def lazy():\n    import mentorkit.views.terminal as t",
    ],
)
def test_the_layering_check_sees_every_kind_of_import(line):
    source = f"from mentorkit.domain import ids\n{line}\n"
    assert _wrong_imports("domain", source), line
    assert _wrong_imports("domain", "from mentorkit.domain import ids\n") == []


# What `output` offers besides writing: the literal-making of people's text, and the types
# of lines. Everything else in it writes or asks, which only commands (and cli.py's error
# handling) do.
_OUTPUT_TEXT = {"Line", "Segment", "literal", "md", "one_line", "pad", "width"}
_WRITERS = {"cli.py", "output.py"}


@pytest.mark.parametrize(
    "module", [m for m in MODULES if not m.startswith("commands/") and m not in _WRITERS]
)
def test_only_commands_write_to_the_terminal(module):
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "mentorkit.output":
            used |= {alias.name for alias in node.names}
        if isinstance(node, ast.ImportFrom) and node.module == "mentorkit":
            assert "output" not in {alias.name for alias in node.names}, module
    assert used <= _OUTPUT_TEXT, f"{module} writes or asks through output: {used - _OUTPUT_TEXT}"


# The environment variables mentorkit reads, by the module that owns each: a command asks
# that module (storage.new_file, people.role_setting) instead of reading the variable again.
_OWNERS = {
    "MENTORKIT_FILE": {"file/storage.py"},
    "MENTORKIT_ROLE": {"git/people.py"},
    "MENTORKIT_CACHE_DIR": {"file/storage.py"},
    "MENTORKIT_NO_CACHE": {"file/storage.py"},
    "MENTORKIT_LOCK_TIMEOUT": {"file/storage.py"},
}


def test_each_environment_variable_is_read_by_the_module_that_owns_it():
    readers: dict[str, set[str]] = {variable: set() for variable in _OWNERS}
    for module in MODULES:
        for node in ast.walk(ast.parse((PACKAGE / module).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in _OWNERS:
                readers[node.value].add(module)
    assert readers == _OWNERS
