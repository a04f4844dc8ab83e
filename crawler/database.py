"""One upgraded engine per database URL per crawler process, shared by the pipelines,
middlewares and extensions (several spiders may run in one process)."""

from __future__ import annotations

from functools import lru_cache

from scrapy.settings import BaseSettings
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from storage.db import open_database, session_factory
from storage.location import database_url


@lru_cache(maxsize=None)
def _engine(url: str) -> Engine:
    return open_database(url)


def engine_for(settings: BaseSettings) -> Engine:
    return _engine(database_url(settings.get("NEWSMON_DATABASE_URL")))


@lru_cache(maxsize=None)
def _sessions(url: str) -> sessionmaker[Session]:
    return session_factory(_engine(url))


def sessions_for(settings: BaseSettings) -> sessionmaker[Session]:
    """A session factory on the crawl's database, schema upgraded on first use."""
    return _sessions(database_url(settings.get("NEWSMON_DATABASE_URL")))
