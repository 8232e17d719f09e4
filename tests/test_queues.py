"""The compact scheduler queue: a waiting request comes back as the request that went in."""

from __future__ import annotations

from typing import Any

import scrapy
from scrapy import Request
from scrapy.utils.test import get_crawler

from scrapers.queues import CompactLifoMemoryQueue


class Spider(scrapy.Spider):
    name = "q"

    def parse(self, response: Any) -> None: ...

    def on_error(self, failure: Any) -> None: ...


def queue() -> tuple[CompactLifoMemoryQueue, Spider]:
    crawler = get_crawler(Spider)
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
