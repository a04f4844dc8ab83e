"""One outlet's shared frontier in Redis: scrapy-redis's priority queue with leases.

scrapy-redis pops a request off the queue and forgets it: when the worker holding it
dies, the request is lost. Here taking a request is one Lua script that moves it from
the queue into an in-flight hash and gives it a lease (an expiry time in a sorted set).
The worker renews the leases it holds while Scrapy works on their requests (from a
thread of its own: a worker whose reactor is busy storing articles, which are
synchronous database calls, is not dead), and releases each one when Scrapy is done with
it (the response parsed, its new requests queued, its items stored). Leases of a dead
worker stop being renewed; once expired, any worker (or a waiting ``newsmon crawl
--wait``) puts their requests back in the queue, in one script, so a request is re-
queued once. Times are the Redis server's, so workers need no synchronized clocks.

Keys, for a deployment prefix P and an outlet S: ``P:S:requests`` (the queue, a sorted
set by priority), ``P:S:dupefilter`` (seen fingerprints), ``P:S:inflight`` (lease ->
"score|request") and ``P:S:leases`` (lease -> expiry in ms).
"""

from __future__ import annotations

import itertools
import logging
import os
import socket
import threading
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError
from scrapy_redis.queue import PriorityQueue

if TYPE_CHECKING:
    from redis import Redis
    from scrapy import Request, Spider

logger = logging.getLogger(__name__)
LEASE_META = "newsmon_lease"
DEFAULT_LEASE_TTL = 60.0
# One id per worker process, readable in Redis (host, pid) and unique across restarts.
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

_NOW_MS = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# KEYS: requests, inflight, leases; ARGV: lease id, ttl ms -> the request taken, or nil
_TAKE = _NOW_MS + """
local item = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #item == 0 then return false end
redis.call('ZREM', KEYS[1], item[1])
redis.call('HSET', KEYS[2], ARGV[1], item[2] .. '|' .. item[1])
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]), ARGV[1])
return item[1]
"""

# KEYS: leases; ARGV: ttl ms, lease ids -> how many were still held
_RENEW = _NOW_MS + """
local renewed = 0
for i = 2, #ARGV do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) then
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i])
    renewed = renewed + 1
  end
end
return renewed
"""

# KEYS: requests, inflight, leases; ARGV: lease ids (none: every expired lease)
# -> how many requests went back to the queue
_REQUEUE = _NOW_MS + """
local leases = ARGV
if #leases == 0 then leases = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now) end
local requeued = 0
for _, lease in ipairs(leases) do
  local held = redis.call('HGET', KEYS[2], lease)
  if held then
    local bar = string.find(held, '|', 1, true)
    redis.call('ZADD', KEYS[1], tonumber(string.sub(held, 1, bar - 1)), string.sub(held, bar + 1))
    redis.call('HDEL', KEYS[2], lease)
    requeued = requeued + 1
  end
  redis.call('ZREM', KEYS[3], lease)
end
return requeued
"""


@dataclass(frozen=True, slots=True)
class FrontierKeys:
    prefix: str
    spider: str

    @property
    def requests(self) -> str:
        return f"{self.prefix}:{self.spider}:requests"

    @property
    def dupefilter(self) -> str:
        return f"{self.prefix}:{self.spider}:dupefilter"

    @property
    def inflight(self) -> str:
        return f"{self.prefix}:{self.spider}:inflight"

    @property
    def leases(self) -> str:
        return f"{self.prefix}:{self.spider}:leases"

    @classmethod
    def of_queue(cls, requests_key: str) -> FrontierKeys:
        prefix, spider, _ = requests_key.rsplit(":", 2)
        return cls(prefix, spider)


@dataclass(frozen=True, slots=True)
class FrontierStatus:
    queued: int
    in_flight: int

    @property
    def drained(self) -> bool:
        return self.queued == 0 and self.in_flight == 0


class Frontier:
    """The Redis side of one outlet's frontier, without a spider: status and re-queueing
    (what a waiting seeder and every worker do)."""

    def __init__(self, server: Redis, keys: FrontierKeys):
        self.server = server
        self.keys = keys
        self._requeue = server.register_script(_REQUEUE)

    def status(self) -> FrontierStatus:
        with self.server.pipeline(transaction=True) as pipe:
            pipe.zcard(self.keys.requests)
            pipe.hlen(self.keys.inflight)
            queued, in_flight = pipe.execute()
        return FrontierStatus(int(queued), int(in_flight))

    def requeue(self, leases: list[str] | None = None) -> int:
        """Put back the requests of ``leases`` (default: of every expired lease)."""
        keys = [self.keys.requests, self.keys.inflight, self.keys.leases]
        return int(self._requeue(keys=keys, args=list(leases or [])))

    def forget_seen(self) -> None:
        """Start a new run: URLs seen by the last one may be fetched again."""
        self.server.delete(self.keys.dupefilter)

    def delete(self) -> None:
        self.server.delete(self.keys.requests, self.keys.dupefilter, self.keys.inflight, self.keys.leases)


class LeasedQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pop leases the request to this worker.

    ``held`` maps the leases of this worker to their requests until they are released.
    A request pushed back while it holds a lease (a retry, a redirect) gives it up.
    """

    def __init__(self, server: Redis, spider: Spider, key: str, serializer: Any = None):
        super().__init__(server, spider, key, serializer)
        self.frontier = Frontier(server, FrontierKeys.of_queue(self.key))
        self.ttl_ms = int(1000 * spider.settings.getfloat("NEWSMON_LEASE_TTL", DEFAULT_LEASE_TTL))
        self.held: dict[str, Request] = {}
        self._held_lock = threading.Lock()
        self._take = server.register_script(_TAKE)
        self._renew = server.register_script(_RENEW)
        self._ids = itertools.count(1)

    def push(self, request: Request) -> None:
        lease = request.meta.pop(LEASE_META, None)
        super().push(request)
        if lease is not None:
            self.release(lease)

    def pop(self, timeout: int = 0) -> Request | None:
        lease = f"{WORKER_ID}:{next(self._ids)}"
        keys = self.frontier.keys
        data = self._take(keys=[keys.requests, keys.inflight, keys.leases], args=[lease, self.ttl_ms])
        if data is None:
            return None
        request = self._decode_request(data)
        request.meta[LEASE_META] = lease
        with self._held_lock:
            self.held[lease] = request
        return request

    def release(self, lease: str) -> None:
        """The request of ``lease`` is done: forget it."""
        with self._held_lock:
            self.held.pop(lease, None)
        keys = self.frontier.keys
        with self.server.pipeline(transaction=True) as pipe:
            pipe.hdel(keys.inflight, lease)
            pipe.zrem(keys.leases, lease)
            pipe.execute()

    def renew(self) -> int:
        with self._held_lock:
            leases = list(self.held)
        if not leases:
            return 0
        return int(self._renew(keys=[self.frontier.keys.leases], args=[self.ttl_ms, *leases]))

    def give_back(self) -> int:
        """Put every request this worker still holds back in the queue (a clean stop)."""
        with self._held_lock:
            leases = list(self.held)
            self.held.clear()
        return self.frontier.requeue(leases) if leases else 0


class LeaseKeeper(threading.Thread):
    """Renews a queue's leases every ``interval`` seconds until stopped."""

    def __init__(self, queue: LeasedQueue, interval: float):
        super().__init__(name="newsmon-leases", daemon=True)
        self.queue = queue
        self.interval = interval
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(self.interval):
            try:
                self.queue.renew()
            except RedisError as exc:
                logger.warning("frontier unreachable, leases not renewed: %s", exc)

    def stop(self) -> None:
        self._stopped.set()
        self.join()
