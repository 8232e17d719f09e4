"""Is this page an article? Tells one news article from a listing, section, tag, author, search,
video or static page, from the page alone (no profile), so a crawl of an unknown site does not
archive its listings as articles.

Signals, each worth a few points for or against: structured data (JSON-LD types, ``og:type``,
``article:published_time``), the CMS's body classes (``single-post`` vs ``archive``, ``tag``,
``search``), repeated teasers (many headline links or ``<article>`` blocks), the amount of prose in
one place, a stated publication date, and pagination links. A page is an article when the points
add up to :data:`ARTICLE_AT` or more.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Literal
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from .boilerplate import Furniture, furniture, is_furniture
from .dateparse import search_loose
from .encoding import decode_html
from .page import ARTICLE_TYPES, Page, jsonld_types
from .text import Element, classes, never_text, squash, tag_name, text_of

Kind = Literal["article", "listing", "other"]
_Note = Callable[[float, str], None]

ARTICLE_AT = 1.0
_SLOPE = 0.6  # points -> confidence: +-2 points from ARTICLE_AT are 0.77 / 0.23
LISTING_TYPES = frozenset(
    {"CollectionPage", "ItemList", "SearchResultsPage", "ProfilePage", "Blog", "WebSite", "Periodical",
     "VideoObject", "VideoGallery", "ImageGallery", "MediaGallery", "Product", "FAQPage", "AboutPage", "ContactPage"}
)  # fmt: skip
_SITE_TYPES = frozenset({"WebSite", "Blog", "Periodical"})
_SINGLE_CLASSES = re.compile(
    r"^(?:single|single-post|single-article|postid-\d+|node-type-article|page-node-type-article|article-page"
    r"|story-page|template-article|layout-article|is-article)$",
    re.I,
)
_LISTING_CLASSES = re.compile(
    r"^(?:archive|category|category-[\w-]+|tag|tag-[\w-]+|author|author-[\w-]+|search|search-results|search-no-results"
    r"|home|blog|paged|date|tax-[\w-]+|term-[\w-]+|section-front|page-section|listing|list-page|error404)$",
    re.I,
)
_STATIC_CLASSES = re.compile(r"^(?:page|page-template-default|page-id-\d+)$", re.I)
_SEARCH_PARAMS = frozenset({"s", "q", "query", "search", "keyword", "keywords"})
_PROSE_P = 100  # characters: a paragraph this long, with few links, is written text
_LONG_PROSE = 3000  # characters of prose in one block: a long text, whatever else is on the page
_TEASERS = 4  # this many headline links (or article blocks) make a list of stories
_ERROR = re.compile(r"\b(?:404|410|page not found|not found|no longer available|error occurred)\b", re.I)
_NOT_FIELDS = frozenset({"hidden", "submit", "button", "image", "reset", "checkbox", "radio", "search"})
_BYLINE_WINDOW = 200  # characters of text after the headline where a byline's date is looked for


@dataclass(frozen=True)
class PageType:
    kind: Kind
    score: float
    reasons: tuple[str, ...]
    # Strong evidence that the page is something else (a listing of teasers, a form, an error or
    # search page): the only case in which a candidate is not archived as a probable article.
    veto: str | None = None

    @property
    def is_article(self) -> bool:
        return self.kind == "article"

    @property
    def confidence(self) -> float:
        """How sure the points make us that the page is an article (0-1): a logistic curve through
        0.5 at :data:`ARTICLE_AT`, measured on labelled pages of many sites (bench/generic_recall.py)."""
        return 1.0 / (1.0 + math.exp(-_SLOPE * (self.score - ARTICLE_AT)))


def page_type(html: str | bytes, url: str, content_type: str | None = None) -> PageType:
    text = decode_html(html, content_type) if isinstance(html, bytes) else html
    return classify(Page.from_text(text, url))


def classify(page: Page) -> PageType:
    points: list[tuple[float, str]] = []

    def note(value: float, reason: str) -> None:
        points.append((value, reason))

    _structured(page, note)
    _body_classes(page, note)
    teasers = _teasers(page)
    prose = _prose(page)
    if teasers >= _TEASERS:
        # Beside a long text, linked headings are its own sections or a "related" box, not a list of stories.
        note(-1.0 if prose >= _LONG_PROSE else -2.5, f"{teasers} teasers")
    if prose >= 1500:
        note(2.0, f"{prose} characters of prose in one block")
    elif prose >= 700:
        note(1.0, f"{prose} characters of prose in one block")
    elif prose < 250:
        note(-1.0, f"only {prose} characters of prose in one block")
    byline_date = _date_after_headline(page)
    if byline_date:
        note(1.0, "a date under the headline")
    elif not _has_date(page):
        note(-1.0, "no publication date")
    if any("next" in (link.get("rel") or "").split() for link in page.tags("link")) and teasers >= 2:
        note(-1.0, "paginated list")
    query = {k.lower() for k in parse_qs(urlsplit(page.url).query)}
    if query & _SEARCH_PARAMS:
        note(-3.0, "search query in the URL")
    score = sum(value for value, _ in points)
    reasons = tuple(f"{value:+g} {reason}" for value, reason in points)
    if score >= ARTICLE_AT:
        return PageType("article", score, reasons)
    listing = teasers >= _TEASERS or any("listing type" in r or "listing class" in r for r in reasons)
    veto = _veto(page, teasers, prose, bool(query & _SEARCH_PARAMS), reasons)
    return PageType("listing" if listing else "other", score, reasons, veto)


def _veto(page: Page, teasers: int, prose: int, search: bool, reasons: tuple[str, ...]) -> str | None:
    """Strong evidence that a page which did not score as an article is something else; without it,
    the page is archived as a probable article with its confidence, never silently dropped."""
    if search:
        return "a search page"
    if teasers >= _TEASERS and prose < 700:
        return "a listing of teasers"
    if any("JSON-LD listing type" in r for r in reasons) and prose < 700:
        return "a listing by its JSON-LD type"
    if prose < 700 and _error_page(page):
        return "an error page"
    if prose < 250 and _form_page(page):
        return "a form"
    return None


def _error_page(page: Page) -> bool:
    """A "not found" or error page served with 200: its title or headline says so."""
    heads = [*page.tags("title"), *page.tags("h1")]
    return any(_ERROR.search(squash(text_of(h))) for h in heads)


def _form_page(page: Page) -> bool:
    """A sign-in, sign-up or contact page: a password field, or a form of several fields."""
    fields = [i for i in page.tags("input") if (i.get("type") or "text").lower() not in _NOT_FIELDS]
    if any((i.get("type") or "").lower() == "password" for i in fields):
        return True
    return len(fields) + len(page.tags("textarea")) + len(page.tags("select")) >= 3


def _structured(page: Page, note: _Note) -> None:
    types: set[str] = set()
    for obj in page.jsonld:
        types |= jsonld_types(obj)
    if urlsplit(page.url or "").path.strip("/"):
        types -= _SITE_TYPES  # every page of a Yoast or Rank Math site describes its site: only the home page is it
    if types & ARTICLE_TYPES:
        note(3.0, "JSON-LD " + "/".join(sorted(types & ARTICLE_TYPES)))
    elif types & LISTING_TYPES:
        note(-3.0, "JSON-LD listing type " + "/".join(sorted(types & LISTING_TYPES)))
    elif _microdata_article(page):
        note(2.0, "microdata article")
    og = (page.meta_first("og:type") or "").lower()
    if og == "article":
        note(1.0, "og:type article")
    elif og and og not in ("article", "newsarticle"):
        note(-1.5, f"og:type {og}")
    if page.meta_first("article:published_time", "og:article:published_time"):
        note(1.0, "article:published_time")


def _microdata_article(page: Page) -> bool:
    """One schema.org article item (``itemscope itemtype=…/NewsArticle``), or a marked article body."""
    elements = page.all_tags()
    items = [e for e in elements if e.get("itemscope") is not None and e.get("itemtype") is not None
             and _schema_type(e) in ARTICLE_TYPES]
    return len(items) == 1 or (not items and sum(1 for e in elements if e.get("itemprop") == "articleBody") == 1)


def _schema_type(tag: Element) -> str:
    value = tag.get("itemtype")
    return value.rstrip("/").rsplit("/", 1)[-1] if isinstance(value, str) else ""


def _body_classes(page: Page, note: _Note) -> None:
    bodies = page.tags("body")
    names = classes(bodies[0]) if bodies else []
    if any(_SINGLE_CLASSES.match(n) for n in names):
        note(1.5, "article class on <body>")
    elif any(_LISTING_CLASSES.match(n) for n in names):
        note(-2.0, "listing class on <body>")
    elif any(_STATIC_CLASSES.match(n) for n in names):
        note(-2.5, "static page class on <body>")


def _ancestors(tag: Element) -> Iterator[Element]:
    return (parent for parent in tag.iterancestors() if tag_name(parent) != "html")


def _outside_furniture(tag: Element) -> bool:
    return not any(is_furniture(parent) for parent in _ancestors(tag))


def _teasers(page: Page) -> int:
    """Story teasers: headings that are a link, and ``<article>`` blocks, outside page furniture."""
    headline_links = 0
    for heading in page.root.iter("h2", "h3", "h4"):
        link = next((a for a in heading.iter("a") if a.get("href") is not None), None)
        text = squash(text_of(heading))
        linked = link is not None and text and len(squash(text_of(link))) >= 0.8 * len(text)
        if linked and _outside_furniture(heading):
            headline_links += 1
    blocks = [a for a in page.tags("article") if not any(tag_name(p) == "article" for p in a.iterancestors())]
    articles = sum(1 for a in blocks if _outside_furniture(a))
    return max(headline_links, articles if articles > 1 else 0)


def _prose(page: Page) -> int:
    """Characters of prose paragraphs under the one element that holds most of them."""
    by_parent: dict[int, int] = {}
    for p in page.tags("p"):
        text = squash(text_of(p))
        if len(text) < _PROSE_P:
            continue
        links = sum(len(squash(text_of(a))) for a in p.iter("a"))
        if links > 0.3 * len(text) or not _outside_furniture(p):
            continue
        parent = p.getparent()
        while parent is not None and tag_name(parent) in ("blockquote", "span", "em", "strong", "b", "i", "font"):
            parent = parent.getparent()
        key = id(parent) if parent is not None else 0
        by_parent[key] = by_parent.get(key, 0) + len(text)
    return max(by_parent.values(), default=0)


def _text_from(page: Page, start: Element) -> Iterator[tuple[Element, str]]:
    """The page's text strings from ``start``'s own text on, in document order, each with the
    element it is written in (comments' own text left out)."""
    started = False
    for event, element in etree.iterwalk(page.root, events=("start", "end")):
        if element is start:
            started = True
        if not started:
            continue
        if event == "start":
            if isinstance(element.tag, str) and element.text:
                yield element, element.text
        else:
            parent = element.getparent()
            if element.tail and parent is not None:
                yield parent, element.tail


def _date_after_headline(page: Page) -> bool:
    """A date in the first few lines after the page's ``<h1>``, where a byline puts it."""
    h1 = next((h for h in page.tags("h1") if not never_text(h)), None)
    if h1 is None:
        return False
    window: list[str] = []
    size = 0
    for owner, string in _text_from(page, h1):
        if size > _BYLINE_WINDOW:
            break
        if not never_text(owner):
            text = squash(string)
            window.append(text)
            size += len(text)
    return search_loose(" ".join(window), UTC, month_first=True) is not None or _time_in(page, h1)


def _time_in(page: Page, h1: Element) -> bool:
    """A ``<time>`` right after the headline (its text may say "2 hours ago")."""
    position = page.position
    at = position[id(h1)]
    following = next((t for t in page.tags("time") if position[id(t)] > at), None)
    if following is None or not following.get("datetime"):
        return False
    before = [h for h in page.tags("h1") if position[id(h)] < position[id(following)]]
    return before[-1] is h1


def _has_date(page: Page) -> bool:
    if page.jsonld_value("datePublished") or page.meta_first(
        "article:published_time", "og:article:published_time", "datepublished", "pubdate", "publish-date",
        "dc.date", "dcterms.created", "sailthru.date", "parsely-pub-date",
    ):  # fmt: skip
        return True
    if any(e.get("itemprop") == "datePublished" for e in page.all_tags()):
        return True
    # A byline's date sits in a header or a "meta" block: only sure furniture (menus, comments) is left out.
    return any(not any(furniture(p) is Furniture.SURE for p in _ancestors(time)) for time in page.tags("time"))
