"""The CDX API of web archives (the Wayback Machine, Common Crawl's index, pywb): queries and answers.

Pure functions, no Scrapy: what to ask (``listing_url``), what an answer holds (``parse_listing``),
and where a capture's original bytes are (``capture_request``). Both answer shapes are read: the
Wayback Machine's ``output=json`` (a JSON array of arrays, the first row the field names, and with
``showResumeKey=true`` an empty row then ``[resume key]`` at the end) and pywb's / Common Crawl's
(one JSON object a line). A page that is neither is ``CdxError``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

WAYBACK_CDX = "https://web.archive.org/cdx/search/cdx"
WAYBACK_REPLAY = "https://web.archive.org/web/"
COMMONCRAWL_INDEX = "https://index.commoncrawl.org/{collection}-index"
COMMONCRAWL_DATA = "https://data.commoncrawl.org/"
SOURCES = ("wayback", "commoncrawl")


class CdxError(ValueError):
    """A CDX answer that cannot be read (one line: what it was)."""


@dataclass(frozen=True)
class CdxRow:
    url: str
    timestamp: str  # YYYYMMDDhhmmss
    status: str  # "200", "301", "-" (a revisit, a warc/revisit in Common Crawl)
    mime: str
    digest: str
    filename: str | None = None  # Common Crawl: the WARC file and the record's byte range in it
    offset: int | None = None
    length: int | None = None


@dataclass
class CdxPage:
    rows: list[CdxRow]
    resume_key: str | None


@dataclass(frozen=True)
class CdxSource:
    """Where captures are listed and fetched from."""

    kind: str  # "wayback" (replay server, `id_` mode) or "commoncrawl" (WARC byte ranges)
    endpoint: str  # the CDX API URL
    replay: str  # wayback: replay prefix (…/web/); commoncrawl: where the WARC files are

    @classmethod
    def make(cls, kind: str, cdx: str | None = None, collection: str | None = None,
             replay: str | None = None) -> CdxSource:
        if kind not in SOURCES:
            raise ValueError(f"--from {kind!r}: expected one of {', '.join(SOURCES)}")
        if kind == "commoncrawl":
            if not cdx and not collection:
                raise ValueError("--from commoncrawl needs --collection CC-MAIN-YYYY-WW (or --cdx URL)")
            endpoint = cdx or COMMONCRAWL_INDEX.format(collection=collection)
            return cls(kind, endpoint, replay or COMMONCRAWL_DATA)
        endpoint = cdx or WAYBACK_CDX
        return cls(kind, endpoint, replay or default_replay(endpoint))

    def key(self, query: str) -> str:
        """The listing's name in the archive (cdx_progress.source)."""
        return f"{self.kind} {self.endpoint} {query}"


def default_replay(endpoint: str) -> str:
    """The replay prefix beside a CDX endpoint: pywb serves /COLL/cdx and replays at /COLL/."""
    if endpoint.rstrip("/") == WAYBACK_CDX:
        return WAYBACK_REPLAY
    parts = urlsplit(endpoint)
    path = parts.path.rstrip("/")
    if path.endswith("/cdx"):
        path = path[: -len("/cdx")]
    return f"{parts.scheme}://{parts.netloc}{path}/"


def url_pattern(base_url: str) -> str:
    """Every URL of the site: host[:port] and a path prefix, as the CDX API's prefix match wants it."""
    parts = urlsplit(base_url)
    return f"{parts.netloc}{parts.path.rstrip('/')}/*"


def listing_url(endpoint: str, pattern: str, since: str | None, until: str | None, limit: int,
                resume_key: str | None = None) -> str:
    params: list[tuple[str, str]] = [("url", pattern), ("output", "json"), ("showResumeKey", "true")]
    if limit:
        params.append(("limit", str(limit)))
    if since:
        params.append(("from", since))
    if until:
        params.append(("to", until))
    if resume_key:
        params.append(("resumeKey", resume_key))
    return f"{endpoint}?{urlencode(params)}"


def _row(fields: dict[str, str]) -> CdxRow:
    url = fields.get("url") or fields.get("original") or ""
    timestamp = fields.get("timestamp") or ""
    if not url or not timestamp.isdigit():
        raise CdxError(f"a CDX row without url and timestamp: {json.dumps(fields)[:160]}")
    offset, length = fields.get("offset"), fields.get("length")
    return CdxRow(
        url=url, timestamp=timestamp,
        status=str(fields.get("status") or fields.get("statuscode") or "-"),
        mime=str(fields.get("mime") or fields.get("mimetype") or ""),
        digest=str(fields.get("digest") or ""),
        filename=fields.get("filename"),
        offset=int(offset) if offset and str(offset).isdigit() else None,
        length=int(length) if length and str(length).isdigit() else None,
    )


def _wayback_json(rows: list[object]) -> CdxPage:
    if not rows:
        return CdxPage([], None)
    header, *rest = rows
    if not isinstance(header, list):
        raise CdxError("a JSON CDX answer whose first row is not the field names")
    resume = None
    if len(rest) >= 2 and rest[-2] == [] and isinstance(rest[-1], list) and len(rest[-1]) == 1:
        resume, rest = str(rest[-1][0]), rest[:-2]
    out = []
    for row in rest:
        if not isinstance(row, list) or len(row) != len(header):
            raise CdxError(f"a CDX row that does not match the field names: {str(row)[:160]}")
        out.append(_row(dict(zip(map(str, header), map(str, row), strict=True))))
    return CdxPage(out, resume)


def parse_listing(body: bytes) -> CdxPage:
    """Rows and resume key of one CDX answer (either shape); CdxError for anything else."""
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return CdxPage([], None)
    if text.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CdxError(f"not JSON ({exc.msg} at character {exc.pos})") from None
        return _wayback_json(data if isinstance(data, list) else [])
    rows, resume = [], None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            fields = json.loads(line)
        except json.JSONDecodeError:
            raise CdxError(f"line {number} is not JSON: {line[:80]!r}") from None
        if not isinstance(fields, dict):
            raise CdxError(f"line {number} is not a JSON object: {line[:80]!r}")
        if set(fields) == {"resumeKey"} or set(fields) == {"resume_key"}:
            resume = str(next(iter(fields.values())))
            continue
        rows.append(_row({k: str(v) for k, v in fields.items()}))
    return CdxPage(rows, resume)


def replay_url(source: CdxSource, row: CdxRow) -> str:
    """A capture's original bytes: the `id_` replay (no rewriting, no banner) or its WARC file."""
    if source.kind == "commoncrawl":
        return source.replay.rstrip("/") + "/" + (row.filename or "").lstrip("/")
    return f"{source.replay}{row.timestamp}id_/{row.url}"
