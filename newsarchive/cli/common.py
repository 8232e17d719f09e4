"""What every command module shares: the archive option, opening the archive, dates, output."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, TypeVar

import click

from archive.read import printable_json
from archive.store import Archive
from scrapers import settings as defaults

DEFAULT_DB = defaults.ARCHIVE_PATH

F = TypeVar("F", bound=Callable[..., Any])


def calendar_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A click callback: YYYY, YYYY-MM or YYYY-MM-DD that exists on the calendar (not 2024-13-45)."""
    if value is None:
        return None
    parts = value.split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(parts) > 3 or len(parts[0]) != 4 or any(len(p) != 2 for p in parts[1:]):
            raise ValueError(value)
        datetime.date(*numbers, *[1] * (3 - len(numbers)))
    except (TypeError, ValueError):
        raise click.BadParameter(f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD") from None
    return value


def db_option(f: F) -> F:
    """`--db` on each command too, so `newsarchive search "q" --db PATH` works."""
    return click.option(
        "--db", "db", metavar="PATH", default=None, help="Archive file (default: the group's --db)."
    )(f)


def archive_path(ctx: click.Context, db: str | None) -> str:
    """The command's --db, else the group's (--db or NEWSARCHIVE_DB), else the default."""
    return db or ctx.find_root().params.get("db") or DEFAULT_DB


def open_archive(ctx: click.Context, db: str | None) -> Archive:
    return Archive.open(archive_path(ctx, db), create=False)


def echo_json(data: Any) -> None:
    click.echo(printable_json(data))  # C1 controls escaped too


def counts_line(label: str, counts: dict[str, int], top: int = 12) -> str:
    items = list(counts.items())
    shown = ", ".join(f"{k} {v}" for k, v in items[:top])
    more = f", … ({len(items) - top} more)" if len(items) > top else ""
    return f"{label:<13}{shown or '-'}{more}"
