"""Distributed crawling on Redis: many worker processes, one crawl, one archive writer.

How the parts fit (README "Distributed crawling"):

- ``newsarchive ingest SITE --redis URL --db PATH`` (scrapers/distributed/ingest.py) owns the crawl: it opens it
  in Redis (publishing the archive's frontier, scrapers/distributed/state.py), writes every item the
  workers send through ``Archive.write_batch``, and stops once the crawl is finished and drained.
- ``newsarchive crawl SITE --distributed URL`` (any number, on any machine) is a worker: the add-on
  (addon.py) swaps in the Redis scheduler (scheduler.py: scrapy-redis's queue and duplicate filter,
  plus in-flight tracking so that a killed worker loses nothing), the frontier read from Redis
  (frontier.py) and the pipeline that sends items to Redis (pipelines/redis_queue.py).

This package's ``__init__`` imports nothing: the add-on is named in the default settings, and a
crawl that is not distributed must not need redis or scrapy-redis installed.
"""
