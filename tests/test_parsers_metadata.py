"""Title, authors, section, tags, language, canonical URL, site and article id."""

from __future__ import annotations

import json

from scrapers.parsers import parse_article
from scrapers.sites import load_profile

TURAN = "https://turan.az"


def turan_page(head: str = "", inner: str = "", lang: str = "en") -> str:
    return f"""<html lang="{lang}"><head><title>Title | Turan</title>{head}</head><body><div class="article">
    <div class="breadcrumbs"><a href="/{lang}">Home</a> / <a href="/{lang}/politics">Politics</a></div>
    {inner}<div class="maincontent"><p>Text.</p></div></div></body></html>"""


def test_turan_fields_from_the_profile_and_the_url() -> None:
    inner = """<h1 class="captxt">Talks &amp; more</h1>
    <div class="author">Author: <a href="/search?author=a">Ann Lee</a>, <a href="/search?author=b">Bob Ray</a></div>"""
    tags = '<div class="tags"><a href="/en/tag/a">Baku</a><a href="/en/tag/b">oil</a></div>'
    html = turan_page('<link rel="canonical" href="/en/politics/talks-779784">', inner + tags)
    article = parse_article(html, f"{TURAN}/en/politics/talks-779784?utm=x", load_profile("turan"))
    assert (article.title, article.authors, article.tags) == ("Talks & more", ["Ann Lee", "Bob Ray"], ["Baku", "oil"])
    assert (article.site, article.article_id, article.language, article.section) == (
        "turan",
        "779784",
        "en",
        "politics",
    )
    assert article.canonical_url == f"{TURAN}/en/politics/talks-779784"
    assert article.key == "turan:779784:en"


def test_urgent_title_idless_and_legacy_urls() -> None:
    profile = load_profile("turan")
    urgent = parse_article(
        turan_page(inner='<h1 class="urgcaptxt">Urgent</h1>'), f"{TURAN}/en/politics/urgent", profile
    )
    assert (urgent.title, urgent.article_id, urgent.section) == ("Urgent", None, "politics")
    legacy = parse_article(turan_page(lang="ru"), f"{TURAN}/ext/news/2021/7/free/politics_news/ru/5613.htm", profile)
    assert (legacy.article_id, legacy.language, legacy.section) == ("5613", "ru", "politics")


def test_no_authors_and_no_tags_are_empty_lists() -> None:
    article = parse_article(
        turan_page(inner='<h1 class="captxt">T</h1>'), f"{TURAN}/en/politics/t-779784", load_profile("turan")
    )
    assert (article.authors, article.tags) == ([], [])


def test_jsonld_and_opengraph_fields() -> None:
    data = {
        "@type": "NewsArticle", "headline": "From JSON-LD", "articleSection": ["Markets", "Energy"],
        "author": [{"@type": "Person", "name": "Anna Weber"}, "Tom Okafor"], "keywords": "oil, OPEC",
        "inLanguage": "en-GB", "mainEntityOfPage": {"@id": "https://x.example/markets/a"},
    }  # fmt: skip
    html = f"""<html><head><meta property="og:title" content="From OG">
    <script type="application/ld+json">{json.dumps(data)}</script></head><body><h1>From H1</h1></body></html>"""
    article = parse_article(html, "https://www.x.example/markets/a?ref=1")
    assert (article.title, article.section, article.tags) == ("From JSON-LD", "Markets", ["oil", "OPEC"])
    assert article.authors == ["Anna Weber", "Tom Okafor"]
    assert (article.language, article.canonical_url, article.site) == ("en", "https://x.example/markets/a", "x.example")


def test_meta_fields() -> None:
    html = """<html><head><meta property="og:title" content="OG title"><meta name="author" content="Jonas Keller">
    <meta property="article:section" content="Region"><meta property="article:tag" content="Rhein">
    <meta property="article:tag" content="Brücke"><meta property="og:locale" content="de_DE">
    <meta property="og:url" content="https://rb.example/a"></head><body></body></html>"""
    article = parse_article(html, "https://rb.example/a?x=1")
    assert (article.title, article.authors, article.section) == ("OG title", ["Jonas Keller"], "Region")
    assert (article.tags, article.language, article.canonical_url) == (
        ["Rhein", "Brücke"],
        "de",
        "https://rb.example/a",
    )


def test_page_markup_fields() -> None:
    html = """<html lang="en-US"><head><title>Story headline | The Daily Example</title></head><body>
    <p class="byline">By <a rel="author" href="/a">Jane Doe</a> and <a rel="author" href="/b">John Roe</a></p>
    <p><a rel="tag" href="/t/ports">ports</a> <a rel="category tag" href="/c/news">News</a></p>
    <div class="comment"><a rel="author" href="/c">Commenter</a></div></body></html>"""
    article = parse_article(html, "https://example.com/story")
    assert (article.title, article.language, article.tags) == ("Story headline", "en", ["ports"])
    assert article.authors == ["Jane Doe", "John Roe"]


def test_author_urls_are_not_names_and_bylines_lose_their_label() -> None:
    html = """<html><head><meta property="article:author" content="https://facebook.com/x"></head>
    <body><div class="byline">By Maria Lopez</div></body></html>"""
    assert parse_article(html, "https://x.example/a").authors == ["Maria Lopez"]


def test_missing_everything() -> None:
    article = parse_article("<html><body></body></html>", "https://x.example/a")
    assert (article.title, article.authors, article.section, article.language, article.canonical_url) == (
        None,
        [],
        None,
        None,
        None,
    )
