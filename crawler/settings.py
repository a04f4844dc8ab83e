"""Scrapy settings of newsmon, with the ``NEWSMON_*`` settings of its own components.

Politeness is on by default: robots.txt is obeyed, the User-Agent names newsmon with a
contact URL, AutoThrottle adapts the delay per site, per-domain concurrency is low, and
every response is bounded in time and size (a gzip bomb is cut at DOWNLOAD_MAXSIZE while
it is decompressed). Override any of them with ``-s NAME=VALUE`` or ``custom_settings``.
"""

from __future__ import annotations

import os

from storage.location import database_url

BOT_NAME = "newsmon"

SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
# One spider per configured outlet, built from the outlet files (crawler/outlets.toml,
# NEWSMON_OUTLETS, NEWSMON_OUTLETS_FILES), beside any spider class in SPIDER_MODULES.
SPIDER_LOADER_CLASS = "crawler.spiderloader.OutletSpiderLoader"

# --- newsmon ----------------------------------------------------------------------------
NEWSMON_DATABASE_URL = database_url()
NEWSMON_OUTLETS_FILES: list[str] = []
# False: only NEWSMON_OUTLETS_FILES count (not the shipped outlets nor NEWSMON_OUTLETS).
NEWSMON_OUTLETS_DEFAULTS = True
# Articles of `scope = "filter"` outlets are kept when their relevance score reaches this.
NEWSMON_RELEVANCE_THRESHOLD = float(os.environ.get("NEWSMON_RELEVANCE_THRESHOLD", "3.0"))
# Extraction runs in this many worker processes, off the Twisted reactor (0: one per core,
# -1: in the crawl process, for debugging).
NEWSMON_EXTRACT_WORKERS = int(os.environ.get("NEWSMON_EXTRACT_WORKERS", "0"))
# Articles are stored (and checked for syndication) by this many writer processes. SQLite
# takes one writer at a time, so more than one only helps on PostgreSQL.
NEWSMON_STORE_WORKERS = int(os.environ.get("NEWSMON_STORE_WORKERS", "1"))
# Pages larger than this are not handed to trafilatura (it can block for minutes on them).
NEWSMON_EXTRACT_MAX_BYTES = 5 * 1024 * 1024
# Re-fetch article URLs that are already stored (updates them in place).
NEWSMON_REFRESH = False
# Upper bound on a Retry-After wait; a server asking for longer is retried at this delay.
NEWSMON_RETRY_AFTER_MAX = 120.0
NEWSMON_PROGRESS_INTERVAL = 30.0

# --- politeness -------------------------------------------------------------------------
USER_AGENT = "newsmon/0.1 (+https://github.com/newsmon/newsmon; news monitoring for research)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Scrapy starts this many asyncio tasks for every response's output; an article page
# yields one item, so the default 100 cost ~1 ms of reactor CPU a page for nothing.
CONCURRENT_ITEMS = 4
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
COOKIES_ENABLED = False
# No listening sockets: a monitor runs unattended, often several crawls per machine.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
DNS_TIMEOUT = 15

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.fetch.retry.BackoffRetryMiddleware": 550,
    "crawler.fetch.conditional.ConditionalRequestMiddleware": 560,
    "crawler.fetch.redirects.RedirectLoopMiddleware": 650,
}
SPIDER_MIDDLEWARES = {
    "crawler.fetch.known.SkipKnownArticlesMiddleware": 800,
}
ITEM_PIPELINES = {
    "crawler.pipelines.ExtractionPipeline": 100,
    "crawler.pipelines.RelevancePipeline": 200,
    "crawler.pipelines.StoragePipeline": 300,
}
# `scrapy crawl` holds the outlet lock and exits as `newsmon crawl` does.
COMMANDS_MODULE = "crawler.commands"
EXTENSIONS = {
    "scrapy.extensions.logstats.LogStats": None,
    "crawler.runs.CrawlRunRecorder": 100,
    "crawler.progress.ProgressReporter": 200,
}

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
