"""``newsarchive show``, ``stats`` and ``check``: one article, the archive's figures, its integrity."""

from __future__ import annotations

from typing import Any

import click

from archive.errors import ArticleNotFoundError
from archive.read import check, get_article, printable, stats
from archive.search import DEFAULT_MIN_CONFIDENCE
from archive.words import plural
from newsarchive.cli.common import counts_line, db_option, echo_json, open_archive


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
            click.echo(f"     {_photo_line(c.get('photo'))}")
    if a["comments"]:
        click.echo(f"\nComments ({a['comment_count']}):")
        _print_comments(a["comments"])


@click.command("show")
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
        echo_json(article)
    else:
        _print_article(printable(article))  # scraped text: no control characters


# --- stats ------------------------------------------------------------------------------------


def _photo_line(photo: dict[str, Any] | None) -> str:
    if photo is None:
        return "photo: not archived"
    size = f"{photo['width']}x{photo['height']}, " if photo["width"] else ""
    return f"photo: {photo['content_type']}, {size}{photo['size']:,} bytes, sha256 {photo['sha256'][:16]}…"


def _print_stats(s: dict[str, Any]) -> None:
    mb = 1024 * 1024
    click.echo(
        f"{'articles:':<13}{s['articles']} ({s['articles_partial']} partial), "
        f"{plural(s['comments'], 'comment')}, {plural(s['captions'], 'caption')}"
    )
    below = s["articles_below"]
    click.echo(
        f"{'':<13}at confidence >= {s['min_confidence']:g} (default {s['min_confidence_default']:g}, "
        f"--min-confidence); below it: {sum(below.values())}"
        + (f" ({', '.join(f'{k} {v}' for k, v in below.items())})" if below else "")
    )
    for key in ("site", "language", "section", "month"):
        click.echo(counts_line(f"  {key}:", s[f"by_{key}"]))
    p, b = s["pages"], s["page_bodies"]
    click.echo(
        f"{'pages:':<13}{p['fetches']} fetches of {p['urls']} URLs, {p['versions']} distinct versions; "
        f"{b['count']} bodies, {b['raw_bytes'] / mb:.1f} MB raw, {b['stored_bytes'] / mb:.1f} MB stored"
    )
    m = s["media"]
    click.echo(
        f"{'photos:':<13}{m['media']} stored, {m['media_bytes'] / mb:.1f} MB"
        + (f" ({m['media_in_files']} in the media folder)" if m["media_in_files"] else "")
        + f", shown {m['media_links']} times"
    )
    click.echo(counts_line("failures:", {"total": s["failures"]["total"], **s["failures"]["by_reason"]}))
    if s["dead_letters"]:  # distributed-crawl items set aside by `newsarchive ingest` (table dead_letters)
        letters = s["dead_letters"]
        click.echo(f"dead letters: {sum(letters.values())} ("
                   + ", ".join(f"{k} {v}" for k, v in letters.items()) + ") bad queue items, in table dead_letters")
    for r in s["runs"]:
        click.echo(
            f"  run {r['id']}: {r['site']} {r['status']} {r['started']} → {r['finished'] or '…'}: "
            f"{plural(r['pages'], 'page')}, {r['articles_new']} new, {r['articles_changed']} changed, "
            f"{r['articles_unchanged']} unchanged, {r.get('not_modified', 0)} not modified, "
            f"{r.get('gone', 0)} gone, {r['failed']} failed"
            + (f"; {r['outcome']} (exit {r['exit_code']})" if r.get("outcome") else "")
        )


@click.command("stats")
@click.option("--json", "as_json", is_flag=True, help="All the figures as JSON.")
@click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=DEFAULT_MIN_CONFIDENCE, show_default=True,
              help="Count articles at least this sure to be articles; the others are counted apart.")
@db_option
@click.pass_context
def stats_cmd(ctx: click.Context, as_json: bool, min_confidence: float, db: str | None) -> None:
    """Counts: articles per site, language, section and month; pages; failures; recent runs.

    \b
    Example:
      newsarchive stats --db data/archive.db
    """
    with open_archive(ctx, db) as archive:
        figures = stats(archive, min_confidence)
    if as_json:
        echo_json(figures)
    else:
        _print_stats(printable(figures))


# --- check ------------------------------------------------------------------------------------


@click.command("check")
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
