"""Crawl throughput of 1 vs N `newsmon worker` processes sharing one Redis frontier,
storing into PostgreSQL.

The local site (``DemoSite``, scaled with ``--articles-per-outlet``, without its hostile
corner) is crawled once per worker count, each run into a fresh PostgreSQL schema with a
fresh Redis key prefix: `newsmon crawl --redis ... --wait` seeds the frontier, the
workers crawl it, fetch, extract (one extraction process each), store and link. The
clock runs from the first request the site answers to the moment the frontier is
drained (every item stored), so a worker's start-up and its idle exit are not counted.
Pages/s counts every page the site served (feeds, sitemaps, listings, articles).

All processes (workers, their extraction processes, PostgreSQL, Redis and the site
itself) share this machine's cores: on a 2-core machine the ratio measures how much of
the work overlaps, not how N machines would scale.

    .venv/bin/python bench/workers_pg.py [--articles-per-outlet 150] [--workers 1,2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import redis  # noqa: E402
from sqlalchemy import create_engine, func, select  # noqa: E402

from crawler.demo import DemoSite  # noqa: E402
from storage.db import open_database, session_factory  # noqa: E402
from storage.models import Article, SyndicationLink  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PG_URL = os.environ.get("NEWSMON_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("NEWSMON_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
SETTINGS = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=0", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
            "NEWSMON_EXTRACT_WORKERS=1", "NEWSMON_LEASE_TICK=0.5")


@dataclass
class Run:
    workers: int
    pages: int
    articles: int
    links: int
    seconds: float
    pages_per_second: float


def crawl(site: DemoSite, outlets: Path, workers: int, scratch: Path) -> Run:
    schema, prefix = f"bench_{uuid.uuid4().hex[:10]}", f"newsmon-bench-{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    db_url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    open_database(db_url).dispose()
    base = [sys.executable, "-m", "crawler", "--db", db_url, "--outlets", str(outlets), "--no-default-outlets"]
    frontier = ["--redis", REDIS_URL, "--redis-prefix", prefix]
    settings = [arg for s in SETTINGS for arg in ("-s", s)]
    start = len(site.request_log())
    try:
        seeder = subprocess.Popen([*base, "crawl", *frontier, "--wait", "-q"], stderr=subprocess.PIPE, text=True)
        crew = [subprocess.Popen([*base, "worker", *frontier, "--idle-timeout", "2", *settings],
                                 env={**os.environ, "NEWSMON_DATA_DIR": str(scratch / f"{prefix}-{n}")},
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for n in range(workers)]
        _, err = seeder.communicate(timeout=3600)
        drained_at = time.time()
        if seeder.returncode != 0:
            raise SystemExit(f"seeding failed: {err}")
        for worker in crew:
            worker.wait(timeout=600)
        log = [r for r in site.request_log()[start:] if r.path != "/robots.txt"]
        engine = open_database(db_url)
        with session_factory(engine)() as session:
            articles = session.scalar(select(func.count()).select_from(Article)) or 0
            links = session.scalar(select(func.count()).select_from(SyndicationLink)) or 0
        engine.dispose()
        seconds = drained_at - min(r.at for r in log)
        return Run(workers, len(log), articles, links, round(seconds, 1), round(len(log) / seconds, 2))
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.dispose()
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles-per-outlet", type=int, default=150)
    parser.add_argument("--workers", default="1,2", help="worker counts to compare (the first is the baseline)")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    runs = []
    with tempfile.TemporaryDirectory() as scratch, DemoSite(articles_per_outlet=args.articles_per_outlet,
                                                             hostile=False) as site:
        outlets = site.write_outlets(Path(scratch) / "outlets.toml")
        for workers in counts:
            run = crawl(site, outlets, workers, Path(scratch))
            runs.append(run)
            print(f"{run.workers} worker(s): {run.pages} pages in {run.seconds} s = {run.pages_per_second} pages/s; "
                  f"{run.articles} articles, {run.links} links", flush=True)
    base = runs[0].pages_per_second
    ratios = {r.workers: round(r.pages_per_second / base, 2) for r in runs}
    print("ratio to", counts[0], "worker(s):", ", ".join(f"{n}: {ratio}" for n, ratio in ratios.items()))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "workers_pg.json"
    out.write_text(json.dumps({"articles_per_outlet": args.articles_per_outlet, "cores": os.cpu_count(),
                               "runs": [asdict(r) for r in runs], "ratio": ratios}, indent=2) + "\n")
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
