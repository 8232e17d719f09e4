"""Bytes to text, the way a browser would: BOM, then the HTTP charset, then ``<meta charset>``,
then a guess among the encodings the archive's sites have used (UTF-8, cp1251, windows-1254).

A declared charset that cannot decode the bytes is a mistake of the site: the next signal wins.
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([\w.:-]+)", re.I)
_PRESCAN = 8192  # the charset must be declared near the top; real pages put it after long <head> scripts
# What browsers actually use for these labels (WHATWG Encoding): Latin-1 is read as windows-1252,
# ISO-8859-9 as windows-1254, and a UTF-16 label inside an 8-bit document means UTF-8.
_ALIASES = {
    "latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254",
    "utf-16": "utf-8", "utf-16-le": "utf-8", "utf-16-be": "utf-8",
}  # fmt: skip
FALLBACKS = ("cp1251", "cp1254")


def decode_html(data: bytes, content_type: str | None = None) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    for declared in (http_charset(content_type), meta_charset(data)):
        codec = _codec(declared)
        if codec:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                continue
    return data.decode(guess_encoding(data), errors="replace")


def http_charset(content_type: str | None) -> str | None:
    match = _HTTP_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def meta_charset(data: bytes) -> str | None:
    head = data[:_PRESCAN]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii", errors="ignore") if match else None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return _ALIASES.get(name, name)


def guess_encoding(data: bytes) -> str:
    """UTF-8 if the bytes are valid UTF-8, else cp1251 or windows-1254 by how the bytes cluster.

    Cyrillic text in cp1251 is whole words of high bytes; Turkish and Azerbaijani text in
    windows-1254 (or ISO-8859-9) is ASCII words with a high byte here and there.
    """
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    high_next_to_ascii_letter = high_total = 0
    for i, byte in enumerate(data):
        if byte < 0x80:
            continue
        high_total += 1
        before = data[i - 1] if i else 0x20
        after = data[i + 1] if i + 1 < len(data) else 0x20
        if _ascii_letter(before) or _ascii_letter(after):
            high_next_to_ascii_letter += 1
    if high_total and high_next_to_ascii_letter / high_total > 0.5:
        return "cp1254"
    return "cp1251"


def _ascii_letter(byte: int) -> bool:
    return 0x41 <= byte <= 0x5A or 0x61 <= byte <= 0x7A
