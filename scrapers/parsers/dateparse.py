"""Turning one date string into a timezone-aware datetime.

Three ways, strictest first: a profile's ``strptime`` formats (month names in any language of
:mod:`months`), ISO 8601, and a loose search for the common written forms. A date without an offset
is read in the site's timezone (the profile's, else UTC).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .months import month_number

_WORD = re.compile(r"[^\W\d_]+\.?")
_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)
_TIME = re.compile(
    r"[\sT,|–-]*(?P<H>\d{1,2})[:.h](?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?"
    r"(?:\s*(?P<utc>GMT|UTC|Z)?\s*(?P<off>[+-]\d{2}:?\d{2})?)?",
    re.I,
)
_NUMERIC = re.compile(r"(?<![\d.:/])(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\d/])")
_YMD = re.compile(r"(?<![\d.:/])(?P<y>\d{4})[./](?P<m>\d{1,2})[./](?P<d>\d{1,2})(?![\d/])")
_DAY_MONTH = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th|er|\.)?\s*(?:de\s+)?(?P<mon>[^\W\d_]{3,}\.?),?\s*(?:de\s+)?"
    r"(?P<y>\d{4})(?!\d)",
)
_MONTH_DAY = re.compile(
    r"(?P<mon>[^\W\d_]{3,}\.?)\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?!\d)",
)
_JOINT = re.compile(r"\s*(?:at|um|à|a las|alle|в|saat|@|-|–|,)\s*", re.I)
_MIN_YEAR, _MAX_YEAR = 1990, 2100


@lru_cache(maxsize=64)
def zone(name: str | None) -> tzinfo:
    """The named timezone, else UTC (an unknown name must not stop a crawl)."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def localize(value: datetime, tz: tzinfo) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=tz)


def parse_with_formats(raw: str, formats: tuple[str, ...], tz: tzinfo) -> datetime | None:
    """``strptime`` with each format in turn; ``%B``/``%b`` accept month names of any language."""
    text = " ".join(raw.split())
    for fmt in formats:
        candidate, pattern = text, fmt
        if "%B" in fmt or "%b" in fmt:
            candidate = _month_words_to_numbers(text)
            pattern = fmt.replace("%B", "%m").replace("%b", "%m")
        try:
            return localize(datetime.strptime(candidate, pattern), tz)
        except ValueError:
            continue
    return None


def _month_words_to_numbers(text: str) -> str:
    def number(match: re.Match[str]) -> str:
        month = month_number(match.group(0))
        return f"{month:02d}" if month else match.group(0)

    return _WORD.sub(number, text)


def parse_iso(raw: str, tz: tzinfo) -> datetime | None:
    """ISO 8601 dates and datetimes, as found in meta tags, JSON-LD and ``<time datetime>``."""
    match = _ISO.search(raw)
    if not match:
        return None
    text = match.group(0).replace(" ", "T", 1) if "T" not in match.group(0) else match.group(0)
    text = re.sub(r"T+\s*", "T", text).replace("Z", "+00:00")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return _from_parts(match, tz)
    return localize(value, tz) if _MIN_YEAR <= value.year <= _MAX_YEAR else None


def _from_parts(match: re.Match[str], tz: tzinfo) -> datetime | None:
    try:
        value = datetime(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None
    return localize(value, tz)


def parse_loose(raw: str, tz: tzinfo, month_first: bool = False) -> datetime | None:
    """The first date written in ``raw`` in a common form, with the time that follows it if any.

    ``month_first`` reads ambiguous slashed dates (04/05/2024) the American way.
    """
    found = search_loose(raw, tz, month_first)
    return found[0] if found else None


def search_loose(raw: str, tz: tzinfo, month_first: bool = False) -> tuple[datetime, str] | None:
    """Like :func:`parse_loose`, also giving the text the date was read from."""
    found = _search_date(raw, month_first)
    if found is None:
        return None
    (year, month, day), start, end = found
    if year < 100:
        year += 2000 if year < 70 else 1900
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    time = _TIME.match(raw, end) or _TIME.match(raw, end + 1) or _after_word(raw, end)
    hour, minute, second, offset = _time_of(time)
    try:
        value = datetime(year, month, day, hour, minute, second, tzinfo=offset or tz)
    except ValueError:
        return None
    return value, raw[start : time.end() if time else end].strip(" ,")


def _after_word(raw: str, end: int) -> re.Match[str] | None:
    """A time after a short joining word: "July 15, 2012 at 3:45 pm", "23.03.2024 um 10:15"."""
    joint = _JOINT.match(raw, end)
    return _TIME.match(raw, joint.end()) if joint else None


def _search_date(raw: str, month_first: bool) -> tuple[tuple[int, int, int], int, int] | None:
    """(year, month, day) of the earliest date in ``raw``, and where it starts and ends."""
    hits: list[tuple[int, tuple[int, int, int], int]] = []
    iso = _ISO.search(raw) or _YMD.search(raw)
    if iso:
        hits.append((iso.start(), (int(iso["y"]), int(iso["m"]), int(iso["d"])), iso.end()))
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        for match in pattern.finditer(raw):
            month = month_number(match["mon"])
            if month:
                hits.append((match.start(), (int(match["y"]), month, int(match["d"])), match.end()))
                break
    numeric = _NUMERIC.search(raw)
    if numeric:
        hits.append((numeric.start(), _day_month(numeric, month_first), numeric.end()))
    if not hits:
        return None
    start, ymd, end = min(hits)
    return ymd, start, end


def _day_month(match: re.Match[str], month_first: bool) -> tuple[int, int, int]:
    a, b, year = int(match["a"]), int(match["b"]), int(match["y"])
    # 13/04 can only be day-first and 04/13 only month-first; dotted dates are always day-first.
    if a > 12 or (b <= 12 and not (month_first and match["sep"] == "/")):
        return year, b, a
    return year, a, b


def _time_of(match: re.Match[str] | None) -> tuple[int, int, int, tzinfo | None]:
    """Hour, minute, second and the stated offset of a time match (midnight when there is none)."""
    if not match:
        return 0, 0, 0, None
    hour, minute, second = int(match["H"]), int(match["M"]), int(match["S"] or 0)
    ampm = (match["ampm"] or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return 0, 0, 0, None
    return hour, minute, second, _offset(match["utc"], match["off"])


def _offset(utc: str | None, offset: str | None) -> tzinfo | None:
    if offset:
        digits = offset[1:].replace(":", "")
        delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        return timezone(-delta if offset[0] == "-" else delta)
    return UTC if utc else None
