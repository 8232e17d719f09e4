"""Issue 18, the archive side: hostile queries, hostile pages' text, hostile files given as --db.

Each test reproduces one finding of the security review on real files and the real CLI (click's
runner in-process, or a subprocess where the process itself matters: memory, descriptors).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import subprocess
import sys
import time
import zlib
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.errors import ArchiveError, BodyDamagedError, QueryError
from archive.search import query_error
from archive.search.query import MAX_AUTHOR_CHARS, MAX_DEPTH, compile_query
from archive.store import Archive, ArticleRecord, PageRecord
from newsarchive.cli import main
from scrapers.health import EXIT_COULD_NOT_RUN
from scrapers.lock import JobLock, holds, lock_path
from scrapers.parsers import parse_article
from scrapers.parsers.article import Article, Caption, Comment
from tests.conftest import ROOT, newsarchive


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


# --- findings 15 and 7: what a page's text may carry into the archive -------------------------

ESC_RED = "&#27;[31mRED&#27;[0m"  # an ANSI colour, as an entity (the raw byte is dropped with the markup's)
OSC8 = "&#27;]8;;http://evil.example/&#7;click&#27;]8;;&#7;"  # a terminal hyperlink
C1 = "\u009b31m"  # CSI as one C1 character


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    if hasattr(value, "__dataclass_fields__"):
        return [s for name in value.__dataclass_fields__ for s in _strings(getattr(value, name))]
    return []


def _controls(text: str) -> list[str]:
    return [hex(ord(ch)) for ch in text if (ord(ch) < 0x20 and ch not in "\n\t") or 0x7F <= ord(ch) <= 0x9F]


def hostile_page(jsonld: dict[str, object]) -> str:
    return f"""<html lang="en"><head><title>T</title><meta name="keywords" content="k {ESC_RED}">
    <meta property="article:section" content="Sec {ESC_RED}"><meta name="author" content="Meta {ESC_RED}">
    <script type="application/ld+json">{json.dumps(jsonld)}</script></head><body><article>
    <h1>Headline {ESC_RED} {C1}</h1>
    <div class="byline">By <a rel="author" href="/a">Eve {ESC_RED}</a></div>
    <time datetime="2024-05-01T10:00:00Z">1 May 2024 {ESC_RED}</time>
    <p>First paragraph of the story with enough words to be a body {ESC_RED} and {OSC8} and {C1} too.</p>
    <p>Second paragraph of the story, long enough to count as reading text for the extractor here.</p>
    <figure><img src="/i.jpg"><figcaption>A caption {ESC_RED} {OSC8}</figcaption></figure>
    <p>Third paragraph, also long enough to count as text: the story goes on and on {C1}.</p>
    </article></body></html>"""


def test_jsonld_strings_are_unescaped() -> None:
    page = hostile_page({
        "@type": "NewsArticle", "headline": "Tom &amp; Jerry&#8217;s day &lt;out&gt;",
        "author": [{"@type": "Person", "name": "Tomás &amp; Co"}, {"@type": "Person", "name": "Ann &#x4C;ee"}],
        "articleSection": "Arts &amp; Culture", "keywords": "R&amp;D, cats &amp; dogs",
        "datePublished": "2024-05-01T10:00:00Z", "url": "https://news.example/a?x=1&amp;y=2",
    })
    article = parse_article(page, "https://news.example/a?x=1&y=2")
    assert article.title == "Tom & Jerry’s day <out>"
    assert article.authors == ["Tomás", "Co", "Ann Lee"]  # "&" separates names, as in a byline
    assert article.section == "Arts & Culture"
    assert article.tags == ["R&D", "cats & dogs"]
    # Only well-formed entities: "&copy=2" in a URL is not the copyright sign.
    keep = parse_article(hostile_page({"@type": "NewsArticle", "headline": "a &copy=2 b &amp c"}), "https://n.example/b")
    assert keep.title == "a &copy=2 b &amp c"


def test_control_characters_are_stripped_at_parse_time() -> None:
    page = hostile_page({
        "@type": "NewsArticle", "headline": "LD \u001b[31mheadline\u001b]8;;http://evil/\u0007",
        "author": {"@type": "Person", "name": "Mallory \u009b31m"}, "datePublished": "2024-05-01T10:00:00Z",
        "comment": [{"@type": "Comment", "text": "A comment \u001b[2J\u001b[H cleared",
                     "author": {"name": "X\u001b[5m"}, "@id": "c\u001b[8m1",
                     "dateCreated": "2024-05-01T11:00:00Z\u001b[8m"}],
    })
    article = parse_article(page, "https://news.example/a")
    assert "headline" in (article.title or "") and "RED" in article.body and article.captions and article.comments
    found = {s: _controls(s) for s in _strings(article) if _controls(s)}
    assert not found, found
    assert "\n" in article.body  # paragraphs keep their line breaks
    no_ld = parse_article(hostile_page({}), "https://news.example/b")
    found = {s: _controls(s) for s in _strings(no_ld) if _controls(s)}
    assert not found, found


RAW = "\u001b[31mred\u001b[0m \u001b]8;;http://evil.example/\u0007link\u001b]8;;\u0007 \u009b2J \r\u0008"


def written_before(tmp_path: Path) -> Path:
    """An archive whose text holds raw control characters (as parsers before the fix stored them)."""
    db = tmp_path / "old.db"
    article = Article(
        url="https://news.example/en/a/1", site="example", article_id="1", language="en", section=f"sec{RAW}",
        title=f"Aliyev {RAW}", body=f"Aliyev spoke {RAW}.\n\nSecond {RAW}", authors=[f"Eve {RAW}"],
        published_raw=f"today {RAW}", tags=[f"tag{RAW}"],
        captions=[Caption("https://news.example/i.jpg", f"Aliyev caption {RAW}", f"credit {RAW}")],
        comments=[Comment("c1", None, f"Bob {RAW}", None, f"now {RAW}", f"Aliyev comment {RAW}")],
    )
    with Archive.open(db) as archive:
        archive.write_batch(articles=[ArticleRecord(article, None, datetime(2025, 1, 1, tzinfo=UTC))])
    return db


@pytest.mark.parametrize(
    "args",
    [("show", "1"), ("show", "1", "--json"), ("history", "1"), ("history", "1", "--json"),
     ("search", "Aliyev"), ("search", "Aliyev", "--color"),
     ("search", "Aliyev", "--json"), ("search", "Aliyev", "--in", "comments"),
     ("search", "Aliyev", "--in", "captions"), ("stats",)],
    ids=lambda a: " ".join(a),
)
def test_show_and_search_never_print_control_characters(tmp_path: Path, args: tuple[str, ...]) -> None:
    db = written_before(tmp_path)
    code, output = run(*args, "--db", str(db))
    assert code == 0, output
    if "--color" in args:  # our own highlighting is the only escape sequence: ESC [ digits ; m
        output = re.sub(r"\x1b\[(?:0|1|33)m", "", output)
    assert not _controls(output), (sorted(set(_controls(output))), output)
    assert "red" in output or args[0] == "stats"


# --- finding 11: read commands never create nor convert a file --------------------------------

READ_COMMANDS: list[tuple[str, ...]] = [
    ("stats",), ("search", "Aliyev"), ("check",), ("show", "1"), ("history", "1"), ("serve", "--port", "0"),
]
NOT_ARCHIVES = {
    "empty": "is empty, not a newsarchive archive",
    "empty-sqlite": "is an empty SQLite database, not a newsarchive archive",
    "view": "not a newsarchive archive",
    "fifo": "is not a regular file",
    "device": "is not a regular file",
}


def not_an_archive(folder: Path, kind: str) -> Path:
    path = folder / f"{kind}.db"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "empty-sqlite":  # a SQLite file with nothing in it (a page size set, no schema)
        with closing(sqlite3.connect(path)) as conn:
            conn.execute("PRAGMA user_version = 0")
            conn.execute("VACUUM")
    elif kind == "view":
        with closing(sqlite3.connect(path)) as conn:
            conn.execute("CREATE VIEW v AS SELECT 1 AS x")
            conn.commit()
    elif kind == "fifo":
        os.mkfifo(path)
    elif os.geteuid() == 0:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null of our own
    else:
        path.symlink_to("/dev/null")
    return path


def _state(path: Path) -> tuple[int, int, bytes | None]:
    st = path.stat()
    return st.st_mode, st.st_size, path.read_bytes() if stat.S_ISREG(st.st_mode) else None


@pytest.mark.parametrize("kind", sorted(NOT_ARCHIVES))
@pytest.mark.parametrize("command", READ_COMMANDS, ids=[c[0] for c in READ_COMMANDS])
def test_read_commands_refuse_what_is_not_an_archive(tmp_path: Path, command: tuple[str, ...], kind: str) -> None:
    path = not_an_archive(tmp_path, kind)
    before, files = _state(path), sorted(tmp_path.iterdir())
    try:
        done = newsarchive(*command, "--db", str(path), timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(command)} on a {kind} hangs")
    assert done.returncode != 0, done.stdout + done.stderr
    assert NOT_ARCHIVES[kind] in one_line(done.stdout + done.stderr)
    assert _state(path) == before, "the file was changed"
    assert sorted(tmp_path.iterdir()) == files, "a journal or WAL was left beside it"


# --- finding 10: the lock file -----------------------------------------------------------------


def test_lock_file_never_follows_a_symlink(tmp_path: Path) -> None:
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me\n")
    db = tmp_path / "archive.db"
    lock_path(db, "turan").symlink_to(victim)
    with pytest.raises(ArchiveError, match="symbolic link"):
        JobLock(db, "turan").acquire()
    assert victim.read_text() == "keep me\n"
    assert not holds(db, "turan")


@pytest.mark.parametrize("kind", ["fifo", "directory", "hard link"])
def test_lock_file_must_be_a_regular_file_of_its_own(tmp_path: Path, kind: str) -> None:
    db = tmp_path / "archive.db"
    path = lock_path(db, "turan")
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me\n")
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    else:
        os.link(victim, path)
    with pytest.raises(ArchiveError, match=r"not a regular file|other names"):
        JobLock(db, "turan").acquire()
    assert victim.read_text() == "keep me\n"


def test_no_lock_file_is_left_behind(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"  # a bad --db: the crawl cannot run
    notes.write_text("not an archive\n" * 20)
    done = newsarchive("crawl", "turan", "--base-url", "http://127.0.0.1:9", "--db", str(notes))
    assert done.returncode == EXIT_COULD_NOT_RUN and "not a SQLite database" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    db = tmp_path / "archive.db"
    with JobLock(db, "turan") as lock:
        assert lock.path.exists()
    assert not lock.path.exists()  # released: removed, while still held (see scrapers/lock.py)


CONTEND = """
import os, sys
from scrapers.lock import JobLock, LockBusyError
db, inside, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
held = 0
for _ in range(rounds):
    try:
        lock = JobLock(db, "turan").acquire()
    except LockBusyError:
        continue
    fd = os.open(inside, os.O_CREAT | os.O_EXCL | os.O_WRONLY)  # fails if another holder is inside
    os.close(fd)
    os.unlink(inside)
    lock.release()
    held += 1
print(held)
"""


def test_removing_the_lock_file_keeps_one_holder_at_a_time(tmp_path: Path) -> None:
    db, inside = tmp_path / "archive.db", tmp_path / "inside"
    jobs = [
        subprocess.Popen([sys.executable, "-c", CONTEND, str(db), str(inside), "400"], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    results = [job.communicate(timeout=120) for job in jobs]
    assert all(job.returncode == 0 for job in jobs), results
    assert sum(int(out) for out, _ in results) > 0
    assert not lock_path(db, "turan").exists()


# --- finding 14: stored page bodies -----------------------------------------------------------

PAGE = (
    "<html lang='en'><head><title>Oil talks</title></head><body><article><h1>Oil talks in Baku</h1>"
    + "<p>Ministers met in Baku on Monday to talk about the price of oil and gas exports.</p>" * 6
    + "</article></body></html>"
).encode()


def archive_with_pages(db: Path, n: int = 3) -> list[str]:
    """An archive of `n` articles with their raw pages; the pages' hashes."""
    at = datetime(2025, 1, 1, tzinfo=UTC)
    records = []
    for i in range(n):
        url = f"https://news.example/en/a/{i}"
        page = PageRecord(url, 200, {}, PAGE.replace(b"Monday", f"day {i}".encode()), at, content_type="text/html")
        records.append(ArticleRecord(parse_article(page.body, url), page, at))
    with Archive.open(db) as archive:
        archive.write_batch(pages=[r.page for r in records if r.page], articles=records)
    return [r.page.sha256 for r in records if r.page]


def bomb(mib: int) -> bytes:
    """`mib` MiB of zeros, zlib-compressed a MiB at a time (the test never holds them whole)."""
    packer, zeros = zlib.compressobj(9), bytes(1024 * 1024)
    return b"".join(packer.compress(zeros) for _ in range(mib)) + packer.flush()


def plant(db: Path, content_hash: str, blob: bytes, size: int) -> None:
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("UPDATE page_bodies SET compression = 'zlib', dict_id = NULL, body = ?, size = ? WHERE hash = ?",
                     (blob, size, content_hash))
        conn.commit()


# Runs the CLI in this interpreter and prints its own peak RSS last on stderr (--workers 0: the
# pages are read and parsed in this very process).
# The process's own peak (VmHWM), not getrusage's ru_maxrss: on Linux that also keeps the peak of
# the memory it was exec'd from, i.e. pytest's own RSS when the suite has grown it (711-801 MB seen).
PEAK_RSS = """
import re, sys
from newsarchive.cli import main
try:
    main(sys.argv[1:], prog_name="newsarchive")
finally:
    with open("/proc/self/status") as status:
        peak = re.search(r"VmHWM:\\s*(\\d+) kB", status.read())
    print(f"peak_rss_kb={peak.group(1) if peak else -1}", file=sys.stderr)
"""


def test_check_verifies_stored_page_bodies(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    hashes = archive_with_pages(db)
    code, output = run("check", "--db", str(db))
    assert code == 0, output
    plant(db, hashes[1], zlib.compress(b"<html>another page</html>"), 25)  # decodes, wrong bytes
    plant(db, hashes[2], b"\x78\x9c not zlib at all", 10)  # does not decode
    code, output = run("check", "--db", str(db))
    assert code == 1
    assert "2 stored page bodies are damaged" in output and hashes[1] in output, output
    with Archive.open(db, create=False, readonly=True) as archive:
        assert archive.page_body(hashes[0]).startswith(b"<html")
        for h in hashes[1:]:
            with pytest.raises(BodyDamagedError):
                archive.page_body(h)


@pytest.mark.parametrize("recorded", ["small", "honest"])
def test_reparse_of_a_zlib_bomb_is_bounded(tmp_path: Path, recorded: str) -> None:
    db = tmp_path / "a.db"
    hashes = archive_with_pages(db)
    blob = bomb(300)  # 300 MiB of zeros in ~300 KB
    plant(db, hashes[0], blob, len(PAGE) if recorded == "small" else 300 * 1024 * 1024)
    done = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, "reparse", "--db", str(db), "--workers", "0", "--json", "--quiet"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    out, err = done.stdout, done.stderr
    peak_mb = int(err.strip().splitlines()[-1].removeprefix("peak_rss_kb=")) / 1024
    assert done.returncode == 0, out + err
    print(f"reparse with a 300 MiB zlib bomb ({recorded} size recorded): peak RSS {peak_mb:.0f} MB")
    assert peak_mb < 500, f"reparse peaked at {peak_mb:.0f} MB"
    result = json.loads(out)
    assert result["skipped"] == {"page_damaged": 1}, result
    assert result["articles"] == 3
