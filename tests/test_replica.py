"""The offline turan.az replica: model, pages over real HTTP, and ground truth consistent with pages."""

from __future__ import annotations

import http.client
import itertools
import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from random import Random
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from click.testing import CliRunner

from replica import lexicon, phrases
from replica.cli import replica as replica_cli
from replica.httpd import SiteHandler
from replica.labels import UI
from replica.pages import respond
from replica.server import ReplicaURL, running_replica
from replica.site import ReplicaSite
from replica.textgen import capitalize, invented_person, render, slugify

AZ_LETTERS = set("əşçğöüıİ")
CYRILLIC = re.compile(r"[а-яА-ЯёЁ]")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with _OPENER.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def get_html(url: str) -> lxml.html.HtmlElement:
    status, _, body = fetch(url)
    assert status == 200, url
    return lxml.html.fromstring(body.decode("utf-8"))


@pytest.fixture(scope="module")
def base() -> Iterator[ReplicaURL]:
    with running_replica(articles=300, seed=1) as url:
        yield url


@pytest.fixture(scope="module")
def truth(base: ReplicaURL) -> list[dict[str, object]]:
    return list(base.site.ground_truth(base))


# --- the model -------------------------------------------------------------------------------


def test_same_seed_same_site_other_seed_other_site() -> None:
    one, two = ReplicaSite(seed=1, articles=120), ReplicaSite(seed=1, articles=120)
    other = ReplicaSite(seed=2, articles=120)
    assert [e.path for e in one.entries] == [e.path for e in two.entries]
    assert [e.path for e in one.entries] != [e.path for e in other.entries]
    paths = [e.path for e in one.entries[::7]] + ["/az", "/en/politics", "/ru/rss.xml", "/nowhere"]
    for path in paths:
        assert respond(one, path, "", "http://h").body == respond(two, path, "", "http://h").body
    assert list(one.ground_truth("http://h")) == list(two.ground_truth("http://h"))


def test_distributions_follow_the_brief() -> None:
    site = ReplicaSite(seed=3, articles=3000)
    entries = site.entries
    assert len(entries) == 3000
    share = {kind: sum(e.kind == kind for e in entries) / len(entries) for kind in ("idless", "legacy")}
    assert 0.02 < share["idless"] < 0.09
    assert 2 <= len(site.legacy) <= 4
    assert all(5000 <= (entries[i].article_id or 0) < 6000 for i in site.legacy)
    assert 0.005 < sum(e.missing for e in entries) / len(entries) < 0.04
    assert {e.lang for e in entries} == {"az", "en", "ru"}
    records = list(site.ground_truth("http://h"))
    assert 0.06 < sum(bool(r["is_partial"]) for r in records) / len(records) < 0.14
    assert 0.24 < sum(bool(r["comments"]) for r in records) / len(records) < 0.36
    datelines = sum(bool(re.match(r"^[^/\s]+/\d\d\.\d\d\.\d\d/Turan: ", str(r["body"]))) for r in records)
    assert 0.5 < datelines / len(records) < 0.7
    assert any(r["modified"] for r in records) and any(r["authors"] for r in records)
    assert {str(r["published"])[:4] for r in records} >= {"2019", "2022", "2024"}
    assert all(str(r["published"]).endswith("+04:00") for r in records)
    # A story id is shared by its translations, one per language.
    by_id: dict[str, set[str]] = {}
    for r in records:
        if r["article_id"]:
            by_id.setdefault(str(r["article_id"]), set()).add(str(r["language"]))
    assert max(len(langs) for langs in by_id.values()) == 3


def test_text_is_multilingual_with_real_letters(truth: list[dict[str, object]]) -> None:
    az = " ".join(f"{r['title']} {r['body']}" for r in truth if r["language"] == "az")
    ru = " ".join(f"{r['title']} {r['body']}" for r in truth if r["language"] == "ru")
    en = " ".join(str(r["body"]) for r in truth if r["language"] == "en")
    assert set(az) >= AZ_LETTERS
    assert len(CYRILLIC.findall(ru)) > 0.5 * len(re.findall(r"\w", ru))
    assert "Əliyev" in az and "Aliyev" in en and "Алиев" in ru
    assert "Bakı" in az and "Baku" in en and "Баку" in ru
    for r in truth:
        paragraphs = str(r["body"]).split("\n\n")
        assert 1 <= len(paragraphs) <= 12 and all(p.strip() == p and p for p in paragraphs)
        if not r["is_partial"]:
            assert len(paragraphs) >= 3


def test_every_template_renders_in_every_language() -> None:
    people = [invented_person(Random(i)) for i in range(30)]
    slots = {"off": lexicon.OFFICIALS, "fo": lexicon.FOREIGN_LEADERS, "exp": people, "exp2": people[::-1],
             "c": lexicon.COUNTRIES, "pl": lexicon.PLACES, "org": lexicon.ORGS, "tp": lexicon.TOPICS,
             "cm": lexicon.COMMODITIES}
    numbers: dict[str, float | int] = {"n": 3.5, "r": 7.25, "m": 120, "k": 7, "big": 150, "w": 800, "p2": 40,
                                       "yr": 2019}
    templates = [tpl for group in (*phrases.TITLES.values(), *phrases.SENTENCES.values()) for tpl in group]
    templates += phrases.CAPTIONS + phrases.COMMENTS
    for tpl in templates:
        for lang in tpl:
            for i in range(11):
                chosen = {name: options[i % len(options)] for name, options in slots.items()}
                text = render(tpl, lang, chosen, numbers)
                assert "{" not in text and "[" not in text
    assert capitalize("istanbul", "az") == "İstanbul" and capitalize("«экспорт»", "ru") == "«Экспорт»"
    assert slugify("Şuşa: Çətin sual – İlham Əliyev") == "susa-cetin-sual-ilham-eliyev"
    assert slugify("Экспорт нефти вырос на 3,5%") == "eksport-nefti-vyros-na-3-5"


def test_building_the_model_generates_no_article_and_a_page_generates_one() -> None:
    """What keeps a 100k-article replica quick to build: the model holds metadata only, and an
    article's content is generated when one of its pages is asked for, once."""
    site = ReplicaSite(seed=1, articles=3_000)
    assert len(site.entries) == 3_000 and len(site.by_path) == 3_000
    assert site.content.cache_info().misses == 0  # type: ignore[attr-defined]
    last = next(e for e in reversed(site.entries) if not e.missing)
    assert respond(site, last.path, "", "http://h").status == 200
    assert respond(site, last.path, "", "http://h").status == 200
    generated = site.content.cache_info()  # type: ignore[attr-defined]
    assert (generated.misses, generated.hits) == (1, 1)


# --- HTTP --------------------------------------------------------------------------------------


def test_root_redirects_and_homes_have_chrome(base: ReplicaURL) -> None:
    status, headers, _ = fetch(base + "/")
    assert status == 302 and headers["Location"] == base + "/az"
    status, headers, _ = fetch(base + "/en/")
    assert status == 301 and headers["Location"] == base + "/en"
    for lang in ("az", "en", "ru"):
        doc = get_html(f"{base}/{lang}")
        assert doc.get("lang") == lang
        assert doc.xpath("//aside[@class='newsline']/h3")[0].text == UI[lang]["newsline"]
        assert len(doc.xpath("//div[@class='grid']/div[contains(@class,'grid-item')]")) == 20
        assert UI[lang]["follow"] in doc.xpath("string(//footer)")


def test_listing_pagination_reaches_every_listed_article(base: ReplicaURL) -> None:
    site = base.site
    found: list[str] = []
    for (lang, section), items in site.listings.items():
        url: str | None = f"{base}/{lang}/{section}"
        times: list[int] = []
        while url:
            doc = get_html(url)
            links = doc.xpath("//div[@class='grid']/div[contains(@class,'grid-item')]/div[@class='isslstcap']/a/@href")
            found += links
            times += [site.entry_for(link).ts for link in links]  # type: ignore[union-attr]
            nxt = doc.xpath("//div[@class='pagination']/a[@class='next']/@href")
            url = urljoin(url, nxt[0]) if nxt else None
        assert times == sorted(times, reverse=True), (lang, section)
        assert len(times) == len(items)
        pages = site.page_count(lang, section)
        assert fetch(f"{base}/{lang}/{section}?page={pages + 1}")[0] == 404
    listed = {e.path for e in site.entries if e.kind != "legacy"}
    assert sorted(found) == sorted(listed)


def test_404s(base: ReplicaURL) -> None:
    missing = base.site.missing_urls(base)
    assert missing
    for url in missing:
        status, headers, body = fetch(url)
        assert status == 404 and 'class="newsline"' in body.decode()
        assert headers["Content-Type"] == "text/html; charset=utf-8"
    for path in ("/nowhere", "/en/politics?page=abc", "/en/politics?page=0", "/sitemap.xml", "/en/tag/baku",
                 "/ru/no-such-section", "/ext/news/rss.xml"):
        assert fetch(base + path)[0] == 404, path
    assert fetch(base + "/rss")[0] == 403


def test_robots_txt(base: ReplicaURL) -> None:
    status, headers, body = fetch(base + "/robots.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    lines = body.decode().splitlines()
    assert "User-agent: *" in lines and "Disallow: /search" in lines and "Disallow: /admin/" in lines


def test_rss_feeds_parse_and_link_live_articles(base: ReplicaURL) -> None:
    for lang in ("az", "en", "ru"):
        status, headers, body = fetch(f"{base}/{lang}/rss.xml")
        assert status == 200 and "xml" in headers["Content-Type"]
        items = ET.fromstring(body).findall("./channel/item")
        assert 0 < len(items) <= 50
        for item in items[:10]:
            link = item.findtext("link") or ""
            assert link.startswith(base) and fetch(link)[0] == 200
            entry = base.site.entry_for(urlsplit(link).path)
            assert entry is not None and entry.lang == lang and item.findtext("title") == entry.title


def test_conditional_requests(base: ReplicaURL) -> None:
    entry = next(base.site.articles())
    url = base + entry.path
    status, headers, body = fetch(url)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert int(headers["Content-Length"]) == len(body)
    etag, modified = headers["ETag"], headers["Last-Modified"]
    assert fetch(url, {"If-None-Match": etag})[0] == 304
    assert fetch(url, {"If-None-Match": '"other", ' + etag})[0] == 304
    assert fetch(url, {"If-None-Match": '"other"'})[0] == 200
    assert fetch(url, {"If-Modified-Since": modified})[0] == 304
    assert fetch(url, {"If-Modified-Since": "Mon, 01 Jan 2018 00:00:00 GMT"})[0] == 200
    status, head_headers, head_body = fetch(url, method="HEAD")
    assert status == 200 and head_body == b"" and head_headers["Content-Length"] == str(len(body))


def test_host_header_drives_absolute_urls(base: ReplicaURL) -> None:
    entry = next(base.site.articles())
    conn = http.client.HTTPConnection(urlsplit(base).netloc, timeout=10)
    conn.request("GET", entry.path, headers={"Host": "archive.example:8080"})
    html = conn.getresponse().read().decode()
    conn.close()
    assert f'<link rel="canonical" href="http://archive.example:8080{entry.path}">' in html


def test_legacy_pages_hang_off_the_calendar(base: ReplicaURL, truth: list[dict[str, object]]) -> None:
    calendar = get_html(base + "/az").xpath("//footer//div[@class='archive']/a/@href")
    assert calendar and re.match(r"^/ext/clndr/\d{4}/\d{1,2}/analytics_001_az\.htm$", calendar[0])
    links = get_html(base + calendar[0]).xpath("//div[@class='grid']//div[@class='isslstcap']/a/@href")
    assert 2 <= len(links) <= 4
    legacy_truth = {urlsplit(str(r["url"])).path: r for r in truth if str(r["url"]).endswith(".htm")}
    assert sorted(links) == sorted(legacy_truth)
    for link in links:
        assert re.match(r"^/ext/news/\d{4}/\d{1,2}/free/[a-z]+_news/(az|en|ru)/\d+\.htm$", link)
        assert get_html(base + link).xpath("//h1/text()")[0] == legacy_truth[link]["title"]


def test_images_are_images(base: ReplicaURL, truth: list[dict[str, object]]) -> None:
    captions = [c for r in truth for c in r["captions"]]  # type: ignore[attr-defined]
    assert captions
    for caption in captions[:20]:
        status, headers, body = fetch(caption["image_url"])
        magic = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG", "image/svg+xml": b"<?xml"}
        assert status == 200 and body.startswith(magic[headers["Content-Type"]])
    status, headers, body = fetch(base + "/img/logo.png")
    assert status == 200 and headers["Content-Type"] == "image/png" and body[:4] == b"\x89PNG"


def test_request_log_records_what_was_fetched(base: ReplicaURL) -> None:
    fetch(base + "/en/politics?page=2")
    fetch(base + "/definitely-missing")
    log = base.server.requests
    assert ("GET", "/en/politics?page=2", 200) in log
    assert ("GET", "/definitely-missing", 404) in log


# --- ground truth against the pages --------------------------------------------------------------


def _page_facts(doc: lxml.html.HtmlElement, url: str) -> dict[str, object]:
    """A strict reading of the markup contract, to check the ground truth against real pages."""
    main = doc.xpath("//div[contains(@class,'maincontent')]")[0]
    paragraphs = [p.text_content() for p in main.xpath("./p")]
    body = "\n\n".join(p for p in paragraphs if p not in ("—0—", "-0-"))
    captions = []
    for holder in doc.xpath("//div[@class='mainimg'] | //figure[@class='inimg']"):
        cap = holder.xpath(".//div[@class='imgcap'] | .//figcaption")[0]
        credit = cap.xpath("./a")
        text = cap.text_content()
        if credit:
            text = text[: text.rindex(" (")]
        captions.append({"image_url": urljoin(url, holder.xpath(".//img/@src")[0]), "text": text,
                         "credit": credit[0].text if credit else None,
                         "credit_url": credit[0].get("href") if credit else None})
    comments = []
    for li in doc.xpath("//div[@class='reviews']//li[@class='comment']"):
        parent = li.xpath("ancestor::li[@class='comment'][1]/@id")
        comments.append({
            "comment_id": li.get("id").removeprefix("comment-"),
            "parent_id": parent[0].removeprefix("comment-") if parent else None,
            "author": li.xpath("./span[@class='cmauthor']")[0].text_content(),
            "published_raw": li.xpath("./span[@class='cmdate']")[0].text_content(),
            "text": li.xpath("./div[@class='cmtext']")[0].text_content(),
        })
    meta = {m.get("property"): m.get("content") for m in doc.xpath("//meta[@property]")}
    return {
        "title": doc.xpath("//h1[@class='captxt' or @class='urgcaptxt']")[0].text_content(),
        "published_raw": doc.xpath("//div[@class='article']/div[@class='manspdt']")[0].text_content(),
        "canonical_url": doc.xpath("//link[@rel='canonical']/@href")[0],
        "authors": doc.xpath("//div[@class='article']/div[@class='author']/a/text()"),
        "tags": doc.xpath("//div[@class='tags']/a/text()"),
        "body": body, "captions": captions, "comments": comments,
        "is_partial": bool(doc.xpath("//div[contains(@class,'prvNews')]")),
        "modified": meta.get("article:modified_time"),
        "published_meta": meta.get("article:published_time"),
    }


def test_ground_truth_matches_every_page(base: ReplicaURL, truth: list[dict[str, object]]) -> None:
    assert len(truth) == sum(not e.missing for e in base.site.entries)
    for record in truth:
        url = str(record["url"])
        facts = _page_facts(get_html(url), url)
        for key in ("title", "published_raw", "canonical_url", "authors", "tags", "body", "captions",
                    "is_partial", "modified"):
            assert facts[key] == record[key], (url, key)
        assert facts["published_meta"] in (None, record["published"])
        comments = record["comments"]
        assert [{k: c[k] for k in c if k != "published"} for c in comments] == facts["comments"]  # type: ignore[attr-defined]
        if record["is_partial"]:
            lang = str(record["language"])
            assert UI[lang]["paywall"] not in str(record["body"])


def test_ground_truth_file_is_json_lines(tmp_path: Path) -> None:
    site = ReplicaSite(seed=4, articles=60)
    target = tmp_path / "truth.jsonl"
    count = site.write_ground_truth(target, "http://replica.test")
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert count == len(records) == 60 - len(site.missing_urls())
    assert all(r["url"].startswith("http://replica.test/") and r["site"] == "turan" for r in records)


def test_comment_threads_are_consistent(truth: list[dict[str, object]]) -> None:
    seen: set[str] = set()
    for record in truth:
        comments: list[dict[str, str]] = record["comments"]  # type: ignore[assignment]
        depth: dict[str, int] = {}
        for c in comments:
            assert c["comment_id"] not in seen  # unique per site
            seen.add(c["comment_id"])
            parent = c["parent_id"]
            if parent is None:
                depth[c["comment_id"]] = 1
                assert c["published"] > str(record["published"])
            else:
                assert parent in depth  # parents come first, in the same article
                depth[c["comment_id"]] = depth[parent] + 1
                assert c["published"] > next(p["published"] for p in comments if p["comment_id"] == parent)
            assert depth[c["comment_id"]] <= 3 and c["author"] and c["text"]
    assert any(c["parent_id"] for r in truth for c in r["comments"])  # type: ignore[attr-defined]


def test_bodies_exclude_chrome_and_markers(truth: list[dict[str, object]]) -> None:
    chrome = [UI[lang][key] for lang in UI for key in ("newsline", "review", "follow", "paywall")]
    for record in truth:
        body = str(record["body"])
        assert "—0—" not in body and "-0-" not in body
        assert not any(text in body for text in chrome)


# --- command line ----------------------------------------------------------------------------------


def test_cli_help_and_module_entry_point() -> None:
    result = CliRunner().invoke(replica_cli, ["serve", "--help"])
    assert result.exit_code == 0 and "Example" in result.output and "--ground-truth" in result.output
    done = subprocess.run([sys.executable, "-m", "replica", "serve", "--help"], capture_output=True, text=True,
                          timeout=30, check=False)
    assert done.returncode == 0 and "--articles" in done.stdout


def test_pages_come_over_one_keep_alive_connection_without_nagle(base: ReplicaURL) -> None:
    """A crawl's requests share connections: the server keeps each open, and sends on it with Nagle's
    algorithm off (TCP_NODELAY on every accepted socket), which would otherwise hold a response's
    second write for the client's delayed ACK (40 ms a page)."""
    entries = list(itertools.islice(base.site.articles(), 100, 160))
    conn = http.client.HTTPConnection(urlsplit(base).netloc, timeout=10)
    conn.connect()
    sock = conn.sock
    for entry in entries:
        conn.request("GET", entry.path)
        response = conn.getresponse()
        assert response.status == 200 and response.read()
        assert conn.sock is sock  # the same connection: the server did not close it
    conn.close()
    assert SiteHandler.disable_nagle_algorithm  # StreamRequestHandler.setup sets TCP_NODELAY by it
