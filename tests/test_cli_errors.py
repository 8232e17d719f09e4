"""Bad input from people (issue 6): every command, given a wrong flag, a missing archive, an archive
of another program, a file that is not SQLite, an archive of a newer schema, a malformed query or
date, says so in one clear line and exits non-zero, with no traceback.

Commands that never start Scrapy run in-process through click's runner (the real `newsarchive` group
on real files: fast); `crawl` runs as a subprocess, as a user or cron would run it."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.store import Archive
from newsarchive.cli import main
from tests.conftest import newsarchive

ARCHIVE_COMMANDS: list[tuple[str, ...]] = [
    ("search", "Aliyev"), ("search", "Aliyev", "--count"), ("show", "1"), ("stats",), ("check",),
    ("history", "1"), ("reparse",), ("serve",), ("export", "jsonl", "-o", "-"),
    ("export", "warc", "-o", "never-written.warc.gz"),
]
ALL_COMMANDS: list[tuple[str, ...]] = [
    *ARCHIVE_COMMANDS, ("crawl", "turan"), ("schedule", "turan"), ("sites",), ("replica", "serve"),
    ("ingest", "turan"),
]
BAD_QUERIES = ['"Ilham', "title:(Aliyev", "(((", "NOT", "foo:bar", "*", ")", "Aliyev AND"]
BAD_DATES = [("--since", "2024-13-45"), ("--until", "yesterday"), ("--since", "24"), ("--until", "2024-02-30")]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bad-archives")
    good = d / "good.db"
    Archive.open(good).close()
    other = d / "other.db"  # a SQLite file of another program
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        conn.commit()
    future = d / "future.db"  # written by a newer newsarchive
    shutil.copy(good, future)
    with closing(sqlite3.connect(future)) as conn:  # closed: its WAL is checkpointed into the file
        conn.execute("PRAGMA user_version = 99")
        conn.execute("UPDATE _newsarchive_meta SET schema_version = 99")
        conn.commit()
    text = d / "text.db"
    text.write_text("not a database at all\n" * 20)
    return {"good": good, "other": other, "future": future, "text": text, "missing": d / "missing.db"}


EXPECT = {
    "missing": "no archive at",
    "other": "not a newsarchive archive",
    "text": "not a SQLite database",
    "future": "newer than this newsarchive supports",
}


def one_clear_line(output: str, *, prefix: tuple[str, ...] = ("Error:",)) -> str:
    assert "Traceback" not in output, output
    lines = [line for line in output.splitlines() if line.startswith(prefix)]
    assert len(lines) == 1, output
    return lines[0]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), (
        f"{args}: {result.exception!r}"
    )
    return result.exit_code, result.stdout + result.stderr


@pytest.mark.parametrize("kind", sorted(EXPECT))
@pytest.mark.parametrize("command", ARCHIVE_COMMANDS, ids=[" ".join(c) for c in ARCHIVE_COMMANDS])
def test_unusable_archive_is_one_line(files: dict[str, Path], command: tuple[str, ...], kind: str) -> None:
    before = files[kind].read_bytes() if files[kind].exists() else None
    code, output = run(*command, "--db", str(files[kind]))
    assert code != 0
    assert EXPECT[kind] in one_clear_line(output)
    after = files[kind].read_bytes() if files[kind].exists() else None
    assert after == before, "a command refused the file, and must leave it as it was"


@pytest.mark.parametrize("command", [c for c in ALL_COMMANDS if c[0] != "crawl"],
                         ids=[" ".join(c) for c in ALL_COMMANDS if c[0] != "crawl"])
def test_wrong_flag_is_one_line(files: dict[str, Path], command: tuple[str, ...]) -> None:
    code, output = run(*command, "--no-such-flag", "--db", str(files["good"]))
    assert code == 2
    assert "--no-such-flag" in one_clear_line(output)


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_malformed_query_is_one_line(files: dict[str, Path], query: str) -> None:
    for target in ("articles", "comments"):
        code, output = run("search", query, "--in", target, "--db", str(files["good"]))
        assert code != 0
        one_clear_line(output)


@pytest.mark.parametrize(("option", "value"), BAD_DATES)
def test_malformed_date_is_one_line(files: dict[str, Path], option: str, value: str) -> None:
    code, output = run("search", "Aliyev", option, value, "--db", str(files["good"]))
    assert code == 2
    assert value in one_clear_line(output)


@pytest.mark.crawl
def test_crawl_refuses_bad_input_in_one_line(files: dict[str, Path], tmp_path: Path) -> None:
    # Usage errors: exit 2 before anything runs.
    for args in (("--no-such-flag",), ("--since", "2024-99-01"), ("--recrawl", "sometimes"), ("-s", "NOVALUE")):
        done = newsarchive("crawl", "turan", *args, "--db", str(tmp_path / "new.db"))
        assert done.returncode == 2, done.stderr
        one_clear_line(done.stderr)
    assert not (tmp_path / "new.db").exists(), "a refused crawl creates no archive"
    # Archives it cannot use: exit 4, the file untouched.
    for kind in ("other", "text", "future"):
        before = files[kind].read_bytes()
        done = newsarchive("crawl", "turan", "--base-url", "http://127.0.0.1:9", "--db", str(files[kind]))
        assert done.returncode == 4, done.stdout + done.stderr
        assert EXPECT[kind] in one_clear_line(done.stderr, prefix=("newsarchive crawl:",))
        assert files[kind].read_bytes() == before
    done = newsarchive("crawl", "no-such-site", "--db", str(tmp_path / "x.db"))
    assert done.returncode == 4 and "unknown site" in one_clear_line(done.stderr, prefix=("newsarchive crawl:",))
    unwritable = tmp_path / "a-file"
    unwritable.write_text("")
    done = newsarchive("crawl", "turan", "--db", str(unwritable / "archive.db"))
    assert done.returncode == 4, done.stdout + done.stderr
    one_clear_line(done.stderr, prefix=("newsarchive crawl:",))
