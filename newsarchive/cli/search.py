"""``newsarchive search``: full-text search of articles, comments or captions, printed or as JSON."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import click

from archive.read import printable
from archive.search import (
    DEFAULT_MIN_CONFIDENCE,
    SORTS,
    TARGETS,
    CaptionHit,
    CommentHit,
    Filters,
    Hit,
    SearchHit,
    SearchInfo,
    count,
    facets,
    fts_query,
    render_snippet,
    search_info,
)
from archive.search.topk import TopK
from archive.translations import Story, grouped_search
from archive.words import language_name, plural
from newsarchive.cli.common import calendar_date, counts_line, db_option, echo_json, open_archive
from scrapers import settings as defaults

# The settings `-s` may set here (scrapers/settings.py): how broad queries use the top-k index.
TOPK_SETTINGS = {"SEARCH_TOPK_ENABLED": "enabled", "SEARCH_TOPK_CANDIDATES": "candidates",
                 "SEARCH_TOPK_THRESHOLD": "threshold"}


def topk_settings(sets: Sequence[str]) -> TopK:
    """The SEARCH_TOPK_* settings: their defaults, then `-s NAME=VALUE`."""
    values: dict[str, object] = {field: getattr(defaults, name) for name, field in TOPK_SETTINGS.items()}
    for item in sets:
        name, sep, value = (part.strip() for part in item.partition("="))
        if not sep or name not in TOPK_SETTINGS:
            raise click.BadParameter(f"{item!r}: expected NAME=VALUE with NAME one of {', '.join(TOPK_SETTINGS)}",
                                     param_hint="-s/--set")
        if name == "SEARCH_TOPK_ENABLED":
            values["enabled"] = value.lower() in ("1", "true", "yes", "on")
        elif not value.isdigit() or int(value) < 1:
            raise click.BadParameter(f"{item!r}: {name} is a whole number of at least 1", param_hint="-s/--set")
        else:
            values[TOPK_SETTINGS[name]] = int(value)
    return TopK(**values)  # type: ignore[arg-type]


def _stdout_is_tty() -> bool:
    return sys.stdout.isatty()


def _mark(text: str, highlights: list[tuple[int, int]], colour: bool) -> str:
    if not colour:
        return render_snippet(text, highlights)
    start = click.style("", fg="yellow", bold=True, reset=False)
    return render_snippet(text, highlights, start, click.style("", reset=True))


def _snippet(hit: Hit, colour: bool) -> str:
    return _mark(hit.snippet, hit.highlights, colour)


def _hit_json(hit: Hit) -> dict[str, Any]:
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


def _print_facets(counts: dict[str, dict[str, int]] | None) -> None:
    for name, values in (counts or {}).items():
        click.echo(counts_line(f"  {name}:", values))


@click.command("search")
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
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=DEFAULT_MIN_CONFIDENCE, show_default=True,
              help="Only articles at least this sure to be articles (a generic crawl's probable ones; 0: all).")
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
@click.option("--exact", is_flag=True,
              help="Rank every match by bm25 (a broad query is otherwise ranked among the top-k index's best); "
                   "--count/--facets counted by SQL over every match.")
@click.option("-s", "--set", "sets", multiple=True, metavar="NAME=VALUE",
              help="A SEARCH_TOPK_* setting, e.g. -s SEARCH_TOPK_CANDIDATES=1000 (repeatable).")
@click.option("--count", "only_count", is_flag=True, help="Print only how many match.")
@click.option("--facets", "with_facets", is_flag=True, help="Also count matching articles per year, section, language.")
@click.option(
    "--json", "as_json", is_flag=True, help="JSON output; matches marked [like this] and as ranges."
)
@click.option(
    "--color/--no-color", "color", default=None, help="Highlight matches in colour (default: on a terminal)."
)
@click.option("--group-translations", "group", is_flag=True,
              help="One result per story: its best-ranked language version, its other languages listed.")
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
    min_confidence: float,
    sort: str,
    target: str,
    in_comments: bool,
    in_captions: bool,
    exact: bool,
    sets: tuple[str, ...],
    only_count: bool,
    with_facets: bool,
    as_json: bool,
    color: bool | None,
    group: bool,
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
    filters = Filters(lang, site, section, since, until, author, has_comments, min_confidence)
    settings = topk_settings(sets)
    if group and not only_count:
        if target != "articles":
            raise click.UsageError("--group-translations groups articles: it does not go with --in comments/captions")
        _grouped(ctx, db, query, filters, limit, offset, sort, as_json, color)
        return
    with open_archive(ctx, db) as archive:
        counted = count(archive, query, filters, target, exact=exact, settings=settings) \
            if only_count or with_facets else None
        grouped = facets(archive, query, filters, exact=exact, settings=settings) \
            if with_facets and target != "comments" else None
        hits, info = ([], SearchInfo(exact=True)) if only_count else search_info(
            archive, query, filters, target, limit=limit, offset=offset, sort=sort, exact=exact, settings=settings)
    if only_count:
        _print_count(query, counted, grouped, as_json)
    elif as_json:
        data: dict[str, Any] = {
            "query": query, "in": target, "sort": sort,
            "fts_query": fts_query(query, target, author), **info.as_json(), "results": [_hit_json(h) for h in hits],
        }
        echo_json({**data, **({"count": counted, "facets": grouped} if with_facets else {})})
    else:
        if with_facets:
            click.echo(plural(counted or 0, "match", "matches"))
            _print_facets(grouped)
        if info.notice():
            click.echo(info.notice())
        # Scraped text: printed with no control character (archives written before the parsers dropped them).
        _print_hits(query, printable(list(hits)), offset, _stdout_is_tty() if color is None else color)


def _print_count(query: str, counted: int | None, grouped: dict[str, dict[str, int]] | None, as_json: bool) -> None:
    if as_json:
        echo_json({"query": query, "count": counted, **({"facets": grouped} if grouped else {})})
        return
    click.echo(counted)
    _print_facets(grouped)


def _print_hits(query: str, hits: Sequence[Hit], offset: int, colour: bool) -> None:
    if not hits:
        click.echo(f"no matches for {query!r}", err=True)
    for n, hit in enumerate(hits, start=offset + 1):
        if isinstance(hit, CommentHit):
            _print_comment_hit(n, hit, colour)
        elif isinstance(hit, CaptionHit):
            _print_caption_hit(n, hit, colour)
        else:
            _print_article_hit(n, hit, colour)


def _grouped(ctx: click.Context, db: str | None, query: str, filters: Filters, limit: int, offset: int, sort: str,
             as_json: bool, color: bool | None) -> None:
    """--group-translations: a page of stories (archive/translations.py)."""
    with open_archive(ctx, db) as archive:
        page = grouped_search(archive, query, filters, limit=limit, offset=offset, sort=sort)
    if as_json:
        echo_json({"query": query, "sort": sort, "group_translations": True, "offset": offset, "more": page.more,
                   "capped": page.capped, "stories": [_story_json(s) for s in page.stories]})
        return
    colour = _stdout_is_tty() if color is None else color
    if not page.stories:
        click.echo(f"no matches for {query!r}", err=True)
    for n, story in enumerate(printable(page.stories), start=offset + 1):
        _print_article_hit(n, story.hit, colour)
        if story.versions:
            click.echo("    Also in: " + " · ".join(
                f"{language_name(v.language)} (id {v.id}{', matches too' if v.id in story.matched else ''})"
                for v in story.versions))
    if page.capped:
        click.echo(f"(grouped among the first {plural(page.scanned, 'ranked match', 'ranked matches')} only)", err=True)


def _story_json(story: Story) -> dict[str, Any]:
    return {**_hit_json(story.hit), "story": story.key,
            "versions": [{**asdict(v), "matches": v.id in story.matched} for v in story.versions]}
