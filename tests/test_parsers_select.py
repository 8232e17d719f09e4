"""The tag index answers CSS selectors exactly as soupsieve does, in document order."""

from __future__ import annotations

import pytest

from scrapers.parsers.select import TagIndex, plan
from scrapers.parsers.text import make_soup

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
    "div:not(.article)", ":is(.maincontent, .breadcrumbs) a", ".comments li.comment", "#comment-2",
    ".mainimg, .maincontent figure", "figcaption, p.last", "li.comment > ul > li", "header, footer, nav, form",
]  # fmt: skip


@pytest.mark.parametrize("selector", SELECTORS)
def test_same_answer_as_soupsieve(selector: str) -> None:
    soup = make_soup(HTML)
    assert TagIndex(soup).select(selector) == list(soup.select(selector))


@pytest.mark.parametrize("selector", ["a", ".author a", "li.comment", "[itemprop]"])
def test_scoped_selection(selector: str) -> None:
    soup = make_soup(HTML)
    scope = soup.select_one(".article")
    assert scope is not None
    assert TagIndex(soup).select(selector, scope) == list(scope.select(selector))


def test_plans() -> None:
    assert plan("*") is None
    (part,) = plan(".article .author a") or ()
    assert part.last == ("name", "a") and part.ancestors == (("cls", "author"), ("cls", "article"))
    (sibling,) = plan(".x ~ .y") or ()
    assert sibling.ancestors == ()
