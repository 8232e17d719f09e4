"""``newsarchive reparse``: parse every archived article again from its stored raw page."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from newsarchive.cli.common import archive_path
from scrapers.reparse import ReparseResult, as_dict, describe, reparse


@click.command("reparse")
@click.option("--db", "db", metavar="PATH", default=None, help="Archive file (default: the group's --db).")
@click.option("--workers", type=click.IntRange(min=0), default=None,
              help="Parsing processes (default: one per core; 0: parse in this process).")
@click.option("--site", default=None, help="Only the articles of this site (e.g. turan).")
@click.option("--since-version", "since_version", metavar="V", default=None,
              help="Only the articles parsed by an extractor older than version V.")
@click.option("--profiles", "profile_dirs", multiple=True, envvar="NEWSARCHIVE_PROFILES",
              type=click.Path(exists=True, file_okay=False), help="Folder with your own site profiles (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.option("--quiet", is_flag=True, help="No progress line.")
@click.pass_context
def reparse_cmd(
    ctx: click.Context, db: str | None, workers: int | None, site: str | None, since_version: str | None,
    profile_dirs: tuple[str, ...], as_json: bool, quiet: bool,
) -> None:
    """Re-parse archived articles from their stored raw pages with the current parsers and site
    profiles, nothing fetched. Changed articles keep their old state as a version; the full-text
    index follows. Running it twice changes nothing the second time.

    \b
    Examples:
      newsarchive reparse --db data/archive.db
      newsarchive reparse --site turan --workers 2
      newsarchive reparse --since-version 2 --json
    """
    path = archive_path(ctx, db)
    if not Path(path).exists():
        raise click.ClickException(f"no archive at {path}")
    show = not quiet and not as_json and sys.stderr.isatty()

    def progress(result: ReparseResult) -> None:
        done = result.changed + result.unchanged + sum(result.skipped.values())
        click.echo(f"\r  {done}/{result.articles} ({result.changed} changed)", nl=False, err=True)

    result = reparse(
        path, workers=(os.cpu_count() or 1) if workers is None else workers, site=site,
        since_version=since_version, profile_dirs=tuple(Path(p) for p in profile_dirs),
        progress=progress if show else None,
    )
    if show:
        click.echo(err=True)
    click.echo(json.dumps(as_dict(result)) if as_json else describe(result))
