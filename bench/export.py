"""Export speed and memory (issue 14): ``newsarchive export warc`` against warcio alone, same run.

    .venv/bin/python bench/export.py                                  # 2,000 pages, memory at 1,000 and 10,000
    .venv/bin/python bench/export.py --pages 5000 --memory-small 10000 --memory-large 100000
    .venv/bin/python bench/run.py --only export                       # the same, as a part of make bench

1. builds an archive of ``--pages`` replica article pages (rendered by replica/pages.py, written
   through the archive's own write path, so bodies are zlib'd against the site's dictionary, and
   parsed articles from the replica's ground truth);
2. rate: exports it with ``export_warc`` (read, decode, check, write), then writes the very same
   records with warcio alone from memory (bodies decoded beforehand, nothing read from SQLite):
   the reference.  Both in this process, one after the other; records per second of each;
3. memory: ``newsarchive export warc`` of a ``--memory-small`` and a ``--memory-large`` page
   archive, each in its own process; its peak RSS (VmHWM, see peak_rss).  ``--archives DIR``
   keeps the built archives for the next run (a 100,000-page one takes minutes to build).

Rates are CPU-bound here and the machine is shared: compare the ratio of one run only.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from warcio.warcwriter import WARCWriter  # noqa: E402

from archive.export.select import Selection, iter_pages  # noqa: E402
from archive.export.warc import export_warc, request_headers, response_headers, warc_date  # noqa: E402
from archive.store import Archive, ArticleRecord, PageRecord  # noqa: E402
from bench.search import truth_article  # noqa: E402
from replica.pages import respond  # noqa: E402
from replica.site import ReplicaSite  # noqa: E402

BASE = "https://turan.az"
START = datetime(2025, 1, 1, tzinfo=UTC)
MB = 1024 * 1024


def replica_pages(pages: int, seed: int) -> Iterator[tuple[PageRecord, dict[str, Any]]]:
    """`pages` replica article pages with their ground truth, fetched a second apart."""
    site = ReplicaSite(seed=seed, articles=pages)
    for n, truth in enumerate(site.ground_truth(BASE)):
        path = truth["url"][len(BASE):]
        answer = respond(site, path, "", BASE)
        headers = {"Content-Type": answer.content_type, "Server": "replica", **answer.headers}
        if answer.etag:
            headers["ETag"] = answer.etag
        yield PageRecord(truth["url"], answer.status, headers, answer.body, START + timedelta(seconds=n),
                         truth["url"], answer.content_type), truth


def build_archive(path: Path, pages: int, seed: int = 1, batch: int = 500) -> int:
    """An archive of `pages` replica article pages and their articles, through write_batch."""
    written = 0
    with Archive.open(path) as archive:
        pending: list[ArticleRecord] = []
        for page, truth in replica_pages(pages, seed):
            pending.append(ArticleRecord(truth_article(truth), page, page.fetched_at))
            if len(pending) >= batch:
                archive.write_batch(articles=pending)
                written += len(pending)
                pending = []
        if pending:
            archive.write_batch(articles=pending)
            written += len(pending)
        archive.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return written


def warcio_alone(db: Path, out: Path) -> tuple[int, float]:
    """The reference: the same request and response records, written by warcio from memory."""
    with Archive.open(db, create=False, readonly=True) as archive:
        pages = list(iter_pages(archive.conn, Selection()))
    records = 0
    start = time.perf_counter()
    with out.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="1.1")
        for page in pages:
            assert page.body is not None
            url = page.target
            date = warc_date(page.first_fetched)
            response = writer.create_warc_record(
                url, "response", payload=io.BytesIO(page.body), length=len(page.body),
                http_headers=response_headers(page, page.body), warc_headers_dict={"WARC-Date": date},
            )
            request = writer.create_warc_record(url, "request", http_headers=request_headers(url),
                                                warc_headers_dict={"WARC-Date": date})
            writer.write_request_response_pair(request, response)
            records += 2
    return records, time.perf_counter() - start


def ours(db: Path, out: Path) -> tuple[int, float]:
    start = time.perf_counter()
    with Archive.open(db, create=False, readonly=True) as archive:
        result = export_warc(archive, out)
    seconds = time.perf_counter() - start
    return result.records.get("request", 0) + result.records.get("response", 0), seconds


def proc_status_bytes(pid: int, key: str) -> int | None:
    """A `kB` line of /proc/PID/status (VmRSS, VmHWM...) in bytes; None once the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _high_water(pid: int) -> int | None:
    """VmHWM of a live process, in bytes: its own peak RSS since exec (None once it is gone)."""
    return proc_status_bytes(pid, "VmHWM")


def peak_rss(db: Path, out: Path) -> tuple[int, float]:
    """(peak RSS in bytes, seconds) of `newsarchive export warc` in its own process.

    Read from the process's VmHWM (its peak since exec, kept by the kernel) every 50 ms until it
    exits.  Not from wait4's ru_maxrss: on Linux that counts the RSS the child had at fork time,
    i.e. this bench process with its replica (it reported 96-150 MB for a 44 MB export)."""
    command = [sys.executable, "-m", "newsarchive", "export", "warc", "--db", str(db), "-o", str(out), "--quiet"]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _high_water(process.pid) or 0)
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        assert process.stderr is not None
        sys.exit(f"export failed ({process.returncode}): {process.stderr.read().decode()}")
    return peak, seconds


def cached_archive(folder: Path, pages: int, seed: int) -> Path:
    """An archive of `pages` replica pages in `folder`, built unless it is there already."""
    path = folder / f"export-{pages}-{seed}.db"
    if not path.exists():
        print(f"[export] building a {pages:,}-page archive ...", flush=True)
        partial = path.with_suffix(".part")
        partial.unlink(missing_ok=True)
        build_archive(partial, pages, seed)
        partial.rename(path)
    return path


def run(pages: int, small: int, large: int, seed: int, tmp: Path,
        archives: Path | None = None) -> list[tuple[str, str, str, str, str, str]]:
    """The bench's table rows (figure, ours, reference, ratio, target, met); `archives`: a folder
    where the built archives are kept and reused (default: built in `tmp`, dropped with it)."""
    rows = []
    store = archives or tmp
    db = cached_archive(store, pages, seed)
    n_ours, s_ours = ours(db, tmp / "ours.warc.gz")
    n_ref, s_ref = warcio_alone(db, tmp / "warcio.warc.gz")
    (tmp / "ours.warc.gz").unlink()
    (tmp / "warcio.warc.gz").unlink()
    rate, ref = n_ours / s_ours, n_ref / s_ref
    rows.append((
        f"WARC export, records/s ({pages:,} pages: request + response each)", f"{rate:,.0f}",
        f"warcio alone, same records from memory: {ref:,.0f}", f"{rate / ref:.2f} x", ">= 0.50 x",
        "yes" if rate >= 0.5 * ref else "NO",
    ))
    peaks = {}
    for n in (small, large):
        path = cached_archive(store, n, seed)
        peaks[n] = peak_rss(path, tmp / f"memory-{n}.warc.gz")
        print(f"      export of {n:,} pages: peak {peaks[n][0] / MB:.0f} MB in {peaks[n][1]:.0f} s", flush=True)
        (tmp / f"memory-{n}.warc.gz").unlink()
    growth = peaks[large][0] / peaks[small][0] - 1
    rows.append((
        f"peak memory of `export warc`, MB, {large:,} pages ({2 * large:,} records)", f"{peaks[large][0] / MB:.0f}",
        f"{small:,} pages: {peaks[small][0] / MB:.0f}", f"{growth:+.0%}", "< +20 %, < 500 MB",
        "yes" if growth < 0.2 and peaks[large][0] < 500 * MB else "NO",
    ))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000, help="archive size for the rate (2,000 pages)")
    parser.add_argument("--memory-small", type=int, default=1000, help="small export for the memory figure")
    parser.add_argument("--memory-large", type=int, default=10_000, help="large export for the memory figure")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--archives", type=Path, help="keep the built archives in this folder and reuse them")
    args = parser.parse_args()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    with tempfile.TemporaryDirectory(prefix="newsarchive-export-bench-") as tmp:
        if args.archives:
            args.archives.mkdir(parents=True, exist_ok=True)
        rows = run(args.pages, args.memory_small, args.memory_large, args.seed, Path(tmp), args.archives)
    print(f"\nexport bench: load average {load} at the start, "
          f"{' '.join(Path('/proc/loadavg').read_text().split()[:3])} at the end")
    print("| figure | ours | reference, same run | ratio | target | met |\n|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
