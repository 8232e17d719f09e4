"""The wire format of a distributed crawl: what a worker sends to Redis and the ingester reads back.

Each fetched page, parsed article, failed URL and re-visit outcome is one JSON message (raw bodies
zlib + base64, never pickle), stamped with the format's version. Workers (pipelines/redis_queue.py)
encode; the ingester (scrapers/distributed/ingest.py) decodes a list of them into a ``Batch``.
"""

from __future__ import annotations

import base64
import json
import logging
import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from archive.store import ArticleRecord, FailureRecord, PageRecord, RevisitRecord
from scrapers.parsers.article import Article, Caption, Comment

logger = logging.getLogger(__name__)

FORMAT = 1  # the message format's version; an ingester refuses messages of another


# --- the message format ---------------------------------------------------------------------------


def _dt(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_dt(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def encode_page(page: PageRecord) -> dict[str, Any]:
    return {
        "url": page.url, "status": page.status, "headers": page.headers,
        "body": base64.b64encode(zlib.compress(page.body, 1)).decode("ascii"),
        "fetched_at": _dt(page.fetched_at), "final_url": page.final_url, "content_type": page.content_type,
    }


def decode_page(data: dict[str, Any]) -> PageRecord:
    fetched = _parse_dt(data["fetched_at"])
    assert fetched is not None
    return PageRecord(
        url=str(data["url"]), status=int(data["status"]), headers={str(k): str(v) for k, v in data["headers"].items()},
        body=zlib.decompress(base64.b64decode(data["body"])), fetched_at=fetched,
        final_url=data.get("final_url"), content_type=data.get("content_type"),
    )


def encode_article(article: Article) -> dict[str, Any]:
    data = asdict(article)
    data["published"], data["modified"] = _dt(article.published), _dt(article.modified)
    for comment, original in zip(data["comments"], article.comments, strict=True):
        comment["published"] = _dt(original.published)
    return data


def decode_article(data: dict[str, Any]) -> Article:
    fields = dict(data)
    fields["published"], fields["modified"] = _parse_dt(data.get("published")), _parse_dt(data.get("modified"))
    fields["captions"] = [Caption(**c) for c in data.get("captions", [])]
    fields["comments"] = [Comment(**{**c, "published": _parse_dt(c.get("published"))})
                          for c in data.get("comments", [])]
    return Article(**fields)  # an unknown field is a TypeError: a message of a newer format


def _message(kind: str, **fields: Any) -> bytes:
    return json.dumps({"v": FORMAT, "t": kind, **fields}, ensure_ascii=False, separators=(",", ":")).encode()


def page_message(page: PageRecord) -> bytes:
    """A fetched page that is not an article (listing, feed, a page kept as evidence)."""
    return _message("page", page=encode_page(page))


def article_message(record: ArticleRecord) -> bytes:
    return _message("article", article=encode_article(record.article),
                    page=encode_page(record.page) if record.page else None, fetched_at=_dt(record.fetched_at))


def failure_message(failure: FailureRecord, page: PageRecord | None = None) -> bytes:
    return _message("failure", url=failure.url, reason=failure.reason, status=failure.status,
                    detail=failure.detail, at=_dt(failure.failed_at), attempts=failure.attempts,
                    page=encode_page(page) if page else None)


def revisit_message(revisit: RevisitRecord, page: PageRecord | None = None) -> bytes:
    return _message("revisit", url=revisit.url, outcome=revisit.outcome, at=_dt(revisit.at), reason=revisit.reason,
                    page=encode_page(page) if page else None)


@dataclass
class Batch:
    """Messages decoded into what ``Archive.write_batch`` takes."""

    pages: list[PageRecord] = field(default_factory=list)
    articles: list[ArticleRecord] = field(default_factory=list)
    failures: list[FailureRecord] = field(default_factory=list)
    revisits: list[RevisitRecord] = field(default_factory=list)
    undecodable: int = 0

    def add(self, data: bytes) -> None:
        message = json.loads(data)
        if not isinstance(message, dict) or message.get("v") != FORMAT:
            raise ValueError(f"not a newsarchive item of format {FORMAT}")
        kind = message.get("t")
        page = decode_page(message["page"]) if message.get("page") else None
        if kind == "page" and page is not None:
            self.pages.append(page)
        elif kind == "article":
            at = _parse_dt(message["fetched_at"])
            assert at is not None
            self.articles.append(ArticleRecord(decode_article(message["article"]), page, at))
        elif kind == "failure":
            at = _parse_dt(message["at"])
            assert at is not None
            self.failures.append(FailureRecord(str(message["url"]), str(message["reason"]), message.get("status"),
                                               message.get("detail"), at, int(message.get("attempts", 1))))
            if page is not None:
                self.pages.append(page)
        elif kind == "revisit":
            at = _parse_dt(message["at"])
            assert at is not None
            self.revisits.append(RevisitRecord(str(message["url"]), str(message["outcome"]), at, message.get("reason")))
            if page is not None:
                self.pages.append(page)
        else:
            raise ValueError(f"unknown item type {kind!r}")

    @classmethod
    def of(cls, messages: Sequence[bytes]) -> Batch:
        batch = cls()
        for data in messages:
            try:
                batch.add(data)
            except (ValueError, TypeError, KeyError, AssertionError, zlib.error) as exc:
                batch.undecodable += 1
                logger.error("skipped an item that cannot be read (%s): %.200r", exc, data)
        return batch
