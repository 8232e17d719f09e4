"""``newsarchive crawl``: a thin click command over scrapers.crawl (imports Scrapy lazily)."""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from archive.errors import ArchiveError
from archive.store import Archive
from newsarchive.cli.common import DEFAULT_DB, calendar_date
from scrapers.health import EXIT_CODES, EXIT_COULD_NOT_RUN, EXIT_ERROR
from scrapers.lock import JobLock, LockBusyError
from scrapers.media_policy import POLICIES
from scrapers.sites.recrawl import MODE_HELP, MODES, PolicyError, check_settings

EXIT_HELP = "\b\nExit codes:\n" + "\n".join(f"  {code}  {text}" for code, text in EXIT_CODES.items())
RECRAWL_HELP = "\b\nRe-crawl modes (--recrawl):\n" + "\n".join(f"  {m:<8} {MODE_HELP[m]}" for m in MODES)


def _summary(result: object, db: str, seconds: float) -> str:
    from scrapers.crawl import CrawlResult

    assert isinstance(result, CrawlResult)
    pages = result.count("response_received_count") - result.count("media/responses")  # photos are not pages
    failed = result.failures_by_reason()
    photo_failures = sum(v for k, v in failed.items() if k.startswith("media_"))
    lines = [
        f"crawl {result.finish_reason} in {seconds:.1f}s: {pages} pages ({pages / max(seconds, 1e-9):.1f}/s)",
        f"  articles: {result.count('archive/articles/new')} new, "
        f"{result.count('archive/articles/changed')} changed, "
        f"{result.count('archive/articles/unchanged')} unchanged, "
        f"{result.count('frontier/skipped/archived')} already archived (not due, not fetched)",
        f"  re-visits: {result.count('frontier/revisits')} due, "
        f"{result.count('archive/articles/not_modified')} not modified (304), "
        f"{result.count('archive/articles/gone')} taken down; comments: "
        f"{result.count('archive/comments/new')} new, {result.count('archive/comments/edited')} edited",
        f"  not articles (pages kept, not archived as articles): {result.count('archive/dropped/not_article')}",
        f"  photos: {result.count('archive/media/new')} stored ({result.count('archive/media/bytes') / 1e6:.1f} MB), "
        f"{result.count('media/uptodate')} already archived, {photo_failures} not archived",
        f"  failed: {sum(failed.values())}"
        + (" (" + ", ".join(f"{k} {v}" for k, v in sorted(failed.items())) + ")" if failed else ""),
        f"  yield: {result.stats.get('run/yield') or 'no new or changed article'}",
        f"  status: {result.stats.get('run/message', result.finish_reason)} "
        f"(exit {_exit_code(result)}, run {result.stats.get('run/id', '?')})",
        f"  archive: {db}",
    ]
    return "\n".join(lines)


def _exit_code(result: object) -> int:
    """The run's verdict (scrapers/health.py) as the writer recorded it; 1 when it has none."""
    stats = getattr(result, "stats", {})
    code = stats.get("run/exit_code")
    if stats.get("cdx/error_exit"):  # the CDX server failed (crawl --from): 4 before any page, else 3
        return max(int(stats["cdx/error_exit"]), int(code or 0))
    return int(code) if code is not None else EXIT_ERROR


@click.command(epilog=RECRAWL_HELP + "\n\n" + EXIT_HELP)
@click.argument("site", required=False)
@click.option("--start", "starts", multiple=True, metavar="URL",
              help="Crawl any site from this homepage, sitemap or feed (repeatable; no SITE needed).")
@click.option("--profile", help="Site profile (name or .toml file) for a --start crawl.")
@click.option("--profiles", "profile_dirs", multiple=True, envvar="NEWSARCHIVE_PROFILES",
              type=click.Path(exists=True, file_okay=False), help="Folder with your own site profiles (repeatable).")
@click.option("--since", metavar="DATE", callback=calendar_date,
              help="Skip sitemap and feed items older than DATE (YYYY-MM-DD).")
@click.option("--max-pages", type=click.IntRange(min=0), default=0,
              help="Stop after N pages, photos not counted (0: no limit).")
@click.option("--depth", type=click.IntRange(min=0), default=0, help="Follow links at most N hops (0: no limit).")
@click.option("--base-url", help="Crawl this address instead of the site's own (e.g. the replica).")
@click.option("--db", "db", envvar="NEWSARCHIVE_DB", default=DEFAULT_DB, show_default=True,
              help="Archive file (created if missing).")
@click.option("--lang", help="Comma-separated languages, e.g. az,en,ru (default: all of the site's).")
@click.option("--section", "sections", multiple=True, help="Only this section slug (repeatable).")
@click.option("--limit", type=click.IntRange(min=0), default=0, help="Fetch at most N articles (0: no limit).")
@click.option("--recrawl", type=click.Choice(MODES), default=None,
              help="How to treat archived articles (default: age, the site's [recrawl] policy; see below).")
@click.option("--refetch", is_flag=True, help="Fetch every archived article again, in full (--recrawl refetch).")
@click.option("--warc", "warc_dir", metavar="DIR",
              help="Also write every response with its request to WARC files in DIR (rotated at WARC_MAX_SIZE).")
@click.option("--images", type=click.Choice(POLICIES), default=None,
              help="Article photos to archive: captioned (default; the lead image included), all, none.")
@click.option("--media-dir", type=click.Path(file_okay=False), default=None,
              help="Keep the photos' bytes in this folder instead of inside the archive file.")
@click.option("--log-level", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]), default="WARNING",
              show_default=True)
@click.option("--quiet", is_flag=True, help="No progress lines.")
@click.option("--distributed", metavar="REDIS_URL",
              help="Be one worker of the distributed crawl in this Redis (redis://HOST:PORT/DB): requests come "
                   "from it, items go to `newsarchive ingest`, which writes the archive (--db is not used).")
@click.option("--from", "source", type=click.Choice(["wayback", "commoncrawl"]),
              help="Archive SITE's history from another web archive's captures (CDX API) instead of the site.")
@click.option("--cdx", "cdx", metavar="URL", help="With --from: any pywb-compatible CDX server, e.g. http://HOST/COLL/cdx.")
@click.option("--collection", metavar="CC-MAIN-…", help="With --from commoncrawl: the crawl's collection.")
@click.option("--until", metavar="DATE", callback=calendar_date, help="With --from: captures up to DATE.")
@click.option("-s", "--set", "sets", multiple=True, metavar="NAME=VALUE",
              help="Any setting, as with scrapy -s (repeatable), e.g. -s RECRAWL_AGES=2d:1h,30d:1d")
def crawl(site: str | None, starts: tuple[str, ...], profile: str | None, profile_dirs: tuple[str, ...],
          since: str | None, max_pages: int, depth: int, base_url: str | None, db: str, lang: str | None,
          sections: tuple[str, ...], limit: int, recrawl: str | None, refetch: bool, warc_dir: str | None,
          images: str | None, media_dir: str | None, log_level: str, quiet: bool, distributed: str | None,
          source: str | None, cdx: str | None, collection: str | None, until: str | None,
          sets: tuple[str, ...]) -> None:
    """Crawl SITE (a site profile name, e.g. turan) or any site from --start URL into the archive.

    \b
    Examples:
      newsarchive crawl turan --base-url http://127.0.0.1:8000 --lang en --limit 50
      newsarchive crawl --start https://example.com/ --since 2024-01-01 --max-pages 500
      newsarchive crawl mysite --profiles ~/profiles     # a profile of yours, no spider needed
      newsarchive crawl turan --from wayback --since 2020 --until 2025-02-13
      newsarchive crawl turan --from commoncrawl --collection CC-MAIN-2024-10
    """
    overrides = {
        "ARCHIVE_PATH": db,
        "CRAWL_BASE_URL": base_url,
        "CRAWL_LANGUAGES": [x.strip() for x in lang.split(",") if x.strip()] if lang else None,
        "CRAWL_SECTIONS": list(sections) or None,
        "CRAWL_LIMIT": limit,
        "RECRAWL_MODE": "refetch" if refetch else recrawl,
        "LOG_LEVEL": log_level,
        "PROGRESS_ENABLED": not quiet,
        "CRAWL_START_URLS": list(starts) or None,
        "CRAWL_PROFILE": profile,
        "SITE_PROFILE_DIRS": list(profile_dirs) or None,
        "CRAWL_SINCE": since,
        "CLOSESPIDER_PAGECOUNT": max_pages or None,
        "DEPTH_LIMIT": depth or None,
        "WARC_DIR": warc_dir,
        "MEDIA_IMAGES": images,
        "MEDIA_DIR": media_dir,
    }
    site = _from_archive(site, source, cdx, collection, since, until, overrides)
    for item in sets:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r}: expected NAME=VALUE", param_hint="-s/--set")
        overrides[name.strip()] = value
    if distributed:
        overrides["DISTRIBUTED_REDIS_URL"] = distributed
    if overrides.get("DISTRIBUTED_REDIS_URL"):  # a worker writes no archive: no lock, no --db
        from scrapers.distributed.worker import run_worker

        outcome = run_worker(site, dict(overrides))
        click.echo(outcome.summary, err=outcome.exit_code == EXIT_COULD_NOT_RUN)
        sys.exit(outcome.exit_code)
    started = time.monotonic()
    lock = JobLock(db, str(overrides["CRAWL_PROFILE"] if source else site or profile or "generic"))
    try:
        lock.acquire()  # before Scrapy even loads: a second job exits at once
    except ArchiveError as exc:  # busy (LockBusyError), or the lock file cannot be made
        click.echo(f"newsarchive crawl: {exc}" + (" (exit 4)" if isinstance(exc, LockBusyError) else ""), err=True)
        sys.exit(EXIT_COULD_NOT_RUN)
    try:
        if lock.taken_over is not None:
            click.echo(f"newsarchive crawl: {lock.taken_over}", err=True)
        result = _run(site, overrides, db)
    finally:
        lock.release()
    click.echo(_summary(result, db, time.monotonic() - started), err=False)
    cdx_error = getattr(result, "stats", {}).get("cdx/error")
    if cdx_error:  # one line: the CDX server answered 429/503 to the end, garbage, or nothing
        click.echo(f"newsarchive crawl: {cdx_error}", err=True)
    write_error = getattr(result, "stats", {}).get("run/write_error")
    if write_error:  # a full disk, a read-only archive: said on stderr too, in one line
        click.echo(f"newsarchive crawl: stopped: archive write failed: {write_error}", err=True)
    warc_error = getattr(result, "stats", {}).get("run/warc_error")
    if warc_error:
        click.echo(f"newsarchive crawl: stopped: WARC write failed: {warc_error}", err=True)
    sys.exit(_exit_code(result))


def _check_warc_dir(folder: str | None) -> None:
    """The WARC folder exists (made if need be): a crawl asked for a web archive does not start without one."""
    if not folder:
        return
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ArchiveError(f"cannot make the WARC folder {folder}: {exc.strerror}") from None


def _from_archive(site: str | None, source: str | None, cdx: str | None, collection: str | None,
                  since: str | None, until: str | None, overrides: dict[str, Any]) -> str | None:
    """--from: the CDX spider (scrapers/spiders/cdx.py) with SITE's profile; the site still names the lock."""
    if not source:
        if cdx or collection or until:
            raise click.UsageError("--cdx, --collection and --until go with --from wayback|commoncrawl")
        return site
    if not site:
        raise click.UsageError("--from needs a SITE (a profile name): whose captures to list")
    if source == "commoncrawl" and not (collection or cdx):
        raise click.UsageError("--from commoncrawl needs --collection CC-MAIN-YYYY-WW (or --cdx URL)")
    overrides.update({"CDX_SOURCE": source, "CDX_SERVER": cdx, "CDX_COLLECTION": collection,
                      "CDX_SINCE": since.replace("-", "") if since else None,
                      "CDX_UNTIL": until.replace("-", "") if until else None,
                      "CRAWL_PROFILE": site, "CRAWL_SINCE": None})
    return "cdx"


def _run(site: str | None, overrides: Mapping[str, Any], db: str) -> object:
    """Checks the archive, then crawls; anything that stops the crawl from running exits 4."""
    from scrapers.crawl import CrawlSetupError, run_crawl

    try:
        check_settings(overrides.get("RECRAWL_MODE"), overrides.get("RECRAWL_AGES"), overrides.get("RECRAWL_OLDER"))
        _check_warc_dir(overrides.get("WARC_DIR"))
        images = overrides.get("MEDIA_IMAGES")
        if images is not None and images not in POLICIES:  # -s MEDIA_IMAGES=...; --images is checked by click
            raise PolicyError(f"MEDIA_IMAGES: {images!r} is not one of {', '.join(POLICIES)}")
        Archive.open(db).close()  # creates or migrates it; refuses a file that is not an archive
        return run_crawl(site, dict(overrides))
    except (ArchiveError, CrawlSetupError, PolicyError) as exc:
        click.echo(f"newsarchive crawl: could not run: {exc}", err=True)
        sys.exit(EXIT_COULD_NOT_RUN)
