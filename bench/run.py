"""Speed, memory and size against the limits of issue 7, each figure next to its reference from the same run.

    make bench                                              # the default, smaller sizes (a few minutes)
    .venv/bin/python bench/run.py --trafilatura-python /tmp/trafvenv/bin/python
    .venv/bin/python bench/run.py --articles 20000 --memory-small 2000 --search-articles 200000
    .venv/bin/python bench/run.py --only memory --memory-large 100000 --memory-small 10000   # one part
    .venv/bin/python bench/run.py --only export --export-pages 5000 --export-memory 10000,100000
    .venv/bin/python bench/run.py --only import --import-records 100000                     # WARC import

What it does, on the replica served on 127.0.0.1 (``replica.server.running_replica``):

1. crawls an ``--articles`` replica with the real command (``newsarchive crawl turan``, its own
   process), sampling the memory of its process tree; then the same crawl with parsing in the
   crawl's own process (``-s PARSE_WORKERS=0``: how it was before the parse pool; skip with
   ``--no-before``), and a crawl of a ``--memory-small`` replica (the memory reference);
2. fetches the same URLs with a bare Scrapy spider that does nothing with them (bench/bare_spider.py);
3. times ``parse_article`` (turan profile, CPU time) on ``--parse-pages`` archived pages, and trafilatura's
   ``extract(include_comments=True)`` on the same bytes in its own interpreter
   (``--trafilatura-python``; trafilatura is not a dependency of the project: install it in a
   throwaway venv, ``python3 -m venv /tmp/trafvenv && /tmp/trafvenv/bin/pip install trafilatura``);
4. re-parses the crawled archive with ``newsarchive reparse`` in one process (``--workers 0``, one
   core), with one worker and with two;
5. compares the archive's size per article with the gzip'd raw HTML of its article pages;
6. times 2-word searches with snippets on an archive of ``--search-articles`` articles built from
   the replica's ground truth (bench/search.py);
7. exports a replica-page archive as WARC against warcio alone writing the same records, and the
   peak memory of ``newsarchive export warc`` at two sizes (bench/export.py).
8. photos (bench/media.py): a ``--media-articles`` crawl with ``--images captioned`` against the same
   crawl with ``--images none`` (pages/s, photos counted as pages in neither), and the archive's
   growth per stored photo against the photo's own bytes. The other crawls run with ``--images none``.
9. imports a WARC of an ``--import-records`` replica with ``newsarchive import`` (bench/import_.py):
   its rate against what the parse workers allow and ``warcio index``, its peak memory against an
   import a tenth the size.

Crawl rates are pages (responses) per second of the crawl itself, from its run record (bare spider:
Scrapy's elapsed time), without interpreter start-up. The machine is shared and noisy: compare the
ratios of one run, never seconds of different runs. The load average is printed with the table.

The replica's article pages are about 16 KB; real turan.az pages are about 86 KB (more chrome,
scripts and inline JSON), so per-page parse times here are lower than on the real site.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.store import Archive  # noqa: E402
from bench import export as export_bench  # noqa: E402
from bench.media import measure as media_rows  # noqa: E402
from bench.search import build, queries, time_queries  # noqa: E402
from replica.model import WEIGHTS  # noqa: E402
from replica.server import running_replica  # noqa: E402
from scrapers.parsers import parse_article  # noqa: E402
from scrapers.sites import load_profile  # noqa: E402

MB = 1024 * 1024

# Runs in trafilatura's interpreter: times extract() with comments on the pages of a JSON file
# (CPU time of the process, like time_ours: on a shared machine wall time measures the neighbours).
TRAFILATURA = r"""
import json, sys, time
import trafilatura
pages = json.load(open(sys.argv[1]))
blobs = [(url, bytes.fromhex(body)) for url, body in pages]
for url, body in blobs[:5]:
    trafilatura.extract(body, url=url, include_comments=True)
start = time.process_time()
for url, body in blobs:
    trafilatura.extract(body, url=url, include_comments=True)
print(json.dumps({"pages": len(blobs), "seconds": time.process_time() - start,
                  "version": trafilatura.__version__}))
"""


# --- memory of a process tree -----------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _rss(pid: int) -> int:
    return export_bench.proc_status_bytes(pid, "VmRSS") or 0


def _cpu(stat: str) -> float:
    """User + system CPU seconds of a process or thread (0.0 once it is gone)."""
    try:
        with open(stat) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class MemorySampler:
    """Samples the RSS of a process and of its whole tree (the parse workers too) until stopped."""

    pid: int
    interval: float = 0.2
    peak_main: int = 0
    peak_tree: int = 0
    thread_cpu: float = 0.0  # CPU seconds of the process's main thread (Scrapy's), last seen
    # CPU seconds of every process of the tree, last seen: the parse workers are the forkserver's
    # children, not the crawl's, so the crawl's own rusage does not count them.
    cpu_by_pid: dict[int, float] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)

    @property
    def tree_cpu(self) -> float:
        return sum(self.cpu_by_pid.values())

    def run(self) -> None:
        while not self._stop.is_set():
            tree = _children()
            pids, todo = [], [self.pid]
            while todo:
                pid = todo.pop()
                pids.append(pid)
                todo.extend(tree.get(pid, []))
            main = _rss(self.pid)
            self.thread_cpu = max(self.thread_cpu, _cpu(f"/proc/{self.pid}/task/{self.pid}/stat"))
            for pid in pids:
                self.cpu_by_pid[pid] = max(self.cpu_by_pid.get(pid, 0.0), _cpu(f"/proc/{pid}/stat"))
            self.peak_main = max(self.peak_main, main)
            self.peak_tree = max(self.peak_tree, main + sum(_rss(p) for p in pids[1:]))
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread = threading.Thread(target=self.run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# --- the crawls ------------------------------------------------------------------------------


@dataclass
class CrawlFigures:
    pages: int
    articles: int
    seconds: float
    peak_main: int
    peak_tree: int
    cpu: float = 0.0  # user + system seconds of the crawl process and its parse workers (sampled)
    thread_cpu: float = 0.0  # of the crawl's main thread (Scrapy's reactor) alone
    server_cpu: float = 0.0  # of this process meanwhile: the replica server's threads, mostly

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def _stamp(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def crawl(base: str, db: Path, *sets: str) -> CrawlFigures:
    # Pages only: the bare spider fetches pages, and photos have their own part (bench/media.py).
    command = [sys.executable, "-m", "newsarchive", "crawl", "turan", "--base-url", base, "--db", str(db), "--quiet",
               "--images", "none"]
    for item in sets:
        command += ["-s", item]
    server_before = time.process_time()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with MemorySampler(process.pid) as memory:
        output, _ = process.communicate()
    server_cpu = time.process_time() - server_before
    if process.returncode not in (0, 3):
        sys.exit(f"crawl failed ({process.returncode}):\n{output}")
    with sqlite3.connect(db) as conn:
        started, finished, pages = conn.execute(
            "SELECT started, finished, pages FROM crawl_runs ORDER BY id DESC LIMIT 1"
        ).fetchone()
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    seconds = (_stamp(finished) - _stamp(started)).total_seconds()
    return CrawlFigures(int(pages), int(articles), seconds, memory.peak_main, memory.peak_tree, memory.tree_cpu,
                        memory.thread_cpu, server_cpu)


def _children_cpu() -> float:
    """CPU seconds of the waited-for child processes: the bare spider (one process)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bare(urls: list[str], tmp: Path) -> dict[str, Any]:
    listing = tmp / "urls.txt"
    listing.write_text("\n".join(urls))
    cpu_before, server_before = _children_cpu(), time.process_time()
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bare_spider.py"), str(listing)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        sys.exit(f"bare spider failed:\n{result.stdout}\n{result.stderr}")
    figures: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    figures["cpu"], figures["server_cpu"] = _children_cpu() - cpu_before, time.process_time() - server_before
    return figures


# --- parsing ---------------------------------------------------------------------------------


def article_pages(db: Path, limit: int) -> list[tuple[str, bytes, str | None]]:
    with Archive.open(db, create=False, readonly=True) as archive:
        rows = archive.conn.execute(
            "SELECT a.url, a.page_hash, (SELECT content_type FROM pages p WHERE p.content_hash = a.page_hash "
            "LIMIT 1) FROM articles a WHERE a.page_hash IS NOT NULL ORDER BY a.id LIMIT ?",
            (limit,),
        ).fetchall()
        return [(url, archive.page_body(h), ctype) for url, h, ctype in rows]


def time_ours(pages: list[tuple[str, bytes, str | None]], runs: int = 3) -> float:
    """CPU seconds per page of the full parse (turan profile), median of `runs` passes.

    CPU time, not wall time: parsing is single-threaded, and on a shared machine the wall time of
    the same pass varied 2.5-fold between runs minutes apart (load 6) while its CPU time stayed
    within 3 %. trafilatura is timed the same way."""
    profile = load_profile("turan")
    for url, body, ctype in pages[:5]:
        parse_article(body, url, profile, content_type=ctype)
    passes = []
    for _ in range(runs):
        start = time.process_time()
        for url, body, ctype in pages:
            parse_article(body, url, profile, content_type=ctype)
        passes.append((time.process_time() - start) / len(pages))
    return statistics.median(passes)


def time_trafilatura(python: str | None, pages: list[tuple[str, bytes, str | None]], tmp: Path) -> tuple[
        float | None, str]:
    if not python:
        return None, "not measured (no --trafilatura-python)"
    data = tmp / "pages.json"
    data.write_text(json.dumps([[url, body.hex()] for url, body, _ in pages]))
    result = subprocess.run([python, "-c", TRAFILATURA, str(data)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return None, f"not measured ({python}: {result.stderr.strip().splitlines()[-1:]})"
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return figures["seconds"] / figures["pages"], f"trafilatura {figures['version']}"


# --- reparse, size, search --------------------------------------------------------------------


def reparse_seconds(db: Path, workers: int) -> tuple[float, float]:
    """(wall seconds of the reparse itself, CPU seconds of its process and workers)."""
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(
        [sys.executable, "-m", "newsarchive", "reparse", "--db", str(db), "--workers", str(workers), "--json"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        sys.exit(f"reparse failed:\n{result.stdout}\n{result.stderr}")
    figures = json.loads(result.stdout)
    if figures["changed"]:
        print(f"  note: reparse changed {figures['changed']} article(s): the parsers are not deterministic?")
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return float(figures["seconds"]), cpu


def sizes(db: Path, tmp: Path) -> tuple[float, float, float, int]:
    """(archive bytes per article, vacuumed; gzip'd raw article HTML per article; raw HTML per article; articles)."""
    copy = tmp / "vacuumed.db"
    with sqlite3.connect(db) as conn:
        conn.execute("VACUUM INTO ?", (str(copy),))
    size = copy.stat().st_size
    copy.unlink()
    gz = raw = n = 0
    with Archive.open(db, create=False, readonly=True) as archive:
        for (page_hash,) in archive.conn.execute("SELECT page_hash FROM articles WHERE page_hash IS NOT NULL"):
            body = archive.page_body(page_hash)
            raw += len(body)
            gz += len(gzip.compress(body, 6))
            n += 1
        articles = archive.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    return size / articles, gz / max(n, 1), raw / max(n, 1), articles


def search_p95(articles: int, db: Path, seed: int) -> tuple[float, str, int]:
    """(p95 ms of the worst query class, p95 by class, articles); builds `db` unless it exists."""
    if db.exists():
        with sqlite3.connect(db) as conn:
            n = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        print(f"      reusing {db}: {n:,} articles", flush=True)
    else:
        n, _ = build(db, articles, seed)
    rows = time_queries(db, queries(db, 20, seed), runs=3, limit=10)
    worst = max(rows, key=lambda r: r[3])
    detail = ", ".join(f"{cls} {p95:.1f}" for cls, _, _, p95, _, _ in rows)
    return worst[3], detail, n


# --- the table -------------------------------------------------------------------------------


def import_rows(records: int, small: int | None, seed: int) -> list[tuple[str, str, str, str, str, str]]:
    """The import figures (issue 14), measured by bench/import_.py in its own process."""
    print(f"[import] WARC import of a {records:,}-article replica (bench/import_.py) ...", flush=True)
    command = [sys.executable, str(ROOT / "bench" / "import_.py"), "--records", str(records), "--seed", str(seed),
               "--json"] + (["--small", str(small)] if small else [])
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"bench/import_.py failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return [tuple(row) for row in json.loads(done.stdout.strip().splitlines()[-1])]


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def verdict(ok: bool | None) -> str:
    return "-" if ok is None else "yes" if ok else "NO"


PARTS = ("crawl", "parse", "reparse", "size", "memory", "search", "export", "media", "import")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=3000, help="replica size of the measured crawl (3,000)")
    parser.add_argument("--memory-small", type=int, default=None, help="replica size of the memory reference "
                        "crawl (default: a tenth of --memory-large)")
    parser.add_argument("--memory-large", type=int, default=None, help="replica size of the crawl whose peak "
                        "memory is measured (default: --articles, the measured crawl itself)")
    parser.add_argument("--parse-pages", type=int, default=300, help="pages timed for the parse figure (300)")
    parser.add_argument("--search-articles", type=int, default=20_000, help="archive size for search (20,000)")
    parser.add_argument("--search-db", type=Path, help="search archive: reused if it exists, else built and kept")
    parser.add_argument("--trafilatura-python", help="an interpreter with trafilatura installed")
    parser.add_argument("--no-before", action="store_true", help="skip the crawl with in-process parsing")
    parser.add_argument("--only", default=",".join(PARTS), help="comma-separated parts to run, of "
                        f"{', '.join(PARTS)} (default: all); parse, reparse and size need crawl or --archive")
    parser.add_argument("--archive", type=Path, help="an archive crawled before (--keep) for parse, reparse and "
                        "size, instead of crawling; it is copied, not changed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--media-articles", type=int, default=1500, help="replica size of the photo crawls (1,500)")
    parser.add_argument("--weight", choices=WEIGHTS, default="light",
                        help="replica pages: light (~17 KB) or real (~86 KB, a real news page's weight)")
    parser.add_argument("--keep", type=Path, help="keep the crawled archive at this path")
    parser.add_argument("--export-pages", type=int, default=2000, help="archive size for the export rate (2,000)")
    parser.add_argument("--export-memory", default="1000,10000",
                        help="page counts of the two exports whose peak memory is compared (1000,10000)")
    parser.add_argument("--import-records", type=int, default=10_000,
                        help="articles in the WARC of the import figures (bench/import_.py; 10,000)")
    parser.add_argument("--import-small", type=int, default=None, help="articles in the import's memory "
                        "reference (a tenth of --import-records)")
    args = parser.parse_args()
    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    if parts - set(PARTS):
        parser.error(f"--only: unknown part(s) {', '.join(sorted(parts - set(PARTS)))}")
    if parts & {"parse", "reparse", "size"} and "crawl" not in parts and args.archive is None:
        parser.error("parse, reparse and size need the crawl part or --archive")
    large_n = args.memory_large or args.articles
    small_n = args.memory_small or max(large_n // 10, 100)
    cores = os.cpu_count() or 1
    started = time.perf_counter()
    load_start = loadavg()
    rows: list[tuple[str, str, str, str, str, str]] = []
    notes: list[str] = []
    tmp = Path(tempfile.mkdtemp(prefix="newsarchive-bench-"))
    try:
        db = tmp / "archive.db"
        ours: CrawlFigures | None = None
        before: CrawlFigures | None = None
        bare_figures: dict[str, Any] | None = None
        if "crawl" in parts:
            print(f"[crawl] crawling a {args.articles:,}-article replica (parse pool) ...", flush=True)
            with running_replica(articles=args.articles, seed=args.seed, weight=args.weight) as base:
                ours = crawl(base, db)
                urls = [base + path for method, path, _ in list(base.server.requests) if method == "GET"]
                print(f"      {ours.pages:,} pages in {ours.seconds:.1f} s ({ours.rate:.1f}/s)", flush=True)
                if not args.no_before:
                    print("      the same crawl, parsing in the crawl's process (PARSE_WORKERS=0) ...", flush=True)
                    before = crawl(base, tmp / "before.db", "PARSE_WORKERS=0")
                    print(f"      {before.pages:,} pages in {before.seconds:.1f} s ({before.rate:.1f}/s)", flush=True)
                print(f"[crawl] bare Scrapy spider on the same {len(urls):,} URLs ...", flush=True)
                bare_figures = bare(urls, tmp)
                print(f"      {bare_figures['pages']:,} pages in {bare_figures['seconds']:.1f} s", flush=True)
            if args.keep:
                shutil.copy(db, args.keep)
        elif args.archive is not None:
            with sqlite3.connect(args.archive) as source, sqlite3.connect(db) as copy:
                source.backup(copy)

        large = small = None
        if "memory" in parts:
            if ours is not None and large_n == args.articles:
                large = ours
            else:
                print(f"[memory] crawling a {large_n:,}-article replica ...", flush=True)
                with running_replica(articles=large_n, seed=args.seed, weight=args.weight) as base:
                    large = crawl(base, tmp / "large.db")
                (tmp / "large.db").unlink()
            print(f"[memory] reference: crawling a {small_n:,}-article replica ...", flush=True)
            with running_replica(articles=small_n, seed=args.seed, weight=args.weight) as base:
                small = crawl(base, tmp / "small.db")

        parse_rate = None
        if "parse" in parts or ("crawl" in parts and ours is not None):
            print(f"[parse] parse time on {args.parse_pages} archived pages ...", flush=True)
            pages = article_pages(db, args.parse_pages)
            page_kb = statistics.mean(len(b) for _, b, _ in pages) / 1024
            ours_parse = time_ours(pages)
            parse_rate = 1 / ours_parse
            if "parse" in parts:
                theirs_parse, theirs_label = time_trafilatura(args.trafilatura_python, pages, tmp)
                rows.append((
                    f"parse time per page, CPU ms ({len(pages)} pages, {page_kb:.0f} KB avg)",
                    f"{ours_parse * 1000:.2f}",
                    f"{theirs_label}: {theirs_parse * 1000:.2f}" if theirs_parse else theirs_label,
                    f"{ours_parse / theirs_parse:.2f} x" if theirs_parse else "-", "<= 1.0 x",
                    verdict(ours_parse <= theirs_parse if theirs_parse else None),
                ))
            notes.append(f"replica article pages average {page_kb:.0f} KB; real turan.az pages are ~86 KB, "
                         "so the parse time per page is lower here than on the real site.")
        if ours is not None and bare_figures is not None and parse_rate is not None:
            ceiling = min(bare_figures["pages_per_s"], cores * parse_rate)
            rows.insert(0, (
                f"crawl throughput, pages/s ({args.articles:,}-article replica, {ours.pages:,} pages)",
                f"{ours.rate:.1f}",
                f"bare spider {bare_figures['pages_per_s']:.1f}; {cores} x parse rate {cores * parse_rate:.1f}",
                f"{ours.rate / ceiling:.2f} x min", ">= 0.80 x min", verdict(ours.rate >= 0.8 * ceiling),
            ))
            crawl_ms, server_ms = 1000 * ours.cpu / ours.pages, 1000 * ours.server_cpu / ours.pages
            bare_ms = 1000 * bare_figures["cpu"] / bare_figures["pages"]
            notes.append(
                f"CPU per page, same run: our crawl {crawl_ms:.2f} ms (crawl process and parse workers; "
                f"Scrapy's thread {1000 * ours.thread_cpu / ours.pages:.2f} ms of it), the "
                f"bare spider {bare_ms:.2f} ms, the replica server {server_ms:.2f} ms (it shares the {cores} "
                f"cores): with every core busy all the time, this crawl could reach at most "
                f"{cores * 1000 / (crawl_ms + server_ms):.0f} pages/s here "
                f"({cores * 1000 / (crawl_ms + server_ms) / ceiling:.2f} x min).")
            if before is not None:
                rows.insert(1, (
                    "  same crawl, parsing in the crawl's process (before)", f"{before.rate:.1f}",
                    f"parse pool {ours.rate:.1f}", f"pool {ours.rate / before.rate:.2f} x", "-", "-",
                ))

        if "reparse" in parts:
            print("[reparse] one process, 1 worker, 2 workers ...", flush=True)
            (reparse_one, cpu_one), (reparse_w1, _), (reparse_two, cpu_two) = (
                reparse_seconds(db, w) for w in (0, 1, 2))
            with sqlite3.connect(db) as conn:
                n_reparsed = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            rows.append((
                f"reparse of the archive ({n_reparsed:,} articles), s, 2 workers",
                f"{reparse_two:.1f} (CPU {cpu_two:.1f})",
                f"one process {reparse_one:.1f} (CPU {cpu_one:.1f}); 1 worker {reparse_w1:.1f}",
                f"{reparse_one / reparse_two:.2f} x faster", ">= 1.7 x", verdict(reparse_one / reparse_two >= 1.7),
            ))
            notes.append("CPU: user + system seconds of the reparse process and its workers; wall time well "
                         "above CPU / cores means other processes had the cores.")

        if large is not None and small is not None:
            growth = large.peak_tree / small.peak_tree - 1 if small.peak_tree else 0.0
            rows.append((
                f"peak memory of a crawl, MB (tree: crawl + parse workers), {large_n:,} articles",
                f"{large.peak_tree / MB:.0f} (crawl process {large.peak_main / MB:.0f})",
                f"{small_n:,} articles: {small.peak_tree / MB:.0f} (crawl process {small.peak_main / MB:.0f})",
                f"{growth:+.0%}", "< +20 %, < 500 MB",
                verdict(growth < 0.2 and large.peak_tree < 500 * MB),
            ))

        if "size" in parts:
            print("[size] archive size ...", flush=True)
            per_article, gz_per_article, raw_per_article, _ = sizes(db, tmp)
            rows.append((
                "archive size per article, raw page kept, bytes",
                f"{per_article:,.0f}", f"gzip'd raw HTML {gz_per_article:,.0f} (raw {raw_per_article:,.0f})",
                f"{per_article / gz_per_article:.2f} x", "<= 1.2 x", verdict(per_article <= 1.2 * gz_per_article),
            ))

        if "search" in parts:
            print(f"[search] on {args.search_articles:,} articles ...", flush=True)
            p95, p95_detail, search_n = search_p95(args.search_articles, args.search_db or tmp / "search.db",
                                                   args.seed)
            rows.append((
                f"search p95, 2-word query with snippets, {search_n:,} articles, ms",
                f"{p95:.1f}", f"worst class; p95 by class: {p95_detail}", "-", "< 50 ms (at 1M)", verdict(p95 < 50),
            ))

        if "export" in parts:
            small_pages, large_pages = (int(n) for n in args.export_memory.split(","))
            rows += export_bench.run(args.export_pages, small_pages, large_pages, args.seed, tmp)

        if "media" in parts:
            print(f"[media] photos: --images captioned against none, {args.media_articles:,} articles ...", flush=True)
            notes.extend(["", "Photos (bench/media.py, both crawls in this run):", *media_rows(args.media_articles,
                                                                                             args.seed)])
        if "import" in parts:
            rows.extend(import_rows(args.import_records, args.import_small, args.seed))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(f"newsarchive bench ({', '.join(p for p in PARTS if p in parts)}): {cores} cores, python "
          f"{sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}; load average {load_start} at the start, "
          f"{loadavg()} at the end; {time.perf_counter() - started:.0f} s")
    print("| figure | ours | reference, same run | ratio | target | met |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if notes:
        print()
        print("\n".join(notes))


if __name__ == "__main__":
    main()
