"""The re-crawl policy (scrapers/sites/recrawl.py) and the profile's [recrawl] section."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from scrapers.sites import ProfileError, load_profile, profile_from_dict
from scrapers.sites.recrawl import PolicyError, build_policy, format_duration, parse_ages, parse_duration

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "seconds"), [("90s", 90), ("15m", 900), ("15min", 900), ("1h", 3600), ("1.5h", 5400),
                          ("2d", 172800), ("1w", 604800), (" 3 D ", 259200)],
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "h", "1y", "soon", "-1h", "1h30m"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(PolicyError, match="bad duration"):
        parse_duration(text)


def test_format_duration_round_trips() -> None:
    for text in ("90s", "15m", "1h", "2d", "1w", "36h"):
        assert format_duration(parse_duration(text)) == text


def visited(policy_args: dict[str, Any], age: timedelta, since_visit: timedelta) -> bool:
    policy = build_policy(**policy_args)
    return policy.due(NOW, NOW - age, NOW - age, NOW - since_visit)


def test_age_policy_revisits_recent_articles_often_and_old_ones_rarely() -> None:
    args: dict[str, Any] = {"ages": [("2d", "1h"), ("14d", "1d")], "older": "30d"}
    assert visited(args, timedelta(hours=5), timedelta(minutes=61))
    assert not visited(args, timedelta(hours=5), timedelta(minutes=59))
    assert visited(args, timedelta(days=5), timedelta(days=1))
    assert not visited(args, timedelta(days=5), timedelta(hours=23))
    assert not visited(args, timedelta(days=400), timedelta(days=29))
    assert visited(args, timedelta(days=400), timedelta(days=31))
    assert not visited({**args, "older": "never"}, timedelta(days=400), timedelta(days=4000))


def test_undated_articles_are_aged_from_when_they_were_first_archived() -> None:
    policy = build_policy(ages=[("2d", "1h")], older="never")
    first_seen = NOW - timedelta(hours=3)
    assert policy.due(NOW, None, first_seen, NOW - timedelta(hours=2))
    assert not policy.due(NOW, None, NOW - timedelta(days=3), NOW - timedelta(days=2))


def test_modes() -> None:
    old = {"age": timedelta(days=4000), "since_visit": timedelta(seconds=1)}
    assert visited({"mode": "always"}, **old) and visited({"mode": "refetch"}, **old)
    assert not visited({"mode": "skip"}, timedelta(0), timedelta(days=100))
    assert build_policy("always").conditional and not build_policy("refetch").conditional
    with pytest.raises(PolicyError, match="unknown re-crawl mode"):
        build_policy("sometimes")
    assert "younger than 2d: every 1h" in build_policy().describe()


def test_ages_from_settings() -> None:
    assert parse_ages("2d:1h, 14d:1d") == (("2d", "1h"), ("14d", "1d"))
    assert parse_ages(["2d:1h"]) == (("2d", "1h"),)
    assert parse_ages([["2d", "never"]]) == (("2d", "never"),)
    with pytest.raises(PolicyError, match="AGE:EVERY"):
        parse_ages("2d")
    with pytest.raises(PolicyError, match="bad duration"):
        parse_ages("2d:often")


def test_turan_profile_declares_its_policy() -> None:
    profile = load_profile("turan")
    assert profile.recrawl_ages == (("2d", "1h"), ("14d", "1d"), ("90d", "7d"))
    assert profile.recrawl_older == "180d"


@pytest.mark.parametrize(
    ("recrawl", "message"),
    [
        ({"ages": [{"younger_than": "2d"}]}, "recrawl.ages: expected a list"),
        ({"ages": [{"younger_than": "2d", "every": "often"}]}, r"\[recrawl\]: bad duration 'often'"),
        ({"older": "soon"}, r"\[recrawl\]: bad duration 'soon'"),
        ({"every": "1h"}, "recrawl.every: unknown field"),
    ],
)
def test_bad_recrawl_sections_name_the_file_and_field(recrawl: dict[str, Any], message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        profile_from_dict({"name": "x", "recrawl": recrawl}, "x.toml")
