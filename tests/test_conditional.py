"""Re-visit requests and their answers (scrapers/conditional.py), with real Scrapy objects."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from scrapers.conditional import ConditionalRequestMiddleware, revisit_answer, revisit_meta, revisit_meta_of
from scrapers.sites import load_profile
from scrapers.spiders.base import page_item

BASE = "https://turan.az"
ARTICLE = f"{BASE}/en/politics/budget-passes-779784"
PROFILE = load_profile("turan")


def answer(status: int, location: str | None = None) -> tuple[str, str | None, str | None, str | None]:
    request = Request(ARTICLE, meta=revisit_meta('"v1"', "Sat, 01 Mar 2025 08:00:00 GMT"))
    headers = {"Location": location} if location else {}
    cls = HtmlResponse if status in (404, 410) else Response
    response = cls(ARTICLE, status=status, headers=headers, body=b"<html>gone</html>", request=request)
    got = revisit_answer(response, PROFILE, "turan.az", page_item(response, "article"))
    return got.item.outcome, got.item.reason, got.item.location, got.follow


@pytest.mark.parametrize(
    ("status", "location", "expected"),
    [
        (304, None, ("not_modified", None, None, None)),
        (404, None, ("gone", "http_404", None, None)),
        (410, None, ("gone", "http_410", None, None)),
        (301, "/en/politics/budget-passes-renamed-779784",
         ("moved", None, f"{BASE}/en/politics/budget-passes-renamed-779784",
          f"{BASE}/en/politics/budget-passes-renamed-779784")),
        (302, "/en", ("gone", "redirected_away", f"{BASE}/en", None)),
        (301, "https://elsewhere.example/en/politics/x-779784",
         ("gone", "redirected_away", "https://elsewhere.example/en/politics/x-779784", None)),
        (301, None, ("gone", "redirected_away", None, None)),
    ],
)
def test_answers(status: int, location: str | None, expected: tuple[str, str | None, str | None, str | None]) -> None:
    assert answer(status, location) == expected


def test_a_takedown_keeps_its_page_a_304_has_none() -> None:
    request = Request(ARTICLE, meta=revisit_meta(None, None))
    gone = HtmlResponse(ARTICLE, status=404, body=b"<html>not found</html>", request=request)
    assert revisit_answer(gone, PROFILE, "turan.az", page_item(gone, "article")).item.page is not None
    same = Response(ARTICLE, status=304, request=request)
    assert revisit_answer(same, PROFILE, "turan.az", page_item(same, "article")).item.page is None


def test_meta_and_headers() -> None:
    meta = revisit_meta('"v1"', "Sat, 01 Mar 2025 08:00:00 GMT")
    assert meta["dont_redirect"] and 304 in meta["handle_httpstatus_list"]
    assert revisit_meta_of({**meta, "page_kind": "article"}) == meta
    assert revisit_meta('"v1"', None, conditional=False)["revisit"] == {}
    crawler = get_crawler(settings_dict={"RECRAWL_CONDITIONAL": True})
    mw = ConditionalRequestMiddleware.from_crawler(crawler)
    request = Request(ARTICLE, meta=meta)
    mw.process_request(request)
    assert request.headers[b"If-None-Match"] == b'"v1"'
    assert request.headers[b"If-Modified-Since"] == b"Sat, 01 Mar 2025 08:00:00 GMT"
    plain = Request(ARTICLE)
    mw.process_request(plain)
    assert b"If-None-Match" not in plain.headers
