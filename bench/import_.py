"""Import speed and memory (issue 14), each figure next to its reference from the same run.

    .venv/bin/python bench/import_.py                          # 10,000 and 1,000 articles (a few minutes)
    .venv/bin/python bench/import_.py --records 100000 --small 10000
    .venv/bin/python bench/run.py --only import                # the same, from make bench

For each size it writes a WARC (gzip, one member a record, a request and a response record per
article page of the replica, rendered without a server, one second apart) with warcio, then runs
the real ``newsarchive import`` on it in its own process, sampling the memory of its process tree
(the parse workers too). In the same run:

- what the parse workers allow: ``cores`` processes parsing 300 of the same pages side by side
  (wall time, so under the same load as the import), and ``parse_article``'s CPU time a page (as
  bench/run.py measures it for the crawl) against the import's CPU time a response;
- ``warcio index`` of the same file: how fast warcio alone reads it (all records);
- the import's rate: HTML responses archived per second of the whole command (index pass, start-up,
  parsing and writing included).

Peak memory: the larger import's against the smaller one's (flat: within 20 %), and under 500 MB.
The machine is shared: compare the ratios of one run, and read the load average printed with them.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from bench.run import MB, MemorySampler, loadavg, time_ours, verdict  # noqa: E402
from replica.pages import respond  # noqa: E402
from replica.site import ReplicaSite  # noqa: E402
from scrapers.parsers import parse_article  # noqa: E402
from scrapers.sites import load_profile  # noqa: E402

BASE = "http://127.0.0.1:8765"


def write_warc(articles: int, path: Path, seed: int) -> tuple[int, list[tuple[str, bytes, str | None]]]:
    """The replica's article pages as a WARC; returns the records written and a sample of pages."""
    site = ReplicaSite(seed=seed, articles=articles)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    sample: list[tuple[str, bytes, str | None]] = []
    records = 0
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for n, entry in enumerate(site.articles()):
            url = BASE + entry.path
            page = respond(site, entry.path, "", BASE)
            date = (start + timedelta(seconds=n)).strftime("%Y-%m-%dT%H:%M:%SZ")
            request = StatusAndHeaders(f"GET {entry.path} HTTP/1.1", [("Host", "127.0.0.1:8765")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request,
                                                          warc_headers_dict={"WARC-Date": date}))
            headers = StatusAndHeaders(f"{page.status} OK", [("Content-Type", page.content_type),
                                                             ("Content-Length", str(len(page.body)))],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(page.body),
                                                          http_headers=headers, warc_headers_dict={"WARC-Date": date}))
            records += 2
            if len(sample) < 300 and page.status == 200:
                sample.append((url, page.body, page.content_type))
    return records, sample


@dataclass
class ImportFigures:
    records: int  # in the file
    articles: int  # archived
    responses: int  # HTML 200 responses imported (articles and not)
    seconds: float
    peak_tree: int
    peak_main: int
    cpu: float  # user + system seconds of the import's process tree (parse workers included)

    @property
    def rate(self) -> float:
        return self.responses / self.seconds if self.seconds else 0.0


def run_import(warc: Path, db: Path) -> ImportFigures:
    command = [sys.executable, "-m", "newsarchive", "import", str(warc), "--db", str(db), "--site", "turan",
               "--base-url", BASE, "--quiet"]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with MemorySampler(process.pid) as memory:
        output, _ = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        sys.exit(f"import failed ({process.returncode}):\n{output}")
    with sqlite3.connect(db) as conn:
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        responses = conn.execute("SELECT count(*) FROM pages WHERE status = 200").fetchone()[0]
    records = int(output.split(" records indexed")[0].rsplit(" ", 1)[-1])
    return ImportFigures(records, int(articles), int(responses), seconds, memory.peak_tree, memory.peak_main,
                         memory.tree_cpu)


def _parse_chunk(pages: list[tuple[str, bytes, str | None]]) -> int:
    profile = load_profile("turan")
    for url, body, content_type in pages:
        parse_article(body, url, profile, content_type=content_type)
    return len(pages)


def pool_rate(sample: list[tuple[str, bytes, str | None]], pages: int = 2000) -> float:
    """Pages per second that `cores` processes parsing side by side reach now, wall time: what the
    parse workers allow on this machine, under the same load as the import beside it."""
    cores = os.cpu_count() or 1
    work = (sample * (pages // len(sample) + 1))[:pages]
    chunks = [work[i::cores] for i in range(cores)]
    with multiprocessing.get_context("forkserver").Pool(cores) as pool:
        pool.map(_parse_chunk, [c[:5] for c in chunks])  # started and warm
        started = time.perf_counter()
        done = sum(pool.map(_parse_chunk, chunks))
        return done / (time.perf_counter() - started)


def warcio_index(warc: Path) -> float:
    """Seconds `warcio index` takes to read the whole file (its output thrown away)."""
    started = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "warcio"), "index", str(warc)], stdout=subprocess.DEVNULL,
                   check=True)
    return time.perf_counter() - started


def measure(records: int, small: int, seed: int, tmp: Path) -> list[tuple[str, ...]]:
    cores = os.cpu_count() or 1
    rows: list[tuple[str, ...]] = []
    figures: dict[int, ImportFigures] = {}
    for n in sorted({small, records}):
        warc = tmp / f"replica-{n}.warc.gz"
        print(f"[import] writing a WARC of a {n:,}-article replica ...", flush=True)
        written, sample = write_warc(n, warc, seed)
        print(f"[import] newsarchive import of {written:,} records ...", flush=True)
        figures[n] = ours = run_import(warc, tmp / f"import-{n}.db")
        print(f"      {ours.responses:,} responses in {ours.seconds:.1f} s ({ours.rate:.1f}/s)", flush=True)
        if n != records:
            warc.unlink()
            continue
        index_s = warcio_index(warc)
        parse_cpu = time_ours(sample)
        pool = pool_rate(sample)
        ours_cpu = ours.cpu / ours.responses
        rows.append((
            f"import rate, HTML responses/s ({ours.records:,} records, {ours.articles:,} articles)",
            f"{ours.rate:.1f} (CPU {1000 * ours_cpu:.2f} ms each)",
            f"{cores} parse processes {pool:.1f}/s (CPU {1000 * parse_cpu:.2f} ms a page); "
            f"warcio index {ours.records / index_s:,.0f} records/s",
            f"{ours.rate / pool:.2f} x parse ({parse_cpu / ours_cpu:.2f} x in CPU)", ">= 0.80 x parse",
            verdict(ours.rate >= 0.8 * pool),
        ))
        warc.unlink()
    if small != records:
        large, little = figures[records], figures[small]
        growth = large.peak_tree / little.peak_tree - 1 if little.peak_tree else 0.0
        rows.append((
            f"peak memory of an import, MB (tree: import + parse workers), {large.records:,} records",
            f"{large.peak_tree / MB:.0f} (import process {large.peak_main / MB:.0f})",
            f"{little.records:,} records: {little.peak_tree / MB:.0f} (import process {little.peak_main / MB:.0f})",
            f"{growth:+.0%}", "< +20 %, < 500 MB", verdict(growth < 0.2 and large.peak_tree < 500 * MB),
        ))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=10_000, help="replica articles in the measured WARC")
    parser.add_argument("--small", type=int, default=None, help="articles in the memory reference (a tenth)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the table rows as JSON (bench/run.py)")
    args = parser.parse_args()
    load_start = loadavg()
    with tempfile.TemporaryDirectory(prefix="newsarchive-bench-import-") as tmp:
        rows = measure(args.records, args.small or max(args.records // 10, 100), args.seed, Path(tmp))
    if args.json:
        print(json.dumps(rows))
        return
    print(f"\nnewsarchive bench (import): {os.cpu_count()} cores; load average {load_start} at the start, "
          f"{loadavg()} at the end")
    print("| figure | ours | reference, same run | ratio | target | met |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
