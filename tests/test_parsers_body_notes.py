"""What closes a text written straight into its container (issue 16, body6): italic notes under a
closing rule, titled boxes after the last paragraph. (The third rule of body6, numbered posts that
carry their poster read as a thread, is held by the body set's ``smf21-forum-thema-de`` page.)

Each page is markup written here in the shape of a common pattern; each test fails when the rule it
names is taken out (or, for the guards, when the rule is widened past them).
"""

from __future__ import annotations

from scrapers.parsers import parse_article

URL = "https://notes.example/2024/03/reviewers/"
PARAS = [
    "When a manuscript arrives, an editor has to decide how many reviewers to invite. Many invite four "
    "or five, expecting some of them to decline the invitation within the first week.",
    "Manuscripts for which editors invited five or more reviewers waited a median of 19 weeks for a first "
    "decision, against 11 weeks for those with two or three, across all of the journals we studied.",
    "Journals could cut weeks from their turnaround simply by inviting fewer reviewers at first, and a "
    "third one only when the first two reports disagree on what should happen to the paper.",
]
NOTE = "This article gives the views of the authors, not the position of this blog. Please read our"
AFTERWORD = "Thanks to Ann for reading a draft of this post and for the many corrections she suggested."


def article(after: str) -> str:
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    return f"""<html lang="en"><head><title>Reviewers</title></head><body>
    <header><nav><a href="/">Home</a> <a href="/about/">About</a></nav></header>
    <main><article class="post"><h1>Peer review takes longer with more reviewers</h1>
    <div class="entry-content">{paras}{after}</div></article></main>
    <footer>Research Blog</footer></body></html>"""


def body(markup: str) -> str:
    return parse_article(markup, URL).body


def test_italic_notes_with_a_link_under_a_closing_rule_are_not_the_text() -> None:
    text = body(article(f'<hr><p><em>{NOTE} <a href="/policy/">comments policy</a>.</em></p>'))
    assert PARAS[-1] in text and NOTE not in text


def test_an_italic_line_without_a_link_under_the_rule_is_read() -> None:
    assert AFTERWORD in body(article(f"<hr><p><em>{AFTERWORD}</em></p>"))


def test_italic_notes_without_a_rule_before_them_are_read() -> None:
    assert NOTE in body(article(f'<p><em>{NOTE} <a href="/policy/">comments policy</a>.</em></p>'))


CITE = "Okafor, M. (2024). Peer review takes longer with more reviewers. Research Blog. Retrieved March 8."


def test_a_titled_box_after_the_last_paragraph_is_not_the_text() -> None:
    text = body(article(f'<div class="citation-box"><h4>Cite this post</h4><p>{CITE}</p></div>'))
    assert PARAS[-1] in text and CITE not in text


def test_a_box_without_a_title_after_the_last_paragraph_is_read() -> None:
    assert CITE in body(article(f'<div class="callout"><p>{CITE}</p></div>'))


def test_a_title_over_a_bare_block_is_read() -> None:
    assert CITE in body(article(f'<div class="panel"><h3>Cite this post</h3><div>{CITE}</div></div>'))
