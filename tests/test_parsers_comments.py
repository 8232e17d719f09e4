"""Comments: threads from the profile and from the common markups; none where there are none."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from scrapers.parsers import Comment, parse_article
from scrapers.parsers.comment_runs import comment_blocks
from scrapers.parsers.comment_signature import read_signature
from scrapers.parsers.parse import read_page
from scrapers.sites import load_profile

TURAN_URL = "https://turan.az/az/siyaset/x-700007"
PLUS4 = timezone(timedelta(hours=4))
PROSE = "<p>" + "Article text. " * 30 + "</p>"


def turan_comment(cid: int, author: str, date: str, text: str, replies: str = "") -> str:
    children = f'<ul class="children">{replies}</ul>' if replies else ""
    return (
        f'<li class="comment" id="comment-{cid}"><span class="cmauthor">{author}</span> '
        f'<span class="cmdate">{date}</span><div class="cmtext">{text}</div>'
        f'<a class="reply" href="#reviewform">Cavab ver</a>{children}</li>'
    )


def turan_page(comments: str) -> str:
    return f"""<html lang="az"><body><div class="article"><h1 class="captxt">T</h1>
    <div class="maincontent">{PROSE}</div><div class="reviews"><h3>Rəy yaz</h3>
    <ul class="comments">{comments}</ul><form class="reviewform"><textarea></textarea></form></div>
    </div></body></html>"""


def test_turan_thread_with_nested_replies_in_page_order() -> None:
    grandchild = turan_comment(13, "Könül", "24.04.2024 09:00", "Üçüncü")
    child = turan_comment(12, "Vali", "23.04.2024 17:00", "İkinci", grandchild)
    html = turan_page(
        turan_comment(11, "Ali", "23.04.2024 16:10", "Birinci", child)
        + turan_comment(14, "Rauf", "25.04.2024 10:00", "Dördüncü")
    )
    comments = parse_article(html, TURAN_URL, load_profile("turan")).comments
    assert [(c.comment_id, c.parent_id, c.author, c.text) for c in comments] == [
        ("11", None, "Ali", "Birinci"),
        ("12", "11", "Vali", "İkinci"),
        ("13", "12", "Könül", "Üçüncü"),
        ("14", None, "Rauf", "Dördüncü"),
    ]
    assert comments[0].published == datetime(2024, 4, 23, 16, 10, tzinfo=PLUS4)
    assert comments[0].published_raw == "23.04.2024 16:10"


def test_empty_comment_block_reports_no_comments() -> None:
    assert parse_article(turan_page(""), TURAN_URL, load_profile("turan")).comments == []


def test_comments_are_not_body_text() -> None:
    html = turan_page(turan_comment(11, "Ali", "23.04.2024 16:10", "Comment text"))
    assert "Comment text" not in parse_article(html, TURAN_URL, load_profile("turan")).body


WORDPRESS = f"""<html><body><article><div class="entry-content">{PROSE}</div></article>
<div id="comments" class="comments-area"><ol class="comment-list">
 <li id="comment-41" class="comment depth-1"><article id="div-comment-41" class="comment-body">
  <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Rauf</b>
   <span class="says">says:</span></div>
  <div class="comment-metadata"><a href="#comment-41">
   <time datetime="2023-05-14T11:02:00+00:00">May 14, 2023 at 11:02 am</time></a></div></footer>
  <div class="comment-content"><p>First!</p></div>
  <div class="reply"><a class="comment-reply-link">Reply</a></div></article>
  <ol class="children"><li id="comment-42" class="comment depth-2">
   <article id="div-comment-42" class="comment-body">
   <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Leyla</b></div>
   <div class="comment-metadata">
    <time datetime="2023-05-14T12:15:00+00:00">May 14, 2023 at 12:15 pm</time></div></footer>
   <div class="comment-content"><p>Second.</p><p>More.</p></div></article></li></ol>
 </li>
 <li id="comment-43" class="pingback"><div class="comment-body">Pingback: <a href="/x">Another blog</a></div></li>
</ol><div id="respond"><form id="commentform"><textarea></textarea></form></div></div></body></html>"""


def test_wordpress_threads_without_pingbacks() -> None:
    comments = parse_article(WORDPRESS, "https://blog.example/post").comments
    assert comments == [
        Comment("41", None, "Rauf", datetime(2023, 5, 14, 11, 2, tzinfo=UTC), "May 14, 2023 at 11:02 am", "First!"),
        Comment("42", "41", "Leyla", datetime(2023, 5, 14, 12, 15, tzinfo=UTC), "May 14, 2023 at 12:15 pm",
                "Second.\n\nMore."),
    ]  # fmt: skip
    assert "First!" not in parse_article(WORDPRESS, "https://blog.example/post").body


def test_definition_list_comments_pair_dt_and_dd() -> None:
    html = f"""<html><body><div class="post">{PROSE}</div><div id="comments"><dl id="comment_list">
    <dt class="comment" id="comment-7"><span class="comment_author">Chris</span>
      <span class="comment_time">07.15.12 at 11:59</span></dt>
    <dd class="comment"><p>The original Latin has another verb.</p></dd>
    <dt class="comment" id="comment-8"><span class="comment_author">John</span></dt>
    <dd class="comment"><p>Even if the language is poetic.</p></dd></dl></div></body></html>"""
    comments = parse_article(html, "https://blog.example/post").comments
    assert [(c.comment_id, c.author, c.text) for c in comments] == [
        ("7", "Chris", "The original Latin has another verb."),
        ("8", "John", "Even if the language is poetic."),
    ]


def test_schema_org_comment_microdata() -> None:
    html = f"""<html><body><article>{PROSE}</article><div class="talk">
    <div itemscope itemtype="https://schema.org/Comment"><span itemprop="author">Гость</span>
    <span itemprop="dateCreated" content="2022-11-03T15:20:00+04:00">3 ноября 2022, 15:20</span>
    <div itemprop="text">Обязательно сходим всей семьёй!</div></div></div></body></html>"""
    (comment,) = parse_article(html, "https://x.example/a").comments
    assert (comment.author, comment.published_raw, comment.text) == (
        "Гость",
        "3 ноября 2022, 15:20",
        "Обязательно сходим всей семьёй!",
    )
    assert comment.published == datetime(2022, 11, 3, 15, 20, tzinfo=PLUS4)


def test_jsonld_comments() -> None:
    data = {"@type": "BlogPosting", "comment": [{"@type": "Comment", "text": "Nice.", "author": {"name": "Ann"},
                                                 "dateCreated": "2024-01-02T10:00:00Z"}]}  # fmt: skip
    html = (
        f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head><body>{PROSE}</body></html>'
    )
    (comment,) = parse_article(html, "https://x.example/a").comments
    assert (comment.author, comment.text, comment.published) == ("Ann", "Nice.", datetime(2024, 1, 2, 10, tzinfo=UTC))


def test_repeated_blocks_of_a_comments_container() -> None:
    html = f"""<html><body><div class="story">{PROSE}</div><div id="discussion"><h3>Comments</h3>
    <div class="c"><b>ann</b><p>I think this is a fair summary of the debate.</p></div>
    <div class="c"><b>bob</b><p>Not sure the numbers add up, though.</p></div></div></body></html>"""
    texts = [c.text for c in parse_article(html, "https://x.example/a").comments]
    assert texts == [
        "ann\n\nI think this is a fair summary of the debate.",
        "bob\n\nNot sure the numbers add up, though.",
    ]


def test_no_false_alarms_on_pages_without_comments() -> None:
    html = f"""<html><body><article>{PROSE}</article>
    <div id="comments"><p>No comments yet.</p><form id="commentform"><textarea></textarea></form></div>
    <ul class="menu"><li class="comment"><a href="/comments">Comment</a></li></ul>
    <div class="comment-holder hide">
      <div class="comment">{{{{author}}}} wrote {{{{text}}}} at some time today</div></div>
    <aside class="widget recent-comments"><ul><li><a href="/u">Ann</a> on <a href="/p">A post about things</a></li>
    <li><a href="/u2">Bob</a> on <a href="/p2">Another post about things</a></li></ul></aside></body></html>"""
    assert parse_article(html, "https://x.example/a").comments == []


def test_disqus_static_markup() -> None:
    html = f"""<html><body><article>{PROSE}</article><div id="disqus_thread"><ul id="post-list">
    <li class="post" id="post-501"><div class="post-content">
      <div class="post-byline"><span class="author">kamran</span></div>
      <div class="post-meta"><time datetime="2024-02-01T08:00:00Z">Feb 1, 2024</time></div>
      <div class="post-message"><p>Good to see this covered.</p></div></div>
      <ul class="children"><li class="post" id="post-502"><div class="post-content">
        <div class="post-byline"><span class="author">leyla</span></div>
        <div class="post-message"><p>Agreed.</p></div></div></li></ul></li></ul></div></body></html>"""
    comments = parse_article(html, "https://x.example/a").comments
    assert [(c.author, c.parent_id is None, c.text) for c in comments] == [
        ("kamran", True, "Good to see this covered."),
        ("leyla", False, "Agreed."),
    ]
    assert comments[1].parent_id == comments[0].comment_id
    assert comments[0].published_raw == "Feb 1, 2024"


@pytest.mark.parametrize(
    ("line", "author", "raw"),
    [
        ("Posted by Tom Baker on March 4, 2013 at 10:14 AM", "Tom Baker", "March 4, 2013 at 10:14 AM"),
        ("Posted by: dearieme | August 08, 2012 at 07:16 AM", "dearieme", "August 08, 2012 at 07:16 AM"),
        ("Ann Lee | 12 March 2013 10:02", "Ann Lee", "12 March 2013 10:02"),
        ("Hans Meier schrieb am 24.07.2017 um 09:30", "Hans Meier", "24.07.2017 um 09:30"),
        ("Гость, 3 ноября 2022, 15:20", "Гость", "3 ноября 2022, 15:20"),
        ("Par Julien le 12/03/2013 à 14h05", "Julien", "12/03/2013 à 14h05"),
        ("March 4, 2013 by Tom", "Tom", "March 4, 2013"),
    ],
)
def test_signature_line_gives_name_and_date(line: str, author: str, raw: str) -> None:
    signature = read_signature(line, UTC)
    assert signature is not None and (signature.author, signature.raw) == (author, raw)


@pytest.mark.parametrize(
    "line", ["Nothing dated here at all", "A sentence that is much longer than any signature line " * 3 + "4.3.2013"]
)
def test_no_signature_without_a_date_or_in_long_text(line: str) -> None:
    assert read_signature(line, UTC) is None


SIGNED = """<div class="e"><p>{text}</p><p class="s">Posted by {name} on March {day}, 2013 at 10:14 AM</p></div>"""


def signed_page(heading: str, names: tuple[str, ...], texts: tuple[str, ...] = ()) -> str:
    texts = texts or tuple(f"Comment number {n} says something about the story." for n in range(len(names)))
    blocks = "".join(SIGNED.format(text=t, name=n, day=d) for d, (n, t) in enumerate(zip(names, texts, strict=True), 4))
    return f"<html><body><div class='story'>{PROSE}</div><div class='f'>{heading}{blocks}</div></body></html>"


def test_signed_blocks_after_a_heading_in_any_language_are_comments() -> None:
    html = signed_page("<h2>Ваше мнение</h2>", ("Tom", "Ann", "Rauf"))
    comments = parse_article(html, "https://x.example/a").comments
    assert [(c.author, c.text) for c in comments] == [
        ("Tom", "Comment number 0 says something about the story."),
        ("Ann", "Comment number 1 says something about the story."),
        ("Rauf", "Comment number 2 says something about the story."),
    ]
    assert comments[0].published == datetime(2013, 3, 4, 10, 14, tzinfo=UTC)
    assert [e.get("class") for e in comment_blocks(read_page(html, "https://x.example/a"))] == ["e", "e", "e"]


def test_signed_blocks_that_are_not_comments() -> None:
    url = "https://x.example/a"
    no_heading = signed_page("", ("Tom", "Ann", "Rauf"))
    one_desk = signed_page("<h2>Updates</h2>", ("Newsdesk", "Newsdesk", "Newsdesk"))
    excerpts = signed_page("<h2>Recent</h2>", ("Tom", "Ann"), ("One pro tip is the use of...", "Why humility is…"))
    assert parse_article(one_desk, url).comments == []
    assert parse_article(excerpts, url).comments == []
    assert parse_article(no_heading, url).comments == []
    assert parse_article(no_heading.replace("<div class='f'>", "<div class='f'><h3>Talk</h3>"), url).comments


def test_bold_names_are_comments_only_in_runs_ended_by_rules() -> None:
    run = "".join(f"<b>{n}</b><br>{n} thinks the repairs are overdue and says so.<hr>" for n in ("Jim", "Mary", "Al"))
    html = f"<html><body><div>{PROSE}<h4>Reader reactions</h4>{run}</div></body></html>"
    assert [c.author for c in parse_article(html, "https://x.example/a").comments] == ["Jim", "Mary", "Al"]
    subheads = html.replace("<hr>", "")
    assert parse_article(subheads, "https://x.example/a").comments == []
    speakers = html.replace("</b>", ":</b>")
    assert parse_article(speakers, "https://x.example/a").comments == []


def test_parent_attributes_in_capitals_give_the_same_thread() -> None:
    """The quick scan for parent attributes reads ``data-`` in lower case; markup writing it in
    capitals (``DATA-PARENT-ID``, which the HTML parser lowers) gives the same thread."""
    page = Path(__file__).parent / "fixtures" / "comments" / "pages" / "b6-yrm-data-parent-tr" / "page.html"
    html = page.read_text(encoding="utf-8")
    shouted = html.replace("data-parent-id", "DATA-PARENT-ID").replace("data-id", "DATA-ID")

    def thread(markup: str) -> list[tuple[str | None, str, bool]]:
        comments = parse_article(markup, "https://news.example/h/metro").comments
        return [(c.author, c.text, c.parent_id is None) for c in comments]

    assert thread(html) == thread(shouted)
    assert [top for _, _, top in thread(shouted)] == [True, False, True]
