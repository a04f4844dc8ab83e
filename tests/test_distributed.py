"""The distributed crawl on the real Redis and PostgreSQL servers: the frontier's leases,
politeness across processes, two and three `newsmon worker` processes crawling the
local site through one frontier, and a worker killed mid-crawl. Each test has its own
schema and Redis key prefix (see tests/services.py)."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy import select

from conftest import FAST_CRAWL_SETTINGS
from crawler.crawl import crawl_settings
from crawler.demo import DemoSite
from crawler.distributed.frontier import LEASE_META, FrontierKeys, LeasedQueue
from crawler.distributed.politeness import DomainSlots
from crawler.distributed.seed import outlet_spider, start_requests
from crawler.distributed.settings import frontier_settings
from storage.db import open_database, session_factory
from storage.models import CrawlRun
from services import ONE_EXTRACTOR, PATIENT, Reference, RedisSpace, fetched, stored

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
# A small per-domain delay: every request goes through the reservation in Redis.
WORKER_SETTINGS = (*FAST_CRAWL_SETTINGS, "DOWNLOAD_DELAY=0.05", "NEWSMON_LEASE_TICK=0.5", "NEWSMON_LEASE_TTL=3")


def newsmon_argv(db_url: str, outlets: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "crawler", "--db", db_url, "--outlets", str(outlets), "--no-default-outlets", *args]


def with_settings(*args: str) -> list[str]:
    out = list(args)
    for setting in (*WORKER_SETTINGS, ONE_EXTRACTOR[1], PATIENT[1]):
        out += ["-s", setting]
    return out


@contextmanager
def seeder(db_url: str, outlets: Path, space: RedisSpace, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """`newsmon crawl --redis ... --wait`, returned once every outlet's sources are queued."""
    argv = newsmon_argv(db_url, outlets, "crawl", "--redis", space.url, "--redis-prefix", space.prefix,
                        "--wait", "--timeout", "400")
    env = {**os.environ, "NEWSMON_DATA_DIR": str(tmp_path / "seeder")}
    process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        seen = []
        assert process.stderr is not None
        while (line := process.stderr.readline()) and not line.startswith("frontier"):
            seen.append(line)
        assert any("queued" in s for s in seen), "".join(seen)
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


def start_workers(count: int, db_url: str, outlets: Path, space: RedisSpace, tmp_path: Path,
                  *, idle_timeout: float = 3) -> list[subprocess.Popen[str]]:
    workers = []
    for number in range(count):
        argv = newsmon_argv(db_url, outlets, *with_settings(
            "worker", "--redis", space.url, "--redis-prefix", space.prefix, "--idle-timeout", str(idle_timeout)))
        env = {**os.environ, "NEWSMON_DATA_DIR": str(tmp_path / f"worker{number}")}
        workers.append(subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        start_new_session=True))
    return workers


def finish(process: subprocess.Popen[str], timeout: float = 400) -> str:
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, f"exit {process.returncode}\n{out}\n{err}"
    return err


def frontier_keys_left(space: RedisSpace) -> list[str]:
    """Queued or in-flight work (seen fingerprints and delay slots stay between runs)."""
    return [k for k in space.keys() if k.endswith((":requests", ":inflight", ":leases"))]


def test_leases_go_back_to_the_queue(reference: Reference, redis_space: RedisSpace, tmp_path: Path) -> None:
    settings = crawl_settings(f"sqlite:///{tmp_path / 'unused.db'}", [str(reference.outlets)], default_outlets=False)
    frontier_settings(settings, redis_space.url, prefix=redis_space.prefix)
    settings.set("NEWSMON_LEASE_TTL", 0)  # every lease is expired as soon as it is taken
    spider = outlet_spider(settings, "libyaherald")
    sources = asyncio.run(start_requests(spider))
    assert len(sources) >= 2
    queue = LeasedQueue(redis_space.client, spider, FrontierKeys(redis_space.prefix, spider.name).requests)
    frontier = queue.frontier
    for request in sources:
        queue.push(request)
    total = len(sources)

    taken = queue.pop()
    assert taken is not None and taken.url in {r.url for r in sources}
    assert (frontier.status().queued, frontier.status().in_flight) == (total - 1, 1)
    assert frontier.requeue() == 1  # expired: back in the queue
    assert (frontier.status().queued, frontier.status().in_flight) == (total, 0)

    taken = queue.pop()
    assert taken is not None
    lease = taken.meta[LEASE_META]
    queue.release(lease)
    assert (frontier.status().queued, frontier.status().in_flight) == (total - 1, 0)
    assert frontier.requeue() == 0  # a released lease is not re-queued

    retried = queue.pop()
    assert retried is not None
    queue.push(retried.replace(dont_filter=True))  # a retry gives up the lease it was taken under
    assert (frontier.status().queued, frontier.status().in_flight) == (total - 1, 0)

    queue.pop()
    assert queue.give_back() == 1
    assert (frontier.status().queued, frontier.status().in_flight) == (total - 1, 0)


def _reserve(url: str, prefix: str, count: int, out: Any) -> None:
    slots = DomainSlots(redis.Redis.from_url(url), prefix, 0.05)
    out.put([slots.reserve("news.example").at_ms for _ in range(count)])


def test_per_domain_delay_holds_across_processes(redis_space: RedisSpace) -> None:
    spawn = multiprocessing.get_context("spawn")
    results = spawn.Queue()
    processes = [spawn.Process(target=_reserve, args=(redis_space.url, redis_space.prefix, 5, results))
                 for _ in range(3)]
    for process in processes:
        process.start()
    moments = sorted(m for _ in processes for m in results.get(timeout=60))
    for process in processes:
        process.join(timeout=60)
    assert len(moments) == 15
    assert all(later - earlier >= 50 for earlier, later in zip(moments, moments[1:]))


@pytest.mark.parametrize("workers", [2, 3])
@pytest.mark.timeout(600)
def test_workers_share_one_frontier(workers: int, pg_url: str, reference: Reference, redis_space: RedisSpace,
                                    tmp_path: Path) -> None:
    site = reference.site
    start = len(site.request_log())
    with seeder(pg_url, reference.outlets, redis_space, tmp_path) as seeding:
        crew = start_workers(workers, pg_url, reference.outlets, redis_space, tmp_path)
        finish(seeding)
        logs = [finish(w) for w in crew]
    found = stored(pg_url)
    assert found.rows == len(found.articles), "an article was stored twice"
    assert found.articles == reference.stored.articles
    assert found.links == reference.stored.links
    crawled = fetched(site.request_log()[start:])
    assert max(crawled.values()) == 1, [page for page, n in crawled.items() if n > 1]
    assert crawled == reference.fetched
    assert frontier_keys_left(redis_space) == []
    assert all("Traceback" not in log for log in logs)
    with session_factory(open_database(pg_url))() as session:
        runs = list(session.scalars(select(CrawlRun)))
    assert {run.host for run in runs} and len({run.pid for run in runs}) == workers
    assert sum(run.stats.get("newsmon/politeness/waited", 0) for run in runs) > 0


@pytest.fixture(scope="module")
def slow_site() -> Iterator[DemoSite]:
    """The plain site answering in 0.3 s per request: a crawl lasts long enough to kill a worker in it."""
    with DemoSite(hostile=False, latency=0.3) as demo:
        yield demo


def leases_of(space: RedisSpace, pid: int) -> int:
    return sum(1 for key in space.keys() if key.endswith(":inflight")
               for lease in space.client.hkeys(key) if f":{pid}:" in lease.decode())


@pytest.mark.timeout(600)
def test_killed_worker_queue_is_finished_by_the_others(pg_url: str, reference: Reference, slow_site: DemoSite,
                                                       redis_space: RedisSpace, tmp_path: Path) -> None:
    outlets = slow_site.write_outlets(tmp_path / "outlets.toml")
    with seeder(pg_url, outlets, redis_space, tmp_path) as seeding:
        crew = start_workers(3, pg_url, outlets, redis_space, tmp_path)
        doomed = None
        deadline = time.monotonic() + 120
        while doomed is None and time.monotonic() < deadline:
            held = {worker.pid: leases_of(redis_space, worker.pid) for worker in crew}
            busiest = max(crew, key=lambda worker: held[worker.pid])
            doomed = busiest if held[busiest.pid] >= 3 else None
            time.sleep(0.02)
        assert doomed is not None, "no worker ever held three requests at once"
        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.wait()
        held_at_death = leases_of(redis_space, doomed.pid)
        finish(seeding)
        for worker in crew:
            if worker is not doomed:
                finish(worker)
    assert held_at_death >= 1, "the worker was killed holding no work; the test proved nothing"
    assert leases_of(redis_space, doomed.pid) == 0
    found = stored(pg_url)
    assert found.rows == len(found.articles)
    assert found.articles == reference.stored.articles
    assert found.links == reference.stored.links
    assert frontier_keys_left(redis_space) == []
