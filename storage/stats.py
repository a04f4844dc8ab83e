"""Coverage figures: articles per outlet over time, relevant share, syndication flows.

Counting happens in SQL (GROUP BY on a period expression per backend), so the figures
cost one pass over the filtered articles whatever their number; only the copy delays
come back to Python, for their medians. Periods are UTC days, ISO weeks (starting on
Monday) or months, named by their first day. Articles without a publication date are
counted in the outlet totals but not in the time series.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median
from typing import Any, Literal

from sqlalchemy import ColumnElement, case, func, literal_column, select
from sqlalchemy.orm import Session, aliased

from storage.models import Article, Outlet
from storage.query import ArticleFilter, filter_query, run_search_safely
from storage.story import delay_seconds

Period = Literal["day", "week", "month"]
PERIODS: tuple[Period, ...] = ("day", "week", "month")


@dataclass(slots=True)
class OutletFigures:
    """One outlet's totals in the filtered set."""

    outlet: str
    articles: int
    relevant: int
    originals: int
    copies: int
    undated: int
    share_of_relevant: float = 0.0

    @property
    def relevant_share(self) -> float:
        """Fraction of this outlet's articles that are relevant."""
        return self.relevant / self.articles if self.articles else 0.0


@dataclass(slots=True)
class Flow:
    """Copies by ``copy_outlet`` of originals from ``original_outlet``."""

    original_outlet: str
    copy_outlet: str
    copies: int
    median_delay_seconds: float | None


@dataclass(slots=True)
class CoverageStats:
    by: Period
    periods: list[date]
    outlets: list[OutletFigures]
    # articles[outlet][period index], relevant[outlet][period index]
    articles: dict[str, list[int]] = field(default_factory=dict)
    relevant: dict[str, list[int]] = field(default_factory=dict)
    flows: list[Flow] = field(default_factory=list)

    @property
    def total_articles(self) -> int:
        return sum(o.articles for o in self.outlets)

    @property
    def total_relevant(self) -> int:
        return sum(o.relevant for o in self.outlets)


def human_delay(seconds: float | None) -> str:
    """``42 min``, ``3.5 h``, ``2.0 d``; ``?`` when a date is missing."""
    if seconds is None:
        return "?"
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    if seconds < 3600:
        return f"{sign}{seconds / 60:.0f} min"
    if seconds < 86400:
        return f"{sign}{seconds / 3600:.1f} h"
    return f"{sign}{seconds / 86400:.1f} d"


def next_period(value: date, by: Period) -> date:
    if by == "day":
        return value + timedelta(days=1)
    if by == "week":
        return value + timedelta(days=7)
    return (value.replace(day=28) + timedelta(days=4)).replace(day=1)


def period_expression(by: Period, dialect: str) -> ColumnElement[Any]:
    """The first day of the period of ``published_at``, as ``YYYY-MM-DD`` text (UTC)."""
    if dialect == "postgresql":
        utc = func.timezone(literal_column("'UTC'"), Article.published_at)
        return func.to_char(func.date_trunc(literal_column(f"'{by}'"), utc), literal_column("'YYYY-MM-DD'"))
    if by == "month":
        return func.strftime(literal_column("'%Y-%m-01'"), Article.published_at)
    if by == "week":  # the Sunday on or after the day, minus six days: its Monday
        return func.date(Article.published_at, literal_column("'weekday 0'"), literal_column("'-6 days'"))
    return func.date(Article.published_at)


def _outlet_figures(session: Session, flt: ArticleFilter, dialect: str) -> list[OutletFigures]:
    relevant = func.sum(case((Article.is_relevant.is_(True), 1), else_=0))
    copies = func.sum(case((Article.original_id.is_not(None), 1), else_=0))
    undated = func.sum(case((Article.published_at.is_(None), 1), else_=0))
    query, _ = filter_query(
        select(func.coalesce(Outlet.slug, "?"), func.count(), relevant, copies, undated)
        .select_from(Article).outerjoin(Outlet, Article.outlet_id == Outlet.id),
        flt, dialect,
    )
    rows = run_search_safely(session, query.group_by(Outlet.slug).order_by(func.count().desc(), Outlet.slug), flt)
    figures = [OutletFigures(slug, n, int(rel or 0), n - int(cp or 0), int(cp or 0), int(und or 0))
               for slug, n, rel, cp, und in rows]
    total_relevant = sum(f.relevant for f in figures)
    for figure in figures:
        figure.share_of_relevant = figure.relevant / total_relevant if total_relevant else 0.0
    return figures


def _series(session: Session, flt: ArticleFilter, by: Period, dialect: str) -> dict[tuple[str, date], tuple[int, int]]:
    bucket = period_expression(by, dialect)
    relevant = func.sum(case((Article.is_relevant.is_(True), 1), else_=0))
    query, _ = filter_query(
        select(func.coalesce(Outlet.slug, "?"), bucket, func.count(), relevant)
        .select_from(Article).outerjoin(Outlet, Article.outlet_id == Outlet.id)
        .where(Article.published_at.is_not(None)),
        flt, dialect,
    )
    rows = run_search_safely(session, query.group_by(Outlet.slug, bucket), flt)
    return {(slug, date.fromisoformat(day)): (n, int(rel or 0)) for slug, day, n, rel in rows}


def _flows(session: Session, flt: ArticleFilter, dialect: str) -> list[Flow]:
    original = aliased(Article)
    original_outlet, copy_outlet = aliased(Outlet), aliased(Outlet)
    query, _ = filter_query(
        select(func.coalesce(original_outlet.slug, "?"), func.coalesce(copy_outlet.slug, "?"),
               original.published_at, Article.published_at)
        .select_from(Article)
        .join(original, Article.original_id == original.id)
        .outerjoin(original_outlet, original.outlet_id == original_outlet.id)
        .outerjoin(copy_outlet, Article.outlet_id == copy_outlet.id),
        ArticleFilter(since=flt.since, until=flt.until, language=flt.language, min_relevance=flt.min_relevance,
                      search=flt.search),
        dialect,
    )
    if flt.outlets:
        query = query.where(original_outlet.slug.in_(flt.outlets) | copy_outlet.slug.in_(flt.outlets))
    delays: dict[tuple[str, str], list[float]] = defaultdict(list)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for source, target, original_at, copy_at in run_search_safely(session, query, flt):
        counts[(source, target)] += 1
        delay = delay_seconds(original_at, copy_at)
        if delay is not None:
            delays[(source, target)].append(delay)
    return sorted(
        (Flow(s, t, n, median(delays[(s, t)]) if delays[(s, t)] else None) for (s, t), n in counts.items()),
        key=lambda f: (-f.copies, f.original_outlet, f.copy_outlet),
    )


def coverage_stats(session: Session, flt: ArticleFilter, by: Period = "week") -> CoverageStats:
    """Figures for the articles ``flt`` selects.

    Flows count the copies the filter selects (dates, language, relevance and search
    apply to the copy) whose original or copying outlet is among ``flt.outlets``.
    """
    if by not in PERIODS:  # it becomes SQL text below, so only the three known words
        raise ValueError(f"unknown period {by!r}: use one of {', '.join(PERIODS)}")
    dialect = session.get_bind().dialect.name
    outlets = _outlet_figures(session, flt, dialect)
    series = _series(session, flt, by, dialect)
    periods: list[date] = []
    if series:
        current, last = min(p for _, p in series), max(p for _, p in series)
        while current <= last:
            periods.append(current)
            current = next_period(current, by)
    stats = CoverageStats(by=by, periods=periods, outlets=outlets, flows=_flows(session, flt, dialect))
    for figure in outlets:
        stats.articles[figure.outlet] = [series.get((figure.outlet, p), (0, 0))[0] for p in periods]
        stats.relevant[figure.outlet] = [series.get((figure.outlet, p), (0, 0))[1] for p in periods]
    return stats
