"""Bytes to text, the way a browser would: BOM, then the HTTP charset, then ``<meta charset>``,
then a guess among the encodings the archive's sites have used (UTF-8, cp1251, windows-1254).

A declared charset that cannot decode the bytes is a mistake of the site: the next signal wins.
So is a single-byte charset (Latin-1, cp1251…) declared for bytes that are valid UTF-8 with
non-ASCII characters in them: such bytes are UTF-8 (a legacy text practically never is valid
UTF-8 by chance), and reading them as declared would print "Ã¼" for "ü".
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
            if codec != "utf-8" and _single_byte(codec) and _utf8_with_non_ascii(data):
                return data.decode("utf-8")
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                continue
    return data.decode(guess_encoding(data), errors="replace")


def _single_byte(codec: str) -> bool:
    return codec.startswith(("cp", "iso8859", "latin", "koi8", "mac", "windows"))


def _utf8_with_non_ascii(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


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


# UTF-8 read as cp1252 or Latin-1 ("doesnâ€™t", "Ã¼ber"): a lead byte of a multi-byte sequence
# (Â-ô) followed by continuation bytes (U+0080-U+00BF, or the cp1252 characters that stand for them).
_CONTINUATION = (
    "\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018\u2019"
    "\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
_MOJIBAKE = re.compile(f"[\xc2-\xf4][{_CONTINUATION}]{{1,3}}")
_MIN_MOJIBAKE = 3  # sequences: fewer may be real text ("Â£" in a price list)


def repair_mojibake(text: str) -> str:
    """Text whose UTF-8 was read as cp1252 or Latin-1 somewhere on its way (a mislabelled page, a
    CMS that encoded twice), put back: each such sequence is re-read as UTF-8 when it is one."""
    found = _MOJIBAKE.findall(text, 0, len(text))
    if len(found) < _MIN_MOJIBAKE:
        return text
    fixed = sum(1 for sequence in found if _reread(sequence) is not None)
    if fixed < 0.8 * len(found):
        return text
    return _MOJIBAKE.sub(lambda m: _reread(m.group(0)) or m.group(0), text)


def _reread(sequence: str) -> str | None:
    try:
        data = b"".join(_byte(char) for char in sequence)
        return data.decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def _byte(char: str) -> bytes:
    """The byte a cp1252 (or, for the five bytes it leaves undefined, Latin-1) reader made ``char`` of."""
    try:
        return char.encode("cp1252")
    except UnicodeEncodeError:
        return char.encode("latin-1")
