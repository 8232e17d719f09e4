"""The parsers' shortcuts answer what the long way answers: selectors of bare class and tag names
from the page's indexes (as the XPath cssselect writes), the strings of a subtree and after an
element in XPath's order, and a block's paragraphs taken from a walk of the whole page."""

from __future__ import annotations

import pytest
from lxml import etree

from scrapers.parsers.byline import _following
from scrapers.parsers.page import Page
from scrapers.parsers.select import select, simple_group
from scrapers.parsers.text import BLOCK, Element, blocks, blocks_under, never_text, text_nodes

HTML = """<html><head><title>T</title></head><body>lead text
<main class="wrap\tmain"><article class="post  entry-content post"><h1>Title</h1>tail of h1
 <p class="lede">One <a href="/x" class="post-link">link</a> after link<br>second line</p>
 <div class="a\xa0b entry-content">nbsp is no space <span class="date">May 1, 2024</span></div>
 <ol start="3"><li class="item">three</li><li class="item">four <b>bold</b></li></ol>
 <a href="/y"><div class="post">a block in a link</div></a>
 <pre class="code">x = 1
y = 2</pre>
 <table><tr><td class="cell">a</td><td>b</td></tr></table>
</article><aside class="post sidebar">Side <i>note</i></aside></main>
<footer class="entry-content">end</footer> trailing</body></html>"""

SIMPLE = [
    ".post", ".entry-content", ".main", ".wrap", ".a", ".b", ".date, .post-link", "p", "h1, p, .item",
    ".entry-content, .post, .lede, article", "td, .cell", ".missing", "li, ol, .item",
]  # fmt: skip


def _page() -> Page:
    return Page.from_text(HTML, "https://x.example/")


@pytest.mark.parametrize("selector", SIMPLE)
def test_bare_names_are_answered_as_the_xpath_answers(selector: str) -> None:
    page = _page()
    assert simple_group(selector) is not None
    for scope in [None, *page.all_tags()]:
        assert page.select(selector, scope) == select(page.root, selector, scope), scope


@pytest.mark.parametrize("selector", ["div.post", ".post > p", "[class=post]", "#x", ".post a", "*", "p:first-child"])
def test_other_selectors_take_the_xpath(selector: str) -> None:
    assert simple_group(selector) is None


def test_text_nodes_come_in_xpath_order_with_their_elements() -> None:
    page = _page()
    for element in page.all_tags():
        expected = [(str(s), _owner(s)) for s in element.xpath("descendant::text()")]
        assert list(text_nodes(element)) == expected


def test_following_strings_come_as_xpath_finds_them() -> None:
    page = _page()
    for element in page.all_tags():
        expected = [(str(s), _owner(s)) for s in element.xpath("following::text()")]
        assert list(_following(element)) == expected


def test_text_nodes_stop_where_the_element_starts() -> None:
    page = _page()
    h1 = page.tags("h1")[0]
    assert [s for s, _ in text_nodes(page.root, until=h1)] == ["T", "lead text\n"]


def _owner(string: object) -> Element:
    parent = string.getparent()  # type: ignore[attr-defined]
    return parent.getparent() if string.is_tail else parent  # type: ignore[attr-defined,no-any-return]


def test_a_blocks_paragraphs_are_taken_from_the_walk_of_the_page() -> None:
    page = _page()
    found = blocks(page.root, never_text)
    taken = 0
    for element in page.all_tags():
        under = blocks_under(found, page.root, element, never_text)
        if under is not None:
            taken += 1
            assert [(b.text, b.link_chars, b.element) for b in under] == [
                (b.text, b.link_chars, b.element) for b in blocks(element, never_text)
            ], etree.tostring(element)
    assert taken >= 8


def test_blocks_that_read_otherwise_alone_are_walked_again() -> None:
    page = _page()
    found = blocks(page.root, never_text)
    in_link = page.select("a > div")[0]
    item = page.tags("li")[0]
    inline = page.tags("span")[0]
    assert inline.tag not in BLOCK
    for element in (in_link, item, inline, page.tags("head")[0]):
        assert blocks_under(found, page.root, element, never_text) is None
    assert blocks_under(found, page.root, page.root, never_text) is found
