"""``newsarchive export``: the archive as WARC, WACZ, JSON Lines or CSV (library: archive/export/)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

import click

from archive.export.articles import export_articles
from archive.export.atomic import STDOUT
from archive.export.warc import WarcResult, export_warc
from archive.search import DEFAULT_MIN_CONFIDENCE, Filters
from newsarchive.cli.common import calendar_date, db_option, open_archive

F = TypeVar("F", bound=Callable[..., Any])
PROGRESS_SECONDS = 1.0


def selection_options(f: F) -> F:
    """The search command's filters, and the query (as --query), on every export."""
    options = (
        click.option("--query", metavar="QUERY", help="Only the articles this search query finds (its syntax)."),
        click.option("--site", help="Only articles from this site (e.g. turan)."),
        click.option("--lang", help="Only articles in this language (e.g. en, az, ru)."),
        click.option("--section", help="Only articles in this section."),
        click.option("--since", metavar="DATE", callback=calendar_date,
                     help="Published on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)."),
        click.option("--until", metavar="DATE", callback=calendar_date,
                     help="Published on or before DATE (a whole month or year when shorter)."),
        click.option("--author", help="Only articles by this author (matched like search's --author)."),
        click.option("--has-comments", is_flag=True, help="Only articles with reader comments."),
        click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=DEFAULT_MIN_CONFIDENCE,
                      show_default=True, help="Only articles at least this sure to be articles (0: all)."),
        click.option("--quiet", is_flag=True, help="No progress and no summary on stderr."),
        db_option,
    )
    for option in reversed(options):
        f = option(f)
    return f


def a_file(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """A click callback: WARC and WACZ go to a file (the WACZ is a ZIP; the WARC is renamed into place)."""
    if value == STDOUT:
        raise click.BadParameter("this export is written to a file, not to standard output (-)")
    return value


def _filters(options: dict[str, Any]) -> Filters:
    return Filters(options["lang"], options["site"], options["section"], options["since"], options["until"],
                   options["author"], options["has_comments"], options["min_confidence"])


class _Progress:
    """A progress line on stderr, at most once a second: rewritten in place on a terminal."""

    def __init__(self, what: str, quiet: bool) -> None:
        self.what, self.quiet = what, quiet
        self.started = self.shown = time.monotonic()
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if self.quiet or now - self.shown < PROGRESS_SECONDS:
            return
        self.shown = now
        line = f"  {done:,} {self.what} ({done / max(now - self.started, 1e-9):,.0f}/s)"
        click.echo("\r" + line if self.tty else line, nl=not self.tty, err=True)

    def done(self, summary: str) -> None:
        if self.quiet:
            return
        if self.tty and self.shown > self.started:
            click.echo(err=True)
        click.echo(f"{summary} in {time.monotonic() - self.started:.1f}s", err=True)


def _warc_summary(result: WarcResult, path: str) -> str:
    kinds = ", ".join(f"{n:,} {kind}" for kind, n in sorted(result.records.items()))
    skipped = sum(result.skipped.values())
    left_out = (f"; {skipped:,} pages left out (" + ", ".join(f"{why}: {n}" for why, n in result.skipped.items())
                + ")") if skipped else ""
    return f"exported {result.pages:,} pages to {path} ({result.bytes / 1e6:.1f} MB): {kinds}{left_out}"


@click.group("export")
def export() -> None:
    """Export the archive: raw pages as WARC or WACZ (for web archives: pywb, ReplayWeb.page),
    articles as JSON Lines or CSV (for pandas, R, spreadsheets).  A file appears only when it is
    complete: a full disk or an unwritable folder leaves nothing under the target name.

    \b
    Examples:
      newsarchive export warc -o turan.warc.gz --since 2024
      newsarchive export wacz -o turan.wacz --lang en
      newsarchive export jsonl -o - --query 'Aliyev' | head -1
      newsarchive export csv -o articles.csv --section politics
    """


@export.command("warc")
@click.option("-o", "--output", "path", required=True, metavar="FILE", callback=a_file,
              help="The WARC file to write (.warc.gz).")
@selection_options
@click.pass_context
def warc_cmd(ctx: click.Context, /, path: str, db: str | None, query: str | None, quiet: bool, **options: Any) -> None:
    """Every archived raw page as WARC/1.1 request + response records dated their fetch (a page fetched
    again with the same bytes: a revisit record), or only the pages of the selected articles.

    \b
    Example:
      newsarchive export warc -o turan.warc.gz --lang en --since 2024-01
    """
    progress = _Progress("pages", quiet)
    with open_archive(ctx, db) as archive:
        result = export_warc(archive, path, _filters(options), query=query, progress=progress)
    progress.done(_warc_summary(result, path))


@export.command("wacz")
@click.option("-o", "--output", "path", required=True, metavar="FILE", callback=a_file,
              help="The WACZ file to write (.wacz).")
@selection_options
@click.pass_context
def wacz_cmd(ctx: click.Context, /, path: str, db: str | None, query: str | None, quiet: bool, **options: Any) -> None:
    """The same pages as `export warc`, packaged as WACZ 1.1 (WARC, CDXJ index, pages.jsonl listing the
    articles with their titles and dates, datapackage.json with hashes): ReplayWeb.page opens it.

    \b
    Example:
      newsarchive export wacz -o turan.wacz --section politics
    """
    from archive.export.wacz import export_wacz  # the wacz package is slow to import: only here

    progress = _Progress("pages", quiet)
    with open_archive(ctx, db) as archive:
        result = export_wacz(archive, path, _filters(options), query=query, progress=progress)
    progress.done(_warc_summary(result.warc, path) + f"; {result.pages_listed:,} article pages listed")


def _articles_command(fmt: str, help_text: str) -> click.Command:
    @click.option("-o", "--output", "path", required=True, metavar="FILE",
                  help=f"The {fmt.upper()} file to write, or - for standard output.")
    @selection_options
    @click.pass_context
    def command(ctx: click.Context, /, path: str, db: str | None, query: str | None, quiet: bool,
                **options: Any) -> None:
        progress = _Progress("articles", quiet)
        to_terminal = path == STDOUT and sys.stdout.isatty()
        with open_archive(ctx, db) as archive:
            result = export_articles(archive, path, fmt, _filters(options), query=query, progress=progress,
                                     for_terminal=to_terminal)
        where = "standard output" if path == STDOUT else path
        progress.done(f"exported {result.articles:,} articles to {where} ({result.bytes / 1e6:.1f} MB)")

    command.__doc__ = help_text
    return click.command(fmt)(command)


export.add_command(_articles_command("jsonl", """Articles as JSON Lines: one article a line with all its fields,
    its captions and its comment threads (replies nested), in id order.

    \b
    Examples:
      newsarchive export jsonl -o articles.jsonl --lang ru --since 2023
      newsarchive export jsonl -o - --query 'title:Aliyev' | jq .title
    """))
export.add_command(_articles_command("csv", """Articles as CSV: one row an article, its fields flat (authors and
    tags joined with "; "), its body, and counts of captions, comments and comment threads.

    \b
    Example:
      newsarchive export csv -o articles.csv --section politics
    """))
