"""Page type: an article told from a listing, a search page or a static page, one signal at a time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("schema_type", ["NewsArticle", "ReportageNewsArticle", "BlogPosting"])
def test_a_dated_story_with_article_markup_is_an_article(schema_type: str) -> None:
    found = page_type(html(story(), jsonld({"@type": schema_type})), "https://x.example/news/port-reopens")
    assert found.is_article
    assert any(schema_type in reason for reason in found.reasons)


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


# --- strong evidence of another kind of page (scrapers/parsers/page_kinds.py) --------------------------------


def _dated_post(head: str = "", body_class: str = "", html_attrs: str = "") -> str:
    """A dated post by a named author over running prose: what scores as an article on points alone."""
    post = (
        '<h1>Which ferry pass should I buy this spring?</h1><p class="byline">By Ana Lopez, March 3, 2024</p>'
        + f"<p>{PROSE * 4}</p>" * 5
    )
    return (
        f'<html {html_attrs}><head><title>T</title><meta property="og:type" content="article">{head}</head>'
        f'<body class="{body_class}"><main>{post}</main></body></html>'
    )


def test_a_dated_post_scores_as_an_article_without_other_evidence() -> None:
    found = page_type(_dated_post(), "https://x.example/2024/03/which-ferry-pass-should-i-buy")
    assert found.is_article and found.veto is None


def test_a_forum_thread_is_vetoed_by_its_schema_type_its_engine_or_its_url() -> None:
    cases = [
        (_dated_post(jsonld({"@type": "DiscussionForumPosting", "headline": "Ferry pass"})), "/t/ferry-pass/8812"),
        (_dated_post(jsonld({"@type": "QAPage"})), "/ferry/which-ferry-pass-should-i-buy"),
        (_dated_post(html_attrs='id="XenForo" class="XenForo"'), "/ferry/which-ferry-pass-should-i-buy"),
        (_dated_post('<meta name="generator" content="Discourse 3.2">'), "/ferry/which-ferry-pass-should-i-buy"),
        (_dated_post(body_class="topic-template-default single single-topic"), "/ferry/which-ferry-pass-should-i-buy"),
        (_dated_post(), "/threads/which-ferry-pass-should-i-buy.91732/"),
        (_dated_post(), "/forum/viewtopic.php?t=361697"),
        (_dated_post(), "/questions/964/which-ferry-pass-should-i-buy"),
        (_dated_post(), "/thread-222085.html"),
        (_dated_post(), "/community/index.php?topic=589061.0"),
        (_dated_post(), "/r/ferries/comments/1rl4mew/which_ferry_pass_should_i_buy/"),
    ]
    for markup, path in cases:
        found = page_type(markup, "https://x.example" + path)
        assert (found.is_article, found.kind) == (False, "other"), path
        assert found.veto is not None and found.veto.startswith("a forum thread"), (path, found.veto)


def test_documentation_is_vetoed_by_its_generator_or_its_path() -> None:
    sphinx = page_type(_dated_post('<meta name="generator" content="Sphinx 7.2">'), "https://x.example/en/ports.html")
    docs = page_type(_dated_post(), "https://x.example/docs/guides/ferry-passes")
    wiki = page_type(_dated_post('<meta name="generator" content="MediaWiki 1.45">'), "https://x.example/title/Ports")
    assert sphinx.veto == "documentation (made by Sphinx)"
    assert wiki.veto == "documentation (made by MediaWiki)"
    assert docs.veto == "documentation (under a documentation path)"


def test_a_product_page_is_vetoed_by_its_schema_type_or_its_shop_class() -> None:
    schema = page_type(
        _dated_post(jsonld({"@type": "Product", "name": "Ferry pass"})), "https://x.example/ferry-pass-spring"
    )
    shop = page_type(
        _dated_post(body_class="product-template-default single single-product"),
        "https://x.example/product/ferry-pass-spring",
    )
    assert schema.veto == "a product page (schema.org Product)" and not schema.is_article
    assert shop.veto == "a product page (a shop's product class on <body>)" and not shop.is_article
    path = page_type(_dated_post(), "https://x.example/products/ferry-pass-spring")
    assert path.veto == "a product page (under a product path)"


def test_microdata_names_a_shop_s_product_only_with_an_offer() -> None:
    offer = '<div itemprop="offers" itemscope itemtype="https://schema.org/Offer"><span itemprop="price">9</span></div>'
    rated = '<div itemscope itemtype="https://schema.org/Product"><span itemprop="name">Ferry pass</span></div>'
    sold = rated.replace("</div>", offer + "</div>", 1)
    url = "https://x.example/2024/03/which-ferry-pass-should-i-buy"
    assert page_type(_dated_post().replace("</main>", rated + "</main>"), url).veto is None
    assert (
        page_type(_dated_post().replace("</main>", sold + "</main>"), url).veto == "a product page (schema.org Product)"
    )


def test_a_page_that_says_it_is_a_news_article_is_never_vetoed_as_another_kind() -> None:
    news = jsonld({"@type": "NewsArticle", "headline": "Ferry pass"}, {"@type": "Product", "name": "Ferry pass"})
    found = page_type(_dated_post(news), "https://x.example/docs/which-ferry-pass-should-i-buy")
    assert found.is_article and found.veto is None


def test_a_blog_post_rating_a_product_is_not_a_product_page() -> None:
    rating = '<div itemscope itemtype="https://schema.org/Product"><span itemprop="name">Ferry pass</span></div>'
    post = _dated_post(body_class="post-template-default single single-post postid-12")
    markup = post.replace("</main>", rating + "</main>")
    found = page_type(markup, "https://x.example/2024/03/which-ferry-pass-should-i-buy")
    assert found.is_article and found.veto is None


# --- hand-written pages, one signal each (tests/fixtures/pagetype/CASE: page.html, page_type.json) ----------------

PAGETYPE_FIXTURES = Path(__file__).parent / "fixtures" / "pagetype"


@pytest.mark.parametrize("case", sorted(p.name for p in PAGETYPE_FIXTURES.iterdir()))
def test_a_hand_written_page_gets_its_expected_page_type(case: str) -> None:
    expected = json.loads((PAGETYPE_FIXTURES / case / "page_type.json").read_text())
    found = page_type((PAGETYPE_FIXTURES / case / "page.html").read_text(), expected["url"])
    assert found.is_article == expected["is_article"], found.reasons
    assert set(expected["reasons"]) <= set(found.reasons), found.reasons
    assert not set(expected["not_reasons"]) & set(found.reasons), found.reasons
    assert found.veto == expected.get("veto"), found.veto


def test_the_same_text_unsigned_is_not_sure() -> None:
    signed = (PAGETYPE_FIXTURES / "signed-note" / "page.html").read_text()
    unsigned = signed.replace('<meta name="author" content="Ana Lopez">', "").replace(
        '<p class="byline">By <a rel="author" href="/people/ana-lopez">Ana Lopez</a></p>', ""
    )
    url = "https://pier.example/notes/harbour"
    assert not page_type(unsigned, url).is_article
    assert page_type(signed, url).confidence > page_type(unsigned, url).confidence


@pytest.mark.parametrize(
    "query", ["page=234", "paged=120", "p=12", "p=123&q=x", "cat=news", "cat=1234", "m=202405", "author=120"]
)
def test_a_query_that_is_no_single_item_number_still_counts_against(query: str) -> None:
    found = page_type(html(story(2)), f"https://x.example/?{query}")
    assert "-0.3 a query string" in found.reasons and "-0.4 the site's root" in found.reasons


def test_a_comment_in_head_vetoes_only_when_it_names_a_documentation_generator() -> None:
    cached = _dated_post("<!-- generated by the page cache in 0.02 s -->")
    assert page_type(cached, "https://x.example/2024/03/which-ferry-pass-should-i-buy").veto is None
    news = page_type(_dated_post(), "https://x.example/en/latest-news/which-ferry-pass-should-i-buy")
    assert news.veto is None
