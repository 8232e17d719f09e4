"""``newsarchive ingest``: the single archive writer of a distributed crawl (scrapers/distributed/ingest.py)."""

from __future__ import annotations

import logging
import signal
import sys
import time
from types import FrameType

import click

from archive.errors import ArchiveError
from archive.store import Archive
from newsarchive.cli.common import DEFAULT_DB
from scrapers import settings as defaults
from scrapers.distributed.ingest import Ingester, IngestResult, IngestSettings
from scrapers.health import EXIT_CODES, EXIT_COULD_NOT_RUN, EXIT_ERROR
from scrapers.lock import JobLock, LockBusyError

EXIT_HELP = "\b\nExit codes:\n" + "\n".join(f"  {code}  {text}" for code, text in EXIT_CODES.items())


def _summary(result: IngestResult, site: str, url: str, db: str) -> str:
    from scrapers.distributed.state import redact

    t = result.totals
    failed = result.failed_by_reason
    status = (f"{result.judged.message} (exit {result.exit_code}, run {result.run_id})" if result.judged else
              f"stopped before the crawl's end; run {result.run_id} stays open: the same command continues it "
              f"(exit {result.exit_code})")
    return "\n".join([
        f"ingest {result.outcome} in {result.seconds:.1f}s: {t['items']} items from the crawl of {site} "
        f"in {redact(url)}"
        + (" (continued)" if result.resumed else f" (opened; {result.frontier} archived articles in its frontier)"),
        f"  articles: {t['articles_new']} new, {t['articles_changed']} changed, {t['articles_unchanged']} unchanged; "
        f"re-visits: {t['not_modified']} not modified, {t['gone']} taken down; comments: {t['comments_new']} new",
        f"  failed: {sum(failed.values())}"
        + (" (" + ", ".join(f"{k} {v}" for k, v in sorted(failed.items())) + ")" if failed else "")
        + (f"; {t['dead_letters']} bad items set aside (dead letters: see `newsarchive stats`)"
           if t["dead_letters"] else ""),
        f"  yield: {result.yield_.describe() if result.yield_ else 'no new or changed article'}",
        f"  status: {status}",
        f"  archive: {db}",
    ])


@click.command(epilog=EXIT_HELP)
@click.argument("site")
@click.option("--redis", "redis_url", required=True, metavar="URL", envvar="NEWSARCHIVE_REDIS",
              help="The crawl's Redis, e.g. redis://127.0.0.1:6379/0 (or NEWSARCHIVE_REDIS).")
@click.option("--db", "db", envvar="NEWSARCHIVE_DB", default=DEFAULT_DB, show_default=True,
              help="Archive file (created if missing).")
@click.option("--batch-size", type=click.IntRange(min=1), default=IngestSettings.batch_size, show_default=True,
              help="Items per write transaction.")
@click.option("--redis-wait", type=click.FloatRange(min=0), default=defaults.DISTRIBUTED_REDIS_WAIT, show_default=True,
              help="Seconds to wait for an unreachable Redis (a restart) before giving up.")
@click.option("--quiet", is_flag=True, help="No progress lines.")
@click.option("--log-level", type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]), default="WARNING",
              show_default=True)
def ingest(site: str, redis_url: str, db: str, batch_size: int, redis_wait: float, quiet: bool,
           log_level: str) -> None:
    """Write the distributed crawl of SITE from Redis into the archive, until the crawl is finished.

    Start it once, where the archive is; start workers anywhere with
    `newsarchive crawl SITE --distributed URL`. It opens a new crawl (publishing the archive's
    frontier for the workers), or continues the one open in Redis after a stop.

    \b
    Examples:
      newsarchive ingest turan --redis redis://127.0.0.1:6379/0 --db data/archive.db
      newsarchive crawl turan --distributed redis://archive-host:6379/0      # on each worker machine
    """
    from redis.exceptions import RedisError

    from scrapers.distributed.state import RedisCrawl, connect

    logging.basicConfig(level=log_level, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s")
    try:
        client = connect(redis_url, redis_wait)
        client.ping()
    except (ValueError, RedisError) as exc:
        click.echo(f"newsarchive ingest: could not run: {exc}", err=True)
        sys.exit(EXIT_COULD_NOT_RUN)
    lock = JobLock(db, site)
    try:
        lock.acquire()  # one writer of the site into this archive: a crawl or an ingest
        archive = Archive.open(db)
    except ArchiveError as exc:
        lock.release()
        busy = " (exit 4)" if isinstance(exc, LockBusyError) else ""
        click.echo(f"newsarchive ingest: could not run: {exc}{busy}", err=True)
        sys.exit(EXIT_COULD_NOT_RUN)
    settings = IngestSettings(batch_size=batch_size, progress=0.0 if quiet else 2.0)
    ingester = Ingester(RedisCrawl(client, site), archive, redis_url, settings,
                        report=lambda line: click.echo(line, err=True))

    def stop(signum: int, frame: FrameType | None) -> None:
        click.echo("newsarchive ingest: stopping after the current batch", err=True)
        ingester.stop.set()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    started = time.monotonic()
    try:
        try:
            ingester.open()
        except ArchiveError as exc:
            ingester.crawl.release_ingester(ingester.name)
            click.echo(f"newsarchive ingest: could not run: {exc}", err=True)
            sys.exit(EXIT_COULD_NOT_RUN)
        result = ingester.run()
    except (ArchiveError, RedisError) as exc:
        # An archive that cannot be written is unusable (4, as for `crawl`); a lost Redis is an error (1).
        click.echo(f"newsarchive ingest: stopped after {time.monotonic() - started:.0f}s: {exc}; what is written "
                   "is committed, the rest waits in Redis: the same command continues", err=True)
        sys.exit(EXIT_COULD_NOT_RUN if isinstance(exc, ArchiveError) else EXIT_ERROR)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        archive.close()
        lock.release()
    click.echo(_summary(result, site, redis_url, db))
    sys.exit(result.exit_code)
