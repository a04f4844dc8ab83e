"""scrapy-redis's scheduler with leased requests, for worker processes.

Every ``NEWSMON_LEASE_TICK`` seconds the scheduler releases the leases of the requests
Scrapy is done with (they have left the engine: response parsed, new requests queued,
items through the pipelines) and puts the requests of expired leases (a dead worker's)
back in the queue; a :class:`LeaseKeeper` thread renews the leases meanwhile. When the
spider is idle it does not close while the frontier still holds work, queued or in
flight on another worker that may yet add more or die; it closes once the frontier has
stayed empty for ``NEWSMON_WORKER_IDLE_TIMEOUT`` seconds (never when that is negative: a
worker serving every crawl). A worker that stops puts the requests it still holds back
in the queue.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from redis.exceptions import RedisError
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.asyncio import create_looping_call
from scrapy_redis.scheduler import Scheduler

from crawler.distributed.frontier import LeaseKeeper

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from typing_extensions import Self

    from crawler.distributed.frontier import LeasedQueue

logger = logging.getLogger(__name__)
DEFAULT_TICK = 1.0


class LeasedScheduler(Scheduler):
    queue: LeasedQueue
    crawler: Crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        timeout = crawler.settings.getfloat("NEWSMON_WORKER_IDLE_TIMEOUT", -1.0)
        scheduler.idle_timeout = timeout if timeout >= 0 else None
        scheduler.tick_interval = crawler.settings.getfloat("NEWSMON_LEASE_TICK", DEFAULT_TICK)
        scheduler.empty_since = None
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider: Spider) -> None:
        super().open(spider)
        self.keeper = LeaseKeeper(self.queue, min(self.tick_interval, self.queue.ttl_ms / 3000))
        self.keeper.start()
        self.ticker = create_looping_call(self.tick)
        self.ticker.start(self.tick_interval, now=False)

    def close(self, reason: str) -> None:
        if self.ticker.running:
            self.ticker.stop()
        self.keeper.stop()
        self.tick()
        given_back = self.queue.give_back()
        if given_back:
            logger.info("put %d unfinished request(s) back in the frontier", given_back)
        super().close(reason)

    def _in_progress(self) -> set[Request]:
        """The requests the engine has not finished with (Scrapy has no public accessor)."""
        slot = getattr(self.crawler.engine, "_slot", None)
        return slot.inprogress if slot is not None else set()

    def _wake_engine(self) -> None:
        """An idle engine asks its scheduler again only every 5 s; work another worker
        queued meanwhile should start now (Scrapy has no public call for this)."""
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None and slot.closing is None:
            slot.nextcall.schedule()

    def tick(self) -> None:
        try:
            active = self._in_progress()
            for lease, request in list(self.queue.held.items()):
                if request not in active:
                    self.queue.release(lease)
            requeued = self.queue.frontier.requeue()
            if len(self.queue):
                self._wake_engine()
        except RedisError as exc:
            logger.warning("frontier unreachable: %s", exc)
            return
        if requeued:
            logger.info("put %d request(s) of an expired lease back in the frontier", requeued)
            if self.stats is not None:
                self.stats.inc_value("newsmon/frontier/requeued", requeued)

    def spider_idle(self, spider: Spider) -> None:
        self.tick()
        try:
            drained = self.queue.frontier.status().drained
        except RedisError:
            raise DontCloseSpider from None
        if not drained or self.idle_timeout is None:
            self.empty_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self.empty_since is None:
            self.empty_since = now
        if now - self.empty_since < self.idle_timeout:
            raise DontCloseSpider
