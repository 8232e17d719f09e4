"""How raw page bodies are compressed: zlib, with a preset dictionary per site once it has enough pages.

Pages of one site share most of their bytes (the header, menus, scripts, icons, the footer), and
plain zlib starts from nothing on every page, so it spends most of its output re-encoding that
chrome.  Once a site (a host) has ``DICT_SAMPLE_PAGES`` bodies stored, a dictionary is built from
them (``build_dictionary``) and kept in ``compression_dicts``; later bodies of the site are
compressed against it and record it in ``page_bodies.dict_id`` (compression ``'zlib-dict'``).
Bodies stored before that keep plain ``'zlib'``, except the sample itself, re-compressed with the
new dictionary (it is in hand, and each re-compressed body is checked before it replaces the old).

``decompress_body`` is the one decoder every reader goes through (``Archive.page_body``); a body
always decodes to its exact original bytes, and readers check them against the stored SHA-256.
An archive file may come from someone else, so decoding is bounded: never more than the body's
recorded size (nor MAX_BODY_BYTES), and anything else is a ``BodyDamagedError``.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from archive.errors import ArchiveError, BodyDamagedError

ZLIB = "zlib"
ZLIB_DICT = "zlib-dict"
NONE = "none"  # stored as is (never written by the archive itself; kept readable)

# Without a dictionary, measured on 300 real pages (240 KB average): level 1/3/6 store 23/21/19 % of
# the size in 1.5/1.8/3.9 ms a page.  The crawler is CPU-bound and writes in its own process, so 3.
ZLIB_LEVEL = 3
# With a dictionary most of a page is long matches into it, which are cheap to find: on 1,000
# replica pages level 3/6/9 stored 1,847/1,726/1,721 B a page in 0.39/0.59/1.19 ms, so 6.
DICT_ZLIB_LEVEL = 6
# Bodies of a site sampled to build its dictionary.  On a 2,000-article replica crawl (bench/size.py)
# 10/20/30/50 pages gave 2,235/1,763/1,714/1,679 B a page: the gain flattens after ~30, while a site
# needs that many pages before it has a dictionary at all (plain zlib stores ~4,900 B a page here).
DICT_SAMPLE_PAGES = 30
# zlib's window: a preset dictionary longer than 32 KB is cut to its last 32 KB anyway.
DICT_MAX_BYTES = 32 * 1024
# A chunk kept for the dictionary must recur in at least this many sample pages: chrome recurs in
# all of them, a "latest news" list or a repeated boilerplate sentence in a few, page text in one.
DICT_MIN_PAGES = 2
# Shorter chunks ("<p>", "<b>") gain next to nothing (zlib's shortest match is 3 bytes) and recur in the page itself.
_MIN_CHUNK = 4

# The largest body a reader decompresses: well above the crawl's DOWNLOAD_MAXSIZE (20 MiB), far below
# what a crafted archive could make a reader allocate (a 300 MiB zlib bomb took reparse to 650 MB).
MAX_BODY_BYTES = 64 * 1024 * 1024

_CHUNK = re.compile(rb"(?=<)")  # chunks of markup: a tag and the text up to the next tag


@dataclass(frozen=True)
class Dictionary:
    id: int
    data: bytes


# --- the codec ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredBody:
    compression: str
    blob: bytes
    dict_id: int | None = None


def compress_body(body: bytes, zdict: Dictionary | None = None) -> StoredBody:
    """A raw body as stored: compressed against `zdict` when given, else with plain zlib.

    A dictionary-compressed body is decoded again before it is returned: should it ever not give
    back the exact bytes, the body is stored with plain zlib instead (never a body that is lost).
    """
    if zdict is not None and len(body) <= MAX_BODY_BYTES:  # what is read back is bounded so
        packer = zlib.compressobj(DICT_ZLIB_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS, zdict=zdict.data)
        blob = packer.compress(body) + packer.flush()
        if _decode(ZLIB_DICT, blob, zdict.data) == body:
            return StoredBody(ZLIB_DICT, blob, zdict.id)
    return StoredBody(ZLIB, zlib.compress(body, ZLIB_LEVEL))


def decompress_body(
    compression: str, blob: bytes, zdict: bytes | None = None, *, size: int = MAX_BODY_BYTES
) -> bytes:
    """The raw bytes of a stored body of `size` bytes (as recorded); BodyDamagedError when it cannot
    be decoded, would decode to more than `size` (or MAX_BODY_BYTES), or to fewer."""
    limit = min(size, MAX_BODY_BYTES)
    if size > MAX_BODY_BYTES:
        raise BodyDamagedError(f"stored page body says it is {size} bytes, over the {MAX_BODY_BYTES}-byte limit")
    try:
        return _decode(compression, blob, zdict, limit)
    except zlib.error as exc:
        raise BodyDamagedError(f"stored page body cannot be decompressed ({compression}): {exc}") from None


def _decode(compression: str, blob: bytes, zdict: bytes | None, limit: int = MAX_BODY_BYTES) -> bytes:
    if compression == NONE:
        body = blob
    elif compression in (ZLIB, ZLIB_DICT):
        if compression == ZLIB_DICT and zdict is None:
            raise BodyDamagedError("page body compressed with a dictionary that is missing")
        unpacker = zlib.decompressobj(zlib.MAX_WBITS, zdict=zdict) if zdict else zlib.decompressobj()
        body = unpacker.decompress(blob, limit + 1)  # one byte more than allowed tells "too long"
        if len(body) <= limit:
            body += unpacker.flush()
            if not unpacker.eof:
                raise zlib.error("truncated stream")
    else:
        raise BodyDamagedError(f"unknown page body compression {compression!r}")
    if len(body) > limit:
        raise BodyDamagedError(f"stored page body decompresses to more than its {limit} bytes")
    return body


# --- building a dictionary ---------------------------------------------------------------------


def _chunks(body: bytes) -> list[bytes]:
    return _CHUNK.split(body)


def build_dictionary(samples: Sequence[bytes], max_bytes: int = DICT_MAX_BYTES) -> bytes:
    """A preset dictionary from sample bodies of one site: their recurring chunks, then recent bytes.

    Chunks (a tag and the text after it) found in at least DICT_MIN_PAGES samples are scored by
    pages x length, the best kept up to `max_bytes` and laid out most common LAST (zlib codes near
    distances in fewer bits, and the page's own text pushes the start of the dictionary out of the
    window first).  Room left is filled with the end of the newest samples: whole pages keep the
    chrome in page order, which gives zlib longer matches.  The same samples give the same bytes.
    """
    pages = Counter(chunk for body in samples for chunk in set(_chunks(body)))
    recurring = [c for c, n in pages.items() if n >= DICT_MIN_PAGES and len(c) >= _MIN_CHUNK]
    recurring.sort(key=lambda c: (-pages[c] * len(c), c))
    chosen: list[bytes] = []
    size = 0
    for chunk in recurring:
        if size + len(chunk) <= max_bytes:
            chosen.append(chunk)
            size += len(chunk)
    chosen.sort(key=lambda c: (pages[c], c))
    common = b"".join(chosen)
    room = max_bytes - len(common)
    recent = b"".join(samples)[-room:] if room > 0 else b""
    return recent + common


# --- dictionaries in the archive ---------------------------------------------------------------


def site_of(url: str) -> str:
    """The site a page belongs to for compression: its host (and port), lower case."""
    return urlsplit(url).netloc.lower()


def _url_ranges(host: str) -> list[str]:
    """Bounds of the URLs of `host` (http and https), for a range scan of the pages' URL index:
    every URL starting with "scheme://host/" sorts in ["scheme://host/", "scheme://host0")."""
    return [bound for scheme in ("http", "https") for bound in (f"{scheme}://{host}/", f"{scheme}://{host}0")]


_HOST_BODIES = (
    "SELECT content_hash FROM pages WHERE ((url >= ? AND url < ?) OR (url >= ? AND url < ?)) "
    "AND content_hash IS NOT NULL GROUP BY content_hash ORDER BY max(id) DESC LIMIT ?"
)
_HOST_BODY_COUNT = (
    "SELECT count(*) FROM (SELECT DISTINCT content_hash FROM pages WHERE ((url >= ? AND url < ?) "
    "OR (url >= ? AND url < ?)) AND content_hash IS NOT NULL LIMIT ?)"
)
_BODY_WITH_DICT = (
    "SELECT b.compression, b.body, d.dict, b.size FROM page_bodies b "
    "LEFT JOIN compression_dicts d ON d.id = b.dict_id WHERE b.hash = ?"
)


def read_body(conn: sqlite3.Connection, content_hash: str) -> bytes | None:
    """The raw bytes of the stored body `content_hash` (None when there is none), not yet verified."""
    row = conn.execute(_BODY_WITH_DICT, (content_hash,)).fetchone()
    if row is None:
        return None
    size = int(row[3])
    body = decompress_body(str(row[0]), bytes(row[1]), None if row[2] is None else bytes(row[2]), size=size)
    if len(body) != size:
        raise BodyDamagedError(f"stored page body {content_hash} is {len(body)} bytes, not the {size} recorded")
    return body


def current_dictionary(conn: sqlite3.Connection, host: str) -> Dictionary | None:
    """The newest dictionary of `host`.  Read per batch, never cached: a batch that built one and
    was rolled back must not leave an id behind that another dictionary may reuse."""
    row = conn.execute(
        "SELECT id, dict FROM compression_dicts WHERE host = ? ORDER BY id DESC LIMIT 1", (host,)
    ).fetchone()
    return None if row is None else Dictionary(int(row[0]), bytes(row[1]))


def _stored_sample(conn: sqlite3.Connection, host: str, limit: int) -> list[tuple[str, bytes]]:
    """Up to `limit` stored bodies of `host`, (hash, raw bytes), oldest first.  A damaged body is
    left out: it must neither stop the batch nor be re-compressed as if it were the page."""
    hashes = [str(r[0]) for r in conn.execute(_HOST_BODIES, (*_url_ranges(host), limit))]
    out = []
    for content_hash in reversed(hashes):
        try:
            body = read_body(conn, content_hash)
        except ArchiveError:
            continue
        if body is not None and hashlib.sha256(body).hexdigest() == content_hash:
            out.append((content_hash, body))
    return out


def _stored_count(conn: sqlite3.Connection, host: str, limit: int) -> int:
    """How many distinct bodies `host` has stored, counting no further than `limit` (asked per batch
    while the site has no dictionary, so it stops early instead of scanning all its pages)."""
    return int(conn.execute(_HOST_BODY_COUNT, (*_url_ranges(host), limit)).fetchone()[0])


def dictionary_for(conn: sqlite3.Connection, host: str, new_bodies: Sequence[bytes]) -> Dictionary | None:
    """The dictionary to compress `new_bodies` of `host` with: the site's own, or one built now when
    the bodies already stored and these reach DICT_SAMPLE_PAGES; None while the site has fewer."""
    existing = current_dictionary(conn, host)
    if existing is not None or not host:
        return existing
    wanted = DICT_SAMPLE_PAGES - len(new_bodies)
    if wanted > 0 and _stored_count(conn, host, wanted) < wanted:
        return None
    stored = _stored_sample(conn, host, max(wanted, 0))
    samples = [body for _, body in stored] + list(new_bodies[-DICT_SAMPLE_PAGES:])
    data = build_dictionary(samples)
    if not data:  # empty pages only: nothing to share, plain zlib
        return None
    cur = conn.execute(
        "INSERT INTO compression_dicts (host, created_at, size, sample_count, dict) VALUES (?, ?, ?, ?, ?)",
        (host, datetime.now(UTC).isoformat(timespec="seconds"), len(data), len(samples), data),
    )
    assert cur.lastrowid is not None
    zdict = Dictionary(cur.lastrowid, data)
    _recompress(conn, stored, zdict)
    return zdict


def _recompress(conn: sqlite3.Connection, stored: Iterable[tuple[str, bytes]], zdict: Dictionary) -> None:
    """The sample bodies, stored before their site had a dictionary, re-compressed with it when smaller."""
    rows = []
    for content_hash, body in stored:
        again = compress_body(body, zdict)
        if again.dict_id is not None:
            rows.append((again.blob, again.dict_id, content_hash, len(again.blob)))
    conn.executemany(
        "UPDATE page_bodies SET compression = 'zlib-dict', body = ?, dict_id = ? "
        "WHERE hash = ? AND dict_id IS NULL AND length(body) > ?",
        rows,
    )


def by_site(bodies: Iterable[tuple[str, str, bytes]]) -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
    """(host, [(hash, body)...]) from (url, hash, body), in the order the hosts first appear."""
    groups: dict[str, list[tuple[str, bytes]]] = {}
    for url, content_hash, body in bodies:
        groups.setdefault(site_of(url), []).append((content_hash, body))
    yield from groups.items()
