"""End to end: `newsarchive crawl --start URL` on the WordPress replica with no profile, compared with
the replica's ground truth; `--since` and `--max-pages` bound a crawl (the server's log shows it)."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from archive.read import get_article
from archive.search import DEFAULT_MIN_CONFIDENCE
from archive.store import Archive
from replica.wordpress import running_wordpress
from replica.wordpress.site import WordPressSite
from tests.conftest import newsarchive

pytestmark = pytest.mark.crawl  # every test here starts a real crawl (or a browser)

POSTS = 80
SEED = 5
FIELDS = ("title", "body", "published", "authors", "captions", "comments")


@dataclass
class Crawl:
    db: Path
    base: str
    site: WordPressSite
    truth: list[dict[str, Any]]
    output: str
    requests: list[tuple[str, str, int]]


def archived_articles(db: Path) -> dict[str, dict[str, Any]]:
    """The articles readers see: at the default confidence (a probable one is archived, less sure)."""
    with Archive.open(db, create=False) as archive:
        urls = [row[0] for row in archive.conn.execute("SELECT url FROM articles WHERE confidence >= ?",
                                                       (DEFAULT_MIN_CONFIDENCE,))]
        found = {url: get_article(archive, url) for url in urls}
    return {url: article for url, article in found.items() if article is not None}


def _comments(comments: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    flat: list[tuple[Any, ...]] = []
    for c in comments:
        flat.append((c["comment_id"], c["parent_id"], c["author"], c["published_raw"], c["text"]))
        flat.extend(_comments(c.get("replies", [])))
    return sorted(flat)


def field_right(name: str, truth: dict[str, Any], got: dict[str, Any]) -> bool:
    if name == "published":
        return got["published"] is not None and bool(
            datetime.fromisoformat(got["published"]) == datetime.fromisoformat(truth["published"])
        )
    if name == "captions":
        keys = ("image_url", "text", "credit", "credit_url")
        return bool([{k: c[k] for k in keys} for c in got["captions"]] == truth["captions"])
    if name == "comments":
        return _comments(got["comments"]) == _comments(truth["comments"])
    return bool(got[name] == truth[name])


def field_shares(truth: list[dict[str, Any]], archived: dict[str, dict[str, Any]]) -> dict[str, float]:
    """For each field, the share of the site's articles archived with that field right."""
    shares = {}
    for name in FIELDS:
        right = sum(1 for t in truth if t["url"] in archived and field_right(name, t, archived[t["url"]]))
        shares[name] = right / len(truth)
    return shares


def report(label: str, shares: dict[str, float]) -> str:
    return f"{label}: " + ", ".join(f"{k} {v:.1%}" for k, v in shares.items())


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    db = tmp_path_factory.mktemp("generic") / "archive.db"
    with running_wordpress(posts=POSTS, seed=SEED) as base:
        result = newsarchive("crawl", "--start", base + "/", "--db", str(db), "--quiet")
        assert result.returncode == 0, result.stdout + result.stderr
        yield Crawl(db, base, base.site, list(base.site.ground_truth(base)), result.stdout + result.stderr,
                    list(base.server.requests))


def test_every_article_archived_exactly_once(crawl: Crawl) -> None:
    archived = archived_articles(crawl.db)
    assert set(archived) == {t["url"] for t in crawl.truth}
    with sqlite3.connect(crawl.db) as conn:
        sure = "FROM articles WHERE confidence >= 0.9"
        assert conn.execute(f"SELECT count(*) {sure}").fetchone()[0] == POSTS
        assert conn.execute(f"SELECT count(DISTINCT key) {sure}").fetchone()[0] == POSTS
    fetched = Counter(path for _, path, status in crawl.requests if status == 200 and path in crawl.site.by_path)
    assert set(fetched) == set(crawl.site.by_path) and set(fetched.values()) == {1}  # each post fetched once


def test_fields_match_ground_truth(crawl: Crawl) -> None:
    shares = field_shares(crawl.truth, archived_articles(crawl.db))
    print("\n" + report("WordPress replica, no profile", shares))
    assert all(share >= 0.95 for share in shares.values()), report("no profile", shares)


def test_no_listing_or_page_archived_as_an_article(crawl: Crawl) -> None:
    with sqlite3.connect(crawl.db) as conn:
        articles = {row[0] for row in conn.execute("SELECT url FROM articles WHERE confidence >= ?",
                                                   (DEFAULT_MIN_CONFIDENCE,))}
        unsure = dict(conn.execute("SELECT url, confidence FROM articles WHERE confidence < ?",
                                   (DEFAULT_MIN_CONFIDENCE,)).fetchall())
        pages = {row[0] for row in conn.execute("SELECT url FROM pages")}
    not_posts = {crawl.base + p for p in crawl.site.listing_paths()} | {crawl.base + p.path for p in crawl.site.pages}
    assert not articles & not_posts
    # A static page that reads like an article (a long slug, prose, no date) is not dropped: it is kept,
    # hidden below the default confidence, because its URL has the shape of none of the site's posts.
    assert set(unsure) <= {crawl.base + p.path for p in crawl.site.pages}
    assert {crawl.base + p.path for p in crawl.site.pages} <= pages  # kept as pages all the same
    assert f"{crawl.base}/category/{crawl.site.categories[0].slug}/page/2/" in pages  # listings followed
    assert f"{crawl.base}/?s=budget" in pages and f"{crawl.base}/tag/budget/" in pages
    assert "not articles (pages kept, not archived as articles): 0" in crawl.output  # the long-slug page: unsure


def test_discovery_reads_robots_sitemaps_and_feeds(crawl: Crawl) -> None:
    # The captions' photos are asked on purpose (pipelines/media.py); no other asset is.
    photos = {i["image_url"][len(crawl.base):] for t in crawl.truth for i in t["images"]}
    paths = {path for _, path, _ in crawl.requests} - photos
    assert {"/robots.txt", "/sitemap_index.xml", "/news-sitemap.xml", "/post-sitemap.xml", "/feed/"} <= paths
    assert not any(p.startswith(("/wp-admin", "/wp-json", "/xmlrpc.php", "/wp-content")) for p in paths)
    assert not any("replytocom" in p or (p.endswith("/feed/") and p.count("/") > 3) for p in paths)


def test_since_skips_older_articles_without_requesting_them(tmp_path: Path) -> None:
    db = tmp_path / "since.db"
    with running_wordpress(posts=POSTS, seed=SEED) as base:
        site = base.site
        # A day in the middle of a gap of at least four days between two posts, newest third.
        newest = site.newest
        gaps = range(POSTS // 3, POSTS)
        i = next(i for i in gaps if newest[i - 1].published - newest[i].published >= timedelta(days=4))
        day = (newest[i].published + timedelta(days=2)).date()
        result = newsarchive("crawl", "--start", base + "/", "--since", day.isoformat(), "--db", str(db), "--quiet")
        assert result.returncode == 0, result.stdout + result.stderr
        requested = {path.split("?")[0].rstrip("/") for _, path, _ in base.server.requests}
    cutoff = datetime(day.year, day.month, day.day, tzinfo=UTC)
    old = [p for p in site.posts if p.last_modified < cutoff]
    new = [p for p in site.posts if p.published >= cutoff]
    assert len(old) >= POSTS // 2 and new
    assert [p.path for p in old if p.path.rstrip("/") in requested] == []
    assert set(archived_articles(db)) >= {base + p.path for p in new}


def test_max_pages_bounds_a_crawl(tmp_path: Path) -> None:
    db = tmp_path / "bounded.db"
    with running_wordpress(posts=POSTS, seed=SEED) as base:
        result = newsarchive("crawl", "--start", base + "/", "--max-pages", "15", "--db", str(db), "--quiet")
        # Pages only: the photos of the articles archived meanwhile are asked too (pipelines/media.py).
        served = sum(1 for _, path, _ in base.server.requests if not path.startswith("/wp-content/uploads/"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "closespider_pagecount" in result.stdout
    assert served < 50  # 15, what was in flight when the limit was reached, and robots.txt (a full crawl: ~190)


def test_max_pages_counts_pages_not_photos(tmp_path: Path) -> None:
    # One request at a time, so the pages served are the limit plus at most the one in flight.
    db = tmp_path / "bounded.db"
    with running_wordpress(posts=POSTS, seed=SEED) as base:
        result = newsarchive("crawl", "--start", base + "/", "--max-pages", "15", "--db", str(db), "--quiet",
                             "-s", "CONCURRENT_REQUESTS=1")
        paths = [path for _, path, _ in base.server.requests]
    assert result.returncode == 0, result.stdout + result.stderr
    photos = [p for p in paths if p.startswith("/wp-content/uploads/")]
    pages = [p for p in paths if not p.startswith("/wp-content/uploads/")]
    assert photos, "the bound must be reached with photos fetched, or this proves nothing"
    assert 15 <= len(pages) <= 17, (len(pages), len(photos))  # the 15 pages, one in flight, robots.txt


def test_depth_limits_link_hops_not_discovery(tmp_path: Path) -> None:
    db = tmp_path / "shallow.db"
    with running_wordpress(posts=POSTS, seed=SEED) as base:
        result = newsarchive("crawl", "--start", base + "/", "--depth", "1", "--db", str(db), "--quiet")
        paths = {path for _, path, _ in base.server.requests}
    assert result.returncode == 0, result.stdout + result.stderr
    assert "/category/politics/page/2/" not in paths  # two hops from the homepage
    assert len(archived_articles(db)) == POSTS  # sitemaps do not count as hops


# --- discovery and page type, without a crawl ---------------------------------------------------
NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?><?xml-stylesheet type="text/xsl" href="//x/s.xsl"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.example/2024/03/05/story/</loc><news:news><news:publication><news:name>N</news:name>
</news:publication><news:publication_date>2024-03-05T09:30:00+01:00</news:publication_date></news:news></url>
<url><loc>https://news.example/about/</loc><lastmod>2023-01-02</lastmod></url>
</urlset>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<entry><title>A</title><link rel="replies" href="/a/comments"/>
<link rel="alternate" href="/world/a-long-story-title-here"/>
<published>2024-01-01T10:00:00Z</published><updated>2024-02-01T10:00:00Z</updated></entry></feed>"""


def test_sitemaps_feeds_and_robots_are_read_with_their_dates() -> None:
    from scrapers.discovery import read_feed, read_sitemap, robots_sitemaps, sniff

    assert sniff(NEWS_SITEMAP) == "sitemap" and sniff(ATOM) == "feed" and sniff(b"<!DOCTYPE html><html>") == "html"
    kind, entries = read_sitemap(NEWS_SITEMAP)
    assert kind == "urlset"
    assert entries[0].news and entries[0].date == datetime(2024, 3, 5, 8, 30, tzinfo=UTC)
    assert not entries[1].news and entries[1].date == datetime(2023, 1, 2, tzinfo=UTC)
    (entry,) = read_feed(ATOM, "https://news.example/feed.xml")
    assert entry.url == "https://news.example/world/a-long-story-title-here"
    assert entry.date == datetime(2024, 2, 1, 10, 0, tzinfo=UTC)  # the newest date stated
    robots = b"User-agent: *\nDisallow: /wp-admin/\nSitemap: /news.xml\nsitemap: https://news.example/s.xml\n"
    assert robots_sitemaps(robots, "https://news.example/robots.txt") == [
        "https://news.example/news.xml", "https://news.example/s.xml",
    ]


def test_generic_url_patterns_tell_articles_from_listings() -> None:
    from scrapers.discovery import UrlClassifier, clean_url
    from scrapers.sites import load_profile

    classify = UrlClassifier(load_profile("generic")).classify
    articles = ["/2024/03/05/some-story/", "/news/2024-03-05/some-story.html", "/politics/some-title-779784",
                "/news/779784/some-title-here", "/article/12345.html", "/world/leaders-meet-in-baku-for-talks"]
    listings = ["/", "/category/politics/", "/tag/budget/page/2/", "/author/jane-doe/", "/2024/03/", "/page/3/",
                "/search/oil"]
    denied = ["/wp-admin/post.php", "/2024/03/05/some-story/feed/", "/wp-content/uploads/a.jpg", "/feed"]
    assert [classify(p) for p in articles] == ["article"] * len(articles)
    assert [classify(p) for p in listings] == ["listing"] * len(listings)
    assert [classify(p) for p in denied] == [None] * len(denied)
    assert classify("/about/") == "page"
    assert clean_url("https://x.example/a/?replytocom=5&utm_source=t&id=3#comments") == "https://x.example/a/?id=3"


def test_since_skips_by_date_and_by_dated_url() -> None:
    from scrapers.discovery import Since, parse_since

    since = Since(parse_since("2024-03-10"))
    assert since.too_old(datetime(2024, 3, 9, tzinfo=UTC)) and not since.too_old(None)
    assert since.url_too_old("https://x.example/2024/03/01/a/")
    assert not since.url_too_old("https://x.example/2024/03/09/a/")  # a day of margin for the timezone
    assert not since.url_too_old("https://x.example/politics/a-779784")
    with pytest.raises(ValueError, match="not a date"):
        parse_since("last week")


LISTING_PAGE = """<!DOCTYPE html><html lang="en"><head><title>World news</title>
<meta property="og:type" content="website"></head><body><main><h1>World</h1>{items}
<a rel="next" href="?page=2">More</a></main></body></html>"""
ARTICLE_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Leaders meet</title>
<meta property="article:published_time" content="2024-03-05T09:00:00Z"></head><body><main><article>
<h1>Leaders meet in Baku</h1><p class="byline">By Jane Doe, March 5, 2024</p>{paragraphs}</article>
<aside class="related"><h3><a href="/a">Other story one</a></h3><h3><a href="/b">Other story two</a></h3></aside>
</main></body></html>"""


def test_page_type_tells_an_article_from_a_listing_and_a_search_page() -> None:
    from scrapers.parsers.pagetype import page_type

    teaser = ('<article><h2><a href="/world/story-{n}-long-title">Story {n} with a long title</a></h2>'
              "<p>A short summary of the story, two lines at most, as lists show them.</p></article>")
    listing = LISTING_PAGE.format(items="".join(teaser.format(n=n) for n in range(12)))
    paragraph = "<p>" + "The talks went on for hours and ended with a statement on trade and energy. " * 4 + "</p>"
    article = ARTICLE_PAGE.format(paragraphs=paragraph * 6)
    assert page_type(article, "https://x.example/world/leaders-meet-in-baku").is_article
    found = page_type(listing, "https://x.example/world/")
    assert found.kind == "listing" and not found.is_article
    search = LISTING_PAGE.format(items="".join(teaser.format(n=n) for n in range(2))).replace("World", "Results")
    assert not page_type(search, "https://x.example/?s=baku+talks").is_article  # two results only
