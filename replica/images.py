"""The replica's photos: real PNG and JPEG bytes made here with zlib and struct (no Pillow), and the
broken ones a crawler must survive.

Each image is a pure function of its id: its kind (JPEG, PNG, a few SVG), its size, its bytes, and
whether it lives on the "CDN" (a second server on another port). With ``photo_faults`` on, a few
images are broken on purpose, one kind of fault each (``FAULTS``); the ground truth says which.
Some images share their bytes under different URLs (a stock photo used twice): stored once.

JPEG: baseline, one grey channel, our own small Huffman tables; every row of 8x8 blocks is a
restart interval (byte-aligned), so an image is assembled from a pool of encoded rows and costs
almost nothing to make. PNG: RGB rows, part noise (so the file has a news photo's weight).
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from functools import lru_cache
from random import Random

FIRST_IMAGE_ID = 400_000
# Fault kinds, in the order they are handed out (see fault_of).
FAULTS = ("http_404", "html_as_jpeg", "truncated_jpeg", "over_cap", "pixel_bomb", "svg_script", "endless")
OVER_CAP_BYTES = 12 * 1024 * 1024  # the oversized image's Content-Length: over the 10 MiB default cap
ENDLESS_LIMIT = 256 * 1024 * 1024  # the endless response stops by itself after this, whoever listens


@dataclass(frozen=True)
class ImageSpec:
    image_id: int
    ext: str  # "jpg", "png" or "svg"
    width: int
    height: int
    content_seed: int  # equal seeds (and sizes): equal bytes
    cdn: bool


def _spec_rng(image_id: int) -> Random:
    return Random(image_id * 7919 + 17)


def spec(image_id: int) -> ImageSpec:
    rng = _spec_rng(image_id)
    article = (image_id - FIRST_IMAGE_ID) // 4
    ext = "svg" if article % 41 == 11 else ("jpg" if rng.random() < 0.6 else "png")
    if ext == "jpg":
        width, height = rng.choice(((750, 500), (800, 528), (960, 640)))
    elif ext == "png":
        width, height = rng.choice(((320, 240), (400, 304)))
    else:
        width, height = 120, 80
    # A stock photo: the same bytes under the URLs of several articles.
    seed = 1 if article % 29 == 5 else image_id
    if seed == 1:
        ext, width, height = "jpg", 750, 500
    return ImageSpec(image_id, ext, width, height, seed, cdn=image_id % 4 == 1)


def fault_of(image_id: int, lead: bool) -> str | None:
    """The fault of an image when faults are on: a lead image of every 23rd article, in turn."""
    article = (image_id - FIRST_IMAGE_ID) // 4
    if not lead or article % 23 >= len(FAULTS) or article % 29 == 5 or article % 41 == 11:
        return None
    return FAULTS[article % 23]


def path_of(image_id: int, year: int) -> str:
    return f"/resized/media/{year}/main/{image_id}-750-500-resize.{spec(image_id).ext}"


# --- PNG -------------------------------------------------------------------------------------------


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(seed: int, width: int, height: int, noise: float = 0.3) -> bytes:
    rng = Random(seed)
    noisy = int(width * noise) * 3
    flat = (bytes(rng.randrange(256) for _ in range(3)) * width)[: width * 3 - noisy]
    rows = bytearray()
    for y in range(height):  # a noisy band, then a colour that shifts down the rows
        rows += b"\0" + rng.randbytes(noisy) + flat.translate(bytes((i + y) % 256 for i in range(256)))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(bytes(rows), 3)) + _chunk(
        b"IEND", b""
    )


def png_bomb() -> bytes:
    """A small PNG that declares 100,000 x 100,000 pixels (a decompression bomb if decoded)."""
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(bytes(300_001) * 4)) + _chunk(
        b"IEND", b""
    )


# --- JPEG ------------------------------------------------------------------------------------------

# Our Huffman tables (canonical codes from the counts per length); no code is all ones.
_DC_COUNTS = (0, 0, 7) + (0,) * 13  # categories 0..6, three bits each
_DC_SYMBOLS = bytes(range(7))
_AC_COUNTS = (0, 3, 1) + (0,) * 13  # run 0 / size 1, run 0 / size 2, end of block: 2 bits; size 3: 3 bits
_AC_SYMBOLS = bytes((0x01, 0x02, 0x00, 0x03))
_QUANT = 12


def _codes(counts: tuple[int, ...], symbols: bytes) -> dict[int, tuple[int, int]]:
    codes, code, k = {}, 0, 0
    for length, count in enumerate(counts, start=1):
        for _ in range(count):
            codes[symbols[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return codes


_DC = _codes(_DC_COUNTS, _DC_SYMBOLS)
_AC = _codes(_AC_COUNTS, _AC_SYMBOLS)


class _Bits:
    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = 0
        self.n = 0

    def put(self, value: int, length: int) -> None:
        self.acc = (self.acc << length) | (value & ((1 << length) - 1))
        self.n += length
        while self.n >= 8:
            self.n -= 8
            byte = (self.acc >> self.n) & 0xFF
            self.out.append(byte)
            if byte == 0xFF:
                self.out.append(0)  # byte stuffing
        self.acc &= (1 << self.n) - 1

    def value(self, v: int) -> None:
        """A coefficient after its category code: its bits, negative ones as one's complement."""
        size = abs(v).bit_length()
        self.put(v if v >= 0 else v - 1 + (1 << size), size)

    def flush(self) -> bytes:
        if self.n:
            self.put((1 << (8 - self.n)) - 1, 8 - self.n)  # pad with ones
        return bytes(self.out)


def _row(rng: Random, blocks: int) -> bytes:
    """One restart interval: a row of 8x8 blocks, DC predicted from 0 at its start."""
    bits, previous = _Bits(), 0
    for _ in range(blocks):
        dc = max(-30, min(30, previous + rng.randint(-4, 4)))
        diff = dc - previous
        previous = dc
        bits.put(*_DC[abs(diff).bit_length()])
        if diff:
            bits.value(diff)
        for _ in range(rng.randint(8, 20)):
            v = rng.choice((-7, -5, -3, -2, -1, 1, 2, 3, 5, 7))
            bits.put(*_AC[abs(v).bit_length()])
            bits.value(v)
        bits.put(*_AC[0x00])  # end of block
    return bits.flush()


@lru_cache(maxsize=8)
def _row_pool(blocks: int) -> tuple[bytes, ...]:
    rng = Random(blocks)
    return tuple(_row(rng, blocks) for _ in range(24))


def _segment(marker: int, payload: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(payload) + 2) + payload


def jpeg(seed: int, width: int, height: int) -> bytes:
    cols, rows = (width + 7) // 8, (height + 7) // 8
    pool, rng = _row_pool(cols), Random(seed)
    scan = bytearray()
    for r in range(rows):
        scan += pool[rng.randrange(len(pool))]
        if r < rows - 1:
            scan += bytes((0xFF, 0xD0 + r % 8))  # restart marker: the next row starts afresh
    return b"".join((
        b"\xff\xd8",
        _segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"),
        _segment(0xFE, f"replica photo {seed}".encode()),
        _segment(0xDB, b"\0" + bytes([_QUANT] * 64)),
        _segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"),
        _segment(0xC4, b"\x00" + bytes(_DC_COUNTS) + _DC_SYMBOLS),
        _segment(0xC4, b"\x10" + bytes(_AC_COUNTS) + _AC_SYMBOLS),
        _segment(0xDD, struct.pack(">H", cols)),  # restart interval: one row of blocks
        _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00"),
        bytes(scan),
        b"\xff\xd9",
    ))


def svg(seed: int, width: int, height: int) -> bytes:
    colour = f"#{Random(seed).randrange(0x1000000):06x}"
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}"><rect width="{width}" height="{height}" '
            f'fill="{colour}"/><circle cx="{width // 2}" cy="{height // 2}" r="{height // 3}" fill="#fff"/></svg>\n'
            ).encode()


SVG_SCRIPT = (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
              b"<script>document.title='pwned'</script><rect width='10' height='10'/></svg>")

CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "svg": "image/svg+xml"}


@lru_cache(maxsize=2048)
def image_bytes(image_id: int) -> bytes:
    s = spec(image_id)
    maker = {"jpg": jpeg, "png": png, "svg": svg}[s.ext]
    return maker(s.content_seed, s.width, s.height)
