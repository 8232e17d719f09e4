"""Photos end to end: the real crawl of the replica (its photos on the site and on a second "CDN"
server, a few broken on purpose) stores every captioned image once, as the replica's ground truth
says; each broken one is a failure with its reason and its article is archived all the same; a
re-crawl fetches no photo again; the web UI shows them in headless Chromium."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from archive.media import media_file
from replica.server import running_replica
from replica.wordpress import running_wordpress
from tests.conftest import ROOT, newsarchive
from tests.test_web_ui import DevTools, browser, free_port, wait_http

__all__ = ["browser"]  # the Chromium fixture of test_web_ui, used here too

pytestmark = pytest.mark.crawl
ARTICLES = 160
CAP = 2_000_000  # MEDIA_MAX_BYTES for these crawls: the endless photo is cut there
# The replica's faults and the reason the archive must give each (failures.reason).
FAULT_REASONS = {
    "http_404": "media_http_404", "html_as_jpeg": "media_not_image", "truncated_jpeg": "media_truncated",
    "over_cap": "media_too_large", "pixel_bomb": "media_too_many_pixels", "svg_script": "media_svg_active",
    "endless": "media_too_large",
}


@dataclass
class Crawl:
    db: Path
    base: str
    truth: list[dict[str, Any]]
    output: str
    site_requests: list[tuple[str, str, int]]
    cdn_requests: list[tuple[str, str, int]]
    recrawl_output: str
    recrawl_requests: list[tuple[str, str, int]]
    revalidated_output: str
    revalidated_requests: list[tuple[str, str, int]]


def _photo_paths(requests: list[tuple[str, str, int]]) -> list[str]:
    return [path for _, path, _ in requests if path.startswith("/resized/media/")]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    db = tmp_path_factory.mktemp("media") / "archive.db"
    with running_replica(articles=ARTICLES, seed=7, cdn=True, photo_faults=True) as base:
        assert base.cdn is not None
        args = ("crawl", "turan", "--base-url", base, "--db", str(db), "--quiet", "-s", f"MEDIA_MAX_BYTES={CAP}")
        first = newsarchive(*args)
        assert first.returncode == 0, first.stdout + first.stderr
        site_seen, cdn_seen = len(base.server.requests), len(base.cdn.requests)
        # Every article fetched again in full: their photos' URLs are the same, so none is fetched.
        again = newsarchive(*args, "--recrawl", "refetch")
        assert again.returncode == 0, again.stdout + again.stderr
        seen_again = len(base.server.requests), len(base.cdn.requests)
        # Again, with every stored photo past its expiry: each is asked with its ETag.
        revalidated = newsarchive(*args, "--recrawl", "refetch", "-s", "MEDIA_REVALIDATE_DAYS=0")
        assert revalidated.returncode == 0, revalidated.stdout + revalidated.stderr
        yield Crawl(
            db=db, base=base, truth=list(base.site.ground_truth(base)), output=first.stdout + first.stderr,
            site_requests=list(base.server.requests[:site_seen]), cdn_requests=list(base.cdn.requests[:cdn_seen]),
            recrawl_output=again.stdout + again.stderr,
            recrawl_requests=list(base.server.requests[site_seen:seen_again[0]])
            + list(base.cdn.requests[cdn_seen:seen_again[1]]),
            revalidated_output=revalidated.stdout + revalidated.stderr,
            revalidated_requests=list(base.server.requests[seen_again[0]:]) + list(base.cdn.requests[seen_again[1]:]),
        )


def _truth_images(crawl: Crawl) -> list[tuple[str, dict[str, Any]]]:
    return [(t["url"], image) for t in crawl.truth for image in t["images"]]


def test_every_captioned_photo_is_stored_once_as_ground_truth_says(crawl: Crawl) -> None:
    good = [(url, i) for url, i in _truth_images(crawl) if i["fault"] is None]
    assert len(good) > 60 and any(i["on_cdn"] for _, i in good)
    assert len({i["sha256"] for _, i in good}) < len(good)  # the stock photo: one image, several URLs
    with sqlite3.connect(crawl.db) as conn:
        links = {
            (url, position): (sha, ctype, width, height, size)
            for url, position, sha, ctype, width, height, size in conn.execute(
                "SELECT a.url, l.position, m.sha256, m.content_type, m.width, m.height, m.size "
                "FROM media_links l JOIN articles a ON a.id = l.article_id JOIN media m ON m.sha256 = l.sha256"
            )
        }
        stored = {sha: bytes(data) for sha, data in conn.execute("SELECT sha256, data FROM media")}
    expected = {
        (url, i["position"]): (i["sha256"], i["content_type"], i["width"], i["height"], i["size"]) for url, i in good
    }
    assert links == expected
    assert set(stored) == {i["sha256"] for _, i in good}  # once per SHA-256, nothing else
    assert all(hashlib.sha256(data).hexdigest() == sha for sha, data in stored.items())


def test_each_broken_photo_is_a_failure_with_its_reason_and_its_article_is_kept(crawl: Crawl) -> None:
    broken = [(url, i) for url, i in _truth_images(crawl) if i["fault"] is not None]
    assert {i["fault"] for _, i in broken} == set(FAULT_REASONS)  # every case is in this crawl
    with sqlite3.connect(crawl.db) as conn:
        failures = dict(conn.execute("SELECT url, reason FROM failures WHERE reason LIKE 'media_%'").fetchall())
        archived = {url for (url,) in conn.execute("SELECT url FROM articles")}
        links = {url for (url,) in conn.execute("SELECT url FROM media_links")}
    assert {i["image_url"]: FAULT_REASONS[i["fault"]] for _, i in broken} == failures
    assert {url for url, _ in broken} <= archived
    assert not links & {i["image_url"] for _, i in broken}
    assert "photo not archived (too_many_pixels)" in crawl.output
    assert "Traceback" not in crawl.output  # one line per refused photo, no stack


def test_photos_come_from_the_cdn_host_through_its_robots_txt(crawl: Crawl) -> None:
    cdn_photos = _photo_paths(crawl.cdn_requests)
    expected = {i["image_url"].split("/", 3)[3] for _, i in _truth_images(crawl) if i["on_cdn"]}
    assert {"/" + p for p in expected} == set(cdn_photos)
    assert crawl.cdn_requests[0][1] == "/robots.txt"  # the crawl's robots rules apply to the CDN too
    # Each photo asked once (the stock photo's URLs are distinct; a repeat in a run is not asked again).
    all_photos = _photo_paths(crawl.site_requests) + cdn_photos
    assert len(all_photos) == len(set(all_photos))


def test_a_recrawl_fetches_no_photo_again(crawl: Crawl) -> None:
    article_paths = {t["url"][len(crawl.base):] for t in crawl.truth}
    assert article_paths <= {path for _, path, _ in crawl.recrawl_requests}  # the articles were fetched
    faulty = {i["image_url"].split("/", 3)[3] for _, i in _truth_images(crawl) if i["fault"]}
    again = {p.lstrip("/") for p in _photo_paths(crawl.recrawl_requests)}
    assert again <= faulty  # only the photos that failed are asked again
    uptodate = re.search(r"photos: 0 stored \(0\.0 MB\), (\d+) already archived", crawl.recrawl_output)
    assert uptodate is not None and int(uptodate.group(1)) > 60, crawl.recrawl_output


def test_an_expired_photo_is_asked_conditionally_and_a_304_keeps_it(crawl: Crawl) -> None:
    good = {i["image_url"].split("/", 3)[3] for _, i in _truth_images(crawl) if i["fault"] is None}
    answers = {path.lstrip("/"): status for _, path, status in crawl.revalidated_requests
               if path.startswith("/resized/media/")}
    assert good <= set(answers) and {answers[p] for p in good} == {304}
    assert "photos: 0 stored (0.0 MB)" in crawl.revalidated_output
    assert newsarchive("--db", str(crawl.db), "check").returncode == 0


def test_show_and_stats_list_the_photos(crawl: Crawl) -> None:
    url, image = next((u, i) for u, i in _truth_images(crawl) if i["fault"] is None)
    shown = newsarchive("--db", str(crawl.db), "show", url, "--json")
    assert shown.returncode == 0, shown.stderr
    caption = json.loads(shown.stdout)["captions"][image["position"]]
    assert caption["photo"]["sha256"] == image["sha256"]
    text = newsarchive("--db", str(crawl.db), "show", url).stdout
    assert f"photo: {image['content_type']}, {image['width']}x{image['height']}" in text
    stats = json.loads(newsarchive("--db", str(crawl.db), "stats", "--json").stdout)
    distinct = {i["sha256"] for _, i in _truth_images(crawl) if i["fault"] is None}
    assert stats["media"]["media"] == len(distinct)
    assert stats["media"]["media_bytes"] == sum(
        next(i["size"] for _, i in _truth_images(crawl) if i.get("sha256") == sha) for sha in distinct)
    assert "photos:" in newsarchive("--db", str(crawl.db), "stats").stdout
    assert newsarchive("--db", str(crawl.db), "check").returncode == 0


def test_media_dir_keeps_the_bytes_beside_the_archive(tmp_path: Path) -> None:
    db, media = tmp_path / "small.db", tmp_path / "photos"
    with running_replica(articles=40, seed=11, cdn=True) as base:
        done = newsarchive("crawl", "turan", "--base-url", base, "--db", str(db), "--quiet", "--media-dir", str(media))
        assert done.returncode == 0, done.stdout + done.stderr
        truth = [i for t in base.site.ground_truth(base) for i in t["images"]]
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT sha256, path, data IS NULL FROM media").fetchall()
    assert rows and {i["sha256"] for i in truth} == {sha for sha, _, _ in rows}
    for sha, path, no_data in rows:
        assert no_data and path == str(Path("photos") / sha[:2] / sha)
        assert media_file(media, sha).is_file()
    assert newsarchive("--db", str(db), "check").returncode == 0


def test_images_none_fetches_no_photo(tmp_path: Path) -> None:
    with running_replica(articles=30, seed=3) as base:
        done = newsarchive("crawl", "turan", "--base-url", base, "--db", str(tmp_path / "n.db"), "--quiet",
                           "--images", "none")
        assert done.returncode == 0, done.stdout + done.stderr
        assert _photo_paths(base.server.requests) == []
    with sqlite3.connect(tmp_path / "n.db") as conn:
        assert conn.execute("SELECT count(*) FROM media").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM captions").fetchone()[0] > 0


# --- the web UI ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(crawl: Crawl) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "serve", "--db", str(crawl.db), "--port", str(port)],
        cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/-/versions.json")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _article_id(db: Path, url: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT id FROM articles WHERE url = ?", (url,)).fetchone()[0])


def test_the_article_page_shows_each_photo_above_its_caption_in_chromium(
    crawl: Crawl, served: str, browser: DevTools
) -> None:
    with_photos = [t for t in crawl.truth if len([i for i in t["images"] if i["fault"] is None]) >= 2]
    truth = with_photos[0]
    page = f"{served}/{crawl.db.stem}/articles/{_article_id(crawl.db, truth['url'])}"
    browser.load(f"location.href = {json.dumps(page)}")
    # Photos load lazily: each is brought into view and decoded before it is looked at.
    browser.js("(async () => { for (const img of document.images) { img.scrollIntoView();"
               " await img.decode().catch(() => null); } })()")
    shown = browser.js(
        "[...document.querySelectorAll('.na-caption')].map(li => { const img = li.querySelector('img');"
        " return img ? [img.naturalWidth, img.naturalHeight, img.complete,"
        " !!(img.compareDocumentPosition(li.querySelector('.na-credit') || li.lastChild) & 4)] : null; })"
    )
    expected = [[i["width"], i["height"], True, True] if i["fault"] is None else None for i in truth["images"]]
    assert shown == expected
    broken = next(t for t in crawl.truth if any(i["fault"] for i in t["images"]))
    broken_page = f"{served}/{crawl.db.stem}/articles/{_article_id(crawl.db, broken['url'])}"
    browser.load(f"location.href = {json.dumps(broken_page)}")
    assert "photo not archived" in browser.js("document.body.innerText")
    assert browser.js("document.title") != "pwned"


def test_photos_are_served_with_their_type_nosniff_and_svg_only_as_a_download(crawl: Crawl, served: str) -> None:
    with sqlite3.connect(crawl.db) as conn:
        photos = dict(conn.execute("SELECT content_type, sha256 FROM media").fetchall())
    assert {"image/jpeg", "image/png", "image/svg+xml"} <= set(photos)
    for content_type, sha in photos.items():
        with urllib.request.urlopen(f"{served}/-/media/{crawl.db.stem}/{sha}", timeout=10) as r:
            body, headers = r.read(), r.headers
        assert headers["Content-Type"] == content_type and headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in headers["Content-Security-Policy"] and "default-src 'none'" in headers[
            "Content-Security-Policy"]
        disposition = headers["Content-Disposition"].split(";")[0]
        assert disposition == ("attachment" if content_type == "image/svg+xml" else "inline")
        assert hashlib.sha256(body).hexdigest() == sha
    # Not an image of the archive: 404. A path with ".." never reaches the route (its segment has no
    # slash); Datasette's own router answers it (a 500 from its RowView since the issue-18 changes).
    for bad, codes in (("0" * 64, {404}), ("abc", {404}), ("G" * 64, {404}), ("../../etc/passwd", {404, 500})):
        try:
            urllib.request.urlopen(f"{served}/-/media/{crawl.db.stem}/{bad}", timeout=10)
        except urllib.error.HTTPError as exc:
            assert exc.code in codes and b"root:" not in exc.read()
        else:
            pytest.fail(f"{bad} was served")


def test_the_wordpress_replica_photos_are_archived_as_its_truth_says(tmp_path: Path) -> None:
    db = tmp_path / "wp.db"
    with running_wordpress(posts=30, seed=4) as base:
        done = newsarchive("crawl", "--start", base + "/", "--db", str(db), "--quiet")
        assert done.returncode == 0, done.stdout + done.stderr
        truth = {i["image_url"]: i for t in base.site.ground_truth(base) for i in t["images"]}
    with sqlite3.connect(db) as conn:
        links = dict(conn.execute("SELECT l.url, m.sha256 FROM media_links l JOIN media m USING (sha256)").fetchall())
        sizes = set(conn.execute("SELECT content_type, width, height FROM media").fetchall())
    assert len(truth) > 10 and set(links) == set(truth)
    assert all(links[url] == truth[url]["sha256"] for url in links)
    assert sizes == {("image/jpeg", 1024, 683)}


def _warc_photos(path: Path) -> dict[str, tuple[str, str]]:
    """url -> (sha256 of the payload, Content-Type) of every response record that is not an HTML page."""
    from warcio.archiveiterator import ArchiveIterator

    found: dict[str, tuple[str, str]] = {}
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response":
                continue
            ctype = record.http_headers.get_header("Content-Type") or ""
            if ctype.startswith("image/"):
                found[record.rec_headers.get_header("WARC-Target-URI")] = (
                    hashlib.sha256(record.content_stream().read()).hexdigest(), ctype)
    return found


def test_export_warc_holds_every_stored_photo_with_its_bytes_and_type(crawl: Crawl, tmp_path: Path) -> None:
    with sqlite3.connect(crawl.db) as conn:
        stored = {url: (sha, ctype) for url, sha, ctype in conn.execute("SELECT url, sha256, content_type FROM media")}
        lang, = conn.execute("SELECT language FROM articles GROUP BY language ORDER BY count(*) LIMIT 1").fetchone()
        of_lang = {url for (url,) in conn.execute(
            "SELECT DISTINCT m.url FROM media m JOIN media_links l ON l.sha256 = m.sha256 "
            "JOIN articles a ON a.id = l.article_id WHERE a.language = ?", (lang,))}
    assert len(stored) > 30
    everything = tmp_path / "all.warc.gz"
    done = newsarchive("--db", str(crawl.db), "export", "warc", "-o", str(everything), "--quiet")
    assert done.returncode == 0, done.stdout + done.stderr
    assert _warc_photos(everything) == stored
    checked = subprocess.run([str(Path(sys.executable).parent / "warcio"), "check", str(everything)],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # Filtered like search: only the photos the selected articles showed.
    some = tmp_path / "lang.warc.gz"
    done = newsarchive("--db", str(crawl.db), "export", "warc", "-o", str(some), "--lang", lang, "--quiet")
    assert done.returncode == 0, done.stdout + done.stderr
    assert set(_warc_photos(some)) == of_lang and of_lang < set(stored)
