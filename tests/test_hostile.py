"""Hostile sites and hostile queues (issue 18, the crawl's side): each case is served from 127.0.0.1
by the test, crawled with the real commands, and judged by what happened: nothing fetched outside the
site (a second local server stands in for an internal host and must see no request), memory bounded
(the crawl's peak RSS, measured), one line and the right exit code."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from scrapers.offsite import is_internal, same_site, site_host
from tests.conftest import ROOT, newsarchive
from tests.hostile_site import (
    LocalSite,
    Measured,
    Route,
    article_path,
    endless,
    home_page,
    html,
    news_site,
    newsarchive_measured,
    raw,
    redirect,
    running,
    send,
    serving,
)

ARTICLES = 40  # enough that three refused redirects stay under HEALTH_FAILURE_THRESHOLD (exit 0)
SETTINGS = ("-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_TIMEOUT=10", "-s", "ARCHIVE_FLUSH_SECONDS=0.5",
            "-s", "PARSE_WORKERS=0")


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute(sql))


def internal_site() -> LocalSite:
    """A server nobody outside may reach: any request it gets is a hole."""
    return LocalSite({"/": html("<p>internal admin</p>"), "/2024/03/05/internal-secret-page/": html("<p>secret</p>")})


# --- finding 1: redirects off the site ------------------------------------------------------------
def _redirecting_site(internal: LocalSite) -> tuple[dict[str, Route], dict[str, str]]:
    routes = news_site(ARTICLES)
    port = internal.server_address[1]
    hops = {
        "/go/story-about-the-budget-vote": f"http://127.0.0.1:{port}/2024/03/05/internal-secret-page/",
        "/go/story-about-the-river-flood": f"http://localhost:{port}/2024/03/05/internal-secret-page/",
    }
    for path, target in hops.items():
        routes[path] = redirect(target)
    routes["/old-home"] = redirect(f"http://127.0.0.1:{port}/")  # a start URL that redirects inside
    refresh = f"<meta http-equiv='refresh' content='0;url=http://127.0.0.1:{port}/2024/03/05/internal-secret-page/'>"
    routes["/go/story-about-the-museum-opening"] = html(f"<html><head>{refresh}</head><body>moved</body></html>")
    links = [article_path(i) for i in range(ARTICLES)] + [*hops, "/go/story-about-the-museum-opening"]
    routes["/"] = html(home_page(links))
    return routes, hops


@pytest.mark.crawl
@pytest.mark.parametrize("how", ["generic", "drafted_profile"])
def test_redirects_never_leave_the_site(how: str, tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    internal = internal_site()
    with running() as site, serving(internal):
        routes, hops = _redirecting_site(internal)
        site.routes.update(routes)
        if how == "generic":
            args: tuple[str, ...] = ("crawl", "--start", site.base + "/", "--start", site.base + "/old-home")
        else:
            profiles = tmp_path / "profiles"
            drafted = newsarchive("sites", "new", "sample", "--from", site.base + article_path(0),
                                  "--profiles", str(profiles))
            assert drafted.returncode == 0, drafted.stderr
            args = ("crawl", "sample", "--profiles", str(profiles), "--start", site.base + "/old-home",
                    "--start", site.base + "/")
        done = newsarchive(*args, "--db", str(db), "--quiet", *SETTINGS, timeout=240)
        output = done.stdout + done.stderr
    assert internal.requests == [], f"the internal server was asked {internal.requests}:\n{output}"
    assert done.returncode == 0, output
    failed = dict(rows(db, "SELECT url, reason FROM failures"))
    for path in hops:
        assert failed.get(site.base + path) == "redirected_offsite", failed
    assert failed.get(site.base + "/old-home") == "redirected_offsite", failed
    port = str(internal.server_address[1])
    assert not [u for u in rows(db, "SELECT url, final_url FROM pages") if port in str(u)]
    assert len(rows(db, "SELECT id FROM articles")) == ARTICLES
    assert "redirected_offsite 3" in output, output



@pytest.mark.parametrize(("url", "internal"), [
    ("http://127.0.0.1:6379/", True), ("http://localhost/", True), ("http://[::1]/", True),
    ("http://10.0.0.5/", True), ("http://192.168.1.1/", True), ("http://169.254.169.254/latest/", True),
    ("http://[::ffff:127.0.0.1]/", True), ("http://2130706433/", True), ("http://0x7f.1/", True),
    ("http://intranet/", True), ("http://printer.local/", True), ("http://app.internal/", True),
    ("https://example.com/", False), ("http://93.184.215.14/", False), ("https://news.example.co.uk/", False),
])
def test_internal_addresses(url: str, internal: bool) -> None:
    assert is_internal(url) is internal


def test_a_site_is_its_hosts_and_ports() -> None:
    hosts = {site_host("https://www.example.com/")}
    assert same_site("http://example.com/a", hosts) and same_site("https://www.example.com:443/b", hosts)
    assert not same_site("https://example.com:8443/", hosts) and not same_site("file:///etc/passwd", hosts)
    local = {site_host("http://127.0.0.1:8765/")}
    assert same_site("http://127.0.0.1:8765/x", local) and not same_site("http://127.0.0.1:6379/", local)


# --- finding 4: compression bombs -----------------------------------------------------------------
BOMB = 1024 * 1024 * 1024  # what the bomb expands to: 1 GiB, from about 1 MB
PEAK_MB = 500


def gzip_bomb(prefix: bytes, size: int = BOMB) -> bytes:
    """`prefix` then spaces, `size` bytes in all, gzip-compressed (about a thousandth of the size)."""
    out = gzip_stream()
    parts = [out.compress(prefix)]
    block = b" " * (1024 * 1024)
    for _ in range((size - len(prefix)) // len(block)):
        parts.append(out.compress(block))
    return b"".join([*parts, out.flush()])


def gzip_stream() -> zlib._Compress:
    return zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # 16+: a gzip header and trailer


@pytest.fixture(scope="module")
def sitemap_bomb() -> bytes:
    return gzip_bomb(b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')


@pytest.mark.crawl
@pytest.mark.parametrize("where", ["robots", "start"])
def test_a_gzip_sitemap_bomb_is_cut_off(where: str, sitemap_bomb: bytes, tmp_path: Path) -> None:
    routes = news_site(ARTICLES)
    routes["/sitemap.xml.gz"] = raw(sitemap_bomb, "application/x-gzip")
    routes["/robots.txt"] = lambda h: send(h, 200, b"Sitemap: /sitemap.xml.gz\n", "text/plain")
    with running(routes) as site:
        starts = ["--start", site.base + "/"] + (["--start", site.base + "/sitemap.xml.gz"] if where == "start" else [])
        run = newsarchive_measured("crawl", *starts, "--db", str(tmp_path / "a.db"), "--quiet", *SETTINGS,
                                   timeout=300)
        asked = list(site.requests)
    assert "/sitemap.xml.gz" in asked
    print(f"crawl: peak RSS {run.peak_mb:.0f} MB")
    assert run.peak_mb < PEAK_MB, f"peak RSS {run.peak_mb:.0f} MB:\n{run.output[-2000:]}"
    assert run.code == 0, run.output
    warned = [line for line in run.output.splitlines() if "sitemap.xml.gz" in line and "DOWNLOAD_MAXSIZE" in line]
    assert len(warned) == 1, run.output
    assert len(rows(tmp_path / "a.db", "SELECT id FROM articles")) == ARTICLES


@pytest.mark.crawl
def test_a_gzip_encoded_page_bomb_is_cut_off(tmp_path: Path) -> None:
    """Content-Encoding: gzip is Scrapy's to decompress, bounded by DOWNLOAD_MAXSIZE: checked here too."""
    routes = news_site(ARTICLES)
    bomb = gzip_bomb(b"<!DOCTYPE html><html><body><p>", BOMB // 2)
    routes[article_path(0)] = raw(bomb, "text/html", {"Content-Encoding": "gzip"})
    with running(routes) as site:
        run = newsarchive_measured("crawl", "--start", site.base + "/", "--db", str(tmp_path / "a.db"), "--quiet",
                                   *SETTINGS, timeout=300)
    print(f"crawl: peak RSS {run.peak_mb:.0f} MB")
    assert run.peak_mb < PEAK_MB, f"peak RSS {run.peak_mb:.0f} MB:\n{run.output[-2000:]}"
    assert run.code == 0, run.output
    failed = dict(rows(tmp_path / "a.db", "SELECT url, reason FROM failures"))
    assert failed == {site.base + article_path(0): "too_large"}


# --- finding 12: `sites new/check --from URL` --------------------------------------------------------
@pytest.mark.parametrize(("command", "answer", "says"), [
    ("check", endless(), "larger than"),
    ("new", endless(), "larger than"),
    ("check", endless(b"<p>a", pause=0.2), "not read in 3 s"),
])
def test_sites_from_url_reads_a_bounded_page(command: str, answer: Route, says: str, tmp_path: Path) -> None:
    with running({"/2024/03/05/endless-story/": answer}) as site:
        url = site.base + "/2024/03/05/endless-story/"
        args = ("check", "turan", url) if command == "check" else ("new", "x", "--from", url, "--profiles",
                                                                   str(tmp_path))
        started = time.monotonic()
        run = newsarchive_measured("sites", *args, "--timeout", "3", timeout=120)
        took = time.monotonic() - started
    assert run.code == 1, run.output
    lines = [line for line in run.output.splitlines() if line.strip()]
    assert len(lines) == 1 and says in lines[0], run.output
    assert run.peak_mb < 200, f"peak RSS {run.peak_mb:.0f} MB"
    assert took < 30, f"took {took:.0f} s"


# --- finding 9: a Redis password is never shown ----------------------------------------------------
SECRET = "s3cret-Pa55"


@pytest.mark.parametrize("url", [
    f"redis://:{SECRET}@10.0.0.5:6379/2", f"redis://user:{SECRET}@10.0.0.5:6379/2",
    f"redis://10.0.0.5:6379/2?password={SECRET}", f"redis://{SECRET}@10.0.0.5:6379/2",
    f"redis://10.0.0.5:6379/2?username=u&password={SECRET}#{SECRET}",
])
def test_redact_keeps_only_host_port_and_database(url: str) -> None:
    from scrapers.distributed.state import redact

    assert redact(url) == "redis://10.0.0.5:6379/2"


@pytest.fixture
def redis_with_password(tmp_path: Path) -> Iterator[str]:
    """A redis-server of its own that wants a password; yields its URL, password in the query."""
    import redis

    from scrapers.distributed.local import LocalRedis, find_redis_server

    if find_redis_server() is None:
        pytest.skip("redis-server not found (Debian: apt-get install redis-server)")
    with LocalRedis(folder=tmp_path) as server:
        redis.Redis(port=server.port).config_set("requirepass", SECRET)
        yield f"redis://127.0.0.1:{server.port}/5?password={SECRET}"
        redis.Redis(port=server.port, password=SECRET).config_set("requirepass", "")  # so stop() can SHUTDOWN


@pytest.mark.crawl
def test_a_redis_password_reaches_no_log_summary_or_run_record(redis_with_password: str, tmp_path: Path) -> None:
    url, db = redis_with_password, tmp_path / "a.db"
    worker = newsarchive("crawl", "turan", "--distributed", url, "--base-url", "http://127.0.0.1:9/",
                         "--log-level", "INFO", "-s", "DISTRIBUTED_START_TIMEOUT=1", timeout=120)
    assert worker.returncode == 4, worker.stdout + worker.stderr
    ingest = subprocess.Popen([sys.executable, "-m", "newsarchive", "ingest", "turan", "--redis", url, "--db", str(db),
                               "--log-level", "INFO"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    deadline = time.monotonic() + 60
    while not rows_if(db, "SELECT args FROM crawl_runs") and time.monotonic() < deadline:
        time.sleep(0.2)
    ingest.send_signal(signal.SIGTERM)
    output, _ = ingest.communicate(timeout=60)
    args = rows(db, "SELECT args FROM crawl_runs")
    assert args and "127.0.0.1" in str(args), output
    everything = worker.stdout + worker.stderr + output + str(args)
    assert "redis://127.0.0.1" in everything  # the address is said...
    assert SECRET not in everything, everything  # ...never the password


def rows_if(db: Path, sql: str) -> list[tuple[object, ...]]:
    try:
        return rows(db, sql)
    except sqlite3.Error:  # not created yet
        return []


# --- finding 5: URL classification in linear time -----------------------------------------------------
LONG = 20_000  # characters: ten times what a browser (and Scrapy's URLLENGTH_LIMIT) accepts
# Prefixes that get a pattern past its fixed part, runs of what its repeated parts take, and endings
# that make it fail at the very end: the shapes that make a backtracking regex quadratic.
PREFIXES = ("/", "/2024/03/05/", "/2024-03-05/", "/2024/03/", "/en/news/", "/12345/", "/news/", "/ext/news/2024/3/")
RUNS = ("a", "1", "a-", "-a", "1-", "-1", "a_", "/a", "a/", "a1", ".", "-", "/", "a-1", "1/a")
ENDINGS = ("", "!", "/!", "/x/", ".html!", "/.", "-")


def builtin_patterns() -> list[tuple[str, str]]:
    from scrapers.sites import available_profiles, load_profile

    found = []
    for name in available_profiles():
        profile = load_profile(name)
        for kind in ("article", "listing", "deny"):
            for pattern in getattr(profile, f"{kind}_patterns"):
                found.append((f"{name}.{kind}", pattern.pattern))
    return found


@pytest.mark.parametrize(("where", "pattern"), builtin_patterns(), ids=lambda v: str(v)[:40])
def test_every_builtin_url_pattern_is_linear(where: str, pattern: str) -> None:
    """Each built-in pattern searches 20,000-character paths of every hostile shape in well under a
    millisecond a character (CPU time: the machine's load does not count). A quadratic one takes seconds."""
    import re

    compiled = re.compile(pattern)
    worst, worst_path = 0.0, ""
    for prefix in PREFIXES:
        for run in RUNS:
            for ending in ENDINGS:
                path = prefix + run * ((LONG - len(prefix)) // len(run)) + ending
                started = time.process_time()
                compiled.search(path)
                took = time.process_time() - started
                if took > worst:
                    worst, worst_path = took, path
    assert worst < 0.05, f"{where} {pattern!r}: {worst:.2f} s of CPU on {worst_path[:40]!r}…{worst_path[-20:]!r}"


@pytest.mark.crawl
def test_a_page_of_huge_links_does_not_stall_the_crawl(tmp_path: Path) -> None:
    """Ten copies of a 20,000-character link shaped to make the article pattern backtrack: ~33 s of
    CPU on Scrapy's thread before (each copy classified, each in seconds); skipped now."""
    routes = news_site(ARTICLES)
    huge = "/2024/03/05/" + "a" * LONG + "/!"
    links = [article_path(i) for i in range(ARTICLES)] + [huge] * 10
    routes["/"] = html(home_page(links))
    with running(routes) as site:
        run = newsarchive_measured("crawl", "--start", site.base + "/", "--db", str(tmp_path / "a.db"), "--quiet",
                                   *SETTINGS, timeout=300)
    assert run.code == 0, run.output
    assert len(rows(tmp_path / "a.db", "SELECT id FROM articles")) == ARTICLES
    print(f"crawl: {run.cpu:.1f} s of CPU, peak RSS {run.peak_mb:.0f} MB")
    assert run.cpu < 15, f"{run.cpu:.1f} s of CPU"


# --- finding 2: requests queued in Redis by someone else ------------------------------------------
def hostile_requests(base: str, internal: str) -> list[dict[str, object]]:
    def request(url: str, **meta: object) -> dict[str, object]:
        return {"url": url, "callback": "parse_article", "errback": "on_error", "method": "GET", "headers": {},
                "meta": {"page_kind": "article", **meta}}

    return [
        request("file:///etc/passwd"),
        request("data:text/html,<title>injected</title><p>data URL</p>"),
        request(internal + "/admin"),  # another host
        request(base + "/en", proxy=internal),  # the site's own page, through a "proxy" inside
    ]


@pytest.mark.crawl
def test_queued_requests_stay_on_the_site(tmp_path: Path) -> None:
    import json

    import redis

    from replica.server import running_replica
    from scrapers.distributed.local import LocalRedis, find_redis_server
    from scrapers.distributed.state import CrawlKeys

    if find_redis_server() is None:
        pytest.skip("redis-server not found (Debian: apt-get install redis-server)")
    db, keys = tmp_path / "a.db", CrawlKeys("turan")
    fast = ("-s", "DISTRIBUTED_HEARTBEAT=0.5", "-s", "DISTRIBUTED_WORKER_TIMEOUT=3", "-s", "DISTRIBUTED_IDLE_CLOSE=2")
    with LocalRedis(folder=tmp_path) as server, running_replica(articles=30) as base, running() as internal:
        url = server.url(0)
        client = redis.Redis.from_url(url)
        ingest = subprocess.Popen([sys.executable, "-m", "newsarchive", "ingest", "turan", "--redis", url, "--db",
                                   str(db), "--quiet"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True)
        deadline = time.monotonic() + 60
        while client.hget(keys.state, "status") != b"running" and time.monotonic() < deadline:
            time.sleep(0.1)
        for entry in hostile_requests(str(base), internal.base):
            client.zadd(keys.requests, {json.dumps(entry): -100})
        worker = newsarchive("crawl", "turan", "--distributed", url, "--base-url", base, "--quiet", *fast,
                             timeout=240)
        ingested, _ = ingest.communicate(timeout=120)
    output = worker.stdout + worker.stderr + ingested
    assert internal.requests == [], f"the internal server was asked {internal.requests}:\n{output}"
    assert worker.returncode == 0 and ingest.returncode == 0, output
    urls = [str(u) for u, in rows(db, "SELECT url FROM pages UNION SELECT url FROM failures")]
    assert not [u for u in urls if not u.startswith(str(base))], urls
    assert "3 refused" in worker.stdout + worker.stderr, output
    assert len(rows(db, "SELECT id FROM articles")) >= 25


# --- finding 3: items queued in Redis by someone else ---------------------------------------------
def good_page(n: int) -> bytes:
    from datetime import UTC, datetime

    from archive.store import PageRecord
    from scrapers.distributed.messages import page_message

    return page_message(PageRecord(f"http://127.0.0.1:9/page-{n}", 200, {"Content-Type": "text/html"},
                                   f"<p>page {n}</p>".encode(), datetime.now(UTC)))


def bad_items() -> dict[str, bytes]:
    """What a poisoned queue may hold, each with the dead-letter reason it must get."""
    import base64
    import json

    page = json.loads(good_page(0))

    def with_page(**changes: object) -> bytes:
        return json.dumps({**page, "page": {**page["page"], **changes}}).encode()

    bomb = base64.b64encode(zlib.compress(b"\0" * (512 * 1024 * 1024), 9)).decode()
    article = {"v": 1, "t": "article", "fetched_at": "2024-03-05T10:00:00+00:00", "page": None,
               "article": {"url": "http://127.0.0.1:9/a", "title": {}}}
    return {
        "bad_field headers": with_page(headers=["x"]),
        "bad_field status": with_page(status=1e400),
        "bad_field url": with_page(url=5),
        "bad_field title": json.dumps(article).encode(),
        "bad_field surrogate": with_page(url="http://127.0.0.1:9/\ud800").replace(b"\\\\ud800", b"\\ud800"),
        "too_deep": b'{"v": 1, "t": "page", "page": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "bad_json": b"{not json",
        "body_too_large": with_page(body=bomb),
        "unknown_type": b'{"v": 1, "t": "pickle"}',
    }


@pytest.mark.crawl
def test_bad_items_are_set_aside_and_the_rest_is_written(tmp_path: Path) -> None:
    import threading

    import redis

    from scrapers.distributed.local import LocalRedis, find_redis_server
    from scrapers.distributed.state import CrawlKeys

    if find_redis_server() is None:
        pytest.skip("redis-server not found (Debian: apt-get install redis-server)")
    db, keys, bad = tmp_path / "a.db", CrawlKeys("turan"), bad_items()
    with LocalRedis(folder=tmp_path) as server:
        url = server.url(0)
        client = redis.Redis.from_url(url)
        result: list[object] = []
        ingest = threading.Thread(target=lambda: result.append(newsarchive_measured(
            "ingest", "turan", "--redis", url, "--db", str(db), "--quiet", timeout=300)))
        ingest.start()
        deadline = time.monotonic() + 60
        while client.hget(keys.state, "status") != b"running" and time.monotonic() < deadline:
            time.sleep(0.1)
        items = [good_page(1), *bad.values(), good_page(2)]
        client.rpush(keys.items, *items)
        client.hset(keys.state, "status", "finished")  # as the last worker would
        ingest.join(300)
    run = result[0]
    assert isinstance(run, Measured)
    print(f"ingest: peak RSS {run.peak_mb:.0f} MB")
    assert run.code == 0, run.output
    assert run.peak_mb < PEAK_MB, f"peak RSS {run.peak_mb:.0f} MB"
    assert f"{len(bad)} bad items set aside" in run.output, run.output
    assert {u for u, in rows(db, "SELECT url FROM pages")} == {"http://127.0.0.1:9/page-1", "http://127.0.0.1:9/page-2"}
    letters = [str(r) for r, in rows(db, "SELECT reason FROM dead_letters ORDER BY id")]
    assert letters == [name.split()[0] for name in bad], letters
    stats = newsarchive("stats", "--db", str(db))
    assert stats.returncode == 0 and f"dead letters: {len(bad)} (bad_field 5" in stats.stdout, stats.stdout
