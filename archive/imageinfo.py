"""What an image file is, read from its first bytes: type (magic numbers), width and height.

Nothing is decoded: the size comes from the header (PNG ``IHDR``, GIF's screen descriptor, JPEG's
``SOFn`` marker, WebP's ``VP8``/``VP8L``/``VP8X`` chunk, SVG's root attributes), so a file that
declares 100,000 x 100,000 pixels costs nothing to look at and is refused before anyone decodes
it. A file whose end is missing (no JPEG ``EOI``, no PNG ``IEND``, no GIF trailer, a RIFF size
beyond the bytes) is refused as truncated. An SVG is accepted only without anything that runs
(``<script>``, ``on*=`` handlers, ``javascript:`` links, ``<foreignObject>``), and is never served
inline anyway (archive/web).

Pure functions over bytes, standard library only; no Pillow.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

# Pillow's own decompression-bomb limit (Image.MAX_IMAGE_PIXELS) is 89,478,485: about the same.
DEFAULT_MAX_PIXELS = 90_000_000
SVG = "image/svg+xml"


class MediaProblem(ValueError):
    """An image the archive refuses, with a short countable reason (``not_image``, ``truncated``...)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class ImageInfo:
    content_type: str
    width: int | None
    height: int | None


def _png(data: bytes) -> ImageInfo:
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise MediaProblem("truncated", "PNG without its IHDR header")
    width, height = struct.unpack(">II", data[16:24])
    if not data.rstrip(b"\0").endswith(b"IEND\xaeB`\x82"):
        raise MediaProblem("truncated", "PNG without its IEND chunk (cut short)")
    return ImageInfo("image/png", width, height)


def _gif(data: bytes) -> ImageInfo:
    if len(data) < 13:
        raise MediaProblem("truncated", "GIF shorter than its header")
    width, height = struct.unpack("<HH", data[6:10])
    if not data.rstrip(b"\0").endswith(b";"):
        raise MediaProblem("truncated", "GIF without its trailer (cut short)")
    return ImageInfo("image/gif", width, height)


# Start-of-frame markers carry the size; C4 (Huffman tables), C8 and CC are not frames.
_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """Walks the marker segments up to the first frame header (never into the entropy-coded data)."""
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise MediaProblem("not_image", f"JPEG marker expected at byte {pos}")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in _SOF:
            if pos + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return width, height
        if marker == 0xDA or length < 2:  # scan data before any frame header: not a JPEG we can read
            break
        pos += 2 + length
    raise MediaProblem("truncated", "JPEG without a frame header (cut short or damaged)")


def _jpeg(data: bytes) -> ImageInfo:
    width, height = _jpeg_size(data)
    if not data.rstrip(b"\0\r\n").endswith(b"\xff\xd9"):
        raise MediaProblem("truncated", "JPEG without its end-of-image marker (cut short)")
    return ImageInfo("image/jpeg", width, height)


def _webp(data: bytes) -> ImageInfo:
    (riff_size,) = struct.unpack("<I", data[4:8])
    if riff_size + 8 > len(data):
        raise MediaProblem("truncated", f"WebP declares {riff_size + 8} bytes, has {len(data)}")
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        width = 1 + int.from_bytes(data[24:27], "little")
        height = 1 + int.from_bytes(data[27:30], "little")
    elif chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        width, height = 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    elif chunk == b"VP8 " and len(data) >= 30:
        width, height = (v & 0x3FFF for v in struct.unpack("<HH", data[26:30]))
    else:
        raise MediaProblem("truncated", "WebP without a readable image chunk")
    return ImageInfo("image/webp", width, height)


_SVG_ROOT = re.compile(rb"<svg[\s>]", re.I)
_SVG_ACTIVE = re.compile(rb"<\s*script|<\s*foreignObject|\son[a-z]+\s*=|javascript\s*:|<\s*iframe|<\s*embed", re.I)
_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.I)
_SVG_ATTR = re.compile(rb"\s(width|height)\s*=\s*[\"']\s*([0-9]+)(?:\.[0-9]*)?\s*(?:px)?\s*[\"']", re.I)


def _svg(data: bytes) -> ImageInfo:
    active = _SVG_ACTIVE.search(data)
    if active:
        raise MediaProblem("svg_active", f"SVG with active content ({active.group(0).decode('latin-1').strip()!r})")
    tag = _SVG_TAG.search(data[:8192])
    sizes = {m.group(1).lower(): int(m.group(2)) for m in _SVG_ATTR.finditer(tag.group(0))} if tag else {}
    return ImageInfo(SVG, sizes.get(b"width"), sizes.get(b"height"))


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return (head.startswith(b"<?xml") or head.startswith(b"<svg") or head.startswith(b"<!--")) and (
        _SVG_ROOT.search(data[:4096]) is not None
    )


def sniff(data: bytes) -> ImageInfo:
    """The image's type and size from its bytes alone; MediaProblem when it is no image we keep."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _png(data)
    if data.startswith((b"GIF87a", b"GIF89a")):
        return _gif(data)
    if data.startswith(b"\xff\xd8\xff"):
        return _jpeg(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp(data)
    if _looks_like_svg(data):
        return _svg(data)
    start = data[:64].lstrip().lower()
    what = "HTML" if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) else "no known image"
    raise MediaProblem("not_image", f"bytes are {what} (first bytes {data[:8]!r})")


def check(data: bytes, declared: str | None, max_pixels: int = DEFAULT_MAX_PIXELS) -> ImageInfo:
    """`sniff`, then the limits: a size the header declares beyond `max_pixels` is a
    decompression bomb (``too_many_pixels``), refused without decoding anything."""
    if not data:
        raise MediaProblem("empty", "empty response")
    info = sniff(data)
    if info.width is not None and info.height is not None and info.width * info.height > max_pixels:
        raise MediaProblem(
            "too_many_pixels", f"{info.width} x {info.height} pixels declared (limit {max_pixels:,}); not decoded"
        )
    if info.width == 0 or info.height == 0:
        raise MediaProblem("not_image", f"{info.content_type} of {info.width} x {info.height} pixels")
    return info
