"""The dependency direction of DESIGN.md, checked by reading every module's imports (AST).

tui -> station, labels, packing, omnium; packing -> omnium's data models (models, wire, workflow);
sandbox -> omnium's data models.
omnium, packing and labels never import Textual, SQLite or the sandbox; packing does no I/O.
No module imports, directly or around a circle, a module that imports it (TYPE_CHECKING and
function-level imports count too).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import packstation

SOURCE_ROOT = Path(packstation.__file__).parent

UI_AND_STORAGE = (
    "textual",
    "sqlite3",
    "packstation.sandbox",
    "packstation.station",
    "packstation.tui",
)


@dataclass(frozen=True)
class Rule:
    """What modules under `packages` may not import."""

    name: str
    packages: tuple[str, ...]
    forbidden: tuple[str, ...] = ()
    allowed_internal: tuple[str, ...] | None = None
    """When set, imports of `packstation.*` must fall under one of these."""


RULES = (
    Rule(
        "core never imports UI, SQLite or the sandbox",
        ("packstation.omnium", "packstation.packing", "packstation.labels"),
        UI_AND_STORAGE,
    ),
    Rule(
        "packing does no I/O",
        ("packstation.packing",),
        ("httpx", "socket", "subprocess", "sqlite3", "urllib.request", "asyncio"),
    ),
    Rule(
        "packing depends only on itself and omnium's data models",
        ("packstation.packing",),
        allowed_internal=(
            "packstation.packing",
            # The language: gettext and local number formats, no I/O beyond its catalogs.
            "packstation.i18n",
            "packstation.omnium.models",
            "packstation.omnium.wire",
            "packstation.omnium.workflow",
            "packstation.omnium.order_types",
        ),
    ),
    Rule(
        "devices (scales, printers) never import the UI, SQLite, the station or the sandbox",
        ("packstation.devices",),
        UI_AND_STORAGE,
    ),
    Rule(
        "sandbox never imports the UI or the station",
        ("packstation.sandbox",),
        ("textual", "packstation.tui", "packstation.station"),
    ),
)


@dataclass(frozen=True)
class Import:
    module: str
    target: str
    path: Path
    line: int


def under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def module_name(path: Path, root: Path) -> tuple[str, bool]:
    """Dotted name of a source file below `root` (the package dir), and whether a package."""
    parts = [root.name, *path.relative_to(root).with_suffix("").parts]
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def resolve_relative(module: str, is_package: bool, level: int, name: str | None) -> str:
    package = module if is_package else module.rpartition(".")[0]
    for _ in range(level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{name}" if name else package


def imports_in(path: Path, root: Path) -> Iterator[Import]:
    """Every import of a module: plain, from-, relative, and import_module("literal")."""
    module, is_package = module_name(path, root)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, alias.name, path, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = (
                resolve_relative(module, is_package, node.level, node.module)
                if node.level
                else node.module or ""
            )
            for alias in node.names:
                target = base if alias.name == "*" else f"{base}.{alias.name}"
                yield Import(module, target, path, node.lineno)
        elif (
            isinstance(node, ast.Call)
            and (
                (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
                or (
                    isinstance(node.func, ast.Name)
                    and node.func.id in ("import_module", "__import__")
                )
            )
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield Import(module, node.args[0].value, path, node.lineno)


def violations(root: Path, rules: tuple[Rule, ...] = RULES) -> list[str]:
    """One line per forbidden import found below the package directory `root`."""
    found = []
    for path in sorted(root.rglob("*.py")):
        for imp in imports_in(path, root):
            for rule in rules:
                if not any(under(imp.module, p) for p in rule.packages):
                    continue
                bad = any(under(imp.target, f) for f in rule.forbidden)
                if rule.allowed_internal is not None and under(imp.target, root.name):
                    bad = bad or not any(under(imp.target, a) for a in rule.allowed_internal)
                if bad:
                    where = f"{path.relative_to(root.parent)}:{imp.line}"
                    found.append(f"{where}: {imp.module} imports {imp.target} ({rule.name})")
    return found


# --- the real source -------------------------------------------------------------------------


def test_source_tree_is_where_expected() -> None:
    modules = {module_name(p, SOURCE_ROOT)[0] for p in SOURCE_ROOT.rglob("*.py")}
    for expected in ("packstation.omnium.client", "packstation.omnium.models", "packstation.cli"):
        assert expected in modules
    assert any(m.startswith("packstation.packing.") for m in modules)


def test_the_dependency_direction_holds() -> None:
    assert violations(SOURCE_ROOT) == []


# --- the checker itself ----------------------------------------------------------------------


def make_tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "packstation"
    for package in ("", "omnium", "packing", "labels", "sandbox", "station", "tui"):
        (root / package).mkdir(parents=True, exist_ok=True)
        (root / package / "__init__.py").touch()
    for name, text in files.items():
        (root / name).write_text(text)
    return root


def test_a_clean_tree_passes(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path,
        {
            "packing/session.py": "from packstation.omnium.models import OmniumOrder\n"
            "from packstation.packing import boxes\nfrom . import boxes as b\nimport decimal\n",
            "omnium/client.py": "import httpx\nfrom packstation.omnium.models import X\n",
            "sandbox/app.py": "import sqlite3\nfrom packstation.omnium.models import X\n",
            "tui/app.py": "import textual\nfrom packstation.station import store\n",
        },
    )
    assert violations(root) == []


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("omnium/client.py", "import textual.app\n", "imports textual.app"),
        ("labels/print.py", "import sqlite3\n", "imports sqlite3"),
        ("omnium/x.py", "from packstation.sandbox.app import create_app\n", "packstation.sandbox"),
        ("labels/x.py", "from packstation import tui\n", "imports packstation.tui"),
        ("packing/x.py", "from ..station import store\n", "imports packstation.station.store"),
        ("packing/x.py", "from packstation.omnium.errors import BadRequest\n", "omnium.errors"),
        ("packing/x.py", "from packstation.omnium import client\n", "omnium.client"),
        ("packing/x.py", "from packstation import config\n", "imports packstation.config"),
        ("packing/x.py", "import httpx\n", "imports httpx"),
        ("packing/sub/__init__.py", "from ...tui import app\n", "imports packstation.tui.app"),
        ("sandbox/x.py", "from textual.widgets import Input\n", "textual.widgets.Input"),
        ("sandbox/x.py", "import packstation.station.store\n", "packstation.station.store"),
        ("omnium/x.py", "def f():\n    import textual\n", "imports textual"),
        ("omnium/x.py", "import importlib\nimportlib.import_module('textual')\n", "textual"),
    ],
)
def test_a_violation_is_caught(tmp_path: Path, name: str, text: str, expected: str) -> None:
    (tmp_path / "packstation" / "packing" / "sub").mkdir(parents=True)
    root = make_tree(tmp_path, {name: text})
    found = violations(root)
    assert len(found) >= 1
    assert all(name.split("/")[0] in line for line in found)
    assert any(expected in line for line in found), found


def test_relative_imports_resolve() -> None:
    assert resolve_relative("packstation.packing.session", False, 1, "boxes") == (
        "packstation.packing.boxes"
    )
    assert resolve_relative("packstation.packing", True, 1, "boxes") == "packstation.packing.boxes"
    assert resolve_relative("packstation.packing.session", False, 2, "omnium.models") == (
        "packstation.omnium.models"
    )
    assert resolve_relative("packstation.packing.session", False, 1, None) == "packstation.packing"


# --- no module cycles --------------------------------------------------------------------------


def module_graph(root: Path) -> dict[str, set[str]]:
    """Each module below `root` -> the modules of that tree it imports (any import, anywhere)."""
    paths = {module_name(p, root)[0]: p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in paths}
    for name, path in paths.items():
        for imp in imports_in(path, root):
            target = imp.target
            # `from pkg.mod import Name` names a module's attribute: its module is the edge.
            while target and target not in paths:
                target = target.rpartition(".")[0]
            # A package's __init__ runs before its submodules: importing it is no cycle.
            if target and target != name and not under(name, target):
                graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles: each strongly connected group of two or more modules, sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_no_module_imports_itself_back() -> None:
    assert cycles(module_graph(SOURCE_ROOT)) == []


@pytest.mark.parametrize(
    "files",
    [
        {
            "tui/app.py": "from packstation.tui import flow\n",
            "tui/flow.py": "import packstation.tui.app\n",
        },
        {
            "station/store.py": "from packstation.station.journal import Journal\n",
            "station/journal.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from packstation.station.store import StationStore\n",
        },
        {
            "sandbox/a.py": "from packstation.sandbox.b import x\n",
            "sandbox/b.py": "def f():\n    from packstation.sandbox.c import y\n",
            "sandbox/c.py": "from . import a\n",
        },
    ],
)
def test_a_cycle_is_caught(tmp_path: Path, files: dict[str, str]) -> None:
    root = make_tree(tmp_path, files)
    expected = sorted("packstation." + name.removesuffix(".py").replace("/", ".") for name in files)
    assert cycles(module_graph(root)) == [expected]


def test_importing_a_package_or_a_sibling_is_no_cycle(tmp_path: Path) -> None:
    root = make_tree(
        tmp_path,
        {
            "packing/session.py": "from packstation.packing import events\n",
            "packing/events.py": "from packstation import packing\n",
            "tui/app.py": "from packstation.tui.flow import run\n",
            "tui/flow.py": "from packstation.packing.session import S\n",
        },
    )
    assert cycles(module_graph(root)) == []
