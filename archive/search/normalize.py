"""Language-aware normal forms of words: what the search index stores and what queries look up.

Every word of an article (title, body, captions, comments, authors) becomes one *key*, a plain
lower-case Latin form, and the keys go into a second full-text index (see archive/search/index.py).
A query word is turned into the few keys it may have in an Azerbaijani, English or Russian text,
so one query finds all three spellings.  The rules, in order:

1. Script: Cyrillic is transliterated to Latin after Russian stemming (``переговорах`` →
   ``переговор`` → ``peregovor``); Azerbaijani letters fold to plain Latin (ş→s, ç→c, ğ→g, ö→o,
   ü→u, ı→i, ə→e, İ→i); any other diacritic is dropped (é→e).
2. Stemming (snowballstemmer): Russian words always, English words in every text that is not
   Azerbaijani.  A capitalised Cyrillic word may be a name: the Russian stemmer's ending is
   removed unless it would cut the surname suffix (-ов/-ев/-ин), so ``Алиев``, ``Алиева``,
   ``Алиевым`` all give ``aliev`` (plain Snowball gives ``ал`` for ``Алиев``).  A lower-case
   Cyrillic query word is looked up both ways, so ``переговоров`` still finds a sentence that
   starts with ``Переговоров``.
3. Loosening, for the ways the three languages spell the same name: sh→s, ch→c, kh→h, x→h,
   dzh/zh/j→c, q→g, w→v, a y between vowels is dropped (Aliyev → aliev, like Алиев), doubled
   letters are single.
4. Azerbaijani texts only: a, e and ə are one vowel (written ``ə`` in the key), because the same
   name is spelled Əliyev, Eliyev (typed without the letter) and Aliyev (English); the marker
   keeps these keys apart from English and Russian ones, so "and" never matches English "end".

A Latin query word is looked up under its English key, its Azerbaijani key and the Russian key of
its back-transliteration (Aliyev → алиев → aliev); a Cyrillic one under its Russian keys and the
keys of its transliteration.  Snippets are always cut from the original text: ``analyze`` gives
the character span of each word together with its key.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

# Letters and digits (plus combining marks inside a word), as FTS5's unicode61 tokenizer splits text.
WORD = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f])*")
AZ_VOWEL = "ə"  # the one Azerbaijani a/e/ə vowel in keys; never produced by the other languages

_CYR_TO_LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Ukrainian, Belarusian, Kazakh and old Azerbaijani Cyrillic letters seen in regional news
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u", "ә": "e", "ғ": "g", "қ": "k", "ң": "n",
    "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "ј": "y",
}
_LATIN_FOLD = {
    "ə": "e", "ş": "s", "ç": "c", "ğ": "g", "ö": "o", "ü": "u", "ı": "i",
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ħ": "h",
}
# Latin → Cyrillic for a query word searched in Russian text (longest first).
_LAT_TO_CYR = (
    ("shch", "щ"), ("dzh", "дж"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"),
    ("ya", "я"), ("yu", "ю"), ("yo", "ё"), ("ye", "е"),
    ("a", "а"), ("b", "б"), ("c", "к"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "х"),
    ("i", "и"), ("j", "дж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
    ("q", "г"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("w", "в"), ("x", "х"),
    ("y", "й"), ("z", "з"),
    ("ə", "а"), ("ş", "ш"), ("ç", "ч"), ("ğ", "г"), ("ö", "ё"), ("ü", "ю"), ("ı", "ы"),
)
_LAT_TO_CYR_RE = re.compile("|".join(re.escape(lat) for lat, _ in _LAT_TO_CYR))
_LAT_TO_CYR_MAP = dict(_LAT_TO_CYR)
# An Azerbaijani "c" is Russian "дж" (Ceyhun / Джейхун), an English one mostly "к" (Macron / Макрон).
_AZ_C = "дж"

_LOOSEN = (
    (re.compile(r"dzh|zh|j"), "c"),
    (re.compile(r"sh"), "s"),
    (re.compile(r"ch"), "c"),
    (re.compile(r"kh|x"), "h"),
    (re.compile(r"q"), "g"),
    (re.compile(r"w"), "v"),
    (re.compile(r"(?<=[aeiouə])y(?=[aeiouə])"), ""),
    (re.compile(r"([a-z])\1+"), r"\1"),
)
_SURNAME_SUFFIXES = ("ов", "ев", "ёв", "ин", "ын")
_EN_ENDINGS = ("", "e", "s", "t", "ed", "ing", "ion", "ions", "ly", "al", "er", "ate", "ity", "ive", "ment")

MODES = ("en", "az", "ru", "ru-name")
MIN_TRANSLITERATED = 4


class _Stemmers(threading.local):
    """Snowball stemmer objects keep state while they work: one set per thread (Datasette
    runs SQL functions on several threads)."""

    def __init__(self) -> None:
        self.en = snowballstemmer.stemmer("english")
        self.ru = snowballstemmer.stemmer("russian")


_STEMMERS = _Stemmers()


def lower(text: str) -> str:
    """Lower case that keeps Azerbaijani/Turkish İ one letter (Python's gives i + a combining dot)."""
    return text.replace("İ", "i").lower()


def is_cyrillic(ch: str) -> bool:
    return "\u0400" <= ch <= "\u04ff" or "\u0500" <= ch <= "\u052f"


def to_latin(word: str) -> str:
    """Lower-case `word` in plain Latin letters: Cyrillic transliterated, Azerbaijani folded,
    other diacritics dropped; letters of other scripts are kept as they are."""
    out: list[str] = []
    for ch in lower(word):
        if ch.isascii():
            out.append(ch)
        elif ch in _CYR_TO_LAT:
            out.append(_CYR_TO_LAT[ch])
        elif ch in _LATIN_FOLD:
            out.append(_LATIN_FOLD[ch])
        else:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            out.append(lower(base) if base and base.isascii() else (base or ""))
    return "".join(out)


def loosen(latin: str) -> str:
    for pattern, replacement in _LOOSEN:
        latin = pattern.sub(replacement, latin)
    return latin


def _az_vowels(key: str) -> str:
    return key.replace("a", AZ_VOWEL).replace("e", AZ_VOWEL)


def _ru_stem(word: str) -> str:
    return str(_STEMMERS.ru.stemWord(word.replace("ё", "е")))


def _ru_name_stem(word: str) -> str:
    word = word.replace("ё", "е")
    stem = _ru_stem(word)
    ending = word[len(stem):] if word.startswith(stem) else ""
    return word if ending.endswith(_SURNAME_SUFFIXES) else stem


@lru_cache(maxsize=262_144)
def key(word: str, mode: str) -> str:
    """The key of one lower-case word in one mode: en, az, ru (Russian common word) or ru-name."""
    if mode in ("ru", "ru-name"):
        # NFC keeps й and ё whole; what combining marks remain (stress accents) are dropped.
        cyr = "".join(ch for ch in unicodedata.normalize("NFC", word) if not unicodedata.combining(ch))
        stem = _ru_name_stem(cyr) if mode == "ru-name" else _ru_stem(cyr)
        return loosen(to_latin(stem))
    latin = to_latin(word)
    if mode == "az":
        return _az_vowels(loosen(latin))
    if latin.isascii() and latin.isalpha():
        latin = str(_STEMMERS.en.stemWord(latin))
    return loosen(latin)


# --- documents --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    key: str


def _doc_mode(word: str, lang: str | None) -> str:
    if is_cyrillic(word[0]):
        return "ru-name" if word[0].isupper() else "ru"
    return "az" if lang == "az" else "en"


def analyze(text: str | None, lang: str | None) -> list[Token]:
    """Each word of `text` with its span and its key, as the index holds it for a `lang` text."""
    if not text:
        return []
    return [Token(m.start(), m.end(), key(lower(m.group()), _doc_mode(m.group(), lang))) for m in WORD.finditer(text)]


def normalize_text(text: str | None, lang: str | None) -> str:
    """The keys of `text`, space separated: what goes into the normalised full-text index."""
    if not text:
        return ""
    return " ".join(
        k for m in WORD.finditer(text) if (k := key(lower(m.group()), _doc_mode(m.group(), lang)))
    )


def normalize_texts(texts: Iterable[str | None], lang: str | None) -> str:
    """Several texts (captions, comments) as one column, one line each."""
    return "\n".join(n for n in (normalize_text(t, lang) for t in texts) if n)


# --- queries ----------------------------------------------------------------------------------


def query_words(text: str) -> list[str]:
    """The words a query term holds (`Kassym-Jomart` is two, `10:30` too): a phrase when several."""
    return [m.group() for m in WORD.finditer(text)]


def _to_cyrillic(word: str, az_c: bool) -> str:
    def sub(m: re.Match[str]) -> str:
        lat = m.group()
        return _AZ_C if az_c and lat == "c" else _LAT_TO_CYR_MAP[lat]

    return _LAT_TO_CYR_RE.sub(sub, lower(word))


def word_variants(word: str) -> dict[str, str]:
    """The keys a query word may have in each kind of text: branch name -> key.

    Branches: ``en`` (English and other non-Azerbaijani Latin text), ``az``, ``ru`` (the word as a
    Russian common word) and ``ru-name`` (as a Russian name); a Latin word also gets ``ru-az``, its
    back-transliteration with an Azerbaijani c (дж).  Equal keys are kept once by the caller.
    """
    w = lower(word)
    out: dict[str, str] = {}
    # Across scripts only words of 4 letters or more: "он" is not "on", "oil" is not "о" (оил).
    across = len(w) >= MIN_TRANSLITERATED
    if any(is_cyrillic(ch) for ch in w):
        if not word[0].isupper():
            out["ru"] = key(w, "ru")
        out["ru-name"] = key(w, "ru-name")
        if across:
            latin = to_latin(w)
            out["en"] = key(latin, "en")
            out["az"] = key(latin, "az")
        return out
    out["en"] = key(w, "en")
    out["az"] = key(w, "az")
    if across and all(ch.isalpha() and (ch.isascii() or ch in "əşçğöüı") for ch in w):
        for branch, az_c in (("ru-name", False), ("ru-az", True)):
            if branch == "ru-az" and "c" not in w:
                continue
            cyr = _to_cyrillic(w, az_c=az_c)
            if len(_ru_name_stem(cyr)) >= 3:  # Snowball may cut a foreign word down to nothing
                out[branch] = key(cyr, "ru-name")
    return out


def prefix_variants(word: str) -> set[str]:
    """Keys for a prefix (`negotiat*`): the loosened prefix, its stem (stems can be shorter than
    the prefix typed: negotiations → negoti) and the Azerbaijani form."""
    w = lower(word)
    latin = to_latin(w)
    out = {loosen(latin), _az_vowels(loosen(latin))}
    if any(is_cyrillic(ch) for ch in w):
        out.add(loosen(to_latin(_ru_stem(w))))
    elif latin.isascii() and latin.isalpha():
        # A stem may be shorter than the prefix typed (negotiations → negoti): the stems of the
        # prefix with the usual endings, where they stay a prefix of it, look further.
        loose = loosen(latin)
        for ending in _EN_ENDINGS:
            stem = loosen(str(_STEMMERS.en.stemWord(latin + ending)))
            if loose.startswith(stem) and len(stem) >= 2:
                out.add(stem)
    # A trailing y may be dropped between vowels in the full word (aliy* → aliev).
    out |= {p[:-1] for p in out if len(p) > 2 and p.endswith("y")}
    return {p for p in out if p}
