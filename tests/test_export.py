"""`newsarchive export`: WARC checked by warcio's own checker, WACZ by the wacz package's validator,
JSON Lines and CSV against the archive's own reads, filters against `search`.

The archive is written through the archive's write API from replica pages (rendered by the
replica, not by us) and the replica's ground truth, plus the cases a WARC must get right: a page
fetched again with the same bytes (a revisit), an article edited between two fetches (two
responses), a redirected fetch, stored headers that describe a compressed transfer, and an
article whose text carries control characters and CSV's special characters.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.export.articles import CSV_COLUMNS
from archive.export.warc import export_warc, warc_date
from archive.read import get_article
from archive.search import Filters, search
from archive.store import Archive, ArticleRecord, PageRecord
from bench.export import build_archive, replica_pages
from scrapers.parsers.article import Article, Comment
from tests.conftest import ROOT, newsarchive

BIN = Path(sys.executable).parent
LATER = datetime(2025, 6, 1, tzinfo=UTC)
ODD_URL = "https://news.example/en/politics/odd-1"
ODD_BODY = 'Line one, with "quotes"; and a comma.\n\nESC \x1b[31m red \x1b[0m and a bell \x07.'


def _extras(archive: Archive) -> dict[str, Any]:
    """The cases beyond plain pages; returns what the tests need to know about them."""
    (page, _), (edited, _), (moved, _) = list(replica_pages(3, seed=11))[:3]
    again = replace(page, fetched_at=LATER)  # same URL, same bytes, fetched again later
    changed = PageRecord(edited.url, 200, edited.headers, edited.body.replace(b"</body>", b"<p>Update</p></body>"),
                         LATER, edited.url, edited.content_type)
    redirected = replace(moved, url=moved.url + "-old", final_url=moved.url, fetched_at=LATER,
                         headers={**moved.headers, "Content-Encoding": "gzip", "Content-Length": "99",
                                  "Transfer-Encoding": "chunked"})
    odd = Article(url=ODD_URL, site="example", language="en", section="politics", title="=SUM(A1) odd, \"title\"",
                  body=ODD_BODY, published=datetime(2024, 5, 1, tzinfo=UTC),
                  comments=[Comment("c1", None, "Ann", None, None, "top"),
                            Comment("c2", "c1", "Bob", None, None, "re")])
    archive.write_batch(pages=[page, edited, moved])
    archive.write_batch(pages=[again, changed, redirected], articles=[ArticleRecord(odd, None, LATER)])
    return {"revisited": page, "edited": edited, "changed": changed, "redirected": redirected}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    path = tmp_path_factory.mktemp("export") / "archive.db"
    build_archive(path, 150, seed=5)
    with Archive.open(path) as archive:
        extras = _extras(archive)
    return path, extras


def records(path: Path) -> list[dict[str, Any]]:
    out = []
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            out.append({
                "type": record.rec_type, "headers": dict(record.rec_headers.headers),
                "http": record.http_headers, "payload": record.content_stream().read(),
            })
    return out


def stored_pages(path: Path) -> list[dict[str, Any]]:
    with Archive.open(path, create=False, readonly=True) as archive:
        rows = archive.conn.execute(
            "SELECT url, final_url, content_hash, first_fetched, last_fetched, fetch_count FROM pages ORDER BY id"
        ).fetchall()
        return [
            {"url": final or url, "body": archive.page_body(h), "first": first, "last": last, "count": count}
            for url, final, h, first, last, count in rows
        ]


def test_warc_passes_warcio_check_and_holds_every_page(db: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    path, _ = db
    out = tmp_path / "all.warc.gz"
    result = newsarchive("export", "warc", "--db", str(path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "exported" in result.stderr and result.stdout == ""
    check = subprocess.run([str(BIN / "warcio"), "check", "-v", str(out)], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("digest pass") >= 2 * 150 and "fail" not in check.stdout
    recs = records(out)
    assert recs[0]["type"] == "warcinfo" and [r["type"] for r in recs].count("warcinfo") == 1
    assert b"software: newsarchive/" in recs[0]["payload"] and b"warcio/" in recs[0]["payload"]
    pages = stored_pages(path)
    responses = [r for r in recs if r["type"] == "response"]
    assert len(responses) == len(pages) > 150
    by_id = {r["headers"]["WARC-Record-ID"]: r for r in recs}
    for page, response in zip(pages, responses, strict=True):
        assert response["headers"]["WARC-Target-URI"] == page["url"]
        assert response["headers"]["WARC-Date"] == warc_date(page["first"])
        assert response["payload"] == page["body"]
        sha1 = "sha1:" + __import__("base64").b32encode(hashlib.sha1(page["body"]).digest()).decode()
        assert response["headers"]["WARC-Payload-Digest"] == sha1
        assert response["http"].protocol == "HTTP/1.1" and response["http"].get_header("Content-Length") == str(
            len(page["body"]))
    requests = [r for r in recs if r["type"] == "request"]
    assert len(requests) == len(responses) + 1  # one more: the revisit's request
    for request in requests:
        concurrent = by_id[request["headers"]["WARC-Concurrent-To"]]
        assert concurrent["headers"]["WARC-Target-URI"] == request["headers"]["WARC-Target-URI"]
        assert request["http"].protocol == "GET" and request["http"].get_header("Host")


def test_warc_revisit_edit_redirect_and_transfer_headers(db: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    path, extras = db
    out = tmp_path / "x.warc.gz"
    with Archive.open(path, create=False, readonly=True) as archive:
        result = export_warc(archive, out)
    recs = records(out)
    assert result.records == {t: sum(1 for r in recs if r["type"] == t) for t in {r["type"] for r in recs}}
    (revisit,) = [r for r in recs if r["type"] == "revisit"]
    first = extras["revisited"]
    original = next(r for r in recs if r["type"] == "response" and r["headers"]["WARC-Target-URI"] == first.url)
    assert revisit["headers"]["WARC-Target-URI"] == first.url
    assert revisit["headers"]["WARC-Date"] == warc_date("2025-06-01T00:00:00.000+00:00")
    assert revisit["headers"]["WARC-Refers-To-Date"] == original["headers"]["WARC-Date"] != revisit["headers"][
        "WARC-Date"]
    assert revisit["headers"]["WARC-Payload-Digest"] == original["headers"]["WARC-Payload-Digest"]
    assert revisit["headers"]["WARC-Profile"].endswith("/revisit/identical-payload-digest")
    edited = [r for r in recs if r["type"] == "response" and r["headers"]["WARC-Target-URI"] == extras["edited"].url]
    assert [r["payload"] for r in edited] == [extras["edited"].body, extras["changed"].body]
    assert edited[0]["headers"]["WARC-Date"] < edited[1]["headers"]["WARC-Date"]
    moved = extras["redirected"]
    (redirected,) = [r for r in recs if r["type"] == "response" and r["payload"] == moved.body
                     and r["http"].get_header("Server") and r["headers"]["WARC-Date"] == warc_date(
                         "2025-06-01T00:00:00.000+00:00")]
    assert redirected["headers"]["WARC-Target-URI"] == moved.final_url
    assert redirected["http"].get_header("Content-Encoding") is None
    assert redirected["http"].get_header("Transfer-Encoding") is None
    assert redirected["http"].get_header("Content-Length") == str(len(moved.body))


def test_warc_filters_take_the_pages_of_the_articles_search_finds(db: tuple[Path, dict[str, Any]],
                                                                  tmp_path: Path) -> None:
    path, _ = db
    out = tmp_path / "en.warc.gz"
    result = newsarchive("export", "warc", "--db", str(path), "-o", str(out), "--lang", "en", "--query", "Aliyev",
                         "--since", "2019")
    assert result.returncode == 0, result.stderr
    with Archive.open(path, create=False, readonly=True) as archive:
        hits = search(archive, "Aliyev", Filters(lang="en", since="2019"), limit=1000)
        wanted = {archive.conn.execute("SELECT url FROM articles WHERE id = ?", (h.id,)).fetchone()[0] for h in hits}
    got = {r["headers"]["WARC-Target-URI"] for r in records(out) if r["type"] == "response"}
    assert wanted and got == wanted


def test_wacz_is_valid_and_lists_the_articles(db: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    path, _ = db
    out = tmp_path / "turan.wacz"
    result = newsarchive("export", "wacz", "--db", str(path), "-o", str(out), "--site", "turan")
    assert result.returncode == 0, result.stderr
    check = subprocess.run([str(BIN / "wacz"), "validate", "-f", str(out)], capture_output=True, text=True,
                           check=False)
    assert check.returncode == 0 and "the passed WACZ is valid" in check.stdout, check.stdout + check.stderr
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        assert {"archive/data.warc.gz", "indexes/index.cdx.gz", "pages/pages.jsonl", "datapackage.json"} <= names
        package = json.loads(z.read("datapackage.json"))
        for resource in package["resources"]:
            assert resource["hash"] == "sha256:" + hashlib.sha256(z.read(resource["path"])).hexdigest()
        pages = [json.loads(line) for line in z.read("pages/pages.jsonl").decode().splitlines()]
        warc = z.read("archive/data.warc.gz")
    assert pages[0]["format"] == "json-pages-1.0"
    with Archive.open(path, create=False, readonly=True) as archive:
        articles = archive.conn.execute(
            "SELECT url, title, published FROM articles WHERE site = 'turan' AND page_hash IS NOT NULL").fetchall()
    assert sorted((p["url"], p["title"], p["published"]) for p in pages[1:]) == sorted(articles)
    assert all(p["ts"].startswith("2025-") for p in pages[1:])
    responses = [r for r in ArchiveIterator(io.BytesIO(warc)) if r.rec_type == "response"]
    assert {r.rec_headers.get_header("WARC-Target-URI") for r in responses} >= {p["url"] for p in pages[1:]}


def _without_left_out(article: dict[str, Any]) -> dict[str, Any]:
    left_out = ("content_hash", "page_hash", "extractor_version", "captions_text", "etag", "http_last_modified",
                "last_checked", "version_since")
    return {k: v for k, v in article.items() if k not in left_out}


def test_jsonl_is_every_article_as_show_sees_it(db: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    path, _ = db
    out = tmp_path / "a.jsonl"
    result = newsarchive("export", "jsonl", "--db", str(path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    with Archive.open(path, create=False, readonly=True) as archive:
        assert len(lines) == archive.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        for line in lines:
            exported = json.loads(line)
            assert exported == _without_left_out(get_article(archive, exported["id"]) or {})
    odd = next(json.loads(line) for line in lines if ODD_URL in line)
    assert odd["body"] == ODD_BODY and [c["comment_id"] for c in odd["comments"]] == ["c1"]
    assert odd["comments"][0]["replies"][0]["comment_id"] == "c2"
    piped = newsarchive("export", "jsonl", "--db", str(path), "-o", "-")
    assert piped.returncode == 0 and piped.stdout.splitlines() == lines


def test_csv_is_one_row_an_article_with_counts(db: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    path, _ = db
    out = tmp_path / "a.csv"
    result = newsarchive("export", "csv", "--db", str(path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(CSV_COLUMNS)
    with Archive.open(path, create=False, readonly=True) as archive:
        assert len(rows) == archive.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        for row in rows:
            article = get_article(archive, int(row["id"]))
            assert article is not None
            assert row["body"] == article["body"] and row["title"] == (article["title"] or "")
            assert int(row["caption_count"]) == len(article["captions"])
            assert int(row["comment_count"]) == article["comment_count"]
            assert row["authors"] == "; ".join(article["authors"])
    odd = next(r for r in rows if r["url"] == ODD_URL)
    assert odd["title"] == '=SUM(A1) odd, "title"' and odd["comment_thread_count"] == "1"


def test_filters_and_query_select_what_search_finds(db: tuple[Path, dict[str, Any]]) -> None:
    path, _ = db
    for args, kwargs in (
        (("--lang", "ru", "--since", "2020"), {"lang": "ru", "since": "2020"}),
        (("--query", '"Ilham Aliyev" OR Putin', "--until", "2022-06"), {"until": "2022-06"}),
        (("--query", "Aliyev", "--has-comments", "--section", "politika"), {"section": "politika",
                                                                             "has_comments": True}),
    ):
        result = newsarchive("export", "jsonl", "--db", str(path), "-o", "-", "--quiet", *args)
        assert result.returncode == 0 and result.stderr == "", result.stderr
        got = [json.loads(line)["id"] for line in result.stdout.splitlines()]
        with Archive.open(path, create=False, readonly=True) as archive:
            if "--query" in args:
                query = args[args.index("--query") + 1]
                want = sorted(h.id for h in search(archive, query, Filters(**kwargs), limit=1000))
            else:
                f = Filters(**kwargs)
                want = [r[0] for r in archive.conn.execute(
                    "SELECT id FROM articles WHERE language = ? AND published >= ? ORDER BY id", (f.lang, f.since))]
        assert got == want and got, args


def test_terminal_gets_no_raw_control_characters() -> None:
    from archive.export.articles import write_articles

    article = {"id": 1, "body": ODD_BODY, "authors": [], "tags": [], "is_partial": False, "captions": [],
               "comments": []}
    for fmt in ("jsonl", "csv"):
        out = io.BytesIO()
        write_articles(out, iter([article]), fmt, for_terminal=True)
        assert b"\x1b" not in out.getvalue() and b"\x07" not in out.getvalue()
        raw = io.BytesIO()
        write_articles(raw, iter([article]), fmt)
        assert (b"\x1b" in raw.getvalue()) is (fmt == "csv")  # JSON escapes it anyway; a file keeps the data


def test_progress_is_reported_every_thousand(tmp_path: Path) -> None:
    from archive.export.articles import write_articles

    seen: list[int] = []
    articles = ({"id": n, "body": "", "authors": [], "tags": [], "is_partial": False, "captions": [], "comments": []}
                for n in range(2500))
    result = write_articles(io.BytesIO(), articles, "jsonl", seen.append)
    assert result.articles == 2500 and seen == [1000, 2000]


def test_bad_query_and_dates_are_one_line(db: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    path, _ = db
    for args, message in ((("--query", '"Aliyev'), "unclosed quote"), (("--since", "2024-13"), "is not a date")):
        result = newsarchive("export", "csv", "--db", str(path), "-o", str(tmp_path / "x.csv"), *args)
        assert result.returncode != 0 and message in result.stderr and "Traceback" not in result.stderr
        assert not list(tmp_path.iterdir())
    result = newsarchive("export", "csv", "--db", str(tmp_path / "none.db"), "-o", str(tmp_path / "x.csv"))
    assert result.returncode == 1 and "no archive at" in result.stderr and not list(tmp_path.iterdir())


def test_warc_date_is_the_fetch_time_in_utc() -> None:
    """WARC-Date is the fetch time with its milliseconds, in UTC, whatever offset it was stored with."""
    assert warc_date("2025-03-01T12:00:02.123+00:00") == "2025-03-01T12:00:02.123Z"
    assert warc_date("2025-03-01T16:00:02+04:00") == "2025-03-01T12:00:02Z"
    assert warc_date((datetime(2025, 1, 1, tzinfo=UTC) + timedelta(milliseconds=5)).isoformat()).endswith(".005Z")


def test_a_reader_that_stops_early_is_not_an_error(db: tuple[Path, dict[str, Any]]) -> None:
    path, _ = db
    shell = (f"set -o pipefail; {sys.executable} -m newsarchive export jsonl --db {path} -o - | head -n 1 > /dev/null; "
             "echo exit=$?")
    done = subprocess.run(["bash", "-c", shell], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.stdout.strip() == "exit=0" and "Traceback" not in done.stderr, done.stderr


def test_export_warc_takes_a_plain_connection_and_filters(db: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    """The library call other code uses (the import half's pywb test): export_warc(conn, path, filters)."""
    import sqlite3
    from contextlib import closing

    path, _ = db
    with closing(sqlite3.connect(path)) as conn:
        result = export_warc(conn, tmp_path / "ru.warc.gz", Filters(lang="ru"))
        ru = conn.execute("SELECT url FROM articles WHERE language = 'ru' AND page_hash IS NOT NULL")
        ru_urls = {r[0] for r in ru}
    got = {r["headers"]["WARC-Target-URI"] for r in records(tmp_path / "ru.warc.gz") if r["type"] == "response"}
    assert got == ru_urls and result.pages == len(ru_urls) > 10
