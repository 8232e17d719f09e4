"""``newsarchive crawl SITE --distributed URL``: one worker of a distributed crawl, its summary and
its exit code (the crawl's own verdict is the ingester's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scrapers.distributed.scheduler import CRAWL_DONE, NO_CRAWL, REDIS_UNAVAILABLE
from scrapers.distributed.state import connect, redact
from scrapers.health import EXIT_COULD_NOT_RUN, EXIT_ERROR, EXIT_OK

DONE = ("finished", "closespider_itemcount", "closespider_pagecount", "closespider_timeout")


@dataclass
class WorkerOutcome:
    exit_code: int
    summary: str


def check_redis(url: str, wait: float) -> str | None:
    """None if Redis at `url` answers (within `wait` s), else why not, in one line."""
    try:
        connect(url, wait).ping()
    except ValueError as exc:
        return str(exc)
    except Exception as exc:
        return f"Redis at {redact(url)} unreachable: {exc}"
    return None


def verdict(reason: str, stats: dict[str, Any]) -> tuple[int, str]:
    if reason in DONE:
        text = "ok: the crawl is finished" if reason == "finished" else f"ok: this worker reached its limit ({reason})"
        return EXIT_OK, text
    message = str(stats.get("distributed/message") or "")
    if reason in (NO_CRAWL, CRAWL_DONE):
        return EXIT_COULD_NOT_RUN, f"could not run: {message}"
    if reason == REDIS_UNAVAILABLE:
        return EXIT_ERROR, message or "Redis became unreachable"
    return EXIT_ERROR, (f"stopped before the end ({reason}); the crawl goes on in Redis: "
                        "start this worker again to continue")


def summary(reason: str, stats: dict[str, Any], site: str, url: str, seconds: float) -> tuple[int, str]:
    def count(key: str) -> int:
        return int(stats.get(key, 0) or 0)

    code, status = verdict(reason, stats)
    pages = count("response_received_count")
    failed = {k[len("archive/failed/"):]: int(v) for k, v in stats.items() if k.startswith("archive/failed/")}
    lines = [
        f"worker {reason} in {seconds:.1f}s: {pages} pages ({pages / max(seconds, 1e-9):.1f}/s), "
        f"crawl of {site} in {redact(url)}",
        f"  sent to the ingester: {count('distributed/items/article')} articles, {count('distributed/items/page')} "
        f"other pages, {count('distributed/items/failure')} failures, {count('distributed/items/revisit')} re-visits; "
        f"{count('archive/dropped/duplicate')} duplicates not sent",
        f"  requests: {count('scheduler/enqueued/redis')} queued, {count('scheduler/dequeued/redis')} taken, "
        f"{count('dupefilter/filtered')} already queued by this crawl, {count('frontier/skipped/archived')} already "
        f"archived; {count('distributed/requests/taken_over')} taken over from stopped workers"
        + (f"; {count('distributed/requests/refused')} refused (not http(s) on the site, or not one the spider "
           "makes)" if count("distributed/requests/refused") else ""),
        f"  failed: {sum(failed.values())}"
        + (" (" + ", ".join(f"{k} {v}" for k, v in sorted(failed.items())) + ")" if failed else ""),
        f"  status: {status} (exit {code}, worker {stats.get('distributed/worker', '?')})",
    ]
    return code, "\n".join(lines)


def run_worker(site: str | None, overrides: dict[str, Any]) -> WorkerOutcome:
    """Runs one worker to its end (in this process: Scrapy's reactor runs once)."""
    import time

    from scrapers.crawl import CrawlSetupError, crawl_settings, resolve_spider, run_crawl
    from scrapers.joblock import job_name

    url = str(overrides["DISTRIBUTED_REDIS_URL"])
    settings = crawl_settings(overrides)
    try:
        spider = resolve_spider(site, settings)
    except CrawlSetupError as exc:
        return WorkerOutcome(EXIT_COULD_NOT_RUN, f"newsarchive crawl: could not run: {exc}")
    problem = check_redis(url, settings.getfloat("DISTRIBUTED_REDIS_WAIT"))
    if problem:
        return WorkerOutcome(EXIT_COULD_NOT_RUN, f"newsarchive crawl: could not run: {problem}")
    from scrapy.spiderloader import get_spider_loader

    name = job_name(settings, get_spider_loader(settings).load(spider))
    started = time.monotonic()
    result = run_crawl(site, overrides)
    code, text = summary(result.finish_reason, result.stats, name, url, time.monotonic() - started)
    return WorkerOutcome(code, text)
