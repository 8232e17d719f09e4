"""``parse_article``: one page in, one :class:`Article` out. Pure: no network, no Scrapy, no archive."""

from __future__ import annotations

from datetime import datetime

from scrapers.sites import SiteProfile

from .alternates import extract_alternates
from .article import Article
from .body import extract_body, is_partial
from .captions import extract_captions
from .comments import extract_comments
from .dates import extract_dates
from .encoding import decode_html, repair_mojibake
from .hooks import apply_hook
from .metadata import extract_metadata
from .page import Page
from .pagetype import PageType, classify


def read_page(html: str | bytes, url: str, profile: SiteProfile | None = None, content_type: str | None = None) -> Page:
    """The page's text (decoded by its charset, mojibake repaired) and tree, for the extractors to share."""
    text = repair_mojibake(decode_html(html, content_type) if isinstance(html, bytes) else html)
    return Page.from_text(text, url, profile)


def parse_candidate(
    html: str | bytes,
    url: str,
    profile: SiteProfile | None = None,
    content_type: str | None = None,
    *,
    fetched_at: datetime | None = None,
) -> Article | PageType:
    """A page whose URL only suggests an article: the page-type check first, then the Article parsed
    from the same tree with the check's page type and confidence; only a page the check vetoes
    (strong evidence of something else) is the :class:`PageType` that says what it is and why."""
    page = read_page(html, url, profile, content_type)
    article = article_from(page, fetched_at)
    found = classify(page, (article.body, article.published_source, article.authors))
    if found.veto:
        return found
    article.page_type = found.kind
    article.confidence = round(found.confidence, 3)
    return article


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
    return article_from(read_page(html, url, profile, content_type), fetched_at)


def article_from(page: Page, fetched_at: datetime | None = None) -> Article:
    """Every field of the Article, from a page read by :func:`read_page`."""
    url = page.url
    meta = extract_metadata(page)
    body = extract_body(page)
    dates = extract_dates(page, body, fetched_at)
    article = Article(
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
        captions=extract_captions(page, dated=dates.published is not None),
        comments=extract_comments(page),
        tags=meta.tags,
        is_partial=is_partial(page),
        alternates=extract_alternates(page),
    )
    profile = page.profile
    if profile is not None and profile.parser_path and profile.parser_module:
        return apply_hook(page.soup, article, profile.parser_path, profile.parser_module)
    return article
