"""The byline: the headline of an article page and the dates written next to it.

Read by the date extractor (dates.py: a date under the headline is the page's own statement of
when it was published or updated) and by the body extractor (body.py: a short text with a dated
byline still stands as the article). Both import it; it imports neither.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, tzinfo
from typing import Any
from urllib.parse import urlsplit

from .boilerplate import names_of, words_of
from .dateparse import Loose, find_all_loose, find_relative, zone
from .page import Page
from .text import NEVER_TEXT, Element, has_ancestor, inline_text, squash, text_nodes

UPDATED_NAMES = re.compile(r"updat|modif|edited|revis", re.I)


# Words that say what a written date is, in the languages of :mod:`months`: for each language both of
# its verbs, "updated" and "changed/modified" (a site says either), as participle and as noun; for the
# publication, the participle and the noun ("Data publicării", "Date de publication").
UPDATED_WORDS = re.compile(
    r"(?<![^\W\d_])(?:updated?|last\s+updated|modified|modifications?|revised|edited|refreshed|reviewed|обновлен\w*|обновлено"
    r"|изменен\w*|yenilən\w*|dəyişdiril\w*|güncellen\w*|güncelleme|değiştiril\w*|aktualisiert|aktualisierung"
    r"|geändert|mis\s+à\s+jour|modifié\w*|actualisé\w*|actualizad\w*|actualización|modificad\w*|aggiornat\w*"
    r"|aggiornamento|modificat\w*|modifica|atualizad\w*|atualização|zaktualizowan\w*|aktualizacja|zmienion\w*"
    r"|zmodyfikowan\w*|оновлен\w*|змінен\w*|bijgewerkt|gewijzigd|aangepast|uppdater\w*|ändrad|opdateret|ændret"
    r"|actualizat\w*|actualizare|actualizări\w*|mise\s+à\s+jour|aktualizacj\w*|aktualizován\w*|aktualizovan\w*"
    r"|aktualizace|upraven\w*|frissítve|frissítés\w*|módosítva|módosítás\w*)(?![^\W\d_])",
    re.I,
)


PUBLISHED_WORDS = re.compile(
    r"(?<![^\W\d_])(?:published|posted|publish|released|created|written|dated|опубликован\w*|публикаци\w*"
    r"|dərc\s+\w+|yayımlan\w*|yayınlan\w*|veröffentlicht|erstellt|publié|publicad\w*|pubblicat\w*"
    r"|opublikowan\w*|опубліковано|gepubliceerd|geplaatst|publicerad|udgivet|publicat\w*|oluşturul\w*|создан\w*"
    r"|створен\w*|yaradıl\w*|geschrieben|creado|criado|creato|utworzon\w*|aangemaakt|publication|publicaci[oó]n"
    r"|publicação|pubblicazione|veröffentlichung|publikacj\w*|publicering|publicare|publicări\w*|publikován\w*"
    r"|zveřejněn\w*|közzétéve|megjelent|létrehozva)(?![^\W\d_])",
    re.I,
)


# Blocks whose dates belong to other stories or to readers: teasers, menus, comments, footers.
_ELSEWHERE_WORDS = frozenset(
    {"related", "recommended", "recommendations", "trending", "popular", "promo", "teaser", "teasers", "comment",
     "comments", "commentlist", "footer", "breadcrumb", "breadcrumbs", "morestories", "readnext", "alsoread",
     "carousel", "slider", "nav", "navbar", "menu"}
)  # fmt: skip


_BYLINE_AFTER = 320  # characters of short text after the headline where bylines put their date


_BYLINE_BEFORE = 120  # ... and before it, inside the headline's own block (kickers, "NEWS | 3 March")


_PROSE = 110  # a string this long is running text, not a byline


_LABEL_REACH = 48  # characters before a date where its label ("Updated:", "Posted on") is looked for


def headline(page: Page) -> Element | None:
    """The article's headline: the ``<h1>`` that says what the title says, else the first ``<h1>``
    outside menus and footers, else the first heading or title-like element that says what the
    title says (pages built without an ``<h1>``). Found once a page: the dates, the body and each
    comment's date reader ask for it."""
    if _HEADLINE_MEMO not in page.memo:
        page.memo[_HEADLINE_MEMO] = _find_headline(page)
    found: Element | None = page.memo[_HEADLINE_MEMO]
    return found


_HEADLINE_MEMO = "headline"


def _find_headline(page: Page) -> Element | None:
    candidates = [h for h in page.tags("h1") if not page.skip(h) and not _in_chrome(h)]
    # A site's name in an <h1> "says" a title that ends with it: it is the headline only where no
    # heading says the title (see _site_name).
    named = [h for h in candidates if not _site_name(h)]
    title = _title_words(page)
    if title:
        for h1 in named:
            if _says(inline_text(h1), title, 0.5):
                return h1
        found = _titled_element(page, title, _HEADINGS) if len(named) < len(candidates) else None
        if found is not None:
            return found
    if candidates:
        return candidates[0]
    return _titled_element(page, title) if title else None


_TITLE_LIKE = "h2, h3, [itemprop=headline], [class*=title], [class*=headline], p"
_HEADINGS = "h2, h3, [itemprop=headline]"  # beside a site-name h1: headings only (fewer to read)


def _titled_element(page: Page, title: set[str], selector: str = _TITLE_LIKE) -> Element | None:
    """The first heading or title-like element that says what the title says (no <h1> does)."""
    for tag in page.select(selector):
        if tag.tag not in ("meta", "title") and not page.skip(tag) and not _in_chrome(tag):
            text = inline_text(tag)
            if len(text) < 300 and _says(text, title, 0.7):
                # A title block around the heading (its byline too): the heading is the headline.
                inner = (h for h in tag.iterdescendants("h2", "h3") if _says(inline_text(h), title, 0.7))
                return next(inner, tag)
    return None


def _site_name(h1: Element) -> bool:
    """An ``<h1>`` that is a link to the site's front page and nothing else (a blog theme's site title
    in its header or sidebar): the site's name, not an article's headline."""
    links = h1.findall(".//a")
    if len(links) != 1 or squash(inline_text(links[0])) != squash(inline_text(h1)):
        return False
    address = urlsplit((links[0].get("href") or "").strip())
    front = address.path == "/" or (address.netloc and not address.path) or _FRONT_PAGE.search(address.path)
    return bool(front) and not address.query and not address.fragment


_FRONT_PAGE = re.compile(r"^(?:/[^/]+)?/index\.\w+$")  # "/index.php", "/forum/index.php": a site's front page


def _says(text: str, title: set[str], share: float) -> bool:
    words = _words(text)
    return bool(words) and len(words & title) >= share * min(len(words), len(title))


def _title_words(page: Page) -> set[str]:
    title = page.jsonld_value("headline") or page.meta_first("og:title", "twitter:title")
    if not isinstance(title, str):
        tag = next(iter(page.tags("title")), None)
        title = tag.text if tag is not None else None
    return _words(title) if isinstance(title, str) else set()


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W_]+", text.lower()) if len(w) > 2}


def _in_chrome(tag: Element) -> bool:
    return any(p.tag in ("nav", "footer", "aside") for p in tag.iterancestors())


# --- text around the headline ----------------------------------------------------------------
Segment = list[tuple[str, Element]]  # strings as read, each with the element that holds it


def around(h1: Element) -> frozenset[int]:
    return frozenset(id(e) for e in (h1, *h1.iterancestors()))


def _after(h1: Element) -> Segment:
    """Short strings after the headline (long ones are the article's text, and are passed over)."""
    article = around(h1)
    found: Segment = []
    size = prose = 0
    for string, owner in _read(_following(h1)):
        text = squash(string)
        if not text:
            continue
        if len(text) >= _PROSE and re.search(r"[.!?;]\s", text):
            prose += 1
            if prose >= 2:
                break
            continue
        if elsewhere(owner, article):
            continue
        found.append((text, owner))
        size += len(text) + 1
        if size > _BYLINE_AFTER:
            break
    return found


def _before(h1: Element) -> Segment:
    """Short strings just before the headline inside its own block (a kicker, a date above it)."""
    block = h1.getparent()
    block = block.getparent() if block is not None and block.getparent() is not None else block
    if block is None or block.tag in ("body", "html"):
        return []
    article = around(h1)
    found: Segment = []
    size = 0
    for string, owner in reversed(list(_read(text_nodes(block, until=h1)))):
        text = squash(string)
        if not text:
            continue
        if len(text) >= _PROSE or elsewhere(owner, article):
            break
        found.insert(0, (text, owner))
        size += len(text) + 1
        if size > _BYLINE_BEFORE:
            break
    return found


def _following(element: Element) -> Iterator[tuple[str, Element]]:
    """The strings after ``element`` in page order (XPath's ``following::text()``), each with the
    element that holds it, read lazily: the byline is found in the first few."""
    node, parent = element, element.getparent()
    while parent is not None:
        if node.tail:
            yield node.tail, parent
        for sibling in node.itersiblings():
            if isinstance(sibling.tag, str):
                yield from text_nodes(sibling)
            if sibling.tail:
                yield sibling.tail, parent
        node, parent = parent, parent.getparent()


def _read(strings: Iterator[tuple[str, Element]]) -> Iterator[tuple[str, Element]]:
    """The strings a reader sees (not a script's or a style's)."""
    return ((string, owner) for string, owner in strings if owner.tag not in NEVER_TEXT)


def _joined(segment: Segment) -> tuple[str, Any]:
    """The segment as one text, and a function from a position in it to the element that holds it."""
    starts: list[tuple[int, Element]] = []
    parts: list[str] = []
    position = 0
    for text, owner in segment:
        starts.append((position, owner))
        parts.append(text)
        position += len(text) + 1

    def owner_at(index: int) -> Element | None:
        found = None
        for start, owner in starts:
            if start > index:
                break
            found = owner
        return found

    return " ".join(parts), owner_at


def label_of(text: str, found: Loose, owner: Element | None, since: int = 0) -> str | None:
    """ "modified", "published" or None, from the words just before the date (after the previous
    date, ``since``), else its markup."""
    return worded_label(text, found, since) or markup_label(owner)


def worded_label(text: str, found: Loose, since: int = 0) -> str | None:
    """The label the words just before the date give it ("Updated …", "Published …")."""
    before = text[max(since, found.start - _LABEL_REACH) : found.start]
    updated = [m.end() for m in UPDATED_WORDS.finditer(before)]
    published = [m.end() for m in PUBLISHED_WORDS.finditer(before)]
    if updated or published:
        return "modified" if max(updated, default=-1) > max(published, default=-1) else "published"
    return None


def markup_label(owner: Element | None) -> str | None:
    """The label the date's element or its near ancestors give it by class, id or itemprop."""
    for tag in [owner, *(owner.iterancestors() if owner is not None else [])][:3]:
        if tag is None:
            continue
        names = " ".join(names_of(tag)) + " " + str(tag.get("itemprop") or "")
        if UPDATED_NAMES.search(names):
            return "modified"
        if re.search(r"publish|datePublished|posted|created", names, re.I):
            return "published"
    return None


def elsewhere(tag: Element, article: frozenset[int] = frozenset(), aside: bool = True) -> bool:
    """Inside a block of other stories, of readers' comments, or of the site's menus (and, with
    ``aside``, in an ``<aside>``); ``article`` holds the elements around the article itself (the
    headline's), whose names say nothing here."""
    chain = [tag, *tag.iterancestors()]
    # An article's own <footer> and what it holds are not another block for being named one
    # ("theme-doc-footer-edit-meta-row"): "footer" says nothing there.
    tags = [e.tag for e in chain]
    own = _FOOTER_WORD if "footer" in tags and "article" in tags[tags.index("footer") :] else frozenset()
    for element in chain:
        if element.tag in ("body", "html") or id(element) in article:
            return False
        own_footer = element.tag == "footer" and has_ancestor(element, "article")  # an article's footer: its byline
        if element.tag == "nav" or (aside and element.tag == "aside") or (element.tag == "footer" and not own_footer):
            return True
        if element.get("role") in _SITE_LANDMARKS:
            return True  # the site's menus and footer by their ARIA role ("banner" is on some articles' headers)
        # A BEM element ("article-header__footer") is part of its block: the block's name is what counts.
        if any(_names_elsewhere(words_of(name.split("__")[0]) - own) for name in names_of(element)):
            return True
    return False


def _names_elsewhere(words: frozenset[str]) -> bool:
    """A block named for teasers, menus or comments, or a cookie-consent banner (its dates are a
    policy's; "cookiebar", "CybotCookiebotDialog", "onetrust-consent-sdk": a part of a word is enough);
    the article's own footer ("entry-footer", "article-footer") holds its byline, as an ``<article>``'s
    ``<footer>`` does."""
    if any(part in word for word in words for part in _CONSENT_PARTS):
        return True
    found = words & _ELSEWHERE_WORDS
    if found == {"footer"} and words & _OWN_FOOTER:
        return False
    return bool(found)


_OWN_FOOTER = frozenset({"article", "post", "entry", "story"})
_CONSENT_PARTS = ("cookie", "consent", "gdpr")
_SITE_LANDMARKS = frozenset({"navigation", "contentinfo"})
_FOOTER_WORD = frozenset({"footer"})


def month_first(page: Page) -> bool:
    lang = (page.html_lang or "").lower()
    return lang in ("", "en", "en-us")


def dates_in(text: str, tz: tzinfo, month_first: bool, fetched_at: datetime | None) -> list[Loose]:
    """The written dates of `text`; a relative one ("2 hours ago") too when the fetch time is known."""
    found = find_all_loose(text, tz, month_first)
    if fetched_at:
        relative = find_relative(text, fetched_at, tz)
        if relative and not any(f.start <= relative.start < f.end for f in found):
            found = sorted([*found, relative], key=lambda f: f.start)
    return found


def byline_dates(
    h1: Element, tz: tzinfo, month_first: bool, fetched_at: datetime | None
) -> Iterator[tuple[Loose, Element | None, str | None, bool]]:
    """The dates written just before and after the headline, in page order, each with the element
    that holds it, its label ("published", "modified" or None) and whether words give the label
    (else its markup does, or nothing)."""
    opening = _headline_date(h1, tz, month_first)
    if opening is not None:
        yield opening, h1, None, False
    for segment in (_before(h1), _after(h1)):
        text, owners = _joined(segment)
        previous_end = 0
        for found in dates_in(text, tz, month_first, fetched_at):
            owner = owners(found.start)
            worded = worded_label(text, found, previous_end)
            yield found, owner, worded or markup_label(owner), worded is not None
            previous_end = found.end


_HEADLINE_OPENING = 40  # characters: a date that opens the headline ("12.05.2018: Übung am Rathaus")


def _headline_date(h1: Element, tz: tzinfo, month_first: bool) -> Loose | None:
    """A date the headline opens with: a diary's, a chronicle's or a small site's way of dating an
    entry (nothing but punctuation before it)."""
    text = squash(inline_text(h1))[:_HEADLINE_OPENING]
    found = find_all_loose(text, tz, month_first)
    if found and not _LETTER.search(text[: found[0].start]) and _OPENING_END.match(text[found[0].end :]):
        return found[0]
    return None


_LETTER = re.compile(r"[^\W\d_]")
# After the date, a separator or nothing: "2024.4.4 → 2024.5.0 issue" opens with a version, not a day.
_OPENING_END = re.compile(r"\s*(?:[:|–—-]\s|$)")


def shows_byline_date(page: Page) -> bool:
    """Whether the page prints a date next to its headline, as articles do."""
    h1 = headline(page)
    tz = zone(page.profile.timezone if page.profile else None)
    return h1 is not None and next(byline_dates(h1, tz, month_first(page), None), None) is not None
