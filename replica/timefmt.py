"""Time in the replica: epoch seconds internally, shown in Asia/Baku (UTC+04:00, no DST since 2016)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime

from replica.labels import MONTHS

BAKU = timezone(timedelta(hours=4))


def epoch(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    """Epoch seconds of a Baku wall-clock time."""
    return int(datetime(year, month, day, hour, minute, tzinfo=BAKU).timestamp())


def baku(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, BAKU)


def iso(ts: int) -> str:
    """'2024-04-23T15:23:00+04:00', as in article:published_time and the ground truth."""
    return baku(ts).isoformat()


def visible(ts: int, lang: str) -> str:
    """'23 April 2024, 15:23' / '23 aprel 2024, 15:23' / '23 апреля 2024, 15:23' (.manspdt)."""
    d = baku(ts)
    return f"{d.day} {MONTHS[lang][d.month - 1]} {d.year}, {d:%H:%M}"


def dateline_date(ts: int) -> str:
    """'23.04.24', the date inside 'Baku/23.04.24/Turan:'."""
    return f"{baku(ts):%d.%m.%y}"


def comment_date(ts: int) -> str:
    """'23.04.2024 16:10' (.cmdate)."""
    return f"{baku(ts):%d.%m.%Y %H:%M}"


def http_date(ts: int) -> str:
    """RFC 7231 date for Last-Modified, always in GMT."""
    return format_datetime(datetime.fromtimestamp(ts, UTC), usegmt=True)


def rss_date(ts: int) -> str:
    """RFC 822 date with the Baku offset, for RSS pubDate."""
    return format_datetime(baku(ts))


def parse_http_date(value: str) -> int | None:
    """Epoch seconds of an If-Modified-Since value, None when it cannot be read."""
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp())
