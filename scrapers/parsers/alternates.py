"""The page's other-language versions, as it declares them: ``<link rel="alternate" hreflang="ru" href=…>``.

A generic signal (any multilingual site may publish it, and search engines read it), so it needs no
profile. ``x-default`` (the language chooser) and the page itself are not versions; a feed
(``type="application/rss+xml"``) is not either. At most MAX_ALTERNATES are kept: a page is
untrusted and may declare thousands.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .page import Page

MAX_ALTERNATES = 20
# BCP 47 as pages write it: "en", "az-Latn", "pt-BR" (lower-cased when kept).
_HREFLANG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{1,8}){0,3}$")


def _same(a: str, b: str | None) -> bool:
    return b is not None and a.split("#")[0].rstrip("/") == b.split("#")[0].rstrip("/")


def extract_alternates(page: Page) -> dict[str, str]:
    """Language tag -> absolute http(s) URL of each other-language version the page links."""
    found: dict[str, str] = {}
    for link in page.tags("link"):
        if "alternate" not in (link.get("rel") or "").lower().split() or link.get("type"):
            continue
        lang = (link.get("hreflang") or "").strip().lower()
        url = page.absolute(link.get("href"))
        if not _HREFLANG.match(lang) or url is None or urlsplit(url).scheme not in ("http", "https"):
            continue
        if _same(url, page.url) or _same(url, page.canonical_url) or lang in found:
            continue
        found[lang] = url
        if len(found) >= MAX_ALTERNATES:
            break
    return found
