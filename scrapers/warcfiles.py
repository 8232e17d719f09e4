"""WARC, ARC and WACZ files as captures, read with warcio (no WARC parsing here).

An import reads its files twice: first an index of the records (``index_records``: type, URL and date
from the WARC headers, the block read through and dropped), so that the
captures can be fed in capture order whatever order the files hold them in; then each wanted record
again by its offset (``read_capture``). Damage stops the reading of a file at the damaged record,
with one line saying what and where (``Damage``); every record before it is indexed.

A gzipped WARC must be one gzip member per record to be read by offset (the standard); a file
gzipped as a whole is decompressed to a temporary file first. A WACZ's WARC files are extracted
to a temporary folder.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from scrapers.records import (
    HTML_TYPES,
    SKIP_OTHER_RECORD,
    SKIP_REVISIT,
    Capture,
    header,
    join_headers,
    parse_capture_time,
)

# Headers that described the transfer, not the page: the body handed on is decoded, as a live
# fetch's is after Scrapy's decompression (which drops them too).
TRANSFER_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
READ_CHUNK = 1 << 16
NOT_AN_ARCHIVE = "not a WARC or ARC file"


class InputError(Exception):
    """A file that cannot be read as a web archive at all (one line, naming it)."""


@dataclass
class Damage:
    """Where a file stopped being readable, and why (the summary's one line for it)."""

    path: str
    offset: int
    what: str

    def line(self) -> str:
        if self.what.startswith(NOT_AN_ARCHIVE):
            return f"{self.path}: {self.what}: nothing imported from it"
        return f"{self.path}: {self.what} at byte {self.offset}: the records before it are imported, none after"


@dataclass(frozen=True, slots=True)  # one per record of the files: 100,000s of them
class Entry:
    """One record of the index: a response worth reading again (``skip`` None) or the reason not."""

    captured: str  # ISO 8601 UTC, sorts as time
    url: str
    offset: int
    skip: str | None = None


@dataclass
class Source:
    """A readable WARC/ARC file: what the user named (``name``) and where it is read (``path``)."""

    name: str
    path: Path


def _target(record: ArcWarcRecord) -> str:
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    return url.strip().strip("<>")


def _skip(record: ArcWarcRecord) -> str | None:
    """Why a record is no capture to read again, from its WARC headers alone (the HTTP status and
    type are looked at when it is read again: parsing them here too cost a third of the index pass)."""
    if record.rec_type == "revisit":
        return SKIP_REVISIT
    if record.rec_type not in ("response", "resource") or not _target(record).startswith(("http://", "https://")):
        return SKIP_OTHER_RECORD
    return None


def _read_through(record: ArcWarcRecord) -> int:
    """Reads the record's block to its end; returns how many bytes it was short of its Content-Length."""
    while record.raw_stream.read(READ_CHUNK):
        pass
    return int(getattr(record.raw_stream, "limit", 0) or 0)


def _damage_of(exc: BaseException) -> str:
    if isinstance(exc, ArchiveLoadFailed):  # its message quotes the raw bytes: not for a terminal
        return "not a WARC or ARC record (damaged data?)"
    if isinstance(exc, zlib.error | gzip.BadGzipFile):
        return f"corrupt gzip data ({exc})"
    if isinstance(exc, EOFError):
        return "the file ends inside a record"
    return f"unreadable ({type(exc).__name__}: {exc})"


def index_records(source: Source) -> tuple[list[Entry], Damage | None]:
    """Every record of the file in file order, as entries; reading stops at the first damage."""
    entries: list[Entry] = []
    if not _looks_like_archive(source.path):
        return entries, Damage(source.name, 0, f"{NOT_AN_ARCHIVE} (no WARC/ or filedesc:// at its start)")
    with source.path.open("rb") as fh, contextlib.redirect_stderr(io.StringIO()):  # warcio warns raw
        iterator = ArchiveIterator(fh, arc2warc=True, no_record_parse=True)
        offset = 0
        try:
            for record in iterator:
                offset = iterator.get_record_offset()
                if iterator.err_count:  # a record did not end where its Content-Length said: warcio
                    # notices on reading the next one, or, if the block was all headers (read whole on
                    # loading), on loading this one
                    this_one = not getattr(record.raw_stream, "limit", 1)
                    return _wrong_length(source, entries, offset, this_one)
                date = record.rec_headers.get_header("WARC-Date") or ""
                entry = Entry(parse_capture_time(date).isoformat() if date else "", _target(record), offset,
                              _skip(record))
                short = _read_through(record)
                if short:
                    return entries, Damage(source.name, offset, f"a truncated record ({short} bytes missing)")
                entries.append(entry)
        except (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError) as exc:
            if isinstance(exc, ArchiveLoadFailed) and "non-chunked gzip" in str(exc):
                raise _WholeFileGzip from None
            if not entries and (iterator.err_count or isinstance(exc, ArchiveLoadFailed)):
                return entries, Damage(source.name, 0, NOT_AN_ARCHIVE)
            if iterator.err_count:
                return _wrong_length(source, entries, offset, False)
            return entries, Damage(source.name, iterator.offset, _damage_of(exc))
    size = source.path.stat().st_size
    if iterator.offset < size:  # warcio stops quietly at a record cut short by the end of the file
        return entries, Damage(source.name, iterator.offset, "the file ends inside a record (truncated)")
    return entries, None


def _looks_like_archive(path: Path) -> bool:
    """A WARC begins with its version line, an ARC with its filedesc record (gzipped or not)."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(31).decompress(head, 32)
        except zlib.error:
            return False
    return head.lstrip().startswith((b"WARC/", b"filedesc:"))


def _wrong_length(source: Source, entries: list[Entry], offset: int, this_one: bool) -> tuple[list[Entry], Damage]:
    """A record that did not end where its Content-Length said is not imported, nor anything after it."""
    bad = None if this_one or not entries else entries.pop()
    return entries, Damage(source.name, bad.offset if bad else offset, "a record whose Content-Length is wrong")


class _WholeFileGzip(Exception):
    """The file is gzipped as a whole, not record by record."""


def read_capture(fh: BinaryIO, offset: int) -> Capture:
    """The response record at `offset`, its body decoded (chunked, gzip...) as a fetch would give it;
    the body is not read for a status other than 200 or a type other than HTML (never imported)."""
    fh.seek(offset)
    record = next(iter(ArchiveIterator(fh, arc2warc=True)))
    if record.http_headers is not None:
        status = int(record.http_headers.get_statuscode() or 0)
        pairs = [(k, v) for k, v in record.http_headers.headers if k.lower() not in TRANSFER_HEADERS]
    else:  # a resource record: no HTTP status, taken as a 200
        status, pairs = 200, [("Content-Type", record.rec_headers.get_header("Content-Type") or "")]
    headers = join_headers(pairs)
    media = (header(headers, "content-type") or "").split(";")[0].strip().lower()
    wanted = status == 200 and (not media or media in HTML_TYPES)
    return Capture(
        url=_target(record),
        captured_at=parse_capture_time(record.rec_headers.get_header("WARC-Date") or ""),
        status=status, headers=headers, body=record.content_stream().read() if wanted else b"",
    )


def read_photo(fh: BinaryIO, offset: int, max_bytes: int) -> Capture | str:
    """The response record at `offset` whatever its type, its body cut at `max_bytes` + 1 (so a
    photo over the cap is seen as such without being read whole); no body for a status but 200.
    A revisit record gives the URL it refers to instead (the same bytes, stored under that URL)."""
    fh.seek(offset)
    record = next(iter(ArchiveIterator(fh, arc2warc=True)))
    if record.rec_type == "revisit":
        return (record.rec_headers.get_header("WARC-Refers-To-Target-URI") or "").strip().strip("<>")
    if record.http_headers is not None:
        status = int(record.http_headers.get_statuscode() or 0)
        pairs = [(k, v) for k, v in record.http_headers.headers if k.lower() not in TRANSFER_HEADERS]
    else:
        status, pairs = 200, [("Content-Type", record.rec_headers.get_header("Content-Type") or "")]
    return Capture(
        url=_target(record),
        captured_at=parse_capture_time(record.rec_headers.get_header("WARC-Date") or ""),
        status=status, headers=join_headers(pairs),
        body=record.content_stream().read(max_bytes + 1) if status == 200 else b"",
    )


class Inputs:
    """The files of one import as readable sources; temporary copies are removed on close."""

    def __init__(self) -> None:
        self.sources: list[Source] = []
        self.problems: list[str] = []  # one line each: a file that is no web archive, a WACZ without index
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    def _scratch(self) -> Path:
        if self._tmp is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="newsarchive-import-")
        return Path(self._tmp.name)

    def add(self, path: Path) -> None:
        if zipfile.is_zipfile(path):
            self._add_wacz(path)
        else:
            self.sources.append(Source(str(path), path))

    def _add_wacz(self, path: Path) -> None:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            warcs = [n for n in names if n.startswith("archive/") and n.endswith((".warc", ".warc.gz"))]
            if not warcs:
                self.problems.append(f"{path}: a ZIP file with no archive/*.warc(.gz): not a WACZ, nothing imported")
                return
            if not any(n.startswith("indexes/") and ".cdx" in n for n in names):
                self.problems.append(f"{path}: a WACZ without its index (indexes/index.cdx or .cdxj): "
                                     "its WARC files are read all the same")
            folder = self._scratch() / f"wacz{len(self.sources)}"
            for name in warcs:
                target = folder / Path(name).name
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(name) as src, target.open("wb") as dst:
                    shutil.copyfileobj(src, dst)
                self.sources.append(Source(f"{path}!{name}", target))

    def index(self, source: Source) -> tuple[list[Entry], Damage | None]:
        try:
            return index_records(source)
        except _WholeFileGzip:
            plain = self._scratch() / f"plain{id(source)}.warc"
            try:
                with gzip.open(source.path, "rb") as src, plain.open("wb") as dst:
                    shutil.copyfileobj(src, dst)
            except (OSError, EOFError, zlib.error) as exc:  # keep what decompressed before the damage
                self.problems.append(f"{source.name}: gzipped as a whole and damaged ({exc})")
            source.path = plain
            return index_records(source)

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


def iter_files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in (".warc", ".gz", ".arc", ".wacz"))
        else:
            yield path
