"""A caption's credit: the element that marks it, or the phrase that states it.

An element marks a credit by its name (a class, id or ``data-testid`` ending in ``credit``,
``copyright``, ``source``, ``attribution`` or ``photographer``: ``span.source``,
``div.article_image_source``, ``.photo-credit``), by ``<cite>``, by schema.org (``copyrightHolder``,
``creator``), or by a label only screen readers read ("Credit…", "Image source,") before its text;
such labels are never part of what a caption shows. A phrase states one with a label ("Photo: X",
"Photo / X", "Фото — X", "Illustration: X", "Image by: X", "(Image credit: X)", "Şəkil: X"), a
copyright sign, or "courtesy of"; the label is not part of the credit. Without a label, an
attribution in agency form ends a caption ("REUTERS/Name", "(AP Photo/Name)", "(Name/The Paper)"),
names only, in parentheses or brackets ("[Name/Reuters]"), or after a bar that follows the caption's
last sentence ("… Hamburg. | Name/Getty Images"). A slideshow's counter ("3 / 12", "Bild 3 von 12")
is no part of a caption. A label may be an element of its own before the text ("Credit…", a BBC page's
"ŞƏKLİN MƏNBƏYİ, "), in any language. A line that is nothing but
a credit, under a picture, is a caption with a credit and no text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .boilerplate import names_of, words_of
from .caption_agencies import is_agency
from .text import Element, inline_text, never_text, squash, text_of

# The words a credit's label is made of, by what they say, in the languages of our sites and their
# neighbours: the EU's and its neighbours' (en, de, fr, es, it, pt, nl, pl, cs, sk, hu, ro, hr, sl,
# sv, no, da, fi, et, lt, lv, el, bg, uk, ru, az, tr): a label names the picture's kind or says
# "source" or "credit". Kept as one table so that a language is added to every kind at once.
_LABEL_WORDS = {
    "photo": (
        "photo(?:graph(?:er)?)?s?",
        "photographie",
        "fotos?",
        "fotograf(?:ia|ía|ie)?s?",
        "fotoğraf",
        "zdjęci[ae]",
        "фото(?:графия)?",
        "foto(?:şəkil)?",
        "fotó",
        "φωτο(?:γραφία)?",
        "valokuva",
        "снимка",
        "snímek",
        # beyond Europe: Vietnamese, Hebrew, Arabic, Persian, Japanese, Chinese, Korean, Hindi, Thai
        "ảnh",
        "צילום",
        "تصوير",
        "صورة",
        "عکس",
        "عکاس",
        "写真",
        "照片",
        "摄影",
        "사진",
        "फ़ोटो",
        "फोटो",
        "ภาพ",
        # South Asia beyond Hindi: Bengali, Urdu, Tamil
        "ছবি",
        "تصویر",
        "படம்",
    ),
    "picture": (
        "images?",
        "pictures?",
        "pics?",
        "bild(?:er)?",
        "beeld",
        "immagin[ei]",
        "imagen(?:es)?",
        "imagem",
        "изображение",
        "şəkil(?:lər)?",
        "görsel",
        "resim",
        "obraz",
        "kuva(?:t)?",
        "kép",
        "εικόνα",
        "obrázek",
        "slika",
        "зображення",
        "bilde",
        "billede",
        "pilt",
    ),
    "drawing": (
        "illustrations?",
        "illustrazione",
        "ilustraci[óo]n",
        "ilustração",
        "illustratie",
        "ilustracja",
        "иллюстрация",
        "illüstrasyon",
        "graphics?",
        "infographics?",
        "grafi[ck]a?",
        "gr[áa]fico",
        "graphique",
        "maps?",
        "karte",
        "carte",
        "mapa",
        "kaart",
        "карта",
        "xəritə",
        "harita",
        "kartta",
        "γράφημα",
        "χάρτης",
        "grafiikka",
        "kuvitus",
        "ilustrace",
        "ілюстрація",
        "charts?",
        "composite",
        "montage",
        "collage",
        "rendering",
        "videos?",
        "видео",
    ),
    "source": (
        "sources?",
        "quelle",
        "fuente",
        "fonte",
        "bron",
        "źródło",
        "источник",
        "mənbə",
        "kaynak",
        "lähde",
        "källa",
        "kilde",
        "zdroj",
        "forrás",
        "surs[aă]",
        "izvor",
        "джерело",
        "πηγή",
        "allikas",
        "šaltinis",
        "avots",
        "nguồn",
        "מקור",
        "المصدر",
        "مصدر",
        "منبع",
        "出典",
        "来源",
        "출처",
        "स्रोत",
        "sumber",
        "ที่มา",
        "credits?",
        "crédit",
        "cr[ée]ditos?",
        "copyright",
    ),
}
_KIND = rf"(?:{'|'.join(w for words in _LABEL_WORDS.values() for w in words)})(?![^\W\d_])"
# "Photo", "Image credit", "Photo by", "Photo courtesy of", "Источник фото".
LABEL = rf"{_KIND}(?:\s+(?:{_KIND}|by|courtesy(?:\s+of)?))?"
_SEPARATOR = r"(?:\s*[:：]|\s+[/|—–-](?=\s))"  # "Photo: X", "Photo / X", "Фото — X"
_ABBREVIATED = r"(?:fot|rys|il|phot|ill|nuotr|φωτ)\.(?=\s)"  # "Fot. X" (Polish), "Ill. X": the dot is the separator
_LABELLED = rf"(?:{LABEL}{_SEPARATOR}|{_ABBREVIATED})"
# An unlabelled attribution in agency style: "REUTERS/Name", "AP Photo/Name, File", "Name/The Paper".
_NAME = r"[^\W\d_][\w'’.&-]*"
_SLASHED = rf"(?P<credit>{_NAME}(?:\s+{_NAME}){{0,4}}(?:\s?/\s?{_NAME}(?:[\s,]+{_NAME}){{0,5}}){{1,3}})"
_LABEL_AFTER = r"(?:nuotr\.|nuotrauka)"  # the languages that put the label after the name
_CREDIT_PATTERNS = (
    re.compile(rf"\s*[(\[（]\s*{LABEL}{_SEPARATOR}?\s*(?P<credit>[^()\[\]（）]+?)\s*[)\]）]\s*$", re.I),
    re.compile(r"\s*[(\[]\s*courtesy(?:\s+of)?\s+(?P<credit>[^()\[\]]+?)\s*[)\]]\s*$", re.I),
    re.compile(rf"(?:^|(?<=[\s.|/–—-]))\s*{_LABELLED}\s*(?P<credit>[^:]+?)\s*$", re.I),
    re.compile(
        r"(?:^|(?<=[\s.|/–—-]))\s*(?:photo|image|picture|illustration)s?\s+(?:by|courtesy(?:\s+of)?)\s+"
        r"(?P<credit>.+?)\s*$",
        re.I,
    ),
    re.compile(r"(?:^|(?<=[\s.|/–—-]))\s*courtesy\s+of\s+(?P<credit>.+?)\s*$", re.I),
    re.compile(rf"(?:(?:^|(?<=[\s.|/–—-])){LABEL}\s*)?\s*(?:©|\(c\)|copyright)\s*(?P<credit>[^©]+?)\s*$", re.I),
    # after the caption's last sentence, or in parentheses at its end; each word a name's (capitalised)
    re.compile(rf"(?<=[.!?…»”\"])\s+{_SLASHED}\s*$"),
    re.compile(rf"\s*[(\[]\s*{_SLASHED}\s*[)\]]\s*$"),
    # a label after the credit (Lithuanian: "… uostas / Vardenis Pavardenis / BNS nuotr."), after a slash
    # or the caption's last sentence
    re.compile(rf"(?:\s+/\s+|(?<=[.!?…»”\"])\s+)(?P<credit>[^\s/].*?)\s+{_LABEL_AFTER}\s*$", re.I),
    # after a bar that follows the caption's last sentence ("… Hamburg. | Name/Getty Images"): names only
    re.compile(r"(?<=[.!?…»”\"])\s+\|\s+(?P<credit>[^|]+?)\s*$"),
)
# An agency's name alone in parentheses at a caption's end ("… (Ansa)", "…（共同）"): see caption_agencies.
_AGENCY_AT_END = re.compile(r"\s*[(\[（]\s*(?P<credit>[^()\[\]（）]{1,40}?)\s*[)\]）]\s*$")
_CREDIT_ATTRS = ("data-credit", "data-copyright", "data-photographer", "data-caption-credit")
_INLINE = frozenset({"span", "small", "em", "i", "b", "strong", "p", "div"})  # a line of its own or inline
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_SENTENCE_ENDS = (".", "!", "?", "…", "»", "”", '"', "。", "！", "？")
_NAMES_ONLY = (_CREDIT_PATTERNS[-4], _CREDIT_PATTERNS[-3], _CREDIT_PATTERNS[-1])  # unlabelled: names only
_VIA_AT_END = re.compile(
    rf"(?<=[.!?…»”\"])\s+(?P<credit>{_NAME}(?:\s+{_NAME}){{0,4}}\s+via\s+(?P<agency>{_NAME}(?:\s+{_NAME}){{0,2}}))\s*$"
)
_SLASHED_LINE = re.compile(rf"^{_SLASHED}$")
_ENDS = '.!?…»”"。！？'  # a sentence's end, in a character class
# After the caption's last sentence: a dash, then names or an agency ("… Port Klang. — NAME/The Star",
# "… Marseille. — A. Gelebart / 20 Minutes"); or an agency's name alone ("… 있다. 연합뉴스", "… Monday. Reuters").
_DASHED_AT_END = re.compile(r"(?<=[.!?…。！？])\s+[—–]\s+(?P<credit>[^—–]+?)\s*$")  # not a quotation's speaker
_AFTER_SENTENCE = re.compile(rf"(?<=[{_ENDS}])\s*(?P<credit>[^{_ENDS}]{{1,40}}?)\s*$")
# The word East Asian credits put after the name ("新华社记者 X 摄", "X 撮影", "X 제공", "연합뉴스 자료사진"):
# photographed, provided, file photo. Kept with the credit, as the page prints it.
_BY_AFTER = r"(?:摄|摄影|撮影|提供|제공|촬영|자료사진)"
_BY_AFTER_AT_END = re.compile(rf"(?:^|(?<=[{_ENDS}]))\s*(?P<credit>[^{_ENDS}]{{1,40}}?{_BY_AFTER}\s*[)）]?)\s*$")
# A caption's last words in square brackets ("[X 제공. 재판매 및 DB 금지]", "[EPA=연합뉴스]"): a credit and
# its terms of use, when the first sentence is an agency or ends with the word after a name.
_BRACKETED_AT_END = re.compile(r"\s*\[\s*(?P<credit>[^\[\]]+?)\s*\]\s*$")
_FIRST_SENTENCE = re.compile(r"[.。]\s")
_BY_AFTER_END = re.compile(rf"{_BY_AFTER}$")
_DIGITS = re.compile(r"\b\d+\b")
_DOMAIN = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$", re.I)  # "mbl.is", "kompas.com": a name
# A CSS module's hash after a class name ("MediaCaption-module_credit__Q5wRt", "styles_caption__a1B2c").
_MODULE_HASH = re.compile(r"_{2,3}[A-Za-z0-9-]{5,8}$")
_LEADING_LETTERS = re.compile(r"^[^\W\d_]*")  # a capital among them: "Mònica", "McNeil", "Žganec"; not "dpa"
_PARTICLE = re.compile(r"^(?:[a-z]{1,3}|de[rsn]?|van|von|for|of|the|via|and|und|et|y|e|i)$")  # "de", "for"
# A line that is a credit and nothing else ("Photo: Harbour Board", "© Reuters"), below a picture.
CREDIT_LINE = re.compile(rf"^\s*(?:[(\[]?\s*(?:{_LABELLED}|{LABEL}\s+by\b)|©|\(c\)\s|courtesy\s+of\s)", re.I)
_LABEL_AT_START = re.compile(
    rf"^\s*(?P<open>[(\[])?\s*(?:{_ABBREVIATED}|{LABEL}(?:{_SEPARATOR}|\s+by\b)?)\s*(?P<rest>.*?)(?(open)[)\]])\s*$",
    re.I,
)
_CREDIT_LINE_WORDS = 20  # a label and a credit of names ("Foto: Omroep Zeeland / Dirk-Jan Gjeltema")
_NAME_WORDS = 8  # words: a credit of names ("Gabriela Bhaskar for The New York Times")
_COURTESY_AT_START = re.compile(r"^\s*courtesy(?:\s+of)?\s+", re.I)
_SEPARATOR_AT_START = re.compile(r"^\s*[|/–—-]\s+")  # "- Copyright X" (Euronews), "| Foto: X"
_COPYRIGHT_AT_START = re.compile(r"^\s*(?:©|\(c\)|copyright\b)\s*", re.I)
_CREDIT_NAMES = (
    "credit", "credits", "copyright", "source", "attribution", "photographer", "credittext", "creditline",
    "creditwrap", "creditwrapper",
    # the same words in the languages of the class names sites give them ("span.credito", "div.bildquelle")
    "credito", "creditos", "crediti", "quelle", "fonte", "fuente", "fotograf", "fotografo", "photographe",
    "zrodlo", "zdroj", "kaynak", "forras",
)  # fmt: skip
_AUTHOR_NAMES = ("author", "autor", "auteur", "autore", "byline")
_PICTURE_STEMS = ("picture", "image", "img", "photo", "foto", "figure")
_PICTURE_TYPES = ("ImageObject", "Photograph", "ImageGallery")
_CREDIT_PROPS = frozenset({"copyrightHolder", "creator", "copyrightNotice", "creditText"})
_NAMING_ATTRS = ("data-testid", "data-test", "data-qa", "data-component", "data-hook")  # names where classes are hashed
_READER_ONLY = ("sronly", "visuallyhidden", "screenreader", "offscreen", "srtext", "assistivetext")
_ONLY_A_LABEL = re.compile(rf"^\s*{LABEL}\s*[,.:：…]*\s*$", re.I)
# A label element before a caption's or credit's text: "Image caption, ", "ŞƏKLİN MƏNBƏYİ, ", "Credit…".
_LABEL_END = re.compile(r"(?:[,:：…]|\.\.\.)\s*$")
_HIDDEN_LABEL_END = re.compile(r"(?:,|…|\.\.\.)\s*$")  # the forms screen-reader labels take
_LABEL_SIZE = 40  # characters
_HIDDEN_LABEL_WORDS = 4  # "Image caption,", "Şəklin alt yazısı,", "Подпись к фото,"
# Buttons drawn as text inside a caption ("hide caption", "toggle caption", "expand"): no caption's words.
_COUNTER = re.compile(r"^\s*(?:[^\W\d_]+\s+)?(?P<at>\d{1,3})\s*(?:/|\s[^\W\d_]{1,4}\s)\s*(?P<of>\d{1,3})\s*$")
_COUNTER_SIZE = 24  # characters
_CONTROL_WORDS = frozenset({"toggle", "hide", "expand", "collapse", "btn", "button", "readmore", "showmore"})


def element_names(element: Element) -> list[str]:
    """Class names, id and test ids, lower-cased without separators ("Figure-caption" → figurecaption)."""
    if not element.attrib:
        return []
    names = names_of(element) + [v for a in _NAMING_ATTRS if isinstance(v := element.get(a), str) and v]
    return [_compact(name) for name in names]


@lru_cache(maxsize=8192)
def _compact(name: str) -> str:
    """A class name lower-cased without separators, and without a CSS module's hash (a hash has a
    digit or a capital: ``MediaCaption-module_credit__Q5wRt`` → mediacaptionmodulecredit)."""
    match = _MODULE_HASH.search(name)
    if match and match.start() and any(c.isdigit() or c.isupper() for c in match.group()):
        name = name[: match.start()]
    return name.lower().replace("-", "").replace("_", "")


def is_reader_only(element: Element) -> bool:
    """Text for screen readers only ("sr-only", "visually-hidden"): a label no reader sees."""
    names = element.get("class")
    if not names:
        return False
    compact = names.lower().replace("-", "").replace("_", "")
    if any(marker in compact for marker in _READER_ONLY):
        return True
    return any("sr" in words_of(name) for name in names.split())  # "sr-description", "image__sr-text"


def shown(element: Element) -> bool:
    """Skip rule for a caption's text: what a reader does not see, the controls drawn as text, and a
    slideshow's counter ("3 / 12")."""
    return never_text(element) or is_reader_only(element) or is_control(element) or is_counter(element)


def is_counter(element: Element) -> bool:
    """A leaf whose text is a slide's place in a slideshow ("3 / 12", "Bild 3 von 12", "3 of 12"):
    two numbers, the first no larger, with a slash or one short word between them, in any language."""
    text = element.text
    if len(element) or text is None or len(text) > _COUNTER_SIZE:
        return False
    match = _COUNTER.match(text)
    return match is not None and int(match["at"]) <= int(match["of"])


def is_control(element: Element) -> bool:
    """A caption's button drawn as text (NPR's ``b.hide-caption``, ``span.toggle-caption``)."""
    return any(map(_names_a_control, names_of(element)))


@lru_cache(maxsize=4096)
def _names_a_control(name: str) -> bool:
    return bool(words_of(name) & _CONTROL_WORDS)  # remembered: it is asked of every element of a caption


def leading_label(element: Element) -> Element | None:
    """The element's first child when it is a short label before the rest of its text ("Credit…",
    "Image source, ", "ŞƏKLİN MƏNBƏYİ, "): a leaf whose text ends in a comma, colon or ellipsis."""
    if (element.text or "").strip():
        return None
    first = next((c for c in element if isinstance(c.tag, str)), None)
    if first is None or len(first) or (shown(first) and not is_reader_only(first)):
        return None
    label = squash(text_of(first))
    if not label or len(label) > _LABEL_SIZE or not _LABEL_END.search(label):
        return None
    rest = squash((first.tail or "") + "".join(text_of(s) + (s.tail or "") for s in first.itersiblings()))
    return first if rest else None


def caption_label(element: Element) -> Element | None:
    """A leading label of a caption ("Image caption, "), in the comma or ellipsis form of the labels
    only screen readers read: never a part of the caption's text, in any language."""
    label = leading_label(element)
    if label is None or label.tag != "span":  # an <em>/<strong> lead-in ("Left to right,") is the caption's
        return None
    text = squash(text_of(label))
    short = len(text.split()) <= _HIDDEN_LABEL_WORDS and "," not in text.rstrip(", ")
    return label if short and _HIDDEN_LABEL_END.search(text) else None


def credit_text(element: Element) -> str:
    """The text of an element marked as a credit, without its label."""
    label = leading_label(element)
    return strip_label(inline_text(element, lambda tag: shown(tag) or tag is label))


def shown_text(element: Element) -> str:
    return inline_text(element, shown)


def _is_picture_author(element: Element) -> bool:
    """schema.org's ``author`` of a picture: ``itemprop="author"`` whose item is an ``ImageObject`` (not
    the article's author, whose item is the article)."""
    if element.get("itemprop") not in ("author", "photographer"):
        return False
    scope = next((e for e in element.iterancestors() if e.get("itemscope") is not None), None)
    return scope is not None and any(kind in (scope.get("itemtype") or "") for kind in _PICTURE_TYPES)


def _names_picture_author(name: str) -> bool:
    """A name that says the picture's author ("photo__author", "image-autor", "img_byline"): its credit."""
    return name.endswith(_AUTHOR_NAMES) and any(stem in name for stem in _PICTURE_STEMS)


def names_credit(name: str) -> bool:
    """A class name (from :func:`element_names`) that holds a credit's word ("photocredit", "source",
    "CaptionCredit-eowWKH" with its hash)."""
    return any(word in name for word in _CREDIT_NAMES)


def is_credit_line(text: str) -> bool:
    """A line that is a credit and nothing else: a label or a copyright sign, then a few words ("Photo:
    Harbour Board", "© Reuters"); not a labelled title ("Video: Inside the busiest port … 02:31")."""
    return bool(CREDIT_LINE.match(text)) and len(text.split()) <= _CREDIT_LINE_WORDS


def is_credit_element(element: Element) -> bool:
    """An element whose name, tag, schema.org property or screen-reader label says it holds a credit."""
    if element.tag == "cite" or element.get("itemprop") in _CREDIT_PROPS or _is_picture_author(element):
        return True
    if any(name.endswith(_CREDIT_NAMES) or _names_picture_author(name) for name in element_names(element)):
        return True  # not "ApplyNowCreditCard"
    label = leading_label(element)
    return label is not None and bool(_ONLY_A_LABEL.match(text_of(label)))


def split_credit_text(full: str, *, barred: bool = True) -> tuple[str, str | None]:
    """A caption line's text and its trailing credit phrase ("… (Photo: Reuters)"); with ``barred``,
    names after a bar too ("… Hamburg. | Name/Getty Images"), which only a caption's own element may
    end with (in a line under a picture, "Title! | Blog Name" is a link list's item)."""
    for pattern in _CREDIT_PATTERNS if barred else _CREDIT_PATTERNS[:-1]:
        match = pattern.search(full)
        if match and (match.start() > 0 or CREDIT_LINE.match(full)) and _is_credit(pattern, match["credit"]):
            return tidy(full[: match.start()]), _unsigned(match["credit"]) or None
    match = _AGENCY_AT_END.search(full)
    if match and match.start() > 0 and is_agency(match["credit"]):
        return tidy(full[: match.start()]), match["credit"]
    match = _VIA_AT_END.search(full)  # "… on Monday. Jane Doe via Getty Images"
    if match and is_names(match["credit"]) and is_agency(match["agency"]):
        return tidy(full[: match.start()]), match["credit"]
    return _credit_after_sentence(full) or (tidy(full), None)


def _credit_after_sentence(full: str) -> tuple[str, str] | None:
    """A credit without a label after the caption's text: after a dash, names or an agency; an agency
    alone; in square brackets, an agency or a name and the word after it; "X 摄" (see ``_BY_AFTER``)."""
    match = _DASHED_AT_END.search(full)
    if match and (is_agency(match["credit"]) or is_names(_DIGITS.sub("", match["credit"]))):
        return tidy(full[: match.start()]), match["credit"]
    match = _AFTER_SENTENCE.search(full)
    if match and match.start() > 0 and is_agency(match["credit"]):
        return tidy(full[: match.start()]), match["credit"]
    match = _BRACKETED_AT_END.search(full)
    if match and match.start() > 0:
        first = _FIRST_SENTENCE.split(match["credit"] + " ", maxsplit=1)[0].strip()
        if is_agency(first) or _BY_AFTER_END.search(first):
            return tidy(full[: match.start()]), first
    match = _BY_AFTER_AT_END.search(full)
    if match and match.start() > 0:
        return tidy(full[: match.start()]), squash(match["credit"])
    return None


def _is_credit(pattern: re.Pattern[str], credit: str) -> bool:
    """An unlabelled (slashed) credit is names only: every word capitalised but the particles. Any
    credit is a few words: after "FILE PHOTO: " comes the caption, not a credit."""
    if len(credit.split()) > _CREDIT_LINE_WORDS:
        return False
    return pattern not in _NAMES_ONLY or is_names(credit)


def last_line_credit(lines: list[str]) -> tuple[str, str] | None:
    """A caption's text and credit where its last line (after a ``<br>``) is only a credit: names in
    agency form ("Neva Žganec/PIXSELL"), an agency, or a labelled credit. A caption of that one line is
    a credit only when it cannot be a caption's words: an agency in it, or names in capitals
    ("GORAN KOVAČIĆ/PIXSELL"; "Vorher/Nachher" is a caption); so is a last line of slashed names, unless
    the line before ends a sentence."""
    lines = [line for line in map(squash, lines) if line]
    if not lines:
        return None
    last, alone = lines[-1], len(lines) == 1
    slashed = _SLASHED_LINE.match(last) is not None and is_names(last)
    signed = any(map(is_agency, re.split(r"\s*/\s*", last))) or last.upper() == last
    if slashed and not (signed or (not alone and lines[-2].endswith(_SENTENCE_ENDS))):
        return None  # "Billy B Beauty<br>Lash/Brow Groomer": a product's name, not a photographer's
    if slashed or (not alone and (is_agency(last) or is_credit_line(last))):
        return tidy(" ".join(lines[:-1])), strip_label(last)
    return None


def names_tail(holder: Element) -> Element | None:
    """A caption's last element when it holds only names after the caption's finished sentence in
    loose text ("Ferries on Monday. <span class="text-xs uppercase">Karen Ducey</span>"): its credit,
    whatever the element's classes say (utility classes, hashed ones, none). Not a link's or heading's."""
    children = [c for c in holder if isinstance(c.tag, str) and not shown(c)]
    if not children or not (holder.text or "").strip() or (children[-1].tail or "").strip():
        return None
    last = children[-1]
    if last.tag not in _INLINE or next(last.iter("a", *_HEADINGS), None) is not None:
        return None
    before = squash((holder.text or "") + "".join(shown_text(c) + (c.tail or "") for c in children[:-1]))
    return last if before.endswith(_SENTENCE_ENDS) and is_names(shown_text(last)) else None


def attribute_credit(element: Element) -> str | None:
    """A credit a picture or its lightbox link carries in an attribute beside its ``data-caption``
    (``data-credit``, ``data-copyright``, ``data-photographer``), which the lightbox shows with it."""
    for name in _CREDIT_ATTRS:
        value = squash(element.get(name) or "")
        if value and "://" not in value:
            return strip_label(value) or None
    return None


def jsonld_credit(image: dict[str, object]) -> str | None:
    """The credit a JSON-LD ``ImageObject`` states: ``creditText``, else its ``copyrightHolder``,
    ``creator`` or ``author`` (IPTC's "Creator"), a name or an object with one."""
    for key in ("creditText", "copyrightHolder", "creator", "author"):
        value = image.get(key)
        value = value[0] if isinstance(value, list) and value else value
        name = value.get("name") if isinstance(value, dict) else value
        if isinstance(name, str) and name.strip():
            return squash(name)
    return None


def is_names(text: str) -> bool:
    """A short line of names ("Mònica Torres", "Kai Försterling (EFE)", "X for The Paper"): a few
    words, each capitalised but the particles, at least one capitalised, no sentence's end."""
    words = [w.strip("()[]") for w in re.split(r"[\s/,;]+", text) if w.strip("()[]")]
    if not words or len(words) > _NAME_WORDS or text.rstrip().endswith((".", "!", "?", ":")):
        return False
    capitalised = [_capitalised(word) for word in words]
    particles = [bool(_PARTICLE.match(word)) for word in words]
    return all(c or p for c, p in zip(capitalised, particles, strict=True)) and any(
        c and not p for c, p in zip(capitalised, particles, strict=True)
    )


def _capitalised(word: str) -> bool:
    """A capital in the word's leading letters, in any cased script (Latin with any accent, Cyrillic,
    Greek), or a domain name ("mbl.is/Name": a site's name as it prints it)."""
    if "." in word and _DOMAIN.match(word):
        return True
    match = _LEADING_LETTERS.match(word)
    return match is not None and any(c.isupper() for c in match.group())


def strip_label(text: str) -> str:
    """A credit without its label ("Photo: X" → "X", "© X" → "X")."""
    text = _COPYRIGHT_AT_START.sub("", _SEPARATOR_AT_START.sub("", _unwrapped(text)))  # "(© X)" too
    match = _LABEL_AT_START.match(text)
    rest = match["rest"] if match and match["rest"] else text
    return _unwrapped(_unsigned(rest))


def _unwrapped(text: str) -> str:
    """A credit without the parentheses around all of it ("(Reuters)"), keeping those inside ("X (EFE)")."""
    text = text.strip()
    if len(text) > 1 and text[0] in "([" and text[-1] in ")]" and not re.search(r"[()\[\]]", text[1:-1]):
        return text[1:-1].strip()
    return text


def _unsigned(credit: str) -> str:
    """A credit without the copyright sign or "courtesy of" left after its label ("Foto: © X")."""
    return _COURTESY_AT_START.sub("", _COPYRIGHT_AT_START.sub("", credit)).strip()


def tidy(text: str) -> str:
    return text.strip().rstrip("|/–—-").strip()
