"""The comments set: hand-written pages whose reader comments the markup never names "comment", or
names but cuts badly (``fixtures/comments/pages/<case>/page.html`` with ``expected.json``).

Issue 16: on pages nobody here had seen, the comment lists we missed were signed blocks ("Posted by
NAME on TIME", "NAME | DATE") under a heading such as "Have your say" or "Your views", ``<b>Name</b>
<br>text<hr>`` runs, items with ids like ``com12``; and lists we found but cut wrong (a wrapper that
also holds the reply form, a single comment, text and signature in sibling elements, a "Reply" link
at each item's end). Each case says when it was written: ``before`` the extractor was changed for
these patterns, or ``after`` it (from other markup, to see how the change holds); ``blind3``,
``blind3b``, ``blind4``, ``blind4b``, ``blind5``, ``blind5b``, ``blind6`` and ``blind6b`` were written
blind (bench/README.md, "Comments, blind parts"), each page naming the markup family it follows in
``family``. Pages without comments (``[]``) hold the look-alikes: teasers signed "By NAME | DATE",
an interview's bold names, a live blog's stamped updates.

Measures (printed for each part): comment word F1 on pages with comments (the dragnet scorer's, on
comments shaped as :mod:`scrapers.parsers.evaluation` gives them), comments exactly right (author,
text and parent), false alarms on pages without comments, and pages whose body holds a comment.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pytest

from scrapers.parsers import Article, parse_article
from tests.set_report import part_lines

SET = Path(__file__).parent / "fixtures" / "comments" / "pages"
CASES = sorted(p.parent for p in SET.glob("*/expected.json"))
# Before issue 16's change the 14 pages written first scored F1 0.162, 3 of 32 comments exact, and
# 6 bodies held comments; the 7 written after the first change scored F1 0.795, 9 of 12 exact, one
# false alarm (the events agenda, still one: venues and times look like names and dates). The body
# (not this module's) still holds comments on 9 pages: 3 once it skips comment_runs.comment_blocks.
#
# blind3 (32 pages, written before any change of that round, from the comment systems as they are
# saved in a page: WordPress classic/block/Jetpack, rendered Disqus, Livefyre, Viafoura, OpenWeb,
# Coral, Discourse, Blogger old and new, Drupal 7/9, Joomla JComments, DLE, phpBB, vBulletin, tables,
# schema.org microdata, flat lists threaded by data-parent-id or depth classes, in eight languages;
# 9 look-alikes) scored on the code before that round: F1 0.671, 17 of 59 comments exact, 1 false
# alarm of 9, 4 bodies holding comments; after it: F1 0.986, 53 of 59 exact, 1 false alarm (a
# guestbook-like block of signed thanks), 4 bodies. blind3b (8 pages of other families, written
# after that change and measured before any fix for them): F1 0.736, 5 of 17 exact, 2 false alarms
# of 2 (main: F1 0.780, 3 of 17); after fixing: F1 0.817, 11 of 17, 1 false alarm (a live blog
# signed by three reporters).
#
# blind4 (32 pages written before any change of the next round: 23 with comments in families the set
# did not hold (Hypercomments, Cackle, Komento, LiveJournal, Dreamwidth, XenForo, old Reddit,
# wpDiscuz, Commento, Isso, a Guardian-like and a Zeit-like discussion, Substack, TYPO3 tx_comments,
# Bitrix forum reviews, a Facebook plugin's fallback list, CSS-in-JS hashed classes, tables, a
# guestbook) in twelve languages, and 9 look-alikes: a live ticker, an interview, a letters page, an
# author box with signed thanks, shop reviews, embedded tweets, related cards, forum teasers, a
# closed thread) scored on main: F1 0.740, 29 of 66 exact, 2 false alarms, 4 bodies; after that
# round: F1 0.972, 51 of 66, no false alarm, 4 bodies (blind3b went 0.817 -> 0.984 on the way: its
# Czech dates). blind4b (9 pages of other families: vBulletin 4, Invision, TypePad, Slovak, a
# Medium-like hashed list, bare HTML5, sözlük entries; 2 look-alikes), written after those changes
# and measured before any fix for them: F1 0.714, 14 of 19 exact, no false alarm (main: F1 0.568,
# 8 of 19); after fixing: F1 1.000, 19 of 19.
#
# blind5 (20 pages written before any change of the next round: 13 with comments in families the set
# did not hold (Hyvor Talk, Remark42, Simple Machines Forum, uCoz, FC2, WordPress Genesis, Drupal 10
# Olivero, webmentions, phpBB 2 subSilver, Hungarian, Azerbaijani, Romanian and Greek sites in their
# own class words, with moderators' stubs signed and unsigned), 7 look-alikes (a podcast transcript, a
# match's live commentary, a quote carousel, authors' bios, an empty reply form beside a Recent
# Comments widget, Instagram and Facebook embeds, an FAQ)) scored on main: F1 0.813, 21 of 36 exact,
# 1 false alarm, 5 bodies; after that round: F1 0.842, 29 of 36, no false alarm, 5 bodies (the two
# forum pages, SMF and phpBB 2, still give nothing). blind5b (8 pages written after those changes:
# Squarespace, Wix's data-hook parts, a VK widget, Uzbek 'Izohlar', Polish and Czech removal notices;
# a corrections box and a conference programme), measured before any fix for them: F1 0.975, 11 of
# 17 exact, 1 false alarm of 2 (main: the same); after fixing: F1 0.979, 16 of 17, 1 false alarm (the
# corrections box: signed, dated entries after a heading), the Czech "smazán administrátorem" stub
# still a comment.
#
# blind6 (22 pages written before any change of the next round: 16 with comments in families the set
# did not hold (Dotclear's dt/dd list, Serendipity, PunBB posts, Commentics, Jekyll Staticman,
# Tailwind utility classes, WordPress Astra, LiveStreet, Tistory, a Menéame-like aggregator, a bare
# Azerbaijani list, Bulgarian transliterated classes, an old table guestbook, a Q&A page's answers,
# Turkish abbreviated classes threaded by data-parent-id, Ukrainian JSON-LD comments) in eleven
# languages, 6 look-alikes (a press review, football ratings, a changelog with "No comments yet",
# officials' pull quotes, a review-summary widget, a dated chronology)) scored on main: F1 0.766,
# 20 of 47 exact, no false alarm, 4 bodies; after that round: F1 0.977, 32 of 47, no false alarm,
# 4 bodies. blind6b (8 pages written after those changes: MyBB, Joomla K2, Vanilla embedded, Czech
# nested replies, Arabic; readers' questions answered in the article, a revision history, a jury's
# quotes), measured before any fix for them: F1 0.921, 12 of 21 exact, no false alarm (main: the
# same); after fixing: F1 0.994, 19 of 21, no false alarm.
BARS = {
    "before+after": {"f1": 0.95, "exact": 0.95, "false_alarms": 1, "body_leaks": 9},
    "blind3": {"f1": 0.98, "exact": 0.89, "false_alarms": 1, "body_leaks": 4},
    "blind3b": {"f1": 0.97, "exact": 0.76, "false_alarms": 1, "body_leaks": 0},
    "blind4": {"f1": 0.96, "exact": 0.75, "false_alarms": 0, "body_leaks": 4},
    "blind4b": {"f1": 0.99, "exact": 0.94, "false_alarms": 0, "body_leaks": 3},
    "blind5": {"f1": 0.84, "exact": 0.80, "false_alarms": 0, "body_leaks": 5},
    "blind5b": {"f1": 0.97, "exact": 0.94, "false_alarms": 1, "body_leaks": 2},
    "blind6": {"f1": 0.97, "exact": 0.66, "false_alarms": 0, "body_leaks": 4},
    "blind6b": {"f1": 0.99, "exact": 0.90, "false_alarms": 0, "body_leaks": 2},
}
PARTS = ("before", "after", "blind3", "blind3b", "blind4", "blind4b", "blind5", "blind5b", "blind6", "blind6b")


@dataclass(frozen=True)
class Result:
    name: str
    written: str
    f1: float | None  # None: a page without comments
    exact: tuple[int, int]  # (comments exactly right, comments expected)
    false_alarm: bool
    body_leak: bool


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def word_f1(got: str, want: str) -> float:
    got_words, want_words = _words(got), _words(want)
    common = sum((got_words & want_words).values())
    if not common:
        return 1.0 if not got_words and not want_words else 0.0
    precision, recall = common / sum(got_words.values()), common / sum(want_words.values())
    return 2 * precision * recall / (precision + recall)


def _shown(comment: dict[str, Any]) -> str:
    head = " ".join(part for part in (comment["author"], comment["published_raw"]) if part)
    return f"{head}\n{comment['text']}" if head else comment["text"]


def _threads(article: Article) -> list[tuple[str | None, str, int | None]]:
    index = {c.comment_id: n for n, c in enumerate(article.comments)}
    return [(c.author, c.text, index.get(c.parent_id or "")) for c in article.comments]


def evaluate(case: Path) -> Result:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    article = parse_article((case / "page.html").read_bytes(), expected["url"])
    want = expected["comments"]
    got = _threads(article)
    wanted = [(c["author"], c["text"], c["parent"]) for c in want]
    exact = sum(1 for n, item in enumerate(wanted) if n < len(got) and got[n] == item)
    leak = any(c["text"].split("\n")[0] in article.body for c in want)
    f1 = word_f1("\n".join(_shown(asdict(c)) for c in article.comments), "\n".join(map(_shown, want))) if want else None
    return Result(case.name, expected["written"], f1, (exact, len(want)), not want and bool(got), leak)


def summary(results: list[Result]) -> dict[str, float]:
    with_comments = [r for r in results if r.f1 is not None]
    return {
        "pages": len(results),
        "f1": sum(r.f1 or 0.0 for r in with_comments) / max(1, len(with_comments)),
        "exact": sum(r.exact[0] for r in results) / max(1, sum(r.exact[1] for r in results)),
        "false_alarms": sum(r.false_alarm for r in results),
        "body_leaks": sum(r.body_leak for r in results),
    }


def test_the_set_has_pages_of_each_kind() -> None:
    written = Counter(json.loads((c / "expected.json").read_text())["written"] for c in CASES)
    assert written["before"] >= 12
    assert written["blind3"] >= 25 and written["blind3b"] >= 5  # the blind parts (module docstring)
    assert written["blind4"] >= 25 and written["blind4b"] >= 5
    assert written["blind5"] >= 15 and written["blind5b"] >= 5
    assert written["blind6"] >= 15 and written["blind6b"] >= 5
    assert sum(1 for c in CASES if not json.loads((c / "expected.json").read_text())["comments"]) >= 3


def test_scores_over_the_set(capsys: pytest.CaptureFixture[str]) -> None:
    results = [evaluate(case) for case in CASES]
    parts = {"all": results, **{w: [r for r in results if r.written == w] for w in PARTS}}
    with capsys.disabled():
        print(f"\ncomments set: {len(results)} pages\n" + part_lines(parts, summary, 7))
        for r in results:
            f1 = "-" if r.f1 is None else f"{r.f1:.3f}"
            flags = (" FALSE ALARM" if r.false_alarm else "") + (" BODY LEAK" if r.body_leak else "")
            print(f"    {r.name:<34} {r.written:<7} f1 {f1} exact {r.exact[0]}/{r.exact[1]}{flags}")
    for part, bars in BARS.items():
        figures = summary([r for r in results if r.written in part.split("+")])
        assert figures["f1"] >= bars["f1"] and figures["exact"] >= bars["exact"], (part, figures)
        assert figures["false_alarms"] <= bars["false_alarms"], (part, figures)
        assert figures["body_leaks"] <= bars["body_leaks"], (part, figures)
