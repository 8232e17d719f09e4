"""The re-crawl policy: which archived articles are due for another visit, by their age.

Recent articles change (edits, new comments) and so are re-visited often; old ones rarely. A
site's profile says how often in its ``[recrawl]`` section; settings can override it. A re-visit is
a conditional request (see scrapers/conditional.py), so an unchanged article costs a 304.

Pure Python (no Scrapy): the profile loader and the CLI use it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

# age: time since publication (since first archived, for undated articles).
MODES = ("age", "always", "skip", "refetch")
MODE_HELP = {
    "age": "re-visit archived articles when due by their age (the site's [recrawl] policy), conditionally",
    "always": "re-visit every archived article, conditionally (a 304 when unchanged)",
    "skip": "never re-visit an archived article (only new ones are fetched)",
    "refetch": "fetch every archived article again, in full (no conditional request)",
}
NEVER = "never"
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d|w)\s*$")
_UNITS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


class PolicyError(ValueError):
    """A duration or policy that cannot be understood; the message says which and why."""


def parse_duration(text: str) -> timedelta:
    """'90s', '15m', '1h', '2d', '1w' (also '1.5h') as a timedelta."""
    match = _DURATION.match(str(text).lower())
    if not match:
        raise PolicyError(f"bad duration {text!r}: use a number and a unit, e.g. 30m, 1h, 2d, 1w")
    return timedelta(seconds=float(match[1]) * _UNITS[match[2]])


def format_duration(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    for unit, size in (("w", 7 * 86400), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _optional_duration(text: str) -> timedelta | None:
    return None if str(text).strip().lower() == NEVER else parse_duration(text)


@dataclass(frozen=True)
class AgeRule:
    """Articles younger than `younger_than` are re-visited once `every` has passed (None: never)."""

    younger_than: timedelta
    every: timedelta | None


@dataclass(frozen=True)
class RecrawlPolicy:
    mode: str = "age"
    rules: tuple[AgeRule, ...] = ()
    older: timedelta | None = None  # articles older than every rule; None: never re-visited

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise PolicyError(f"unknown re-crawl mode {self.mode!r} (known: {', '.join(MODES)})")

    def interval(self, age: timedelta) -> timedelta | None:
        """How often an article of this age is re-visited (None: never)."""
        for rule in self.rules:
            if age < rule.younger_than:
                return rule.every
        return self.older

    def due(self, now: datetime, published: datetime | None, first_seen: datetime,
            last_visit: datetime) -> bool:
        """Whether an archived article should be visited again in a run starting `now`."""
        if self.mode in ("always", "refetch"):
            return True
        if self.mode == "skip":
            return False
        every = self.interval(now - (published or first_seen))
        return every is not None and now - last_visit >= every

    @property
    def conditional(self) -> bool:
        return self.mode != "refetch"

    def describe(self) -> str:
        if self.mode != "age":
            return f"{self.mode}: {MODE_HELP[self.mode]}"
        parts = [
            f"younger than {format_duration(r.younger_than)}: "
            + ("never" if r.every is None else f"every {format_duration(r.every)}")
            for r in self.rules
        ]
        parts.append("older: " + ("never" if self.older is None else f"every {format_duration(self.older)}"))
        return "age: " + "; ".join(parts)


# Used when neither the profile nor the settings say otherwise.
DEFAULT_AGES: tuple[tuple[str, str], ...] = (("2d", "1h"), ("14d", "1d"), ("90d", "7d"))
DEFAULT_OLDER = "180d"


def age_rules(pairs: Iterable[tuple[str, str]]) -> tuple[AgeRule, ...]:
    rules = tuple(AgeRule(parse_duration(age), _optional_duration(every)) for age, every in pairs)
    return tuple(sorted(rules, key=lambda r: r.younger_than))


def parse_ages(value: str | Sequence[str] | Sequence[Sequence[str]]) -> tuple[tuple[str, str], ...]:
    """Ages as written in settings: "2d:1h,14d:1d" or ["2d:1h", ...] or [["2d", "1h"], ...]."""
    items: list[object] = [v for v in value.split(",") if v.strip()] if isinstance(value, str) else list(value)
    pairs: list[tuple[str, str]] = []
    for item in items:
        parts = item.split(":") if isinstance(item, str) else list(item)  # type: ignore[call-overload]
        if len(parts) != 2:
            raise PolicyError(f"bad re-crawl age {item!r}: use AGE:EVERY, e.g. 2d:1h")
        pairs.append((str(parts[0]).strip(), str(parts[1]).strip()))
    age_rules(pairs)  # validates
    return tuple(pairs)


def build_policy(
    mode: str = "age",
    ages: Iterable[tuple[str, str]] | None = None,
    older: str | None = None,
) -> RecrawlPolicy:
    return RecrawlPolicy(
        mode=mode,
        rules=age_rules(DEFAULT_AGES if ages is None else ages),
        older=_optional_duration(DEFAULT_OLDER if older is None else older),
    )


def check_settings(mode: str | None, ages: object, older: object) -> None:
    """Raises PolicyError for re-crawl settings that cannot be used (before a crawl starts)."""
    build_policy(mode or "age", parse_ages(ages) if ages else None,  # type: ignore[arg-type]
                 str(older) if older else None)
