"""Search on a real archive: the turan spider crawls the replica once, then every query form,
filter and language case is checked against hits computed from the replica's ground truth.

The expected hits are found with plain regular expressions over the ground truth's text, never
with the search code: each test spells out which word forms a query must find.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from archive.errors import QueryError
from archive.search import Filters, count, facets, search
from archive.store import Archive
from newsarchive.cli import main
from replica.server import running_replica
from tests.conftest import newsarchive

pytestmark = pytest.mark.crawl  # every test here starts a real crawl (or a browser)

ARTICLES = 200
ALL = 10_000  # a limit above the number of articles: every hit
FIELDS = ("title", "body", "captions", "comments", "author")

# The word forms each query must find, per language of the text (case-insensitive, whole words).
ALIYEV = {
    "en": r"Aliyev",
    "az": r"[ƏAE]liyev",  # Əliyev, and its spellings without ə
    "ru": r"Алиев(?:а|у|ым|ой|е)?",  # Russian case endings (stemmed, the surname kept)
}
PUTIN = {"en": r"Putin", "az": r"Putin", "ru": r"Путин(?:а|у|ым|ом|е)?"}
TALK = {"en": r"talk(?:s|ed|ing)?"}
NEGOTIATIONS_RU = {"ru": r"переговор(?:ы|ов|ам|ами|ах|а|е|у|ом)?"}
ILHAM_ALIYEV = {"en": r"Ilham\s+Aliyev", "az": r"İlham\s+Əliyev", "ru": r"Ильхам(?:а|у|ом)?\s+Алиев\w*"}


@dataclass
class Crawled:
    db: Path
    truth: list[dict[str, Any]]
    archive: Archive

    def fields(self, t: dict[str, Any]) -> dict[str, str]:
        return {
            "title": t["title"] or "",
            "body": t["body"],
            "captions": "\n".join(c["text"] for c in t["captions"]),
            "comments": "\n".join(c["text"] for c in t["comments"]),
            "author": "\n".join(t["authors"]),
        }

    def having(
        self,
        forms: dict[str, str],
        fields: tuple[str, ...] = FIELDS,
        where: Callable[[dict[str, Any]], bool] | None = None,
    ) -> set[str]:
        """URLs of the articles whose `fields` hold one of `forms` for their language."""
        out = set()
        for t in self.truth:
            pattern = forms.get(t["language"])
            if pattern is None or (where is not None and not where(t)):
                continue
            regex = re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)
            texts = self.fields(t)
            if any(regex.search(texts[f]) for f in fields):
                out.add(t["url"])
        return out


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    db = tmp_path_factory.mktemp("search") / "archive.db"
    with running_replica(articles=ARTICLES, seed=7) as base:
        result = newsarchive("crawl", "turan", "--base-url", base, "--db", str(db))
        assert result.returncode == 0, result.stdout + result.stderr
        truth = list(base.site.ground_truth(base))
    with Archive.open(db, create=False, readonly=True) as archive:
        yield Crawled(db, truth, archive)


def urls(hits: list[Any]) -> set[str]:
    return {h.url for h in hits}


def found(crawled: Crawled, query: str, **kwargs: Any) -> set[str]:
    return urls(search(crawled.archive, query, Filters(**kwargs), limit=ALL))


def test_the_replica_has_what_the_cases_need(crawled: Crawled) -> None:
    for forms in (ALIYEV, PUTIN):
        for lang in ("en", "az", "ru"):
            assert crawled.having({lang: forms[lang]}), (forms, lang)
    assert crawled.having(TALK) and crawled.having(NEGOTIATIONS_RU)
    assert any(t["comments"] for t in crawled.truth) and any(t["captions"] for t in crawled.truth)


# --- language-aware matching ------------------------------------------------------------------


def test_aliyev_finds_the_azerbaijani_english_and_russian_spellings(crawled: Crawled) -> None:
    expected = crawled.having(ALIYEV)
    assert found(crawled, "Aliyev") == expected
    assert found(crawled, "Əliyev") == expected
    assert found(crawled, "Алиев") == expected
    langs = {t["language"] for t in crawled.truth if t["url"] in expected}
    assert langs == {"az", "en", "ru"}


def test_azerbaijani_letters_fold_to_plain_latin(crawled: Crawled) -> None:
    # Typed without ə: finds Əliyev (Azerbaijani texts), not the English Aliyev.
    assert found(crawled, "Eliyev") == crawled.having({"az": ALIYEV["az"]})
    word = "müzakirələrə"
    expected = crawled.having({"az": word})
    assert expected
    assert found(crawled, "muzakirelere") == expected
    assert found(crawled, "MÜZAKİRƏLƏRƏ") == expected


def test_russian_and_english_word_forms_match_their_stems(crawled: Crawled) -> None:
    # The replica writes "Переговоры"; any other case form finds it.
    expected = crawled.having(NEGOTIATIONS_RU)
    assert expected
    for form in ("переговорах", "переговоры", "переговоров", "Переговорами"):
        assert found(crawled, form) == expected, form
    assert found(crawled, "talking") == crawled.having(TALK) == found(crawled, "talk")


def test_latin_query_finds_the_cyrillic_spelling(crawled: Crawled) -> None:
    expected = crawled.having(PUTIN)
    assert found(crawled, "Putin") == expected == found(crawled, "Путин")
    ru_only = crawled.having({"ru": PUTIN["ru"]})
    assert ru_only and ru_only <= expected


# --- query forms ------------------------------------------------------------------------------


def test_phrases(crawled: Crawled) -> None:
    expected = crawled.having(ILHAM_ALIYEV)
    assert expected
    assert found(crawled, '"Ilham Aliyev"') == expected
    assert found(crawled, '"Aliyev Ilham"') == crawled.having(
        {"en": r"Aliyev\s+Ilham", "az": r"Əliyev\s+İlham", "ru": r"Алиев\w*\s+Ильхам\w*"}
    )


def test_prefix(crawled: Crawled) -> None:
    expected = crawled.having({"en": r"talk\w*", "az": r"talk\w*", "ru": r"talk\w*"})
    assert found(crawled, "tal*") >= expected
    assert found(crawled, "talk*") == expected
    assert found(crawled, "переговор*") == crawled.having({"ru": r"переговор\w*"})


def test_and_or_not(crawled: Crawled) -> None:
    aliyev, putin = crawled.having(ALIYEV), crawled.having(PUTIN)
    assert found(crawled, "Aliyev Putin") == aliyev & putin == found(crawled, "Aliyev AND Putin")
    assert found(crawled, "Aliyev OR Putin") == aliyev | putin
    assert found(crawled, "Aliyev NOT Putin") == aliyev - putin == found(crawled, "Aliyev -Putin")
    talk = crawled.having(TALK)
    assert found(crawled, "(Aliyev OR Putin) NOT talks") == (aliyev | putin) - talk
    assert found(crawled, "talks (Aliyev OR Putin)") == talk & (aliyev | putin)


@pytest.mark.parametrize("field", FIELDS)
def test_field_scopes(crawled: Crawled, field: str) -> None:
    forms = ALIYEV
    expected = crawled.having(forms, fields=(field,))
    assert found(crawled, f"{field}:Aliyev") == expected
    assert found(crawled, f'{field}:"Aliyev"') == expected


def test_field_scopes_on_an_author_and_a_group(crawled: Crawled) -> None:
    name = next(a for t in crawled.truth for a in t["authors"] if t["language"] == "en")
    expected = {t["url"] for t in crawled.truth if name in t["authors"]}
    assert found(crawled, f'author:"{name}"') == expected
    assert found(crawled, "", author=name) == expected
    title = crawled.having(ALIYEV, fields=("title",)) | crawled.having(PUTIN, fields=("title",))
    assert found(crawled, "title:(Aliyev OR Putin)") == title


# --- filters and sorting ----------------------------------------------------------------------


def test_filters(crawled: Crawled) -> None:
    both = {**ALIYEV}
    assert found(crawled, "Aliyev", lang="ru") == crawled.having(both, where=lambda t: t["language"] == "ru")
    assert found(crawled, "Aliyev", site="turan") == crawled.having(both)
    assert found(crawled, "Aliyev", site="elsewhere") == set()
    section = "politics"
    assert found(crawled, "Aliyev", section=section) == crawled.having(both, where=lambda t: t["section"] == section)
    assert found(crawled, "Aliyev", since="2023") == crawled.having(both, where=lambda t: t["published"] >= "2023")
    assert found(crawled, "Aliyev", until="2022-06") == crawled.having(
        both, where=lambda t: t["published"][:7] <= "2022-06"
    )
    assert found(crawled, "Aliyev", since="2021-03-01", until="2023-12-31") == crawled.having(
        both, where=lambda t: "2021-03-01" <= t["published"][:10] <= "2023-12-31"
    )
    assert found(crawled, "Aliyev", has_comments=True) == crawled.having(both, where=lambda t: bool(t["comments"]))
    author = next(a for t in crawled.truth for a in t["authors"])
    assert found(crawled, "Aliyev OR Putin OR talks", author=author) == crawled.having(
        {**ALIYEV, "en": "Aliyev|Putin|talks?"}, where=lambda t: author in t["authors"]
    ) | crawled.having(PUTIN, where=lambda t: author in t["authors"])


def test_sort_by_relevance_and_by_date(crawled: Crawled) -> None:
    hits = search(crawled.archive, "Aliyev", limit=ALL)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    in_title = crawled.having(ALIYEV, fields=("title",))
    # bm25 with the title weighted 10 to 1: the best hit says it in its title, and title hits
    # crowd the first half (bm25 saturates, so a short article saying it often can come between).
    assert hits[0].url in in_title
    half = len(hits) // 2
    assert sum(h.url in in_title for h in hits[:half]) > 2 * sum(h.url in in_title for h in hits[half:])
    dated = search(crawled.archive, "Aliyev", limit=ALL, sort="date")
    assert urls(dated) == urls(hits)
    published = [h.published for h in dated]
    assert published == sorted(published, reverse=True)
    page = search(crawled.archive, "Aliyev", limit=3, offset=2, sort="date")
    assert [h.id for h in page] == [h.id for h in dated[2:5]]


def test_count_and_facets(crawled: Crawled) -> None:
    expected = [t for t in crawled.truth if t["url"] in crawled.having(ALIYEV)]
    assert count(crawled.archive, "Aliyev") == len(expected)
    got = facets(crawled.archive, "Aliyev")
    for name, key in (("year", lambda t: t["published"][:4]), ("section", lambda t: t["section"]),
                      ("language", lambda t: t["language"])):
        counts: dict[str, int] = {}
        for t in expected:
            counts[key(t)] = counts.get(key(t), 0) + 1
        assert got[name] == counts, name
    assert count(crawled.archive, "Aliyev", Filters(lang="en")) == len(crawled.having({"en": ALIYEV["en"]}))


# --- snippets, comments and captions ----------------------------------------------------------


def test_snippets_mark_the_matching_spellings(crawled: Crawled) -> None:
    spelling = re.compile(rf"(?:{'|'.join(ALIYEV.values())})", re.IGNORECASE)
    hits = search(crawled.archive, "Aliyev", limit=ALL)
    marked = 0
    for hit in hits:
        for start, end in hit.highlights:
            assert spelling.fullmatch(hit.snippet[start:end]), (hit.url, hit.snippet[start:end])
            marked += 1
        for start, end in hit.title_highlights:
            assert spelling.fullmatch((hit.title or "")[start:end])
        assert len(hit.snippet) < 400 and "\n" not in hit.snippet
    assert marked >= len(hits) - 2  # a title-only match may show an unmarked lead


def test_comments_alone(crawled: Crawled) -> None:
    word = re.compile(r"(?<!\w)objectively(?!\w)", re.IGNORECASE)
    expected = {(t["url"], c["comment_id"]) for t in crawled.truth for c in t["comments"] if word.search(c["text"])}
    assert expected
    hits = search(crawled.archive, "objectively", target="comments", limit=ALL)
    assert {(h.article_url, h.comment_id) for h in hits} == expected
    assert all(h.snippet[slice(*h.highlights[0])].lower() == "objectively" for h in hits)
    # the same comments make their articles match, in the comments field
    assert found(crawled, "comments:objectively") == {url for url, _ in expected}


def test_captions_alone(crawled: Crawled) -> None:
    # English "platform(s)" and, transliterated, Russian "платформа" in any case form.
    word = re.compile(r"(?<!\w)(?:platforms?|платформ(?:а|ы|у|е|ой|ам|ами|ах)?)(?!\w)", re.IGNORECASE)
    expected = {(t["url"], c["text"]) for t in crawled.truth for c in t["captions"] if word.search(c["text"])}
    assert expected
    hits = search(crawled.archive, "platform", target="captions", limit=ALL)
    assert {(h.article_url, h.snippet) for h in hits} == expected
    assert all(h.image_url for h in hits)


# --- malformed queries ------------------------------------------------------------------------

MALFORMED = {
    "": "empty search query",
    '"Ilham Aliyev': "unclosed quote",
    "(Aliyev OR Putin": "unclosed '('",
    "Aliyev)": "",  # fine: a ')' inside a word is a character
    ")": "has no '(' to close",
    "Aliyev OR": "needs a search term on each side",
    "AND Aliyev": "needs a search term on each side",
    "Aliyev AND AND Putin": "needs a search term on each side",
    "NOT Aliyev": "needs something to search for first",
    "Aliyev OR NOT Putin": "cannot be one side of OR",
    "Aliyev NOT": "needs a search term after it",
    "nope:Aliyev": "unknown field 'nope:'",
    "title: Aliyev": "needs a word",
    "a*": "too short a prefix",
    "()": "empty group",
    "* ; -": "nothing to search for",
}


@pytest.mark.parametrize(("query", "message"), MALFORMED.items())
def test_malformed_queries_say_what_is_wrong_in_one_line(crawled: Crawled, query: str, message: str) -> None:
    if not message:
        assert found(crawled, query) == found(crawled, "Aliyev")
        return
    with pytest.raises(QueryError, match=re.escape(message)):
        search(crawled.archive, query)
    result = CliRunner().invoke(main, ["search", query, "--db", str(crawled.db)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Error: ") and message in line


def test_cli_search_options(crawled: Crawled) -> None:
    def run(*args: str) -> str:
        result = CliRunner().invoke(main, ["search", *args, "--db", str(crawled.db)])
        assert result.exit_code == 0, result.output
        return result.stdout

    expected = crawled.having(ALIYEV)
    assert run("Aliyev", "--count").strip() == str(len(expected))
    out = run("Aliyev", "--count", "--facets")
    assert "year:" in out and "language:" in out and "section:" in out
    import json

    data = json.loads(run("Aliyev", "--json", "--limit", "500", "--facets"))
    assert {r["url"] for r in data["results"]} == expected and data["count"] == len(expected)
    hit = data["results"][0]
    assert all(hit["snippet_text"][a:b] for a, b in hit["highlights"])
    assert "[" in hit["snippet"]
    coloured = run("Aliyev", "--color", "--limit", "2")
    assert "\x1b[" in coloured
    dated = json.loads(run("Aliyev", "--sort", "date", "--json", "--since", "2022", "--lang", "az"))
    assert all(r["language"] == "az" and r["published"] >= "2022" for r in dated["results"])
    comments = json.loads(run("objectively", "--in", "comments", "--json"))
    assert comments["results"] and all("comment_id" in r for r in comments["results"])
    captions = run("platform", "--captions")
    assert "caption" in captions
