"""One parsed page, shared by every extractor: the tree is built once and read many times.

Nothing here mutates the tree, so the extractors can run in any order: what a reader should not
see (the profile's chrome, scripts, hidden blocks) is recorded as a set of elements to skip.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag
from soupsieve import SelectorSyntaxError

from scrapers.sites import ProfileError, SiteProfile, UrlMatch

from .select import TagIndex
from .text import make_soup, never_text

JsonObject = dict[str, Any]


@dataclass
class Page:
    """A page being parsed: its tree, URL and profile, with what the extractors share."""

    soup: BeautifulSoup
    url: str
    profile: SiteProfile | None = None
    # Results one extractor computes and another reuses (the body root: captions and comments need it).
    memo: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_text(cls, markup: str, url: str, profile: SiteProfile | None = None) -> Page:
        return cls(make_soup(markup), url, profile)

    # --- selection -------------------------------------------------------------------------
    def select(self, selector: str | None, root: Tag | None = None) -> list[Tag]:
        """``root.select(selector)`` (root: the whole page) through the page's tag index; an error
        names the profile when one of its selectors is broken."""
        if not selector:
            return []
        try:
            return self.index.select(selector, root)
        except SelectorSyntaxError as exc:
            where = self.profile.source if self.profile else "<generic>"
            raise ProfileError(f"{where}: bad CSS selector {selector!r}: {exc}") from exc

    @cached_property
    def index(self) -> TagIndex:
        return TagIndex(self.soup)

    def tags(self, name: str) -> list[Tag]:
        """Every ``<name>`` element of the page, in document order (from the index: no tree walk)."""
        return self.index.by["name"].get(name, [])

    def all_tags(self) -> list[Tag]:
        return self.index.tags

    def select_profile(self, name: str, root: Tag | None = None) -> list[Tag]:
        """Elements matched by the profile's selector ``name``; none without a profile."""
        return self.select(self.profile.selector(name) if self.profile else None, root)

    def absolute(self, href: str | None) -> str | None:
        href = (href or "").strip()
        if not href or href.startswith(("data:", "javascript:")):
            return None
        return urljoin(self.base_url, href)

    @cached_property
    def base_url(self) -> str:
        base = next(iter(self.tags("base")), None)
        href = base.get("href") if base is not None else None
        return urljoin(self.url, href) if isinstance(href, str) and href.strip() else self.url

    # --- what the profile knows about the URL ------------------------------------------------
    @cached_property
    def url_match(self) -> UrlMatch | None:
        if not self.profile:
            return None
        for candidate in (self.url, self.canonical_url):
            if candidate:
                match = self.profile.classify_path(urlsplit(candidate).path)
                if match:
                    return match
        return None

    @cached_property
    def canonical_url(self) -> str | None:
        for link in self.tags("link"):
            if "canonical" in link.get_attribute_list("rel") and link.has_attr("href"):
                return self.absolute(str(link["href"]))
        return self.absolute(self.meta_first("og:url") or self._jsonld_page_url())

    def _jsonld_page_url(self) -> str | None:
        article = self.jsonld_article or {}
        page = article.get("mainEntityOfPage") or article.get("url")
        if isinstance(page, dict):
            page = page.get("@id") or page.get("url")
        return page if isinstance(page, str) else None

    # --- chrome ----------------------------------------------------------------------------
    @cached_property
    def chrome(self) -> frozenset[int]:
        """Elements the profile says are page chrome (ids of the Tag objects)."""
        strip = self.profile.chrome_strip if self.profile else ()
        return frozenset(id(tag) for tag in self.select(", ".join(strip))) if strip else frozenset()

    def skip(self, tag: Tag) -> bool:
        """The default skipping rule: never-text elements and the profile's chrome."""
        return never_text(tag) or id(tag) in self.chrome

    # --- meta tags ---------------------------------------------------------------------------
    @cached_property
    def meta(self) -> dict[str, list[str]]:
        """``<meta>`` contents keyed by lower-cased name, property or itemprop, in page order."""
        found: dict[str, list[str]] = {}
        for tag in self.tags("meta"):
            content = tag.get("content")
            if not isinstance(content, str) or not content.strip():
                continue
            for attr in ("property", "name", "itemprop", "http-equiv"):
                key = tag.get(attr)
                if isinstance(key, str) and key.strip():
                    found.setdefault(key.strip().lower(), []).append(content.strip())
        return found

    def meta_first(self, *names: str) -> str | None:
        for name in names:
            values = self.meta.get(name)
            if values:
                return values[0]
        return None

    # --- JSON-LD -----------------------------------------------------------------------------
    @cached_property
    def jsonld(self) -> list[JsonObject]:
        """Every JSON-LD object of the page, ``@graph`` and nested lists flattened."""
        objects: list[JsonObject] = []
        for script in self.tags("script"):
            if str(script.get("type", "")).strip().lower() != "application/ld+json":
                continue
            try:
                data = json.loads(script.get_text() or "null", strict=False)
            except ValueError:
                continue  # broken JSON-LD is common; the other signals still apply
            _flatten(data, objects)
        return objects

    @cached_property
    def jsonld_article(self) -> JsonObject | None:
        """The JSON-LD object that describes the article itself, if the page has one."""
        for obj in self.jsonld:
            if jsonld_types(obj) & ARTICLE_TYPES:
                return obj
        return None

    def jsonld_value(self, key: str) -> Any:
        """``key`` from the article object, else from the first object that has it."""
        article = self.jsonld_article
        if article is not None and article.get(key) not in (None, "", []):
            return article[key]
        for obj in self.jsonld:
            if obj.get(key) not in (None, "", []) and not jsonld_types(obj) & NOT_ARTICLE_TYPES:
                return obj[key]
        return None

    @cached_property
    def html_lang(self) -> str | None:
        html = next(iter(self.tags("html")), None)
        lang = html.get("lang") if html is not None else None
        return lang.strip() if isinstance(lang, str) and lang.strip() else None


ARTICLE_TYPES = frozenset(
    {
        "Article", "NewsArticle", "BlogPosting", "ReportageNews", "AnalysisNewsArticle",
        "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "TechArticle",
        "ScholarlyArticle", "LiveBlogPosting", "Report", "SocialMediaPosting", "DiscussionForumPosting",
        "Recipe", "HowTo",
    }
)  # fmt: skip
# Objects whose dates and names describe something else than the article (the site, a person...).
NOT_ARTICLE_TYPES = frozenset(
    {"Organization", "NewsMediaOrganization", "WebSite", "Person", "BreadcrumbList", "ImageObject",
     "SiteNavigationElement", "Product", "Offer", "Event", "Comment"}
)  # fmt: skip


def jsonld_types(obj: JsonObject) -> set[str]:
    """The schema.org types of an object ("NewsArticle", from a name, a URL or a list of them)."""
    kind = obj.get("@type")
    names = kind if isinstance(kind, list) else [kind]
    return {n.rsplit("/", 1)[-1] for n in names if isinstance(n, str)}


def _flatten(data: Any, out: list[JsonObject]) -> None:
    if isinstance(data, list):
        for item in data:
            _flatten(item, out)
    elif isinstance(data, dict):
        out.append(data)
        if "@graph" in data:
            _flatten(data["@graph"], out)


def host_of(url: str) -> str | None:
    host = urlsplit(url).hostname
    return host.removeprefix("www.") if host else None
