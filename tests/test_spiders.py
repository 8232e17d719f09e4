"""Link following of the spiders: links beyond DEPTH_LIMIT are neither followed nor remembered."""

from __future__ import annotations

import scrapy
from scrapy.http import HtmlResponse

from scrapers.spiders.base import page_links
from scrapers.spiders.generic import GenericSpider
from scrapers.spiders.turan import TuranSpider

BASE = "http://127.0.0.1:8765"
ARTICLE = "/az/politics/talks-in-baku-12345"  # an article path of the turan profile


def page(url: str, depth: int, links: list[str]) -> HtmlResponse:
    body = "".join(f'<a href="{link}">x</a>' for link in links)
    request = scrapy.Request(url, meta={"depth": depth})
    return HtmlResponse(url, body=f"<html><body>{body}</body></html>".encode(), encoding="utf-8", request=request)


def test_profile_spider_follows_a_link_again_found_nearer_the_start() -> None:
    spider = TuranSpider(base_url=BASE)
    spider.depth_limit = 2
    deep = page(f"{BASE}/az/politics", depth=2, links=[ARTICLE])
    assert list(spider._follow(deep, page_links(deep))) == []  # depth 3: DepthMiddleware would drop it
    near = page(f"{BASE}/az", depth=0, links=[ARTICLE])
    assert [r.url for r in spider._follow(near, page_links(near))] == [BASE + ARTICLE]
    assert list(spider._follow(near, page_links(near))) == []  # and once only


def test_generic_spider_follows_each_link_once_and_not_beyond_the_depth() -> None:
    spider = GenericSpider(start=[BASE + "/"])
    spider.depth_limit = 2
    links = ["/2025/03/01/talks-in-baku/", "/category/news/", "/category/news/"]
    deep = page(BASE + "/category/world/", depth=2, links=links)
    assert list(spider._follow(deep)) == []
    near = page(BASE + "/", depth=0, links=links)
    first = [r.url for r in spider._follow(near)]
    assert BASE + "/2025/03/01/talks-in-baku/" in first and first.count(BASE + "/category/news/") == 1
    assert list(spider._follow(near)) == []  # a page linking to the same places again: nothing new
