"""Month names of the languages the archive meets, so that dates never depend on the OS locale.

Each row lists the twelve months of one language; inflected forms (Russian, Polish and Ukrainian
genitives, the case a date uses) are extra rows. Unambiguous prefixes of three letters or more
(``Sept``, ``янв``, ``Okt``) are derived, so abbreviations need no table of their own.
"""

from __future__ import annotations

import unicodedata

_ROWS: dict[str, str] = {
    "en": "january february march april may june july august september october november december",
    "az": "yanvar fevral mart aprel may iyun iyul avqust sentyabr oktyabr noyabr dekabr",
    "tr": "ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık",
    "ru": "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
    "ru-gen": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "uk": "січень лютий березень квітень травень червень липень серпень вересень жовтень листопад грудень",
    "uk-gen": "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "de-at": "jänner feber maerz april mai juni juli august september oktober november dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "es-alt": "enero febrero marzo abril mayo junio julio agosto setiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "sv": "januari februari mars april maj juni juli augusti september oktober november december",
    "da": "januar februar marts april maj juni juli august september oktober november december",
    "ro": "ianuarie februarie martie aprilie mai iunie iulie august septembrie octombrie noiembrie decembrie",
    "pl": "styczeń luty marzec kwiecień maj czerwiec lipiec sierpień wrzesień październik listopad grudzień",
    "pl-gen": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
    "cs": "leden únor březen duben květen červen červenec srpen září říjen listopad prosinec",
    "cs-gen": "ledna února března dubna května června července srpna září října listopadu prosince",
    "hu": "január február március április május június július augusztus szeptember október november december",
    # Arabic as Egypt and the Gulf write the months (the Levant's names are two words for four of them).
    "ar": "يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر",
    "ar-alt": "يناير فبراير مارس ابريل مايو يونيه يوليه اغسطس سبتمبر اكتوبر نوفمبر ديسمبر",
}


def _fold(word: str) -> str:
    """Lower case without Latin accents ("Février" → "fevrier"); Cyrillic letters are kept whole."""
    word = word.lower().rstrip(".")
    if word.isascii() or not any("a" <= c <= "z" for c in word):
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ı", "i")


def _build() -> dict[str, int]:
    full: dict[str, int] = {}
    prefixes: dict[str, set[int]] = {}
    for row in _ROWS.values():
        for number, name in enumerate(row.split(), start=1):
            for form in {name, _fold(name)}:
                full[form] = number
                for end in range(3, len(form)):
                    prefixes.setdefault(form[:end], set()).add(number)
    table = {prefix: numbers.pop() for prefix, numbers in prefixes.items() if len(numbers) == 1}
    table.update(full)  # a full name wins over a prefix ("mart" is March, not a prefix of "martie")
    return table


MONTHS: dict[str, int] = _build()


def month_number(word: str) -> int | None:
    """1–12 for a month name or abbreviation in any language of the table, else None."""
    return MONTHS.get(word.lower().rstrip(".")) or MONTHS.get(_fold(word))
