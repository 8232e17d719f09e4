"""Deterministic multilingual news text: story topics, titles, body plans, names, slugs.

A story's topic and body plan come from one `random.Random` seeded by (site seed, story index), so
every language version of a story renders the same plan: the versions are translations of each
other, and a page can be regenerated on request without storing any text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from random import Random
from typing import TypeVar

from replica import lexicon
from replica.lexicon import Entity
from replica.phrases import CAPTIONS, COMMENTS, SENTENCES, TITLES, Template

Numbers = dict[str, float | int]

# Az ordinal suffix after a year, by last digit ("2019-cu ildə", "2023-cü ildə"); 0 is for 2020.
_AZ_YEAR_SUFFIX = {0: "ci", 1: "ci", 2: "ci", 3: "cü", 4: "cü", 5: "ci", 6: "cı", 7: "ci", 8: "ci", 9: "cu"}

_TRANSLIT = str.maketrans({
    "ə": "e", "ş": "s", "ç": "c", "ğ": "g", "ö": "o", "ü": "u", "ı": "i", "İ": "i",
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
})


_NON_SLUG = re.compile(r"[^a-z0-9]+")


def mix(*parts: int) -> int:
    """One integer seed from several, stable across processes (unlike hash())."""
    acc = 0
    for part in parts:
        acc = acc * 1_000_003 + part
    return acc


@lru_cache(maxsize=65536)  # generated titles repeat a lot
def slugify(text: str, limit: int = 90) -> str:
    """ASCII URL slug: Azerbaijani letters folded, Cyrillic transliterated, cut at a word boundary."""
    folded = text.lower()
    if not folded.isascii():
        folded = text.replace("İ", "i").lower().translate(_TRANSLIT)
    slug = _NON_SLUG.sub("-", folded).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "news"


def capitalize(text: str, lang: str) -> str:
    """Upper-case the first letter, looking past opening quotes; Azerbaijani i becomes İ."""
    for pos, char in enumerate(text):
        if char in "“«\"'(":
            continue
        if char.islower():
            upper = "İ" if (char == "i" and lang == "az") else char.upper()
            return text[:pos] + upper + text[pos + 1:]
        return text
    return text


def format_number(value: float | int, lang: str) -> str:
    if isinstance(value, int):
        return str(value)
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text if lang == "en" else text.replace(".", ",")


def year_phrase(year: int, lang: str) -> str:
    if lang == "az":
        return f"{year}-{_AZ_YEAR_SUFFIX[year % 10]} ildə"
    return f"in {year}" if lang == "en" else f"в {year} году"


T = TypeVar("T")


def pick(rng: Random, items: Sequence[T]) -> T:
    """rng.choice, about three times faster (it matters when building 100k articles)."""
    return items[int(rng.random() * len(items))]


def between(rng: Random, low: int, high: int) -> int:
    """An int in [low, high), like rng.randrange but faster."""
    return low + int(rng.random() * (high - low))


def draw_numbers(rng: Random, year: int) -> Numbers:
    """Fresh numbers for one sentence; `yr` is an earlier year."""
    return {
        "n": between(rng, 5, 250) / 10, "r": between(rng, 20, 39) / 4, "m": between(rng, 50, 4000),
        "k": between(rng, 5, 21), "big": between(rng, 100, 400), "w": between(rng, 500, 1200),
        "p2": between(rng, 20, 81), "yr": year - between(rng, 1, 5),
    }


def _person(first: tuple[str, str, str, str], surname: tuple[str, str, str],
            prof: tuple[str, str, str]) -> Entity:
    sex = first[0]
    forms = lexicon.gendered(sex)
    for i, lang in enumerate(lexicon.LANGS):
        last = surname[i]
        if sex == "f" and last.endswith(("ov", "ev", "ов", "ев")):
            last += "а" if lang == "ru" else "a"
        forms[lang].update(name=f"{first[i + 1]} {last}", prof=prof[i])
    return forms


# Every invented person (about 2,000), built once: picking one is then a single draw.
_PEOPLE: list[Entity] = [
    _person(first, surname, prof)
    for first in lexicon.FIRST_NAMES for surname in lexicon.SURNAMES for prof in lexicon.PROFESSIONS
]


def invented_person(rng: Random) -> Entity:
    """A made-up Azerbaijani name (with a profession) in az/en/ru spellings."""
    return pick(rng, _PEOPLE)


@dataclass(frozen=True)
class Topic:
    """What a story is about: its entities, title template and layout choices shared by translations."""

    family: str
    year: int
    slots: dict[str, Entity]
    title: Template
    title_numbers: Numbers
    paragraphs: int
    dateline: Entity | None
    strong_lead: bool


def make_topic(rng: Random, family: str, year: int) -> Topic:
    slots: dict[str, Entity] = {
        "off": pick(rng, lexicon.OFFICIALS), "fo": pick(rng, lexicon.FOREIGN_LEADERS),
        "exp": invented_person(rng), "exp2": invented_person(rng), "c": pick(rng, lexicon.COUNTRIES),
        "pl": pick(rng, lexicon.PLACES), "org": pick(rng, lexicon.ORGS), "tp": pick(rng, lexicon.TOPICS),
        "cm": pick(rng, lexicon.COMMODITIES),
    }
    dateline = None
    if rng.random() < 0.6:
        dateline = lexicon.CAPITAL if rng.random() < 0.85 else slots["pl"]
    return Topic(
        family=family, year=year, slots=slots, title=pick(rng, TITLES[family]),
        title_numbers=draw_numbers(rng, year), paragraphs=between(rng, 3, 13), dateline=dateline,
        strong_lead=rng.random() < 0.15,
    )


class _Values(dict[str, object]):
    """Template values; numbers are formatted only when a template asks for them (build speed)."""

    def __init__(self, lang: str, slots: dict[str, Entity], numbers: Numbers) -> None:
        super().__init__()
        self.lang, self.slots, self.numbers = lang, slots, numbers

    def __missing__(self, name: str) -> object:
        if name in self.slots:
            return self.slots[name][self.lang]
        value = self.numbers[name]
        return year_phrase(int(value), self.lang) if name == "yr" else format_number(value, self.lang)


def render(template: Template, lang: str, slots: dict[str, Entity], numbers: Numbers) -> str:
    """Fill a template for one language and capitalise it."""
    return capitalize(template[lang].format_map(_Values(lang, slots, numbers)), lang)


def title_for(topic: Topic, lang: str) -> str:
    return render(topic.title, lang, topic.slots, topic.title_numbers)


@dataclass(frozen=True)
class Sentence:
    template: Template
    numbers: Numbers
    strong: bool = False


def body_plan(rng: Random, topic: Topic, langs: tuple[str, ...]) -> list[list[Sentence]]:
    """Paragraphs of sentences; each template exists in every language the story is published in."""
    own = [tpl for tpl in SENTENCES[topic.family] if all(x in tpl for x in langs)]
    pool = own + [tpl for tpl in SENTENCES["generic"] if all(x in tpl for x in langs)]
    rng.shuffle(pool)
    # The lead sentence comes from the story's own family, not from the generic filler.
    lead = next(i for i, tpl in enumerate(pool) if tpl in own)
    pool.insert(0, pool.pop(lead))
    plan: list[list[Sentence]] = []
    cursor = 0
    for p in range(topic.paragraphs):
        sentences: list[Sentence] = []
        for _ in range(rng.randint(1, 3)):
            strong = topic.strong_lead and p == 0 and not sentences
            sentences.append(Sentence(pool[cursor % len(pool)], draw_numbers(rng, topic.year), strong))
            cursor += 1
        plan.append(sentences)
    return plan


def caption_texts(rng: Random, topic: Topic, lang: str, count: int) -> list[str]:
    """Distinct captions: two images of one article never share a caption."""
    return [render(tpl, lang, topic.slots, {}) for tpl in rng.sample(CAPTIONS, count)]


def comment_text(rng: Random, topic: Topic, lang: str) -> str:
    count = 1 if rng.random() < 0.7 else 2
    return " ".join(render(tpl, lang, topic.slots, {}) for tpl in rng.sample(COMMENTS, count))


def commenter(rng: Random, lang: str) -> str:
    """A commenter's display name: full name, first name + initial, or a nickname."""
    roll = rng.random()
    if roll < 0.2:
        return rng.choice(lexicon.NICKNAMES)
    name = invented_person(rng)[lang]["name"]
    if roll < 0.5:
        first, last = name.split(" ", 1)
        return f"{first} {last[0]}."
    return name
