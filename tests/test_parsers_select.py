"""CSS selection on the lxml tree answers what soupsieve answers on the same page, in document order.

Profiles are written (and drafted by ``sites new``) against BeautifulSoup's soupsieve; the parsers
evaluate them with cssselect on lxml, so both must agree on the selectors profiles use.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup, Tag

from scrapers.parsers.page import Page
from scrapers.sites import ProfileError, profile_from_dict

HTML = """<html><body><header class="header"><nav class="mainmenu"><a href="/a">A</a><a href="/b">B</a></nav></header>
<main class="container"><div class="article" id="art">
 <div class="breadcrumbs"><a href="/en">Home</a> / <a href="/en/politics">Politics</a></div>
 <h1 class="captxt">T</h1><div class="manspdt">1 May 2024</div>
 <div class="author">Author: <a href="/s?a=1">Ann</a>, <a href="/s?a=2" rel="author">Bob</a></div>
 <div class="maincontent"><p>One <a href="/x" rel="tag">x</a></p><figure class="inimg"><img src="/i.webp">
 <figcaption>Cap</figcaption></figure><p class="last">Two</p></div>
 <div class="author"><span class="author">nested <a href="/n">N</a></span></div>
 <ul class="comments"><li class="comment" id="comment-1" itemprop="comment">
  <span itemprop="author"><span itemprop="name">C</span></span>
  <ul class="children"><li class="comment" id="comment-2">D</li></ul></li></ul>
</div></main><aside class="newsline"><span class="manspdt">2 May 2024</span></aside></body></html>"""

SELECTORS = [
    ".article > .manspdt", ".captxt, .urgcaptxt", ".article .author a", "a[rel~=tag]", "[rel~=author]",
    ".breadcrumbs a:nth-of-type(2)", "[itemprop=author] [itemprop=name]", "*", "h1 + div", ".captxt ~ .author a",
    "div:not(.article)", ".comments li.comment", "#comment-2", ".mainimg, .maincontent figure",
    "figcaption, p.last", "li.comment > ul > li", "header, footer, nav, form", "[itemtype*='schema.org/Comment']",
    ".breadcrumb a:last-of-type", "time.entry-date.published", "meta[property='article:published_time']",
]  # fmt: skip


def _path(tag: Tag) -> list[int]:
    """Where a soup tag sits: the index of each step among its parent's element children."""
    steps = []
    while isinstance(tag.parent, Tag) and tag.parent.name != "[document]":
        siblings = [c for c in tag.parent.children if isinstance(c, Tag)]
        steps.append(next(n for n, c in enumerate(siblings) if c is tag))
        tag = tag.parent
    return list(reversed(steps))


def _lxml_path(page: Page, element: object) -> list[int]:
    steps = []
    node = element
    while node is not None and node is not page.root:
        parent = node.getparent()  # type: ignore[attr-defined]
        steps.append(list(parent).index(node))
        node = parent
    return list(reversed(steps))


@pytest.mark.parametrize("selector", SELECTORS)
def test_same_answer_as_soupsieve(selector: str) -> None:
    page = Page.from_text(HTML, "https://x.example/")
    soup = BeautifulSoup(HTML, "lxml")
    assert [_lxml_path(page, e) for e in page.select(selector)] == [_path(t) for t in soup.select(selector)]


@pytest.mark.parametrize("selector", ["a", ".author a", "li.comment", "[itemprop]", "div"])
def test_scoped_selection_leaves_out_the_scope(selector: str) -> None:
    page = Page.from_text(HTML, "https://x.example/")
    soup = BeautifulSoup(HTML, "lxml")
    scope, soup_scope = page.select(".article")[0], soup.select_one(".article")
    assert soup_scope is not None
    assert [_lxml_path(page, e) for e in page.select(selector, scope)] == [
        _path(t) for t in soup_scope.select(selector)
    ]


def test_selectors_only_soupsieve_knows_still_work() -> None:
    profile = profile_from_dict({"name": "x", "selectors": {"body": "p:-soup-contains('Two')"}})
    page = Page.from_text(HTML, "https://x.example/", profile)
    assert [e.get("class") for e in page.select_profile("body")] == ["last"]
    scope = page.select(".maincontent")[0]
    assert len(page.select("p:-soup-contains('Two'), figcaption", scope)) == 2


def test_a_broken_selector_names_the_profile() -> None:
    page = Page.from_text(HTML, "https://x.example/", profile_from_dict({"name": "x"}))
    with pytest.raises(ProfileError, match="bad CSS selector"):
        page.select("div[[")
