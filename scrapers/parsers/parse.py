"""``parse_article``: one page in, one :class:`Article` out. Pure: no network, no Scrapy, no archive."""

from __future__ import annotations

from datetime import datetime

from scrapers.sites import SiteProfile

from .article import Article
from .body import extract_body, is_partial
from .captions import extract_captions
from .comments import extract_comments
from .dates import extract_dates
from .encoding import decode_html, repair_mojibake
from .metadata import extract_metadata
from .page import Page


def parse_article(
    html: str | bytes,
    url: str,
    profile: SiteProfile | None = None,
    content_type: str | None = None,
    *,
    fetched_at: datetime | None = None,
) -> Article:
    """Parses an article page; without a profile every field comes from the generic extractors.

    ``content_type`` is the HTTP Content-Type header, whose charset decides how bytes are read.
    ``fetched_at`` (timezone-aware) is when the page was fetched: relative dates ("2 hours ago",
    "вчера") are read against it, and are left unread without it (the parser never reads the clock).
    """
    text = repair_mojibake(decode_html(html, content_type) if isinstance(html, bytes) else html)
    page = Page.from_text(text, url, profile)
    meta = extract_metadata(page)
    body = extract_body(page)
    dates = extract_dates(page, body, fetched_at)
    return Article(
        url=url,
        canonical_url=meta.canonical_url,
        site=meta.site,
        article_id=meta.article_id,
        language=meta.language,
        section=meta.section,
        title=meta.title,
        authors=meta.authors,
        published=dates.published.value if dates.published else None,
        published_raw=dates.published.raw if dates.published else None,
        published_source=dates.published.source if dates.published else None,
        modified=dates.modified.value if dates.modified else None,
        modified_raw=dates.modified.raw if dates.modified else None,
        modified_source=dates.modified.source if dates.modified else None,
        body=body,
        captions=extract_captions(page),
        comments=extract_comments(page),
        tags=meta.tags,
        is_partial=is_partial(page),
    )
