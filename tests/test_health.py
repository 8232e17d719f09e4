"""Run health (scrapers/health.py): extraction yield, its drop against the site's usual, verdicts."""

from __future__ import annotations

from pathlib import Path

from archive.store import Archive
from scrapers.health import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_PARTLY_FAILED,
    EXIT_YIELD_DROPPED,
    HealthSettings,
    Yield,
    previous_yields,
    verdict,
    yield_drops,
)

SETTINGS = HealthSettings.defaults()
USUAL = [Yield(100, 1.0, 0.98, 0.35), Yield(80, 1.0, 0.97, 0.33), Yield(120, 0.99, 0.99, 0.40)]


def test_yield_counts_unreadable_article_pages_against_it() -> None:
    assert Yield.of(0, 0, 0) is None
    y = Yield.of(stored=30, with_date=27, with_author=10, unreadable=10)
    assert y == Yield(40, 0.75, 27 / 40, 0.25)
    assert y.describe() == "body 75%, date 68%, author 25% of 40 new/changed articles"


def test_a_sharp_drop_is_reported_per_metric() -> None:
    assert yield_drops(Yield(50, 1.0, 0.97, 0.36), USUAL, SETTINGS) == []
    drops = yield_drops(Yield(50, 0.3, 0.97, 0.0), USUAL, SETTINGS)
    assert drops == ["body yield 30%, usually 100% (median of the last 3 runs)",
                     "author yield 0%, usually 35% (median of the last 3 runs)"]
    assert yield_drops(Yield(5, 0.0, 0.0, 0.0), USUAL, SETTINGS) == []  # too few articles to judge
    assert yield_drops(Yield(50, 0.0, 0.0, 0.0), [], SETTINGS) == []  # nothing to compare with


def test_verdicts_and_exit_codes() -> None:
    ok = verdict("finished", 200, {"http_404": 50}, [], SETTINGS)  # dead links are not the crawl's failures
    assert (ok.outcome, ok.exit_code) == ("ok", EXIT_OK)
    partly = verdict("finished", 200, {"timeout": 15, "http_503": 10}, [], SETTINGS)
    assert (partly.outcome, partly.exit_code) == ("partly_failed", EXIT_PARTLY_FAILED)
    # 200 responses (the 503s among them) and 15 requests that got none: 215 requests.
    assert "25 of 215 requests failed (12%, threshold 10%): timeout 15, http_503 10" in partly.message
    nothing_answered = verdict("finished", 0, {"connection_refused": 6}, [], SETTINGS)
    assert "6 of 6 requests failed (100%" in nothing_answered.message
    assert verdict("finished", 200, {"timeout": 20}, [], SETTINGS).exit_code == EXIT_OK  # at the threshold
    dropped = verdict("finished", 200, {"timeout": 50}, ["body yield 0%"], SETTINGS)
    assert (dropped.outcome, dropped.exit_code) == ("yield_dropped", EXIT_YIELD_DROPPED)
    stopped = verdict("shutdown", 10, {}, [], SETTINGS)
    assert (stopped.outcome, stopped.exit_code) == ("stopped", EXIT_ERROR)


def test_previous_yields_come_from_the_sites_runs(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        for n, site in ((30, "turan"), (5, "turan"), (40, "other"), (25, "turan")):
            run = archive.start_run(site, {})
            archive.finish_run(run, "finished", {"yield_articles": n, "yield_body": 1.0, "yield_date": 0.5,
                                                 "yield_author": 0.25})
        got = previous_yields(archive, "turan", run + 1, SETTINGS)
    assert got == [Yield(25, 1.0, 0.5, 0.25), Yield(30, 1.0, 0.5, 0.25)]
