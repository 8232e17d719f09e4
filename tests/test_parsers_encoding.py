"""Bytes to text: BOM, HTTP charset, meta charset, and the guess between UTF-8, cp1251 and cp1254."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from scrapers.parsers import decode_html, parse_article
from scrapers.parsers.encoding import guess_encoding, http_charset, meta_charset

RU = "Баку — столица Азербайджана, крупнейший порт на Каспийском море."
AZ = "Bakı şəhərində yağış yağır, küçələr islanıb və hava soyuqdur."
TR = "Güneşli bir gün, çocuklar bahçede oynuyor ve kuşlar şarkı söylüyor."


def page(text: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body><p>{text}</p></body></html>"


def test_bom_wins_over_everything() -> None:
    data = codecs.BOM_UTF8 + page(RU, '<meta charset="windows-1251">').encode("utf-8")
    assert RU in decode_html(data, "text/html; charset=iso-8859-1")
    assert RU in decode_html(codecs.BOM_UTF16_LE + page(RU).encode("utf-16-le"))


def test_http_charset_then_meta_charset() -> None:
    data = page(RU, '<meta charset="utf-8">').encode("cp1251")
    assert RU in decode_html(data, "text/html; charset=windows-1251")
    assert RU in decode_html(
        page(RU, '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">').encode("cp1251")
    )


def test_a_declared_charset_that_cannot_decode_the_bytes_is_ignored() -> None:
    data = page(RU, '<meta charset="utf-8">').encode("cp1251")
    assert RU in decode_html(data)


def test_latin1_and_iso_8859_9_labels_read_as_windows_codepages() -> None:
    data = page("“quoted”").encode("cp1252")
    assert "“quoted”" in decode_html(data, "text/html; charset=ISO-8859-1")
    assert TR in decode_html(page(TR).encode("cp1254"), "text/html; charset=iso-8859-9")


@pytest.mark.parametrize(("text", "codec"), [(RU, "cp1251"), (TR, "cp1254"), (AZ, "utf-8"), ("plain ascii", "utf-8")])
def test_guess_without_any_declaration(text: str, codec: str) -> None:
    data = page(text).encode(codec)
    assert guess_encoding(data) == codec
    assert text in decode_html(data)


def test_unknown_label_is_ignored() -> None:
    assert RU in decode_html(page(RU).encode("utf-8"), "text/html; charset=x-unknown")


def test_charset_readers() -> None:
    assert http_charset('text/html; charset="UTF-8"') == "UTF-8"
    assert http_charset("text/html") is None
    assert meta_charset(b"<html><head><meta charset='koi8-r'>") == "koi8-r"
    assert meta_charset(b'<?xml version="1.0" encoding="windows-1254"?><html>') == "windows-1254"


def test_parse_article_takes_bytes_and_the_content_type() -> None:
    article = parse_article(page(RU).encode("cp1251"), "https://x.example/a", content_type="text/html; charset=cp1251")
    assert RU in article.body


# --- byte fixtures: whole pages in each encoding, declared, undeclared and mislabelled -----------
FIXTURES = Path(__file__).parent / "fixtures" / "encoding"
BYTE_CASES = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(BYTE_CASES["cases"]))
def test_byte_fixture_reads_as_its_text(name: str) -> None:
    case = BYTE_CASES["cases"][name]
    data = (FIXTURES / f"{name}.html").read_bytes()
    assert case["text"] in decode_html(data, case["content_type"])
    article = parse_article(data, BYTE_CASES["url"], content_type=case["content_type"])
    assert (article.title, article.body.split("\n\n")[0]) == (case["title"], case["text"])


def test_valid_utf8_wins_over_a_declared_single_byte_charset() -> None:
    data = page("Grüße aus Köln", '<meta charset="iso-8859-1">').encode("utf-8")
    assert "Grüße aus Köln" in decode_html(data)
    assert "Grüße aus Köln" in decode_html(data, "text/html; charset=windows-1251")
    ascii_only = page("plain", '<meta charset="iso-8859-1">').encode("ascii")
    assert "plain" in decode_html(ascii_only)
