"""The CDX API's queries and answers (scrapers/cdx.py): the Wayback Machine's JSON arrays with a
resume key, pywb's and Common Crawl's JSON lines, and answers that are neither."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from scrapers.cdx import CdxError, CdxSource, listing_url, parse_listing, replay_url, url_pattern

WAYBACK = [
    ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"],
    ["az,turan)/en/politics/a-1", "20200301101112", "https://turan.az/en/politics/a-1", "text/html", "200", "AAA",
     "4000"],
    ["az,turan)/en/politics/a-1", "20200302101112", "https://turan.az/en/politics/a-1", "text/html", "301", "BBB",
     "300"],
    [],
    ["az%2Cturan%29%2Fen%2Fpolitics%2Fb-2+20200401000000"],
]


def test_the_wayback_machines_json_arrays_with_their_resume_key() -> None:
    page = parse_listing(json.dumps(WAYBACK).encode())
    assert page.resume_key == "az%2Cturan%29%2Fen%2Fpolitics%2Fb-2+20200401000000"
    assert [(r.url, r.timestamp, r.status, r.mime, r.digest) for r in page.rows] == [
        ("https://turan.az/en/politics/a-1", "20200301101112", "200", "text/html", "AAA"),
        ("https://turan.az/en/politics/a-1", "20200302101112", "301", "text/html", "BBB"),
    ]
    assert parse_listing(json.dumps(WAYBACK[:3]).encode()).resume_key is None
    assert parse_listing(b"[]").rows == [] and parse_listing(b"").rows == []


def test_json_lines_of_pywb_and_common_crawl() -> None:
    lines = [
        {"urlkey": "x", "timestamp": "20240305101112", "url": "https://turan.az/en/x-1", "mime": "text/html",
         "status": "200", "digest": "D", "length": "521", "offset": "1270828", "filename": "crawl/a.warc.gz"},
        {"resumeKey": "next"},
    ]
    page = parse_listing("\n".join(json.dumps(x) for x in lines).encode())
    (row,) = page.rows
    assert (row.filename, row.offset, row.length, page.resume_key) == ("crawl/a.warc.gz", 1270828, 521, "next")
    source = CdxSource.make("commoncrawl", collection="CC-MAIN-2024-10")
    assert source.endpoint == "https://index.commoncrawl.org/CC-MAIN-2024-10-index"
    assert replay_url(source, row) == "https://data.commoncrawl.org/crawl/a.warc.gz"


@pytest.mark.parametrize("body", [b"<html>Service unavailable</html>", b"{not json", b"[1, 2]", b'["a"]\n',
                                  b'{"timestamp": "2024"}', b'[["url", "timestamp"], ["x"]]'])
def test_an_answer_that_is_no_cdx_listing_is_one_error(body: bytes) -> None:
    with pytest.raises(CdxError) as caught:
        parse_listing(body)
    assert "\n" not in str(caught.value)


def test_queries_and_replay_addresses() -> None:
    pywb = CdxSource.make("wayback", cdx="http://127.0.0.1:8080/coll/cdx")
    assert pywb.replay == "http://127.0.0.1:8080/coll/"
    wayback = CdxSource.make("wayback")
    assert wayback.endpoint == "https://web.archive.org/cdx/search/cdx"
    assert wayback.replay == "https://web.archive.org/web/"
    assert url_pattern("https://turan.az") == "turan.az/*"
    assert url_pattern("http://127.0.0.1:8765/") == "127.0.0.1:8765/*"
    query = parse_qs(urlsplit(listing_url(wayback.endpoint, "turan.az/*", "2020", "20250213", 5000, "k+1")).query)
    assert query == {"url": ["turan.az/*"], "output": ["json"], "showResumeKey": ["true"], "limit": ["5000"],
                     "from": ["2020"], "to": ["20250213"], "resumeKey": ["k+1"]}
    (row,) = parse_listing(json.dumps(WAYBACK[:2]).encode()).rows
    assert replay_url(wayback, row) == "https://web.archive.org/web/20200301101112id_/https://turan.az/en/politics/a-1"
    with pytest.raises(ValueError, match="--collection"):
        CdxSource.make("commoncrawl")
