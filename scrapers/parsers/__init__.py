"""Parsers: HTML of one page in, a typed :class:`Article` out.

Pure functions of the page and its site profile: they import neither Scrapy nor the archive.
"""

from .article import EXTRACTOR_VERSION, Article, Caption, Comment
from .encoding import decode_html
from .parse import parse_article

__all__ = ["EXTRACTOR_VERSION", "Article", "Caption", "Comment", "decode_html", "parse_article"]
