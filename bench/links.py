"""The spiders' link scanner (scrapers/links.py) against lxml, on real pages: agreement and speed.

    .venv/bin/python bench/links.py                       # the labelled sets in ../shared/datasets
    .venv/bin/python bench/links.py --sets DIR [--show 10]

Reads every ``*/html/*.html.gz`` page of the sets, takes the ``a[href]`` list with lxml (Scrapy's
``Selector``, what the spiders used before) and with the scanner, and prints how many pages give the
same list, and the time per page of each. Says so and measures nothing when the sets are absent.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from pathlib import Path

from scrapy.selector import Selector

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scrapers.links import hrefs  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", type=Path, default=ROOT.parent / "shared" / "datasets")
    parser.add_argument("--show", type=int, default=5, help="pages with a different list to print (5)")
    args = parser.parse_args()
    files = sorted(args.sets.glob("*/html/*.html.gz"))
    if not files:
        print(f"no pages under {args.sets}: nothing measured")
        return
    pages = same = links = 0
    lxml_s = scanner_s = 0.0
    for path in files:
        text = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        started = time.perf_counter()
        theirs = Selector(text=text).css("a::attr(href)").getall()
        middle = time.perf_counter()
        ours = hrefs(text)
        scanner_s += time.perf_counter() - middle
        lxml_s += middle - started
        pages += 1
        links += len(theirs)
        if ours == theirs:
            same += 1
        elif args.show > 0:
            args.show -= 1
            only_lxml = [x for x in theirs if x not in ours][:2]
            only_ours = [x for x in ours if x not in theirs][:2]
            print(f"  {path.parent.parent.name}/{path.name}: lxml {len(theirs)} links, scanner {len(ours)}; "
                  f"only lxml: {only_lxml}, only scanner: {only_ours}")
    print(f"{pages:,} pages, {links:,} links (lxml): the same list on {same:,} ({same / pages:.1%})")
    print(f"time per page: lxml {lxml_s / pages * 1000:.2f} ms, scanner {scanner_s / pages * 1000:.2f} ms "
          f"({lxml_s / scanner_s:.1f} x faster)")


if __name__ == "__main__":
    main()
