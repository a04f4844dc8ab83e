"""Seeding the shared frontier with the outlets' discovery sources, and waiting for it
to drain.

Seeding runs each outlet spider's own ``start()`` (its feeds, sitemaps and listing
pages) without crawling, and queues what it yields through the duplicate filter, as
the scheduler would. A frontier that is drained (nothing queued, nothing in flight)
starts a new run: its seen fingerprints are forgotten, so sources and articles can be
fetched again (articles already stored are still skipped by the database). Seeding a
frontier that is still busy adds only what this run has not seen.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from redis import Redis
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.dupefilter import RFPDupeFilter

from crawler.distributed.frontier import Frontier, FrontierKeys, FrontierStatus, LeasedQueue
from crawler.outlets import OutletConfig

DRAINED_CHECKS = 2


@dataclass(frozen=True, slots=True)
class Seeded:
    outlet: str
    queued: int
    already_seen: int
    new_run: bool


def frontier_server(settings: Settings) -> Redis:
    server = get_redis_from_settings(settings)
    server.ping()
    return server


def frontier_of(server: Redis, settings: Settings, spider_name: str) -> Frontier:
    return Frontier(server, FrontierKeys(settings.get("NEWSMON_REDIS_PREFIX"), spider_name))


async def start_requests(spider: Spider) -> list[Request]:
    return [r async for r in spider.start() if isinstance(r, Request)]


def outlet_spider(settings: Settings, slug: str) -> Spider:
    """The outlet's spider, built as a crawl would build it, without crawling."""
    spidercls = get_spider_loader(settings).load(slug)
    return spidercls.from_crawler(Crawler(spidercls, settings))


def seed_outlet(server: Redis, settings: Settings, outlet: OutletConfig) -> Seeded:
    spider = outlet_spider(settings, outlet.slug)
    frontier = frontier_of(server, settings, spider.name)
    new_run = frontier.status().drained
    if new_run:
        frontier.forget_seen()
    queue = LeasedQueue(server, spider, frontier.keys.requests)
    seen = RFPDupeFilter(server, key=frontier.keys.dupefilter)
    queued = skipped = 0
    for request in asyncio.run(start_requests(spider)):
        if seen.request_seen(request):
            skipped += 1
            continue
        queue.push(request)
        queued += 1
    return Seeded(outlet.slug, queued, skipped, new_run)


def wait_until_drained(frontiers: list[Frontier], *, poll: float = 1.0, timeout: float | None = None,
                       on_poll: Callable[[dict[str, FrontierStatus]], None] | None = None) -> bool:
    """Block until every frontier is drained (checked twice in a row); False on timeout.

    Expired leases are re-queued on the way, so work of a dead worker shows as queued.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    calm = 0
    while True:
        for frontier in frontiers:
            frontier.requeue()
        statuses = {f.keys.spider: f.status() for f in frontiers}
        if on_poll is not None:
            on_poll(statuses)
        calm = calm + 1 if all(s.drained for s in statuses.values()) else 0
        if calm >= DRAINED_CHECKS:
            return True
        if deadline is not None and time.monotonic() >= deadline:
            return False
        time.sleep(poll)
