"""The newsarchive CLI through click's CliRunner: every command, its output and its error paths."""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from archive.store import Archive, ArticleRecord
from newsarchive import cli
from newsarchive.cli import main
from newsarchive.cli import search as search_cli
from scrapers.parsers.article import Article, Caption, Comment

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
BAKU = timezone(timedelta(hours=4))


def make_article(n: int, title: str, body: str, **fields: Any) -> Article:
    values: dict[str, Any] = {
        "url": f"https://news.example/en/{n}",
        "site": "example",
        "article_id": str(n),
        "language": "en",
        "section": "economy",
        "title": title,
        "body": body,
        "published": datetime(2024, 4, 30, 9, 0, tzinfo=BAKU),
        "published_raw": "30.04.2024 09:00",
    }
    values.update(fields)
    return Article(**values)


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "archive.db"
    comments = [
        Comment("1", None, "Bob", None, "yesterday", "Great pipeline story"),
        Comment("2", "1", "Eve", None, None, "I disagree with Bob"),
    ]
    captions = [Caption("https://img.example/1.jpg", "Welders at work", "AP", "https://ap.example")]
    with Archive.open(path) as a:
        a.write_batch(
            articles=[
                ArticleRecord(
                    make_article(
                        1, "Pipeline opens", "Gas flows west.", captions=captions, comments=comments
                    ),
                    None,
                    T0,
                ),
                ArticleRecord(make_article(2, "Weather", "A pipeline is mentioned here."), None, T0),
                ArticleRecord(make_article(3, "Neft", "Neft qiymətləri artdı.", language="az"), None, T0),
            ]
        )
    return str(path)


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def assert_one_line_error(result: Result, fragment: str) -> None:
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert fragment in lines[0]


# --- --db resolution --------------------------------------------------------------------------


def test_db_as_group_option_command_option_and_env(db: str) -> None:
    for result in (
        run("--db", db, "search", "pipeline"),
        run("search", "pipeline", "--db", db),
        run("search", "pipeline", env={"NEWSARCHIVE_DB": db}),
        run("--db", "/nowhere/else.db", "search", "pipeline", "--db", db),  # the command's wins
    ):
        assert result.exit_code == 0, result.output
        assert "Pipeline opens" in result.stdout


# --- search -----------------------------------------------------------------------------------


def test_search_plain_output_marks_matches_with_brackets(db: str) -> None:
    result = run("search", "pipeline", "--db", db)
    assert result.exit_code == 0
    out = result.stdout
    assert out.index("Pipeline opens") < out.index("Weather")  # title match first
    assert "https://news.example/en/2" in out
    assert "2024-04-30 · economy · en · example" in out
    assert "[pipeline]" in out
    assert "\x1b[" not in out


def test_search_in_colour(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("search", "welders", "--db", db, "--color")
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout and "[Welders]" not in result.stdout
    monkeypatch.setattr(search_cli, "_stdout_is_tty", lambda: True)
    assert "\x1b[" in run("search", "welders", "--db", db).stdout
    assert "\x1b[" not in run("search", "welders", "--db", db, "--no-color").stdout


def test_search_json(db: str) -> None:
    result = run("search", "pipeline", "--db", db, "--json", "--limit", "1")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["query"] == "pipeline" and '"pipelin"' in data["fts_query"]  # the normalised (stemmed) key
    (hit,) = data["results"]
    assert hit["title"] == "Pipeline opens" and hit["id"] == 1 and hit["score"] > 0
    start, end = hit["title_highlights"][0]
    assert hit["title"][start:end] == "Pipeline"
    # The body does not say it, so the snippet is cut from where it is said: a comment.
    start, end = hit["highlights"][0]
    assert hit["field"] == "comments" and hit["snippet_text"][start:end] == "pipeline"
    assert "[pipeline]" in hit["snippet"]


def test_search_filters_and_no_results(db: str) -> None:
    result = run("search", "neft", "--lang", "az", "--db", db)
    assert result.exit_code == 0 and "Neft" in result.stdout
    result = run("search", "pipeline", "--lang", "az", "--db", db)
    assert result.exit_code == 0 and result.stdout == ""
    assert "no matches" in result.stderr
    result = run("search", "pipeline", "--lang", "az", "--db", db, "--json")
    assert json.loads(result.stdout)["results"] == []


def test_search_comments(db: str) -> None:
    result = run("search", "disagree", "--comments", "--db", db)
    assert result.exit_code == 0
    assert "Eve on: Pipeline opens" in result.stdout and "[disagree]" in result.stdout


@pytest.mark.parametrize("query", ['"', "", "*", "'; --", "AND", "oil OR", "(oil", "nope:x"])
def test_search_bad_query_is_one_line(db: str, query: str) -> None:
    assert_one_line_error(run("search", query, "--db", db), "Error:")


@pytest.mark.parametrize("query", ["NEAR(", "'; DROP TABLE articles", 'a"b', "and", "NEAR(pipeline)"])
def test_search_hostile_query_is_safe(db: str, query: str) -> None:
    result = run("search", query, "--db", db)
    assert result.exit_code == 0, result.output


# --- show -------------------------------------------------------------------------------------


def test_show_text(db: str) -> None:
    result = run("show", "1", "--db", db)
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("Pipeline opens\n==============\n")
    assert 'Published: 2024-04-30T09:00:00+04:00  (raw: "30.04.2024 09:00")' in out
    assert "Gas flows west." in out
    assert "1. Welders at work — AP (https://ap.example)" in out
    assert "Comments (2):" in out
    assert '  - Bob   (raw: "yesterday")\n    Great pipeline story\n    - Eve' in out


def test_show_by_url_and_key_and_json(db: str) -> None:
    assert run("show", "https://news.example/en/2", "--db", db).stdout.startswith("Weather")
    assert run("show", "example:3:az", "--db", db).stdout.startswith("Neft")
    data = json.loads(run("show", "1", "--json", "--db", db).stdout)
    assert data["key"] == "example:1:en"
    assert data["comments"][0]["replies"][0]["author"] == "Eve"
    assert data["captions"][0]["credit"] == "AP"


def test_show_unknown_article_is_one_line(db: str) -> None:
    assert_one_line_error(
        run("show", "https://nowhere.example/", "--db", db), "no article with id, key or URL"
    )


# --- stats and check --------------------------------------------------------------------------


def test_stats(db: str) -> None:
    result = run("stats", "--db", db)
    assert result.exit_code == 0
    assert "3 (0 partial), 2 comments, 1 caption" in result.stdout
    assert "en 2, az 1" in result.stdout
    data = json.loads(run("stats", "--json", "--db", db).stdout)
    assert data["by_language"] == {"en": 2, "az": 1}


def test_check_ok_and_problems(db: str) -> None:
    result = run("check", "--db", db)
    assert result.exit_code == 0 and result.stdout.startswith("ok:")
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER articles_au")
    conn.execute("UPDATE articles SET body = 'rewritten without the index noticing'")
    conn.commit()
    conn.close()
    result = run("check", "--db", db)
    assert result.exit_code == 1
    assert "problem: articles_fts:" in result.stdout


# --- errors about the file itself -------------------------------------------------------------


@pytest.mark.parametrize("command", [["search", "x"], ["show", "1"], ["stats"], ["check"]])
def test_missing_archive_is_one_line(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "missing.db"
    assert_one_line_error(run(*command, "--db", str(missing)), "no archive at")
    assert not missing.exists()


def test_not_an_archive_is_one_line(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a database " * 20)
    assert_one_line_error(run("stats", "--db", str(text)), "not a SQLite database")
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    assert_one_line_error(run("stats", "--db", str(other)), "not a newsarchive archive")


# --- help and lazily registered commands ------------------------------------------------------


@pytest.mark.parametrize("command", ["search", "show", "stats", "check"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout and f"newsarchive {command}" in result.stdout


def test_group_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in ("search", "show", "stats", "check"):
        assert command in result.stdout


@pytest.fixture
def lazy_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    pkg = tmp_path / "lazypkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "good.py").write_text(
        "import click\n\n@click.group()\ndef replica() -> None:\n    'Fake replica.'\n\n"
        "@replica.command()\ndef serve() -> None:\n    click.echo('serving')\n"
    )
    (pkg / "broken.py").write_text("import module_that_does_not_exist_anywhere\n")
    (pkg / "crawler.py").write_text(
        "import click\n\n@click.command()\n@click.option('--db', default='data/archive.db')\n"
        "def crawl(db: str) -> None:\n    click.echo(f'crawling into {db}')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(
        cli,
        "LAZY_COMMANDS",
        {
            "replica": ("lazypkg.good", "replica"),
            "crawl": ("lazypkg.broken", "crawl"),
            "absent": ("lazypkg.absent", "absent"),
            "nopkg": ("no_such_package_here.cli", "x"),
        },
    )
    yield tmp_path
    for name in ("lazypkg", "lazypkg.good", "lazypkg.broken", "lazypkg.crawler"):
        sys.modules.pop(name, None)


def test_lazy_commands_appear_only_when_their_module_exists(lazy_modules: Path) -> None:
    listed = main.list_commands(click.Context(main))
    assert "replica" in listed and "crawl" in listed
    assert "absent" not in listed and "nopkg" not in listed
    result = run("replica", "serve")
    assert result.exit_code == 0 and result.stdout == "serving\n"
    assert run("absent").exit_code != 0


def test_a_lazy_command_that_cannot_import_fails_in_one_line(lazy_modules: Path) -> None:
    assert_one_line_error(run("crawl"), "'crawl' is unavailable")
    assert run("--help").exit_code == 0  # the others still work


def test_the_group_db_reaches_the_crawl_command(lazy_modules: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(cli.LAZY_COMMANDS, "crawl", ("lazypkg.crawler", "crawl"))
    assert run("--db", "x.db", "crawl").stdout == "crawling into x.db\n"
    assert run("--db", "x.db", "crawl", "--db", "y.db").stdout == "crawling into y.db\n"
