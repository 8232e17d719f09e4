"""Drafting a site profile from one sample article page (``newsarchive sites new``).

The generic extractor reads the page first; then, field by field, candidate CSS selectors (the
usual CMS ones, and ones derived from the elements that hold the generic result) are tried with a
trial profile that holds only that selector, and the first one whose result equals the generic
result is kept. A field no selector reproduces is left to the generic extractor (it reads JSON-LD
and meta tags too). The draft is checked by parsing the page once more with it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from scrapers.discovery import autodiscovered_feeds
from scrapers.parsers import Article, parse_article
from scrapers.sites import SiteProfile, profile_from_dict

# Candidates per field, most specific first; selectors derived from the page come before them.
CANDIDATES: dict[str, tuple[str, ...]] = {
    "title": ("h1.entry-title", "h1.post-title", "h1.article-title", "h1.headline", "h1[itemprop=headline]",
              "article h1", "main h1", "h1"),
    "body": ("[itemprop=articleBody]", ".entry-content", ".post-content", ".article-content", ".article-body",
             ".article__body", ".story-body", ".post-body", "article .content", "article"),
    "published": ("time.entry-date.published", "time.published", "time[pubdate]", "[itemprop=datePublished]",
                  "meta[property='article:published_time']", ".posted-on time", "article time", ".date", "time"),
    "modified": ("time.updated", "[itemprop=dateModified]", "meta[property='article:modified_time']"),
    "authors": ("a[rel~=author]", ".byline .author", ".author.vcard a", "[itemprop=author] [itemprop=name]",
                ".author-name", ".byline a", ".author a"),
    "tags": ("a[rel~=tag]", ".tags-links a", ".post-tags a", ".entry-tags a", ".tags a"),
    "section": (".cat-links a", "a[rel~=category]", ".category a", ".breadcrumb a:last-of-type"),
}
CAPTION_CANDIDATES = (
    ("figure.wp-caption, div.wp-caption, figure.wp-block-image", "figcaption, .wp-caption-text"),
    (".wp-caption", ".wp-caption-text"),
    ("figure", "figcaption"),
)
COMMENT_CANDIDATES = (
    ("ol.commentlist li.comment", ".comment-author .fn", ".comment-metadata time", ".comment-content"),
    (".comment-list li.comment", ".comment-author .fn", ".comment-metadata time", ".comment-content"),
    ("li.comment", ".fn", "time", ".comment-content"),
    ("article.comment", ".comment-author", "time", ".comment-content"),
)
_MAX_TRIALS = 40  # per field


@dataclass
class Finding:
    """What the draft says about one field: the generic value and the selector that reproduces it."""

    name: str
    value: str
    selectors: dict[str, str] = field(default_factory=dict)  # profile selector name -> selector
    note: str = ""

    @property
    def found(self) -> bool:
        return bool(self.selectors)


@dataclass
class Draft:
    name: str
    url: str
    toml: str
    findings: list[Finding]
    generic: Article
    strip: list[str]
    check: dict[str, bool]  # field -> the draft profile gives the generic result


def _fields(article: Article) -> dict[str, Any]:
    """The comparable value of each field, as read by a profile or by the generic extractor."""
    return {
        "title": article.title,
        "body": article.body,
        "published": article.published,
        "modified": article.modified,
        "authors": article.authors,
        "tags": article.tags,
        "section": article.section,
        "captions": [(c.image_url, c.text, c.credit) for c in article.captions],
        "comments": [(c.comment_id, c.parent_id, c.author, c.published, c.text) for c in article.comments],
    }


class _Trial:
    """Parses the page with trial profiles that hold a few selectors (and chrome) each."""

    def __init__(self, name: str, html: str, url: str) -> None:
        self.name, self.html, self.url = name, html, url
        self.soup = BeautifulSoup(html, "lxml")

    def parse(self, selectors: dict[str, str], strip: Iterable[str] = ()) -> Article:
        profile = self.profile(selectors, strip)
        return parse_article(self.html, self.url, profile)

    def profile(self, selectors: dict[str, str], strip: Iterable[str] = ()) -> SiteProfile:
        data: dict[str, Any] = {"name": self.name, "selectors": selectors, "chrome": {"strip": list(strip)}}
        return profile_from_dict(data, f"<draft {self.name}>")

    def matches(self, selector: str) -> list[Tag]:
        try:
            return list(self.soup.select(selector))
        except Exception:  # a derived selector soupsieve rejects is simply not a candidate
            return []


def draft_profile(name: str, html: str, url: str, urls_table: list[str] | None = None) -> Draft:
    """A profile TOML for the site of ``url``, from the sample article ``html``; ``urls_table`` is
    the ``[urls]`` table learned from the site (scrapers/url_templates.py), else one from the sample."""
    trial = _Trial(name, html, url)
    generic = parse_article(html, url)
    want = _fields(generic)
    findings: list[Finding] = []
    for key in ("title", "published", "modified", "authors", "section", "tags"):
        findings.append(_simple(trial, key, want, _derived(trial, key, generic)))
    captions = _pairs(trial, "captions", want, CAPTION_CANDIDATES, ("captions", "caption_text"))
    body, strip = _body(trial, want, generic, captions.selectors)
    findings += [body, captions]
    findings.append(_pairs(trial, "comments", want, COMMENT_CANDIDATES,
                           ("comments", "comment_author", "comment_published", "comment_text")))
    selectors = {k: v for f in findings for k, v in f.selectors.items()}
    toml = render_toml(name, url, html, generic, findings, strip, urls_table)
    drafted = _fields(trial.parse(selectors, strip))
    check = {k: drafted[k] == want[k] for k in want}
    return Draft(name, url, toml, findings, generic, strip, check)


def _simple(trial: _Trial, key: str, want: dict[str, Any], derived: list[str]) -> Finding:
    value = want[key]
    shown = _show(value)
    if value in (None, "", []):
        return Finding(key, shown, note="the generic extractor found nothing")
    for selector in _unique([*derived, *CANDIDATES[key]])[:_MAX_TRIALS]:
        if trial.matches(selector) and _fields(trial.parse({key: selector}))[key] == value:
            return Finding(key, shown, {key: selector})
    return Finding(key, shown, note="no selector reproduces it: left to the generic extractor (JSON-LD, meta)")


def _body(trial: _Trial, want: dict[str, Any], generic: Article, captions: dict[str, str]) -> tuple[Finding, list[str]]:
    """The body container; tried with the caption selectors, which keep captions out of the body."""
    shown = f"{len(generic.body.split(chr(10) * 2))} paragraphs, {len(generic.body)} characters"
    if not generic.body:
        return Finding("body", shown, note="the generic extractor found nothing"), []
    best: tuple[float, str, list[str]] | None = None
    for selector in _unique([*_body_containers(trial, generic), *CANDIDATES["body"]])[:_MAX_TRIALS]:
        roots = trial.matches(selector)
        if not roots:
            continue
        strip = _chrome_inside(roots, generic.body)
        got = trial.parse({"body": selector, **captions}, strip).body
        if got == want["body"]:
            return Finding("body", shown, {"body": selector}), strip
        score = _overlap(got, want["body"])
        if best is None or score > best[0]:
            best = (score, selector, strip)
    note = "left to the generic extractor"
    if best is not None:
        note += f" (closest: {best[1]!r}, {best[0]:.0%} of the paragraphs the same)"
    return Finding("body", shown, note=note), []


def _body_containers(trial: _Trial, generic: Article) -> Iterator[str]:
    """Selectors of the elements around the first paragraph of the generic body."""
    first = " ".join(generic.body.split("\n\n")[0][:60].split())
    for name in ("p", "div"):
        for p in trial.soup.find_all(name):
            if first and " ".join(p.get_text().split()).startswith(first):
                for parent in p.parents:
                    if parent.name in ("body", "html", "[document]"):
                        break
                    yield from _selectors_for(parent)
                return


def _chrome_inside(roots: list[Tag], body: str) -> list[str]:
    """Blocks right inside the body container whose text is not in the generic body (share bars…).

    Images and their captions are not chrome: the profile's caption selectors keep them apart.
    """
    strip: list[str] = []
    flat = " ".join(body.split())
    for root in roots:
        for child in root.find_all(True, recursive=False):
            text = " ".join(child.get_text().split())
            if not text or text in flat or child.name in ("p", "li", "h2", "h3", "blockquote", "figure"):
                continue
            if child.find(["img", "picture", "figure"]) is not None:
                continue
            strip.extend(s for s in _selectors_for(child) if s.startswith("."))
    return _unique(strip)[:10]


def _pairs(trial: _Trial, key: str, want: dict[str, Any], candidates: Iterable[tuple[str, ...]],
           names: tuple[str, ...]) -> Finding:
    value = want[key]
    shown = f"{len(value)} found"
    if not value:
        return Finding(key, shown, note="the generic extractor found none on this page")
    for selectors in candidates:
        if not trial.matches(selectors[0]):
            continue
        chosen = dict(zip(names, selectors, strict=True))
        if _fields(trial.parse(chosen))[key] == value:
            return Finding(key, shown, chosen)
    return Finding(key, shown, note="no selectors reproduce them: left to the generic extractor")


def _derived(trial: _Trial, key: str, generic: Article) -> list[str]:
    """Selectors of the elements whose text is the generic value (an author's name, the title)."""
    texts: list[str] = []
    if key == "title" and generic.title:
        texts = [generic.title]
    elif key == "authors":
        texts = list(generic.authors)
    elif key == "tags":
        texts = list(generic.tags)
    elif key == "section" and generic.section:
        texts = [generic.section]
    found: list[str] = []
    for text in texts:
        for tag in trial.soup.find_all(string=lambda s, t=text: isinstance(s, str) and s.strip() == t):
            element = tag.parent
            if isinstance(element, Tag) and element.name not in ("title", "script", "option"):
                found.extend(_selectors_for(element, with_parent=True))
    return found


def _selectors_for(element: Tag, with_parent: bool = False) -> Iterator[str]:
    """``tag.class``, ``#id`` and ``.parent-class tag`` for an element (stable names only)."""
    classes = [c for c in element.get_attribute_list("class") if c and _stable(c)]
    ident = element.get("id")
    if classes:
        yield element.name + "".join(f".{c}" for c in classes[:2])
        yield f".{classes[0]}"
    if isinstance(ident, str) and _stable(ident):
        yield f"#{ident}"
    if with_parent and isinstance(element.parent, Tag):
        parent_classes = [c for c in element.parent.get_attribute_list("class") if c and _stable(c)]
        if parent_classes:
            yield f".{parent_classes[0]} {element.name}"


def _stable(name: str) -> bool:
    """Class names and ids that name a role, not one post (``post-1234``) or a generated hash."""
    return bool(re.fullmatch(r"[A-Za-z][\w-]*", name)) and not re.search(r"\d{2,}|[a-f0-9]{8,}", name)


def _overlap(got: str, want: str) -> float:
    a, b = set(got.split("\n\n")), set(want.split("\n\n"))
    return len(a & b) / max(len(a | b), 1)


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _show(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "-"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text if len(text) <= 70 else text[:67] + "..."


# --- the TOML file -----------------------------------------------------------------------------
def url_pattern(url: str) -> str:
    """A regular expression for article paths like the sample's (dates, ids and slugs generalised)."""
    path = urlsplit(url).path or "/"
    slash = path.endswith("/") and path != "/"
    parts = [p for p in path.split("/") if p]
    out: list[str] = []
    for n, part in enumerate(parts):
        last = n == len(parts) - 1
        if re.fullmatch(r"(?:19|20)\d{2}", part):
            out.append(r"\d{4}")
        elif re.fullmatch(r"\d{1,2}", part):
            out.append(r"\d{1,2}")
        elif re.fullmatch(r"\d{3,}", part):
            out.append(r"(?P<id>\d+)")
        elif last and (m := re.fullmatch(r"(.*\D)(\d{4,})(\.\w+)?", part)):
            out.append(r"[a-z0-9-]+" + re.escape(m[1][-1]) + r"(?P<id>\d+)" + (re.escape(m[3]) if m[3] else ""))
        elif last:
            ext = re.search(r"\.\w+$", part)
            out.append(r"[^/]+" + (re.escape(ext.group()) if ext else ""))
        else:
            out.append(r"[^/]+")
    return "^/" + "/".join(out) + ("/?$" if slash else "$")


def _toml_string(value: str) -> str:
    return f"'{value}'" if "'" not in value and "\n" not in value else json.dumps(value)


def render_toml(name: str, url: str, html: str, generic: Article, findings: list[Finding], strip: list[str],
                urls_table: list[str] | None = None) -> str:
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else None
    lines = [
        f"# Site profile {name!r}, drafted by `newsarchive sites new` from a sample article:",
        f"#   {url}",
        "# Each selector below gave, on that page, what the generic extractor found there; every field",
        "# left out falls back to the generic extractor. Check a page: newsarchive sites check "
        f"{name} URL_OR_FILE",
        f"name = {_toml_string(name)}",
    ]
    if base:
        lines += [f"domain = {_toml_string((parts.hostname or '').removeprefix('www.'))}",
                  f"base_url = {_toml_string(base)}", f"start_urls = [{_toml_string(base + '/')}]"]
    if generic.language:
        lines.append(f"languages = [{_toml_string(generic.language)}]")
    feeds = [f for f in autodiscovered_feeds(html, url) if base and f.startswith(base) and "comments" not in f]
    if feeds:
        paths = ", ".join(_toml_string(urlsplit(f).path or "/") for f in feeds)
        lines.append(f"feeds = [{paths}]  # announced by the sample page")
    lines += ["", *(urls_table or ["[urls]", "# From the sample's URL: widen it if other articles live elsewhere.",
                                   f"article = [{_toml_string(url_pattern(url))}]"]), "", "[selectors]"]
    for finding in findings:
        if finding.found:
            for key, selector in finding.selectors.items():
                note = f"  # {finding.value}" if key == finding.name else ""
                lines.append(f"{key} = {_toml_string(selector)}{note}")
        else:
            lines.append(f"# {finding.name}: {finding.note} ({finding.value})")
    if strip:
        lines += ["", "[chrome]", "# Inside the body, not part of it:",
                  "strip = [" + ", ".join(_toml_string(s) for s in strip) + "]"]
    lines += ["", "# [crawl]", "# download_delay = 1.0  # seconds between requests to this site",
              "# concurrency = 4"]
    return "\n".join(lines) + "\n"


