"""Exports: the archive as WARC and WACZ (web archivists' formats) and as JSON Lines and CSV (researchers').

- ``archive.export.warc.export_warc``: every archived raw page as WARC request/response records
  (a later fetch of the same bytes as a ``revisit``), through warcio's writer;
- ``archive.export.wacz.export_wacz``: the same WARC packaged as WACZ by the ``wacz`` package;
- ``archive.export.articles.export_jsonl`` / ``export_csv``: the articles with their fields,
  captions and comments;
- ``archive.export.select``: which articles and pages an export takes (the search module's filters);
- ``archive.export.atomic``: every export is written to a temporary file beside its target and
  renamed over it only once complete, so a full disk never leaves half a file under the target name.
"""
