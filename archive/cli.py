"""The ``newsarchive`` command line: search, show, stats and check over an archive file.

``crawl`` (needs Scrapy) and ``replica`` live in other modules and are only imported when
used, so these commands work, fast, in a process without Scrapy.
"""

from __future__ import annotations

import datetime
import importlib
import importlib.util
import json
import sqlite3
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from archive.errors import ArchiveError, ArticleNotFoundError
from archive.read import check, get_article, stats
from archive.search import (
    SORTS,
    TARGETS,
    CaptionHit,
    CommentHit,
    SearchHit,
    count,
    facets,
    fts_query,
    render_snippet,
    search,
    search_captions,
    search_comments,
)
from archive.store import Archive

DEFAULT_DB = "data/archive.db"
# name -> (module, attribute): commands registered only when their module is there.
LAZY_COMMANDS = {
    "crawl": ("archive.crawl_cli", "crawl"),
    "replica": ("replica.cli", "replica"),
    "sites": ("archive.sites_cli", "sites"),
    "history": ("archive.history", "history_cmd"),
    "schedule": ("archive.schedule", "schedule"),
    "serve": ("archive.serve_cli", "serve"),  # needs Datasette
    "ingest": ("archive.ingest_cli", "ingest"),  # distributed crawls; needs redis
    "reparse": ("archive.reparse_cli", "reparse_cmd"),  # needs the parsers, not Scrapy
}

F = TypeVar("F", bound=Callable[..., Any])


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


def open_archive(ctx: click.Context, db: str | None) -> Archive:
    path = db or ctx.find_root().params.get("db") or DEFAULT_DB
    return Archive.open(path, create=False)


def _stdout_is_tty() -> bool:
    return sys.stdout.isatty()


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


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
    # `crawl` has its own --db; this makes `newsarchive --db X crawl ...` write to X as well.
    ctx.default_map = {**(ctx.default_map or {}), "crawl": {"db": db}, "ingest": {"db": db}}


# --- search ---------------------------------------------------------------------------------------


def _mark(text: str, highlights: list[tuple[int, int]], colour: bool) -> str:
    if not colour:
        return render_snippet(text, highlights)
    start = click.style("", fg="yellow", bold=True, reset=False)
    return render_snippet(text, highlights, start, click.style("", reset=True))


def _snippet(hit: SearchHit | CommentHit | CaptionHit, colour: bool) -> str:
    return _mark(hit.snippet, hit.highlights, colour)


def _hit_json(hit: SearchHit | CommentHit | CaptionHit) -> dict[str, Any]:
    data = dict(vars(hit))
    data["snippet"] = render_snippet(hit.snippet, hit.highlights)
    data["snippet_text"] = hit.snippet
    data["highlights"] = [list(r) for r in hit.highlights]
    if isinstance(hit, SearchHit):
        data["title_highlights"] = [list(r) for r in hit.title_highlights]
    return data


def _print_article_hit(n: int, hit: SearchHit, colour: bool) -> None:
    title = " ".join((hit.title or "(no title)").split())
    if colour:
        title = click.style(_mark(title, hit.title_highlights, True), bold=True)
    meta = " · ".join(x for x in ((hit.published or "")[:10], hit.section, hit.language, hit.site) if x)
    where = f"  (in {hit.field})" if hit.field not in ("body", "") else ""
    click.echo(f"{n:>2}. {title}\n    {meta}\n    {hit.url}\n    {_snippet(hit, colour)}{where}", color=colour)


def _print_comment_hit(n: int, hit: CommentHit, colour: bool) -> None:
    click.echo(f"{n:>2}. {hit.author or '(anonymous)'} on: {hit.article_title or hit.article_url}")
    click.echo(f"    {(hit.published or '')[:16]}  {hit.article_url}")
    click.echo(f"    {_snippet(hit, colour)}", color=colour)


def _print_caption_hit(n: int, hit: CaptionHit, colour: bool) -> None:
    credit = f" ({hit.credit})" if hit.credit else ""
    click.echo(f"{n:>2}. caption {hit.position + 1}{credit} in: {hit.article_title or hit.article_url}")
    click.echo(f"    {(hit.published or '')[:10]}  {hit.article_url}\n    {hit.image_url or ''}")
    click.echo(f"    {_snippet(hit, colour)}", color=colour)


def _print_facets(counts: dict[str, dict[str, int]]) -> None:
    for name, values in counts.items():
        click.echo(_counts_line(f"  {name}:", values))


@main.command("search")
@click.argument("query", required=False, default="")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True, help="Results to show.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many results first.")
@click.option("--since", metavar="DATE", callback=calendar_date,
              help="Published on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", metavar="DATE", callback=calendar_date,
              help="Published on or before DATE (a whole month or year when shorter).")
@click.option("--lang", help="Only articles in this language (e.g. en, az, ru).")
@click.option("--site", help="Only articles from this site (e.g. turan).")
@click.option("--section", help="Only articles in this section.")
@click.option("--author", help="Only articles by this author (matched like the query: Aliyev finds Əliyev).")
@click.option("--has-comments", is_flag=True, help="Only articles with reader comments.")
@click.option(
    "--sort", type=click.Choice(SORTS), default="relevance", show_default=True,
    help="relevance (bm25: title > body > captions > comments) or date (newest first).",
)
@click.option(
    "--in", "target", type=click.Choice(TARGETS), default="articles", show_default=True,
    help="What to search: articles (all their text), comments alone or captions alone.",
)
@click.option("--comments", "in_comments", is_flag=True, help="Same as --in comments.")
@click.option("--captions", "in_captions", is_flag=True, help="Same as --in captions.")
@click.option("--count", "only_count", is_flag=True, help="Print only how many match.")
@click.option("--facets", "with_facets", is_flag=True, help="Also count matching articles per year, section, language.")
@click.option(
    "--json", "as_json", is_flag=True, help="JSON output; matches marked [like this] and as ranges."
)
@click.option(
    "--color/--no-color", "color", default=None, help="Highlight matches in colour (default: on a terminal)."
)
@db_option
@click.pass_context
def search_cmd(
    ctx: click.Context,
    query: str,
    limit: int,
    offset: int,
    since: str | None,
    until: str | None,
    lang: str | None,
    site: str | None,
    section: str | None,
    author: str | None,
    has_comments: bool,
    sort: str,
    target: str,
    in_comments: bool,
    in_captions: bool,
    only_count: bool,
    with_facets: bool,
    as_json: bool,
    color: bool | None,
    db: str | None,
) -> None:
    """Full-text search, best matches first, in Azerbaijani, English and Russian at once.

    \b
    QUERY: words (all must match), "exact phrases", prefix*, AND / OR / NOT (upper case),
    -word, (groups), and fields: title: body: captions: comments: author:
    Aliyev also finds Əliyev and Алиев; переговоры finds переговорах; Eliyev finds Əliyev.

    \b
    Examples:
      newsarchive search "oil price" --lang en --limit 5
      newsarchive search 'title:Aliyev (Putin OR Erdogan) NOT "press conference"' --since 2023
      newsarchive search 'negotiat*' --sort date --json
      newsarchive search 'Aliyev' --comments
      newsarchive search 'Baku' --count --facets
    """
    target = "comments" if in_comments else "captions" if in_captions else target
    filters: dict[str, Any] = {
        "lang": lang, "site": site, "section": section, "since": since, "until": until, "author": author,
    }
    with open_archive(ctx, db) as archive:
        if only_count or with_facets:
            article_filters = {**filters, "has_comments": has_comments}
            counted = count(archive, query, target, **(article_filters if target != "comments" else filters))
            grouped = facets(archive, query, **article_filters) if with_facets and target != "comments" else None
            if only_count:
                if as_json:
                    _echo_json({"query": query, "count": counted, **({"facets": grouped} if grouped else {})})
                else:
                    click.echo(counted)
                    if grouped:
                        _print_facets(grouped)
                return
        hits: list[SearchHit] | list[CommentHit] | list[CaptionHit]
        if target == "comments":
            hits = search_comments(archive, query, limit=limit, offset=offset, sort=sort, **filters)
        elif target == "captions":
            hits = search_captions(archive, query, limit=limit, offset=offset, sort=sort, **filters)
        else:
            hits = search(
                archive, query, limit=limit, offset=offset, sort=sort, has_comments=has_comments, **filters
            )
    if as_json:
        data: dict[str, Any] = {
            "query": query, "in": target, "sort": sort,
            "fts_query": fts_query(query, target, author), "results": [_hit_json(h) for h in hits],
        }
        if with_facets:
            data.update(count=counted, facets=grouped)
        _echo_json(data)
        return
    if with_facets:
        click.echo(f"{counted} matches")
        if grouped:
            _print_facets(grouped)
    if not hits:
        click.echo(f"no matches for {query!r}", err=True)
        return
    colour = _stdout_is_tty() if color is None else color
    shown: list[SearchHit | CommentHit | CaptionHit] = list(hits)
    for n, hit in enumerate(shown, start=offset + 1):
        if isinstance(hit, CommentHit):
            _print_comment_hit(n, hit, colour)
        elif isinstance(hit, CaptionHit):
            _print_caption_hit(n, hit, colour)
        else:
            _print_article_hit(n, hit, colour)


# --- show -------------------------------------------------------------------------------------


def _date_line(label: str, value: str | None, raw: str | None) -> str | None:
    if not value and not raw:
        return None
    return f"{label:<11}{value or '(not understood)'}" + (f'  (raw: "{raw}")' if raw else "")


def _print_comments(comments: list[dict[str, Any]], depth: int = 0) -> None:
    pad = "  " * (depth + 1)
    for c in comments:
        when = c["published"] or ""
        raw = f' (raw: "{c["published_raw"]}")' if c["published_raw"] else ""
        click.echo(f"{pad}- {c['author'] or '(anonymous)'}  {when}{raw}")
        for line in (c["text"] or "").splitlines() or [""]:
            click.echo(f"{pad}  {line}")
        _print_comments(c["replies"], depth + 1)


def _print_article(a: dict[str, Any]) -> None:
    title = a["title"] or "(no title)"
    click.echo(title)
    click.echo("=" * min(len(title), 80))
    lines = [
        f"{'URL:':<11}{a['url']}",
        f"{'Canonical:':<11}{a['canonical_url']}" if a["canonical_url"] else None,
        f"{'Key:':<11}{a['key']}  (id {a['id']})",
        f"{'Where:':<11}" + " · ".join(str(x) for x in (a["site"], a["section"], a["language"]) if x),
        _date_line("Published:", a["published"], a["published_raw"]),
        _date_line("Modified:", a["modified"], a["modified_raw"]),
        f"{'Authors:':<11}{', '.join(a['authors'])}" if a["authors"] else None,
        f"{'Tags:':<11}{', '.join(a['tags'])}" if a["tags"] else None,
        f"{'Partial:':<11}yes (the page held only part of the article)" if a["is_partial"] else None,
        f"{'Archived:':<11}first {a['first_seen']}, last {a['last_seen']}",
    ]
    click.echo("\n".join(line for line in lines if line))
    click.echo("")
    click.echo(a["body"])
    if a["captions"]:
        click.echo("\nCaptions:")
        for c in a["captions"]:
            credit = f" — {c['credit']}" if c["credit"] else ""
            credit += f" ({c['credit_url']})" if c["credit_url"] else ""
            click.echo(f"  {c['position'] + 1}. {c['text']}{credit}\n     {c['image_url']}")
    if a["comments"]:
        click.echo(f"\nComments ({a['comment_count']}):")
        _print_comments(a["comments"])


@main.command("show")
@click.argument("url_or_id")
@click.option("--json", "as_json", is_flag=True, help="The article, captions and comment threads as JSON.")
@db_option
@click.pass_context
def show_cmd(ctx: click.Context, url_or_id: str, as_json: bool, db: str | None) -> None:
    """Show one article by id, key or URL: dates (with the raw strings), body, captions, comments.

    \b
    Examples:
      newsarchive show 42
      newsarchive show https://turan.az/en/politics/some-article-779784 --json
    """
    with open_archive(ctx, db) as archive:
        article = get_article(archive, url_or_id)
    if article is None:
        raise ArticleNotFoundError(f"no article with id, key or URL {url_or_id!r}")
    if as_json:
        _echo_json(article)
    else:
        _print_article(article)


# --- stats ------------------------------------------------------------------------------------


def _counts_line(label: str, counts: dict[str, int], top: int = 12) -> str:
    items = list(counts.items())
    shown = ", ".join(f"{k} {v}" for k, v in items[:top])
    more = f", … ({len(items) - top} more)" if len(items) > top else ""
    return f"{label:<13}{shown or '-'}{more}"


def _print_stats(s: dict[str, Any]) -> None:
    mb = 1024 * 1024
    click.echo(
        f"{'articles:':<13}{s['articles']} ({s['articles_partial']} partial), "
        f"{s['comments']} comments, {s['captions']} captions"
    )
    for key in ("site", "language", "section", "month"):
        click.echo(_counts_line(f"  {key}:", s[f"by_{key}"]))
    p, b = s["pages"], s["page_bodies"]
    click.echo(
        f"{'pages:':<13}{p['fetches']} fetches of {p['urls']} URLs, {p['versions']} distinct versions; "
        f"{b['count']} bodies, {b['raw_bytes'] / mb:.1f} MB raw, {b['stored_bytes'] / mb:.1f} MB stored"
    )
    click.echo(_counts_line("failures:", {"total": s["failures"]["total"], **s["failures"]["by_reason"]}))
    for r in s["runs"]:
        click.echo(
            f"  run {r['id']}: {r['site']} {r['status']} {r['started']} → {r['finished'] or '…'}: "
            f"{r['pages']} pages, {r['articles_new']} new, {r['articles_changed']} changed, "
            f"{r['articles_unchanged']} unchanged, {r.get('not_modified', 0)} not modified, "
            f"{r.get('gone', 0)} gone, {r['failed']} failed"
            + (f"; {r['outcome']} (exit {r['exit_code']})" if r.get("outcome") else "")
        )


@main.command("stats")
@click.option("--json", "as_json", is_flag=True, help="All the figures as JSON.")
@db_option
@click.pass_context
def stats_cmd(ctx: click.Context, as_json: bool, db: str | None) -> None:
    """Counts: articles per site, language, section and month; pages; failures; recent runs.

    \b
    Example:
      newsarchive stats --db data/archive.db
    """
    with open_archive(ctx, db) as archive:
        figures = stats(archive)
    if as_json:
        _echo_json(figures)
    else:
        _print_stats(figures)


# --- check ------------------------------------------------------------------------------------


@main.command("check")
@db_option
@click.pass_context
def check_cmd(ctx: click.Context, db: str | None) -> None:
    """Check the archive: SQLite integrity, both full-text indexes, orphans, duplicates.

    Exits with status 1 and lists the problems if there are any.

    \b
    Example:
      newsarchive check --db data/archive.db
    """
    with open_archive(ctx, db) as archive:
        problems = check(archive)
        where = archive.path
    if problems:
        for problem in problems:
            click.echo(f"problem: {problem}")
        ctx.exit(1)
    click.echo(f"ok: no problems found in {where}")
