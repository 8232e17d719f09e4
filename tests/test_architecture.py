"""The import rule: which package may import which, written once (ALLOWED below), checked on every
import of the code (module level, inside functions, under TYPE_CHECKING alike), with no cycle
between packages nor between modules. The README's "How it fits together" shows the same table;
a test here keeps the two equal.

A package here is a unit of the design, not every folder: ``archive`` is the store with its search
(``archive/search/``), ``archive.web`` the Datasette plugin over it; ``scrapers`` is the crawl, with
``scrapers.sites`` (site profiles), ``scrapers.parsers`` (pure parsers) and ``scrapers.distributed``
(the Redis workers and their ingester) as packages of their own.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOP = ("newsarchive", "pipelines", "scrapers", "archive", "replica")
# Most specific first: a module belongs to the first unit it is in.
UNITS = (
    "scrapers.sites", "scrapers.parsers", "scrapers.distributed", "scrapers",
    "archive.web", "archive", "pipelines", "newsarchive", "replica",
)
# unit -> the units it may import. sites <- parsers <- archive <- scrapers (+ distributed) <- pipelines
# <- newsarchive (the command line); the replica stands alone.
ALLOWED: dict[str, frozenset[str]] = {
    "scrapers.sites": frozenset(),
    "scrapers.parsers": frozenset({"scrapers.sites"}),
    "archive": frozenset({"scrapers.parsers", "scrapers.sites"}),
    "archive.web": frozenset({"archive"}),
    "scrapers": frozenset({"archive", "scrapers.parsers", "scrapers.sites"}),
    "scrapers.distributed": frozenset({"scrapers", "archive", "scrapers.parsers", "scrapers.sites"}),
    "pipelines": frozenset({"scrapers", "scrapers.distributed", "archive", "scrapers.parsers", "scrapers.sites"}),
    "newsarchive": frozenset({
        "pipelines", "scrapers", "scrapers.distributed", "archive", "archive.web", "scrapers.parsers",
        "scrapers.sites",
    }),
    "replica": frozenset(),
}
# Third-party packages a unit must not import: the archive (and its search, its web view) is readable
# without Scrapy, Twisted or Redis; parsers and profiles are pure.
CRAWL_LIBRARIES = frozenset({"scrapy", "twisted", "scrapy_redis", "redis"})
FORBIDDEN = {unit: CRAWL_LIBRARIES for unit in ("archive", "archive.web", "scrapers.parsers", "scrapers.sites")}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # what it imports: one of our modules, or a third-party top-level name
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def our_modules() -> dict[str, Path]:
    return {module_name(p): p for top in TOP for p in sorted((ROOT / top).rglob("*.py"))}


def unit_of(module: str) -> str:
    return next(u for u in UNITS if module == u or module.startswith(u + "."))


def _resolve(name: str, modules: dict[str, Path]) -> str:
    """The module an imported name lives in (`archive.store.Archive` -> `archive.store`)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name


def imports_of(module: str, source: str, modules: dict[str, Path]) -> Iterator[Import]:
    """Every import in the module's source, wherever it stands (``ast.walk`` reaches into functions)."""
    package = module if modules[module].name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from . import x, from ..y import z
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            submodules = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules]
            names = submodules if len(submodules) == len(node.names) else [*submodules, base]
        else:
            continue
        for name in names:
            ours = _resolve(name, modules)
            target = ours or name.partition(".")[0]
            if target != module:
                yield Import(module, target, node.lineno)


@cache
def all_imports() -> list[Import]:
    modules = our_modules()
    return [
        imp for module, path in modules.items() for imp in imports_of(module, path.read_text(encoding="utf-8"), modules)
    ]


def rule_breaks(imports: list[Import]) -> list[str]:
    modules = our_modules()
    breaks = []
    for imp in imports:
        unit = unit_of(imp.module)
        where = f"{modules[imp.module].relative_to(ROOT)}:{imp.line}"
        if imp.target in modules:
            other = unit_of(imp.target)
            if other != unit and other not in ALLOWED[unit]:
                breaks.append(f"{where}: {unit} may not import {other} ({imp.target})")
        elif imp.target in FORBIDDEN.get(unit, ()):
            breaks.append(f"{where}: {unit} may not import {imp.target}")
    return breaks


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for succ in graph.get(node, ()):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_module_is_in_a_unit_of_the_table() -> None:
    assert set(UNITS) == set(ALLOWED)
    for module in our_modules():
        assert unit_of(module) in ALLOWED, module


def test_every_import_follows_the_rule() -> None:
    assert rule_breaks(all_imports()) == []


def test_the_rule_finds_a_new_import_against_it() -> None:
    """The check itself: an import the table does not allow, even inside a function, is reported."""
    modules = our_modules()
    source = modules["archive.store"].read_text(encoding="utf-8")
    added = source + "\n\ndef _later() -> None:\n    from scrapers.crawl import run_crawl\n"
    assert rule_breaks(list(imports_of("archive.store", source, modules))) == []
    (found,) = rule_breaks(list(imports_of("archive.store", added, modules)))
    assert found.endswith("archive may not import scrapers (scrapers.crawl)") and "archive/store.py:" in found


def test_no_cycle_between_units() -> None:
    graph: dict[str, set[str]] = {}
    for imp in all_imports():
        if imp.target in our_modules() and unit_of(imp.target) != unit_of(imp.module):
            graph.setdefault(unit_of(imp.module), set()).add(unit_of(imp.target))
    assert cycles(graph) == []
    assert cycles({unit: set(allowed) for unit, allowed in ALLOWED.items()}) == []  # nor could there be


def test_no_cycle_between_modules() -> None:
    """Not even inside a package: no import placed in a function to dodge one."""
    modules = our_modules()
    graph: dict[str, set[str]] = {}
    for imp in all_imports():
        if imp.target in modules:
            graph.setdefault(imp.module, set()).add(imp.target)
    assert cycles(graph) == []


def readme_table() -> dict[str, frozenset[str]]:
    """The import table of the README's "How it fits together": | `unit` | its job | `a`, `b` |."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## How it fits together", 1)[1].split("\n## ", 1)[0]
    table: dict[str, frozenset[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and re.fullmatch(r"`[\w.]+`", cells[0]):
            table[cells[0].strip("`")] = frozenset(re.findall(r"`([\w.]+)`", cells[2]))
    return table


def test_the_readme_shows_this_table() -> None:
    assert readme_table() == ALLOWED


@pytest.mark.parametrize("unit", sorted(FORBIDDEN))
def test_the_archive_and_the_parsers_need_no_crawl_library(unit: str) -> None:
    used = {i.target for i in all_imports() if unit_of(i.module) == unit and i.target not in our_modules()}
    assert used.isdisjoint(CRAWL_LIBRARIES)
