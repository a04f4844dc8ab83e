"""Switching a crawl's Scrapy settings to the shared frontier in Redis.

The request queue and the seen fingerprints move to Redis (scrapy-redis's scheduler and
duplicate filter, kept between runs: ``SCHEDULER_PERSIST``), under a key prefix per
deployment, so several deployments (or test runs) share one Redis server. The
per-domain delay moves to Redis too (:mod:`crawler.distributed.politeness`): the
process-local DOWNLOAD_DELAY becomes the shared ``NEWSMON_DOMAIN_DELAY`` and
AutoThrottle, whose adaptive delay would only hold within one worker, is turned off.
Workers do not start the outlets' discovery: ``newsmon crawl --redis`` queues it. A
worker runs one crawler per outlet and takes from the frontier only what that crawler
can download at once (CONCURRENT_REQUESTS = CONCURRENT_REQUESTS_PER_DOMAIN), so the
other workers get their share instead of finding the queue emptied into one process.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from scrapy.settings import Settings

DEFAULT_PREFIX = "newsmon"
ENV_REDIS_URL = "NEWSMON_REDIS_URL"
ENV_REDIS_PREFIX = "NEWSMON_REDIS_PREFIX"


class FrontierStart:
    """Spider middleware of workers: no start requests (the seeder queued the sources)."""

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        return
        yield


def frontier_settings(settings: Settings, redis_url: str, *, prefix: str = DEFAULT_PREFIX,
                      idle_timeout: float | None = None) -> Settings:
    """``settings`` for a worker of the frontier at ``redis_url`` (changed in place)."""
    def put(name: str, value: Any) -> None:
        settings.set(name, value, priority="cmdline")

    put("REDIS_URL", redis_url)
    put("NEWSMON_REDIS_PREFIX", prefix)
    put("SCHEDULER", "crawler.distributed.scheduler.LeasedScheduler")
    put("SCHEDULER_QUEUE_CLASS", "crawler.distributed.frontier.LeasedQueue")
    put("SCHEDULER_QUEUE_KEY", f"{prefix}:%(spider)s:requests")
    put("SCHEDULER_DUPEFILTER_KEY", f"{prefix}:%(spider)s:dupefilter")
    put("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter")
    put("SCHEDULER_PERSIST", True)
    put("NEWSMON_WORKER_IDLE_TIMEOUT", -1.0 if idle_timeout is None else idle_timeout)
    if settings.get("NEWSMON_DOMAIN_DELAY") is None:
        put("NEWSMON_DOMAIN_DELAY", settings.getfloat("DOWNLOAD_DELAY"))
    put("CONCURRENT_REQUESTS", settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"))
    put("DOWNLOAD_DELAY", 0)
    put("AUTOTHROTTLE_ENABLED", False)
    downloader = settings.getdict("DOWNLOADER_MIDDLEWARES")
    downloader["crawler.distributed.politeness.DomainDelayMiddleware"] = 950
    put("DOWNLOADER_MIDDLEWARES", downloader)
    spider = settings.getdict("SPIDER_MIDDLEWARES")
    spider["crawler.distributed.settings.FrontierStart"] = 10
    put("SPIDER_MIDDLEWARES", spider)
    return settings
