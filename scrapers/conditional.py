"""Re-visits of archived articles: conditional requests and what their answers mean.

The frontier (scrapers/middlewares.py) marks a re-visit with ``revisit_meta``; the downloader
middleware below turns the archived validators into ``If-None-Match`` / ``If-Modified-Since``;
the spider hands any non-200 answer of a re-visit to ``revisit_answer``, which says what it means:

- 304: not modified (the archive only moves ``last_seen``);
- 404 / 410, or a redirect to something that is not an article of the site: taken down (the
  archive flags the article with the date, and keeps its text);
- a redirect to another article URL: moved (the new URL is followed like any discovered link).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Self
from urllib.parse import urlparse

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from scrapers.items import PageItem
from scrapers.sites import SiteProfile

REDIRECTS = (301, 302, 303, 307, 308)
GONE = (404, 410)
# Answers of a re-visit that reach the spider instead of the errback or the redirect middleware.
REVISIT_STATUSES = (304, *GONE, *REDIRECTS)


@dataclass
class RevisitItem:
    """What a re-visit found when it brought no new copy of the article (see archive RevisitRecord)."""

    url: str
    outcome: str  # not_modified, gone or moved
    status: int
    fetched_at: datetime
    reason: str | None = None  # gone: http_404, http_410 or redirected_away
    location: str | None = None  # redirects: where to
    page: PageItem | None = field(default=None, repr=False)  # the 404/410 page, kept as evidence


def revisit_meta(etag: str | None, last_modified: str | None, *, conditional: bool = True) -> dict[str, Any]:
    """Request meta for a re-visit of an archived article."""
    validators = {"etag": etag, "last_modified": last_modified} if conditional else {}
    return {
        "revisit": {k: v for k, v in validators.items() if v},
        "dont_redirect": True,  # a redirect may mean a takedown: the spider looks at it first
        "handle_httpstatus_list": list(REVISIT_STATUSES),
    }


def revisit_meta_of(meta: dict[str, Any]) -> dict[str, Any]:
    """The re-visit part of a request's meta, to carry over to the request that follows a move."""
    return {k: meta[k] for k in ("revisit", "dont_redirect", "handle_httpstatus_list") if k in meta}


def is_revisit(request: Request | None) -> bool:
    return request is not None and request.meta.get("revisit") is not None


@dataclass
class RevisitAnswer:
    item: RevisitItem
    follow: str | None = None  # an article URL to request (the article moved there)


def revisit_answer(response: Response, profile: SiteProfile, host: str, page: PageItem) -> RevisitAnswer:
    """Reads a non-200 answer to a re-visit (`page` is the response as a PageItem)."""
    now = datetime.now(UTC)
    url = page.url
    if response.status == 304:
        return RevisitAnswer(RevisitItem(url, "not_modified", 304, now))
    if response.status in REDIRECTS:
        location = response.headers.get(b"Location")
        target = response.urljoin(location.decode("latin-1")) if location else None
        parsed = urlparse(target or "")
        match = profile.classify_path(parsed.path) if target else None
        if target and parsed.hostname == host and match is not None and match.kind == "article":
            return RevisitAnswer(RevisitItem(url, "moved", response.status, now, location=target), follow=target)
        return RevisitAnswer(
            RevisitItem(url, "gone", response.status, now, reason="redirected_away", location=target, page=page)
        )
    if response.status in GONE:
        reason = f"http_{response.status}"
        return RevisitAnswer(RevisitItem(url, "gone", response.status, now, reason=reason, page=page))
    raise ValueError(f"not a re-visit answer: HTTP {response.status} for {url}")


class ConditionalRequestMiddleware:
    """Downloader middleware: adds the archived validators to re-visits and counts the 304s."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("RECRAWL_CONDITIONAL"):
            raise NotConfigured("RECRAWL_CONDITIONAL is off")
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_request(self, request: Request) -> None:
        validators = request.meta.get("revisit")
        if not validators:
            return
        if validators.get("etag"):
            request.headers.setdefault(b"If-None-Match", validators["etag"])
        if validators.get("last_modified"):
            request.headers.setdefault(b"If-Modified-Since", validators["last_modified"])
        self.stats.inc_value("recrawl/conditional")

    def process_response(self, request: Request, response: Response) -> Response:
        if is_revisit(request):
            self.stats.inc_value(f"recrawl/status/{response.status}")
        return response
