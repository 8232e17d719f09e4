"""News and picture agencies, by the names captions print them under: a caption may end with one in
parentheses and nothing else ("… Genova (Ansa)", "… (رويترز)", "…横浜市（共同）"), which is its credit.

A parenthesised word at a caption's end is as often a place, a year or a note ("(Hamburg)", "(2019)",
"(left)", "(file photo)", "(Arşiv)") as a credit, and nothing in the markup tells them apart; an
agency's name does. The table is of agencies, not of any page's words: the world's wire services and
picture agencies, each under its own name and the names the languages of our sites give it (Arabic,
Japanese, Chinese, Russian, Ukrainian...). Matched whole and case-insensitively; joined names count
too ("EPA-EFE", "AFP/Getty", "AFP＝時事").
"""

from __future__ import annotations

import re

AGENCIES = frozenset(
    name.casefold()
    for name in (
        # international wire and picture agencies
        "Reuters", "AP", "AP Photo", "Associated Press", "AFP", "EPA", "EFE", "Getty", "Getty Images",
        "Bloomberg", "UPI", "Xinhua", "Kyodo", "Jiji", "Yonhap", "Shutterstock", "Alamy", "Imago",
        "Imago Images", "picture alliance", "picture-alliance", "Sipa", "Sipa Press", "Abaca", "NurPhoto",
        "ZUMA", "ZUMA Press", "Anadolu", "Anadolu Agency", "Sputnik", "Bildbyrån", "Scanpix", "Reuters TV",
        # national agencies of Europe and its neighbours
        "dpa", "KNA", "epd", "ddp", "APA", "Keystone", "Keystone-SDA", "SDA", "ANSA", "LaPresse", "Agenzia Fotogramma",
        "Lusa", "Europa Press", "ANP", "Belga", "Belga Image", "PAP", "ČTK", "CTK", "TASR", "MTI", "Agerpres",
        "Inquam", "Inquam Photos", "BTA", "HINA", "Pixsell", "Cropix", "Tanjug", "STA", "ANA-MPA", "AMNA",
        "Eurokinissi", "TT", "NTB", "Ritzau", "Ritzau Scanpix", "STT", "Lehtikuva", "ERR", "ELTA", "LETA", "PA",
        "PA Wire", "PA Images", "AAP", "CP", "The Canadian Press", "AA", "DHA", "İHA", "IHA", "ANKA",
        "TASS", "ТАСС", "РИА Новости", "RIA Novosti", "Интерфакс", "Interfax", "ИТАР-ТАСС",
        "УНІАН", "UNIAN", "Укрінформ", "Ukrinform", "БелТА", "BelTA", "AZƏRTAC", "Azertac", "APA", "Trend",
        "Report", "Armenpress", "Sputnik Azərbaycan", "Kazinform", "Казинформ",
        # the same agencies as Arabic, Persian, Hebrew, Japanese, Chinese and Korean captions name them
        "رويترز", "أ ف ب", "الفرنسية", "أسوشيتد برس", "أ ب", "الأناضول", "إيبا", "غيتي", "الجزيرة", "واس",
        "سانا", "وام", "شينخوا", "ايرنا", "ایرنا", "فارس", "רויטרס", "AP Images",
        "共同", "共同通信", "時事", "時事通信", "ロイター", "新華社", "聯合", "AFP時事",
        "新华社", "中新社", "路透社", "法新社", "美联社", "中央社", "연합뉴스", "뉴시스", "뉴스1",
    )
)  # fmt: skip
_JOINS = re.compile(r"\s*[/＝=+|–-]\s*|\s+(?:via|for)\s+", re.I)
_SPACES = re.compile(r"\s+")


def is_agency(text: str) -> bool:
    """The name of a news or picture agency, or of several joined ("EPA-EFE", "AFP/Getty")."""
    name = _SPACES.sub(" ", text.strip()).casefold()
    if name in AGENCIES:
        return True
    parts = [p for p in _JOINS.split(name) if p]
    return len(parts) > 1 and all(p in AGENCIES for p in parts)
