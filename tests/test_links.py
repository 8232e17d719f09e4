"""The link scanner reads the same ``a[href]`` list as lxml, the parser it replaces in the spiders."""

from __future__ import annotations

import pytest
from scrapy.selector import Selector

from scrapers.links import attribute_value, hrefs

CASES = {
    "quotes": """<a href="/d">d</a> <a href='/s'>s</a> <a href=/bare>b</a>""",
    "case and spacing": """<A HREF = "/upper">u</A><a\n  class="x"\n  href\n=\n"/lines">l</a>""",
    "quoted > before href": """<a title="1 > 0" data-x='a>b' href="/after">x</a>""",
    "not href": """<a data-href="/no" xhref="/no2" href="/yes">y</a><abbr href="/abbr">a</abbr>""",
    "first href counts": """<a href="/one" href="/two">d</a>""",
    "bare and empty": """<a href>e</a><a href="">f</a><a name="top">no href</a>""",
    "comments": """<!-- <a href="/c"> --><a href="/after-comment">c</a><!-- unterminated <a href="/u">""",
    "text-only elements": (
        """<script>var s = '<a href="/s">';</script><style>a[href="/st"]{}</style>"""
        """<textarea><a href="/ta"></textarea><title><a href="/t"></title><a href="/real">r</a>"""
    ),
    "script closed in any case": """<SCRIPT>x='<a href="/s">'</Script ><a href="/after">a</a>""",
    "template content counts (as in lxml)": """<template><a href="/in-template">t</a></template>""",
    "character references": (
        """<a href="/q?a=1&amp;b=2&#38;c=3&#x26;d">r</a><a href="/q?x=1&region=az&copy=2&lang">l</a>"""
        """<a href="/caf&eacute;">e</a>"""
    ),
    "line breaks": """<a href="/a\r\nb\rc">n</a>""",
    "no links": """<p>Plain text with a &lt;a href="/escaped"&gt; in it.</p>""",
    "self-closing slash": """<a/href="/slash">s</a><a href="/x"/>""",
}


@pytest.mark.parametrize("markup", CASES.values(), ids=CASES.keys())
def test_the_scanner_reads_what_lxml_reads(markup: str) -> None:
    page = f"<html><head></head><body>{markup}</body></html>"
    assert hrefs(page) == Selector(text=page).css("a::attr(href)").getall()


def test_cases_have_links_where_expected() -> None:
    # Guards the comparison above against two empty lists agreeing.
    assert hrefs(CASES["quotes"]) == ["/d", "/s", "/bare"]
    assert hrefs(CASES["text-only elements"]) == ["/real"]
    assert hrefs(CASES["character references"]) == ["/q?a=1&b=2&c=3&d", "/q?x=1&region=az&copy=2&lang", "/café"]


def test_legacy_references_follow_the_attribute_rule() -> None:
    # "&copy" before "=" stays (a query string); on its own it is decoded, as a browser does.
    assert attribute_value("?a=1&copy=2") == "?a=1&copy=2"
    assert attribute_value("&copy 2025") == "© 2025"
    assert attribute_value("&notareference;") == "&notareference;"
    assert attribute_value("&#1241;") == "ә"
