"""The typed result of parsing one article page.

Raw strings stay next to their normalised values so the archive can be re-checked
and re-parsed when the parsers improve.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

# Stamped on every article; bump it when the parsers' output changes, so `newsarchive reparse
# --since-version N` finds what older parsers wrote. 2: body, dates, captions and encoding of 2026-11-28;
# 3: call-to-action boxes, "other posts" tails and linked section titles in the generic body;
# 4: captions of issue 16 (lead pictures, lazy addresses, caption and credit elements by name, labels).
# 5: page type and confidence of a generic crawl's candidates (issue 15: points refitted, vetoes).
# 6: forum threads, documentation and product pages vetoed as candidates (scrapers/parsers/page_kinds.py).
# 7: issue 16 and 19 of 2026-12-07: dates (published = first publication, dates in prose, shown day,
#    htmldate fallback); bodies end at a box of other stories in any language, class-name stems,
#    JSON-LD body as evidence; reader comments in unnamed markup; hreflang alternates.
# 11 (2026-12-07/08 session, issue 16 blind parts 4): comments4 (signed items, depth from wrappers and
#     margins, forum threads, Czech dates), captions4 (custom picture elements, background heroes,
#     credit lines in blocks, EU label words, slideshow counters, video posters), body4 (bars laid
#     over the page, follow-the-site lines, forum signatures, a gallery's frame, reader counters, a
#     lone link box's label), dates4 (rows of dated lists, dates opening a headline, since-words,
#     consent and ARIA blocks as elsewhere, app-state keys of the headline's object).
# 12 (2026-12-08, issue 16 blind parts 5): comments5 (moderators' stubs, reply links naming the
#     parent's author, thread boxes, data-hook names, hex comment ids, signed runs over unsigned boxes).
# 13 (2026-12-08, issue 16 blind parts 5): dates5 (validity bounds and version numbers are no dates,
#     hAtom dates, tooltips of relative dates, dates in running phrases or event blocks), body5
#     (boxes closing a container after its text block, a box of links read without its own footer,
#     threads in a comment-named feed), captions5 (unnamed caption lines beside photographs on dated
#     pages, largest srcset), credits5 (agencies alone in parentheses, credit labels in other
#     scripts and languages, ImageObject authors).
# 14 (2026-12-08, issue 16 blind parts 6): dates6 (a labelled publication beats an unlabelled date,
#     two timed dates in one byline are publication and update, dated facts of a table are no page
#     date), captions6 (unlabelled credits after a caption's last sentence, bracketed and East Asian
#     credits, teaser cards give no caption), comments6 (one-item definition lists, parent
#     attributes, forum post ids, Q&A answers), body6 (closing notes under a rule, titled boxes after
#     a container's last paragraph, numbered posts with their posters).
EXTRACTOR_VERSION = "14"


@dataclass
class Caption:
    image_url: str
    text: str
    credit: str | None = None
    credit_url: str | None = None


@dataclass
class Comment:
    comment_id: str
    parent_id: str | None
    author: str | None
    published: datetime | None
    published_raw: str | None
    text: str


@dataclass
class Article:
    url: str
    canonical_url: str | None = None
    site: str | None = None
    article_id: str | None = None
    language: str | None = None
    section: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    published_raw: str | None = None
    modified: datetime | None = None
    modified_raw: str | None = None
    body: str = ""
    captions: list[Caption] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    is_partial: bool = False
    extractor_version: str = EXTRACTOR_VERSION
    # Where each date was read (the evidence): "profile", "byline", "text", "time", "element" and
    # "dateline" are what a reader sees; "jsonld", "meta" and "microdata" the page's metadata; "url".
    published_source: str | None = None
    modified_source: str | None = None
    # What the page is and how sure the parser is that it is an article (0-1). A page parsed with a
    # profile, or confirmed by the site's own account (its news sitemap, its feed), is sure (1.0); a
    # generic crawl's candidate gets the page-type check's confidence (scrapers/parsers/pagetype.py).
    page_type: str = "article"
    confidence: float = 1.0
    # The profile's parser hook (scrapers/parsers/hooks.py): the fields it set (field -> its
    # function), or why it failed (the profile's fields were kept).
    hook_fields: dict[str, str] = field(default_factory=dict)
    hook_error: str | None = None
    # The page's other-language versions (language tag -> URL), from its hreflang links
    # (scrapers/parsers/alternates.py); what links translations in the archive (archive/translations.py).
    alternates: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Natural key: site + article id where the site has ids, else the canonical URL."""
        if self.site and self.article_id:
            return f"{self.site}:{self.article_id}:{self.language or ''}"
        return self.canonical_url or self.url

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
