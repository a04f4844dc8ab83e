"""One upgraded engine per database URL per crawler process, shared by the pipelines,
middlewares and extensions (several spiders may run in one process)."""

from __future__ import annotations

from functools import lru_cache

from scrapy.settings import BaseSettings
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from storage.db import make_engine, open_database, session_factory
from storage.location import database_url


@lru_cache(maxsize=None)
def _engine(url: str) -> Engine:
    return open_database(url)


@lru_cache(maxsize=None)
def sessions_for_url(url: str) -> sessionmaker[Session]:
    """A session factory on ``url``, one per process (pool workers open their own)."""
    return session_factory(_engine(url))


def crawl_database_url(settings: BaseSettings) -> str:
    return database_url(settings.get("NEWSMON_DATABASE_URL"))


def sessions_for(settings: BaseSettings) -> sessionmaker[Session]:
    """A session factory on the crawl's database, schema upgraded on first use."""
    return sessions_for_url(crawl_database_url(settings))


@lru_cache(maxsize=None)
def _readers(url: str) -> sessionmaker[Session]:
    _engine(url)  # the schema is upgraded by the writing engine first
    return session_factory(make_engine(url, read_only=True))


def readers_for(settings: BaseSettings) -> sessionmaker[Session]:
    """Sessions for lookups only (known URLs, feed validators): they never wait for a writer."""
    return _readers(crawl_database_url(settings))
