"""Crawl runs and rejected URLs: what each crawl did, and why a URL was not stored.

``scrapy crawl`` exits 0 even when every request failed, so the outcome of each run is
recorded here, where cron users and ``newsmon runs`` can see it.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import CrawlRun, RejectedUrl, utcnow
from storage.urls import url_key

# Reasons after which a URL is not worth fetching again in later runs.
PERMANENT_REASONS = frozenset({"not_article", "too_short", "irrelevant", "binary", "too_large", "http_404", "http_410", "off_pattern"})


def start_run(session: Session, outlet_slug: str, *, started_at: datetime | None = None) -> CrawlRun:
    run = CrawlRun(outlet_slug=outlet_slug, started_at=started_at or utcnow(), status="running",
                   pid=os.getpid(), host=socket.gethostname())
    session.add(run)
    session.flush()
    return run


def finish_run(session: Session, run_id: int, *, status: str, finish_reason: str | None,
               counts: dict[str, int], error: str | None = None, stats: dict[str, Any] | None = None) -> CrawlRun:
    run = session.get_one(CrawlRun, run_id)
    run.finished_at = utcnow()
    run.status = status
    run.finish_reason = finish_reason
    for name in ("discovered", "fetched", "stored", "updated", "skipped", "failed"):
        setattr(run, name, int(counts.get(name, 0)))
    run.error = error
    run.stats = stats or {}
    return run


def close_abandoned_runs(session: Session, outlet_slugs: list[str]) -> int:
    """Mark the ``running`` runs of ``outlet_slugs`` as interrupted: called by a run that holds
    these outlets' locks, so any such row belongs to a process that died (kill -9, reboot)."""
    result = session.execute(
        update(CrawlRun)
        .where(CrawlRun.outlet_slug.in_(outlet_slugs), CrawlRun.status == "running")
        .values(status="interrupted", finish_reason="abandoned",
                error="the crawl process died before finishing (killed or rebooted)")
    )
    return result.rowcount or 0


def record_rejection(session: Session, url: str, *, outlet_slug: str | None, reason: str,
                     detail: str | None = None, http_status: int | None = None, run_id: int | None = None) -> RejectedUrl:
    """Upsert the rejection of ``url``; repeated failures count attempts."""
    key = url_key(url)
    row = session.scalar(select(RejectedUrl).where(RejectedUrl.url_key == key))
    permanent = reason in PERMANENT_REASONS
    if row is None:
        row = RejectedUrl(url_key=key, url=url, outlet_slug=outlet_slug, reason=reason, detail=detail,
                          http_status=http_status, permanent=permanent, run_id=run_id)
        session.add(row)
    else:
        row.reason, row.detail, row.http_status, row.permanent = reason, detail, http_status, permanent
        row.attempts += 1
        row.last_seen_at = utcnow()
        row.run_id = run_id or row.run_id
    session.flush()
    return row
