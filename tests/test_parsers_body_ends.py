"""What closes an article or a thread, told by structure (issue 16, body5): the boxes after a marked
container's text block, a widget's own footer under its links, a thread of two numbered posts.

Each page is markup written here in the shape of a common pattern; each test fails when the rule it
names is taken out.
"""

from __future__ import annotations

from scrapers.parsers import parse_article

URL = "https://kreise.example/2023/11/akteneinsicht/"
PARAS = [
    "Im Oktober 2021 haben wir beim Landratsamt Einsicht in die Gutachten zur geplanten Umgehungsstraße "
    "beantragt. Nach dem Umweltinformationsgesetz hätte die Behörde innerhalb eines Monats antworten müssen.",
    "Stattdessen erhielten wir in den folgenden 24 Monaten elf Zwischennachrichten. Mal fehlte eine "
    "Stellungnahme des Straßenbauamts, mal mussten Betriebsgeheimnisse eines Planungsbüros geprüft werden.",
    "Erst nach unserer Untätigkeitsklage beim Verwaltungsgericht kamen im September die 340 Seiten. Sie "
    "zeigen, dass der Kreis schon 2020 wusste, dass die Trasse durch ein Wasserschutzgebiet führt.",
]
APPEAL = (
    "Offene Kreise finanziert sich fast ausschließlich aus Spenden. Mit 5 Euro im Monat hilfst du uns, "
    "weitere Recherchen wie diese möglich zu machen."
)
AUTHOR = "Jana Roth ist Redakteurin bei Offene Kreise und schreibt seit 2018 über Verwaltung und Transparenz."


def page(inside: str) -> str:
    return f"""<html lang="de"><head><title>Akteneinsicht</title></head><body>
    <header><nav><a href="/">Start</a> <a href="/themen/">Themen</a></nav></header>
    <main><article class="beitrag"><h1>Wie das Landratsamt die Akteneinsicht verschleppte</h1>
    <p class="beitrag__meta">02.11.2023 – Jana Roth</p>{inside}</article></main>
    <footer>Offene Kreise e.V.</footer></body></html>"""


def text_block(paras: list[str] = PARAS) -> str:
    return '<div class="beitrag__text">' + "".join(f"<p>{p}</p>" for p in paras) + "</div>"


def body(markup: str) -> str:
    return parse_article(markup.encode(), URL).body


APPEAL_BOX = (
    f'<div class="spendenaufruf"><h3>Unterstütze unsere Arbeit</h3><p>{APPEAL}</p>'
    '<a href="/spenden/">Jetzt spenden</a></div>'
)
AUTHOR_BOX = f'<div class="ueber-den-autor"><img src="/jana.jpg" alt=""><p>{AUTHOR}</p></div>'


def test_boxes_closing_the_container_after_its_text_are_not_the_article() -> None:
    text = body(page(text_block() + APPEAL_BOX + AUTHOR_BOX))
    assert PARAS[0][:60] in text and PARAS[-1][-60:] in text
    assert APPEAL[:60] not in text and AUTHOR[:60] not in text


def test_a_box_followed_by_more_of_the_text_is_read() -> None:
    """Text after the boxes at the container's level: they sit inside the article (a fact box)."""
    more = "<p>Wir veröffentlichen die Gutachten vollständig in unserem Dokumentenarchiv, mit dem Schriftverkehr.</p>"
    text = body(page(text_block() + AUTHOR_BOX + more))
    assert AUTHOR[:60] in text and "Dokumentenarchiv" in text


def test_a_closing_card_of_steps_is_the_articles() -> None:
    """A recipe's card after the story: its list of steps is content, whatever follows the text."""
    steps = "Die Kichererbsen mit Rosmarin zwanzig Minuten kochen"
    card = f'<div class="rezeptkarte"><h3>Zubereitung</h3><ol><li>{steps}.</li><li>Nudeln dazugeben.</li></ol></div>'
    text = body(page(text_block() + card))
    assert steps in text


def test_a_widgets_own_footer_does_not_keep_its_label() -> None:
    """A price box: a label, lines of links, and its own footer (named so): the label goes with the links."""
    widget = (
        '<div class="hawk-widget"><div class="hawk-widget-title">Die besten Angebote für den Q7</div>'
        '<div class="hawk-affiliate-item"><span>£399</span> <a href="https://clk.example/a">View at Amazon</a></div>'
        '<div class="hawk-affiliate-item"><span>£429.99</span> <a href="https://clk.example/b">View at Currys</a></div>'
        '<p class="hawk-widget-footer">We check over 250 million products every day for the best prices</p></div>'
    )
    inside = '<div class="beitrag__text">' + f"<p>{PARAS[0]}</p>{widget}<p>{PARAS[1]}</p><p>{PARAS[2]}</p></div>"
    text = body(page(inside))
    assert PARAS[2][:60] in text and "Die besten Angebote für den Q7" not in text


THREAD = """<html><head><title>Starter smells of acetone</title>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"DiscussionForumPosting",
"headline":"Starter smells of acetone"}}</script></head><body>
<main><h1>Starter smells of acetone</h1><a class="button" href="/reply">Reply to this topic</a>
<div id="comments" data-role="commentFeed">{posts}</div>
<div class="widget"><h3>Similar Content</h3><ul><li><a href="/t/1">Grey liquid on top of my starter</a>
<p>By bakerbob, November 2, 2023</p></li><li><a href="/t/2">Rye starter vs wheat starter</a>
<p>By flourpower, September 14, 2023</p></li><li><a href="/t/3">Feeding a starter while on holiday</a>
<p>By ovenmitt, August 30, 2023</p></li><li><a href="/t/4">Why is my loaf flat after the second rise?</a>
<p>By doughboy, July 2, 2023</p></li></ul></div>
<div class="forum-rules"><h3>Before you post</h3><p>{rules}</p></div></main></body></html>"""
RULES = "Please search the forum before you start a new topic, and keep to one question a topic: sellers are removed."
QUESTION = (
    "My rye starter is about three weeks old. It doubles within six hours of feeding, but lately it smells "
    "sharply of acetone when I open the jar in the morning. Is it dying, or just hungry?"
)
ANSWER = (
    "Just hungry. The acetone smell means the yeast has run out of food. Try feeding it twice a day, or "
    "switch to a bigger ratio so the flour lasts longer at that temperature."
)


def post(number: int, who: str, text: str) -> str:
    return (
        f'<article id="elComment_{number}" class="cPost ipsComment"><aside class="cAuthorPane"><b>{who}</b></aside>'
        f'<div class="ipsComment_content"><div data-role="commentContent"><p>{text}</p></div></div></article>'
    )


def test_a_thread_of_a_question_and_its_answer_in_a_comment_feed_is_its_posts() -> None:
    """A page that says it is a thread: its posts, listed in a block named for comments and numbered
    by the forum, are its text, even two of them; the page's other threads are not."""
    posts = post(772104, "crumbshot", QUESTION) + post(772130, "laura", ANSWER)
    text = body(THREAD.format(posts=posts, rules=RULES))
    assert QUESTION[:60] in text and ANSWER[-60:] in text
    assert "Grey liquid on top of my starter" not in text and "Reply to this topic" not in text
    assert RULES[:60] not in text
