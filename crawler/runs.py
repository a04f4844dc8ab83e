"""The run recorder: one ``crawl_run`` row per spider run, and every rejected URL.

``scrapy crawl`` exits 0 even when every request failed, so the outcome (status,
counts, first error) is written where cron users, ``newsmon runs`` and ``newsmon
crawl``'s summary can read it. A run's status is ``ok``, ``partial`` (some URLs failed),
``failed`` (no discovery source could be fetched: the outlet is unreachable) or
``interrupted``.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from scrapy import signals

from crawler import signals as newsmon_signals
from crawler.database import sessions_for
from crawler.fetch.conditional import ConditionalRequestMiddleware
from crawler.pipelines import DATABASE_ERROR, Rejected
from storage.retry import run_in_transaction
from storage.runs import PERMANENT_REASONS, finish_run, record_rejection, start_run

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.spiders import Spider
    from typing_extensions import Self

logger = logging.getLogger(__name__)

# Reasons that mean "this page is not for us" rather than "fetching it went wrong".
SKIP_REASONS = frozenset({"not_article", "too_short", "irrelevant", "too_old", "robots_disallowed", "off_pattern"})


def will_be_retried(reason: str) -> bool:
    """A rejection the next run fetches again (not a permanent one, not a deliberate skip).

    While a run has any, its feed validators are not saved: an unchanged feed answering
    304 next time would hide those URLs from the retry.
    """
    return reason not in PERMANENT_REASONS and reason not in SKIP_REASONS


def run_counts(stats: dict[str, Any]) -> dict[str, int]:
    """The crawl_run counters from Scrapy stats."""
    rejected = {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("newsmon/rejected/")}
    skipped = sum(v for r, v in rejected.items() if r in SKIP_REASONS)
    skipped += stats.get("newsmon/skipped/known", 0) + stats.get("newsmon/skipped/too_old", 0)
    return {
        "discovered": stats.get("newsmon/discovered", 0),
        "fetched": stats.get("newsmon/fetched", 0),
        "stored": stats.get("newsmon/stored/new", 0),
        "updated": stats.get("newsmon/stored/updated", 0),
        "skipped": skipped,
        "failed": sum(v for r, v in rejected.items() if r not in SKIP_REASONS),
    }


def run_status(stats: dict[str, Any], finish_reason: str) -> tuple[str, str | None]:
    """(status, error line) of a finished spider run."""
    sources_ok = stats.get("newsmon/source/ok", 0) + stats.get("newsmon/source/not_modified", 0)
    sources_failed = stats.get("newsmon/source/failed", 0)
    error = stats.get("newsmon/store/fatal") or stats.get("newsmon/source/last_error")
    if finish_reason == DATABASE_ERROR:
        return "failed", error
    if finish_reason not in ("finished", "closespider_itemcount"):
        return "interrupted", error or finish_reason
    if sources_ok == 0 and sources_failed > 0:
        return "failed", error
    counts = run_counts(stats)
    if counts["failed"] or sources_failed:
        return "partial", error
    return "ok", None


class CrawlRunRecorder:
    """Writes the run row and rejected URLs.

    Rejections are written by one background thread: a write waits for the database's
    write lock, which the pipeline's storing workers hold most of the time, and the
    reactor thread must not wait with it. The thread is drained before the run closes.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.sessions = sessions_for(crawler.settings)
        self.run_id: int | None = None
        self.retries_pending = 0
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsmon-rejections")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        o = cls(crawler)
        crawler.signals.connect(o.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(o.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(o.url_rejected, signal=newsmon_signals.url_rejected)
        return o

    def spider_opened(self, spider: Spider) -> None:
        with self.sessions.begin() as session:
            self.run_id = start_run(session, spider.name).id
        self.crawler.stats.set_value("newsmon/run_id", self.run_id)

    def url_rejected(self, url: str, outlet: str, reason: str, detail: str, http_status: int | None) -> None:
        if will_be_retried(reason):
            self.retries_pending += 1
        self.writer.submit(self._write_rejection, url, outlet, reason, detail, http_status)

    def _write_rejection(self, url: str, outlet: str, reason: str, detail: str, http_status: int | None) -> None:
        try:
            # another process may record the same URL at the same moment (unique url_key)
            run_in_transaction(self.sessions, lambda session: record_rejection(
                session, url, outlet_slug=outlet, reason=reason, detail=detail, http_status=http_status,
                run_id=self.run_id))
        except Exception:
            logger.exception("could not record the rejection of %s (%s)", url, reason)

    def item_dropped(self, item: Any, response: Any, exception: BaseException, spider: Spider) -> None:
        if isinstance(exception, Rejected):
            self.crawler.stats.inc_value(f"newsmon/rejected/{exception.reason}")
            self.url_rejected(exception.url, spider.name, exception.reason, exception.detail, exception.http_status)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.writer.shutdown(wait=True)
        stats = dict(self.crawler.stats.get_stats())
        status, error = run_status(stats, reason)
        clean = status in ("ok", "partial") and self.retries_pending == 0 and not stats.get("newsmon/skipped/limit")
        if clean and (conditional := ConditionalRequestMiddleware.find(self.crawler)) is not None:
            conditional.commit()
        if self.run_id is None:
            return
        with self.sessions.begin() as session:
            finish_run(session, self.run_id, status=status, finish_reason=reason, counts=run_counts(stats),
                       error=error, stats={k: v for k, v in stats.items() if isinstance(v, (int, float, str))})
