"""Strong evidence that a page is a forum thread, documentation or a shop's product page, not an
article: the page-type check's vetoes for the kinds of page that read like one (dated posts by a
named author over running prose, a long text under a headline) and so score as articles.

Each signal is the markup or address that the software serving the kind of page writes on every
page of it, whatever the site: forum engines' names on ``<html>``/``<body>`` and in the generator,
their thread URLs (``/threads/``, ``viewtopic.php``, Discourse's ``/t/{slug}/{id}``), schema.org's
``DiscussionForumPosting``/``QAPage``; documentation generators (Sphinx, MkDocs, Docusaurus..., in a
meta generator or a "generated" comment in ``<head>``), a ``/docs/`` path, Read the Docs'
``/en/latest/``; ``Product`` data, WooCommerce's and Shopify's product-page classes. Measured on the
labelled sets (bench/pagetype_direct.py), per half by domain: each rule is kept only if it costs
(almost) no labelled article on either half of either set. A page that says it is a news article
(JSON-LD ``Article``, ``NewsArticle``, ``BlogPosting``...) is never vetoed by them.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .page import Page
from .text import classes

_FORUM_TYPES = frozenset({"DiscussionForumPosting", "QAPage"})
_PRODUCT_TYPES = frozenset({"Product", "ProductGroup", "IndividualProduct"})
# Microdata names a product a review rates as readily as one a shop sells: only an offer makes it a shop's page.
_OFFER_TYPES = frozenset({"Offer", "AggregateOffer"})
# Forum engines: XenForo, phpBB, vBulletin, Discourse, Invision (ips*), Flarum, MyBB, Vanilla, bbPress, SMF.
_FORUM_SOFTWARE = re.compile(
    r"xenforo|phpbb|vbulletin|discourse|\bips(?:App|Body)\b|flarum|mybb|vanilla|bbpress|simple machines|\bsmf\b", re.I
)
_FORUM_CLASSES = re.compile(r"^(?:single-topic|single-forum|topic-template-default|forum-template-default)$", re.I)
_FORUM_URL = re.compile(
    r"/(?:threads?|viewtopic\.php|showthread\.php)(?:[/?.]|$)|/questions/\d+(?:/|$)|/t/[^/]+/\d+/?$"
    r"|/thread-\d+|/comments/[a-z0-9]+/",
    re.I,
)
_FORUM_QUERY = re.compile(r"(?:^|&)topic=\d", re.I)  # SMF's index.php?topic=N
_DOCS_SEGMENTS = frozenset({"docs", "doc", "documentation", "manual"})
# Documentation generators, and MediaWiki (a wiki's reference pages, not dated stories).
_DOCS_GENERATOR = re.compile(
    r"sphinx|mkdocs|mdbook|docusaurus|gitbook|rustdoc|docfx|vitepress|antora|jsdoc|doxygen|mediawiki", re.I
)
# Some generators sign in a comment in <head> ("Book generated using mdBook"), not in a meta generator.
_GENERATED = re.compile(r"<!--((?:(?!-->).){0,200}?\bgenerated\b(?:(?!-->).){0,200}?)-->", re.I | re.S)
_HEAD_END = re.compile(r"</head\s*>|<body\b", re.I)
# Read the Docs serves every project's documentation at /LANGUAGE/VERSION/, its versions named so.
_DOCS_VERSION_PATH = re.compile(r"^/[a-z]{2}(?:[-_][a-z]{2,4})?/(?:latest|stable)(?:/|$)", re.I)
_POST_CLASSES = re.compile(r"^single-post$", re.I)  # WordPress's post (a shop's product has postid-N too)
_PRODUCT_SEGMENTS = frozenset({"product", "products"})  # WooCommerce's and Shopify's product paths
_PRODUCT_CLASSES = re.compile(r"^(?:single-product|product-template-default|template-product)$", re.I)


def other_kind(page: Page, types: set[str], itemtypes: set[str]) -> str | None:
    """What else the page is on strong evidence ("a forum thread (...)"), or None; ``types`` are its
    JSON-LD types, ``itemtypes`` its microdata types (schema.org names)."""
    names = _markup_names(page)
    path = urlsplit(page.url or "").path
    if forum := _forum(page, types | itemtypes, names):
        return f"a forum thread ({forum})"
    if docs := _documentation(path, names + " " + _generator_comments(page)):
        return f"documentation ({docs})"
    if product := _product(page, types | (itemtypes if itemtypes & _OFFER_TYPES else set()), path):
        return f"a product page ({product})"
    return None


def _markup_names(page: Page) -> str:
    """The generator, and the class names and ids of ``<html>`` and ``<body>``: where site software signs."""
    bodies = page.tags("body")
    tags = [page.root, *bodies[:1]]
    parts = [page.meta_first("generator") or ""]
    for tag in tags:
        parts += [tag.get("id") or "", *classes(tag)]
    return " ".join(parts)


def _forum(page: Page, types: set[str], names: str) -> str | None:
    if found := types & _FORUM_TYPES:
        return "schema.org " + "/".join(sorted(found))
    if match := _FORUM_SOFTWARE.search(names):
        return f"forum software's markup: {match.group(0)}"
    bodies = page.tags("body")
    if bodies and any(_FORUM_CLASSES.match(name) for name in classes(bodies[0])):
        return "a forum's topic class on <body>"
    parts = urlsplit(page.url or "")
    if _FORUM_URL.search(parts.path) or _FORUM_QUERY.search(parts.query):
        return "a forum thread's URL"
    return None


def _documentation(path: str, names: str) -> str | None:
    if match := _DOCS_GENERATOR.search(names):
        return f"made by {match.group(0)}"
    if {s.lower() for s in path.split("/")} & _DOCS_SEGMENTS:
        return "under a documentation path"
    if _DOCS_VERSION_PATH.match(path):
        return "under a documentation version's path"
    return None


def _generator_comments(page: Page) -> str:
    """The comments in ``<head>`` that say what generated the page (read from the markup: the tree
    is parsed without comments)."""
    end = _HEAD_END.search(page.markup)
    head = page.markup[: end.start() if end else 20_000]
    return " ".join(match.group(1) for match in _GENERATED.finditer(head))


def _product(page: Page, types: set[str], path: str) -> str | None:
    bodies = page.tags("body")
    names = classes(bodies[0]) if bodies else []
    if any(_POST_CLASSES.match(name) for name in names):
        return None  # a blog post (WordPress says so) that rates a product it reviews
    if found := types & _PRODUCT_TYPES:
        return "schema.org " + "/".join(sorted(found))
    if any(_PRODUCT_CLASSES.match(name) for name in names):
        return "a shop's product class on <body>"
    if {s.lower() for s in path.split("/")} & _PRODUCT_SEGMENTS:
        return "under a product path"
    return None


def itemtypes(page: Page) -> set[str]:
    """The page's microdata types, by their schema.org names."""
    found: set[str] = set()
    for element in page.all_tags():
        value = element.get("itemtype")
        if value:
            found |= {t.rstrip("/").rsplit("/", 1)[-1] for t in value.split()}
    return found
