"""``newsarchive crawl``: a thin click command over scrapers.crawl (imports Scrapy lazily)."""

from __future__ import annotations

import sys
import time

import click


def _summary(result: object, db: str, seconds: float) -> str:
    from scrapers.crawl import CrawlResult

    assert isinstance(result, CrawlResult)
    pages = result.count("response_received_count")
    failed = result.failures_by_reason()
    lines = [
        f"crawl {result.finish_reason} in {seconds:.1f}s: {pages} pages ({pages / max(seconds, 1e-9):.1f}/s)",
        f"  articles: {result.count('archive/articles/new')} new, "
        f"{result.count('archive/articles/changed')} changed, "
        f"{result.count('archive/articles/unchanged')} unchanged, "
        f"{result.count('frontier/skipped/archived')} already archived (not fetched)",
        f"  failed: {sum(failed.values())}"
        + (" (" + ", ".join(f"{k} {v}" for k, v in sorted(failed.items())) + ")" if failed else ""),
        f"  archive: {db}",
    ]
    return "\n".join(lines)


@click.command()
@click.argument("site")
@click.option("--base-url", help="Crawl this address instead of the site's own (e.g. the replica).")
@click.option("--db", "db", envvar="NEWSARCHIVE_DB", default="data/archive.db", show_default=True,
              help="Archive file (created if missing).")
@click.option("--lang", help="Comma-separated languages, e.g. az,en,ru (default: all of the site's).")
@click.option("--section", "sections", multiple=True, help="Only this section slug (repeatable).")
@click.option("--limit", type=click.IntRange(min=0), default=0, help="Fetch at most N articles (0: no limit).")
@click.option("--refetch", is_flag=True, help="Fetch articles again even if already archived.")
@click.option("--log-level", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]), default="WARNING",
              show_default=True)
@click.option("--quiet", is_flag=True, help="No progress lines.")
def crawl(site: str, base_url: str | None, db: str, lang: str | None, sections: tuple[str, ...],
          limit: int, refetch: bool, log_level: str, quiet: bool) -> None:
    """Crawl SITE (a site profile name, e.g. turan) into the archive.

    Example: newsarchive crawl turan --base-url http://127.0.0.1:8000 --lang en --limit 50
    """
    from scrapers.crawl import CrawlSetupError, run_crawl

    overrides = {
        "ARCHIVE_PATH": db,
        "CRAWL_BASE_URL": base_url,
        "CRAWL_LANGUAGES": [x.strip() for x in lang.split(",") if x.strip()] if lang else None,
        "CRAWL_SECTIONS": list(sections) or None,
        "CRAWL_LIMIT": limit,
        "CRAWL_SKIP_ARCHIVED": not refetch,
        "LOG_LEVEL": log_level,
        "PROGRESS_ENABLED": not quiet,
    }
    started = time.monotonic()
    try:
        result = run_crawl(site, overrides)
    except CrawlSetupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(_summary(result, db, time.monotonic() - started), err=False)
    if result.finish_reason not in ("finished", "closespider_itemcount"):
        sys.exit(1)
