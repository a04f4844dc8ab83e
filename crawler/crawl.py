"""Run the spiders of several outlets in one Scrapy process and report per outlet.

Used by ``newsmon crawl`` and ``newsmon demo``; ``scrapy crawl <outlet>`` runs the same
spiders and pipelines through Scrapy's own command.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from threading import Thread
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crawler.outlets import OutletConfig
from crawler.workers import warm_pool
from storage.db import open_database, session_factory
from storage.models import CrawlRun, utcnow


@dataclass(frozen=True, slots=True)
class RunSummary:
    outlet: str
    status: str
    discovered: int
    fetched: int
    stored: int
    updated: int
    skipped: int
    failed: int
    error: str | None
    started_at: datetime
    finished_at: datetime | None
    finish_reason: str | None = None


def crawl_settings(db_url: str, outlet_files: list[str], *, default_outlets: bool = True, refresh: bool = False,
                   overrides: dict[str, Any] | None = None) -> Settings:
    """Project settings with the database, outlet files and ``-s`` overrides applied."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.set("NEWSMON_DATABASE_URL", db_url, priority="cmdline")
    settings.set("NEWSMON_OUTLETS_FILES", list(outlet_files), priority="cmdline")
    settings.set("NEWSMON_OUTLETS_DEFAULTS", default_outlets, priority="cmdline")
    if refresh:
        settings.set("NEWSMON_REFRESH", True, priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def run_crawl(settings: Settings, outlets: list[OutletConfig], *, since: date | None = None,
              max_articles: int | None = None) -> list[RunSummary]:
    """Crawl ``outlets`` concurrently; blocks until every spider closed."""
    db_url = settings.get("NEWSMON_DATABASE_URL")
    engine = open_database(db_url)
    # Starting the workers waits for the fork server to import trafilatura and the rest
    # (~1 s): let that overlap with Scrapy's own start-up and the first feed fetches.
    Thread(target=warm_pool, name="warm-pool", daemon=True, args=(
        settings.getint("NEWSMON_EXTRACT_WORKERS"), settings.getint("NEWSMON_STORE_WORKERS"), db_url)).start()
    settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    process = CrawlerProcess(settings)
    crawlers = []
    for outlet in outlets:
        crawler = process.create_crawler(outlet.slug)
        crawlers.append(crawler)
        process.crawl(crawler, since=since, max_articles=max_articles)
    process.start()
    summaries = run_summaries(session_factory(engine), [(o.slug, c) for o, c in zip(outlets, crawlers)])
    engine.dispose()
    return summaries


def run_summaries(sessions: sessionmaker[Session], crawled: list[tuple[str, Crawler]]) -> list[RunSummary]:
    """The recorded run of each (outlet, finished crawler), in order."""
    run_ids = [c.stats.get_value("newsmon/run_id") for _, c in crawled]
    with sessions() as session:
        runs = {r.id: r for r in session.scalars(select(CrawlRun).where(CrawlRun.id.in_([i for i in run_ids if i])))}
    summaries = []
    for (slug, _), run_id in zip(crawled, run_ids):
        run = runs.get(run_id) if run_id else None
        if run is None:
            summaries.append(RunSummary(slug, "failed", 0, 0, 0, 0, 0, 0, "the spider did not start", utcnow(), None))
            continue
        summaries.append(RunSummary(slug, run.status, run.discovered, run.fetched, run.stored, run.updated,
                                    run.skipped, run.failed, run.error, run.started_at, run.finished_at,
                                    run.finish_reason))
    return summaries
