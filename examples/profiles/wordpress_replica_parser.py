"""A site parser in BeautifulSoup for the WordPress replica (``[parser] module`` of
``wordpress-replica-hooked.toml``): the fields a CSS selector cannot express.

Every ``fix_*`` function is called in this order with the page as a BeautifulSoup tree (lxml
builder) and the Article the profile produced; it returns the fields it corrects (a dict) or None.
If one raises, none of its corrections are kept: the page is archived with the profile's fields
and the crawl records ``parser_hook_error`` with this file's line. Try it on one page:

    newsarchive sites check wordpress-replica-hooked http://127.0.0.1:8766/2024/03/05/some-post/ \
        --profiles examples/profiles
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bs4 import BeautifulSoup

from scrapers.parsers.article import Article


def _graph(soup: BeautifulSoup) -> list[dict[str, Any]]:
    """The nodes of Yoast's JSON-LD graph (pages of the other plugins have none)."""
    script = soup.find("script", attrs={"type": "application/ld+json", "class": "yoast-schema-graph"})
    if script is None or not script.string:
        return []
    nodes = json.loads(script.string).get("@graph", [])
    return [node for node in nodes if isinstance(node, dict)]


def fix_published(soup: BeautifulSoup, article: Article) -> dict[str, Any] | None:
    """The publication instant from the JSON inside a script (with its offset), not from the byline."""
    for node in _graph(soup):
        if node.get("@type") == "Article" and node.get("datePublished"):
            raw = str(node["datePublished"])
            return {"published": datetime.fromisoformat(raw), "published_raw": raw, "published_source": "jsonld"}
    return None


def fix_authors(soup: BeautifulSoup, article: Article) -> dict[str, Any] | None:
    """The byline's names, each once and in order ("by A and B" links, without the author boxes)."""
    names = [a.get_text(" ", strip=True) for a in soup.select(".byline .author a")]
    return {"authors": list(dict.fromkeys(names))} if names else None
