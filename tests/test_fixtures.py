"""Saved pages against their expected articles, field by field.

``fixtures/turan/*`` are replica pages whose expectations are the replica's ground truth (re-record
with ``python tests/fixtures/record.py``); ``fixtures/generic/*`` are hand-written pages in common
CMS styles, parsed without a profile. The last test parses a whole small replica the same way.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from scrapers.parsers import Article, parse_article
from scrapers.sites import SiteProfile, load_profile

FIXTURES = Path(__file__).parent / "fixtures"


def _field_case(expected: Path) -> bool:
    """Blind parts (a "part" in expected.json) label days only; test_dates_publication scores them by part."""
    return "part" not in json.loads(expected.read_text(encoding="utf-8"))


CASES = sorted(p.parent for p in FIXTURES.glob("*/*/expected.json") if _field_case(p))


def _plain(value: Any) -> Any:
    """Datetimes as ISO strings, the way expected.json and the ground truth write them."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _profile_for(case: Path) -> SiteProfile | None:
    return load_profile("turan") if case.parent.name == "turan" else None


def _compare(article: Article, expected: dict[str, Any]) -> None:
    got = _plain(article.to_dict())
    # "images" (the photos' bytes and hashes) is the crawl's truth (tests/test_media_crawl.py), not the parser's.
    wrong = {
        name: (got.get(name), want) for name, want in expected.items() if name != "images" and got.get(name) != want
    }
    assert not wrong, "\n".join(f"{name}:\n  got      {g!r}\n  expected {w!r}" for name, (g, w) in wrong.items())


def test_every_kind_of_case_is_present() -> None:
    names = {case.name for case in CASES if case.parent.name == "turan"}
    assert len(names) >= 7
    assert len([case for case in CASES if case.parent.name == "generic"]) >= 3


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.name}" for c in CASES])
def test_fixture(case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    article = parse_article((case / "page.html").read_bytes(), expected["url"], _profile_for(case))
    _compare(article, expected)


def test_whole_replica_matches_its_ground_truth() -> None:
    """Every article page of a small replica, served bytes in, ground truth out."""
    site_module = pytest.importorskip("replica.site")
    pages = pytest.importorskip("replica.pages")
    base = "http://127.0.0.1:8000"
    site = site_module.ReplicaSite(seed=3, articles=150)
    profile = load_profile("turan")
    for truth in site.ground_truth(base):
        response = pages.respond(site, truth["url"][len(base) :], "", base)
        article = parse_article(response.body, truth["url"], profile, response.content_type)
        _compare(article, truth)
