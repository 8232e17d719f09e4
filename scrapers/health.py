"""A crawl run's health: its extraction yield, how it compares with the site's usual, its verdict
and the exit code a scheduler acts on.

The yield is the share of the run's new and changed articles (plus the article pages that could
not be read at all) that came out with a body, a date and an author. A layout change on the site
shows as a sharp drop against the median of the site's previous runs.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scrapy.settings import BaseSettings, Settings

from archive.store import Archive
from scrapers.failures import NO_RESPONSE_REASONS

EXIT_OK = 0
EXIT_ERROR = 1  # an unexpected error, or a crawl stopped before its end (Ctrl-C, SIGTERM)
EXIT_PARTLY_FAILED = 3
EXIT_COULD_NOT_RUN = 4
EXIT_YIELD_DROPPED = 5
EXIT_CODES: dict[int, str] = {
    EXIT_OK: "ok",
    EXIT_ERROR: "error, or stopped before the end (Ctrl-C, SIGTERM)",
    2: "bad command-line usage",
    EXIT_PARTLY_FAILED: "partly failed: more requests failed than the threshold (HEALTH_FAILURE_THRESHOLD)",
    EXIT_COULD_NOT_RUN: "could not run: another job holds the lock (busy), or the archive or site is unusable",
    EXIT_YIELD_DROPPED: "extraction yield dropped sharply against the site's previous runs (layout change?)",
}
COMPLETE = ("finished", "closespider_itemcount", "closespider_pagecount")
METRICS = ("body", "date", "author")


@dataclass(frozen=True)
class Yield:
    articles: int  # new and changed articles, plus article pages that could not be read
    body: float
    date: float
    author: float

    @classmethod
    def of(cls, stored: int, with_date: int, with_author: int, unreadable: int = 0) -> Yield | None:
        total = stored + unreadable
        if total == 0:
            return None
        return cls(total, stored / total, with_date / total, with_author / total)

    def describe(self) -> str:
        return (f"body {self.body:.0%}, date {self.date:.0%}, author {self.author:.0%} "
                f"of {self.articles} new/changed articles")


@dataclass(frozen=True)
class HealthSettings:
    """The ``HEALTH_*`` settings (defaults: scrapers/settings.py)."""

    failure_threshold: float  # share of requests that may fail before a run "partly failed"
    ignore_failures: tuple[str, ...]  # dead links (http_404, http_410): the site's failures, not ours
    min_articles: int  # fewer new/changed articles than this: too few to judge a yield
    yield_drop: float  # a metric below (1 - this) x its usual value is a sharp drop
    baseline_runs: int

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> HealthSettings:
        return cls(
            failure_threshold=settings.getfloat("HEALTH_FAILURE_THRESHOLD"),
            ignore_failures=tuple(settings.getlist("HEALTH_IGNORE_FAILURES")),
            min_articles=settings.getint("HEALTH_MIN_ARTICLES"),
            yield_drop=settings.getfloat("HEALTH_YIELD_DROP"),
            baseline_runs=settings.getint("HEALTH_BASELINE_RUNS"),
        )

    @classmethod
    def defaults(cls) -> HealthSettings:
        """As the project's settings (scrapers/settings.py) have them: for runs outside a crawl (ingest)."""
        settings = Settings()
        settings.setmodule("scrapers.settings", priority="project")
        return cls.from_settings(settings)


@dataclass(frozen=True)
class Verdict:
    outcome: str  # ok, partly_failed, yield_dropped, stopped
    exit_code: int
    message: str


def previous_yields(archive: Archive, site: str, before_run: int, settings: HealthSettings) -> list[Yield]:
    """Yields of the site's latest earlier runs that had enough articles to count."""
    rows = archive.conn.execute(
        "SELECT yield_articles, yield_body, yield_date, yield_author FROM crawl_runs "
        "WHERE site = ? AND id < ? AND yield_articles >= ? ORDER BY id DESC LIMIT ?",
        (site, before_run, settings.min_articles, settings.baseline_runs),
    )
    return [Yield(int(n), float(b), float(d), float(a)) for n, b, d, a in rows]


def yield_drops(current: Yield | None, previous: Sequence[Yield], settings: HealthSettings) -> list[str]:
    """One line per metric that fell sharply below its usual value (empty: nothing to say)."""
    if current is None or current.articles < settings.min_articles or not previous:
        return []
    drops = []
    for metric in METRICS:
        usual = statistics.median(getattr(y, metric) for y in previous)
        now = getattr(current, metric)
        if usual >= 0.2 and now < usual * (1 - settings.yield_drop):
            drops.append(f"{metric} yield {now:.0%}, usually {usual:.0%} (median of the last {len(previous)} runs)")
    return drops


def verdict(
    finish_reason: str,
    pages: int,
    failed_by_reason: Mapping[str, int],
    drops: Sequence[str],
    settings: HealthSettings,
) -> Verdict:
    if finish_reason not in COMPLETE:
        return Verdict("stopped", EXIT_ERROR, f"the crawl stopped before its end ({finish_reason})")
    if drops:
        return Verdict("yield_dropped", EXIT_YIELD_DROPPED,
                       "extraction yield dropped sharply (a layout change?): " + "; ".join(drops))
    counted = {k: v for k, v in failed_by_reason.items() if k not in settings.ignore_failures and v}
    failed = sum(counted.values())
    requests = pages + sum(v for k, v in failed_by_reason.items() if k in NO_RESPONSE_REASONS)
    if failed and failed > settings.failure_threshold * max(requests, 1):
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(counted.items(), key=lambda kv: -kv[1]))
        return Verdict(
            "partly_failed", EXIT_PARTLY_FAILED,
            f"partly failed: {failed} of {requests} requests failed ({failed / max(requests, 1):.0%}, threshold "
            f"{settings.failure_threshold:.0%}): {reasons}",
        )
    return Verdict("ok", EXIT_OK, "ok")
