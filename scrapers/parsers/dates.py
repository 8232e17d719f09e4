"""Publication and modification dates, each with the string it was read from and where that was.

What a reader sees wins over what the page's metadata says: CMSs fill JSON-LD and meta tags with
import times, cache refreshes and UTC instants a day off, while the date printed under the headline
is the one the site stands by. So, in order:

1. the profile's selectors (read with its formats and timezone);
2. an explicit statement in the text ("This article was originally published on 26 Sep 2019");
3. the byline: dates written next to the headline (``<time>``, "By X · March 3, 2024",
   "Updated 2 hours ago"), each called published or updated by the words and markup around it;
4. structured data: JSON-LD, meta tags, ``itemprop``;
5. ``<time>`` elements of the article, the profile's dateline, a date in the URL (``yyyy/mm/dd``,
   ``yyyymmdd``, ``dd-mm-yyyy``, ``ddmmyyyy``), and last an element whose class says it holds a date;
6. when none of these finds a date at all, htmldate's reading (:mod:`dates_fallback`).

``published`` is the first publication (issue 16): a shown "Updated …"/"Aktualisiert …" line, or an
unlabelled or ``<time pubdate>`` date that is the metadata's ``dateModified`` while the metadata
states an earlier publication, is the ``modified`` date. A byline date must stand on a short line or
in a date element: one inside running text (a dek, a caption, a sentence that happens to sit under
the headline) is the story's date, not the article's (:func:`_in_prose`).

An unlabelled byline date that is the day of the structured ``dateModified`` (and not of
``datePublished``) is the modification date the page chose to show. A date that gives only a day
takes its time from another source of the same day, or the instant the metadata states for it
when that instant is the shown day in some timezone (the page shows the day, only the metadata says
the moment), in an offset under which it is still the shown day. Dates without an offset are read in the
profile's timezone, else UTC; relative ones ("вчера", "2 saat əvvəl") need the fetch time.

Each date's ``source`` names its evidence: ``profile``, ``text``, ``byline``, ``jsonld``, ``meta``,
``microdata``, ``time``, ``dateline``, ``url``, ``element``, or ``htmldate`` (the library's reading,
asked only when none of ours finds a date: :mod:`dates_fallback`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from itertools import islice
from typing import Any
from urllib.parse import unquote

from .body import body_root
from .boilerplate import names_of
from .byline import (
    PUBLISHED_WORDS,
    UPDATED_NAMES,
    UPDATED_WORDS,
    around,
    byline_dates,
    elsewhere,
    headline,
    label_of,
    month_first,
    worded_label,
)
from .dateparse import Loose, find_all_loose, find_relative, parse_iso, parse_with_formats, relative_at, zone
from .dates_fallback import SOURCE as FALLBACK_SOURCE
from .dates_fallback import fallback_date
from .months import month_number
from .page import Page, jsonld_types
from .text import BLOCK, NEVER_TEXT, Element, classes, has_ancestor, inline_text, squash

# Sources a reader sees on the page (the others are metadata or the address).
VISIBLE_SOURCES = frozenset({"profile", "text", "byline", "time", "dateline", "element"})


@dataclass(frozen=True)
class FoundDate:
    value: datetime
    raw: str
    source: str = ""

    @property
    def has_time(self) -> bool:
        return bool(self.value.hour or self.value.minute or ":" in self.raw)

    @property
    def visible(self) -> bool:
        return self.source in VISIBLE_SOURCES

    @property
    def day(self) -> date:
        return self.value.date()


@dataclass(frozen=True)
class Dates:
    published: FoundDate | None = None
    modified: FoundDate | None = None


PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "article:published", "og:published_time",
    "published_time", "datepublished", "dcterms.issued", "dc.date.issued", "dcterms.created",
    "dc.date.created", "dc.date", "dcterms.date", "dc.created", "citation_publication_date",
    "citation_date", "parsely-pub-date", "sailthru.date", "article.published", "publish-date",
    "publish_date", "publishdate", "pubdate", "og:pubdate", "originalpublicationdate",
    "article_date_original", "date", "datecreated", "created",
)  # fmt: skip
MODIFIED_META = (
    "article:modified_time", "og:article:modified_time", "og:updated_time", "article:modified",
    "modified_time", "datemodified", "dcterms.modified", "dc.date.modified", "last-modified",
    "parsely-updated", "article.updated", "lastmod",
)  # fmt: skip
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>0?[1-9]|1[0-2]|[a-z]{3,9})[/-](?P<d>0?[1-9]|[12]\d|3[01])(?:/|[-_.]|$)"
    r"|[/_-](?P<y2>20\d{2})(?P<m2>0[1-9]|1[0-2])(?P<d2>0[1-9]|[12]\d|3[01])(?:[/_.-]|$)"
    # Day first, as most of the world writes it: "/24-07-2017/", "-24072017.html".
    r"|[/_-](?P<d3>0[1-9]|[12]\d|3[01])(?P<sep>-?)(?P<m3>0[1-9]|1[0-2])(?P=sep)(?P<y3>(?:19|20)\d{2})(?:[/_.-]|$)"
)
# The microformats' publication (hAtom's ``abbr.published``, h-entry's ``dt-published``): markup that
# means the same on every site, as ``itemprop`` does, on the date the page shows (source "element").
_MICROFORMAT_PUBLISHED = ".hentry abbr.published, .h-entry .dt-published"
_PUBLISHED_META_NAME = re.compile(r"publish|pubdate|issued|creat", re.I)
_MODIFIED_META_NAME = re.compile(r"modif|updated|revised", re.I)
_ISO_START = re.compile(r"\s*\d{4}-\d{2}-\d{2}")
_QUOTE = r"(?:\"|\\\"|&quot;|&#34;)"
# Keys an app's state uses for the publication where it keeps no JSON-LD (read only as a last resort);
# the first publication's first (a CMS that keeps it apart re-sets published_at on each republication).
_PUBLISHED_KEYS = (
    "firstPublishedAt", "first_published_at", "published_at", "publishedAt", "publishedDate", "publishDate",
    "publish_date", "createdAt", "created_at", "dateCreated",
)  # fmt: skip
_SCRIPT_KEYS = {
    key: re.compile(rf"{_QUOTE}{key}{_QUOTE}\s*:\s*{_QUOTE}(?P<value>\d{{4}}-\d{{2}}-\d{{2}}[^\"\\&]{{0,30}})")
    for key in ("datePublished", "dateModified", *_PUBLISHED_KEYS)
}
# The same keys in a script's object literal, quoted or not (``createdAt:"2022-09-14T08:12:44.000Z"``).
_STATE_KEYS = {
    key: re.compile(
        rf"(?:{_QUOTE}{key}{_QUOTE}|(?<=[{{,\s]){key})\s*:\s*{_QUOTE}(?P<value>\d{{4}}-\d{{2}}-\d{{2}}[^\"\\&]{{0,30}})"
    )
    for key in _PUBLISHED_KEYS
}
_STATE_MATCHES = 20  # occurrences of one key looked at (an app's state lists other items too)
_STATE_REACH = 5000  # characters between the headline and a key of the same object
_BRACKETS = re.compile(r"[{}\[\]]")
_DATE_LIKE = re.compile(r"date|time|publish|posted|byline|dateline|timestamp|meta|updated", re.I)
_ORIGINALLY = re.compile(
    r"(?:originally|first)\s+(?:published|posted|appeared|ran)\b|впервые\s+опубликован\w*"
    r"|ursprünglich\s+veröffentlicht|publié\s+(?:initialement|à\s+l'origine)|publicad[oa]\s+originalmente",
    re.I,
)
# Words without which no _ORIGINALLY phrase can be on the page (a substring test costs a thousandth
# of running the case-insensitive pattern over the whole markup).
_ORIGINALLY_WORDS = (
    "originally",
    "first published",
    "first posted",
    "first appeared",
    "first ran",
    "впервые",
    "ursprünglich",
    "publié",
    "publicad",
)


def _says_first_published(markup: str) -> bool:
    lowered = markup.lower()
    return any(word in lowered for word in _ORIGINALLY_WORDS) and _ORIGINALLY.search(markup) is not None


_UPDATED_LINE = re.compile(r"^\W*(?:last\s+)?(?:updated|modified|reviewed|revised)\b", re.I)
# A line that is a publication label and its date ("Posted: 10.22.2012", "Publiziert am 13.09.2022"):
# after the text too it is the article's (a reader's "Posted by X on …" names someone first).
_PUBLISHED_LINE = re.compile(rf"\W*(?:{PUBLISHED_WORDS.pattern})(?:\s+[^\W\d_]{{1,3}})?\W*\d", re.I)
_LABEL_LINE = 30  # characters: where the date of such a line starts at the latest
# Words that make a short line something else than a dated byline ("Offer ends March 3, 2024").
_NOT_A_LABEL = re.compile(
    r"(?<![^\W\d_])(?:ends?|until|till|deadline|expires?|event|starts?|from|to|through|since|before|after|due"
    r"|copyright|©|season|episode|issue|vol|volume|edition|born|died|opens?|closes?|register)(?![^\W\d_])",
    re.I,
)
_MAX_VISIBLE_CANDIDATES = 60
_PRODUCT_TYPES = frozenset({"Product", "ProductGroup", "IndividualProduct", "ProductModel"})
_FOOTER_LINE = 60  # characters: a footer's maintenance line is short
_NOTE_TAGS = ("p", "small", "em", "i")  # where a page states its first publication outside the body
_NOTE_LENGTH = 400
_OPENING_PARAGRAPHS = 6  # lines of the body text (a kicker, a lead, then the dateline's paragraph)
_OPENING_REACH = 70  # characters of a paragraph where its dateline stands
_DATELINE_END = re.compile(r"\s*(?:\([^)]{1,30}\)\s*)?[–—:-]\s")  # "… 2023 – Der", "… 2025 (BSS) - "
_BRACKET_END = re.compile(r"\)\s*(?:[–—:-]\s*)?[^\W\d_]")
_GUESS_ROWS = 300  # list items and table rows looked at for a guessed day
_LAG = timedelta(days=7)  # how late a metadata publication date may run behind the page's own date


def extract_dates(page: Page, body: str = "", fetched_at: datetime | None = None) -> Dates:
    return _Reader(page, body, fetched_at).dates()


class _Reader:
    def __init__(self, page: Page, body: str, fetched_at: datetime | None) -> None:
        self.page = page
        self.body = body
        self.tz = zone(page.profile.timezone if page.profile else None)
        self.fetched_at = fetched_at
        self.month_first = month_first(page)
        self.cache: dict[str, object] = {}
        self.h1 = headline(page)
        self.article = around(self.h1) if self.h1 is not None else frozenset()

    # --- the decision ------------------------------------------------------------------------
    def dates(self) -> Dates:
        structured_published = self.structured_published()
        structured_modified = self.structured_modified()
        if self.for_sale():
            # A product's page: its shown dates are reviews', offers' and shipping's, never the page's,
            # and a JSON-LD datePublished on it is a review's: only its profile and meta tags date it.
            # A shop's modification meta is the catalogue record's last save (a price, the stock), which
            # no reader sees: only a profile gives a product page's update.
            return Dates(
                _first_of(self.profile("published"), lambda: self.meta(PUBLISHED_META)), self.profile("modified")
            )
        byline_published, byline_modified = self.byline(structured_published, structured_modified)
        published = _first_of(
            self.profile("published"),
            self.originally(),
            byline_published,
            structured_published,
            lambda: self.times(),
            lambda: self.dateline(),
            lambda: self.url_date(),
            lambda: self.opening(),
            lambda: self.standalone(updated=False),
            lambda: self.elements(updated=False),
        )
        modified = _first_of(
            self.profile("modified"),
            byline_modified,
            structured_modified,
            lambda: self.standalone(updated=True),
            lambda: self.elements(updated=True) if published is None or not published.visible else None,
            lambda: self.footer_update() if published is not None else None,
        )
        if published is None and modified is None:
            published = self.script_keys() or self.fallback()
        others = [d for d in (structured_published, structured_modified, self.times()) if d is not None]
        published = _with_time(published, others, structured_published)
        modified = _with_time(modified, others, structured_modified)
        if modified and published and modified.day < published.day and not _metadata_lag(published, modified):
            modified = None  # an "update" before the publication is some other date of the page
        return Dates(published, modified)

    def for_sale(self) -> bool:
        """Whether the page's JSON-LD says it is a product's (schema.org ``Product``) and nothing says
        it is an article (an article object, ``og:type`` article): a shop's page, not a publication."""
        page = self.page
        if page.jsonld_article is not None or (page.meta_first("og:type") or "").lower() == "article":
            return False
        # (og:type product alone is not enough: blogs that review a product set it on their articles.)
        kinds = {kind for obj in page.jsonld for kind in jsonld_types(obj)}
        return bool(kinds & _PRODUCT_TYPES)

    # --- sources -----------------------------------------------------------------------------
    def script_keys(self) -> FoundDate | None:
        """An app's state names its publication in its own words (``"published_at": "2021-05-06…"``,
        ``createdAt``): read only where nothing else dates the page, as such a key may be a user's."""
        markup = self.page.markup
        title = self._title_in_state(markup)
        for key in _PUBLISHED_KEYS:
            if key not in markup:  # (a substring test is quicker)
                continue
            found = islice(_STATE_KEYS[key].finditer(markup), _STATE_MATCHES)
            matches = [m for m in found if _in_script(markup, m)]
            own = [m for m in matches if title is not None and _same_object(markup, m.start(), title)]
            for match in own or matches[:1]:
                return self.read(match["value"], "script")
        return None

    def _title_in_state(self, markup: str) -> int | None:
        """Where a script's state writes the headline as a quoted value: the article's own object,
        whose date keys are the article's (an author's or a related item's ``createdAt`` are not)."""
        if self.h1 is None:
            return None
        title = squash(inline_text(self.h1))
        for quoted in (f'"{title}"', f'\\"{title}\\"'):
            at = markup.find(quoted) if len(title) >= 8 else -1
            if at >= 0:
                return at
        return None

    def fallback(self) -> FoundDate | None:
        """htmldate's reading, for a page where none of ours finds a date (see :mod:`dates_fallback`)."""
        found = fallback_date(self.page.root, self.page.url, self.tz, self.fetched_at)
        guess = FoundDate(found[0], found[1], FALLBACK_SOURCE) if found else None
        if guess is None or self.of_event(guess) or self.in_rows(guess) or self.only_in_spans(guess):
            return None
        return None if self.only_in_prose(guess) else guess

    def only_in_prose(self, guess: FoundDate) -> bool:
        """Whether the page writes the guessed day only inside running text ("… kein Training statt.
        Die Halle ist am 15.03.2024 geschlossen."): htmldate reads any written day; such a day is what
        the text tells of, and a page that states no date of its own has none. A day the page never
        writes (its address, its metadata) is not judged here."""
        seen = False
        year = str(guess.day.year)
        for string, owner in _strings_of(self.page.root):
            if (year not in string and year[2:] not in string) or self.page.skip(owner):
                continue  # (a substring test first: few strings can write the day)
            for found in find_all_loose(squash(string), self.tz, self.month_first):
                if found.value.date() != guess.day:
                    continue
                # (a short one-sentence line is the page's own: "Diese Seite wurde zuletzt am … bearbeitet.")
                if not _running_text(squash(_line_of(owner, found.raw)).replace(found.raw, " ")):
                    return False
                seen = True
        return seen

    def in_rows(self, guess: FoundDate) -> bool:
        """Whether the guessed day is a row's of a list or table of dated rows (a schedule, fixtures,
        other posts): htmldate reads such a row as the page's date, and a page that states no date of
        its own has none."""
        rows = [*self.page.tags("tr")[:_GUESS_ROWS], *self.page.tags("li")[:_GUESS_ROWS]]
        for row in rows:
            text = squash(inline_text(row))[:_ROW_OPENING]
            if not any(map(str.isdigit, text)):
                continue
            days = {f.value.date() for f in find_all_loose(text, self.tz, self.month_first)}
            if guess.day in days and _dated_sibling(row, self.month_first):
                return True
        return False

    def only_in_spans(self, guess: FoundDate) -> bool:
        """Whether the page writes the guessed day only as an end of a span of days ("14.–16. Juni
        2024"): htmldate reads such an end as a date; a day the page never writes (its address, its
        metadata) is not judged here."""
        text = squash(inline_text(self.page.root, self.page.skip))
        # Reading every date of the page is the cost; on most pages no dash next to a day number
        # could end a span there, and the near text of the dashes that could says whether any does.
        if not any(self._ranged_days(text[start:end], guess.day) for start, end in _span_windows(text)):
            return False
        spans = self._ranged_days(text, guess.day)
        return bool(spans) and all(spans)

    def _ranged_days(self, text: str, day: date) -> list[bool]:
        """For each time ``text`` writes ``day``, whether it writes it as an end of a span."""
        found = find_all_loose(text, self.tz, self.month_first)
        return [_ranged(text[max(0, f.start - 12) : f.end + 16], f.raw) for f in found if f.value.date() == day]

    def read(self, raw: str | None, source: str) -> FoundDate | None:
        """A date string from anywhere: profile formats, then ISO, then the common written forms,
        then a relative date when the fetch time is known."""
        if not raw or not raw.strip():
            return None
        raw = squash(raw)
        formats = self.page.profile.date_formats if self.page.profile else ()
        value = parse_with_formats(raw, formats, self.tz) or parse_iso(raw, self.tz)
        if value:
            return FoundDate(value, raw, source)
        found = find_all_loose(raw, self.tz, self.month_first)
        if found:
            return FoundDate(found[0].value, found[0].raw, source)
        relative = find_relative(raw, self.fetched_at, self.tz) if self.fetched_at else None
        return FoundDate(relative.value, relative.raw, source) if relative else None

    def read_element(self, tag: Element, source: str) -> FoundDate | None:
        """A date element: the reader's text, with the value of its machine-readable attribute
        (which carries the time and offset the text leaves out) when both name the same day."""
        text = inline_text(tag)
        shown = self.read(text, source) if text else None
        for attr in ("datetime", "content", "data-datetime", "title"):
            if attr == "title" and shown is not None:
                break  # a title is only read when the text says nothing
            machine = self.read(tag.get(attr), source)
            if machine is None:
                continue
            if shown is None or shown.day == machine.day or not _has_year(shown.raw):
                return FoundDate(machine.value, text or machine.raw, source)
            if abs((shown.day - machine.day).days) <= 1:
                return shown  # the instant in UTC, the day as the site shows it: the day is the reader's
            return FoundDate(machine.value, text or machine.raw, source)
        return shown

    def profile(self, name: str) -> FoundDate | None:
        for tag in self.page.select_profile(name):
            found = self.read_element(tag, "profile")
            if found:
                return found
        return None

    def structured_published(self) -> FoundDate | None:
        if "published" not in self.cache:
            self.cache["published"] = self._structured_published()
        return self.cache["published"]  # type: ignore[return-value]

    def structured_modified(self) -> FoundDate | None:
        if "modified" not in self.cache:
            self.cache["modified"] = self._structured_modified()
        return self.cache["modified"]  # type: ignore[return-value]

    def _structured_published(self) -> FoundDate | None:
        page = self.page
        return (
            self.read(_as_text(page.jsonld_value("datePublished")), "jsonld")
            or self.read(_as_text(page.jsonld_value("dateCreated")), "jsonld")
            or self.meta(PUBLISHED_META)
            or self.marked("[itemprop=datePublished]")
            or self.marked(_MICROFORMAT_PUBLISHED, "element")
            or self.meta_like(_PUBLISHED_META_NAME)
            or self.in_scripts("datePublished")
        )

    def _structured_modified(self) -> FoundDate | None:
        return (
            self.read(_as_text(self.page.jsonld_value("dateModified")), "jsonld")
            or self.meta(MODIFIED_META)
            or self.marked("[itemprop=dateModified]")
            or self.meta_like(_MODIFIED_META_NAME)
            or self.in_scripts("dateModified")
        )

    def meta_like(self, name: re.Pattern[str]) -> FoundDate | None:
        """A meta tag named in the site's own way ("w-published-date", "article.created")."""
        for key, values in self.page.meta.items():
            if name.search(key):
                for content in values:
                    found = self.read(content, "meta") if _ISO_START.match(content) else None
                    if found:
                        return found
        return None

    def in_scripts(self, key: str) -> FoundDate | None:
        """``"datePublished": "…"`` in the page's scripts or data attributes (app state, escaped JSON),
        where single-page apps keep what other pages state in JSON-LD."""
        pattern = _SCRIPT_KEYS.get(key)
        markup = self.page.markup
        match = pattern.search(markup) if pattern and key in markup else None  # (a substring test is quicker)
        return self.read(match["value"], "script") if match else None

    def meta(self, names: tuple[str, ...]) -> FoundDate | None:
        for name in names:
            for content in self.page.meta.get(name, ()):
                found = self.read(content, "meta")
                if found:
                    return found
        return None

    def marked(self, selector: str, source: str = "microdata") -> FoundDate | None:
        """The date of the first element the selector finds (a microformat's is shown to readers)."""
        for tag in self.page.select(selector):
            found = self.read_element(tag, source)
            if found:
                return found
        return None

    def originally(self) -> FoundDate | None:
        """ "This article was originally published on 26 Sep 2019": the text says it outright, in the
        body or in a note of its own next to it (outside menus, teasers and comments)."""
        found = self._originally_in(self.body)
        if found is not None or not _says_first_published(self.page.markup):
            return found
        for name in _NOTE_TAGS:
            for tag in self.page.tags(name):
                if self.page.skip(tag) or elsewhere(tag, self.article):
                    continue
                found = self._originally_in(inline_text(tag)[:_NOTE_LENGTH])
                if found is not None:
                    return found
        return None

    def _originally_in(self, text: str) -> FoundDate | None:
        for match in _ORIGINALLY.finditer(text):
            tail = text[match.end() : match.end() + 40]
            found = find_all_loose(tail, self.tz, self.month_first)
            if found and found[0].start <= 8:
                return FoundDate(found[0].value, found[0].raw, "text")
        return None

    def times(self) -> FoundDate | None:
        page = self.page
        times = [t for t in page.tags("time") if not page.skip(t) and not elsewhere(t, self.article, aside=False)]
        # "entry-date published updated" on one element is WordPress's unmodified post: words decide here.
        marked = [t for t in times if (t.get("pubdate") is not None or _publish_class(t)) and not _says_updated(t)]
        in_article = [t for t in times if has_ancestor(t, "article") and not _updated(t)]
        for group in (marked, in_article, [t for t in times if not _updated(t)][:1]):
            for tag in group:
                found = self.read_element(tag, "time")
                if found and not self.of_event(found):
                    return found
        return None

    def of_event(self, found: FoundDate) -> bool:
        """Whether a date falls in the span of an event the page describes (schema.org ``Event``:
        ``startDate`` to ``endDate``): a programme's day is when something happens, not when the
        page appeared. Pages that state their own publication keep it (it is read before this)."""
        if "events" not in self.cache:
            self.cache["events"] = self._event_spans()
        spans: list[tuple[date, date]] = self.cache["events"]  # type: ignore[assignment]
        return any(start <= found.day <= end for start, end in spans)

    def _event_spans(self) -> list[tuple[date, date]]:
        spans: list[tuple[date, date]] = []
        if self.page.jsonld_article is not None:
            return spans  # an article about an event (a match's live blog) appears on the event's days
        for obj in self.page.jsonld:
            if not any(kind.endswith("Event") for kind in jsonld_types(obj)):
                continue
            start = self.read(_as_text(obj.get("startDate")), "jsonld")
            end = self.read(_as_text(obj.get("endDate")), "jsonld") or start
            if start is not None and end is not None:
                spans.append((start.day, max(start.day, end.day)))
        return spans

    def dateline(self) -> FoundDate | None:
        profile = self.page.profile
        if not profile or not profile.dateline_pattern or not profile.dateline_date_format:
            return None
        match = profile.dateline_pattern.search(self.body)
        if not match or "date" not in match.groupdict():
            return None
        value = parse_with_formats(match["date"], (profile.dateline_date_format,), self.tz)
        return FoundDate(value, match["date"], "dateline") if value else None

    def url_date(self) -> FoundDate | None:
        """A date in the page's address, or in its canonical address."""
        for url in (self.page.url, self.page.canonical_url or ""):
            match = _URL_DATE.search(unquote(url))
            if not match:
                continue
            groups = next(g for g in _url_date_groups(match) if g[0])
            month = int(groups[1]) if groups[1].isdigit() else month_number(groups[1])
            try:
                value = datetime(int(groups[0]), month or 0, int(groups[2]), tzinfo=self.tz)
            except ValueError:
                continue
            return FoundDate(value, match.group(0).strip("/_-."), "url")
        return None

    def opening(self) -> FoundDate | None:
        """A dateline that opens one of the text's first paragraphs ("Zürich, 7. November 2023 – Der
        Regierungsrat …"): the place, if any, then the date, then a dash or colon, then sentences (a
        short line "14.12.2024 – Krippenausstellung" is a list's row)."""
        for paragraph in self.body.split("\n")[:_OPENING_PARAGRAPHS]:
            if not _writes_sentences(paragraph):
                continue
            head = squash(paragraph)[:_OPENING_REACH]
            found = find_all_loose(head, self.tz, self.month_first) if any(map(str.isdigit, head)) else []
            if not found:
                continue
            before, after = head[: found[0].start], head[found[0].end :]
            place = not before.strip() or before.rstrip().endswith(",")
            # A dateline in brackets ends at its bracket ("(PresseBox) (Husum, 05.03.2024) Die …").
            bracketed = before.rfind("(") > before.rfind(")") and _BRACKET_END.match(after) is not None
            if place and not _lower_words(before) and (_DATELINE_END.match(after) or bracketed):
                return FoundDate(found[0].value, found[0].raw, "text")
        return None

    def elements(self, updated: bool) -> FoundDate | None:
        """A date written in an element whose class or id says it holds one (a post meta line)."""
        for tag in _date_like_elements(self.page, self.article):
            text = inline_text(tag, self.page.skip)[:120]
            if len(text) >= 6 and bool(UPDATED_WORDS.search(text) or _updated(tag)) == updated:
                found = self.read(text, "element")
                if found and not self.not_the_pages(tag, text, found):
                    return found
        return None

    def not_the_pages(self, tag: Element, text: str, found: FoundDate) -> bool:
        """A date element's date that is an event's, a span's, a list's row's, a validity's or a version."""
        raw = found.raw
        if _ranged(text, raw) or self.of_event(found) or self.listed(tag, raw) or _dates_someone(tag, raw):
            return True
        cell = next((e for e in tag.iter(*_FACT_ROWS) if raw in squash(inline_text(e))), None)
        return cell is not None and _a_fact(cell)  # a named block of facts: "<table class='kurs-daten'>"

    def standalone(self, updated: bool) -> FoundDate | None:
        """A line of the article that is a date and little else ("Nov 21, 2018", "Posted on …",
        "Last updated: …"), outside menus, teasers and comments, before the article's text ends."""
        for found, label in self._standalone_dates():
            if (label == "modified") == updated:
                return found
        return None

    def _standalone_dates(self) -> list[tuple[FoundDate, str | None]]:
        """Date lines in page order: before the article's text ends, any; after it, only a line that
        says it is an update ("Last updated: November 13, 2025" at the foot of the page)."""
        cached = self.cache.get("standalone")
        if isinstance(cached, list):
            return cached
        found: list[tuple[FoundDate, str | None]] = []
        end = self.body_end()
        known = [d.day for d in (self.structured_published(), self.structured_modified(), self.url_date()) if d]
        for string, owner in _strings_of(self.page.root):
            if len(string) < 6:
                continue  # (squashed, it is no longer)
            text = squash(string)
            if not 6 <= len(text) <= 60 or not any(map(str.isdigit, text)):
                continue
            after = end is not None and self.page.position.get(id(owner), 0) > end
            icon = _icon_label(owner)
            posted = after and _PUBLISHED_LINE.match(text) is not None
            if after and not (_UPDATED_LINE.search(text) or UPDATED_WORDS.search(text) or icon or posted):
                continue
            dates = find_all_loose(text, self.tz, self.month_first) or self._titled(owner, string, text)
            if len(dates) != 1 or len(text) - len(dates[0].raw) > 28 or elsewhere(owner, self.article, aside=False):
                continue
            if _NOT_A_LABEL.search(text.replace(dates[0].raw, " ")) or _ranged(text, dates[0].raw):
                continue
            if _dates_someone(owner, dates[0].raw) or self.listed(owner, dates[0].raw):
                continue
            context = text
            previous, parent = owner.getprevious(), owner.getparent()
            if dates[0].start == 0 and previous is not None:
                context = squash(inline_text(previous) + " " + (previous.tail or ""))[-30:] + " " + text
            elif dates[0].start == 0 and parent is not None and string == owner.text:
                context = squash(parent.text or "")[-30:] + " " + text  # "<div>Erstellt <span>…"
            shift = len(context) - len(text)  # the date as found in `text`, placed in `context`
            date_found = replace(dates[0], start=dates[0].start + shift, end=dates[0].end + shift)
            label = icon or label_of(context, date_found, owner)
            if after and label != "modified" and icon is None and not (posted and dates[0].start < _LABEL_LINE):
                continue
            if label is None and _a_fact(owner):
                continue
            date_value = _disambiguated(FoundDate(dates[0].value, dates[0].raw, "text"), known)
            found.append((date_value, label))
            if len(found) >= 4:
                break
        self.cache["standalone"] = found
        return found

    def _titled(self, owner: Element, string: str, text: str) -> list[Loose]:
        """A relative date whose element keeps the absolute one in its tooltip or ``datetime``
        (``<span title="Mittwoch 12 Januar 2022 10:04:11">vor 2 Jahren</span>``): that date, placed
        where the relative words are."""
        if owner.get("title") is None and owner.get("datetime") is None:
            return []  # (most strings: the attribute test is cheaper than the relative words' pattern)
        span = relative_at(text) if string == owner.text and squash(inline_text(owner)) == text else None
        if span is None:
            return []
        for attribute in ("datetime", "title"):
            found = self.read(owner.get(attribute), "text")
            if found is not None:
                return [Loose(found.value, text[span[0] : span[1]], span[0], span[1])]
        return []

    def footer_update(self) -> FoundDate | None:
        """The page footer's maintenance line ("Page last updated: 11/03/2024", "Zuletzt geändert:
        02.08.2017"): a short line whose words call its one date an update. Read only for the
        modification of a page whose publication is found: a footer's date is never the first one."""
        for footer in self.page.tags("footer"):
            if has_ancestor(footer, "article") or self.page.skip(footer):
                continue
            for string, _owner in _strings_of(footer):
                text = squash(string)
                if len(text) > _FOOTER_LINE or not any(map(str.isdigit, text)):
                    continue
                dates = find_all_loose(text, self.tz, self.month_first)
                if len(dates) == 1 and worded_label(text, dates[0]) == "modified":
                    return FoundDate(dates[0].value, dates[0].raw, "element")
        return None

    def listed(self, owner: Element | None, raw: str) -> bool:
        return _listed(owner, raw, self.article, self.month_first)

    def body_end(self) -> int | None:
        """Where the article's text ends, in page order (the last element of its body)."""
        elements = body_root(self.page).elements
        if not elements:
            return None
        last = elements[-1]
        descendants = list(last.iterdescendants())
        return self.page.position.get(id(descendants[-1] if descendants else last))

    # --- the byline --------------------------------------------------------------------------
    def byline(
        self, published: FoundDate | None, modified: FoundDate | None
    ) -> tuple[FoundDate | None, FoundDate | None]:
        """The first published and the first updated date written next to the headline."""
        h1 = self.h1
        if h1 is None:
            return None, None
        line = _BylineLine()
        known = [d.day for d in (published, modified, self.url_date()) if d is not None]
        for found, label, worded, owner in _markup_yields_to_words(list(self._byline_dates(h1))):
            if owner is not None and (owner.tag in _CODE or any(True for _ in owner.iterancestors(*_CODE))):
                continue  # a sample of code or data the page shows
            if _in_prose(owner, found.raw) or _dates_someone(owner, found.raw) or self.listed(owner, found.raw):
                continue  # "vanished on Sunday, November 3, 2013", "Registered: 05 Jan 2010", a list of dated items
            if (owner is not None and _ranged(_line_of(owner, found.raw), found.raw)) or self.of_event(found):
                continue  # "14.–16. Juni 2024", a day the page's Event states: when something happens
            if label is None and (_in_event_block(owner) or _in_phrase(owner, found.raw) or _a_fact(owner)):
                continue  # an event box's day; "Genehmigung des Protokolls der Sitzung vom 11. Dezember 2023"
            found = _disambiguated(found, known)
            shown_update = (
                modified
                and found.day == modified.day
                and (not published or (published.day != found.day and not _shown_as(found, published)))
            )
            if label is None and shown_update:
                label = "modified"  # the page shows the day it was updated
            elif shown_update and not worded and published is not None and published.day < found.day:
                label = "modified"  # a class or pubdate says "published", but the day is the later update's
            line.take(found, label, owner)
            if line.published and line.modified and line.label is not None:
                break
        if line.published is not None and line.modified is None:
            line.modified = _update_time(line.published, line.owner)
        return line.published, line.modified

    def _byline_dates(self, h1: Element) -> Iterator[tuple[FoundDate, str | None, bool, Element | None]]:
        """Each byline date, its label, whether words say it (else markup, or nothing), and the
        element that holds it."""
        for found, owner, label, worded in byline_dates(h1, self.tz, self.month_first, self.fetched_at):
            yield self._byline_date(found, owner), label, worded, owner

    def _byline_date(self, found: Loose, owner: Element | None) -> FoundDate:
        """A byline date; inside a ``<time datetime>`` of the same day, the attribute's exact value."""
        time = owner if owner is not None and owner.tag == "time" else None
        if time is None and owner is not None:
            time = next(owner.iterancestors("time"), None)
        if time is not None:
            shown = inline_text(time)
            raw = shown if found.raw in shown and len(shown) <= 2 * len(found.raw) + 12 else found.raw
            machine = self.read(time.get("datetime"), "byline")
            if machine and machine.day == found.value.date():
                return FoundDate(machine.value, raw, "byline")
            return FoundDate(found.value, raw, "byline")
        return FoundDate(found.value, found.raw, "byline")


# An update word followed by a time alone ("— Оновлено 13:20", "(aktualisiert 14.30 Uhr)"): the
# update of the same day, which the line does not write again.
_UPDATE_TIME = re.compile(
    rf"(?:{UPDATED_WORDS.pattern})\W{{0,3}}(?P<h>[01]?\d|2[0-3])[:.h](?P<m>[0-5]\d)(?!\s*[./-]?\s*\d)", re.I
)


def _update_time(published: FoundDate, owner: Element | None) -> FoundDate | None:
    """The update a published byline date's own line gives as a time only: that day, at that time."""
    if owner is None:
        return None
    line = squash(_line_of(owner, published.raw))
    at = line.find(published.raw)
    match = _UPDATE_TIME.search(line, at + len(published.raw)) if at >= 0 else None
    if match is None:
        return None
    value = published.value.replace(hour=int(match["h"]), minute=int(match["m"]), second=0, microsecond=0)
    return FoundDate(value, match.group(0), "byline")


def _markup_yields_to_words(
    dates: list[tuple[FoundDate, str | None, bool, Element | None]],
) -> list[tuple[FoundDate, str | None, bool, Element | None]]:
    """An element named for an update that holds two dates, the later one worded an update
    ("12 marzo 2024 (modifica il 13 marzo 2024)"): the class names the line, the words name each date,
    so the earlier date is the publication and loses the class's label."""
    out = list(dates)
    for index, (found, label, worded, owner) in enumerate(dates):
        later = dates[index + 1 :]
        if label == "modified" and not worded and any(o is owner and w and lb == "modified" for _, lb, w, o in later):
            out[index] = (found, None, False, owner)
    return out


@dataclass
class _BylineLine:
    """The byline's publication (its element and label) and update, as its dates are read in order."""

    published: FoundDate | None = None
    owner: Element | None = None
    label: str | None = None
    modified: FoundDate | None = None

    def take(self, found: FoundDate, label: str | None, owner: Element | None) -> None:
        if label == "modified":
            self.modified = self.modified or found
        elif self.published is None:
            self.published, self.owner, self.label = found, owner, label
        elif self.label is None and label == "published" and _beside(self.owner, owner):
            # A date line or fact list that labels one date the publication: an unlabelled one before
            # it is another fact ("Eintritt: 01.06.2024"), or, later and timed, the update.
            if self.modified is None and self.published.value > found.value and self.published.has_time:
                self.modified = self.published
            self.published, self.owner, self.label = found, owner, label
        elif (
            self.label is None and label is None and _update_pair(self.published, found) and _beside(self.owner, owner)
        ):
            # Two timed dates on one line whatever words label them: an update is never before the
            # publication ("Päivitetty 6.3.2024 8:15 Julkaistu 5.3.2024 10:30").
            (self.published, self.owner), later = sorted(((self.published, self.owner), (found, owner)), key=_instant)
            self.modified = self.modified or later[0]
            self.label = "pair"


def _instant(pair: tuple[FoundDate, Element | None]) -> datetime:
    return pair[0].value


def _update_pair(first: FoundDate, second: FoundDate) -> bool:
    """Two byline dates, both with a time, on different days: a publication and its update, if they
    stand on one line."""
    return first.has_time and second.has_time and first.day != second.day


_BESIDE_LEVELS = 3  # ancestors of a date's element where the other date of the same line may be


def _beside(one: Element | None, other: Element | None) -> bool:
    """Whether two dates' elements stand in one small block (a byline's date line), not in two parts
    of the page."""
    if one is None or other is None:
        return False
    near = {id(e) for e in islice(one.iterancestors(), _BESIDE_LEVELS)}
    return any(id(e) in near for e in islice(other.iterancestors(), _BESIDE_LEVELS))


def _url_date_groups(match: re.Match[str]) -> Iterator[tuple[str, str, str]]:
    """Year, month and day of a :data:`_URL_DATE` match, whichever of its forms matched."""
    yield match["y"], match["m"], match["d"]
    yield match["y2"], match["m2"], match["d2"]
    yield match["y3"], match["m3"], match["d3"]


_ICON_ATTRIBUTES = ("title", "aria-label")


def _icon_label(owner: Element) -> str | None:
    """The label an icon just before a date gives it by its tooltip (``<span class="md-icon"
    title="Erstellt">`` then the date): where a page shows a symbol for the word, the word is there."""
    icon = owner.getprevious()
    if icon is None or (icon.text or "").strip() or (owner.text or "").strip() == "":
        return None
    for element in islice(icon.iter(), 3):
        for attribute in _ICON_ATTRIBUTES:
            words = element.get(attribute) or ""
            if UPDATED_WORDS.search(words):
                return "modified"
            if PUBLISHED_WORDS.search(words):
                return "published"
    return None


def _strings_of(root: Element) -> list[tuple[str, Element]]:
    """Every text string under ``root`` in page order, with the element that holds it."""
    out: list[tuple[str, Element]] = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in NEVER_TEXT:
            continue
        if element.text and element.text.strip():
            out.append((element.text, element))
        for child in element:
            if child.tail and child.tail.strip():
                out.append((child.tail, element))
    return out


# --- helpers ---------------------------------------------------------------------------------
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]?(?:\s|$)")
_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")
_PROSE_WORDS = 10  # a line with this many words besides its date ...
_PROSE_LOWER = 5  # ... this many of them lower-case (names and datelines are capitalised) ...
# ... and a sentence's end is running text. A dateline's words before its date are few and capitalised.
_DATELINE_REACH = 60


def _in_prose(owner: Element | None, raw: str) -> bool:
    """Whether a date near the headline sits in running text (a dek, a caption, the first
    paragraph's sentence) rather than on a byline: a byline is a short line of names, or a date
    element. A paragraph that opens with its date is a dateline ("RAJSHAHI, Dec 20, 2025 (BSS) -")."""
    if owner is None or owner.tag == "time" or next(owner.iterancestors("time"), None) is not None:
        return False
    if owner.tag == "figcaption" or has_ancestor(owner, "figcaption"):
        return True
    text = squash(_line_of(owner, raw))
    at = text.find(raw)
    before = text[:at] if at >= 0 else ""
    if at < 0 or (len(before) <= _DATELINE_REACH and not _lower_words(before)):
        return False
    return _running_text(before + " " + text[at + len(raw) :]) or _in_sentence(before, text[at + len(raw) :])


def _running_text(rest: str) -> bool:
    """Whether the words around a date are running text: many, many lower-case, and a sentence's end."""
    return (
        len(_LETTER_WORD.findall(rest)) >= _PROSE_WORDS
        and len(_lower_words(rest)) >= _PROSE_LOWER
        and _SENTENCE_END.search(rest) is not None
    )


_SENTENCE_LOWER = 3  # running words (not a label's) in the date's own sentence that make it prose
# A sentence ends at its stop, or at a colon that ends the line and opens a list ("… am Dienstag,
# 27.02.2024, hat der Gemeinderat folgende Beschlüsse gefasst:").
_CLAUSE_END = re.compile(_SENTENCE_END.pattern + r"|:\s*$")


def _in_sentence(before: str, after: str) -> bool:
    """A date inside one sentence of running words that ends after it ("Links created before
    January 1, 2023 expire after 30 days.", "Tickets gibt es bis zum 30.04.2024."): a byline names
    people and labels its date, a sentence runs on around it."""
    ends = list(_SENTENCE_END.finditer(before))
    start = before[ends[-1].end() :] if ends else before
    stop = _CLAUSE_END.search(after + " ")
    if stop is None:
        return False
    before_words = _running(_lower_words(start))
    after_words = _running(_lower_words(after[: stop.start()]))
    return bool(before_words) and len(before_words) + len(after_words) >= _SENTENCE_LOWER


_PHRASE_WORDS = 3  # running lower-case words before an unlabelled date: a phrase names it, not a byline


def _in_phrase(owner: Element | None, raw: str) -> bool:
    """Whether an unlabelled date ends a phrase of running words ("Protokoll der Sitzung vom 11.
    Dezember 2023", "the meeting held on"): the date of the thing the phrase names. A byline's words
    before its date are names and a short label ("Von Anna Berg |", "Nr. 45/2024 vom")."""
    if owner is None or owner.tag == "time" or next(owner.iterancestors("time"), None) is not None:
        return False
    text = squash(_line_of(owner, raw))
    at = text.find(raw)
    if at <= 0:
        return False
    ends = list(_SENTENCE_END.finditer(text, 0, at))
    start = text[ends[-1].end() if ends else 0 : at]
    return len(_running(_lower_words(start))) >= _PHRASE_WORDS


_EVENT_LEVELS = 3  # the date's element and its near ancestors, whose names may say "event"


def _in_event_block(owner: Element | None) -> bool:
    """A date in a block named for an event (``event-box``, ``eventDate``, ``tribe-events-schedule``):
    the day something happens, as a schema.org ``Event``'s ``startDate`` is."""
    element = owner
    for _ in range(_EVENT_LEVELS):
        if element is None or element.tag in _LISTS_END:
            return False
        if any(_names_an_event(name) for name in names_of(element)):
            return True
        element = element.getparent()
    return False


_NAME_PARTS = re.compile(r"[-_\s]+")
# A CMS's taxonomy classes name the post's topic, not its blocks ("category-talks-events", "tag-event").
_TAXONOMY = frozenset({"category", "cat", "tag", "tags", "topic", "section", "rubrik", "term", "taxonomy"})


def _names_an_event(name: str) -> bool:
    parts = _NAME_PARTS.split(name.lower())
    return parts[0] not in _TAXONOMY and any(part.startswith("event") for part in parts)


def _running(words: list[str]) -> list[str]:
    """Lower-case words that are not a date's label ("published", "aktualisiert")."""
    return [w for w in words if not (PUBLISHED_WORDS.fullmatch(w) or UPDATED_WORDS.fullmatch(w))]


# A date that ends or starts a span of days ("14.–16. Juni 2024", "3 June – 5 June 2024"): the dash,
# not a word, says so, in any language. A time before or after the dash ("10:05 - 12.03.2024",
# "12 mar 2024 - 21:50") is a timestamp's, not a span's.
_SPAN_BEFORE = re.compile(r"(?<![:\d])\d{1,2}\.?\s*[–—-]\s*$")
_SPAN_AFTER = re.compile(r"^\s*[–—-]\s*\d{1,2}\.?\s*(?P<month>[^\W\d_]{3,}|\d{1,2}\.)")


# Where a span's dash can be: after a day's number ("14.–"), or before one ("– 5 June", "–16. Juni").
_SPAN_DASH = re.compile(r"(?<![:\d])\d{1,2}\.?\s*[–—-]|[–—-]\s*\d{1,2}\.?\s*(?:[^\W\d_]{3}|\d{1,2}\.)")
_SPAN_REACH = 80  # characters around such a dash: more than a written date with its time and the 12-16 read


def _span_windows(text: str) -> Iterator[tuple[int, int]]:
    """The stretches of ``text`` around every dash that could join a span of days, overlaps merged."""
    start = end = -1
    for match in _SPAN_DASH.finditer(text):
        low, high = max(0, match.start() - _SPAN_REACH), match.end() + _SPAN_REACH
        if low > end >= 0:
            yield start, end
            start = -1
        start, end = (low if start < 0 else start), high
    if start >= 0:
        yield start, end


# The same span joined by a word ("23. bis 26. Februar", "du 3 au 5 mars", "od 3 do 5 maja"): an earlier
# day of the month, a short word, then the date; any language's word for "to" is short.
_SPAN_WORD_BEFORE = re.compile(r"(?<![\d:.,/])(?P<day>\d{1,2})\.?\s+[^\W\d_]{1,5}\s+$")
_LEADING_DAY = re.compile(r"\d{1,2}(?!\d)")


def _ranged(line: str, raw: str) -> bool:
    """Whether ``raw`` in ``line`` is one end of a span of days (an event's, a season's), not a day."""
    text = squash(line)
    at = text.find(raw)
    if at < 0:
        return False
    if _SPAN_BEFORE.search(text[:at]):
        return True
    joined = _SPAN_WORD_BEFORE.search(text[:at])
    day = _LEADING_DAY.match(raw)
    if joined and day and int(joined["day"]) < int(day.group(0)):
        return True
    after = _SPAN_AFTER.search(text[at + len(raw) :])
    # The other end names a month ("– 5 June"): "- 11 minutes" is a reading time, not a span.
    return after is not None and (after["month"][0].isdigit() or month_number(after["month"]) is not None)


# Words that make a date the date of something else than the text: a member's, a licence's, a life's.
_SOMEONES = re.compile(
    r"(?<![^\W\d_])(?:registered|joined|member\s+since|registriert|mitglied\s+seit|dabei\s+seit|licen[cs]ed?"
    r"|lizenz|copyright|born|died|geboren|gestorben|зарегистрирован\w*"
    # "since": a state that began then (a counter's, a rule's), in the languages of the pages read here.
    r"|since|seit|depuis|sinds|desde)(?![^\W\d_])|©",
    re.I,
)
_SOMEONES_REACH = 30  # characters before the date where such a word is looked for


# A preposition of a bound just before the date ("Gültig ab 01.09.2023", "valid until", "à partir du",
# "ważna do"): the day a rule, an offer or a validity starts or ends, not the day of a publication.
# The words for "from" and "until" of the languages of :mod:`months`, with an article after them.
_BOUND_WORDS = (
    r"(?<![^\W\d_])(?:ab|bis|until|till|from|through|vanaf|tot|à\s+partir\s+d\w*|jusqu\W\w*|desde|hasta"
    r"|a\s+partir\s+de|dal|dall\W|fino\s+al|od|do|до|с|от|från|fra|până\s+la)"
    r"(?:\s+(?:dem|zum|the|le|la|el|del|de|al|au|den|на))?\s*"
)
_BOUND = re.compile(_BOUND_WORDS + "$", re.I)
_BOUND_DAY = re.compile(_BOUND_WORDS + r"(?<![\d.:/])(?P<day>\d{1,2})(?=[.\s/-])", re.I)  # then a day's number
# A software version ("Version 2.3.10", "v1.12.24", ``<span class="version">``), written like a day.
_VERSION_BEFORE = re.compile(
    r"(?:(?<![^\W\d_])(?:v|ver|version\w*|versi[oó]n|versão|versione|wersj\w*|verze|верси\w*|sürüm\w*|release"
    r"|build|firmware|patch)|(?<=\d)\.)\W{0,3}$",
    re.I,
)
_VERSION_NAME = re.compile(r"version", re.I)


def _dates_someone(owner: Element | None, raw: str) -> bool:
    """A forum "Registered: 05 Jan 2010", a licence's or a life's date, the bound of a validity, a
    software version: not a publication."""
    if owner is None:
        return False
    if _short_year(raw) and any(_VERSION_NAME.search(_names(e)) for e in (owner, owner.getparent()) if e is not None):
        return True
    line = squash(_line_of(owner, raw))
    at = line.find(raw)
    if at < 0:
        return False
    before = line[max(0, at - _SOMEONES_REACH) : at]
    if _SOMEONES.search(before) is not None or _BOUND.search(before) is not None:
        return True
    # A line that states a validity ("Gültig ab 1. April 2022 (Betriebsvereinbarung vom 14.03.2022)")
    # is a rule's, each of its dates too.
    if len(line) <= _ROW_TEXT and _bounds_a_date(line):
        return True
    return _short_year(raw) and _VERSION_BEFORE.search(before) is not None


def _bounds_a_date(line: str) -> bool:
    """Whether a bound's word stands before one of the line's dates ("gültig ab 1. April 2022"; not
    "bis 20 Uhr")."""
    starts = {match.start("day") for match in _BOUND_DAY.finditer(line)}
    return bool(starts) and any(found.start in starts for found in find_all_loose(line, UTC, False))


def _names(element: Element) -> str:
    return f"{element.get('class') or ''} {element.get('itemprop') or ''}"


def _short_year(raw: str) -> bool:
    """A numeric date with a two-digit year ("2.3.10"): the form a version number takes too."""
    return re.fullmatch(r"\d{1,2}[./-]\d{1,2}[./-]\d{2}", raw.strip()) is not None


_ROW_LEVELS = 4  # the date's element and its ancestors up to this many, each tried as a list's row
_ROW_TEXT = 200  # characters: a row of a list of dated items is short ...
_ROW_OPENING = 100  # ... and a sibling row writes its date near its start
_ROW_SIBLINGS = 3  # siblings looked at on each side
_LABEL_TAIL = 40  # characters of a label element before a row (a <dt>, a <th>)
_LISTS_END = frozenset({"body", "html", "main", "article"})


def _listed(owner: Element | None, raw: str, article: frozenset[int], month_first: bool) -> bool:
    """Whether a date is one row's of a list of dated items (other stories, events, a changelog's
    sections, a calendar of fixtures): its row, or a section that opens with it, has siblings of the
    same tag that open with a date too, and no row's words label its date as a publication or an
    update (a byline's "Published …" beside "Updated …" is one item's two dates). The blocks around
    the headline are the article's own, never a row."""
    if owner is None:
        return False
    heading = owner if owner.tag in _HEADINGS else next(owner.iterancestors(*_HEADINGS), None)
    opening = squash(inline_text(heading))[:_ROW_OPENING] if heading is not None else ""
    row: Element | None = owner
    for _ in range(_ROW_LEVELS):
        if row is None or row.tag in _LISTS_END or id(row) in article:
            return False
        own = squash(inline_text(row))
        section = bool(opening) and own.startswith(opening)
        if not section and (len(own) > _ROW_TEXT or _writes_sentences(own)):
            return False  # long: only a section that opens with the dated heading; sentences: a post, not a row
        at = own.find(raw)
        if at >= 0 and not _labels(own[:at]) and not _labelled_before(row) and _dated_sibling(row, month_first):
            return not _marked(row)
        row = row.getparent()
    return False


_FACT_ROWS = {"td": "tr", "th": "tr", "dd": "dl"}  # a value's cell and the block of its rows


def _a_fact(owner: Element | None) -> bool:
    """Whether an unlabelled date is the value of one of several dated facts in a table or a
    definition list (``<th>Beginn</th><td>12.03.2024</td>`` beside ``<th>Anmeldeschluss</th>``):
    the facts of what the page describes (a course, a post, an offer), whose keys, not being a
    publication's or an update's words, say the date is something else's."""
    cell = owner if owner is None or owner.tag in _FACT_ROWS else next(owner.iterancestors(*_FACT_ROWS), None)
    if cell is None:
        return False
    key = cell.getprevious()
    if key is None or key.tag not in ("th", "td", "dt") or len(inline_text(cell)) > _ROW_TEXT:
        return False  # (a layout table's cells are long: a page's columns, not a fact and its key)
    label = inline_text(key)
    if len(label) > _LABEL_TAIL or _LABELLED.search(label):
        return False
    row = cell.getparent() if cell.tag != "dd" else cell
    block = row.getparent() if row is not None else None
    if row is None or block is None:
        return False
    dated = 0
    for sibling in islice(block.iterchildren(row.tag), _FACT_LIMIT):
        text = inline_text(sibling)[:_ROW_OPENING]
        dated += any(map(str.isdigit, text)) and bool(find_all_loose(text, UTC, False))
    return dated >= 2


_FACT_LIMIT = 20  # rows of a facts block looked at


def _writes_sentences(text: str) -> bool:
    """Whether a row holds a sentence (a forum post, a comment), not a title or a label."""
    return _SENTENCE_END.search(text) is not None and len(_LETTER_WORD.findall(text)) >= _PROSE_WORDS


def _dated_sibling(row: Element, month_first: bool) -> bool:
    """Whether a sibling of ``row`` of the same kind (tag and class; a list's rows where the markup
    names none) opens with a date that no word labels."""
    kind = row.get("class")
    if not kind and row.tag not in _ROWS:
        return False  # two short paragraphs of a text, each with a date, are not a list
    before = islice(row.itersiblings(row.tag, preceding=True), _ROW_SIBLINGS)
    for sibling in (*islice(row.itersiblings(row.tag), _ROW_SIBLINGS), *before):
        if sibling.get("class") != kind:
            continue
        opening = squash(inline_text(sibling))[:_ROW_OPENING]
        if not any(map(str.isdigit, opening)):
            continue
        found = find_all_loose(opening, UTC, month_first)
        if found and not _labels(opening[: found[0].start]) and not _labelled_before(sibling) and not _marked(sibling):
            return True
    return False


def _marked(row: Element) -> bool:
    """Whether a row's markup names its date a publication or an update (``wp-block-post-date__modified-date``,
    an icon's ``title="Last update"``)."""
    elements = list(islice(row.iter(), _ROW_MARKUP))
    names = " ".join(f"{e.get('class') or ''} {e.get('itemprop') or ''} {e.get('title') or ''}" for e in elements)
    # A tooltip is words, in the page's language ("Letzte Aktualisierung", "Erstellt").
    tips = " ".join(e.get(attribute) or "" for e in elements for attribute in _ICON_ATTRIBUTES)
    return _MARKED.search(names) is not None or _LABELLED.search(tips) is not None


_ROW_MARKUP = 12  # elements of a row whose class names are read
_MARKED = re.compile(r"updat|modif|publish|posted|created", re.I)


def _labels(before: str) -> bool:
    """Whether the words before a row's date label it: a publication or update word, or any word
    and a colon, which in every language make the row a fact of the item ("Data dodania: …")."""
    return _LABELLED.search(before) is not None or _KEY_COLON.search(before) is not None


_KEY_COLON = re.compile(r"[^\W\d_]{2,}\s*:\s*$")


def _labelled_before(row: Element) -> bool:
    """Whether the element just before a row of another kind labels its date (``<dt>Published</dt>
    <dd>12 January 2022</dd>``, ``<th>Updated</th><td>…</td>``)."""
    previous = row.getprevious()
    if previous is None or (previous.tag == row.tag and previous.get("class") == row.get("class")):
        return False
    return _LABELLED.search(inline_text(previous)[-_LABEL_TAIL:]) is not None


_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_CODE = ("pre", "code")
_ROWS = frozenset({"li", "tr", "dd", "dt", "section", "article", *_HEADINGS})
_LABELLED = re.compile(f"{PUBLISHED_WORDS.pattern}|{UPDATED_WORDS.pattern}", re.I)


def _in_script(markup: str, match: re.Match[str]) -> bool:
    """Whether a key is an app's state (in a ``<script>``, or escaped in a data attribute), not a
    sample of JSON the page shows its readers (``<pre><code>{"created_at": …}``)."""
    at = match.start()
    return markup.rfind("<script", 0, at) > markup.rfind("</script", 0, at) or "&" in match.group(0)


def _same_object(markup: str, at: int, title: int) -> bool:
    """Whether position ``at`` is in the same object of a script's state as position ``title``: no
    bracket between them opens a deeper object or closes this one."""
    low, high = sorted((at, title))
    if high - low > _STATE_REACH:
        return False
    depth = 0
    for bracket in _BRACKETS.finditer(markup, low, high):
        depth += 1 if bracket.group(0) in "{[" else -1
        if depth < 0:
            return False
    return depth == 0


def _lower_words(text: str) -> list[str]:
    """Words of three letters or more that start lower-case: the run of a sentence, not names."""
    return [word for word in _LETTER_WORD.findall(text) if len(word) >= 3 and word[0].islower()]


def _line_of(owner: Element, raw: str) -> str:
    """The line a date is written on: the smallest element around it that holds words besides the
    date (a ``<span class="byline">`` in a header, a ``<p>`` around a ``<b>`` date)."""
    element = owner
    while element.tag not in BLOCK and len(_LETTER_WORD.findall(inline_text(element).replace(raw, " "))) < 2:
        parent = element.getparent()
        if parent is None:
            break
        element = parent
    return _own_text(element) if element.tag in BLOCK else inline_text(element)


def _own_text(block: Element) -> str:
    """The text a block shows itself, its inline children's included, its nested blocks' not."""
    parts = [block.text or ""]
    for child in block:
        if isinstance(child.tag, str) and child.tag not in BLOCK and child.tag not in NEVER_TEXT:
            parts.append(inline_text(child))
        parts.append(child.tail or "")
    return " ".join(parts)


_AMBIGUOUS = re.compile(r"(?<!\d)(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)\d{2,4}(?!\d)")


def _disambiguated(found: FoundDate, known: list[date]) -> FoundDate:
    """ "09.10.2024" is 9 October or September 10: when only the other reading is a day the page states
    elsewhere (its metadata, its address), that reading is the one."""
    match = _AMBIGUOUS.search(found.raw)
    if not match or int(match["a"]) > 12 or int(match["b"]) > 12 or match["a"] == match["b"]:
        return found
    value = found.value
    try:
        other = value.replace(month=value.day, day=value.month)
    except ValueError:
        return found
    if other.date() in known and value.date() not in known:
        return replace(found, value=other)
    return found


def _metadata_lag(published: FoundDate, modified: FoundDate) -> bool:
    """A shown update days before the metadata's publication: the metadata is late (an import, a
    republication), not the update wrong. Months before, it is some other date ("Received ...")."""
    return modified.visible and not published.visible and published.day - modified.day <= _LAG


def _first_of(*sources: Any) -> FoundDate | None:
    """The first date of the sources (dates, or functions giving one, called only when needed)."""
    for source in sources:
        found = source() if callable(source) else source
        if found is not None:
            return found  # type: ignore[no-any-return]
    return None


def _with_time(found: FoundDate | None, others: list[FoundDate], instant: FoundDate | None) -> FoundDate | None:
    """A day without a time (a URL, a byline) takes the time of another source of the same day, or
    the instant the metadata states for the same role when that instant falls on the shown day in
    some timezone: "July 4" under the headline of a site in California and ``2025-07-05T00:04:00Z``
    in its JSON-LD are one moment, and only the metadata says which."""
    if found is None or found.has_time:
        return found
    for other in others:
        if other.has_time and other.day == found.day:
            return replace(found, value=other.value)
    if instant is not None and instant.has_time and _same_moment(found.day, instant):
        return replace(found, value=_on_day(instant.value, found.day))
    return found


_STATED_OFFSET = re.compile(r"(?:\d(?:Z|[+-]\d{2}:?\d{2}))\s*$", re.I)
_ZONE_RANGE = range(-12, 15)  # hours: the offsets of the world's timezones, UTC-12 to UTC+14


def _on_day(instant: datetime, day: date) -> datetime:
    """The instant in the offset nearest its own under which it falls on ``day``: the moment is the
    metadata's, the day the page's ("July 4" stays July 4 however the metadata writes the instant)."""
    if instant.date() == day:
        return instant
    utc = instant.astimezone(UTC)
    stated = (instant.utcoffset() or timedelta()).total_seconds() / 3600
    hours = sorted(_ZONE_RANGE, key=lambda h: abs(h - stated))
    offset = next((h for h in hours if (utc + timedelta(hours=h)).date() == day), 0)
    return utc.astimezone(timezone(timedelta(hours=offset)))


def _shown_as(shown: FoundDate, instant: FoundDate) -> bool:
    """Whether a shown date and time is a stated instant on a local clock ("31.03.2024, 00:45 Uhr"
    under the headline, ``2024-03-30T23:45Z`` in the metadata): the same moment, the page's day."""
    if not shown.has_time or not _STATED_OFFSET.search(instant.raw) or instant.value.tzinfo is None:
        return False
    utc = instant.value.astimezone(UTC)
    wall = shown.value.replace(tzinfo=None, second=0, microsecond=0)
    return any((utc + timedelta(hours=h)).replace(tzinfo=None, second=0, microsecond=0) == wall for h in _ZONE_RANGE)


def _same_moment(day: date, instant: FoundDate) -> bool:
    """Whether a stated instant (with its UTC offset written out) is ``day`` somewhere on Earth."""
    if not _STATED_OFFSET.search(instant.raw) or instant.value.tzinfo is None:
        return False
    utc = instant.value.astimezone(UTC)
    return any((utc + timedelta(hours=hours)).date() == day for hours in _ZONE_RANGE)


def _date_like_elements(page: Page, article: frozenset[int]) -> Iterator[Element]:
    seen = 0
    for tag in filter(_has_date_like_name, page.all_tags()):
        if page.skip(tag) or elsewhere(tag, article) or any(_not_the_articles(p) for p in tag.iterancestors()):
            continue
        seen += 1
        if seen > _MAX_VISIBLE_CANDIDATES:
            return
        yield tag


def _not_the_articles(tag: Element) -> bool:
    """Blocks whose dates belong to something else: menus, teasers, comments."""
    if tag.tag in ("nav", "aside") or (tag.tag == "footer" and not has_ancestor(tag, "article")):
        return True  # (an article's own footer holds its dates: "Last updated on …")
    return any("comment" in name.lower() for name in names_of(tag))


def _has_date_like_name(tag: Element) -> bool:
    if tag.tag in ("html", "body", "head", "meta", "script", "link", "style"):
        return False
    # The attributes as written: whitespace between class names cannot be part of a match.
    names = f"{tag.get('class') or ''} {tag.get('id') or ''}"
    return bool(_DATE_LIKE.search(names))


def _has_year(text: str) -> bool:
    return bool(re.search(r"(?<!\d)(?:19|20)\d{2}(?!\d)|\d{1,2}[./-]\d{1,2}[./-]\d{2}", text))


def _as_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) else None


def _publish_class(tag: Element) -> bool:
    names = " ".join(classes(tag)).lower()
    return "publish" in names or "entry-date" in names or "post-date" in names


def _updated(tag: Element) -> bool:
    """A date element that is an update: by its class or itemprop, or by its own words ("Updated …")."""
    names = " ".join(classes(tag)) + str(tag.get("itemprop") or "")
    return bool(UPDATED_NAMES.search(names)) or _says_updated(tag)


def _says_updated(tag: Element) -> bool:
    return UPDATED_WORDS.search(inline_text(tag)[:60]) is not None


def read_element(tag: Element, page: Page, tz: tzinfo | None = None) -> FoundDate | None:
    """A date element's date (a comment's, say), read as :meth:`_Reader.read_element` reads it."""
    return _Reader(page, "", None).read_element(tag, "element")
