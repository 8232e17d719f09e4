"""Is this page an article? Tells one news article from a listing, section, tag, author, search,
video or static page, from the page alone (no profile), so a crawl of an unknown site does not
archive its listings as articles.

Signals, each worth points for or against: structured data (JSON-LD types, ``og:type``), the CMS's
body classes (``single-post`` vs ``archive``, ``tag``, ``search``), repeated teasers (many headline
links or ``<article>`` blocks), the amount of prose in one place, a publication date (shown to
readers or only in metadata), the URL (a long slug, an id, the site's root, a query) and prices in
the text. The points are log-odds: a page is an article when they add up to :data:`ARTICLE_AT` or
more, and :attr:`PageType.confidence` is the probability they stand for. A page that does not score
as an article is *vetoed* only on strong evidence of something else (:func:`_veto`); otherwise a
generic crawl archives it as a probable article with that confidence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Literal
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from .body import extract_body
from .boilerplate import Furniture, furniture, has_prose
from .dateparse import search_loose
from .dates import extract_dates
from .dates_fallback import SOURCE as GUESSED_DATE
from .encoding import decode_html
from .metadata import authors
from .page import ARTICLE_TYPES, Page, jsonld_types
from .page_kinds import itemtypes, other_kind
from .text import Element, classes, never_text, squash, tag_name, text_of

Kind = Literal["article", "listing", "other"]
# The extracted body, where its publication date was read (None: no date), and the authors the page names.
Content = tuple[str, str | None, Sequence[str]]
_Note = Callable[[float, str], None]

# The points are log-odds: fitted (logistic regression) on each half of the labelled sets by domain,
# and kept where both halves agreed (bench/generic_recall.py); ARTICLE_AT is where the odds are even.
ARTICLE_AT = 0.4
_SLOPE = 1.0
LISTING_TYPES = frozenset(
    {"CollectionPage", "ItemList", "SearchResultsPage", "ProfilePage", "Blog", "WebSite", "Periodical",
     "VideoObject", "VideoGallery", "ImageGallery", "MediaGallery", "Product", "FAQPage", "AboutPage", "ContactPage"}
)  # fmt: skip
_SITE_TYPES = frozenset({"WebSite", "Blog", "Periodical"})
# Articles by schema.org, but not what a news archive keeps: documentation, papers, forum threads, recipes.
_OTHER_ARTICLE_TYPES = frozenset(
    {"TechArticle", "ScholarlyArticle", "SocialMediaPosting", "DiscussionForumPosting", "Recipe", "HowTo"}
)
_NEWS_TYPES = ARTICLE_TYPES - _OTHER_ARTICLE_TYPES
_THING_TYPES = frozenset({"Offer", "SoftwareApplication", "Course", "Service", "Event", "QAPage"})
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
# Queries that page through a list, or that are WordPress's archives by number (category, tag,
# author, month ``m=202405``, year): a list, however large the number.
_LIST_PARAMS = frozenset(
    {"page", "paged", "pg", "offset", "start", "from", "limit", "per_page", "cat", "tag", "author", "m", "year",
     "monthnum", "day", "w"}
)  # fmt: skip
_ITEM_NUMBER = re.compile(r"^\d{3,}$")
# og:type values that say nothing against an article: "blog" (one of Facebook's first types) names the
# site a post belongs to, and blogs wrote it on their posts.
_NEUTRAL_OG = frozenset({"article", "newsarticle", "blog"})
_PROSE_P = 100  # characters: a paragraph this long, with few links, is written text
_LONG_PROSE = 3000  # characters of prose in one block: a long text, whatever else is on the page
_TEASERS = 4  # this many headline links (or article blocks) make a list of stories
_ERROR = re.compile(r"\b(?:404|410|page not found|not found|no longer available|error occurred)\b", re.I)
_VISIBLE_DATES = frozenset({"byline", "text", "time", "element", "dateline", "profile"})
_PRICE = re.compile(r"[$€£¥]\s?\d")
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


def classify(page: Page, content: Content | None = None) -> PageType:
    """What the page is, from its points; ``content`` is its extracted body, date and authors when
    the caller has them (:func:`scrapers.parsers.parse.parse_candidate`), else they are extracted here."""
    points: list[tuple[float, str]] = []

    def note(value: float, reason: str) -> None:
        points.append((value, reason))

    body, date_source, named = content if content is not None else _content(page)
    if date_source == GUESSED_DATE:
        date_source = None  # htmldate's last-resort reading takes any date on any page: no evidence
    words = len(body.split())
    types = _jsonld_types(page)
    _structured(page, types, note)
    _body_classes(page, note)
    teasers = _teasers(page)
    prose = _prose(page)
    if teasers >= _TEASERS:
        # Beside a long text, linked headings are its own sections or a "related" box, not a list of stories.
        note(-0.3 if prose >= _LONG_PROSE else -0.7, f"{teasers} teasers")
    if prose >= 1500:
        note(1.0, f"{prose} characters of prose in one block")
    elif prose >= 700:
        note(0.15, f"{prose} characters of prose in one block")
    elif prose < 250:
        note(-0.2, f"only {prose} characters of prose in one block")
    if _date_after_headline(page):
        note(0.25, "a date under the headline")
    if date_source is not None:
        note(0.7, f"a publication date ({date_source})")
        if date_source in _VISIBLE_DATES:
            note(0.9, "the date is on the page for readers")
    if named:
        # A story is signed (a byline, rel=author, the structured data's author); a service, product
        # or listing page seldom names a person as its writer.
        note(0.3, "a named author")
    _url(page.url, note)
    if len(_PRICE.findall(body)) >= 2:
        note(-0.25, "prices in the text")
    score = sum(value for value, _ in points)
    reasons = tuple(f"{value:+g} {reason}" for value, reason in points)
    search = bool({k.lower() for k in parse_qs(urlsplit(page.url).query)} & _SEARCH_PARAMS)
    items = itemtypes(page)
    other = None if (types | items) & _NEWS_TYPES else other_kind(page, types, items)
    veto = _veto(page, _Evidence(teasers, prose, words, date_source is not None, search, other), reasons)
    if score >= ARTICLE_AT and veto is None:
        return PageType("article", score, reasons)
    if veto is not None and veto == other:
        return PageType("other", score, reasons, veto)
    listing = teasers >= _TEASERS or search or any("listing type" in r or "listing class" in r for r in reasons)
    return PageType("listing" if listing else "other", score, reasons, veto)


def _content(page: Page) -> Content:
    body = extract_body(page)
    published = extract_dates(page, body).published
    return body, published.source if published else None, authors(page)


def _url(url: str, note: _Note) -> None:
    """What the address says: a slug of four words or more is a story's title; an id or a year is
    a dated or numbered item; the site's root and a query string are pages of many stories."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    last = re.sub(r"\.\w{2,5}$", "", segments[-1]) if segments else ""
    if len([w for w in re.split(r"[-_]+", last) if w]) >= 4:
        note(1.0, "a slug of four words or more")
    if re.search(r"\d{4,}", parts.path + parts.query):
        note(0.3, "an id or a year in the URL")
    if _one_item(parts.query):
        return  # WordPress's /?p=123 and the like: the address of one post, not the home page or a list
    if not segments:
        note(-0.4, "the site's root")
    if parts.query:
        note(-0.3, "a query string")


def _one_item(query: str) -> bool:
    """A query that names one item by its number (``p=34524``, ``id=1204``), not a page of a list."""
    pairs = parse_qs(query, keep_blank_values=True)
    if len(pairs) != 1:
        return False
    name, values = next(iter(pairs.items()))
    return name.lower() not in _LIST_PARAMS and len(values) == 1 and bool(_ITEM_NUMBER.match(values[0]))


@dataclass(frozen=True)
class _Evidence:
    teasers: int
    prose: int
    words: int
    dated: bool
    search: bool
    other: str | None  # strong evidence of another kind of page (scrapers/parsers/page_kinds.py)


def _veto(page: Page, seen: _Evidence, reasons: tuple[str, ...]) -> str | None:
    """Strong evidence that a page is something else, whatever its points; without it, a page that
    does not score as an article is archived as a probable article with its confidence, never silently dropped. Each
    rule was kept only if it lost (almost) no labelled article on either half of both labelled sets."""
    if seen.search:
        return "a search page"
    if seen.other:
        return seen.other
    if seen.teasers >= _TEASERS and seen.prose < 700 and seen.words < 300 and not seen.dated:
        return "a listing of teasers"
    if any("JSON-LD listing type" in r for r in reasons) and seen.prose < 700:
        return "a listing by its JSON-LD type"
    if seen.prose < 700 and _error_page(page):
        return "an error page"
    # A dated page with next to no text is a story behind a sign-in wall, not a sign-in page.
    if seen.words < 30 and not seen.dated and _form_page(page):
        return "a form"
    return None


def _error_page(page: Page) -> bool:
    """A "not found" or error page served with 200: its title or headline says so."""
    heads = [*page.tags("title"), *page.tags("h1")]
    return any(_ERROR.search(squash(text_of(h))) for h in heads)


def _form_page(page: Page) -> bool:
    """A sign-in or sign-up page: a password field (a sidebar's login box beside an article is not
    enough: the caller asks this only of pages with next to no text)."""
    return any((i.get("type") or "").lower() == "password" for i in page.tags("input"))


def _jsonld_types(page: Page) -> set[str]:
    types: set[str] = set()
    for obj in page.jsonld:
        types |= jsonld_types(obj)
    if urlsplit(page.url or "").path.strip("/"):
        types -= _SITE_TYPES  # every page of a Yoast or Rank Math site describes its site: only the home page is it
    return types


def _structured(page: Page, types: set[str], note: _Note) -> None:
    news = types & _NEWS_TYPES
    if news:
        note(0.6, "JSON-LD " + "/".join(sorted(news)))
    elif types & _OTHER_ARTICLE_TYPES:
        note(-0.3, "JSON-LD " + "/".join(sorted(types & _OTHER_ARTICLE_TYPES)) + ", not a news article")
    elif types & LISTING_TYPES:
        note(-1.0, "JSON-LD listing type " + "/".join(sorted(types & LISTING_TYPES)))
    elif types & _THING_TYPES:
        note(-1.0, "JSON-LD " + "/".join(sorted(types & _THING_TYPES)))
    og = (page.meta_first("og:type") or "").lower()
    if og == "article":
        note(0.4, "og:type article")
    elif og and og not in _NEUTRAL_OG:
        note(-1.2, f"og:type {og}")


def _body_classes(page: Page, note: _Note) -> None:
    bodies = page.tags("body")
    names = classes(bodies[0]) if bodies else []
    if any(_SINGLE_CLASSES.match(n) for n in names):
        note(0.5, "article class on <body>")
    elif any(_LISTING_CLASSES.match(n) for n in names):
        note(-0.1, "listing class on <body>")
    elif any(_STATIC_CLASSES.match(n) for n in names):
        note(-0.15, "static page class on <body>")


def _ancestors(tag: Element) -> Iterator[Element]:
    return (parent for parent in tag.iterancestors() if tag_name(parent) != "html")


def _outside_furniture(page: Page, tag: Element) -> bool:
    known: dict[int, bool] = page.memo.setdefault("pagetype_furniture", {})
    for parent in _ancestors(tag):
        verdict = known.get(id(parent))
        if verdict is None:
            verdict = known[id(parent)] = _is_furniture(parent)
        if verdict:
            return False
    return True


def _is_furniture(tag: Element) -> bool:
    """Furniture as the body reads it: a block whose name only hints at furniture ("entry-author-NAME",
    a blog platform's taxonomy classes on the post's wrapper) is the text when it holds prose."""
    kind = furniture(tag)
    return kind is Furniture.SURE or (kind is Furniture.LIKELY and not has_prose(tag))


def _teasers(page: Page) -> int:
    """Story teasers: headings that are a link, and ``<article>`` blocks, outside page furniture."""
    headline_links = 0
    for heading in page.root.iter("h2", "h3", "h4"):
        link = next((a for a in heading.iter("a") if a.get("href") is not None), None)
        text = squash(text_of(heading))
        linked = link is not None and text and len(squash(text_of(link))) >= 0.8 * len(text)
        if linked and _outside_furniture(page, heading):
            headline_links += 1
    blocks = [a for a in page.tags("article") if not any(tag_name(p) == "article" for p in a.iterancestors())]
    articles = sum(1 for a in blocks if _outside_furniture(page, a))
    return max(headline_links, articles if articles > 1 else 0)


def _prose(page: Page) -> int:
    """Characters of prose paragraphs under the one element that holds most of them."""
    by_parent: dict[int, int] = {}
    for p in page.tags("p"):
        text = squash(text_of(p))
        if len(text) < _PROSE_P:
            continue
        links = sum(len(squash(text_of(a))) for a in p.iter("a"))
        if links > 0.3 * len(text) or not _outside_furniture(page, p):
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
