"""The web search page ranked by the library (archive/web/reading.py), in real headless Chromium
over a real server (`newsarchive serve -s SEARCH_TOPK_...`): a broad query goes through the top-k
index beside the archive and the page says its order is approximate, with a link that ranks every
match; an exact answer says nothing; paging, filters and the JSON stay as they were; scraped text
stays inert on a page the library ranked."""

from __future__ import annotations

import asyncio
import html
import json
import urllib.parse
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from archive.search import Filters, count, search, search_info, topk
from archive.search.topk import TopK
from archive.store import Archive, ArticleRecord
from archive.web import build
from replica.site import ReplicaSite
from tests.test_web_hostile import serving
from tests.test_web_reading import open_page, result_ids, text_of
from tests.test_web_ui import FETCHED, IMG, MARKER, SCRIPT, DevTools, browser, get, hostile_article, truth_article

__all__ = ["browser"]  # the Chromium fixture of test_web_ui, used here too

pytestmark = pytest.mark.crawl  # a server and a browser

LOW = TopK(threshold=10, candidates=20)  # what the server is started with: small queries go top-k
SETTINGS = ("-s", f"SEARCH_TOPK_THRESHOLD={LOW.threshold}", "-s", f"SEARCH_TOPK_CANDIDATES={LOW.candidates}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    db = tmp_path_factory.mktemp("web-topk") / "archive.db"
    truth = [truth_article(t) for t in ReplicaSite(seed=7, articles=200).ground_truth("https://turan.az")]
    # 30 hostile articles: a broad query (over the threshold) whose page shows scraped payloads
    hostile = [replace(hostile_article(), url=f"https://news.example/en/politics/hostile-{i}", article_id=str(i),
                       comments=[]) for i in range(30)]
    with Archive.open(db) as archive:
        archive.write_batch(articles=[ArticleRecord(a, None, FETCHED) for a in [*truth, *hostile]])
        topk.rebuild(archive.conn)
    with serving(db, *SETTINGS) as base:
        yield base, db


def library(db: Path, q: str, **kwargs: object) -> tuple[list[int], bool, int | None]:
    with Archive.open(db, create=False, readonly=True) as archive:
        hits, info = search_info(archive, q, settings=LOW, **kwargs)  # type: ignore[arg-type]
    return [h.id for h in hits], info.exact, info.matches


def test_an_approximate_answer_says_so_and_links_the_exact_one(server: tuple[str, Path], browser: DevTools) -> None:
    base, db = server
    expected, exact, matches = library(db, "Baku", limit=20)
    assert not exact and matches and matches > LOW.candidates  # the library's answer is approximate
    open_page(browser, f"{base}/archive/search?q=Baku")
    assert result_ids(browser) == expected
    notice = text_of(browser, ".na-approximate")
    assert f"ranked among the {LOW.candidates} best candidates" in notice and f"of {matches:,} matches" in notice
    assert text_of(browser, ".na-count").startswith(f"results 1–20 of {matches:,}")
    # the exact ranking, one click away: every match ranked by FTS5, and no notice
    browser.load("document.querySelector('.na-approximate a.na-exact').click()")
    assert "exact=1" in browser.js("location.search")
    with Archive.open(db, create=False, readonly=True) as archive:
        assert result_ids(browser) == [h.id for h in search(archive, "Baku", limit=20, exact=True)]
    assert browser.js("document.querySelector('.na-approximate')") is None
    browser.load("document.querySelector('.na-next').click()")  # paging keeps the exact ranking
    assert "exact=1" in browser.js("location.search") and "offset=20" in browser.js("location.search")
    with Archive.open(db, create=False, readonly=True) as archive:
        assert result_ids(browser) == [h.id for h in search(archive, "Baku", limit=20, offset=20, exact=True)]


def test_an_exact_answer_says_nothing(server: tuple[str, Path], browser: DevTools) -> None:
    base, db = server
    # under the threshold; over it but every match a candidate; a filter; a prefix: each exact
    for q, args in (("Erdogan", ""), ("Putin", ""), ("Baku", "&lang=en"), ("Bak*", "")):
        with Archive.open(db, create=False, readonly=True) as archive:
            filters = Filters(lang="en") if args else Filters()
            expected = [h.id for h in search(archive, q, filters, limit=20, exact=True)]
            assert search_info(archive, q, filters, limit=20, settings=LOW)[1].exact, q
        open_page(browser, f"{base}/archive/search?q={urllib.parse.quote(q)}{args}")
        assert result_ids(browser) == expected and expected, q
        assert browser.js("document.querySelector('.na-approximate')") is None, q


def test_paging_walks_the_candidates_then_the_other_matches(server: tuple[str, Path], browser: DevTools) -> None:
    base, db = server
    open_page(browser, f"{base}/archive/search?q=Baku&limit=10")
    with Archive.open(db, create=False, readonly=True) as archive:
        total = count(archive, "Baku")
    for offset in (0, 10, 20):
        expected, exact, _ = library(db, "Baku", limit=10, offset=offset)
        assert result_ids(browser) == expected
        assert text_of(browser, ".na-count").startswith(f"results {offset + 1}–{offset + 10} of {total:,}")
        # past the candidates the pages go on with the other matches in FTS5's order, still approximate
        assert (browser.js("document.querySelector('.na-approximate')") is None) == exact
        browser.load("document.querySelector('.na-next').click()")


def test_the_json_is_still_the_canned_sql(server: tuple[str, Path]) -> None:
    base, db = server
    status, text = get(f"{base}/archive/search.json?q=Baku&limit=20&_shape=array")
    assert status == 200, text
    with Archive.open(db, create=False, readonly=True) as archive:
        assert [r["id"] for r in json.loads(text)] == [h.id for h in search(archive, "Baku", limit=20, exact=True)]


def test_payloads_stay_inert_on_a_page_the_library_ranked(server: tuple[str, Path], browser: DevTools) -> None:
    base, db = server
    assert not library(db, MARKER)[1]  # 30 matches: ranked through the top-k index
    open_page(browser, f"{base}/archive/search?q={MARKER}")
    assert browser.js("document.querySelectorAll('.na-result').length") == 20
    assert browser.js("document.querySelector('.na-approximate') !== null")
    assert browser.js("typeof window.__pwned") == "undefined" and browser.js("document.title") != "pwned"
    assert browser.js("document.querySelectorAll('.na-result img, .na-result script').length") == 0
    text = browser.js("document.body.innerText")
    assert SCRIPT in text and IMG in text
    assert browser.js("document.querySelectorAll('.na-result mark').length") >= 20  # the marker, marked


def test_the_page_does_not_rank_every_match_a_second_time(server: tuple[str, Path]) -> None:
    """The canned query's own SQL returns nothing on the page the library ranks (its context, with
    Datasette's template_debug), and its rows everywhere else."""
    _, db = server

    async def context(datasette: Any, path: str) -> dict[str, Any]:
        await datasette.invoke_startup()
        response = await datasette.client.get(path)
        assert response.status_code == 200, response.text
        shown = response.text.strip().removeprefix("<pre>").removesuffix("</pre>")
        return dict(json.loads(html.unescape(shown)))  # the template's context, as JSON

    datasette = build(db, settings={"template_debug": True}, topk=LOW)
    page = asyncio.run(context(datasette, "/archive/search?q=Baku&_context=1"))
    expected, _, _ = library(db, "Baku", limit=20)
    assert page["rows"] == [] and [r["id"] for r in page["newsarchive_rows"]] == expected
    grouped = asyncio.run(context(datasette, "/archive/search?q=Baku&group=1&_context=1"))
    assert len(grouped["rows"]) == 20 and "newsarchive_rows" not in grouped  # grouping reads the SQL's rows
