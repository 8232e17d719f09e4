"""Scrapy settings for newsarchive. Component settings carry their component's prefix."""

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"

USER_AGENT = "newsarchive/0.1 (news archiving crawler; +https://github.com/newsarchive/newsarchive)"
ROBOTSTXT_OBEY = True
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# Politeness: AutoThrottle adapts to the server; these bound it.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 8
DOWNLOAD_DELAY = 0
# One item per response: a high CONCURRENT_ITEMS only adds scheduling overhead.
CONCURRENT_ITEMS = 8
# Responses whose items are still in the pipelines (waiting for a parse worker) are held by Scrapy
# until then, each with its decoded text and item: ~4 x the body. Scrapy stops fetching above this
# many bytes of such bodies (its default, 5 MB, let ~290 replica pages pile up behind the parse pool,
# and the crawl's peak memory with them); 2 MB is still ~120 replica pages or ~24 real ones queued
# for 2 parse workers.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 2_000_000
# Requests waiting in the scheduler are kept as tuples, not Request objects (a long crawl has tens of
# thousands waiting): scrapers/queues.py.
SCHEDULER_MEMORY_QUEUE = "scrapers.queues.CompactLifoMemoryQueue"
# Request fingerprints kept as 64-bit ints: scrapers/dupefilter.py.
DUPEFILTER_CLASS = "scrapers.dupefilter.CompactDupeFilter"
# Past this many waiting requests (per priority), the older half goes to a temporary file (0: never).
SCHEDULER_SPILL_AFTER = 4000

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

TELNETCONSOLE_ENABLED = False
# Only http(s) is fetched: no file:, data:, ftp: or s3: URL, whatever a page or a queue says.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
LOG_LEVEL = "INFO"

SPIDER_MIDDLEWARES = {
    "scrapers.middlewares.HtmlOnlyMiddleware": 650,  # a PDF or image where an article was expected: not_html
    "scrapers.pagetype_filter.PageTypeFilter": 700,
    "scrapers.middlewares.ArchiveFrontierMiddleware": 800,
}
# Re-visits of archived articles carry If-None-Match / If-Modified-Since (scrapers/conditional.py).
# Faults (scrapers/middlewares.py): retries honour Retry-After (at most RETRY_AFTER_MAX seconds);
# redirect loops and redirects to another site become failures instead of silent drops.
DOWNLOADER_MIDDLEWARES = {
    # Nothing off the site is fetched, robots.txt included (scrapers/offsite.py).
    "scrapers.offsite.OffsiteRequestMiddleware": 40,
    "scrapers.conditional.ConditionalRequestMiddleware": 560,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scrapers.middlewares.RetryAfterMiddleware": 550,
    "scrapers.middlewares.RedirectGuardMiddleware": 610,
    # next to the downloader: records responses as received, before decompression, retries, redirects
    "scrapers.warc.WarcRecorderMiddleware": 950,
}
RETRY_AFTER_MAX = 60.0
ITEM_PIPELINES = {
    "pipelines.parse.ParseArticlePipeline": 100,
    "pipelines.validate.ValidateArticlePipeline": 200,
    "pipelines.dedupe.DeduplicatePipeline": 300,
    "pipelines.media.ArchiveMediaPipeline": 500,
    "pipelines.archive_writer.ArchiveWriterPipeline": 900,
}
EXTENSIONS = {
    "scrapers.extensions.CrawlProgress": 500,
    "scrapers.joblock.JobLockExtension": 100,
    # --max-pages counts pages, not the photos fetched with them.
    "scrapy.extensions.closespider.CloseSpider": None,
    "scrapers.extensions.PageCloseSpider": 0,
}

# newsarchive's own settings.
ARCHIVE_PATH = "data/archive.db"
ARCHIVE_BATCH_SIZE = 100
ARCHIVE_FLUSH_SECONDS = 2.0
ARCHIVE_WRITE_THREAD = True  # write batches in a thread of their own (False: on the crawl's thread)
# Search (archive/search/topk.py): broad queries ranked among the top-k index's candidates.
SEARCH_TOPK_ENABLED = True  # use the index beside the archive when it is in step (False: FTS5 alone)
SEARCH_TOPK_CANDIDATES = 300  # candidates ranked by FTS5's bm25 (the answer is approximate beyond them)
SEARCH_TOPK_THRESHOLD = 2_000  # queries with fewer matches are ranked exactly by FTS5
CRAWL_BASE_URL = None  # overrides the profile's base_url, e.g. to crawl the replica
CRAWL_LANGUAGES: list[str] = []  # empty: every language of the profile
CRAWL_SECTIONS: list[str] = []  # empty: every section
CRAWL_LIMIT = 0  # at most this many article requests per run; 0: no limit
CRAWL_SKIP_ARCHIVED = None  # deprecated switch: True = RECRAWL_MODE "skip", False = "refetch"
# Re-crawls (scrapers/sites/recrawl.py): age (the site's [recrawl] policy), always, skip or refetch.
RECRAWL_MODE = "age"
RECRAWL_AGES = None  # e.g. "2d:1h,14d:1d,90d:7d" (younger than AGE: every EVERY); None: the profile's
RECRAWL_OLDER = None  # "180d", or "never", for articles older than every age; None: the profile's
RECRAWL_CONDITIONAL = True  # re-visits send the archived ETag / Last-Modified
RECRAWL_PERMANENT_FAILURES = ["http_404", "http_410"]  # URLs that failed so are not asked again for...
RECRAWL_RETRY_FAILED_AFTER = "7d"
# Run health (scrapers/health.py): exit 3 above this share of failed requests, 5 on a yield drop.
HEALTH_FAILURE_THRESHOLD = 0.10
HEALTH_IGNORE_FAILURES = ["http_404", "http_410"]  # dead links are the site's failures, not the crawl's
HEALTH_MIN_ARTICLES = 20
HEALTH_YIELD_DROP = 0.5
HEALTH_BASELINE_RUNS = 5
JOBLOCK_ENABLED = True  # one job per (archive, site) at a time: scrapers/lock.py
SITE_PROFILE_DIRS: list[str] = []  # folders with a user's own site profiles (*.toml)
CRAWL_START_URLS: list[str] = []  # generic spider: homepages, sitemaps or feeds to start from
CRAWL_PROFILE = None  # generic spider: a site profile to use (name or .toml path)
CRAWL_SINCE = None  # generic spider: skip sitemap/feed items older than this date (YYYY-MM-DD)
PAGETYPE_ENABLED = True  # confirm the generic spider's article candidates with the page-type check
PAGETYPE_MIN_CONFIDENCE = 0.2  # a candidate less sure to be an article is kept as a page only (counted, logged)
PAGETYPE_TEMPLATE_ARTICLES = 3  # sure articles sharing a URL template that vouch for the site's next ones
# Parsing (pipelines/parse.py): in worker processes, off the reactor thread; a page over a limit is a
# failure (too_large / parse_timeout), the crawl goes on.
PARSE_WORKERS = None  # None: one per core; 0: parse in the crawl's own process
PARSE_TIMEOUT = 20.0  # seconds per page; the stuck worker is killed and the pool replaced
PARSE_MAX_BYTES = 5 * 1024 * 1024  # larger pages are kept raw, not parsed
# WARC files of the crawl (scrapers/warc.py, `crawl --warc DIR`): every response with its request.
WARC_DIR = None  # a folder: on; None: off
WARC_MAX_SIZE = 1_000_000_000  # bytes: a new file once the current one is this big
WARC_PREFIX = "newsarchive"  # file names: PREFIX-YYYYmmddHHMMSS-NNNNN.warc.gz
# Article photos (pipelines/media.py, `crawl --images`, a profile's [media]): none, captioned (the
# images with a caption, the lead image included) or all the article's images; stored once per SHA-256
# in the archive, or as files in MEDIA_DIR beside it.
MEDIA_IMAGES = "captioned"
MEDIA_DIR = None  # a folder for the image bytes (`crawl --media-dir`); None: inside the archive file
MEDIA_HOSTS: list[str] = []  # CDN hosts images may come from; named: no other hosts (besides the site's)
MEDIA_MAX_BYTES = 10 * 1024 * 1024  # a larger (or endless) image is cut and refused: media_too_large
MEDIA_MAX_PIXELS = 90_000_000  # width x height declared beyond this: a decompression bomb, refused
# A stored photo older than this many days is asked again (with its ETag / Last-Modified) when its
# article is fetched again; an unchanged one costs a 304. -1: never (only a changed URL is fetched).
MEDIA_REVALIDATE_DAYS = 30
MEDIA_BUFFER_BYTES = 16 * 1024 * 1024  # image bytes waiting in the writer's batch before it writes early
PROGRESS_ENABLED = False
PROGRESS_INTERVAL = 2.0

# Distributed crawling (scrapers/distributed/, `crawl --distributed URL`): the add-on makes the crawl a
# worker of the crawl in this Redis when DISTRIBUTED_REDIS_URL is set, and does nothing otherwise.
ADDONS = {"scrapers.distributed.addon.DistributedCrawl": 100}
DISTRIBUTED_REDIS_URL = None  # redis://HOST:PORT/DB: take requests from it, send items to `newsarchive ingest`
DISTRIBUTED_IDLE_CLOSE = 10.0  # seconds with nothing queued or in flight anywhere: the crawl is finished
DISTRIBUTED_HEARTBEAT = 2.0  # seconds between a worker's heartbeats
DISTRIBUTED_WORKER_TIMEOUT = 15.0  # a worker silent this long is gone: its unfinished requests are queued again
DISTRIBUTED_START_TIMEOUT = 60.0  # seconds to wait for `newsarchive ingest` to open the crawl
DISTRIBUTED_REDIS_WAIT = 30.0  # Redis unreachable this long (not a restart): the worker stops, exit 1
DISTRIBUTED_ITEMS_MAX = 10000  # more items than this waiting for the ingester: workers wait for it
DISTRIBUTED_POLL = 0.5  # seconds between an idle worker's looks at the queue
DISTRIBUTED_PREFETCH = 8  # requests a worker takes from Redis at once

# Web archives in (issue 14). `newsarchive import` (scrapers/spiders/warc.py): items in the pipelines at once.
IMPORT_MAX_IN_FLIGHT = 32
# `crawl SITE --from wayback|commoncrawl` (scrapers/spiders/cdx.py): where captures are listed and fetched.
CDX_SOURCE = None  # "wayback" or "commoncrawl" (--from)
CDX_SERVER = None  # a CDX API URL (--cdx); None: the Wayback Machine's, or Common Crawl's index of CDX_COLLECTION
CDX_COLLECTION = None  # Common Crawl: e.g. CC-MAIN-2024-10 (--collection)
CDX_REPLAY = None  # wayback: the replay prefix (None: beside the CDX URL); commoncrawl: where the WARC files are
CDX_SINCE = None  # only captures from this time (YYYY[MM[DD...]]; --since); a later run asks from its newest
CDX_UNTIL = None  # only captures up to this time (--until)
CDX_PAGE_SIZE = 5000  # rows per CDX page (limit, with showResumeKey)
