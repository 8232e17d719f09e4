"""The ``newsarchive`` command line: the group, its ``--db`` and the registry of its commands.

Every command lives in a module of its own (one per command group) and is imported only when it
is used, so ``newsarchive search`` starts fast and works in a process without Scrapy, Datasette
or redis. A new command: its module here, and one line in ``LAZY_COMMANDS``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sqlite3
from typing import Any

import click

from archive.errors import ArchiveError
from newsarchive.cli.common import DEFAULT_DB

# name -> (module, attribute): commands registered only when their module is there.
LAZY_COMMANDS = {
    "search": ("newsarchive.cli.search", "search_cmd"),
    "search-index": ("newsarchive.cli.search_index", "search_index"),
    "show": ("newsarchive.cli.show", "show_cmd"),
    "stats": ("newsarchive.cli.show", "stats_cmd"),
    "check": ("newsarchive.cli.show", "check_cmd"),
    "crawl": ("newsarchive.cli.crawl", "crawl"),
    "replica": ("replica.cli", "replica"),
    "sites": ("newsarchive.cli.sites", "sites"),
    "history": ("newsarchive.cli.history", "history_cmd"),
    "schedule": ("newsarchive.cli.schedule", "schedule"),
    "serve": ("newsarchive.cli.serve", "serve"),  # needs Datasette
    "ingest": ("newsarchive.cli.ingest", "ingest"),  # distributed crawls; needs redis
    "reparse": ("newsarchive.cli.reparse", "reparse_cmd"),  # needs the parsers, not Scrapy
    "export": ("newsarchive.cli.export", "export"),  # WARC, WACZ, JSON Lines, CSV
    "import": ("newsarchive.cli.import_", "import_cmd"),  # WARC/ARC/WACZ files; needs Scrapy and warcio
}


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:  # the parent package itself is missing
        return False


def _unavailable(name: str, exc: Exception) -> click.Command:
    """Stands in for a command whose module exists but cannot be imported (e.g. no Scrapy)."""

    def fail() -> None:
        raise click.ClickException(f"'{name}' is unavailable: {type(exc).__name__}: {exc}")

    return click.Command(name, callback=fail, help=f"(unavailable: {exc})")


class ArchiveGroup(click.Group):
    """Adds the lazily imported commands and turns every ArchiveError into one line on stderr."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        lazy = [n for n, (module, _) in LAZY_COMMANDS.items() if _module_exists(module)]
        return sorted({*super().list_commands(ctx), *lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None or cmd_name not in LAZY_COMMANDS:
            return command
        module_name, attribute = LAZY_COMMANDS[cmd_name]
        if not _module_exists(module_name):
            return None
        try:
            loaded = getattr(importlib.import_module(module_name), attribute)
        except Exception as exc:  # any import-time failure must not break the other commands
            return _unavailable(cmd_name, exc)
        return loaded if isinstance(loaded, click.Command) else None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ArchiveError as exc:
            raise click.ClickException(str(exc)) from None
        except sqlite3.Error as exc:
            raise click.ClickException(f"database error: {exc}") from None


@click.group(cls=ArchiveGroup)
@click.option(
    "--db",
    "db",
    metavar="PATH",
    envvar="NEWSARCHIVE_DB",
    default=DEFAULT_DB,
    show_default=True,
    help="Archive file (or set NEWSARCHIVE_DB).",
)
@click.version_option(package_name="newsarchive")
@click.pass_context
def main(ctx: click.Context, db: str) -> None:
    """Search and inspect a newsarchive archive (one SQLite file, also readable by Datasette).

    \b
    Examples:
      newsarchive search "oil price" --lang en
      newsarchive --db data/turan.db show 42
    """
    # `crawl` (and `ingest`, `import`) have their own --db; `newsarchive --db X crawl ...` writes to X as well.
    ctx.default_map = {**(ctx.default_map or {}), "crawl": {"db": db}, "ingest": {"db": db}, "import": {"db": db}}
