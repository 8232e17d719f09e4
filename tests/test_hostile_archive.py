"""Issue 18, the archive side: hostile queries, hostile pages' text, hostile files given as --db.

Each test reproduces one finding of the security review on real files and the real CLI (click's
runner in-process, or a subprocess where the process itself matters: memory, descriptors).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.errors import QueryError
from archive.search import query_error
from archive.search.query import MAX_AUTHOR_CHARS, MAX_DEPTH, compile_query
from archive.store import Archive
from newsarchive.cli import main


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), (
        f"{args}: {result.exception!r}"
    )
    return result.exit_code, result.stdout + result.stderr


def one_line(output: str) -> str:
    assert "Traceback" not in output, output
    lines = [line for line in output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, output
    return lines[0]


# --- finding 8: the query parser's nesting, the --author length -------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "(" * 248 + "Aliyev" + ")" * 248,  # the review's case: 497 characters
        "title:" + "(" * 300 + "Aliyev" + ")" * 300,
        "Aliyev " + "NOT " * 450 + "Putin",
        "Aliyev " + "-" + "(-" * 400 + "Putin" + ")" * 400,
    ],
    ids=["parentheses", "field-parentheses", "not-chain", "minus-chain"],
)
def test_deep_nesting_is_a_query_error(query: str, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match=f"nested deeper than {MAX_DEPTH}"):
        compile_query(query)
    assert query_error(query, None, "articles") is not None  # what the web UI's search_check shows
    Archive.open(tmp_path / "a.db").close()
    code, output = run("search", query, "--db", str(tmp_path / "a.db"))
    assert code == 1 and "nested deeper" in one_line(output)


def test_nesting_within_the_limit_still_parses() -> None:
    assert compile_query("(" * MAX_DEPTH + "Aliyev" + ")" * MAX_DEPTH).match


def test_author_length_is_capped(tmp_path: Path) -> None:
    author = "Aliyev " * 1_000_000
    started = time.monotonic()
    with pytest.raises(QueryError, match=f"at most {MAX_AUTHOR_CHARS}"):
        compile_query("oil", "articles", author)
    assert query_error("", author, "articles") is not None
    Archive.open(tmp_path / "a.db").close()
    code, output = run("search", "oil", "--author", author[:20_000], "--db", str(tmp_path / "a.db"))
    assert code == 1 and f"at most {MAX_AUTHOR_CHARS}" in one_line(output)
    assert time.monotonic() - started < 5  # was 32 s for a million words
    assert compile_query("oil", "articles", "Vugar " * 10).match  # a real name still works
