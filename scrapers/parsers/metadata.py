"""Who, what and where: title, authors, section, tags, language, canonical URL, site and article id.

Each field reads the profile's selector first, then JSON-LD, OpenGraph and meta tags, then the
page's own markup (``<h1>``, ``rel=author``, ``rel=tag``, ``<html lang>``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .boilerplate import names_of
from .page import Page, host_of
from .text import Element, inline_text, squash, text_of

_TITLE_SEPARATORS = re.compile(r"\s+[|–—·•:-]\s+|\s+[|]\s*")
_BY = re.compile(r"^\s*(?:by|written by|von|par|por|автор|müəllif)\s*:?\s+|^\s*(?:author|автор|müəllif)\s*:\s*", re.I)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|\bund\b|\bet\b|\bи\b|\bvə\b|&)\s*")
_LANG = re.compile(r"^[a-z]{2,3}$")
# Where pages name the article's authors, most specific first.
BYLINE_SELECTORS = (
    "[rel~=author]", "[itemprop=author] [itemprop=name]", "[itemprop=author]", ".byline .author",
    ".author-name", ".byline",
)  # fmt: skip


@dataclass(frozen=True)
class Metadata:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    canonical_url: str | None = None
    site: str | None = None
    article_id: str | None = None


def extract_metadata(page: Page) -> Metadata:
    match = page.url_match
    return Metadata(
        title=title(page),
        authors=authors(page),
        section=section(page),
        tags=tags(page),
        language=language(page),
        canonical_url=page.canonical_url,
        site=page.profile.name if page.profile else host_of(page.canonical_url or page.url),
        article_id=match.article_id if match else None,
    )


def title(page: Page) -> str | None:
    from_profile = _profile_text(page, "title")
    if from_profile:
        return from_profile
    headline = _string(page.jsonld_value("headline")) or page.meta_first("og:title", "twitter:title")
    if headline:
        return squash(headline)
    h1 = next((text for h in page.tags("h1") if (text := inline_text(h))), None)
    return h1 or _page_title(page)


def _page_title(page: Page) -> str | None:
    """``<title>`` without the site's name ("Story | Site" → "Story", "Site - Story" → "Story")."""
    tag = next(iter(page.tags("title")), None)
    text = squash(text_of(tag)) if tag is not None else ""
    if not text:
        return None
    parts = [p for p in _TITLE_SEPARATORS.split(text) if p]
    site = (page.meta_first("og:site_name") or "").casefold()
    host = (host_of(page.url) or "").split(".")[0].casefold()
    named = [p for p in parts if p.casefold() != site and not (host and host in p.casefold().replace(" ", ""))]
    return (named or parts or [text])[0]  # the headline comes first on most sites


def authors(page: Page) -> list[str]:
    tags = page.select_profile("authors")
    if tags:
        return _unique(name for t in tags for name in _names(inline_text(t)))
    from_ld = _jsonld_people(page.jsonld_value("author"))
    if from_ld:
        return from_ld
    meta = [m for m in page.meta.get("author", []) + page.meta.get("article:author", []) if not _is_url(m)]
    if meta:
        return _unique(name for m in meta for name in _names(m))
    for selector in BYLINE_SELECTORS:
        marked = [t for t in page.select(selector) if not _in_comments(t)]
        if marked:
            return _unique(name for t in marked[:5] for name in _names(inline_text(t)))
    return []


def _in_comments(tag: Element) -> bool:
    """Inside a reader comment, where names are the commenters', not the article's authors."""
    for parent in tag.iterancestors():
        kind = parent.get("itemtype")
        if isinstance(kind, str) and kind.endswith("/Comment"):
            return True
        if any("comment" in name.lower() for name in names_of(parent)):
            return True
    return False


def _jsonld_people(value: Any) -> list[str]:
    people = value if isinstance(value, list) else [value]
    names: list[str] = []
    for person in people:
        name = person.get("name") if isinstance(person, dict) else person
        if isinstance(name, str) and not _is_url(name):
            names.extend(_names(name))
    return _unique(names)


def _names(text: str) -> list[str]:
    text = _BY.sub("", squash(text))
    return [n for n in (squash(p) for p in _NAME_SPLIT.split(text)) if n and len(n) < 80]


def section(page: Page) -> str | None:
    from_profile = _profile_text(page, "section")
    if from_profile:
        return from_profile
    # A profile's URL pattern gives the stable slug; meta tags give display names that vary by language.
    match = page.url_match
    if match and match.section:
        return match.section
    value = page.jsonld_value("articleSection")
    if isinstance(value, list):
        value = value[0] if value else None
    found = _string(value) or page.meta_first("article:section", "og:article:section", "section")
    return squash(found) if found else None


def tags(page: Page) -> list[str]:
    found = page.select_profile("tags")
    if found:
        return _unique(inline_text(t) for t in found)
    keywords = page.jsonld_value("keywords")
    if isinstance(keywords, str):
        keywords = keywords.split(",")
    if isinstance(keywords, list):
        return _unique(squash(k) for k in keywords if isinstance(k, str))
    meta = page.meta.get("article:tag", []) or page.meta.get("news_keywords", [])
    if meta:
        return _unique(squash(part) for value in meta for part in value.split(","))
    links = page.select("a[rel~=tag]")
    return _unique(inline_text(t) for t in links if "category" not in (t.get("rel") or "").split())


def language(page: Page) -> str | None:
    match = page.url_match
    if match and match.lang:
        return match.lang
    for value in (
        page.html_lang,
        page.meta_first("og:locale", "content-language"),
        _string(page.jsonld_value("inLanguage")),
    ):
        code = _primary_subtag(value)
        if code:
            return code
    return None


def _primary_subtag(value: str | None) -> str | None:
    code = re.split(r"[-_]", value.strip().lower())[0] if value else ""
    return code if _LANG.match(code) else None


def _profile_text(page: Page, name: str) -> str | None:
    for tag in page.select_profile(name):
        text = inline_text(tag)
        if text:
            return text
    return None


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://", "/", "www."))


def _unique(values: Any) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value.casefold() not in {k.casefold() for k in seen}:
            seen[value] = None
    return list(seen)
