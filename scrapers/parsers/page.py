"""One parsed page, shared by every extractor: the tree is built once and read many times.

Nothing here mutates the tree, so the extractors can run in any order: what a reader should not
see (the profile's chrome, scripts, hidden blocks) is recorded as a set of elements to skip.

The page keeps every element of its tree in a list: lxml hands out one Python object per element
only while something holds it, so holding them all keeps ``id(element)`` stable for the page's life
(the extractors key their scores and memos by it).
"""

from __future__ import annotations

import html
import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urljoin, urlsplit

import soupsieve
from bs4 import BeautifulSoup, Tag
from lxml import etree

from scrapers.sites import ProfileError, SiteProfile, UrlMatch

from .select import SelectorError, select, simple_group
from .text import NO_TEXT_OF, SPACE, Element, make_tree, never_text, squash, strip_controls, text_of

JsonObject = dict[str, Any]


@dataclass
class Page:
    """A page being parsed: its tree, URL and profile, with what the extractors share."""

    root: Element
    url: str
    profile: SiteProfile | None = None
    markup: str = field(default="", repr=False)
    # Results one extractor computes and another reuses (the body root: captions and comments need it).
    memo: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_text(cls, markup: str, url: str, profile: SiteProfile | None = None) -> Page:
        return cls(make_tree(markup), url, profile, markup)

    @cached_property
    def soup(self) -> BeautifulSoup:
        """The page as a BeautifulSoup tree, built on first use (for callers that read a soup)."""
        return BeautifulSoup(self.markup, "lxml")

    # --- the tree ----------------------------------------------------------------------------
    @cached_property
    def _elements(self) -> list[Element]:
        return list(self.root.iter(etree.Element))  # elements only (no comments nor processing instructions)

    @cached_property
    def _by_name(self) -> dict[str, list[Element]]:
        found: dict[str, list[Element]] = {}
        for element in self._elements:
            found.setdefault(str(element.tag), []).append(element)
        return found

    @cached_property
    def position(self) -> dict[int, int]:
        """Each element's place in document order (keyed by ``id``)."""
        return {id(e): n for n, e in enumerate(self._elements)}

    @cached_property
    def _by_class(self) -> dict[str, list[Element]]:
        """The elements of each class name, in document order; names split as XPath's
        ``normalize-space`` splits them (what cssselect's class test does)."""
        found: dict[str, list[Element]] = {}
        for element in self._elements:
            value = element.get("class")
            if value:
                for name in dict.fromkeys(_XML_SPACE.split(value)):
                    if name:
                        found.setdefault(name, []).append(element)
        return found

    @cached_property
    def _subtree_ends(self) -> dict[int, int]:
        """The place in document order just past each element's last descendant (keyed by ``id``)."""
        sizes: dict[int, int] = {}
        for element in reversed(self._elements):
            sizes[id(element)] = 1 + sum(sizes.get(id(child), 0) for child in element)
        return {key: n + sizes[key] for key, n in self.position.items()}

    @cached_property
    def _with_id(self) -> list[Element]:
        return [element for element in self._elements if element.get("id") is not None]

    def with_id(self) -> list[Element]:
        """Every element that has an ``id``, in document order (from the index: no tree walk)."""
        return self._with_id

    def tags(self, name: str) -> list[Element]:
        """Every ``<name>`` element of the page, in document order (from the index: no tree walk)."""
        return self._by_name.get(name, [])

    def tag_names(self) -> list[str]:
        """The names of the page's element kinds (from the index: no tree walk)."""
        return list(self._by_name)

    def all_tags(self) -> list[Element]:
        return self._elements

    @cached_property
    def text_sizes(self) -> dict[int, int]:
        """Characters of text under each element, in one pass: scripts and styles left out, every run
        of whitespace counted as one character (indentation is not text, and how much of it a parser
        keeps differs)."""
        sizes: dict[int, int] = {}
        for element in reversed(self._elements):  # children before their parents
            size = _size(element.text) if element.tag not in NO_TEXT_OF else 0
            for child in element:
                size += sizes.get(id(child), 0) + _size(child.tail)
            sizes[id(element)] = size
        return sizes

    def text_size(self, element: Element) -> int:
        return self.text_sizes.get(id(element), 0)

    @cached_property
    def prose_sizes(self) -> dict[int, int]:
        """Characters of written prose under each element: paragraphs (``<p>``) of 150 characters or
        more with sentence punctuation and few links, summed up the tree in one pass."""
        sizes: dict[int, int] = {}
        for p in self.tags("p"):
            text = squash(text_of(p))
            if len(text) < 150 or not any(mark in text for mark in ".!?;,"):
                continue
            if sum(len(squash(text_of(a))) for a in p.iter("a")) >= 0.3 * len(text):
                continue
            for element in (p, *p.iterancestors()):
                sizes[id(element)] = sizes.get(id(element), 0) + len(text)
        return sizes

    def prose_size(self, element: Element) -> int:
        return self.prose_sizes.get(id(element), 0)

    # --- selection -------------------------------------------------------------------------
    def select(self, selector: str | None, root: Element | None = None) -> list[Element]:
        """The elements under ``root`` (or in the whole page) that ``selector`` matches, in page
        order; an error names the profile when one of its selectors is broken."""
        if not selector:
            return []
        simple = simple_group(selector)
        if simple is not None and (root is None or id(root) in self.position):
            return self._indexed(*simple, root)
        try:
            return select(self.root, selector, root)
        except SelectorError as exc:
            found = self._select_with_soupsieve(selector, root)
            if found is None:
                where = self.profile.source if self.profile else "<generic>"
                raise ProfileError(f"{where}: bad CSS selector {selector!r}: {exc}") from exc
            return found

    def _indexed(self, class_names: tuple[str, ...], tag_names: tuple[str, ...], root: Element | None) -> list[Element]:
        """What :func:`select` answers for a group of bare class and tag names, from the indexes."""
        lists = [self._by_class.get(n, []) for n in class_names] + [self.tags(n) for n in tag_names]
        lists = [found for found in lists if found]
        if len(lists) > 1:
            unique = {id(e): e for found in lists for e in found}
            lists = [sorted(unique.values(), key=lambda e: self.position[id(e)])]
        if not lists:
            return []
        if root is None:
            return list(lists[0])
        place = self.position.__getitem__
        start, end = place(id(root)), self._subtree_ends[id(root)]
        low = bisect_right(lists[0], start, key=lambda e: place(id(e)))
        return lists[0][low : bisect_left(lists[0], end, key=lambda e: place(id(e)))]

    def _select_with_soupsieve(self, selector: str, root: Element | None) -> list[Element] | None:
        """A selector only soupsieve knows (``:-soup-contains()``: profiles are checked with it),
        evaluated on the soup and mapped back to the lxml elements at the same places; None when
        soupsieve rejects it too."""
        try:
            compiled = soupsieve.compile(selector)
        except soupsieve.SelectorSyntaxError:
            return None
        by_path = {_path(e): e for e in self._elements}
        found = [by_path.get(_soup_path(t)) for t in compiled.select(self.soup)]
        return [e for e in found if e is not None and (root is None or _inside(e, root))]

    def select_profile(self, name: str, root: Element | None = None) -> list[Element]:
        """Elements matched by the profile's selector ``name``; none without a profile."""
        return self.select(self.profile.selector(name) if self.profile else None, root)

    def absolute(self, href: str | None) -> str | None:
        href = (href or "").strip()
        if not href or href.startswith(("data:", "javascript:")):
            return None
        try:
            return urljoin(self.base_url, href)
        except ValueError:  # a broken address ("http://[x"): not a link
            return None

    @cached_property
    def base_url(self) -> str:
        base = next(iter(self.tags("base")), None)
        href = base.get("href") if base is not None else None
        if isinstance(href, str) and href.strip():
            try:
                return urljoin(self.url, href)
            except ValueError:
                return self.url
        return self.url

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
            if "canonical" in (link.get("rel") or "").lower().split() and link.get("href") is not None:
                return self.absolute(link.get("href"))
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
        """Elements the profile says are page chrome (ids of the elements)."""
        strip = self.profile.chrome_strip if self.profile else ()
        return frozenset(id(tag) for tag in self.select(", ".join(strip))) if strip else frozenset()

    def skip(self, tag: Element) -> bool:
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
                    found.setdefault(key.strip().lower(), []).append(strip_controls(content).strip())
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
            text = (script.text or "").strip()
            if text.startswith("<!--"):
                text = text.removeprefix("<!--").removesuffix("-->")
            try:
                data = json.loads(text or "null", strict=False)
            except ValueError:
                continue  # broken JSON-LD is common; the other signals still apply
            _flatten(_cleaned(data), objects)
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
        lang = self.root.get("lang") if self.root.tag == "html" else None
        if lang is None:
            html = next(iter(self.tags("html")), None)
            lang = html.get("lang") if html is not None else None
        return lang.strip() if isinstance(lang, str) and lang.strip() else None


ARTICLE_TYPES = frozenset(
    {
        "Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
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


_XML_SPACE = re.compile(r"[ \t\r\n]+")  # the whitespace of XPath's normalize-space()
# A complete character reference: "&amp;", "&#8217;", "&#x4C;". Legacy ones without the semicolon
# are left alone, as a browser leaves "&copy=2" in a URL's query alone.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def _cleaned(data: Any) -> Any:
    """JSON-LD with HTML character references in its strings decoded (many CMSs escape the text
    they put there, "Tom &amp; Jerry&#8217;s", which is JSON, not HTML) and control characters
    dropped (ids, names and raw dates from here are stored as they are)."""
    if isinstance(data, str):
        return strip_controls(_ENTITY.sub(lambda m: html.unescape(m.group()), data) if "&" in data else data)
    if isinstance(data, list):
        return [_cleaned(item) for item in data]
    if isinstance(data, dict):
        return {key: _cleaned(value) for key, value in data.items()}
    return data


def _flatten(data: Any, out: list[JsonObject]) -> None:
    if isinstance(data, list):
        for item in data:
            _flatten(item, out)
    elif isinstance(data, dict):
        out.append(data)
        if "@graph" in data:
            _flatten(data["@graph"], out)


def _inside(element: Element, root: Element) -> bool:
    return any(parent is root for parent in element.iterancestors())


def _size(text: str | None) -> int:
    if not text:
        return 0
    return 1 if text.isspace() else len(SPACE.sub(" ", text))  # (most strings between tags are only whitespace)


def _path(element: Element) -> tuple[int, ...]:
    """Where an element sits: its index among its parent's children, at each step from the root."""
    steps: list[int] = []
    parent = element.getparent()
    while parent is not None:
        steps.append(parent.index(element))
        element, parent = parent, parent.getparent()
    return tuple(reversed(steps))


def _soup_path(tag: Tag) -> tuple[int, ...]:
    steps: list[int] = []
    while isinstance(tag.parent, Tag) and tag.parent.name != "[document]":
        siblings = [c for c in tag.parent.children if isinstance(c, Tag)]
        steps.append(next(n for n, c in enumerate(siblings) if c is tag))
        tag = tag.parent
    return tuple(reversed(steps))


def host_of(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None
