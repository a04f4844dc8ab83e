"""Reading the crawl history: recent runs, the URLs they rejected, each outlet's last run.

For ``newsmon runs`` and ``newsmon schedule --list``; the rows are the ORM objects
themselves, detached from their session.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import CrawlRun, RejectedUrl


def recent_runs(session: Session, *, outlet: str | None = None, statuses: Collection[str] | None = None,
                limit: int = 20) -> list[CrawlRun]:
    """The newest runs first, optionally of one outlet and some statuses."""
    query = select(CrawlRun).order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc()).limit(limit)
    if outlet:
        query = query.where(CrawlRun.outlet_slug == outlet)
    if statuses:
        query = query.where(CrawlRun.status.in_(list(statuses)))
    return list(session.scalars(query))


def run_rejections(session: Session, run_ids: Collection[int], *, exclude_reasons: Collection[str] = (),
                   per_run: int = 50) -> dict[int, list[RejectedUrl]]:
    """Rejected URLs last seen by each of ``run_ids`` (at most ``per_run`` each), newest first."""
    found: dict[int, list[RejectedUrl]] = {run_id: [] for run_id in run_ids}
    if not run_ids:
        return found
    query = select(RejectedUrl).where(RejectedUrl.run_id.in_(list(run_ids)))
    if exclude_reasons:
        query = query.where(RejectedUrl.reason.not_in(list(exclude_reasons)))
    for row in session.scalars(query.order_by(RejectedUrl.last_seen_at.desc(), RejectedUrl.id.desc())):
        rows = found[row.run_id]  # type: ignore[index]
        if len(rows) < per_run:
            rows.append(row)
    return found


def latest_runs(session: Session, outlets: Collection[str]) -> dict[str, CrawlRun]:
    """The most recent run of each outlet in ``outlets`` that has one."""
    newest = (select(CrawlRun.outlet_slug, func.max(CrawlRun.id).label("id"))
              .where(CrawlRun.outlet_slug.in_(list(outlets))).group_by(CrawlRun.outlet_slug).subquery())
    runs = session.scalars(select(CrawlRun).join(newest, CrawlRun.id == newest.c.id))
    return {run.outlet_slug: run for run in runs}
