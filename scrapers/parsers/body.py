"""The article's text: paragraphs separated by a blank line, without chrome, captions or comments.

Where to read it, in order: the profile's body selector; on other pages, the container the page
marks as the article (``itemprop=articleBody``, the usual CMS classes, ``<article>``) when it holds
most of the prose, else the densest block (:mod:`density`); JSON-LD ``articleBody`` when the page
itself yields less text than it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cached_property

from .body_boxes import is_box, is_follow_line, is_overlay, one_of_a_run
from .body_clean import ends_with_statement, normalise
from .body_names import body_furniture, gallery_frame, hidden_by_name, holds_poster, stem_furniture
from .body_tail import structural_end
from .boilerplate import Furniture, furniture, has_prose, is_comments, is_consent, names_of, words_of
from .byline import shows_byline_date
from .density import Scores, score_elements
from .page import Page, jsonld_types
from .text import (
    CONTROLS,
    NEVER_TEXT,
    Block,
    Element,
    Skip,
    blocks,
    blocks_under,
    classes,
    has_ancestor,
    is_hidden,
    never_text,
    squash,
    text_of,
)

# The usual article containers of CMSs, most specific first.
KNOWN_CONTAINERS = (
    "[itemprop=articleBody]",
    ".entry-content, .post-content, .article-content, .article-body, .article__body, .story-body,"
    " .post-body, .articleBody, .article-text, .story-content, .body-text, .field-name-body,"
    " .field--name-body, .td-post-content, .news-content, .article__content, .c-article-body",
    "article",
)
_CAPTION_TAGS = frozenset({"figcaption"})
_RUBY = frozenset({"rt", "rp"})
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_SECTION = 400  # characters of prose under a heading: a section of the text, not a teaser
_SEMANTIC_CHROME = frozenset({"footer", "dialog"})
_FOLDS = frozenset({"accordion", "collapse", "collapsible"})  # names of the folded panels readers open
_CTA_WORDS = frozenset({"cta", "calltoaction"})  # names of a call-to-action box ("post-cta", "callToAction")
_SLOGAN = 100  # characters: a pitch with no link or button is no longer than a slogan
# Headings of the sections pages put after an article (English; the words recur in most CMS themes):
# those that always open the page's own sections, and those that do when a list of links follows.
_TAIL_ALWAYS = re.compile(
    r"^\W*(?:about\s+the\s+(?:author|reviewer|writer|editor)s?|author\s+bio|meet\s+the\s+author"
    r"|share\s+(?:this|the)\s+(?:article|post|story|page)|follow\s+us(?:\s+on\s+\w+)?"
    r"|(?:leave|post|add|write)\s+a\s+(?:reply|comment|review)|\d*\s*(?:comments?|responses?|replies)"
    r"|tags?|topics?|filed\s+under)\W*$",
    re.I,
)
_TAIL_LINKS = re.compile(
    r"^\W*(?:(?:related|recommended|popular|trending|latest|most\s+(?:read|popular|viewed))(?:\s+(?:articles?|posts?"
    r"|stories|reading|content|links|news|pages|topics|reads|for\s+you|on\s+\S+))?|you\s+(?:may|might)\s+also\s+"
    r"(?:like|enjoy|be\s+interested\s+in)|more\s+(?:from|stories|articles|posts|news|like\s+this|to\s+read)\b.{0,40}"
    r"|read\s+(?:more|next|also)|what\s+to\s+read\s+next|keep\s+reading|recent\s+(?:posts|articles|stories|news)"
    r"|editor'?s?\s+picks?|explore\s+more|don'?t\s+miss)\W*$",
    re.I,
)
# At the very end of the text, headings that name other posts of the site ("Related articles that may
# interest you", "More from Ann", "Other posts you'll love", "Read next"), whose teasers can hold as much
# prose as the text, and the line of a writer's role that opens an author box ("Contributing Writer").
_TAIL_OTHERS = re.compile(
    r"^\W*(?:(?:related|recent|similar|other|latest|more)\b.{0,30}\b(?:posts|articles|stories|guides)\b.{0,30}"
    r"|more\s+from\s+.{1,30}|(?:related|recent)\s+(?:post|article|story)"
    r"|you\s+(?:may|might)\s+also\s+(?:like|enjoy|be\s+interested\s+in)|(?:read|up)\s+next|keep\s+reading"
    r"|(?:(?:senior|associate|contributing|staff|deputy|managing|executive|freelance|guest|chief)\s+)*"
    r"(?:writer|editor|reporter|correspondent|contributor|journalist|columnist)s?"
    r"|meet\s+(?:the|your)\s+(?:author|writer|guide))\W*$",
    re.I,
)
# A line that is only a control's label: a button or a toggle the page draws as text.
_UI_LABEL = re.compile(
    r"^\W*(?:read\s+more|continue\s+reading|show\s+(?:more|less)|load\s+more|see\s+more|view\s+more"
    r"|table\s+of\s+contents?(?:\s+(?:show|hide))?|reply|print|advertisement)\W*$",
    re.I,
)
# A line that is only a byline's label or stamp: the reading time, who wrote, edited or checked the text
# ("Reviewed by Ann Lee"), when it was last updated; never a sentence (which ends with its stop).
_BYLINE = re.compile(
    r"^(?!.*[.!?]\s*$)\W*(?:\d+\s*min(?:ute)?s?\.?\s+read(?:ing)?(?:\s+time)?"
    r"|(?:written|reviewed|medically\s+reviewed|fact[-\s]checked|edited)\s+by(?:\s*:?\s*[^!?;]{0,60})?"
    r"|(?:last\s+updated|updated\s+on|updated\s*:)(?:\s*[\w ,.:/-]{0,40})?"
    r"|updated(?:\s+(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[\w ,.:/-]{0,30})?)\W*$",
    re.I,
)
_BYLINE_LINE = 80  # characters: a byline's line is short
_TAIL_AFTER = 0.5  # ... once this share of the text is read
_OTHERS_AFTER = 0.85  # ... and a heading naming other posts, followed by their excerpts, at the very end
_INLINE = frozenset({"span", "code", "em", "i", "b", "strong", "a", "mark", "small", "sup", "sub", "u", "s"})
_SIBLING = 0.5  # a sibling block with this share of the chosen block's value joins it ...
_SIBLING_PROSE = 80  # ... when it holds this much prose
_MAIN_SHARE = 0.25  # <main> is where the article is when it holds this share of the page's text
THREAD_TYPES = frozenset({"DiscussionForumPosting", "QAPage", "Question"})
_STORY_TYPES = frozenset({"NewsArticle", "Article", "BlogPosting", "ReportageNews", "OpinionNewsArticle"})
FORUM_SOFTWARE = ("discourse", "vbulletin", "xenforo", "phpbb", "invision", "mybb", "flarum", "nodebb", "smf")
_FORUM_NAMES = frozenset({*FORUM_SOFTWARE, "xf", "ipsapp"}) - {"smf"}  # as root ids/classes ("smf" is too short)
_PROSE_PAGE = 2000  # characters of prose of a page's region ...
_PROSE_SHARE = 0.5  # ... of which an article holds at least this share
_WORD = re.compile(r"\w+")
# Levels above the chosen block where its likes (other items of the same list) are looked for.
_LIST_REACH = 4
_POST_REACH = 10  # ... and where the posts of a thread are
_THREAD_SHARE = 0.5  # a block with this share of the region's text is the list of a thread's posts
_LIKE = 0.2  # a sibling of the chosen block's kind with this share of its text is another item of a list
_LIKE_PROSE = 500  # ... and of its prose, when it holds this many characters of prose
_AMID_WORDS = 50  # a short post beside links has at least this many words ...
_AMID_PROSE = 150  # ... this many characters of prose ...
_AMID_SHARE = 0.5  # ... and this share of the words of the page outside links
_ARTICLE_SHARE = 0.3  # an article holds at least this share of the words of the page's main region
_SURE_PROSE = 600  # characters of prose (and half of all there is) that make a block named like furniture the article's
_TRAILING_TAGS = frozenset({"div", "section", "aside"})  # boxes after a container's text block ...
_TRAILING_TEXT = 800  # ... hold this many characters at most ...
_TRAILING_SHARE = 0.5  # ... and less than this share of its prose, and no items:
_LINKED_BOX = 0.6  # ... and a box whose text is mostly links is neither text nor such a box
_TEXT_TAGS = frozenset({"p", "blockquote"})  # the paragraphs of a text
_ITEMS = ("ul", "ol", "dl", "table", "pre")
_NOTES = 0.3  # the notes under a rule at the end hold at most this share of the text
_ITALIC = 0.9  # ... in paragraphs of italics
_BOX_LABEL = 40  # characters: the label of a box of links ("Читайте также", "Lesen Sie auch")
_SENTENCE_END = re.compile(r"[.!?;,:…]\s*$")
_DIGIT = re.compile(r"\d")
_REPEAT = 40  # characters: a paragraph this long that was already read may be a repeat ...
_LONG_REPEAT = 80  # ... and is one alone when this long
_ENOUGH = 0.6  # a marked container is kept when it holds this share of the best block's value
_LD_MORE = 0.7  # JSON-LD articleBody is read when the page shows less than this share of it ...
GENERIC_PAYWALL_TEXTS = ("subscribe to continue reading", "subscribe to read the full", "to read the full article")


# What each tag's names and shape say, shared by the walks over one page: furniture by its words (or
# a bar laid over the page), furniture of the article's text by a stem of a name or a gallery's frame
# (None until asked, False: none), hidden by its class, hidden also from screen readers. (Tuples of
# plain values: the collector stops tracking them, unlike lists.)
Kinds = dict[int, tuple[Furniture | None, Furniture | bool | None, bool, bool]]


@dataclass(frozen=True)
class BodyRoot:
    elements: tuple[Element, ...]
    skip: Skip
    # "profile", "container", "density", "page" (a page that is no article: its main region) or "none"
    source: str
    # ids of the boxes that close the container after its text (see _trailing_boxes): read with the
    # rest to judge where the text ends, then left out
    tail: frozenset[int] = frozenset()

    @cached_property
    def read(self) -> list[Block]:
        """Its paragraphs as the body reads them (:func:`_read`), read once: the root is chosen by
        comparing what it reads, then the body is what it reads."""
        return _read(self)


def extract_body(page: Page) -> str:
    return normalise(_body_text(page))


def _body_text(page: Page) -> str:
    """The page's own text; JSON-LD ``articleBody`` only where the page shows much less of the text
    (a teaser, a script-built page): elsewhere it may lack the lead or carry captions and links, so it
    is evidence of where the text ends, not the text."""
    root = body_root(page)
    found = root.read
    paragraphs = _clean([b.text for b in found], page)
    dom_text = "\n\n".join(paragraphs)
    ld_text = _jsonld_body(page)
    if not ld_text or root.source == "profile":
        return dom_text
    if len(dom_text) < _LD_MORE * len(ld_text):
        return ld_text
    headings = frozenset(b.text for b in found if b.element.tag in _HEADINGS)
    return "\n\n".join(ends_with_statement(paragraphs, ld_text, headings))


def _read(root: BodyRoot) -> list[Block]:
    found = [b for element in root.elements for b in blocks(element, root.skip)]
    if root.source == "page":
        return found
    if not any(e.tag in ("body", "html") for e in root.elements):
        found = found[: structural_end(found)]  # (in a whole page, its other stories can come first)
    if root.tail:
        found = [b for b in found if not _in_boxes(b.element, root.tail)]
    kept = _tail_cut(_keep(found, root.source), root.source)
    return kept if root.source == "profile" else _no_last_headings(_no_end_notes(kept))


def _no_end_notes(found: list[Block]) -> list[Block]:
    """Without the notes set under a rule at the text's end: paragraphs all in italics after an ``<hr>``
    (a disclaimer, "the views are the author's", an author's line, a credit), a typographic convention
    of any language. Italics that go on after them, or before the rule without one, are the text's."""
    end = len(found)
    start = end
    while start > 1 and _all_italic(found[start - 1].element):
        start -= 1
    if start == end or sum(len(b.text) for b in found[start:]) > _NOTES * sum(len(b.text) for b in found):
        return found
    previous = found[start].element.getprevious()
    if previous is None or previous.tag != "hr":
        return found
    # notes that send the reader elsewhere (a policy, a newsletter, a source); an italic line without a
    # link there may be the writer's own afterword ("AI was used to refine the wording": wcxb-dev labels it)
    return found[:start] if any(b.link_chars for b in found[start:]) else found


def _all_italic(element: Element) -> bool:
    """A paragraph whose words are all in ``<em>`` or ``<i>``."""
    if element.tag != "p":
        return False
    size = len(squash(text_of(element)))
    italic = sum(len(squash(text_of(e))) for e in element if e.tag in ("em", "i"))
    return size > 0 and italic >= _ITALIC * size


def _in_boxes(element: Element, boxes: frozenset[int]) -> bool:
    return id(element) in boxes or any(id(a) in boxes for a in element.iterancestors())


def _no_last_headings(found: list[Block]) -> list[Block]:
    """Without the headings left at the end: a text never ends with one; a heading there opens a
    section of the page whose content was skipped ("Discussion about this post" over its buttons)."""
    end = len(found)
    while end > 1 and found[end - 1].element.tag in _HEADINGS:
        end -= 1
    return found[:end]


def body_root(page: Page) -> BodyRoot:
    cached = page.memo.get("body_root")
    if isinstance(cached, BodyRoot):
        return cached
    root = _profile_root(page) or _generic_root(page)
    page.memo["body_root"] = root
    return root


def _profile_root(page: Page) -> BodyRoot | None:
    elements = page.select_profile("body")
    if not elements:
        return None
    captions = {id(t) for t in page.select_profile("caption_text")}

    def skip(tag: Element) -> bool:
        return page.skip(tag) or tag.tag in _CAPTION_TAGS or id(tag) in captions

    return BodyRoot(tuple(_outermost(elements)), skip, "profile")


class FurnitureSkip:
    """The generic skipping rule: never-text elements, captions, the headline and page furniture.

    Class names are only a hint ("elementor-widget-wrap" holds whole articles), so furniture is
    skipped only while it holds less than a third of the text it is judged against, and likely
    furniture only when it holds no prose.
    """

    def __init__(
        self,
        page: Page,
        reference: Element,
        kinds: Kinds,
        region: bool = False,
        article: bool = False,
    ) -> None:
        # A page's main region (no article): its headline and its readers' posts are its content too.
        self.region = region
        # The article's own text, once found: a call-to-action box in it is the site's pitch ("Try it
        # free"), where on a landing page, and while the article is looked for, such boxes are content.
        self.article = article
        self.size = page.text_size
        self.prose = page.prose_size
        self.prose_limit = max(_SURE_PROSE, page.prose_size(reference) / 2)
        self.limit = page.text_size(reference) / 3
        self.kinds = kinds  # furniture() of each tag seen, shared by the walks over one page

    def __call__(self, tag: Element) -> bool:
        name = tag.tag
        if name == "noscript":
            return self.size(tag) < self.limit  # the page itself, for readers without scripts (forums)
        if name in NEVER_TEXT or name in _CAPTION_TAGS or (name == "h1" and not self.region):
            return True
        if name == "textarea":
            return True  # its content is raw text (a form's default, "republish this" HTML), never elements
        if name in _RUBY:
            return True  # a ruby's reading (furigana) or its fallback brackets: not the text as written
        key = id(tag)
        entry = self.kinds.get(key)
        if entry is None:  # what the tag's names say, read once a page (see Kinds)
            entry = self.kinds[key] = (body_furniture(tag) or self._overlay(tag), None, *hidden_by_name(tag))
        if name in CONTROLS or ((is_hidden(tag) or entry[3 if self.article else 2]) and not _folded(tag)):
            return self.size(tag) < self.limit
        kind = entry[0]
        if kind is None and self.article:
            # In the article's text, a stem of a furniture word counts as sure furniture too (weighed
            # by the prose the block holds); not while the article is looked for: a forum's posts or
            # a listing's teasers may be the page's content.
            if entry[1] is None:
                entry = self.kinds[key] = (None, self._in_text(tag), entry[2], entry[3])
            kind = entry[1] if isinstance(entry[1], Furniture) else None
        if kind is None and self.article and (_is_call_to_action(tag, self.size(tag)) or self._box(tag)):
            kind = Furniture.SURE  # a pitch or a box of links set into the text (see body_boxes)
        if kind is Furniture.SURE and (is_consent(tag) or name in _SEMANTIC_CHROME):
            return True  # a consent dialog's legal text, the page's footer: however long
        if kind is None or self.size(tag) >= self.limit:
            return False
        if name in _INLINE and has_ancestor(tag, "pre", "code"):
            return False  # syntax highlighting ("token comment"), not page furniture
        if kind is Furniture.SURE:
            # A block named for a sidebar or a share bar that holds pages of prose is the article
            # ("sidebar-content" of a "sidebar-layout"); readers' comments are never the article.
            if is_comments(tag):
                return not self.region
            return self.prose(tag) < self.prose_limit
        return not has_prose(tag)

    def _overlay(self, tag: Element) -> Furniture | None:
        """A bar laid over the page (a consent notice, a pop-up), whatever its names: see body_boxes."""
        return Furniture.SURE if is_overlay(tag, self.size(tag), self.prose(tag)) else None

    def _in_text(self, tag: Element) -> Furniture | bool:
        """Furniture of the article's text by a stem of a name (sure, weighed by its prose), or a
        gallery's frame (likely): one frame, not the cards of a gallery of them."""
        if stem_furniture(tag):
            return Furniture.SURE
        if gallery_frame(tag, self.size(tag)) and not one_of_a_run(tag, 2):
            return Furniture.LIKELY
        return False

    def _box(self, tag: Element) -> bool:
        size = self.size(tag)
        return is_box(tag, size, self.prose(tag)) or is_follow_line(tag, size)


def _is_call_to_action(tag: Element, size: int) -> bool:
    """A call-to-action box ("cta", "call-to-action"): the site's pitch between or after the paragraphs.
    With nothing to act on in it, only a slogan's few words are: a longer passage is the text's own,
    highlighted (GOV.UK's "call-to-action" holds a minister's quote)."""
    named = f"{tag.get('class') or ''} {tag.get('id') or ''}".lower()
    if "cta" not in named and "action" not in named:
        return False  # most elements: no need to split their names into words
    if size >= _SLOGAN and next(tag.iter("a", "button", "input", "form"), None) is None:
        return False
    return any(words_of(name) & _CTA_WORDS for name in names_of(tag))


def _folded(tag: Element) -> bool:
    """The folded panel of an accordion (steps, questions and answers): hidden until a click opens it,
    but the article's text all the same. The panel or one of its two nearest ancestors says so."""
    node: Element | None = tag
    for _ in range(3):
        if node is None:
            return False
        if any(words_of(name) & _FOLDS for name in names_of(node)):
            return True
        node = node.getparent()
    return False


def _generic_root(page: Page) -> BodyRoot:
    # From the document, not <body>: lxml moves what follows a stray </body> or a second <html>;
    # but from <main> when the page marks one that holds a good part of its text (HTML says the
    # article is in there: what is outside, a cookie dialog or a sidebar, cannot be it).
    main = _marked_main(page)
    top = main if main is not None else page.root
    kinds: Kinds = {}
    # On a page that says it is a thread, its posts are read even where the forum names their list
    # for comments (Invision's "comments" feed of "ipsComment" posts).
    page_skip = FurnitureSkip(page, page.root, kinds, region=_declared_thread(page))
    found = blocks(top, page_skip)
    scores = score_elements(found, top)
    best = scores.best()
    if best is None:
        return BodyRoot((), never_text, "none")
    marked = _marked_container(page, scores, scores.of(best))
    chosen = marked if marked is not None else best
    elements = _with_siblings(page, chosen, scores, FurnitureSkip(page, top, kinds))
    tail = _trailing_boxes(page, chosen, best) if marked is not None else frozenset()
    article_skip = FurnitureSkip(page, chosen, kinds, article=True)
    article = BodyRoot(elements, article_skip, "container" if marked is not None else "density", tail)
    region = _main_region(page, kinds)
    if _is_thread(page, chosen):
        # A discussion: its posts are its content. Read the list of posts, or the block found when it
        # is that list already (it holds most of the region's text), else the whole region.
        posts = _posts(page, chosen)
        if posts is None and page.text_size(chosen) >= _THREAD_SHARE * page.text_size(region.elements[0]):
            posts = chosen
        if posts is None:
            return region
        return BodyRoot((posts,), FurnitureSkip(page, page.root, kinds, region=True), "page")
    if _one_of_many(page, chosen):
        return region  # one item of a list
    mine = article.read
    theirs = blocks_under(found, top, region.elements[0], page_skip)  # the region's, as scored
    if theirs is None:
        theirs = BodyRoot(region.elements, page_skip, "page").read
    small = _words(mine) < _ARTICLE_SHARE * _words(theirs)
    small = small and not _most_prose(page, article, region)
    weak = (scores.of(chosen) <= 0 or small) and not _stands_as_article(page, region, marked)
    if weak and not _amid_links(page, article, mine, theirs, region):
        return region  # no prose at all, or the "article" is a small part of the page: a listing, a product
    return article


def _trailing_boxes(page: Page, container: Element, best: Element) -> frozenset[int]:
    """The boxes that close a marked container after the block that holds its text (the densest
    one, inside it): a donation appeal, an author's note, a contact box, however the site names them
    ("spendenaufruf", "ueber-den-autor"). Each is a block of another kind than the text's, with little
    of its prose and no list or table (a recipe's card of steps is the article's), and only boxes
    follow it: text after them means they sit inside the article."""
    branch = _text_branch(page, container, best)
    if branch is None:
        return _headed_boxes(page, container)  # paragraphs in the container itself
    if branch.tag not in _TRAILING_TAGS:
        return frozenset()
    kind = (branch.tag, (classes(branch) or [""])[0])
    prose = _TRAILING_SHARE * page.prose_size(best)
    found: list[int] = []
    for sibling in branch.itersiblings():
        if not isinstance(sibling.tag, str) or not page.text_size(sibling) or _links_only(page, sibling):
            continue  # nothing to read; or a box of links, which the walk drops (a print/share bar's list)
        box = sibling.tag in _TRAILING_TAGS and (sibling.tag, (classes(sibling) or [""])[0]) != kind
        box = box and next(sibling.iter(*_ITEMS), None) is None  # a card of steps, a table: content
        if box and page.text_size(sibling) <= _TRAILING_TEXT and page.prose_size(sibling) < prose:
            found.append(id(sibling))
        else:
            found.clear()  # text of the article's after them: they were boxes set into it
    return frozenset(found)


def _headed_boxes(page: Page, container: Element) -> frozenset[int]:
    """The boxes that close a container whose paragraphs are its own children: after its last
    paragraph, boxes that open with a heading of their own ("Citer ce billet", "Pressekontakt") over a
    few lines, no list or table. A box without a heading there (a note, a callout) is the text's."""
    prose = _TRAILING_SHARE * page.prose_size(container)
    found: list[int] = []
    for child in reversed(container):
        if not isinstance(child.tag, str) or not page.text_size(child):
            continue
        if child.tag in _TEXT_TAGS:
            return frozenset(found)  # the text's last paragraph: the boxes close it
        headed = child.tag in _TRAILING_TAGS and _opens_with_heading(child)
        if not headed or next(child.iter(*_ITEMS), None) is not None or page.text_size(child) > _TRAILING_TEXT:
            return frozenset()
        if page.prose_size(child) >= prose:
            return frozenset()
        found.append(id(child))
    return frozenset()


def _opens_with_heading(box: Element) -> bool:
    """The first element of the box that holds text of its own is a heading, and paragraphs follow it
    (a titled note: "Citer ce billet", "Written by …"); a heading over a bare block of text is a
    callout's pitch, which wcxb-dev labels as the text's ("Ready to explore full EV cars?")."""
    for element in box.iterdescendants():
        if isinstance(element.tag, str) and (element.text or "").strip():
            return element.tag in _HEADINGS and next(element.itersiblings("p"), None) is not None
    return False


def _links_only(page: Page, element: Element) -> bool:
    """Most of the element's text is link text (menus, a list of related pages, a print and share bar)."""
    links = sum(page.text_size(a) for a in element.iter("a"))
    return links >= _LINKED_BOX * page.text_size(element)


def _text_branch(page: Page, container: Element, best: Element) -> Element | None:
    """The child of ``container`` that holds its text: the one around the densest block, or (when
    that is the container itself) the child with most of its prose."""
    node = best
    for parent in best.iterancestors():
        if parent is container:
            return node
        node = parent
    if best is not container:
        return None
    children = [c for c in container if isinstance(c.tag, str)]
    top = max(children, key=page.prose_size, default=None)
    if top is None or page.prose_size(top) < _PROSE_SHARE * page.prose_size(container):
        return None
    return top


def _amid_links(page: Page, article: BodyRoot, mine: list[Block], theirs: list[Block], region: BodyRoot) -> bool:
    """A short post on a page whose other text is links (blogroll, archives, menus of an old blog
    theme): the post holds written prose and at least half of the words the page has outside links,
    and the page neither marks a main region nor says it is something else than an article."""
    main = region.elements[0]
    if main.tag == "main" or main.get("role") == "main" or any(e.tag in ("html", "body") for e in article.elements):
        return False
    kind = (page.meta_first("og:type") or "article").strip().lower()
    words = _words(mine)
    if kind != "article" or words < _AMID_WORDS or sum(page.prose_size(e) for e in article.elements) < _AMID_PROSE:
        return False
    plain = sum(len(_WORD.findall(b.text)) for b in theirs if b.link_density < 0.5)
    return words >= _AMID_SHARE * plain


def _stands_as_article(page: Page, region: BodyRoot, marked: Element | None) -> bool:
    """A short text is still the article when the page says so and does not mark a main region that
    holds more: the CMS marks the text as the entry's content, or the page dates it under its headline.
    Both together make it the article even inside a marked main region (a short post beside blocks of
    links the page puts in its ``<main>`` too)."""
    main = region.elements[0]
    if main.tag == "main" or main.get("role") == "main":
        return marked is not None and shows_byline_date(page)
    return marked is not None or shows_byline_date(page)


def _most_prose(page: Page, article: BodyRoot, region: BodyRoot) -> bool:
    """The article holds most of the written prose of the page's region (which has plenty): what else
    the region holds (link lists, product cards) is more words, not more text to read."""
    prose = page.prose_size(region.elements[0])
    mine = sum(page.prose_size(e) for e in article.elements)
    return prose >= _PROSE_PAGE and mine >= _PROSE_SHARE * prose


def _is_thread(page: Page, chosen: Element) -> bool:
    """A forum thread or a question with its answers, not an article with comments: the page says so
    (schema.org, its forum software), or the text found is itself one of the posts."""
    if _declared_thread(page):
        return True
    if any(is_comments(e) for e in (chosen, *chosen.iterancestors()) if e.tag not in ("body", "html")):
        return True
    return _signed_posts(page, chosen)


def _signed_posts(page: Page, chosen: Element) -> bool:
    """The text found is one of a run of numbered posts ("msg190211", "post_612004") that each carry
    their poster's profile or signature: a forum's thread, whatever its software (SMF prints no name)."""
    posts = _posts(page, chosen)
    if posts is None:
        return False
    numbered = [c for c in posts if isinstance(c.tag, str) and any(ch.isdigit() for ch in c.get("id") or "")]
    return len(numbered) >= 2 and all(holds_poster(post) for post in numbered)


def _declared_thread(page: Page) -> bool:
    """The page says it is a thread: schema.org, the forum software's generator or root names."""
    cached = page.memo.get("declared_thread")
    if isinstance(cached, bool):
        return cached
    types = {t for obj in page.jsonld for t in jsonld_types(obj)}
    generator = (page.meta_first("generator") or "").lower()
    said = bool(types & THREAD_TYPES and not types & _STORY_TYPES) or any(n in generator for n in FORUM_SOFTWARE)
    page.memo["declared_thread"] = said = said or _forum_root(page)
    return said


def _forum_root(page: Page) -> bool:
    """The forum software names itself on the page's root elements (XenForo's ``<html id="XF">``,
    phpBB's ``<body id="phpbb">``) where it prints no generator."""
    for element in (page.root, next(iter(page.tags("body")), None)):
        if element is None:
            continue
        names = {w for name in names_of(element) for w in words_of(name)}
        if names & _FORUM_NAMES:
            return True
    return False


def _posts(page: Page, chosen: Element) -> Element | None:
    """The list of a thread's posts: the parent of the first block around the chosen one (a post,
    or inside one) that has two or more siblings of its kind."""
    node = chosen
    for _ in range(_POST_REACH):
        parent = node.getparent()
        if parent is None or parent is page.root or node.tag in ("body", "main"):
            return None
        if node.tag != "p" and _likes(page, parent, node) >= _fewest_posts(node):
            return parent
        node = parent
    return None


def _fewest_posts(node: Element) -> int:
    """How many likes a post needs beside it: two, or one when it is numbered as the forum numbers its
    posts ("post_612004", "elComment_772104"): a question and its one answer are a thread too."""
    ident = node.get("id") or ""
    return 1 if any(c.isdigit() for c in ident) else 2


def _one_of_many(page: Page, chosen: Element) -> bool:
    """The chosen block is (inside) one item of a list of its likes, the posts of a thread or the
    teasers of a listing: it, or one of its first few ancestors, has two or more siblings of its
    kind (tag and first class), each with a good part of its text. The regions of a layout are not
    items of a list: a sibling named by an id without a number ("header", "sidebar"; items are
    numbered, "post-12"), or named as page furniture beside a block that is not ("location-footer",
    "popup"), nor, among blocks without a class, one with little of the prose of a block that holds
    a good deal of it (a story beside two columns of links)."""
    node = chosen
    for _ in range(_LIST_REACH):
        parent = node.getparent()
        if parent is None or parent is page.root or node.tag in ("body", "main"):
            return False
        if node.tag not in ("p", "li", "tr", "td") and _likes(page, parent, node) >= 2:
            return True
        node = parent
    return False


def _likes(page: Page, parent: Element, node: Element) -> int:
    """How many of the children of ``parent`` are of the kind of its child ``node`` (see :func:`_alike`)."""
    return sum(1 for sibling in parent if _alike(page, sibling, node))


def _alike(page: Page, sibling: Element, node: Element) -> bool:
    kind = (classes(node) or [""])[0]
    if sibling is node or sibling.tag != node.tag or (classes(sibling) or [""])[0] != kind:
        return False
    if page.text_size(sibling) < _LIKE * page.text_size(node):
        return False
    ident = sibling.get("id")
    if ident and not any(c.isdigit() for c in ident):
        return False
    if furniture(sibling) is Furniture.SURE and furniture(node) is None:
        return False  # a region the page names as its furniture ("location-footer", "popup") beside the text
    prose = page.prose_size(node)
    return bool(kind) or prose < _LIKE_PROSE or page.prose_size(sibling) >= _LIKE * prose


def _marked_main(page: Page) -> Element | None:
    marked = [t for t in page.select("main, [role=main]") if not is_hidden(t)]
    if len(marked) != 1:
        return None
    body = next(iter(page.tags("body")), page.root)
    return marked[0] if page.text_size(marked[0]) >= _MAIN_SHARE * page.text_size(body) else None


def _main_region(page: Page, kinds: Kinds) -> BodyRoot:
    """The page's main region without its furniture: ``<main>`` (or ``role=main``), else ``<body>``."""
    marked = [t for t in page.select("main, [role=main]") if not is_hidden(t)]
    body = next(iter(page.tags("body")), None)
    region = marked[0] if marked else body if body is not None else page.root

    return BodyRoot((region,), FurnitureSkip(page, page.root, kinds, region=True), "page")


def _words(found: list[Block]) -> int:
    return sum(len(_WORD.findall(b.text)) for b in found)


def _with_siblings(page: Page, chosen: Element, scores: Scores, skip: Skip) -> tuple[Element, ...]:
    """The chosen block and the blocks beside it that carry more of the same prose: page builders
    cut one article into several sibling sections (columns, rows, text modules)."""
    node = chosen
    parent = node.getparent()
    while parent is not None and parent is not page.root and page.text_size(parent) <= page.text_size(node) + 20:
        node, parent = parent, parent.getparent()  # a wrapper: its other children hold no text
    if parent is None or parent is page.root:
        return (chosen,)
    value = scores.of(chosen)
    picked: list[Element] = []
    for sibling in parent:
        if sibling is node:
            picked.append(chosen)
        elif (
            isinstance(sibling.tag, str)
            and scores.prose_of(sibling) >= _SIBLING_PROSE
            and scores.of(sibling) >= _SIBLING * value
            and not skip(sibling)
        ):
            picked.append(sibling)
    return tuple(picked)


def _marked_container(page: Page, scores: Scores, best: float) -> Element | None:
    for selector in KNOWN_CONTAINERS:
        candidates = [t for t in page.select(selector) if scores.of(t) > 0]
        if candidates:
            top = max(candidates, key=scores.of)
            if scores.of(top) >= _ENOUGH * best:
                return top
    return None


def _keep(found: list[Block], source: str) -> list[Block]:
    """On pages without a profile, drops link lists left inside the container ("Read more: …") and
    text already read: pages print the same article for phone and desktop, or twice in tabs. A
    repeat is a run of paragraphs read before, or one long paragraph; a short line that recurs
    ("Rest day", a refrain) is the article's own."""
    if source == "profile":
        return found
    titles = _section_titles(found)
    links = [_link_line(b) and n not in titles for n, b in enumerate(found)]
    labels = _box_labels(found, links)
    kept = [b for n, b in enumerate(found) if not links[n] and n not in labels and not _is_label(b.text)]
    seen: set[str] = set()
    repeated = []
    for block in kept:
        repeated.append(len(block.text) >= _REPEAT and block.text in seen)
        seen.add(block.text)
    drop = set()
    for n, repeat in enumerate(repeated):
        if not repeat:
            continue
        in_run = (n > 0 and repeated[n - 1]) or (n + 1 < len(repeated) and repeated[n + 1])
        if in_run or len(kept[n].text) >= _LONG_REPEAT:
            drop.add(n)
    return [b for n, b in enumerate(kept) if n not in drop]


def _box_labels(found: list[Block], links: list[bool]) -> set[int]:
    """The labels of boxes of links set into the text ("Читайте также", "Lesen Sie auch", "Related"):
    a short line of words (no sentence, no heading, no figures), followed by link lines that are dropped, in an
    element that holds nothing else of the text. Once its links are gone the label would stand alone, in any
    language; a box with one link is no box to ``body_boxes``, whose label is left here."""
    labels: set[int] = set()
    for n, block in enumerate(found[:-1]):
        if links[n] or not links[n + 1] or block.link_chars or len(block.text) > _BOX_LABEL:
            continue  # most blocks: not a plain short line over a link line
        if block.element.tag in _HEADINGS:
            continue  # a heading over links names what they point to (a product over its shops)
        if _SENTENCE_END.search(block.text) or _DIGIT.search(block.text):
            continue  # a sentence; a byline or a date line ("by Ann Lee on May 3, 2012") over share links
        end = n + 1
        while end < len(found) and links[end]:
            end += 1
        box = _common_ancestor(block.element, found[end - 1].element)
        if box is None or box.tag in ("body", "html", "article", "main") or _has_likes(box):
            continue  # the page itself, or one of a run of cards alike (a round-up's products)
        outside = (found[n - 1] if n else None, found[end] if end < len(found) else None)
        if not any(b is not None and _under(b.element, box) for b in outside):
            labels.add(n)
    return labels


def _common_ancestor(first: Element, last: Element) -> Element | None:
    mine = {id(first)} | {id(a) for a in first.iterancestors()}
    for element in (last, *last.iterancestors()):
        if id(element) in mine:
            return element
    return None


def _has_likes(box: Element) -> bool:
    """The box, or its parent, has a sibling of its tag and first class: an item of a list."""
    for node in (box, box.getparent()):
        parent = node.getparent() if node is not None else None
        if node is None or parent is None:
            return False
        kind = classes(node)[:1]
        if any(s is not node and s.tag == node.tag and classes(s)[:1] == kind for s in parent):
            return True
    return False


def _under(element: Element, box: Element) -> bool:
    return element is box or any(a is box for a in element.iterancestors())


def _section_titles(found: list[Block]) -> set[int]:
    """The headings made of a link that open a section of the article's own prose: listicles link
    each item's name ("3. The Acme 200") above paragraphs about it. The linked titles of teasers
    stand above a line or two of excerpt, not above a section."""
    titles: set[int] = set()
    for n, block in enumerate(found):
        if block.element.tag not in _HEADINGS or not _link_line(block):
            continue
        prose = 0
        for following in found[n + 1 :]:
            if following.element.tag in _HEADINGS or prose >= _SECTION:
                break
            if following.link_density < 0.5:
                prose += len(following.text)
        if prose >= _SECTION:
            titles.add(n)
    return titles


def _link_line(block: Block) -> bool:
    """A short line that is mostly a link: a menu's entry, a teaser's title, "Read more: …"."""
    return block.link_density > 0.6 and len(block.text) < 300


def _is_label(text: str) -> bool:
    """A control's label, or a line of the byline that says nothing of the story."""
    return bool(_UI_LABEL.match(text)) or (len(text) <= _BYLINE_LINE and bool(_BYLINE.match(text)))


def _tail_cut(found: list[Block], source: str) -> list[Block]:
    """Drops what follows the article's end: a heading that opens the page's own sections ("Related
    articles", "About the author", "More from …", "Leave a reply") once most of the text is read."""
    if source == "profile" or len(found) < 3:
        return found
    total = sum(len(b.text) for b in found)
    read = 0
    for n, block in enumerate(found):
        if read >= _TAIL_AFTER * total and len(block.text) <= 80 and _ends_article(block, found[n + 1 : n + 6]):
            return found[:n]
        if read >= _OTHERS_AFTER * total and len(block.text) <= 80 and _TAIL_OTHERS.match(block.text):
            return found[:n]
        read += len(block.text)
    return found


def _ends_article(heading: Block, following: list[Block]) -> bool:
    return bool(_TAIL_ALWAYS.match(heading.text)) or (bool(_TAIL_LINKS.match(heading.text)) and _teasers(following))


def _teasers(following: list[Block]) -> bool:
    """Links, or short lines: the teasers of other pages, not more of the article."""
    if not following:
        return True
    text = sum(len(b.text) for b in following)
    links = sum(b.link_chars for b in following)
    return links >= 0.3 * text or text / len(following) < 100


def _clean(texts: list[str], page: Page) -> list[str]:
    """Drops the end markers and paywall notices the profile names (and the generic ones)."""
    profile = page.profile
    markers = profile.end_markers if profile else ()
    notices = tuple(t.lower() for t in (profile.paywall_text if profile else ())) + GENERIC_PAYWALL_TEXTS
    kept: list[str] = []
    for text in texts:
        for marker in markers:
            text = text.removesuffix(marker).rstrip()
        if text and not any(_is_notice(text.lower(), notice) for notice in notices):
            kept.append(text)
    return kept


def _is_notice(text: str, notice: str) -> bool:
    """A paragraph that is the notice, give or take a link or two ("Login", "Subscribe")."""
    return notice in text and len(text) < len(notice) + 40


def _jsonld_body(page: Page) -> str | None:
    value = page.jsonld_value("articleBody")
    if not isinstance(value, str) or len(value) < 200:
        return None
    if "&lt;" in value or "&#60;" in value:
        value = html.unescape(value)  # entity-escaped HTML ("&lt;p&gt;…")
    if "<" in value and ">" in value:
        value = re.sub(r"<[^>]+>", "\n", value)  # some CMSs put HTML in articleBody
    parts = [squash(html.unescape(p)) for p in re.split(r"\n\s*\n|\r\n|\n", value)]
    return "\n\n".join(p for p in parts if p)


def _outermost(elements: list[Element]) -> list[Element]:
    """Drops matches nested inside another match, so no text is read twice."""
    chosen = {id(e) for e in elements}
    return [e for e in elements if not any(id(p) in chosen for p in e.iterancestors())]


def is_partial(page: Page) -> bool:
    """A preview of a paywalled article: the profile's paywall marker or notice, or JSON-LD says so."""
    profile = page.profile
    if profile and profile.paywall_selector and page.select(profile.paywall_selector):
        return True
    if str(page.jsonld_value("isAccessibleForFree")).lower() == "false":
        return True
    notices = profile.paywall_text if profile else ()
    if not notices:
        return False
    text = " ".join(squash(text_of(e, " ")) for e in body_root(page).elements)
    return any(notice in text for notice in notices)
