"""The shape of the house: layers that import one way only, no cycles, small modules, tests that mirror packages.

The import graph is read from the source with `ast` (every `import`, including those inside functions and
`TYPE_CHECKING` blocks, since a cycle there is still a cycle in the design).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "elior"
# Infrastructure: knows nothing of the studio's domains. The top-level modules (settings, paths, clock) are the
# foundation every layer may use; app.py, routes.py and __main__.py compose everything.
INFRASTRUCTURE = frozenset({"web", "db", "media", "live", "ops", "mail"})
COMPOSITION = frozenset({"elior.app", "elior.routes", "elior.__main__"})
MAX_LINES = 300


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports_of(path: Path) -> set[str]:
    """The project modules `path` imports (`from elior.web import routing` counts as elior.web.routing)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name in MODULES}


GRAPH = {name: imports_of(path) - {name} for name, path in MODULES.items()}


def layer(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 2 else None


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (cycle := visit(target, path)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start, [])):
            return cycle
    return None


def test_the_import_graph_has_no_cycle() -> None:
    assert find_cycle(GRAPH) is None, " -> ".join(find_cycle(GRAPH) or [])


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_infrastructure_never_imports_a_domain() -> None:
    wrong = sorted(f"{name} -> {target}" for name, targets in GRAPH.items() if layer(name) in INFRASTRUCTURE
                   for target in targets if layer(target) is not None and layer(target) not in INFRASTRUCTURE)
    assert wrong == []


def test_only_the_composition_root_imports_across_domains() -> None:
    """A domain may use another domain (workout logs read the exercise library), never the app or route table."""
    wrong = sorted(f"{name} -> {target}" for name, targets in GRAPH.items() for target in targets
                   if target in COMPOSITION and name not in COMPOSITION)
    assert wrong == []


def test_every_package_is_infrastructure_or_a_domain_with_tests_beside_it() -> None:
    packages = sorted(path.parent.name for path in PACKAGE.glob("*/__init__.py"))
    assert set(INFRASTRUCTURE) <= set(packages)
    missing = [name for name in packages if not (ROOT / "tests" / name / "__init__.py").exists()]
    assert missing == [], f"packages without a tests/<package>/ folder: {missing}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_stays_under_300_lines(name: str) -> None:
    lines = len(MODULES[name].read_text().splitlines())
    assert lines <= MAX_LINES, f"{MODULES[name].relative_to(ROOT)} has {lines} lines"


def test_sql_folders_mirror_the_packages() -> None:
    """Every query folder under sql/ is named after the package whose code runs it."""
    packages = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    folders = {path.name for path in (ROOT / "sql").iterdir() if path.is_dir()}
    assert folders - packages <= {"migrations", "shared", "tests"}, folders - packages
