"""Fixtures on the real PostgreSQL and Redis servers, each test in its own schema and key
prefix (dropped afterwards), and the reference crawl the distributed tests compare with:
one `newsmon crawl` of the local site into SQLite, in one process.

Loaded as a pytest plugin by conftest.py.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from sqlalchemy import create_engine, select
from sqlalchemy.orm import aliased

from conftest import PG_ADMIN_URL, REDIS_URL, crawl_args, require_service, run_newsmon
from crawler.demo import DemoSite
from crawler.demo.truth import RequestRecord
from storage.db import open_database, session_factory
from storage.models import Article, Outlet, RejectedUrl

# One extraction process per crawler process: several run at once on a small machine.
ONE_EXTRACTOR = ("-s", "NEWSMON_EXTRACT_WORKERS=1")
# The local site answers at once, but a loaded machine can hold a robots.txt past the fast
# settings' 4 s timeout, and Scrapy (2.19) then lets requests that were waiting for it
# through unchecked: a robots-disallowed page gets fetched in one crawl and not another.
PATIENT = ("-s", "DOWNLOAD_TIMEOUT=30")


def new_pg_schema_url() -> tuple[str, str]:
    """(schema, URL whose search_path is that new, empty schema)."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    admin.dispose()
    return schema, f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}"


def drop_pg_schema(schema: str) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL on a fresh schema of the test database, dropped afterwards."""
    require_service("PostgreSQL", "127.0.0.1", 5432)
    schema, url = new_pg_schema_url()
    try:
        yield url
    finally:
        drop_pg_schema(schema)


@dataclass(frozen=True)
class RedisSpace:
    url: str
    prefix: str
    client: redis.Redis

    def keys(self) -> list[str]:
        return sorted(k.decode() for k in self.client.scan_iter(f"{self.prefix}:*"))


@pytest.fixture
def redis_space() -> Iterator[RedisSpace]:
    """The Redis server with a key prefix of this test's own, whose keys are deleted afterwards."""
    require_service("Redis", "127.0.0.1", 6379)
    client = redis.Redis.from_url(REDIS_URL)
    space = RedisSpace(REDIS_URL, f"newsmon-test-{uuid.uuid4().hex[:12]}", client)
    try:
        yield space
    finally:
        for key in space.keys():
            client.delete(key)
        client.close()


def page_of(url: str) -> str:
    """A URL without its port: pages of two runs of the local site compare across ports."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass(frozen=True)
class Stored:
    """What a crawl left in a database, comparable across databases and site instances."""

    articles: frozenset[tuple[str, str]]  # (outlet, page)
    links: frozenset[tuple[str, str, str, str]]  # (copy outlet, copy page, original outlet, original page)
    rejected: frozenset[tuple[str, str]]  # (page, reason)
    rows: int  # article rows (equal to len(articles) when no article is stored twice)


def stored(db_url: str) -> Stored:
    engine = open_database(db_url)
    original, outlet_of_original = aliased(Article), aliased(Outlet)
    with session_factory(engine)() as session:
        articles = session.execute(select(Outlet.slug, Article.url).join(Outlet, Article.outlet_id == Outlet.id)).all()
        links = session.execute(
            select(Outlet.slug, Article.url, outlet_of_original.slug, original.url)
            .join(Outlet, Article.outlet_id == Outlet.id)
            .join(original, Article.original_id == original.id)
            .join(outlet_of_original, original.outlet_id == outlet_of_original.id)
        ).all()
        rejected = session.execute(select(RejectedUrl.url, RejectedUrl.reason)).all()
    engine.dispose()
    return Stored(
        articles=frozenset((slug, page_of(url)) for slug, url in articles),
        links=frozenset((c, page_of(cu), o, page_of(ou)) for c, cu, o, ou in links),
        rejected=frozenset((page_of(url), reason) for url, reason in rejected),
        rows=len(articles),
    )


def fetched(records: list[RequestRecord]) -> Counter[tuple[str, str]]:
    """How many times each (outlet, page) was requested, robots.txt aside (every process
    reads it for itself)."""
    return Counter((r.slug, page_of(r.url)) for r in records if r.path != "/robots.txt")


@dataclass(frozen=True)
class Reference:
    site: DemoSite
    outlets: Path
    db_path: Path
    stored: Stored
    fetched: Counter[tuple[str, str]]


@pytest.fixture(scope="session")
def plain_site() -> Iterator[DemoSite]:
    """The local site without its hostile corner: every page answers the first time, so
    a crawl fetches each URL exactly once."""
    with DemoSite(hostile=False) as demo:
        yield demo


@pytest.fixture(scope="session")
def reference(plain_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """A single-process crawl of ``plain_site`` into SQLite."""
    tmp = tmp_path_factory.mktemp("reference")
    outlets = plain_site.write_outlets(tmp / "outlets.toml")
    db_path = tmp / "reference.db"
    db_url = f"sqlite:///{db_path}"
    start = len(plain_site.request_log())
    result = run_newsmon(*crawl_args(*PATIENT), db_url=db_url, outlets=outlets)
    assert result.returncode == 0, result.stderr
    found = stored(db_url)
    assert found.articles and found.links, "the reference crawl stored no article or no link"
    return Reference(plain_site, outlets, db_path, found, fetched(plain_site.request_log()[start:]))
