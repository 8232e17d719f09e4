"""Turning one date string into a timezone-aware datetime.

Three ways, strictest first: a profile's ``strptime`` formats (month names in any language of
:mod:`months`), ISO 8601, and a loose search for the common written forms. A date without an offset
is read in the site's timezone (the profile's, else UTC).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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
# "12.03.2013", "03/12/13", and the Czech and Slovak "12. 3. 2013" (spaced: only with a full year);
# not a part of a version ("v2.3.10", "2.3.10.1"). (A letter may stand before: spans' texts are joined
# without a space, "Blog Post12.18.2025".)
_NUMERIC = re.compile(
    r"(?<![\d.:/])(?<!\b[vV])(?P<a>\d{1,2})(?P<sep>[./-]|\.\s(?=\d{1,2}\.\s\d{4}))(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\d/]|\.\d)"
)
_YMD = re.compile(r"(?<![\d.:/])(?P<y>\d{4})\s?[./]\s?(?P<m>\d{1,2})\s?[./]\s?(?P<d>\d{1,2})(?![\d/])")
_CJK = re.compile(r"(?P<y>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]")
_TIME_BEFORE = re.compile(
    r"(?<!\d)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?(?P<utc>)(?P<off>)"
    r"\s*[,|/•·–-]?\s*$",
    re.I,
)
_DAY_MONTH = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th|er|\.)?\s*(?:de\s+)?(?P<mon>[^\W\d_]{3,}\.?),?\s*(?:de\s+)?"
    r"(?P<y>\d{4})(?!\d)",
)
_MONTH_DAY = re.compile(
    r"(?P<mon>[^\W\d_]{3,}\.?)\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})(?!\d)",
)
# Year first: "2023 Jan 7" (citations: PubMed, NLM), "2023. január 7." (Hungarian).
_YEAR_MONTH_DAY = re.compile(
    r"(?<![\d.:/-])(?P<y>\d{4})\.?,?\s+(?P<mon>[^\W\d_]{3,}\.?)\s+(?P<d>\d{1,2})(?![\d:]|,?\s*\d{4})",
)
_JOINT = re.compile(r"\s*(?:at|um|às|à|a las|alle|om|o|v|kl\.|в|saat|@|-|–|,|/)\s*", re.I)
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
    found = find_loose(raw, tz, month_first)
    return (found.value, found.raw) if found else None


@dataclass(frozen=True)
class Loose:
    """A date found in running text: its value, the text it was read from, and where that is."""

    value: datetime
    raw: str
    start: int
    end: int


def find_loose(raw: str, tz: tzinfo, month_first: bool = False, pos: int = 0) -> Loose | None:
    """The first date written in ``raw`` from ``pos`` on, with the time next to it (after it, or just
    before it: "14:20, 23.04.2024")."""
    while True:
        found = _search_date(raw, month_first, pos)
        if found is None:
            return None
        (year, month, day), start, end = found
        if year < 100:
            year += 2000 if year < 70 else 1900
        if _MIN_YEAR <= year <= _MAX_YEAR:
            time = _TIME.match(raw, end) or _TIME.match(raw, end + 1) or _after_word(raw, end)
            before = None if time else _TIME_BEFORE.search(raw, max(pos, start - 14), start)
            hour, minute, second, offset = _time_of(time or before)
            try:
                value = datetime(year, month, day, hour, minute, second, tzinfo=offset or tz)
            except ValueError:
                value = None
            if value is not None and not (time or before) and _ISO.fullmatch(raw, start, end):
                value = parse_iso(raw[start:end], tz) or value  # its own time and offset
            if value is not None:
                first = before.start() if before else start
                last = time.end() if time else end
                text = raw[first:last]
                stripped = text.strip(" ,")
                first += text.index(stripped) if stripped else 0
                return Loose(value, stripped, first, first + len(stripped))
        pos = start + 1  # not `end`: "Posts: 2395 Jun 04, 2015" holds a real date inside a false one


def find_all_loose(raw: str, tz: tzinfo, month_first: bool = False) -> list[Loose]:
    """Every date written in ``raw``, in order."""
    found: list[Loose] = []
    pos = 0
    while (date := find_loose(raw, tz, month_first, pos)) is not None:
        found.append(date)
        pos = date.end
    return found


def _after_word(raw: str, end: int) -> re.Match[str] | None:
    """A time after a short joining word: "July 15, 2012 at 3:45 pm", "23.03.2024 um 10:15"."""
    joint = _JOINT.match(raw, end)
    return _TIME.match(raw, joint.end()) if joint else None


def _search_date(raw: str, month_first: bool, pos: int = 0) -> tuple[tuple[int, int, int], int, int] | None:
    """(year, month, day) of the earliest date in ``raw`` from ``pos`` on, and where it starts and ends."""
    hits: list[tuple[int, tuple[int, int, int], int]] = []
    iso = _ISO.search(raw, pos) or _YMD.search(raw, pos) or _CJK.search(raw, pos)
    if iso:
        hits.append((iso.start(), (int(iso["y"]), int(iso["m"]), int(iso["d"])), iso.end()))
    for pattern in (_DAY_MONTH, _MONTH_DAY, _YEAR_MONTH_DAY):
        for match in pattern.finditer(raw, pos):
            month = month_number(match["mon"])
            if month:
                hits.append((match.start(), (int(match["y"]), month, int(match["d"])), match.end()))
                break
    numeric = _NUMERIC.search(raw, pos)
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


# --- relative dates ("3 hours ago", "вчера", "2 saat əvvəl"), resolved against the fetch time -----------
_UNITS: tuple[tuple[str, int], ...] = (
    # unit words (prefixes, lower case) of the languages in :mod:`months`, and their length in seconds
    ("sec", 1), ("sek", 1), ("seg", 1), ("saniy", 1), ("секунд", 1), ("сек", 1), ("с", 1),
    ("min", 60), ("dəqiq", 60), ("dakik", 60), ("dk", 60), ("минут", 60), ("мин", 60), ("хвилин", 60),
    ("hour", 3600), ("hr", 3600), ("h", 3600), ("saat", 3600), ("stund", 3600), ("std", 3600),
    ("heure", 3600), ("hora", 3600), ("or", 3600), ("uur", 3600), ("godzin", 3600), ("час", 3600),
    ("ч", 3600), ("годин", 3600),
    ("day", 86400), ("d", 86400), ("gün", 86400), ("tag", 86400), ("jour", 86400), ("día", 86400),
    ("dia", 86400), ("giorn", 86400), ("dag", 86400), ("dni", 86400), ("dzie", 86400), ("дн", 86400),
    ("ден", 86400), ("день", 86400), ("дні", 86400),
    ("week", 604800), ("wk", 604800), ("həftə", 604800), ("hafta", 604800), ("woche", 604800),
    ("semaine", 604800), ("semana", 604800), ("settiman", 604800), ("tydz", 604800), ("tygodn", 604800),
    ("недел", 604800), ("тижн", 604800), ("тиж", 604800), ("weken", 604800),
)  # fmt: skip
_ONE = r"\d{1,3}|an?|one|une?|una?|uno|ein(?:e[mr]?)?|bir|один|одну|одна|один"
_UNIT = r"[^\W\d_]{1,12}\.?"
_AGO = re.compile(
    rf"(?<![^\W\d_])(?:(?P<n1>{_ONE})\s*)?(?P<u1>{_UNIT})\s+(?:ago|əvvəl|once|önce|назад|тому|temu|geleden|fa)"
    rf"(?![^\W\d_])|(?<![^\W\d_])(?:vor|il\s+y\s+a|hace|há)\s+(?P<n2>{_ONE})?\s*(?P<u2>{_UNIT})(?![^\W\d_])",
    re.I,
)
_DAY_WORDS = {
    0: ("today", "bu gün", "bugün", "сегодня", "heute", "aujourd'hui", "hoy", "hoje", "oggi", "vandaag",
        "dzisiaj", "dziś", "сьогодні", "just now", "только что"),
    1: ("yesterday", "dünən", "dün", "вчера", "gestern", "hier", "ayer", "ontem", "ieri", "gisteren", "wczoraj",
        "вчора"),
    2: ("позавчера", "vorgestern", "avant-hier", "anteayer", "anteontem", "altroieri", "eergisteren",
        "przedwczoraj", "позавчора"),
}  # fmt: skip
_DAY_WORD = re.compile(
    r"(?<![^\W\d_])(?P<word>" + "|".join(re.escape(w) for ws in _DAY_WORDS.values() for w in ws) + r")(?![^\W\d_])",
    re.I,
)
_MAX_RELATIVE = 60 * 86400  # "3 weeks ago" is a day; "2 years ago" is not a date to archive


def relative_at(raw: str) -> tuple[int, int] | None:
    """Where ``raw`` writes a relative date ("vor 2 Jahren", "3 hours ago", "yesterday") of any length:
    a widget that shows one keeps the absolute date in an attribute."""
    match = _AGO.search(raw) or _DAY_WORD.search(raw)
    return match.span() if match else None


def find_relative(raw: str, now: datetime, tz: tzinfo) -> Loose | None:
    """A relative date ("3 hours ago", "2 saat əvvəl", "вчера в 14:20", "vor 2 Tagen") as seen at
    ``now``. Days ("yesterday") are counted in ``tz``, the site's timezone; spans longer than a few
    weeks are too vague to be a date and give None."""
    local = now.astimezone(tz)
    ago = _AGO.search(raw)
    if ago:
        number, unit = ago["n1"] or ago["n2"], (ago["u1"] or ago["u2"] or "").lower().rstrip(".")
        seconds = _unit_seconds(unit)
        if seconds:
            count = int(number) if number and number.isdigit() else 1
            if count * seconds <= _MAX_RELATIVE:
                value = local - timedelta(seconds=count * seconds)
                if seconds >= 86400:
                    value = value.replace(hour=0, minute=0, second=0, microsecond=0)
                else:
                    value = value.replace(second=0, microsecond=0)
                return Loose(value, ago.group(0).strip(), ago.start(), ago.end())
    word = _DAY_WORD.search(raw)
    if word:
        back = next(n for n, words in _DAY_WORDS.items() if word["word"].lower() in words)
        day = (local - timedelta(days=back)).date()
        time = _TIME.match(raw, word.end()) or _after_word(raw, word.end())
        hour, minute, second, offset = _time_of(time)
        if back == 0 and not time and word["word"].lower() in ("just now", "только что"):
            return Loose(local.replace(second=0, microsecond=0), word.group(0), word.start(), word.end())
        value = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=offset or tz)
        end = time.end() if time else word.end()
        return Loose(value, raw[word.start() : end].strip(" ,"), word.start(), end)
    return None


def _unit_seconds(unit: str) -> int | None:
    """The length of a unit word ("hours", "saat", "часа", "Stunden"); months and years are not units."""
    if unit.startswith(("mon", "mo", "mes", "mês", "ay", "monat", "mois", "maand", "miesi", "месяц", "місяц")):
        return None
    if unit.startswith(("y", "yr", "il", "yıl", "jahr", "an", "año", "ano", "anni", "jaar", "lat", "rok", "год", "лет",
                        "рок")):  # fmt: skip
        return None
    for prefix, seconds in _UNITS:
        if unit.startswith(prefix) and (len(prefix) > 1 or len(unit) <= 2):
            return seconds
    return None
