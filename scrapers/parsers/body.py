"""The article's text: paragraphs separated by a blank line, without chrome, captions or comments.

Where to read it, in order: the profile's body selector; on other pages, the container the page
marks as the article (``itemprop=articleBody``, the usual CMS classes, ``<article>``) when it holds
most of the prose, else the densest block (:mod:`density`); JSON-LD ``articleBody`` when the page
itself yields less text than it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .boilerplate import Furniture, furniture, has_prose
from .density import Scores, score_elements
from .page import Page
from .text import CONTROLS, NEVER_TEXT, Block, Element, Skip, blocks, is_hidden, never_text, squash, text_of

# The usual article containers of CMSs, most specific first.
KNOWN_CONTAINERS = (
    "[itemprop=articleBody]",
    ".entry-content, .post-content, .article-content, .article-body, .article__body, .story-body,"
    " .post-body, .articleBody, .article-text, .story-content, .body-text, .field-name-body,"
    " .field--name-body, .td-post-content, .news-content, .article__content, .c-article-body",
    "article",
)
_CAPTION_TAGS = frozenset({"figcaption"})
_ENOUGH = 0.6  # a marked container is kept when it holds this share of the best block's value
GENERIC_PAYWALL_TEXTS = ("subscribe to continue reading", "subscribe to read the full", "to read the full article")


@dataclass(frozen=True)
class BodyRoot:
    elements: tuple[Element, ...]
    skip: Skip
    source: str  # "profile", "container", "density" or "none": says which rule found the text


def extract_body(page: Page) -> str:
    root = body_root(page)
    found = [b for element in root.elements for b in blocks(element, root.skip)]
    texts = _clean([b.text for b in _keep(found, root.source)], page)
    dom_text = "\n\n".join(texts)
    ld_text = _jsonld_body(page)
    if ld_text and root.source != "profile" and len(dom_text) < 0.7 * len(ld_text):
        return ld_text
    return dom_text


def body_root(page: Page) -> BodyRoot:
    cached = page.memo.get("body_root")
    if isinstance(cached, BodyRoot):
        return cached
    root = _profile_root(page) or _generic_root(page)
    page.memo["body_root"] = root
    return root


def _profile_root(page: Page) -> BodyRoot | None:
    elements = page.select_profile("body")
    if not elements:
        return None
    captions = {id(t) for t in page.select_profile("caption_text")}

    def skip(tag: Element) -> bool:
        return page.skip(tag) or tag.tag in _CAPTION_TAGS or id(tag) in captions

    return BodyRoot(tuple(_outermost(elements)), skip, "profile")


class FurnitureSkip:
    """The generic skipping rule: never-text elements, captions, the headline and page furniture.

    Class names are only a hint ("elementor-widget-wrap" holds whole articles), so furniture is
    skipped only while it holds less than a third of the text it is judged against, and likely
    furniture only when it holds no prose.
    """

    def __init__(self, page: Page, reference: Element, kinds: dict[int, Furniture | None]) -> None:
        self.size = page.text_size
        self.limit = page.text_size(reference) / 3
        self.kinds = kinds  # furniture() of each tag seen, shared by the walks over one page

    def __call__(self, tag: Element) -> bool:
        name = tag.tag
        if name in NEVER_TEXT or name in _CAPTION_TAGS or name == "h1":
            return True
        if name in CONTROLS or is_hidden(tag):
            return self.size(tag) < self.limit
        key = id(tag)
        if key not in self.kinds:
            self.kinds[key] = furniture(tag)
        kind = self.kinds[key]
        if kind is None or self.size(tag) >= self.limit:
            return False
        return kind is Furniture.SURE or not has_prose(tag)


def _generic_root(page: Page) -> BodyRoot:
    # From the document, not <body>: lxml moves what follows a stray </body> or a second <html>.
    top = page.root
    kinds: dict[int, Furniture | None] = {}
    scores = score_elements(blocks(top, FurnitureSkip(page, top, kinds)), top)
    best = scores.best()
    if best is None:
        return BodyRoot((), never_text, "none")
    marked = _marked_container(page, scores, scores.of(best))
    chosen = marked if marked is not None else best
    return BodyRoot((chosen,), FurnitureSkip(page, chosen, kinds), "container" if marked is not None else "density")


def _marked_container(page: Page, scores: Scores, best: float) -> Element | None:
    for selector in KNOWN_CONTAINERS:
        candidates = [t for t in page.select(selector) if scores.of(t) > 0]
        if candidates:
            top = max(candidates, key=scores.of)
            if scores.of(top) >= _ENOUGH * best:
                return top
    return None


def _keep(found: list[Block], source: str) -> list[Block]:
    """On pages without a profile, drops link lists left inside the container ("Read more: …")."""
    if source == "profile":
        return found
    return [b for b in found if not (b.link_density > 0.6 and len(b.text) < 300)]


def _clean(texts: list[str], page: Page) -> list[str]:
    """Drops the end markers and paywall notices the profile names (and the generic ones)."""
    profile = page.profile
    markers = profile.end_markers if profile else ()
    notices = tuple(t.lower() for t in (profile.paywall_text if profile else ())) + GENERIC_PAYWALL_TEXTS
    kept: list[str] = []
    for text in texts:
        for marker in markers:
            text = text.removesuffix(marker).rstrip()
        if text and not any(_is_notice(text.lower(), notice) for notice in notices):
            kept.append(text)
    return kept


def _is_notice(text: str, notice: str) -> bool:
    """A paragraph that is the notice, give or take a link or two ("Login", "Subscribe")."""
    return notice in text and len(text) < len(notice) + 40


def _jsonld_body(page: Page) -> str | None:
    value = page.jsonld_value("articleBody")
    if not isinstance(value, str) or len(value) < 200:
        return None
    if "<" in value and ">" in value:
        value = re.sub(r"<[^>]+>", "\n", value)  # some CMSs put HTML in articleBody
    parts = [squash(p) for p in re.split(r"\n\s*\n|\r\n|\n", value)]
    return "\n\n".join(p for p in parts if p)


def _outermost(elements: list[Element]) -> list[Element]:
    """Drops matches nested inside another match, so no text is read twice."""
    chosen = {id(e) for e in elements}
    return [e for e in elements if not any(id(p) in chosen for p in e.iterancestors())]


def is_partial(page: Page) -> bool:
    """A preview of a paywalled article: the profile's paywall marker or notice, or JSON-LD says so."""
    profile = page.profile
    if profile and profile.paywall_selector and page.select(profile.paywall_selector):
        return True
    if str(page.jsonld_value("isAccessibleForFree")).lower() == "false":
        return True
    notices = profile.paywall_text if profile else ()
    if not notices:
        return False
    text = " ".join(squash(text_of(e, " ")) for e in body_root(page).elements)
    return any(notice in text for notice in notices)
