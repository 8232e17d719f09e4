"""Words for counts and languages in what readers see (the web pages and the command line).

``plural(1, "comment")`` is "1 comment", ``plural(79412, "result")`` "79,412 results": English text,
so English rules (one is singular, everything else, zero included, plural).
"""

from __future__ import annotations

# A language by its own name, as a reader of it looks for it ("Also in: English · Русский").
LANGUAGE_NAMES = {
    "az": "Azərbaycanca",
    "en": "English",
    "ru": "Русский",
    "tr": "Türkçe",
    "ka": "ქართული",
    "hy": "Հայերեն",
    "uk": "Українська",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "fa": "فارسی",
    "ar": "العربية",
}


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """The count and the noun agreeing with it, thousands separated."""
    word = singular if count == 1 else plural_form or f"{singular}s"
    return f"{count:,} {word}"


def language_name(code: str | None) -> str:
    """The language's own name; an unknown tag as it is (its region dropped: en-GB is English)."""
    if not code:
        return "(language unknown)"
    return LANGUAGE_NAMES.get(code.lower(), LANGUAGE_NAMES.get(code.lower().split("-")[0], code))
