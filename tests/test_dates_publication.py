"""`published` means first publication (issue 16): the date fixtures through the scorer's adapter.

``fixtures/dates/*`` are hand-written pages of markup patterns that put another date next to the
publication date (an update line, a date in a dek or caption, the UTC day of a late-evening post,
bylines in other languages, footers and scripts). ``test_fixtures.py`` checks each page's fields;
here the one date the evaluation adapter gives must be the day of the first publication.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scrapers.parsers import parse_article
from scrapers.parsers.evaluation import extract

CASES = sorted(p.parent for p in (Path(__file__).parent / "fixtures" / "dates").glob("*/expected.json"))


def _expected(case: Path) -> dict[str, str]:
    data: dict[str, str] = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    return data


def test_the_date_fixtures_are_there() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_adapter_gives_the_first_publication_day(case: Path) -> None:
    expected = _expected(case)
    day = expected.get("published", "")[:10] or expected["published_day"]
    html = (case / "page.html").read_text(encoding="utf-8")
    assert (extract(html, expected["url"])["published"] or "")[:10] == day


def test_an_update_shown_alone_is_the_modified_date_and_the_metadata_gives_the_publication() -> None:
    case = next(c for c in CASES if c.name == "update-line-after-publication")
    article = parse_article((case / "page.html").read_bytes(), _expected(case)["url"])
    assert (article.published_source, article.modified_source) == ("jsonld", "byline")
    assert article.published is not None and article.modified is not None
    assert article.published < article.modified


def test_a_page_without_any_date_gets_none_not_a_bare_year() -> None:
    html = "<html><body><h1>T</h1><p>Text without a date.</p><footer>© 2024 Example</footer></body></html>"
    article = parse_article(html, "https://x.example/a")
    assert (article.published, article.modified) == (None, None)
