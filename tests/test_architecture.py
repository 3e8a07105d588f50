"""The layers of the code run one way (docs/architecture.md has the map).

    lib → core → organisation (people, accounts, places) → domain → reports → edge

A module may import its own app and the apps of lower layers. Edge modules — views, urls, API routers,
admin, management commands, template tags, the `api` and `demo` apps and the project's own modules — sit
on top: they may import anything, and nothing but another edge module imports them. Lazy imports inside
functions count (they are dependencies all the same); imports under ``if TYPE_CHECKING:`` do not, since they
never run. Among the apps no cycle is allowed, and no two modules import each other, however indirectly.

The test reads the source with ``ast`` (nothing is imported), so it also sees modules no test loads.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

PACKAGE = "xungkich"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE

# The layer of each app, lowest first. A new app must be placed here (the test below says so).
LAYERS: dict[str, int] = {
    "lib": 0,
    "formats": 0,
    "core": 1,
    "people": 2,
    "accounts": 2,
    "places": 2,
    "rosters": 3,
    "tickets": 3,
    "helpdesk": 3,
    "campaigns": 3,
    "catalogue": 3,
    "search": 3,
    "guides": 3,
    "firstrun": 3,
    "reports": 4,
    "api": 5,
    "demo": 5,
}
EDGE_APPS = {"api", "demo"}
EDGE_STEMS = ("views", "urls", "api", "admin")
EDGE_FOLDERS = {"views", "urls", "management", "templatetags"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts or parts[-1] == "conftest.py":
            continue
        found[_module_name(path)] = path
    return found


MODULES = _modules()


def app_of(module: str) -> str | None:
    """The app a module belongs to; None for the project's own modules (settings, urls, navigation)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (ROOT / parts[1]).is_dir()) else None


def is_edge(module: str) -> bool:
    app = app_of(module)
    if app is None or app in EDGE_APPS:
        return True
    parts = module.split(".")[2:]
    if any(part in EDGE_FOLDERS for part in parts[:-1]):
        return True
    stem = parts[-1] if parts else ""
    return stem in EDGE_FOLDERS or any(stem == s or stem.startswith(f"{s}_") for s in EDGE_STEMS)


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node except the bodies of ``if TYPE_CHECKING:`` blocks."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


def _resolve(name: str) -> str | None:
    """The project module an imported name lives in (a submodule if it is one)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str) -> set[str]:
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            if name.startswith(f"{PACKAGE}."):
                target = _resolve(name)
                if target and target != module:
                    found.add(target)
    return found


GRAPH = {module: imports_of(module) for module in MODULES}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_every_app_has_a_layer():
    apps = {
        path.name
        for path in ROOT.iterdir()
        if path.is_dir() and (path / "__init__.py").exists() and path.name != "tests"
    }
    assert apps - set(LAYERS) == set(), "place the new app in LAYERS (and in docs/architecture.md)"


def test_no_module_imports_upwards():
    wrong = []
    for module, targets in sorted(GRAPH.items()):
        if is_edge(module):
            continue
        for target in sorted(targets):
            if is_edge(target):
                wrong.append(f"{module} → {target} (an edge module)")
            elif LAYERS[app_of(target) or ""] > LAYERS[app_of(module) or ""]:
                wrong.append(f"{module} → {target} (layer {app_of(target)} is above {app_of(module)})")
    assert wrong == []


def test_apps_do_not_depend_on_each_other_in_a_circle():
    apps: dict[str, set[str]] = defaultdict(set)
    for module, targets in GRAPH.items():
        if is_edge(module):
            continue
        for target in targets:
            if app_of(target) != app_of(module):
                apps[app_of(module) or ""].add(app_of(target) or "")
    assert _cycles(apps) == []


def test_no_two_modules_import_each_other():
    assert _cycles(GRAPH) == []


def test_the_checker_sees_what_it_must():
    """The rules above are only as good as the reading: check it on known facts of the code."""
    assert "xungkich.core.audit" in MODULES and "xungkich.lib.vietnamese" in MODULES
    assert is_edge("xungkich.urls") and is_edge("xungkich.api.api")
    assert not is_edge("xungkich.reports.rollups") and not is_edge("xungkich.core.audit")
    assert "xungkich.core.models" in GRAPH["xungkich.core.audit"]  # a plain module-level import
    # core/audit.py names the people models for annotations only (under TYPE_CHECKING): not a dependency.
    assert not any(target.startswith("xungkich.people") for target in GRAPH["xungkich.core.audit"])
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
