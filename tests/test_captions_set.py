"""The captions set: hand-written pages in the markup news sites use for pictures, each with what a
reader sees as the picture's caption and credit (``fixtures/captions/expected.json``).

No public data set labels captions, so this one is ours: figcaption in its variants, WordPress
(classic and blocks), lazy images, ``srcset``, schema.org ``ImageObject`` (microdata and JSON-LD),
caption lines after an image, Blogger tables, lightbox ``data-caption``, AMP, galleries, credits in
spans, in parentheses and as trailing "Photo: …" lines in several languages, and the cases that are
no captions at all (a bare ``alt``, a video, teasers beside the article, the site's logo).

A found caption counts when its image, text and credit are all right. Precision and recall over the
whole set are printed and held above a bar, so a change that loses captions shows here.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from scrapers.parsers import parse_article

SET = Path(__file__).parent / "fixtures" / "captions"
EXPECTED: dict[str, Any] = json.loads((SET / "expected.json").read_text(encoding="utf-8"))
PRECISION_BAR = 0.95
RECALL_BAR = 0.95


def _found(name: str) -> list[dict[str, Any]]:
    html = (SET / f"{name}.html").read_bytes()
    return [asdict(c) for c in parse_article(html, EXPECTED["url"]).captions]


def test_the_set_has_enough_cases_of_each_kind() -> None:
    cases = EXPECTED["cases"]
    assert len(cases) >= 40
    assert sum(1 for captions in cases.values() if not captions) >= 5  # pages where nothing is a caption
    assert sum(1 for captions in cases.values() if any(c["credit"] for c in captions)) >= 15
    assert {p.stem for p in SET.glob("*.html")} == set(cases)


def test_precision_and_recall_over_the_set(capsys: pytest.CaptureFixture[str]) -> None:
    right = found = expected = 0
    wrong: list[str] = []
    for name, want in sorted(EXPECTED["cases"].items()):
        got = _found(name)
        hits = sum(1 for caption in got if caption in want)
        right, found, expected = right + hits, found + len(got), expected + len(want)
        if hits != len(got) or hits != len(want):
            wrong.append(f"{name}: got {got}, expected {want}")
    precision = right / found if found else 1.0
    recall = right / expected if expected else 1.0
    with capsys.disabled():
        print(f"\ncaptions set: {len(EXPECTED['cases'])} pages, {expected} captions; "
              f"precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= PRECISION_BAR and recall >= RECALL_BAR, "\n".join(wrong)
