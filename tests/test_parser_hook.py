"""A profile's site parser in BeautifulSoup (`[parser] module`, scrapers/parsers/hooks.py), in real
crawls of the WordPress replica: the worked example of examples/profiles sets its fields, `sites
check` says which ones came from it, and a hook that raises is a `parser_hook_error` with its line
while the crawl goes on with the profile's fields."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from archive.search import DEFAULT_MIN_CONFIDENCE
from replica.wordpress import running_wordpress
from replica.wordpress.server import WordPressURL
from scrapers.sites import ProfileError, load_profile
from tests.conftest import ROOT, newsarchive

EXAMPLES = ROOT / "examples" / "profiles"
POSTS = 12
SEED = 7
BROKEN = '''"""A hook with a bug."""


def fix_published(soup, article):
    script = soup.find("script", attrs={"class": "yoast-schema-graph"})
    return {"published": script["no-such-attribute"]}
'''
BROKEN_LINE = 6  # the line of BROKEN that raises (KeyError with Yoast's graph, TypeError without)


@pytest.fixture(scope="module")
def replica() -> Iterator[WordPressURL]:
    with running_wordpress(posts=POSTS, seed=SEED) as base:
        yield base


def _crawl(base: WordPressURL, profile: str, profiles: Path, db: Path, code: int = 0) -> str:
    done = newsarchive("crawl", profile, "--profiles", str(profiles), "--base-url", base, "--db", str(db), "--quiet")
    assert done.returncode == code, done.stdout + done.stderr
    return done.stdout + done.stderr


def _archived(db: Path) -> dict[str, tuple[str, str]]:
    """The articles readers see (at the default confidence: an off-template page is kept, less sure)."""
    with sqlite3.connect(db) as conn:
        return {url: (published, authors) for url, published, authors in conn.execute(
            "SELECT url, published, authors FROM articles WHERE confidence >= ?", (DEFAULT_MIN_CONFIDENCE,))}


def _failures(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute("SELECT reason, detail FROM failures WHERE reason = 'parser_hook_error'"))


def test_the_worked_example_sets_its_fields_in_a_crawl(replica: WordPressURL, tmp_path: Path) -> None:
    db = tmp_path / "hooked.db"
    _crawl(replica, "wordpress-replica-hooked", EXAMPLES, db)
    archived = _archived(db)
    truth = list(replica.site.ground_truth(replica))
    assert {t["url"] for t in truth} == set(archived)
    for t in truth:
        published, authors = archived[t["url"]]
        assert datetime.fromisoformat(published) == datetime.fromisoformat(t["published"]), t["url"]
        assert authors.count('"') // 2 == len(t["authors"]), t["url"]  # each byline name once
    assert _failures(db) == []


def test_sites_check_shows_the_fields_the_hook_set(replica: WordPressURL) -> None:
    yoast = next(p for p in replica.site.posts if p.markup == "yoast")
    done = newsarchive("sites", "check", "wordpress-replica-hooked", replica + yoast.path, "--profiles", str(EXAMPLES))
    assert done.returncode == 0, done.stderr
    lines = {line.split(":", 1)[0]: line for line in done.stdout.splitlines()}
    assert "[parser hook: wordpress_replica_parser.fix_published]" in lines["published"]
    assert "[parser hook: wordpress_replica_parser.fix_authors]" in lines["authors"]
    assert "[parser hook" not in lines["title"]
    assert "set authors, published, published_raw, published_source" in lines["hook"]


def test_a_hook_that_raises_is_a_failure_and_the_crawl_goes_on(replica: WordPressURL, tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    text = (EXAMPLES / "wordpress-replica-hooked.toml").read_text()
    (profiles / "broken.toml").write_text(text.replace('"wordpress_replica_parser"', '"broken_parser"')
                                          .replace('name = "wordpress-replica-hooked"', 'name = "broken"'))
    (profiles / "broken_parser.py").write_text(BROKEN)
    db = tmp_path / "broken.db"
    # Exit 3: every parsed page failed (the run's health counts the hook's failures).
    output = _crawl(replica, "broken", profiles, db, code=3)
    truth = list(replica.site.ground_truth(replica))
    archived = _archived(db)
    assert {t["url"] for t in truth} == set(archived)  # every page archived, with the profile's fields
    for t in truth:
        assert datetime.fromisoformat(archived[t["url"]][0]) == datetime.fromisoformat(t["published"])
    failures = _failures(db)
    assert len(failures) >= len(truth)
    assert all(f"broken_parser.py, line {BROKEN_LINE}, in fix_published" in detail for _, detail in failures)
    assert any("KeyError: 'no-such-attribute'" in detail for _, detail in failures)
    assert "parser_hook_error" in output


def test_a_profile_naming_a_missing_module_is_one_clear_error(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "wordpress-replica-hooked.toml", tmp_path / "alone.toml")
    with pytest.raises(ProfileError, match=r"parser.module: no wordpress_replica_parser.py in"):
        load_profile(str(tmp_path / "alone.toml"))
    assert load_profile(str(tmp_path / "alone.toml"), (EXAMPLES,)).parser_module == "wordpress_replica_parser"


def test_sites_new_from_a_homepage_learns_the_url_templates(replica: WordPressURL, tmp_path: Path) -> None:
    done = newsarchive("sites", "new", "wp", "--from", replica + "/", "--profiles", str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    text = (tmp_path / "wp.toml").read_text()
    profile = load_profile("wp", (tmp_path,))
    posts = [replica + p.path for p in replica.site.posts]
    articles = [p for p in profile.article_patterns]
    assert articles and all(any(p.search(u.removeprefix(replica)) for p in articles) for u in posts)
    assert any(p.search("/category/politics/") for p in profile.listing_patterns)
    counted = [line for line in text.splitlines() if line.strip().startswith("'^/") and " pages, e.g. " in line]
    assert counted and all(int(line.split("# ")[1].split(" pages")[0]) >= 2 for line in counted)
    assert "sample article: " + replica in done.stderr
