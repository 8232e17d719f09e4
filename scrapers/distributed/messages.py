"""The wire format of a distributed crawl: what a worker sends to Redis and the ingester reads back.

Each fetched page, parsed article, failed URL and re-visit outcome is one JSON message (raw bodies
zlib + base64, never pickle), stamped with the format's version. Workers (pipelines/redis_queue.py)
encode; the ingester (scrapers/distributed/ingest.py) decodes a list of them into a ``Batch``. A
message is untrusted on the way back (scrapers/distributed/itemcheck.py): one that cannot be read is
set aside with its reason, as a dead letter.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import typing
import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from archive.store import ArticleRecord, DeadLetter, FailureRecord, PageRecord, RevisitRecord
from scrapers import settings as crawl_defaults
from scrapers.distributed.itemcheck import BadItem, build, convert, inflate, parse_json, text
from scrapers.parsers.article import Article

logger = logging.getLogger(__name__)

FORMAT = 1  # the message format's version; an ingester refuses messages of another


# --- the message format ---------------------------------------------------------------------------


def _dt(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def encode_page(page: PageRecord) -> dict[str, Any]:
    return {
        "url": page.url, "status": page.status, "headers": page.headers,
        "body": base64.b64encode(zlib.compress(page.body, 1)).decode("ascii"),
        "fetched_at": _dt(page.fetched_at), "final_url": page.final_url, "content_type": page.content_type,
    }


# Messages are untrusted (scrapers/distributed/itemcheck.py): every field is checked against the
# record's annotations, URLs must be http(s), and a body inflates to at most MAX_BODY bytes, what a
# worker can fetch (DOWNLOAD_MAXSIZE).
MAX_BODY = int(crawl_defaults.DOWNLOAD_MAXSIZE)
_PAGE_FIELDS = ("url", "status", "headers", "fetched_at", "final_url", "content_type")


def _web_url(value: Any, where: str) -> str:
    url = text(value, where)
    if urlsplit(url).scheme not in ("http", "https"):
        raise BadItem("bad_field", f"{where}: not an http(s) URL")
    return url


def decode_page(data: Any, max_body: int = MAX_BODY) -> PageRecord:
    if not isinstance(data, dict):
        raise BadItem("bad_field", "page: not an object")
    hints = typing.get_type_hints(PageRecord)
    values = {name: convert(data.get(name), hints[name], f"page.{name}") for name in _PAGE_FIELDS}
    _web_url(values["url"], "page.url")
    if values["final_url"] is not None:
        _web_url(values["final_url"], "page.final_url")
    try:
        packed = base64.b64decode(text(data.get("body"), "page.body"), validate=True)
    except binascii.Error:
        raise BadItem("bad_field", "page.body: not base64") from None
    return PageRecord(body=inflate(packed, max_body, "page.body"), **values)


def encode_article(article: Article) -> dict[str, Any]:
    data = asdict(article)
    data["published"], data["modified"] = _dt(article.published), _dt(article.modified)
    for comment, original in zip(data["comments"], article.comments, strict=True):
        comment["published"] = _dt(original.published)
    return data


def decode_article(data: Any) -> Article:
    article = build(Article, data, "article")  # an unknown field: a message of a newer format
    _web_url(article.url, "article.url")
    return article


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


def _failure(m: dict[str, Any]) -> FailureRecord:
    return FailureRecord(
        _web_url(m.get("url"), "url"), text(m.get("reason"), "reason"), convert(m.get("status"), int | None, "status"),
        convert(m.get("detail"), str | None, "detail"), convert(m.get("at"), datetime, "at"),
        convert(m.get("attempts", 1), int, "attempts"),
    )


def _revisit(m: dict[str, Any]) -> RevisitRecord:
    return RevisitRecord(_web_url(m.get("url"), "url"), text(m.get("outcome"), "outcome"),
                         convert(m.get("at"), datetime, "at"), convert(m.get("reason"), str | None, "reason"))


@dataclass
class Batch:
    """Messages decoded into what ``Archive.write_batch`` takes; the ones that cannot be, set aside."""

    pages: list[PageRecord] = field(default_factory=list)
    articles: list[ArticleRecord] = field(default_factory=list)
    failures: list[FailureRecord] = field(default_factory=list)
    revisits: list[RevisitRecord] = field(default_factory=list)
    dead: list[DeadLetter] = field(default_factory=list)

    def add(self, data: bytes, max_body: int = MAX_BODY) -> None:
        """Decodes one message entirely before adding anything of it (raises BadItem)."""
        message = parse_json(data)
        if message.get("v") != FORMAT:
            raise BadItem("unknown_type", f"not a newsarchive item of format {FORMAT}")
        kind = message.get("t")
        page = decode_page(message["page"], max_body) if message.get("page") is not None else None
        if kind == "page" and page is not None:
            self.pages.append(page)
        elif kind == "article":
            record = ArticleRecord(decode_article(message.get("article")), page,
                                   convert(message.get("fetched_at"), datetime, "fetched_at"))
            self.articles.append(record)
        elif kind == "failure":
            self.failures.append(_failure(message))
            self.pages.extend([page] if page is not None else [])
        elif kind == "revisit":
            self.revisits.append(_revisit(message))
            self.pages.extend([page] if page is not None else [])
        else:
            raise BadItem("unknown_type", "an item type this ingester does not know")

    @classmethod
    def of(cls, messages: Sequence[bytes], max_body: int = MAX_BODY) -> Batch:
        batch = cls()
        for data in messages:
            try:
                batch.add(data, max_body)
            except BadItem as exc:
                batch.set_aside(data, exc.reason, exc.detail)
            except Exception as exc:  # anything the checks did not foresee: still this item's fault
                batch.set_aside(data, "bad_field", f"{type(exc).__name__} while decoding")
        return batch

    def set_aside(self, data: bytes, reason: str, detail: str) -> None:
        logger.warning("set aside a bad item from the queue (%s: %s; %d bytes)", reason, detail, len(data))
        self.dead.append(DeadLetter(data, reason, detail))

    @property
    def size(self) -> int:
        return len(self.pages) + len(self.articles) + len(self.failures) + len(self.revisits)
