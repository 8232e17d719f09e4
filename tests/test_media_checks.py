"""Photos without a crawl: what the bytes are (archive/imageinfo.py), which hosts may serve them
(scrapers/media_policy.py), and how the archive stores them once (archive/media.py)."""

from __future__ import annotations

import struct
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.imageinfo import MediaProblem, check, sniff
from archive.media import MediaLink, MediaRecord, iter_media, media_bytes, media_file, sha256_of
from archive.read import check as check_archive
from archive.read import get_article
from archive.store import Archive, ArticleRecord
from replica import images
from scrapers.media_policy import HostPolicy, is_private_host, wanted_images
from scrapers.parsers.article import Article, Caption
from scrapers.sites import ProfileError, profile_from_dict
from tests.conftest import newsarchive

T0 = datetime(2025, 3, 1, tzinfo=UTC)


def _gif(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00" + b"\x2c" + bytes(9) + b"\x02\x02D\x01\x00;"


def _webp_lossless(width: int, height: int) -> bytes:
    bits = (width - 1) | ((height - 1) << 14)
    chunk = b"VP8L" + struct.pack("<I", 5) + b"\x2f" + struct.pack("<I", bits) + b"\x00"
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


@pytest.mark.parametrize(
    ("data", "content_type", "size"),
    [
        (images.jpeg(1, 640, 424), "image/jpeg", (640, 424)),
        (images.png(1, 320, 240), "image/png", (320, 240)),
        (_gif(33, 17), "image/gif", (33, 17)),
        (_webp_lossless(300, 200), "image/webp", (300, 200)),
        (images.svg(1, 120, 80), "image/svg+xml", (120, 80)),
    ],
)
def test_type_and_size_come_from_the_header_bytes(data: bytes, content_type: str, size: tuple[int, int]) -> None:
    found = check(data, "application/octet-stream")  # the server's word does not count
    assert (found.content_type, found.width, found.height) == (content_type, *size)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<!DOCTYPE html><html><body>Not found</body></html>", "not_image"),
        (b"", "empty"),
        (images.jpeg(1, 640, 424)[:9000], "truncated"),
        (images.png(1, 320, 240)[:-12], "truncated"),
        (images.png_bomb(), "too_many_pixels"),
        (images.SVG_SCRIPT, "svg_active"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)">x</a></svg>', "svg_active"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>', "svg_active"),
        (b"\x89PNG\r\n\x1a\n" + bytes(40), "truncated"),
    ],
)
def test_bad_bytes_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(MediaProblem) as refused:
        check(data, "image/jpeg")
    assert refused.value.reason == reason


def test_a_pixel_bomb_is_refused_without_decoding() -> None:
    bomb = images.png_bomb()
    assert len(bomb) < 2000 and sniff(bomb).width == 100_000  # read from IHDR alone
    with pytest.raises(MediaProblem, match="100000 x 100000"):
        check(bomb, "image/png", max_pixels=90_000_000)


def test_hosts_site_cdn_and_private_addresses() -> None:
    open_policy = HostPolicy(("news.example",))
    page = "https://news.example/en/politics/a-1"
    assert open_policy.refusal("https://cdn.images.example/p/1.jpg", page) is None  # a CDN the page uses
    assert open_policy.refusal("http://127.0.0.1:8000/x.jpg", page) == "private_host"
    assert open_policy.refusal("http://10.1.2.3/x.jpg", page) == "private_host"
    assert open_policy.refusal("http://[::1]/x.jpg", page) == "private_host"
    assert open_policy.refusal("http://localhost/x.jpg", page) == "private_host"
    assert open_policy.refusal("file:///etc/passwd", page) == "bad_url"
    assert open_policy.refusal("data:image/png;base64,AAAA", page) == "bad_url"
    # The replica is served on 127.0.0.1: its images (and its CDN's, another port) are allowed.
    assert open_policy.refusal("http://127.0.0.1:9001/x.jpg", "http://127.0.0.1:9000/en/a-1") is None
    strict = HostPolicy(("news.example",), media_hosts=("cdn.news-media.example",))
    assert strict.refusal("https://img.cdn.news-media.example/1.jpg", page) is None
    assert strict.refusal("https://static.news.example/1.jpg", page) is None
    assert strict.refusal("https://tracker.example/1.jpg", page) == "host_not_allowed"
    assert open_policy.address_refusal("192.168.0.4", page) == "private_address"  # a name resolved inward
    assert open_policy.address_refusal("93.184.216.34", page) is None
    assert is_private_host("169.254.169.254") and not is_private_host("8.8.8.8")


def test_which_images_each_policy_wants() -> None:
    article = Article(url="https://n.example/a", captions=[
        Caption("https://n.example/1.jpg", "Lead photo", "AFP"),
        Caption("https://n.example/2.jpg", ""),
        Caption("https://n.example/1.jpg", "The lead again"),
        Caption("https://n.example/3.jpg", "", credit="Reuters"),
    ])
    assert wanted_images(article, "captioned") == [(0, "https://n.example/1.jpg"), (3, "https://n.example/3.jpg")]
    assert [u for _, u in wanted_images(article, "all")] == [f"https://n.example/{i}.jpg" for i in (1, 2, 3)]
    assert wanted_images(article, "none") == []


def _record(data: bytes, url: str) -> MediaRecord:
    info = check(data, None)
    return MediaRecord(sha256_of(data), url, info.content_type, "image/jpeg", data, info.width, info.height, T0)


def _article(n: int, urls: list[str]) -> Article:
    return Article(url=f"https://n.example/a-{n}", site="n", article_id=str(n), language="en", body="Text.",
                   captions=[Caption(u, f"Caption {i}") for i, u in enumerate(urls)])


@pytest.mark.parametrize("in_files", [False, True])
def test_an_image_is_stored_once_per_sha256(tmp_path: Path, in_files: bool) -> None:
    photo, other = images.jpeg(7, 640, 424), images.png(8, 320, 240)
    media_dir = tmp_path / "media" if in_files else None
    with Archive.open(tmp_path / "a.db") as archive:
        first = ArticleRecord(_article(1, ["https://n.example/p.jpg"]), None, T0,
                              [MediaLink("https://n.example/p.jpg", sha256_of(photo), 0)])
        result = archive.write_batch(articles=[first], media=[_record(photo, "https://n.example/p.jpg")],
                                     media_dir=media_dir)
        assert (result.media_new, result.media_bytes) == (1, len(photo))
        # The same bytes under another URL, for another article, and a second image.
        second = ArticleRecord(_article(2, ["https://cdn.example/same.jpg", "https://n.example/o.png"]), None, T0, [
            MediaLink("https://cdn.example/same.jpg", sha256_of(photo), 0),
            MediaLink("https://n.example/o.png", sha256_of(other), 1),
        ])
        result = archive.write_batch(
            articles=[second], media=[_record(photo, "https://cdn.example/same.jpg"), _record(other, "o")],
            media_dir=media_dir,
        )
        assert (result.media_new, result.media_bytes) == (1, len(other))
        assert archive.conn.execute("SELECT count(*) FROM media").fetchone()[0] == 2
        assert archive.conn.execute("SELECT count(*) FROM media_links").fetchone()[0] == 3
        found = media_bytes(archive.conn, archive.path, sha256_of(photo))
        assert found is not None and found[1] == photo and found[0].content_type == "image/jpeg"
        stored = list(iter_media(archive.conn, archive.path))
        assert sorted(m.sha256 for m in stored) == sorted({sha256_of(photo), sha256_of(other)})
        assert all(m.data is not None and sha256_of(m.data) == m.sha256 for m in stored)
        in_row = archive.conn.execute("SELECT count(data) FROM media").fetchone()[0]
        assert in_row == (0 if in_files else 2)
        shown = get_article(archive, "https://n.example/a-2")
        assert shown is not None and [c["photo"]["sha256"] for c in shown["captions"]] == [
            sha256_of(photo), sha256_of(other)]
        assert check_archive(archive) == []
    if media_dir is not None:
        assert media_file(media_dir, sha256_of(other)).read_bytes() == other
        media_file(media_dir, sha256_of(other)).unlink()
        with Archive.open(tmp_path / "a.db") as archive:
            assert any("photo files missing" in p for p in check_archive(archive))


def test_a_bad_photo_policy_is_one_line_before_the_crawl(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    done = newsarchive("crawl", "turan", "--db", str(db), "-s", "MEDIA_IMAGES=some")
    assert done.returncode == 4 and done.stderr.strip().splitlines() == [
        "newsarchive crawl: could not run: MEDIA_IMAGES: 'some' is not one of none, captioned, all"]
    assert not db.exists()
    with pytest.raises(ProfileError, match=r"x\.toml: media\.images: 'most' is not one of"):
        profile_from_dict({"name": "x", "media": {"images": "most"}}, "x.toml")
    with pytest.raises(ProfileError, match=r"media\.host: unknown field"):
        profile_from_dict({"name": "x", "media": {"host": ["cdn.example"]}}, "x.toml")
    profile = profile_from_dict({"name": "x", "media": {"images": "all", "hosts": ["CDN.example"]}}, "x.toml")
    assert profile.crawl_settings() == {"MEDIA_IMAGES": "all", "MEDIA_HOSTS": ["cdn.example"]}
