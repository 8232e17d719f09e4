"""Re-parse archived articles from their stored raw pages with the current parsers and profiles.

Every article keeps the hash of the page it was parsed from (``articles.page_hash``) and the page's
raw bytes (``page_bodies``), so when the parsers improve the whole archive can be parsed again
without fetching anything. Each article is parsed with the profile named by its ``site`` (the
generic extractors when no profile has that name), and written back through
:meth:`Archive.write_batch`, the same write path as a crawl: a changed article keeps its old state
as a version and its full-text entries follow; an unchanged one is left as it is (only its
``extractor_version`` is brought up to date).

Parsing runs in a process pool (``workers``; 0: in this process); each worker reads the raw pages
itself from a read-only connection, and the calling process is the one writer. A page that no longer
parses, parses without a body, or now parses to another article (its key changed) is counted and
left as it is.
"""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive.errors import ArchiveError, BodyDamagedError
from archive.store import Archive, ArticleRecord
from scrapers.parsers import parse_article
from scrapers.parsers.article import EXTRACTOR_VERSION, Article
from scrapers.parsers.pagetype import PageType
from scrapers.parsers.parse import parse_candidate
from scrapers.sites import ProfileError, SiteProfile, load_profile

CHUNK = 32  # articles per task sent to a worker
BATCH = 200  # articles per write transaction


@dataclass(frozen=True)
class Job:
    key: str
    url: str
    site: str | None
    page_hash: str
    content_type: str | None
    last_seen: str
    confidence: float = 1.0  # below 1: a generic crawl's candidate, checked by the page-type check again


@dataclass
class Outcome:
    key: str
    article: Article | None = None
    error: str | None = None  # a reason: parse_error, no_body, key_changed, page_missing, page_damaged


@dataclass
class ReparseResult:
    articles: int = 0  # selected (with a stored page)
    changed: int = 0
    unchanged: int = 0
    restamped: int = 0  # unchanged articles whose extractor_version was brought up to date
    skipped: Counter[str] = field(default_factory=Counter)  # by reason
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    """"1.10" > "1.9"; parts that are not numbers compare as text."""
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in version.split("."))


def select_jobs(conn: sqlite3.Connection, site: str | None = None, since_version: str | None = None) -> list[Job]:
    """The articles to re-parse: those with a stored page (of `site`; parsed by an extractor older
    than `since_version`), in id order."""
    rows = conn.execute(
        "SELECT a.key, a.url, a.site, a.page_hash, a.last_seen, a.extractor_version, "
        "(SELECT content_type FROM pages p WHERE p.content_hash = a.page_hash LIMIT 1), a.confidence "
        "FROM articles a WHERE a.page_hash IS NOT NULL AND (? IS NULL OR a.site = ?) ORDER BY a.id",
        (site, site),
    ).fetchall()
    jobs = []
    for key, url, row_site, page_hash, last_seen, version, content_type, confidence in rows:
        if since_version is not None and version is not None and (
            _version_key(str(version)) >= _version_key(since_version)
        ):
            continue
        jobs.append(Job(key, url, row_site, page_hash, content_type, last_seen, float(confidence)))
    return jobs


class Parser:
    """Parses jobs: reads each raw page from a read-only archive, picks the profile by site name."""

    def __init__(self, db: Path, profile_dirs: tuple[Path, ...] = ()) -> None:
        self.archive = Archive.open(db, create=False, readonly=True)
        self.profile_dirs = profile_dirs
        self.profiles: dict[str | None, SiteProfile | None] = {}

    def profile(self, site: str | None) -> SiteProfile | None:
        if site not in self.profiles:
            try:
                self.profiles[site] = load_profile(site, self.profile_dirs) if site else None
            except ProfileError:
                self.profiles[site] = None  # no profile of that name: the generic extractors
        return self.profiles[site]

    def parse(self, job: Job) -> Outcome:
        try:
            body = self.archive.page_body(job.page_hash)
        except BodyDamagedError as exc:  # stored, but not the bytes it was stored as
            return Outcome(job.key, error=f"page_damaged: {exc}")
        except ArchiveError as exc:
            return Outcome(job.key, error=f"page_missing: {exc}")
        try:
            article = self._article(body, job)
        except Exception as exc:  # a parser bug on one page must not stop the reparse
            return Outcome(job.key, error=f"parse_error: {type(exc).__name__}: {exc}")
        if article is None:
            return Outcome(job.key, error="not_article: the page-type check now vetoes it (the archived one is kept)")
        if not article.body.strip():
            return Outcome(job.key, error="no_body")
        if article.key != job.key:
            return Outcome(job.key, error=f"key_changed: now {article.key}")
        return Outcome(job.key, article)


    def _article(self, body: bytes, job: Job) -> Article | None:
        """The page parsed again; a probable article (confidence below 1) goes through the page-type
        check again, keeping the confidence the crawl gave it where that was higher (the site's
        evidence, a feed or a URL template, is the crawl's and is not gathered again here)."""
        profile = self.profile(job.site)
        if job.confidence >= 1.0:
            return parse_article(body, job.url, profile, content_type=job.content_type)
        found = parse_candidate(body, job.url, profile, content_type=job.content_type)
        if isinstance(found, PageType):
            return None
        found.confidence = max(found.confidence, job.confidence)
        return found


_worker: Parser | None = None


def _init_worker(db: Path, profile_dirs: tuple[Path, ...]) -> None:
    global _worker
    _worker = Parser(db, profile_dirs)


def _parse_chunk(jobs: Sequence[Job]) -> list[Outcome]:
    assert _worker is not None
    return [_worker.parse(job) for job in jobs]


def _chunks(jobs: Sequence[Job], size: int) -> Iterator[list[Job]]:
    for start in range(0, len(jobs), size):
        yield list(jobs[start:start + size])


def _parsed(db: Path, jobs: Sequence[Job], workers: int, profile_dirs: tuple[Path, ...]) -> Iterator[Outcome]:
    """Outcomes of all jobs, as they come (in a pool of `workers` processes, or here when 0)."""
    if workers <= 0:
        parser = Parser(db, profile_dirs)
        try:
            for job in jobs:
                yield parser.parse(job)
        finally:
            parser.archive.close()
        return
    chunks = _chunks(jobs, CHUNK)
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(db, profile_dirs)) as pool:
        running: set[Future[list[Outcome]]] = set()
        for chunk in chunks:  # keep a few chunks per worker in flight, not the whole archive
            running.add(pool.submit(_parse_chunk, chunk))
            if len(running) >= 3 * workers:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    yield from future.result()
        for future in running:
            yield from future.result()


def _at(stamp: str) -> datetime:
    value = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def reparse(
    db: str | Path,
    *,
    workers: int = 0,
    site: str | None = None,
    since_version: str | None = None,
    profile_dirs: tuple[Path, ...] = (),
    progress: Callable[[ReparseResult], None] | None = None,
) -> ReparseResult:
    """Re-parses the archive at `db` (see the module's docstring); returns what it did."""
    started = time.perf_counter()
    db = Path(db)
    result = ReparseResult()
    with Archive.open(db, create=False) as archive:
        jobs = select_jobs(archive.conn, site, since_version)
        result.articles = len(jobs)
        by_key = {job.key: job for job in jobs}
        pending: list[ArticleRecord] = []

        def flush() -> None:
            if not pending:
                return
            written = archive.write_batch(articles=pending)
            result.changed += written.articles_changed
            result.unchanged += written.articles_unchanged
            # The version stamp is not part of the content hash: unchanged rows keep the old one.
            archive.conn.execute("BEGIN IMMEDIATE")
            try:
                cur = archive.conn.executemany(
                    "UPDATE articles SET extractor_version = ? WHERE key = ? AND extractor_version IS NOT ?",
                    ((r.article.extractor_version, r.article.key, r.article.extractor_version) for r in pending),
                )
                archive.conn.execute("COMMIT")
            except BaseException:
                archive.conn.execute("ROLLBACK")
                raise
            result.restamped += max(cur.rowcount, 0)
            pending.clear()
            if progress is not None:
                progress(result)

        for outcome in _parsed(db, jobs, workers, profile_dirs):
            if outcome.article is None:
                result.skipped[(outcome.error or "unknown").split(":")[0]] += 1
                continue
            pending.append(ArticleRecord(outcome.article, None, _at(by_key[outcome.key].last_seen)))
            if len(pending) >= BATCH:
                flush()
        flush()
    result.seconds = time.perf_counter() - started
    return result


def current_version() -> str:
    return EXTRACTOR_VERSION


def describe(result: ReparseResult) -> str:
    skipped = ", ".join(f"{reason}: {n}" for reason, n in sorted(result.skipped.items())) or "none"
    return (
        f"re-parsed {result.articles} article(s) in {result.seconds:.1f} s ({result.rate:.1f}/s): "
        f"{result.changed} changed, {result.unchanged} unchanged, {result.restamped} restamped "
        f"(extractor version {current_version()}); skipped: {skipped}"
    )


def as_dict(result: ReparseResult) -> dict[str, Any]:
    return {
        "articles": result.articles, "changed": result.changed, "unchanged": result.unchanged,
        "restamped": result.restamped, "skipped": dict(result.skipped), "seconds": round(result.seconds, 3),
    }
