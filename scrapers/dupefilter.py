"""Scrapy's duplicate-request filter, keeping each fingerprint as a 64-bit int (``DUPEFILTER_CLASS``).

Scrapy keeps every request fingerprint of a crawl (a 20-byte ``bytes``, ~53 bytes with its object
header) for as long as the crawl runs; a 100k-article crawl holds over 100,000 of them. The first
8 bytes of the same fingerprint, as an int, take 36. Two different requests collide with odds of
about n^2 / 2^65 per crawl (~3e-10 at 100,000), and a collision costs one request not made, which
the next run makes (the archive, not this set, is the crawl's memory). With ``JOBDIR`` the
fingerprints stay Scrapy's own, in its ``requests.seen`` file.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.dupefilters import RFPDupeFilter
from scrapy.utils.request import RequestFingerprinterProtocol


class CompactDupeFilter(RFPDupeFilter):
    def __init__(
        self, path: str | None = None, debug: bool = False, *,
        fingerprinter: RequestFingerprinterProtocol | None = None,
    ) -> None:
        super().__init__(path, debug, fingerprinter=fingerprinter)
        self._keys: set[int] = set()

    def request_seen(self, request: Request) -> bool:
        if self.file is not None:
            return super().request_seen(request)
        key = int.from_bytes(self._fingerprint(request)[:8], "big")
        if key in self._keys:
            return True
        self._keys.add(key)
        return False
