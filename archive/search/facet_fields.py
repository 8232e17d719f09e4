"""The facets a search counts (year, section, language) as fields of the top-k index's documents.

`newsarchive search --facets` counted them with SQL that reads the articles row of every match:
66-273 ms p95 for the 10,000-80,000 matches of broad queries at 1M articles.  The top-k index
(topk.py) holds the articles a default search shows; with the three values beside each document
(tantivy fast fields, a column store), a terms aggregation counts them without reading a row
(facet_index.py).  The values are exactly what the SQL groups by, written from the same rows,
so the counts are the same.
"""

from __future__ import annotations

from collections.abc import Sequence

import tantivy

from archive.search.index import TOPK_QUEUE, TOPK_TOKEN

FIELDS = ("year", "section", "language")  # archive.search.FACETS, in that order
# The values of FIELDS for an article `a`, as the SQL facets group them (archive/search facets_sql).
SQL_COLUMNS = ("substr(a.published, 1, 4)", "a.section", "a.language")


def add_fields(builder: tantivy.SchemaBuilder) -> None:
    """The facet fields: whole values (the raw tokenizer keeps one term), in a fast (column) field."""
    for name in FIELDS:
        builder.add_text_field(name, stored=False, tokenizer_name="raw", fast=True)


def add_values(doc: tantivy.Document, values: Sequence[object]) -> None:
    """The article's facet values; a NULL is no value (counted as "(none)" from the match count)."""
    for name, value in zip(FIELDS, values, strict=True):
        if value is not None:
            doc.add_text(name, str(value))


# Schema v11: an article whose date or section changes goes back to the top-k index (its facet
# values with it).  Its words and language already do (index.py's flush); its confidence too (v10).
TRIGGER_STATEMENTS: tuple[str, ...] = (
    "CREATE TRIGGER articles_topk_facets AFTER UPDATE OF published, section ON articles "
    "WHEN (old.published IS NOT new.published OR old.section IS NOT new.section) "
    f"AND EXISTS (SELECT 1 FROM {TOPK_TOKEN}) BEGIN INSERT INTO {TOPK_QUEUE} (id) VALUES (new.id); END",
)
