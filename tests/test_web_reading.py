"""The web UI for reading: paged search, other-language versions, grouped results, plurals, and an
article's versions and history, over real HTTP and in real headless Chromium.

The archive is written from replica pages parsed with the turan profile (so hreflang links and
story ids are the parser's), plus a story in two languages whose titles carry script and onerror
payloads, and an article edited once with a comment added later.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from archive.search import Filters, count, search
from archive.store import Archive, ArticleRecord
from archive.translations import grouped_search
from scrapers.parsers.article import Article, Comment
from tests.test_translations import FETCHED, parsed_replica
from tests.test_web_hostile import serving
from tests.test_web_ui import IMG, MARKER, SCRIPT, DevTools, browser, get

__all__ = ["browser"]  # the Chromium fixture of test_web_ui, used here too

pytestmark = pytest.mark.crawl  # a server and a browser

HOSTILE_EN = "https://news.example/en/politics/hostile-7"
HOSTILE_RU = "https://news.example/ru/politics/hostile-7"
EDITED = "https://news.example/en/politics/edited-8"


def hostile_story() -> list[Article]:
    common: dict[str, Any] = {"site": "news.example", "section": "politics",
                              "published": datetime(2024, 5, 1, tzinfo=UTC)}
    en = Article(url=HOSTILE_EN, language="en", title=f"Aliyev {MARKER} {SCRIPT}", body=f"Aliyev and {MARKER}.",
                 alternates={"ru": HOSTILE_RU}, comments=[Comment("c1", None, "Ann", None, None, "One comment.")],
                 **common)
    ru = Article(url=HOSTILE_RU, language="ru", title=f"Алиев {MARKER} {IMG}", body=f"Алиев и {MARKER}.",
                 alternates={"en": HOSTILE_EN}, **common)
    return [en, ru]


def edited(version: int) -> Article:
    comments = [Comment("e1", None, "Bob", None, None, "First comment.")]
    if version == 2:
        comments.append(Comment("e2", "e1", "Eve", None, None, f"A reply {SCRIPT}"))
    return Article(url=EDITED, site="news.example", language="en", section="economy", title="Budget passes",
                   body="The budget passed." if version == 1 else f"The budget passed, amended {SCRIPT}.",
                   published=datetime(2024, 6, 1, tzinfo=UTC), comments=comments)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    db = tmp_path_factory.mktemp("reading") / "archive.db"
    with Archive.open(db) as archive:
        records = [ArticleRecord(a, None, FETCHED) for a in [*parsed_replica(), *hostile_story(), edited(1)]]
        archive.write_batch(articles=records)
        archive.write_batch(articles=[ArticleRecord(edited(2), None, FETCHED + timedelta(days=1))])
    with serving(db) as base:
        yield base, db


def open_page(browser: DevTools, url: str) -> None:
    browser.load(f"location.href = {json.dumps(url)}")


def result_ids(browser: DevTools) -> list[int]:
    return [int(h.split("/")[-1].split("?")[0]) for h in
            browser.js("[...document.querySelectorAll('.na-result .na-title a')].map(a => a.getAttribute('href'))")]


def text_of(browser: DevTools, selector: str) -> str:
    return str(browser.js(f"(document.querySelector({json.dumps(selector)}) || {{}}).innerText || ''")).strip()


def archive_of(db: Path) -> Archive:
    return Archive.open(db, create=False, readonly=True)


# --- paging -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["search", "search_by_date"])
def test_next_and_previous_walk_the_one_ranked_list(server: tuple[str, Path], browser: DevTools, name: str) -> None:
    base, db = server
    with archive_of(db) as archive:
        sort = "date" if name == "search_by_date" else "relevance"
        expected = [h.id for h in search(archive, "Aliyev", Filters(), limit=1000, sort=sort)]
        total = count(archive, "Aliyev", Filters())
    assert total == len(expected) > 12
    open_page(browser, f"{base}/archive/{name}?q=Aliyev&limit=5")
    seen: list[int] = []
    first_page = result_ids(browser)
    while True:
        n = len(seen)
        assert text_of(browser, ".na-count").startswith(f"results {n + 1}–{min(n + 5, total)} of {total}")
        assert browser.js("document.querySelector('.na-results').start") == n + 1
        seen += result_ids(browser)
        if not browser.js("document.querySelector('.na-next') !== null"):
            break
        browser.load("document.querySelector('.na-next').click()")
    assert seen == expected  # every result once, in order, nothing skipped or repeated
    while browser.js("document.querySelector('.na-previous') !== null"):
        browser.load("document.querySelector('.na-previous').click()")
    assert result_ids(browser) == first_page and "offset=0" in browser.js("location.search")
    # past the last page: said, with the way back
    open_page(browser, f"{base}/archive/{name}?q=Aliyev&limit=5&offset={total + 10}")
    assert text_of(browser, ".zero-results") == f"No results on this page: {total} results in all."
    browser.load("document.querySelector('.na-previous').click()")
    assert result_ids(browser) == first_page


def test_the_json_pages_the_same_way(server: tuple[str, Path]) -> None:
    base, db = server
    pages: list[int] = []
    for offset in range(0, 60, 7):
        qs = urllib.parse.urlencode({"q": "Aliyev", "limit": 7, "offset": offset, "_shape": "array"})
        status, text = get(f"{base}/archive/search.json?{qs}")
        assert status == 200, text
        pages += [r["id"] for r in json.loads(text)]
    with archive_of(db) as archive:
        assert pages == [h.id for h in search(archive, "Aliyev", Filters(), limit=1000)]


def test_one_result_is_singular(server: tuple[str, Path], browser: DevTools) -> None:
    base, _ = server
    open_page(browser, f"{base}/archive/search?q={MARKER}&lang=en")
    assert text_of(browser, ".na-count").startswith("1 result ·")
    assert text_of(browser, ".na-result .na-comment-count") == "1 comment"
    assert browser.js("document.querySelector('.na-pager')") is None


# --- other-language versions --------------------------------------------------------------------


def test_also_in_links_go_to_the_other_versions_and_back(server: tuple[str, Path], browser: DevTools) -> None:
    base, db = server
    with archive_of(db) as archive:
        story = archive.conn.execute(
            "SELECT article_id FROM articles WHERE site = 'turan' AND article_id IS NOT NULL "
            "GROUP BY article_id HAVING count(*) = 3 ORDER BY article_id LIMIT 1").fetchone()[0]
        versions = dict(archive.conn.execute(
            "SELECT language, id FROM articles WHERE site = 'turan' AND article_id = ?", (story,)).fetchall())
    names = {"az": "Azərbaycanca", "en": "English", "ru": "Русский"}
    for lang, article_id in versions.items():
        open_page(browser, f"{base}/archive/articles/{article_id}")
        links = browser.js("[...document.querySelectorAll('.na-also a')].map(a => [a.hreflang, a.textContent])")
        assert links == sorted([lang_, names[lang_]] for lang_ in versions if lang_ != lang)
        other = links[0][0]
        browser.load(f"document.querySelector('.na-also a[hreflang={other}]').click()")
        assert browser.js("location.pathname") == f"/archive/articles/{versions[other]}"
        assert lang in browser.js("[...document.querySelectorAll('.na-also a')].map(a => a.hreflang)")


def test_group_translations_shows_each_story_once(server: tuple[str, Path], browser: DevTools) -> None:
    base, db = server
    with archive_of(db) as archive:
        ranked = [h.id for h in search(archive, "Aliyev", Filters(), limit=1000)]
        expected = [s.hit.id for o in range(0, 200, 10)
                    for s in grouped_search(archive, "Aliyev", Filters(), limit=10, offset=o).stories]
    open_page(browser, f"{base}/archive/search?q=Aliyev")
    browser.load("document.querySelector('input[name=group]').checked = true;"
                 "document.querySelector('.na-search-form input[type=submit]').click()")
    assert "group=1" in browser.js("location.search")
    leads: list[int] = []
    members: list[int] = []
    while True:
        assert text_of(browser, ".na-count").startswith(f"stories {len(leads) + 1}–")
        leads += result_ids(browser)
        members += browser.js(
            "[...document.querySelectorAll('.na-story')].flatMap(s => [s.querySelector('.na-title a'),"
            " ...s.querySelectorAll('.na-also a')].map(a => parseInt(a.getAttribute('href').split('/').pop())))")
        if not browser.js("document.querySelector('.na-next') !== null"):
            break
        browser.load("document.querySelector('.na-next').click()")
    assert leads == expected and len(leads) < len(ranked)
    assert len(members) == len(set(members)) and set(ranked) <= set(members)
    open_page(browser, f"{base}/archive/search?q={MARKER}&group=1")
    assert browser.js("document.querySelectorAll('.na-story').length") == 1
    assert text_of(browser, ".na-story .na-also a") in ("English", "Русский")
    assert browser.js("typeof window.__pwned") == "undefined" and browser.js("document.title") != "pwned"


# --- the article page: plurals, versions, history, escaping ---------------------------------------


def article_id_of(db: Path, url: str) -> int:
    with archive_of(db) as archive:
        return int(archive.conn.execute("SELECT id FROM articles WHERE url = ?", (url,)).fetchone()[0])


def test_article_shows_its_versions_and_comment_history(server: tuple[str, Path], browser: DevTools) -> None:
    base, db = server
    open_page(browser, f"{base}/archive/articles/{article_id_of(db, EDITED)}")
    assert text_of(browser, "#comments") == "2 comments"
    assert text_of(browser, ".na-versions") == "2 versions archived (the text changed 1 time)."
    events = browser.js("[...document.querySelectorAll('.na-event')].map(e => e.className.split('na-event-')[1])")
    assert events == ["first_archived", "comments", "changed", "comments"]
    summaries = browser.js("[...document.querySelectorAll('.na-event')].map(e => e.textContent)")
    assert "1 comment archived with the article" in summaries[1] and "1 comment added" in summaries[3]
    diff = text_of(browser, ".na-event-changed .na-diff")
    assert "amended" in diff and "<script>" in diff  # the scraped diff as text
    assert browser.js("typeof window.__pwned") == "undefined"
    assert browser.js("document.querySelectorAll('.na-history script, .na-also script').length") == 0


def test_hostile_version_titles_stay_text(server: tuple[str, Path], browser: DevTools) -> None:
    base, db = server
    en = article_id_of(db, HOSTILE_EN)
    open_page(browser, f"{base}/archive/articles/{en}")
    assert text_of(browser, "#comments") == "1 comment"
    title = browser.js("document.querySelector('.na-also a').title")
    assert MARKER in title and "onerror=" in title  # the Russian title, as an attribute's text
    browser.load("document.querySelector('.na-also a').click()")
    assert browser.js("document.querySelectorAll('.na-article img, .na-article script').length") == 0
    assert "onerror=" in text_of(browser, "h1") and browser.js("typeof window.__pwned") == "undefined"
    status, html = get(f"{base}/archive/articles/{en}")
    assert status == 200 and SCRIPT not in html and IMG not in html

