"""The per-domain delay, held across every worker of a deployment.

Scrapy's DOWNLOAD_DELAY and AutoThrottle act inside one process: N workers would hit a
site N times as often. Here each request first reserves the next free moment of its
download slot (Scrapy's per-domain key) in Redis, in one Lua script: the slot's next
moment is moved ``NEWSMON_DOMAIN_DELAY`` seconds past the reserved one, and the request
waits until its moment. Reservations of one domain are therefore at least the delay
apart whichever worker makes them, and they use the Redis server's clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy_redis.connection import get_redis_from_settings
from twisted.internet import reactor
from twisted.internet.task import deferLater

if TYPE_CHECKING:
    from redis import Redis
    from scrapy import Request
    from scrapy.crawler import Crawler
    from typing_extensions import Self

# KEYS: the slot's key; ARGV: delay ms -> {reserved moment ms, wait ms}
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local at = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local delay = tonumber(ARGV[1])
redis.call('SET', KEYS[1], at + delay, 'PX', at + delay - now + 60000)
return {at, at - now}
"""


@dataclass(frozen=True, slots=True)
class Reservation:
    at_ms: int
    wait_ms: int


class DomainSlots:
    """Reservations of download moments per domain, shared through Redis."""

    def __init__(self, server: Redis, prefix: str, delay: float):
        self.server = server
        self.prefix = prefix
        self.delay_ms = int(round(delay * 1000))
        self._reserve = server.register_script(_RESERVE)

    def reserve(self, slot: str) -> Reservation:
        at, wait = self._reserve(keys=[f"{self.prefix}:delay:{slot}"], args=[self.delay_ms])
        return Reservation(int(at), int(wait))


class DomainDelayMiddleware:
    """Downloader middleware: wait for the domain's next moment reserved in Redis."""

    def __init__(self, crawler: Crawler, slots: DomainSlots):
        self.crawler = crawler
        self.slots = slots

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        delay = crawler.settings.getfloat("NEWSMON_DOMAIN_DELAY")
        if delay <= 0:
            raise NotConfigured("no per-domain delay")
        prefix = crawler.settings.get("NEWSMON_REDIS_PREFIX", "newsmon")
        return cls(crawler, DomainSlots(get_redis_from_settings(crawler.settings), prefix, delay))

    async def process_request(self, request: Request) -> None:
        slot = self.crawler.engine.downloader.get_slot_key(request)
        reservation = self.slots.reserve(slot)
        if reservation.wait_ms > 0:
            self.crawler.stats.inc_value("newsmon/politeness/waited")
            await maybe_deferred_to_future(deferLater(reactor, reservation.wait_ms / 1000, lambda: None))
