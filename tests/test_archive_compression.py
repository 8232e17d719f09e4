"""Page bodies compressed with a preset dictionary per site: exact round trips, one dictionary per
site, smaller than plain zlib, old 'zlib' rows and migrated version-3 archives still readable."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

import pytest

from archive import compression, schema
from archive.compression import (
    DICT_MAX_BYTES,
    DICT_SAMPLE_PAGES,
    ZLIB_LEVEL,
    Dictionary,
    build_dictionary,
    compress_body,
    decompress_body,
    site_of,
)
from archive.errors import ArchiveError
from archive.read import check
from archive.store import Archive, ArticleRecord, PageRecord, RevisitRecord
from replica.pages import respond
from replica.site import ReplicaSite
from scrapers.parsers import parse_article
from scrapers.reparse import reparse
from scrapers.sites import load_profile

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
WORDS = (
    "parliament", "budget", "minister", "oil", "gas", "pipeline", "election", "court", "protest", "reform", "bank",
    "manat", "export", "harbour", "village", "school", "hospital", "river", "bridge", "road", "festival", "museum",
)
# Site chrome as real pages carry it: a head with styles and a script, a menu, icons, a footer
# (@TITLE@ and @HOST@ are filled in per page and per site).
CHROME_HEAD = (
    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>@TITLE@ | @HOST@</title>"
    "<style>" + "".join(f".c{i}{{margin:{i}px;padding:{i % 7}px;color:#{i * 4099 % 0xFFFFFF:06x}}}" for i in range(120))
    + "</style><script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
    "gtag('config','G-@HOST@');</script></head><body><header><nav>"
    + "".join(f"<a href=\"/section/{w}\">{w.title()}</a>" for w in WORDS) + "</nav></header><main>"
)
CHROME_FOOT = (
    "</main><footer>" + "".join(
        f"<a href=\"https://social.example/{i}\"><svg viewBox=\"0 0 24 24\"><polygon points=\""
        + " ".join(f"{(i * 7 + k * 13) % 24}.{k:03d},{(i * 11 + k * 5) % 24}.{k:03d}" for k in range(40))
        + "\"/></svg></a>" for i in range(6)
    ) + "<p>&copy; @HOST@. All rights reserved.</p></footer></body></html>"
)


def site_page(host: str, n: int) -> bytes:
    """Page `n` of the synthetic site `host`: shared chrome around a text of its own."""
    rng = Random(f"{host}/{n}")
    title = " ".join(rng.choice(WORDS) for _ in range(6))
    text = "".join(
        "<p>" + " ".join(rng.choice(WORDS) + str(rng.randrange(1000)) for _ in range(40)) + ".</p>" for _ in range(8)
    )
    html = CHROME_HEAD.replace("@TITLE@", title) + f"<h1>{title}</h1>{text}" + CHROME_FOOT
    return html.replace("@HOST@", host).encode()


def pages_of(host: str, start: int, count: int) -> list[PageRecord]:
    return [
        PageRecord(f"https://{host}/news/{n}", 200, {}, site_page(host, n), T0 + timedelta(minutes=n),
                   content_type="text/html")
        for n in range(start, start + count)
    ]


def write_in_batches(archive: Archive, pages: list[PageRecord], size: int = 10) -> None:
    for i in range(0, len(pages), size):
        archive.write_batch(pages=pages[i:i + size])


def stored(archive: Archive) -> dict[str, tuple[str, int, int, int | None]]:
    """hash -> (compression, size, stored length, dict_id) of every body."""
    rows = archive.conn.execute("SELECT hash, compression, size, length(body), dict_id FROM page_bodies")
    return {str(r[0]): (str(r[1]), int(r[2]), int(r[3]), r[4]) for r in rows}


def dictionaries(archive: Archive) -> list[tuple[int, str, int, int]]:
    rows = archive.conn.execute("SELECT id, host, size, sample_count FROM compression_dicts ORDER BY id")
    return [(int(r[0]), str(r[1]), int(r[2]), int(r[3])) for r in rows]


def assert_exact(archive: Archive, pages: list[PageRecord]) -> None:
    """Every page reads back byte for byte, and its row's hash and size describe those bytes."""
    rows = stored(archive)
    for page in pages:
        body = archive.page_body(page.sha256)
        assert body == page.body
        assert hashlib.sha256(body).hexdigest() == page.sha256 and rows[page.sha256][1] == len(body)


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    with Archive.open(tmp_path / "archive.db") as a:
        yield a


# --- the codec ---------------------------------------------------------------------------------


def test_codec_round_trips_and_refuses_what_it_cannot_decode() -> None:
    body = site_page("news.example", 1)
    zdict = Dictionary(7, build_dictionary([site_page("news.example", n) for n in range(2, 12)]))
    packed = compress_body(body, zdict)
    assert (packed.compression, packed.dict_id) == ("zlib-dict", 7)
    assert decompress_body(packed.compression, packed.blob, zdict.data) == body
    plain = compress_body(body)
    assert (plain.compression, plain.dict_id) == ("zlib", None)
    assert decompress_body("zlib", plain.blob) == body
    assert len(packed.blob) < len(plain.blob)
    assert decompress_body("none", body) == body
    with pytest.raises(ArchiveError, match="dictionary that is missing"):
        decompress_body("zlib-dict", packed.blob, None)
    with pytest.raises(ArchiveError, match="cannot be decompressed"):
        decompress_body("zlib-dict", packed.blob, b"another dictionary")
    with pytest.raises(ArchiveError, match="cannot be decompressed"):
        decompress_body("zlib-dict", packed.blob[:-9], zdict.data)
    with pytest.raises(ArchiveError, match="unknown page body compression"):
        decompress_body("brotli", plain.blob)


def test_a_dictionary_is_at_most_32_kb_deterministic_and_keeps_the_chrome() -> None:
    samples = [site_page("news.example", n) for n in range(DICT_SAMPLE_PAGES)]
    zdict = build_dictionary(samples)
    assert 0 < len(zdict) <= DICT_MAX_BYTES
    assert build_dictionary(list(samples)) == zdict
    assert b"gtag('config','G-news.example')" in zdict and b"All rights reserved" in zdict
    assert build_dictionary([]) == b"" and build_dictionary([b"", b""]) == b""


def test_site_is_the_host() -> None:
    assert site_of("https://News.Example:8080/a/b?c=1") == "news.example:8080"
    assert site_of("http://127.0.0.1:4000/az") == "127.0.0.1:4000"


# --- in the archive ----------------------------------------------------------------------------


def test_many_pages_of_a_site_round_trip_exactly(archive: Archive) -> None:
    pages = pages_of("news.example", 0, 4 * DICT_SAMPLE_PAGES)
    write_in_batches(archive, pages)
    assert_exact(archive, pages)
    rows = stored(archive)
    assert {c for c, _, _, _ in rows.values()} == {"zlib-dict"}  # the sample too, re-compressed
    assert check(archive) == []


def test_the_dictionary_is_built_once_when_the_site_has_enough_pages(archive: Archive) -> None:
    first = pages_of("news.example", 0, DICT_SAMPLE_PAGES - 1)
    write_in_batches(archive, first)
    assert dictionaries(archive) == []
    assert {c for c, _, _, _ in stored(archive).values()} == {"zlib"}
    rest = pages_of("news.example", DICT_SAMPLE_PAGES - 1, 3 * DICT_SAMPLE_PAGES)
    write_in_batches(archive, rest)
    ((dict_id, host, size, samples),) = dictionaries(archive)
    assert (host, samples) == ("news.example", DICT_SAMPLE_PAGES) and 0 < size <= DICT_MAX_BYTES
    # Built in the batch that brought the site to DICT_SAMPLE_PAGES: from its 10 pages and the 20 newest
    # stored, which are re-compressed with it; the older ones stay plain zlib.
    rows = stored(archive)
    assert [rows[p.sha256][3] for p in first] == [None] * (len(first) - 20) + [dict_id] * 20
    assert {rows[p.sha256][3] for p in rest} == {dict_id}
    assert_exact(archive, first + rest)


def test_a_dictionary_makes_the_bodies_of_a_site_smaller(archive: Archive) -> None:
    pages = pages_of("news.example", 0, 5 * DICT_SAMPLE_PAGES)
    write_in_batches(archive, pages)
    with_dict = sum(length for _, _, length, _ in stored(archive).values())
    without = sum(len(zlib.compress(p.body, ZLIB_LEVEL)) for p in pages)
    dict_bytes = sum(size for _, _, size, _ in dictionaries(archive))
    assert with_dict + dict_bytes < 0.6 * without, (with_dict, dict_bytes, without)


def test_two_sites_each_use_their_own_dictionary(archive: Archive) -> None:
    a, b = pages_of("a.example", 0, 60), pages_of("b.example", 0, 60)
    mixed = [page for pair in zip(a, b, strict=True) for page in pair]
    write_in_batches(archive, mixed, size=12)
    by_host = {host: dict_id for dict_id, host, _, _ in dictionaries(archive)}
    assert set(by_host) == {"a.example", "b.example"}
    rows = stored(archive)
    assert {rows[p.sha256][3] for p in a} == {by_host["a.example"]}
    assert {rows[p.sha256][3] for p in b} == {by_host["b.example"]}
    assert_exact(archive, mixed)


def test_a_site_with_few_pages_keeps_plain_zlib(archive: Archive) -> None:
    big, small = pages_of("big.example", 0, 50), pages_of("small.example", 0, 5)
    write_in_batches(archive, big + small)
    assert [host for _, host, _, _ in dictionaries(archive)] == ["big.example"]
    assert {stored(archive)[p.sha256][0] for p in small} == {"zlib"}
    assert_exact(archive, big + small)


def test_a_batch_rolled_back_leaves_no_dictionary_behind(archive: Archive) -> None:
    pages = pages_of("news.example", 0, DICT_SAMPLE_PAGES)
    bad = [RevisitRecord("https://news.example/x", "bogus", T0)]  # fails after the pages were written
    with pytest.raises(ArchiveError, match="unknown re-visit outcome"):
        archive.write_batch(pages=pages, revisits=bad)
    assert dictionaries(archive) == [] and stored(archive) == {}
    archive.write_batch(pages=pages)
    assert len(dictionaries(archive)) == 1
    assert_exact(archive, pages)


def test_old_zlib_rows_stay_readable_next_to_dictionary_ones(archive: Archive) -> None:
    old = b"<html><body>archived before dictionaries existed</body></html>"
    digest = hashlib.sha256(old).hexdigest()
    archive.conn.execute(
        "INSERT INTO page_bodies (hash, compression, size, body) VALUES (?, 'zlib', ?, ?)",
        (digest, len(old), zlib.compress(old, 3)),
    )
    pages = pages_of("news.example", 0, 2 * DICT_SAMPLE_PAGES)
    write_in_batches(archive, pages)
    assert archive.page_body(digest) == old
    assert stored(archive)[digest][0] == "zlib"
    assert_exact(archive, pages)


def test_a_damaged_dictionary_body_is_an_archive_error(archive: Archive) -> None:
    pages = pages_of("news.example", 0, DICT_SAMPLE_PAGES)
    archive.write_batch(pages=pages)
    digest = pages[0].sha256
    archive.conn.execute("UPDATE page_bodies SET body = substr(body, 1, 40) WHERE hash = ?", (digest,))
    with pytest.raises(ArchiveError, match="cannot be decompressed"):
        archive.page_body(digest)


# --- a version-3 archive, migrated ---------------------------------------------------------------

# What the version-3 writer stored: plain zlib, level 3, no dictionary column.
_V3_INSERT_BODY = "INSERT OR IGNORE INTO page_bodies (hash, compression, size, body) VALUES (?, 'zlib', ?, ?)"


def replica_records(articles: int) -> list[ArticleRecord]:
    """Article pages of a replica, rendered in process, with what the turan parser makes of them."""
    site, base, profile = ReplicaSite(seed=3, articles=articles), "http://turan.test", load_profile("turan")
    records = []
    for entry in site.articles():
        response = respond(site, entry.path, "", base)
        page = PageRecord(base + entry.path, 200, {}, response.body, T0, content_type=response.content_type)
        article = parse_article(page.body, page.url, profile, content_type=page.content_type)
        records.append(ArticleRecord(article, page, T0))
    return records


def test_a_version_3_archive_migrates_reads_and_reparses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    records = replica_records(40)
    old_pages = [r.page for r in records[:20] if r.page]
    monkeypatch.setattr(schema, "MIGRATIONS", tuple(m for m in schema.MIGRATIONS if m.version <= 3))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 3)
    with Archive.open(path) as a:
        a.conn.executemany(_V3_INSERT_BODY, ((p.sha256, len(p.body), zlib.compress(p.body, 3)) for p in old_pages))
        a.write_batch(articles=records[:20])  # bodies already stored: pages and articles only
        assert "compression_dicts" not in a.db.table_names()
    monkeypatch.undo()

    with Archive.open(path) as a:
        assert a.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION >= 4
        assert_exact(a, old_pages)
        assert {c for c, _, _, d in stored(a).values()} == {"zlib"}
        a.write_batch(articles=records[20:])  # the site reaches DICT_SAMPLE_PAGES: its dictionary now
        assert [host for _, host, _, _ in dictionaries(a)] == ["turan.test"]
        assert_exact(a, [r.page for r in records if r.page])
        kinds = {c for c, _, _, _ in stored(a).values()}
        assert kinds == {"zlib", "zlib-dict"}  # the newest old bodies joined the sample, the rest stay
        assert check(a) == []
    result = reparse(path, workers=0)
    assert (result.articles, result.changed, result.unchanged, dict(result.skipped)) == (40, 0, 40, {})


def test_sampling_reads_the_newest_bodies_of_the_site(archive: Archive, monkeypatch: pytest.MonkeyPatch) -> None:
    """A site with many plain bodies already (an old archive): the sample is its newest pages."""
    monkeypatch.setattr(compression, "DICT_SAMPLE_PAGES", 10**6)  # no dictionary while writing these
    old = pages_of("news.example", 0, 40)
    write_in_batches(archive, old)
    monkeypatch.undo()
    new = pages_of("news.example", 40, 1)
    archive.write_batch(pages=new)
    recompressed = {h for h, (c, _, _, _) in stored(archive).items() if c == "zlib-dict"}
    assert recompressed == {p.sha256 for p in old[-(DICT_SAMPLE_PAGES - 1):] + new}
    assert_exact(archive, old + new)


def test_check_reports_a_body_that_lost_its_dictionary(archive: Archive) -> None:
    pages = pages_of("news.example", 0, DICT_SAMPLE_PAGES)
    archive.write_batch(pages=pages)
    assert check(archive) == []
    archive.conn.execute("UPDATE page_bodies SET dict_id = NULL WHERE hash = ?", (pages[0].sha256,))
    problems = check(archive)
    assert problems[0] == "1 page bodies whose compression dictionary is missing"
    assert problems[1].startswith("1 stored page bodies are damaged") and len(problems) == 2  # read back too
    with pytest.raises(ArchiveError, match="dictionary that is missing"):
        archive.page_body(pages[0].sha256)


def test_a_damaged_stored_body_is_left_out_of_the_sample(archive: Archive) -> None:
    first = pages_of("news.example", 0, 10)
    archive.write_batch(pages=first)
    damaged = first[8].sha256
    archive.conn.execute("UPDATE page_bodies SET body = zeroblob(10) WHERE hash = ?", (damaged,))
    rest = pages_of("news.example", 10, DICT_SAMPLE_PAGES - 5)
    archive.write_batch(pages=rest)  # the sample: these and the 5 newest stored, one of them damaged
    ((_, _, _, samples),) = dictionaries(archive)
    assert samples == DICT_SAMPLE_PAGES - 1
    assert stored(archive)[damaged][0] == "zlib"  # left as it was, still reported as damaged
    with pytest.raises(ArchiveError):
        archive.page_body(damaged)
    assert_exact(archive, first[:8] + first[9:] + rest)
