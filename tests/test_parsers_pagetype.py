"""Page type: an article told from a listing, a search page or a static page, one signal at a time."""

from __future__ import annotations

import json

from scrapers.parsers.pagetype import page_type

PROSE = "The harbour authority said the port would reopen to cargo ships on Monday after repairs. "


def html(body: str, head: str = "", body_class: str = "") -> str:
    return f'<html><head><title>T</title>{head}</head><body class="{body_class}">{body}</body></html>'


def jsonld(*objects: dict[str, object]) -> str:
    return f'<script type="application/ld+json">{json.dumps({"@graph": list(objects)})}</script>'


def story(paragraphs: int = 6) -> str:
    return "<article><h1>Port reopens</h1><p>March 3, 2024</p>" + f"<p>{PROSE * 3}</p>" * paragraphs + "</article>"


def teasers(n: int) -> str:
    return "".join(f'<h3><a href="/news/{i}">Story number {i} of the day</a></h3><p>Teaser.</p>' for i in range(n))


def test_a_dated_story_with_article_markup_is_an_article() -> None:
    found = page_type(html(story(), jsonld({"@type": "NewsArticle"})), "https://x.example/news/port-reopens")
    assert found.is_article
    assert any("NewsArticle" in reason for reason in found.reasons)


def test_a_list_of_teasers_is_a_listing() -> None:
    found = page_type(html("<h1>Business</h1>" + teasers(12)), "https://x.example/business/")
    assert (found.kind, found.is_article) == ("listing", False)


def test_the_sites_own_website_object_does_not_make_an_inner_page_a_listing() -> None:
    head = jsonld({"@type": "WebSite", "url": "https://x.example/"}, {"@type": "WebPage"})
    inner = page_type(html(story(), head), "https://x.example/guides/port-reopens")
    assert inner.is_article
    assert not any("WebSite" in reason for reason in inner.reasons)
    home = page_type(html("<h1>X News</h1>" + teasers(12), head), "https://x.example/")
    assert any("WebSite" in reason for reason in home.reasons)
    assert not home.is_article


def test_linked_subheadings_of_a_long_text_weigh_less_than_a_list_of_stories() -> None:
    long_text = story(14) + teasers(5)
    short_list = "<h1>Guides</h1><p>" + PROSE + "</p>" + teasers(5)
    long_found = page_type(html(long_text), "https://x.example/guides/ports")
    list_found = page_type(html(short_list), "https://x.example/guides/")
    assert "-0.3 5 teasers" in long_found.reasons and long_found.is_article
    assert "-0.7 5 teasers" in list_found.reasons and not list_found.is_article


def test_a_search_url_is_not_an_article() -> None:
    found = page_type(html(story(2)), "https://x.example/search?q=port")
    assert not found.is_article


def test_a_listing_class_on_body_counts_against() -> None:
    plain = page_type(html(story(2)), "https://x.example/a")
    tagged = page_type(html(story(2), body_class="archive category-news"), "https://x.example/a")
    assert tagged.score < plain.score
    assert any("listing class" in reason for reason in tagged.reasons)


def test_a_cms_page_without_a_date_is_less_sure_than_a_dated_story() -> None:
    # On the labelled sets a static-page class says little (as common on articles as on other pages):
    # such a page is a probable article at best, well below a dated story of the same text.
    body = "<main><h1>About our editorial standards</h1>" + f"<p>{PROSE * 3}</p>" * 4 + "</main>"
    found = page_type(html(body, body_class="page page-id-12"), "https://x.example/about-our-editorial-standards/")
    dated = page_type(html(story(4)), "https://x.example/about-our-editorial-standards/")
    assert found.confidence < 0.7 and found.confidence < dated.confidence - 0.2
    assert any("static page class" in reason for reason in found.reasons)


def test_a_short_page_without_a_date_or_markup_is_other() -> None:
    found = page_type(html("<h1>Contact us</h1><p>Write to us.</p>"), "https://x.example/contact")
    assert found.kind == "other"
