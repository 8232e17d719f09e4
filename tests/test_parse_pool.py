"""The parse pipeline's worker pool with real pages of the replica: results equal to an in-process
parse, the size and time limits as failures with their reasons, a stuck worker killed and replaced."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from pipelines.parse import ParseArticlePipeline, ParsePool
from replica.server import running_replica
from scrapers.items import FailureItem, PageItem
from scrapers.parsers import parse_article
from scrapers.sites import load_profile


@pytest.fixture(scope="module")
def pages() -> Iterator[list[PageItem]]:
    with running_replica(articles=12, seed=5) as base:
        items = []
        for truth in list(base.site.ground_truth(base))[:6]:
            with urllib.request.urlopen(truth["url"]) as response:
                items.append(PageItem(
                    url=truth["url"], status=200, headers={}, body=response.read(), fetched_at=datetime.now(UTC),
                    kind="article", content_type=response.headers.get("Content-Type"),
                ))
        yield items


def pipeline(workers: int, timeout: float = 20.0, max_bytes: int = 5 << 20) -> ParseArticlePipeline:
    pipe = ParseArticlePipeline(None, None, workers=workers, timeout=timeout, max_bytes=max_bytes)
    pipe.profile = load_profile("turan")
    if workers:
        pipe.pool = ParsePool(workers, pipe.profile)
    return pipe


def run_all(pipe: ParseArticlePipeline, items: list[PageItem]) -> list[Any]:
    async def go() -> list[Any]:
        return list(await asyncio.gather(*(pipe.process_item(item) for item in items)))

    try:
        return asyncio.run(go())
    finally:
        pipe.close_spider()


def copies(items: list[PageItem]) -> list[PageItem]:
    return [PageItem(i.url, i.status, i.headers, i.body, i.fetched_at, i.kind, content_type=i.content_type)
            for i in items]


def test_the_pool_parses_like_the_process(pages: list[PageItem]) -> None:
    done = run_all(pipeline(workers=2), copies(pages))
    profile = load_profile("turan")
    assert [d.article for d in done] == [
        parse_article(p.body, p.url, profile, content_type=p.content_type) for p in pages
    ]
    in_process = run_all(pipeline(workers=0), copies(pages))
    assert [d.article for d in in_process] == [d.article for d in done]


def test_other_items_pass_untouched(pages: list[PageItem]) -> None:
    listing = copies(pages[:1])[0]
    listing.kind = "listing"
    assert run_all(pipeline(workers=1), [listing]) == [listing] and listing.article is None


@pytest.mark.parametrize("workers", [0, 1])
def test_a_page_over_the_size_limit_is_too_large(pages: list[PageItem], workers: int) -> None:
    small = min(len(p.body) for p in pages)
    done = run_all(pipeline(workers, max_bytes=small - 1), copies(pages[:2]))
    assert [type(d) for d in done] == [FailureItem, FailureItem]
    assert {d.reason for d in done} == {"too_large"}
    assert all(d.page is not None and d.page.body for d in done)  # the raw page is still archived


@pytest.mark.parametrize("workers", [0, 2])
def test_a_parse_over_the_time_limit_is_a_timeout(pages: list[PageItem], workers: int) -> None:
    done = run_all(pipeline(workers, timeout=1e-6), copies(pages[:3]))
    assert {d.reason for d in done if isinstance(d, FailureItem)} == {"parse_timeout"}
    assert all(isinstance(d, FailureItem) for d in done)


def test_a_worker_over_the_time_limit_is_killed_alone_and_replaced(pages: list[PageItem]) -> None:
    pipe = pipeline(workers=2, timeout=30.0)
    assert pipe.pool is not None
    pool = pipe.pool
    before = set(pool.pids())

    async def go() -> list[Any]:
        first = await pipe.process_item(copies(pages[:1])[0])  # warm: both workers up
        pipe.timeout = 1e-6  # the next page is "stuck": its worker is killed in the middle of it
        timed_out = await pipe.process_item(copies(pages[1:2])[0])
        pipe.timeout = 30.0
        rest = await asyncio.gather(*(pipe.process_item(p) for p in copies(pages[2:])))
        return [first, timed_out, *rest]

    try:
        first, timed_out, *rest = asyncio.run(go())
        after = set(pool.pids())
        assert pool.restarts == 1
        assert len(before - after) == 1 and len(after - before) == 1  # one worker replaced, the other kept
        (killed,) = before - after
        with pytest.raises(ProcessLookupError):
            os.kill(killed, 0)  # gone and reaped, not left running
    finally:
        pipe.close_spider()
    assert first.article is not None
    assert isinstance(timed_out, FailureItem) and timed_out.reason == "parse_timeout"
    assert timed_out.page is not None
    assert all(isinstance(r, PageItem) and r.article is not None for r in rest)  # the crawl goes on
    assert all(not_running(pid) for pid in after)  # close() ends every worker


def not_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


LISTING = "<html><head><title>World</title></head><body><h1>World</h1>" + "".join(
    f'<article><h2><a href="/world/story-{i}">Story number {i} of the day</a></h2><p>A short teaser.</p></article>'
    for i in range(12)
) + '<a rel="next" href="/world?page=2">Next</a></body></html>'


@pytest.mark.parametrize("workers", [0, 2])
def test_candidates_are_checked_on_the_tree_they_are_parsed_from(pages: list[PageItem], workers: int) -> None:
    listing = PageItem(url="https://x.example/world/latest", status=200, headers={}, body=LISTING.encode(),
                       fetched_at=datetime.now(UTC), kind="article", confirm_article=True)
    article = copies(pages[:1])[0]
    article.confirm_article = True
    unconfirmed = PageItem(url=listing.url, status=200, headers={}, body=listing.body, fetched_at=listing.fetched_at,
                           kind="article")
    done = run_all(pipeline(workers), [listing, article, unconfirmed])
    assert done[0] is listing and listing.kind == "listing" and listing.article is None
    expected = parse_article(article.body, article.url, load_profile("turan"), content_type=article.content_type)
    got = done[1].article
    assert got is not None and got.page_type == "article" and got.confidence >= 0.9  # checked, and sure
    assert dataclasses.replace(got, confidence=expected.confidence) == expected
    assert done[2].kind == "article" and done[2].article is not None  # no check asked: parsed as told
