"""What spiders hand to the pipelines: fetched pages and failed URLs.

A page travels with its raw bytes so the archive can keep the original; the parse pipeline
fills in ``article`` for article pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from archive.media import MediaLink, MediaRecord
from scrapers.parsers.article import Article


@dataclass
class PageItem:
    url: str
    status: int
    headers: dict[str, str] = field(repr=False)
    body: bytes = field(repr=False)  # logs of dropped items must not carry whole pages
    fetched_at: datetime
    kind: str  # "article", "listing" or "feed"
    final_url: str | None = None
    content_type: str | None = None
    article: Article | None = field(default=None, repr=False)
    # Its URL only suggests an article (the generic spider's guess): the parse pipeline runs the
    # page-type check first, on the tree it parses from (scrapers/pagetype_filter.py sets it).
    confirm_article: bool = False
    # Why the spider took it for an article: "link" (its URL), "sitemap", "feed", "news" (a news
    # sitemap's entry), "listing_url" (listed by the site although its URL looks like a listing).
    evidence: str | None = None
    # Filled by the photos pipeline (pipelines/media.py): the images the article showed, the bytes
    # of those fetched for the first time, and the images that could not be archived.
    media: list[MediaLink] = field(default_factory=list, repr=False)
    media_records: list[MediaRecord] = field(default_factory=list, repr=False)
    media_failures: list[FailureItem] = field(default_factory=list, repr=False)
    # A capture from another archive (a WARC import, the Wayback Machine): fetched_at is its capture
    # time, and two captures of one article are two versions, not duplicates (pipelines/dedupe.py).
    captured: bool = False


@dataclass
class FailureItem:
    url: str
    reason: str
    fetched_at: datetime
    status: int | None = None
    detail: str | None = None
    page: PageItem | None = field(default=None, repr=False)
    attempts: int = 1  # requests sent for the URL in this run (first try and retries)
