"""The WordPress replica: deterministic, its pages keep the WordPress markup contract, its sitemaps,
feeds and listings reach every post, and its ground truth agrees with what it serves (checked with
plain XPath, never with the project's parsers)."""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.request
from datetime import datetime
from typing import Any

import pytest
from parsel import Selector

from replica.wordpress import WordPressSite, running_wordpress
from replica.wordpress.routes import respond
from replica.wordpress.site import PER_PAGE
from tests.conftest import ROOT

BASE = "http://127.0.0.1:8766"


@pytest.fixture(scope="module")
def site() -> WordPressSite:
    return WordPressSite(seed=3, posts=60)


@pytest.fixture(scope="module")
def truth(site: WordPressSite) -> list[dict[str, Any]]:
    return list(site.ground_truth(BASE))


def get(site: WordPressSite, path: str) -> tuple[int, str, dict[str, str]]:
    path, _, query = path.partition("?")
    response = respond(site, path, query, BASE)
    return response.status, response.body.decode(), response.headers


def test_same_seed_same_site(site: WordPressSite) -> None:
    again = WordPressSite(seed=3, posts=60)
    post = site.posts[17]
    assert get(again, post.path) == get(site, post.path)
    assert [p.path for p in again.posts] == [p.path for p in site.posts]
    assert [p.path for p in WordPressSite(seed=4, posts=60).posts] != [p.path for p in site.posts]


def test_post_urls_are_dated_permalinks(site: WordPressSite) -> None:
    for post in site.posts:
        assert re.fullmatch(r"/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/", post.path)
        assert post.path[1:11].replace("/", "-") == post.published.date().isoformat()
    assert len({p.path for p in site.posts}) == len(site.posts)


def test_post_page_matches_its_truth(site: WordPressSite, truth: list[dict[str, Any]]) -> None:
    for post, expected in zip(site.posts, truth, strict=True):
        status, html, _ = get(site, post.path)
        assert status == 200
        page = Selector(text=html)
        assert page.css("h1.entry-title::text").get() == expected["title"]
        assert page.css("link[rel=canonical]::attr(href)").get() == expected["url"]
        assert page.css("time.entry-date.published::attr(datetime)").get() == expected["published"]
        assert page.css(".byline .author a::text").getall() == expected["authors"]
        ids = page.css("ol.commentlist li.comment::attr(id)").getall()
        assert ids == [f"comment-{c['comment_id']}" for c in expected["comments"]]
        for comment in expected["comments"]:
            item = page.css(f"li#comment-{comment['comment_id']}")
            assert item.css(".comment-metadata time::text").get() == comment["published_raw"]
            parent = item.xpath("ancestor::li[contains(@class, 'comment')][1]/@id").get()
            assert parent == (f"comment-{comment['parent_id']}" if comment["parent_id"] else None)
        images = page.css(".entry-content img[class*=wp-image-]::attr(src)").getall()
        assert images == [c["image_url"] for c in expected["captions"]]


def test_the_replica_has_every_kind_of_page(site: WordPressSite, truth: list[dict[str, Any]]) -> None:
    """Guards the crawl tests: they must meet each markup the replica stands for."""
    markups = {p.markup for p in site.posts}
    assert markups == {"yoast", "jetpack", "bare"}
    styles = {f.style for p in site.posts for f in p.figures}
    assert styles == {"classic", "html5", "block"}
    assert any(c["parent_id"] for t in truth for c in t["comments"])  # threads
    assert any(c["credit"] for t in truth for c in t["captions"])
    assert any(len(t["authors"]) > 1 for t in truth)
    assert any(t["modified"] for t in truth)
    assert any(b.kind == "readmore" for p in site.posts for b in p.blocks)
    assert any(p.share for p in site.posts)
    jsonld = ['application/ld+json' in get(site, p.path)[1] for p in site.posts]
    assert any(jsonld) and not all(jsonld)


def test_sitemaps_list_every_post_once_with_dates(site: WordPressSite) -> None:
    status, robots, _ = get(site, "/robots.txt")
    assert status == 200 and f"Sitemap: {BASE}/sitemap_index.xml" in robots
    index = Selector(text=get(site, "/sitemap_index.xml")[1], type="xml")
    index.remove_namespaces()
    children = index.xpath("//sitemap/loc/text()").getall()
    assert f"{BASE}/news-sitemap.xml" in children and len(index.xpath("//sitemap/lastmod")) == len(children)
    listed: list[str] = []
    for child in children:
        doc = Selector(text=get(site, child.removeprefix(BASE))[1], type="xml")
        doc.remove_namespaces()
        if "post-sitemap" in child:
            listed += doc.xpath("//url/loc/text()").getall()
            assert len(doc.xpath("//url/lastmod")) == len(doc.xpath("//url"))
        if "news-sitemap" in child:
            dates = doc.xpath("//news/publication_date/text()").getall()
            assert dates and all(datetime.fromisoformat(d) for d in dates)
    assert sorted(listed) == sorted(BASE + p.path for p in site.posts)
    assert get(site, "/sitemap.xml")[2]["Location"] == f"{BASE}/sitemap_index.xml"


def test_feed_and_autodiscovery(site: WordPressSite) -> None:
    home = Selector(text=get(site, "/")[1])
    feeds = home.css('link[rel=alternate][type="application/rss+xml"]::attr(href)').getall()
    assert f"{BASE}/feed/" in feeds
    feed = Selector(text=get(site, "/feed/")[1], type="xml")
    links = feed.xpath("//item/link/text()").getall()
    assert links == [BASE + p.path for p in site.newest[: len(links)]] and len(links) == 10
    assert len(feed.xpath("//item/pubDate")) == 10


def test_listings_paginate_and_are_not_posts(site: WordPressSite) -> None:
    for path in site.listing_paths():
        status, html, _ = get(site, path)
        assert status == 200, path
        page = Selector(text=html)
        assert page.css("body.single").get() is None
        assert len(page.css("main article")) <= PER_PAGE
    category = site.categories[0]
    posts = site.archive("category", category.slug) or []
    last = site.page_count(posts)
    assert get(site, f"/category/{category.slug}/page/{last}/")[0] == 200
    assert get(site, f"/category/{category.slug}/page/{last + 1}/")[0] == 404
    assert get(site, "/tag/no-such-tag/")[0] == 404


def test_redirects_and_missing_pages(site: WordPressSite) -> None:
    post = site.posts[5]
    assert get(site, post.path.rstrip("/"))[2]["Location"] == BASE + post.path
    assert get(site, f"/?p={post.post_id}")[2]["Location"] == BASE + post.path
    assert get(site, "/2020/01/01/nothing-here/")[0] == 404
    assert get(site, "/nothing/")[0] == 404


def test_server_logs_every_request() -> None:
    with running_wordpress(posts=12, seed=2) as base:
        post = base.site.posts[0]
        with urllib.request.urlopen(base + post.path) as response:
            assert response.status == 200
        with urllib.request.urlopen(base + post.path.rstrip("/")) as response:  # follows the 301
            assert response.url == base + post.path
        assert base.server.requests == [
            ("GET", post.path, 200), ("GET", post.path.rstrip("/"), 301), ("GET", post.path, 200),
        ]


def test_serve_command_serves_the_wordpress_replica() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "replica", "serve", "--kind", "wordpress", "--port", "0",
         "--articles", "5"],
        cwd=ROOT, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stderr is not None
        line = ""
        for _ in range(5):
            line = process.stderr.readline()
            if "Serving" in line:
                break
        url = re.search(r"(http://\S+?)/? ", line)
        assert url, line
        with urllib.request.urlopen(url[1] + "/robots.txt") as response:
            assert b"sitemap_index.xml" in response.read()
    finally:
        process.terminate()
        process.wait(timeout=10)
