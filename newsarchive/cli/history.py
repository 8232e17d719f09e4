"""``newsarchive history URL_OR_ID``: how an article changed (archive/history.py builds it)."""

from __future__ import annotations

from dataclasses import asdict

import click

from archive.history import article_history, render
from archive.read import printable, printable_json
from newsarchive.cli.common import open_archive


@click.command("history")
@click.argument("url_or_id")
@click.option("--json", "as_json", is_flag=True, help="The events and their diffs as JSON.")
@click.option("--db", "db", metavar="PATH", default=None, help="Archive file (default: the group's --db).")
@click.pass_context
def history_cmd(ctx: click.Context, url_or_id: str, as_json: bool, db: str | None) -> None:
    """How an article changed and when: edits (a diff of title, dates, body, captions), comments
    added or edited, a takedown. Nothing archived is ever overwritten without its old state kept.

    \b
    Examples:
      newsarchive history 42
      newsarchive history https://turan.az/en/politics/some-article-779784 --json
    """
    with open_archive(ctx, db) as archive:
        found = article_history(archive, url_or_id)
    if as_json:
        click.echo(printable_json(asdict(found)))
    else:
        click.echo(printable(render(found)))
