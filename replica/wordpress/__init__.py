"""Offline replica of a WordPress news site (a second structure next to the turan.az replica).

``/YYYY/MM/DD/slug/`` posts, a Yoast sitemap index with a news sitemap, RSS feeds, category, tag,
author, date and search listings with pagination, ``wp-caption`` images, threaded comments and
JSON-LD on some pages; ground truth from generation (truth.py), a request log (server.py). Shares
no code with the turan replica or with the parsers it is used to test.
"""

from replica.wordpress.server import WordPressServer, running_wordpress
from replica.wordpress.site import WordPressSite

__all__ = ["WordPressServer", "WordPressSite", "running_wordpress"]
