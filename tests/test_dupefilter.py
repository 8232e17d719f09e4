"""The compact dupefilter filters what Scrapy's filters, holding ints instead of digests."""

from __future__ import annotations

from pathlib import Path

from scrapy import Request
from scrapy.utils.test import get_crawler

from scrapers.dupefilter import CompactDupeFilter


def test_same_requests_are_seen_and_others_not() -> None:
    seen = CompactDupeFilter.from_crawler(get_crawler())
    assert not seen.request_seen(Request("https://x.example/a?b=1&c=2"))
    assert seen.request_seen(Request("https://x.example/a?c=2&b=1"))  # canonical URL: the same request
    assert not seen.request_seen(Request("https://x.example/a?b=1&c=2", method="POST"))
    assert not seen.request_seen(Request("https://x.example/b"))
    assert seen.request_seen(Request("https://x.example/b#fragment"))
    assert len(seen._keys) == 3 and all(isinstance(k, int) and 0 <= k < 2**64 for k in seen._keys)


def test_with_jobdir_the_fingerprints_are_scrapys_own_file(tmp_path: Path) -> None:
    crawler = get_crawler(settings_dict={"JOBDIR": str(tmp_path)})
    first = CompactDupeFilter.from_crawler(crawler)
    assert not first.request_seen(Request("https://x.example/a"))
    first.close("finished")
    again = CompactDupeFilter.from_crawler(get_crawler(settings_dict={"JOBDIR": str(tmp_path)}))
    assert again.request_seen(Request("https://x.example/a"))  # read back from requests.seen
    assert not again._keys
