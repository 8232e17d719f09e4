"""Settings as Scrapy does them: every default once, in scrapers/settings.py; components read a
setting without restating its default; every setting of ours is in the README's settings table.

"Read" means ``<...>settings.get*("NAME")`` and ``<...>settings["NAME"]`` anywhere in the code (the
crawl's components, the pipelines, the command line). Scrapy's own settings (DEPTH_LIMIT...) have
their defaults in Scrapy; a name that is neither ours nor Scrapy's is a typo."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from scrapy.settings import default_settings

import scrapers.settings as ours
from tests.test_architecture import ROOT, our_modules

GETTERS = {"get", "getint", "getfloat", "getbool", "getlist", "getdict", "getdictorlist", "getwithbase", "getpriority"}
NAME = re.compile(r"[A-Z][A-Z0-9_]+")


@dataclass(frozen=True)
class Read:
    name: str
    where: str
    default: bool  # the reader gives a default of its own (a second argument)


def _is_settings(node: ast.expr) -> bool:
    """`settings`, `crawler.settings`, `self.crawler.settings`..."""
    if isinstance(node, ast.Name):
        return node.id.endswith("settings")
    return isinstance(node, ast.Attribute) and node.attr.endswith("settings")


def _reads(path: Path) -> Iterator[Read]:
    where = str(path.relative_to(ROOT))
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in GETTERS
                and _is_settings(node.func.value) and node.args and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str) and NAME.fullmatch(node.args[0].value)):
            yield Read(node.args[0].value, f"{where}:{node.lineno}", len(node.args) > 1 or bool(node.keywords))
        elif (isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and _is_settings(node.value)
              and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str)):
            yield Read(node.slice.value, f"{where}:{node.lineno}", False)


@cache
def reads() -> tuple[Read, ...]:
    return tuple(r for path in our_modules().values() for r in _reads(path))


def defined_here() -> set[str]:
    return {name for name in vars(ours) if NAME.fullmatch(name)}


def scrapys() -> set[str]:
    return {name for name in vars(default_settings) if NAME.fullmatch(name)}


def readme_settings() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("## Settings", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row.split("|")[1])}


def test_the_code_reads_settings() -> None:
    """The scan itself finds the reads it is meant to find (a guard against a scan that sees nothing)."""
    names = {r.name for r in reads()}
    assert {"ARCHIVE_PATH", "HEALTH_FAILURE_THRESHOLD", "DISTRIBUTED_REDIS_WAIT", "DEPTH_LIMIT"} <= names


def test_every_setting_read_is_ours_or_scrapys() -> None:
    unknown = sorted(f"{r.where}: {r.name}" for r in reads() if r.name not in defined_here() | scrapys())
    assert unknown == []


def test_every_setting_of_ours_is_defined_in_settings_py_and_in_the_readme() -> None:
    read = {r.name for r in reads()} - scrapys()
    assert read <= defined_here()
    assert sorted(read - readme_settings()) == []
    assert sorted((defined_here() - scrapys()) - readme_settings()) == []  # defined, so documented


def test_the_readme_names_no_setting_that_does_not_exist() -> None:
    assert sorted(readme_settings() - defined_here() - scrapys()) == []


def test_no_reader_restates_a_default() -> None:
    """A default of ours lives in scrapers/settings.py only: a reader passes no fallback of its own."""
    assert sorted(f"{r.where}: {r.name}" for r in reads() if r.default and r.name in defined_here()) == []
