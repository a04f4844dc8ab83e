"""Item pipelines: extract (100) -> classify relevance (200) -> dedup and store (300).

Extraction and storage (with its syndication check) are the CPU-heavy stages, so both
run in worker processes (:mod:`crawler.workers`): the reactor thread only fetches and
hands items over, and every core does pipeline work. The relevance score is a property
of the extracted article, so the extraction call computes it too (one round trip to a
worker instead of two, and no scoring on the reactor thread); the relevance stage then
applies the outlet's policy. Each store worker opens its own database engine; SQLite's
``BEGIN IMMEDIATE`` and PostgreSQL's writer locks (:mod:`storage.locking`) keep
concurrent stores consistent.

Each stage either completes the item or rejects it with a :class:`Rejected` reason,
which the run recorder persists with the URL (``rejected_url``) so a user can see why
a page is not in the database.

Settings: NEWSMON_EXTRACT_WORKERS, NEWSMON_STORE_WORKERS, NEWSMON_EXTRACT_MAX_BYTES,
NEWSMON_RELEVANCE_THRESHOLD, NEWSMON_DATABASE_URL.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro
from sqlalchemy.exc import OperationalError

from crawler.database import crawl_database_url, sessions_for, sessions_for_url
from crawler.extraction import NotAnArticle, extract_article
from crawler.items import FetchedPage
from crawler.relevance import classify_record
from crawler.workers import worker_pool
from storage.articles import SaveResult, ensure_outlet, prepare_record, save_article
from storage.locking import lock_writers
from storage.records import ArticleRecord
from storage.retry import run_in_transaction
from storage.syndication import link_article

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from sqlalchemy.orm import Session
    from typing_extensions import Self

logger = logging.getLogger(__name__)
# The close reason of a spider stopped because its articles could not be written.
DATABASE_ERROR = "database_error"


class Rejected(DropItem):
    """An item that is not stored, with a short machine-readable reason."""

    def __init__(self, url: str, reason: str, detail: str = "", http_status: int | None = None):
        super().__init__(f"{reason}: {url}" + (f" ({detail})" if detail else ""))
        self.url, self.reason, self.detail, self.http_status = url, reason, detail, http_status


def _extract(page: FetchedPage, language: str | None, max_bytes: int, threshold: float) -> ArticleRecord | NotAnArticle:
    """Worker-side call: the scored article; exceptions come back as values so the reason
    survives pickling."""
    try:
        record = extract_article(
            page.body, page.url, outlet=page.outlet, content_type=page.content_type, language=language,
            fetched_at=page.fetched_at, http_status=page.status, max_bytes=max_bytes,
        )
    except NotAnArticle as exc:
        return exc
    return classify_record(record, threshold=threshold)


class ExtractionPipeline:
    """Page -> scored article (in the extract pool), or :class:`Rejected` with the reason."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.workers = crawler.settings.getint("NEWSMON_EXTRACT_WORKERS")
        self.max_bytes = crawler.settings.getint("NEWSMON_EXTRACT_MAX_BYTES")
        self.threshold = crawler.settings.getfloat("NEWSMON_RELEVANCE_THRESHOLD")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        spider = self.crawler.spider
        language = spider.outlet.language if spider is not None and hasattr(spider, "outlet") else None
        if len(item.body) > self.max_bytes:
            raise Rejected(item.url, "too_large", f"{len(item.body)} bytes", item.status)
        loop = asyncio.get_running_loop()
        result = await loop.run_in_executor(worker_pool(self.workers), _extract, item, language, self.max_bytes,
                                            self.threshold)
        if isinstance(result, NotAnArticle):
            raise Rejected(item.url, result.reason, result.detail, item.status)
        if result.published_at is None and item.listed_published_at is not None:
            result.published_at = item.listed_published_at
        since = getattr(spider, "since", None)
        if since is not None and result.published_at is not None and result.published_at < since:
            raise Rejected(item.url, "too_old", f"published {result.published_at:%Y-%m-%d}, before --since", item.status)
        return result


class RelevancePipeline:
    """Drops articles of ``scope = "filter"`` outlets below the threshold (scoring those
    that arrive unscored, i.e. not from :class:`ExtractionPipeline`)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.threshold = crawler.settings.getfloat("NEWSMON_RELEVANCE_THRESHOLD")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleRecord):
            return item
        if item.relevance_score is None:
            classify_record(item, threshold=self.threshold)
        spider = self.crawler.spider
        scope = spider.outlet.scope if spider is not None and hasattr(spider, "outlet") else "all"
        if scope == "filter" and not item.is_relevant:
            detail = f"score {item.relevance_score:.1f} < {self.threshold:g}"
            raise Rejected(item.url, "irrelevant", detail, item.http_status)
        return item


def store_record(session: Session, record: ArticleRecord) -> SaveResult:
    """Save one article and link it into its story (the writers lock first: see storage.locking)."""
    lock_writers(session)
    result = save_article(session, record)
    link_article(session, result.article, changed=result.text_changed)
    return result


@dataclass(frozen=True, slots=True)
class StoreOutcome:
    """What a worker's store did: a save status, or the database error that must stop the crawl."""

    status: str | None = None
    fatal: str | None = None


def _store(record: ArticleRecord, db_url: str) -> StoreOutcome:
    """Worker-side call: one transaction, retried on a lost race; errors come back as values."""
    prepare_record(record)  # content hash, fingerprint, credits: CPU work before the write lock
    try:
        result = run_in_transaction(sessions_for_url(db_url), lambda session: store_record(session, record))
    except OperationalError as exc:
        return StoreOutcome(fatal=str(exc.orig))
    return StoreOutcome(status=result.status)


class StoragePipeline:
    """Stores each article and links it to its syndication story, in one transaction."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.sessions = sessions_for(crawler.settings)
        self.db_url = crawl_database_url(crawler.settings)
        self.workers = crawler.settings.getint("NEWSMON_STORE_WORKERS")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        outlet = getattr(spider, "outlet", None)
        if outlet is not None:
            run_in_transaction(self.sessions, lambda session: ensure_outlet(
                session, outlet.slug, name=outlet.name, home_url=outlet.home, language=outlet.language,
                scope=outlet.scope))

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, ArticleRecord):
            return item
        stats = self.crawler.stats
        loop = asyncio.get_running_loop()
        outcome = await loop.run_in_executor(worker_pool(self.workers, "store"), _store, item, self.db_url)
        if outcome.fatal is not None:
            # A full disk or a broken database file will fail every item: stop now, say why.
            logger.error("database write failed, stopping the crawl: %s", outcome.fatal)
            stats.set_value("newsmon/store/fatal", outcome.fatal)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=DATABASE_ERROR))
            raise DropItem(f"database error: {outcome.fatal}")
        stats.inc_value(f"newsmon/stored/{outcome.status}")
        return item
