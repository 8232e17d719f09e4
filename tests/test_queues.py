"""The compact scheduler queue: a waiting request comes back as the request that went in."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import scrapy
from scrapy import Request
from scrapy.utils.test import get_crawler

from scrapers.queues import CompactLifoMemoryQueue


class Spider(scrapy.Spider):
    name = "q"

    def parse(self, response: Any) -> None: ...

    def on_error(self, failure: Any) -> None: ...


def queue(spill_after: int | None = None) -> tuple[CompactLifoMemoryQueue, Spider]:
    crawler = get_crawler(Spider, {"SCHEDULER_SPILL_AFTER": spill_after} if spill_after is not None else None)
    spider = Spider()
    crawler.spider = spider
    return CompactLifoMemoryQueue.from_crawler(crawler), spider


def same(one: Request, two: Request) -> bool:
    return (
        one.url, one.callback, one.errback, one.priority, one.dont_filter, one.meta, dict(one.headers), one.method,
    ) == (two.url, two.callback, two.errback, two.priority, two.dont_filter, two.meta, dict(two.headers), two.method)


def test_plain_requests_are_stored_as_tuples_and_come_back_equal_last_in_first_out() -> None:
    q, spider = queue()
    first = Request("https://x.example/a", callback=spider.parse, errback=spider.on_error, priority=3,
                    meta={"kind": "article", "depth": 2}, headers={"Referer": "https://x.example/"})
    second = Request("https://x.example/b", dont_filter=True)
    q.push(first)
    q.push(second)
    assert all(isinstance(item, tuple) for item in q.q)
    assert len(q) == 2
    peeked = q.peek()
    assert peeked is not None and same(peeked, second)
    popped = q.pop()
    assert popped is not None and same(popped, second)
    popped = q.pop()
    assert popped is not None and same(popped, first)
    assert popped.meta is not first.meta  # a copy, as Request.replace makes
    assert q.pop() is None and len(q) == 0


def test_requests_that_are_not_plain_are_kept_as_they_are() -> None:
    q, spider = queue()
    odd = [
        Request("https://x.example/p", method="POST", body=b"x"),
        Request("https://x.example/c", cookies={"a": "b"}),
        Request("https://x.example/h", headers={"Accept": "text/html"}),
        Request("https://x.example/k", callback=spider.parse, cb_kwargs={"n": 1}),
        Request("https://x.example/l", callback=lambda response: None),
        scrapy.FormRequest("https://x.example/f", formdata={"a": "b"}),
    ]
    for request in odd:
        q.push(request)
    assert all(isinstance(item, Request) for item in q.q)
    assert [q.pop() for _ in odd] == list(reversed(odd))  # the very same objects


def test_a_long_queue_spills_its_older_half_to_disk_and_keeps_the_lifo_order() -> None:
    q, spider = queue(spill_after=10)
    pushed = []
    for n in range(57):
        request = Request(f"https://x.example/{n}", callback=spider.parse, meta={"n": n},
                          headers={"Referer": "https://x.example/"})
        if n % 7 == 0:  # not plain: kept as a Request, spilled the way Scrapy's disk queues store it
            request = Request(f"https://x.example/{n}", callback=spider.parse, meta={"n": n},
                              headers={"If-None-Match": f'"{n}"'})
        q.push(request)
        pushed.append(request)
        assert len(q.q) <= 10  # memory holds at most spill_after entries
        assert len(q) == n + 1
    assert q.crawler.stats is not None and q.crawler.stats.get_value("scheduler/spilled") >= 45
    # Interleaved: pop a few, push more, pop everything; the order is a stack's.
    popped = [q.pop() for _ in range(3)]
    expected = list(reversed(pushed))
    more = Request("https://x.example/late", callback=spider.parse)
    q.push(more)
    rest = [q.pop() for _ in range(len(q))]
    assert q.pop() is None and len(q) == 0
    assert all(r is not None for r in popped + rest)
    assert all(same(a, b) for a, b in zip(popped + rest, [*expected[:3], more, *expected[3:]], strict=True))
    assert rest[-1] is not None and rest[-1].meta == {"n": 0} and rest[-1].headers[b"If-None-Match"] == b'"0"'


def test_peek_brings_back_a_spilled_chunk() -> None:
    q, spider = queue(spill_after=4)
    for n in range(5):
        q.push(Request(f"https://x.example/{n}", callback=spider.parse))
    while len(q.q):
        q.q.pop()  # empty the memory part only: what is left is on disk
    assert len(q) == 2
    peeked = q.peek()
    assert peeked is not None and peeked.url == "https://x.example/1"
    assert [r.url for r in (q.pop(), q.pop()) if r is not None] == ["https://x.example/1", "https://x.example/0"]


def test_a_request_that_cannot_be_stored_keeps_the_queue_in_memory() -> None:
    q, spider = queue(spill_after=4)
    odd = Request("https://x.example/lambda", callback=lambda response: None)
    q.push(odd)
    for n in range(9):
        q.push(Request(f"https://x.example/{n}", callback=spider.parse))
    assert len(q.q) == 10 and q._file is None  # nothing spilled, nothing lost
    assert [r.url for r in (q.pop() for _ in range(10)) if r is not None][-1] == odd.url


def test_spilling_is_off_at_zero() -> None:
    q, spider = queue(spill_after=0)
    for n in range(50):
        q.push(Request(f"https://x.example/{n}", callback=spider.parse))
    assert len(q.q) == 50 and q._file is None


@pytest.mark.crawl
def test_a_crawl_that_spills_its_queue_archives_every_article_once(tmp_path: Path) -> None:
    from replica.server import running_replica
    from tests.conftest import newsarchive

    with running_replica(articles=150, seed=7) as base:
        done = newsarchive("crawl", "turan", "--base-url", base, "--db", str(tmp_path / "a.db"),
                           "-s", "SCHEDULER_SPILL_AFTER=10", "-s", "LOG_LEVEL=INFO")
        assert done.returncode == 0, done.stdout + done.stderr
        spilled = re.search(r"'scheduler/spilled': (\d+)", done.stdout + done.stderr)
        assert spilled is not None and int(spilled.group(1)) > 50  # the disk part was used, a lot
        paths = [path for _, path, _ in base.server.requests]
        assert len(paths) == len(set(paths))  # nothing asked twice, nothing lost from the queue
        truth = {t["url"] for t in base.site.ground_truth(base)}
    with sqlite3.connect(tmp_path / "a.db") as conn:
        archived = {url for (url,) in conn.execute("SELECT url FROM articles")}
    assert archived == truth
