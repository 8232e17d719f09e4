"""A site's article and listing URL templates, learned from the site itself (``sites new --from``
a homepage or a sitemap): the URLs it links to or lists, grouped by shape.

Pure functions over fetched bytes and URLs (the command does the requests). A URL's kind is the
generic patterns' guess (scrapers/sites/generic.toml); its template is the regular expression
:func:`scrapers.profile_draft.url_pattern` writes for it (dates, ids and slugs generalised); each
template keeps how many of the sampled pages it matched, so the drafted profile says how much
evidence stands behind it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from scrapers.discovery import UrlClassifier, clean_url, read_feed, read_sitemap, sniff
from scrapers.links import hrefs
from scrapers.offsite import same_site, site_host
from scrapers.profile_draft import url_pattern

# A template seen on fewer sampled pages than this is not written (one odd link is not a template).
MIN_PAGES = 2


@dataclass(frozen=True)
class Template:
    kind: str  # "article" or "listing"
    pattern: str
    pages: int  # sampled pages it matched
    example: str


@dataclass(frozen=True)
class Sample:
    urls: list[str]  # the site's own URLs the document links to or lists
    sitemaps: list[str]  # child sitemaps of a sitemap index (to be fetched too)


def sample_urls(body: bytes, url: str, content_type: str | None = None) -> Sample:
    """The same-site URLs of a homepage (its links), a sitemap (its entries) or a feed (its items)."""
    hosts = {site_host(url)}
    kind = sniff(body, content_type)
    if kind == "sitemap":
        index, entries = read_sitemap(body)
        found = [e.url for e in entries if same_site(e.url, hosts)]
        return Sample([], found) if index == "sitemapindex" else Sample(found, [])
    if kind == "feed":
        return Sample([e.url for e in read_feed(body, url) if same_site(e.url, hosts)], [])
    text = body.decode("utf-8", errors="replace")
    links = (clean_url(urljoin(url, h.strip())) for h in hrefs(text))
    return Sample([u for u in dict.fromkeys(links) if same_site(u, hosts)], [])


def learn_templates(urls: list[str], classifier: UrlClassifier, min_pages: int = MIN_PAGES) -> list[Template]:
    """Article templates, then listing templates, each most matched first."""
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    for url in dict.fromkeys(urls):
        kind = classifier.classify(url)
        if kind not in ("article", "listing") or not urlsplit(url).path.strip("/"):
            continue
        key = (kind, _listing_pattern(url) if kind == "listing" else url_pattern(url))
        counts[key] += 1
        examples.setdefault(key, url)
    found = [Template(kind, pattern, n, examples[(kind, pattern)]) for (kind, pattern), n in counts.items()
             if n >= min_pages]
    return sorted(found, key=lambda t: (t.kind != "article", -t.pages, t.pattern))


def _listing_pattern(url: str) -> str:
    """A listing's shape: its first path segment kept (``/category/``, ``/tag/``), the rest generalised."""
    parts = [p for p in (urlsplit(url).path or "/").split("/") if p]
    first = "\\d{4}" if re.fullmatch(r"(?:19|20)\d{2}", parts[0]) else re.escape(parts[0])  # date archives
    rest = ["\\d+" if re.fullmatch(r"\d+", p) else "[^/]+" for p in parts[1:]]
    return "^/" + "/".join([first, *rest]) + "/?$"


def urls_toml(templates: list[Template]) -> list[str]:
    """The ``[urls]`` table of a drafted profile, each template with the count of pages it matched."""
    lines = ["[urls]", "# Learned from the site: each pattern with the number of sampled pages it matched."]
    for kind in ("article", "listing"):
        chosen = [t for t in templates if t.kind == kind]
        if chosen:
            lines.append(f"{kind} = [")
            lines += [f"  '{t.pattern}',  # {t.pages} pages, e.g. {urlsplit(t.example).path}" for t in chosen]
            lines.append("]")
    return lines
