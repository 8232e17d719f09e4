"""Site profiles as files: a user's folder is picked up and used (`newsarchive sites`, `crawl NAME`),
a broken profile is one clear line naming the file and the field, `sites check` and `sites new`
work on a saved page, and every profile field falls back to the generic extractor."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from replica.wordpress import WordPressSite, running_wordpress
from replica.wordpress.routes import respond
from scrapers.parsers import parse_article
from scrapers.sites import ProfileError, load_profile, profile_from_dict
from tests.conftest import ROOT, newsarchive, newsarchive_here
from tests.test_generic_crawl import archived_articles, field_shares, report

EXAMPLE = ROOT / "examples" / "profiles" / "wordpress-replica.toml"
BASE = "http://127.0.0.1:8766"


@pytest.fixture
def profiles(tmp_path: Path) -> Path:
    folder = tmp_path / "profiles"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "harbour.toml")
    text = (folder / "harbour.toml").read_text().replace('name = "wordpress-replica"', 'name = "harbour"')
    (folder / "harbour.toml").write_text(text)
    return folder


@pytest.fixture(scope="module")
def saved_post(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """A post with comments, captions and two authors, saved as a file."""
    site = WordPressSite(seed=5, posts=80)
    truths = {t["url"]: t for t in site.ground_truth(BASE)}
    post = next(p for p in site.posts if p.comments and p.figures and p.markup == "bare")
    path = tmp_path_factory.mktemp("saved") / "post.html"
    path.write_bytes(respond(site, post.path, "", BASE).body)
    return path, truths[BASE + post.path]


def test_user_profiles_are_listed_with_their_file(profiles: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = newsarchive_here("sites", "--profiles", str(profiles))
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert str(profiles / "harbour.toml") in lines["harbour"] and "yours" in lines["harbour"]
    assert "built-in" in lines["turan"] and "turan.toml" in lines["turan"]
    assert "generic" in lines
    monkeypatch.setenv("NEWSARCHIVE_PROFILES", str(profiles))
    assert "harbour" in newsarchive_here("sites").stdout


@pytest.mark.crawl
def test_a_profile_file_is_picked_up_and_used_by_a_crawl(profiles: Path, tmp_path: Path) -> None:
    """`crawl NAME` for a profile with no spider class: the generic spider with that profile."""
    db = tmp_path / "profiled.db"
    with running_wordpress(posts=80, seed=5) as base:
        result = newsarchive("crawl", "harbour", "--profiles", str(profiles), "--base-url", base, "--db", str(db),
                             "--quiet")
        assert result.returncode == 0, result.stdout + result.stderr
        truth = list(base.site.ground_truth(base))
    archived = archived_articles(db)
    assert set(archived) == {t["url"] for t in truth}
    assert {a["site"] for a in archived.values()} == {"harbour"}  # the profile parsed them
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT site FROM crawl_runs").fetchone()[0] == "harbour"
    shares = field_shares(truth, archived)
    print("\n" + report("WordPress replica, with a profile", shares))
    assert all(share >= 0.95 for share in shares.values()), report("with a profile", shares)


@pytest.mark.crawl
@pytest.mark.parametrize(
    ("content", "field"),
    [
        ('name = "bad"\n[selectors]\ntitle = "h1[["\n', "selectors.title"),
        ('name = "bad"\n[selectors]\ntitel = "h1"\n', "selectors.titel"),
        ('name = "bad"\n[urls]\narticle = ["(unclosed"]\n', "urls.article"),
        ('name = "bad"\n[crawl]\ndownload_delay = "fast"\n', "crawl.download_delay"),
        ('name = "bad"\nstart_url = ["https://example.com/"]\n', "start_url"),
        ('name = "bad"\n[selectors\n', "not valid TOML"),
    ],
)
def test_a_broken_profile_is_one_clear_line(tmp_path: Path, content: str, field: str) -> None:
    (tmp_path / "bad.toml").write_text(content)
    where = str(tmp_path / "bad.toml")
    for args in (("crawl", "bad", "--start", "http://127.0.0.1:9/", "--db", str(tmp_path / "x.db")),
                 ("sites", "check", "bad", str(tmp_path / "bad.toml"))):
        result = newsarchive(*args, "--profiles", str(tmp_path))
        assert result.returncode != 0
        errors = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(errors) == 1 and where in errors[0] and field in errors[0], result.stderr
    listing = newsarchive("sites", "--profiles", str(tmp_path))
    assert listing.returncode == 1 and "BROKEN" in listing.stdout and field in listing.stdout


def test_sites_check_shows_every_field_of_a_saved_page(profiles: Path, saved_post: tuple[Path, dict[str, Any]]) -> None:
    path, truth = saved_post
    result = newsarchive_here("sites", "check", "harbour", str(path), "--profiles", str(profiles))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for label in ("title:", "authors:", "published:", "modified:", "section:", "tags:", "language:", "canonical:",
                  "body:", "captions:", "comments:"):
        assert label in out
    assert truth["title"] in out and truth["url"] in out  # the URL from the saved page's canonical link
    assert "profile: title 'h1.entry-title': 1 match" in out
    assert f"comments:  {len(truth['comments'])}" in out
    as_json = newsarchive_here("sites", "check", "harbour", str(path), "--profiles", str(profiles), "--json")
    parsed = json.loads(as_json.stdout)
    assert parsed["body"] == truth["body"] and parsed["authors"] == truth["authors"]
    assert [c["text"] for c in parsed["captions"]] == [c["text"] for c in truth["captions"]]
    assert [c["comment_id"] for c in parsed["comments"]] == [c["comment_id"] for c in truth["comments"]]


def test_sites_new_drafts_a_working_profile(tmp_path: Path, saved_post: tuple[Path, dict[str, Any]]) -> None:
    path, truth = saved_post
    folder = tmp_path / "mine"
    folder.mkdir()
    result = newsarchive_here("sites", "new", "harbour2", "--from", str(path), "--profiles", str(folder))
    assert result.returncode == 0, result.stderr
    assert "9 of 9 fields as the generic extractor" in result.stderr
    profile = load_profile("harbour2", (folder,))
    assert profile.selector("title") == "h1.entry-title"
    assert profile.selector("comments") and profile.selector("captions") and profile.selector("published")
    assert profile.classify_path("/2024/03/05/a-story/") is not None
    article = parse_article(path.read_bytes(), truth["url"], profile)
    assert (article.title, article.body, article.authors) == (truth["title"], truth["body"], truth["authors"])
    again = newsarchive_here("sites", "new", "harbour2", "--from", str(path), "--profiles", str(folder))
    assert again.returncode != 0 and "exists" in again.stderr
    check = newsarchive_here("sites", "check", "harbour2", str(path), "--profiles", str(folder))
    assert check.returncode == 0 and truth["title"] in check.stdout


def test_every_profile_field_falls_back_to_the_generic_extractor(saved_post: tuple[Path, dict[str, Any]]) -> None:
    path, truth = saved_post
    html = path.read_bytes()
    generic = parse_article(html, truth["url"]).to_dict()
    names = ("title", "body", "published", "modified", "authors", "section", "tags", "captions", "caption_text",
             "comments", "comment_author", "comment_published", "comment_text")
    nothing = profile_from_dict({"name": "nothing", "selectors": dict.fromkeys(names, ".matches-nothing")})
    fallen = parse_article(html, truth["url"], nothing).to_dict()
    for key in ("title", "body", "published", "modified", "authors", "section", "tags", "captions", "comments",
                "language", "canonical_url", "is_partial"):
        assert fallen[key] == generic[key], key
    # A profile that states one field: that field from its selector, every other from the generic path.
    one = profile_from_dict({"name": "one", "selectors": {"title": ".site-title"}})
    partly = parse_article(html, truth["url"], one).to_dict()
    assert partly["title"] == "The Daily Harbour"
    assert {k: v for k, v in partly.items() if k not in ("title", "site")} == {
        k: v for k, v in generic.items() if k not in ("title", "site")
    }


def test_profile_errors_name_the_file_and_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "oops.toml"
    bad.write_text('name = "oops"\n[selectors]\nbody = ".a >> .b"\n')
    with pytest.raises(ProfileError, match=r"oops\.toml: selectors\.body: bad CSS selector"):
        load_profile("oops", (tmp_path,))
