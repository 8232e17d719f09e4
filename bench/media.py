"""What article photos cost a crawl (issue 20): pages per second with ``--images captioned`` against
the same crawl with ``--images none``, and how much the archive grows per archived photo.

    .venv/bin/python bench/media.py --articles 1500          # or: bench/run.py --only media

Both crawls run in ONE run, against the same replica (served on 127.0.0.1, a quarter of its photos
on a second "CDN" server), one after the other, each into a fresh archive. Pages per second are the
run record's (``crawl_runs.pages`` over its duration): photos are requests but not pages, so they
are counted in neither rate. The replica makes every photo before the crawls (its CPU would
otherwise land in the photo crawl only). Growth: (archive with photos - archive without) /
(bytes of the photos stored), both files checkpointed. Targets: rate >= 0.7 x; growth within 5 %.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from replica import images  # noqa: E402
from replica.server import ReplicaURL, running_replica  # noqa: E402

RATE_TARGET = 0.7
GROWTH_TARGET = 0.05


@dataclass
class Run:
    policy: str
    pages: int
    seconds: float
    articles: int
    photos: int
    photo_bytes: int
    file_bytes: int
    photo_requests: int
    cpu: float  # user + system seconds of the crawl process and its parse workers

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def _file_bytes(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file() and not p.name.endswith("lock"))


def _photo_requests(base: ReplicaURL) -> int:
    logs = [*base.server.requests, *(base.cdn.requests if base.cdn else [])]
    return sum(1 for _, path, _ in logs if path.startswith("/resized/media/"))


def crawl(base: ReplicaURL, db: Path, policy: str) -> Run:
    photo_requests = _photo_requests(base)
    cpu_before = _children_cpu()
    command = [sys.executable, "-m", "newsarchive", "crawl", "turan", "--base-url", base, "--db", str(db), "--quiet",
               "--images", policy]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    cpu = _children_cpu() - cpu_before
    if done.returncode not in (0, 3):
        sys.exit(f"crawl failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    with sqlite3.connect(db) as conn:
        seconds, pages = conn.execute(
            "SELECT (julianday(finished) - julianday(started)) * 86400, pages FROM crawl_runs ORDER BY id DESC LIMIT 1"
        ).fetchone()
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        photos, photo_bytes = conn.execute("SELECT count(*), coalesce(sum(size), 0) FROM media").fetchone()
    return Run(policy, int(pages), float(seconds), int(articles), int(photos), int(photo_bytes), _file_bytes(db),
               _photo_requests(base) - photo_requests, cpu)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # the crawl and the parse workers it waited for
    return usage.ru_utime + usage.ru_stime


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"


def measure(articles: int, seed: int, rounds: int = 2) -> list[str]:
    """The table rows (markdown), after printing progress. Each round crawls with and without photos,
    in turns (none first, then captioned first), so that a load change on the shared machine does
    not fall on one side only; the rates are total pages over total seconds per policy."""
    load_start = loadavg()
    with tempfile.TemporaryDirectory(prefix="newsarchive-media-") as tmp, running_replica(
        articles=articles, seed=seed, cdn=True
    ) as base:
        assert base.cdn is not None
        ids = [i["image_url"] for t in base.site.ground_truth(base) for i in t["images"]]
        started = time.perf_counter()
        for url in ids:  # the replica makes its photos now, not during the photo crawl
            images.image_bytes(int(url.rsplit("/", 1)[1].split("-")[0]))
        print(f"[media] {len(ids):,} photos made in {time.perf_counter() - started:.1f} s", flush=True)
        runs: dict[str, list[Run]] = {"none": [], "captioned": []}
        for n in range(rounds):
            for policy in ("none", "captioned") if n % 2 == 0 else ("captioned", "none"):
                print(f"[media] round {n + 1}: crawl of {articles:,} articles, --images {policy} ...", flush=True)
                run = crawl(base, Path(tmp) / f"{policy}-{n}.db", policy)
                print(f"        {run.pages:,} pages in {run.seconds:.1f} s ({run.rate:.1f}/s, CPU "
                      f"{1000 * run.cpu / run.pages:.1f} ms a page), {run.photos:,} photos stored from "
                      f"{run.photo_requests:,} photo requests; load {loadavg()}", flush=True)
                runs[policy].append(run)
    none, captioned = runs["none"][0], runs["captioned"][0]

    def rate(policy: str) -> float:
        return sum(r.pages for r in runs[policy]) / sum(r.seconds for r in runs[policy])

    def cpu_ms(policy: str) -> float:
        return 1000 * sum(r.cpu for r in runs[policy]) / sum(r.pages for r in runs[policy])

    ratio = rate("captioned") / rate("none")
    each = ", ".join(f"{c.rate / n.rate:.2f}" for n, c in zip(runs["none"], runs["captioned"], strict=True))
    growth = (captioned.file_bytes - none.file_bytes) / captioned.photo_bytes - 1 if captioned.photo_bytes else 0.0
    per_photo = captioned.photo_bytes / max(captioned.photos, 1)
    return [
        f"load average {load_start} at the start, {loadavg()} at the end; {os.cpu_count()} cores",
        "| figure | ours | reference, same run | ratio | target | met |",
        "|---|---|---|---|---|---|",
        f"| crawl with --images captioned, pages/s ({articles:,}-article replica, {captioned.pages:,} pages, "
        f"{captioned.photos:,} photos; {rounds} rounds, ratio per round {each}) | {rate('captioned'):.1f} | "
        f"--images none {rate('none'):.1f} | {ratio:.2f} x | >= {RATE_TARGET} x | "
        f"{'yes' if ratio >= RATE_TARGET else 'NO'} |",
        f"| CPU per page, ms (crawl process and parse workers) | {cpu_ms('captioned'):.1f} | --images none "
        f"{cpu_ms('none'):.1f} | {cpu_ms('captioned') / cpu_ms('none'):.2f} x | - | - |",
        f"| archive growth per stored photo, bytes ({per_photo / 1024:.0f} KB a photo on average) | "
        f"{(captioned.file_bytes - none.file_bytes) / max(captioned.photos, 1):,.0f} | the photo's own bytes "
        f"{per_photo:,.0f} | {growth:+.1%} | within 5 % | {'yes' if abs(growth) <= GROWTH_TARGET else 'NO'} |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1500, help="replica size (1,500)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=2, help="crawls with and without photos, in turns (2)")
    args = parser.parse_args()
    rows = measure(args.articles, args.seed, args.rounds)
    print()
    print("\n".join(rows))


if __name__ == "__main__":
    main()
