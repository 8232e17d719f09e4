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

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

SPIDER_MIDDLEWARES = {"scrapers.middlewares.ArchiveFrontierMiddleware": 800}
ITEM_PIPELINES = {
    "pipelines.parse.ParseArticlePipeline": 100,
    "pipelines.validate.ValidateArticlePipeline": 200,
    "pipelines.dedupe.DeduplicatePipeline": 300,
    "pipelines.archive_writer.ArchiveWriterPipeline": 900,
}
EXTENSIONS = {"scrapers.extensions.CrawlProgress": 500}

# newsarchive's own settings.
ARCHIVE_PATH = "data/archive.db"
ARCHIVE_BATCH_SIZE = 100
ARCHIVE_FLUSH_SECONDS = 2.0
CRAWL_BASE_URL = None  # overrides the profile's base_url, e.g. to crawl the replica
CRAWL_LANGUAGES: list[str] = []  # empty: every language of the profile
CRAWL_SECTIONS: list[str] = []  # empty: every section
CRAWL_LIMIT = 0  # at most this many article requests per run; 0: no limit
CRAWL_SKIP_ARCHIVED = True  # do not fetch articles already in the archive
SITE_PROFILE_DIRS: list[str] = []  # folders with a user's own site profiles (*.toml)
PROGRESS_ENABLED = False
PROGRESS_INTERVAL = 2.0
