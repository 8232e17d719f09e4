"""What a generic crawl learns about each site from the pages it has already confirmed.

One page's features are weak evidence that it is an article; the site gives stronger evidence:

- **URL templates.** A site builds its article URLs from one or two templates
  (``/2024/03/05/{slug}/``, ``/news/{id}-{slug}.html``). Once several pages that share a template
  are sure articles, another page of that template is an article too, even when its own page
  says little (a short story, a page without a byline).
- **Off-template pages.** Once a site's sure articles show its templates, a page not sure by itself
  one level under the root whose URL has none of their shapes (an "about" page that reads like
  prose) is kept, less sure.
  Shapes are compared loosely for this: a slug that happens to end in a number
  (``nfl-podcast-103012``) or a one-word slug after a date (``/2012/07/21/nook/``) is a slug, not
  another template.
- **The site's own word.** A feed item, or an entry of a news sitemap (``<news:news>``), is an
  article by the site's own account (the spider says so in ``PageItem.evidence``).

A site is an origin (scheme, host and port), as on the web. Pure Python, no Scrapy: the parse
pipeline asks it on the crawl's thread after a page's worker has classified it.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

# A page that is not sure by itself and whose URL has the shape of none of its site's sure articles
# (once the site has shown its templates) is kept at most this sure: archived, but hidden by default.
UNSURE = 0.45
# Evidence from the spider that the page is an article by the site's own account.
SITE_SAYS_ARTICLE = frozenset({"news", "feed"})
_DAY = re.compile(r"^(?:0?[1-9]|[12]\d|3[01])$")
_NUMBER = re.compile(r"^\d+$")
_SLUG = re.compile(r"^[^/]*[a-z][^/]*[-_][^/]*$", re.I)
_ID_SLUG = re.compile(r"^(?:\d{3,}[-_].+|.+[-_]\d{3,})$")
_EXTENSION = re.compile(r"(\.[a-z]{2,5})$", re.I)


def _top_level(url: str) -> bool:
    """One segment under the root, where content systems put a site's static pages (``/about-us/``,
    ``/contact``); a page in another section (``/reviews/…`` beside ``/news/…``) is content of another
    template, not furniture of the site (on the labelled sets the downgrade hit only such pages)."""
    return len([s for s in urlsplit(url).path.split("/") if s]) == 1


def _loose(shape: str) -> str:
    """A shape as the off-template downgrade compares it: an id joined to a slug is a slug, and so is
    a single word after a date or number (``/2012/07/21/nook/``: a story's one-word slug)."""
    tokens = shape.split("/")
    for n in range(1, len(tokens)):
        if tokens[n - 1] in ("{y}", "{n}") and tokens[n] and not tokens[n].startswith("{"):
            tokens[n] = "{slug}"
    return "/".join(tokens).replace("{id-slug}", "{slug}")


def url_template(url: str) -> tuple[str, str]:
    """(the site, the URL's shape): numbers become ``{n}``, a year ``{y}``, a slug ``{slug}``,
    an id joined to a slug ``{id-slug}``; other segments (sections) stay as they are."""
    parts = urlsplit(url)
    shape = []
    for segment in parts.path.split("/"):
        extension = _EXTENSION.search(segment)
        stem = segment[: extension.start()] if extension else segment
        if _NUMBER.match(stem):
            token = "{y}" if len(stem) == 4 and stem[:2] in ("19", "20") else "{n}"
        elif _ID_SLUG.match(stem):
            token = "{id-slug}"
        elif _SLUG.match(stem):
            token = "{slug}"
        else:
            token = stem.lower()
        shape.append(token + (extension.group(1).lower() if extension else ""))
    return f"{parts.scheme}://{parts.netloc}", "/".join(shape) + ("?" if parts.query else "")


class SiteEvidence:
    """Per site: how many sure articles each URL template has had."""

    def __init__(self, templates_needed: int = 3, sure: float = 0.9) -> None:
        self.templates_needed = templates_needed
        self.sure = sure
        self._confirmed: Counter[tuple[str, str]] = Counter()

    def learn(self, url: str, confidence: float) -> None:
        """A page the crawl archived with this confidence."""
        if confidence >= self.sure:
            self._confirmed[url_template(url)] += 1

    def template_count(self, url: str) -> int:
        """Sure articles of this site seen so far whose URL has this URL's shape."""
        return self._confirmed[url_template(url)]

    def loose_template_count(self, url: str) -> int:
        """As :meth:`template_count`, an id joined to a slug counted as a slug: weak evidence must
        not make a story whose title ends in a number look like another kind of page."""
        site, shape = url_template(url)
        loose = _loose(shape)
        return sum(n for (s, other), n in self._confirmed.items() if s == site and _loose(other) == loose)

    def site_has_templates(self, url: str) -> bool:
        """The site's sure articles already show the shape of its article URLs."""
        site = url_template(url)[0]
        return any(n >= self.templates_needed for (s, _), n in self._confirmed.items() if s == site)

    def confidence(
        self, url: str, page_confidence: float, evidence: str | None, off_template: bool = False,
    ) -> tuple[float, str | None]:
        """The page's confidence as its site changes it; (confidence, why it changed). `off_template`:
        the site's profile declares its article URLs and this one is none of them, which the profile
        says from the start (the learned templates only once enough sure articles were parsed, so
        whether they apply would depend on the order pages happen to be parsed in)."""
        if page_confidence >= self.sure:
            return page_confidence, None
        if evidence in SITE_SAYS_ARTICLE:
            return self.sure, f"the site lists it as an article ({evidence})"
        shared = self.template_count(url)
        if shared >= self.templates_needed:
            return self.sure, f"its URL template is shared by {shared} sure articles of the site"
        off_site_templates = (
            self.site_has_templates(url) and self.loose_template_count(url) == 0 and _top_level(url)
        )
        if shared == 0 and page_confidence > UNSURE and (off_template or off_site_templates):
            # An "about" or "contact" page that reads like prose: not where this site puts its articles.
            return UNSURE, "its URL has the shape of none of the site's sure articles"
        return page_confidence, None
