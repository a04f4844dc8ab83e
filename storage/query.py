"""Querying articles: one filter, one query builder, typed rows; also the notebook API.

``newsmon articles``, ``newsmon export`` and ``newsmon stats`` all filter through
:class:`ArticleFilter` and :func:`filter_query`, so an option means the same thing in
every command. Every value reaches SQL as a bound parameter.

A listing runs in two steps: the ids of the page (filter, order, limit), then the
columns, copy counts and search snippets of those ids only. Computing snippets in the
first step would build one for every match before the sort throws most of them away.

In a notebook::

    import pandas as pd
    from storage.query import articles
    df = pd.DataFrame(articles("sqlite:///news.db", search="Haftar", since="2026-01-01", limit=100))
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from typing import Any, Literal

from sqlalchemy import Engine, Select, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, aliased

from storage.db import open_database, session_factory
from storage.models import Article, Outlet
from storage.search import SearchSql, explain_search_error, fts_table, search_sql
from storage.search_query import SearchQuery, SearchQueryError, parse_search

Sort = Literal["newest", "oldest", "relevance", "rank"]
SORTS: tuple[Sort, ...] = ("newest", "oldest", "relevance", "rank")
DETAIL_CHUNK = 500


@dataclass(slots=True)
class ArticleFilter:
    """Which articles: every field narrows; the defaults select everything."""

    outlets: list[str] = field(default_factory=list)
    since: datetime | None = None
    until: datetime | None = None
    language: str | None = None
    min_relevance: float | None = None
    search: str | None = None
    originals_only: bool = False

    def search_query(self) -> SearchQuery | None:
        """The parsed search (raises :class:`SearchQueryError` when it is malformed)."""
        return parse_search(self.search) if self.search is not None else None


@dataclass(slots=True)
class ArticleRow:
    """One article in a listing; flat, so ``pandas.DataFrame(rows)`` takes a list of them."""

    id: int
    outlet: str | None
    outlet_name: str | None
    published_at: datetime | None
    language: str | None
    title: str
    url: str
    description: str | None
    relevance_score: float | None
    is_relevant: bool | None
    story_id: int | None
    original_id: int | None
    copies: int
    rank: float | None = None
    snippet: str | None = None


def filter_query(query: Select[Any], flt: ArticleFilter, dialect: str) -> tuple[Select[Any], SearchSql | None]:
    """``query`` (which selects from ``article``) narrowed by ``flt``, and the search parts if any."""
    if len(flt.outlets) == 1:
        # an equality (not IN) lets SQLite read ix_article_outlet_published already in date order
        query = query.where(Article.outlet_id == select(Outlet.id).where(Outlet.slug == flt.outlets[0]).scalar_subquery())
    elif flt.outlets:
        query = query.where(Article.outlet_id.in_(select(Outlet.id).where(Outlet.slug.in_(flt.outlets))))
    if flt.since is not None:
        query = query.where(Article.published_at >= flt.since)
    if flt.until is not None:
        query = query.where(Article.published_at < flt.until)
    if flt.language is not None:
        query = query.where(Article.language == flt.language)
    if flt.min_relevance is not None:
        query = query.where(Article.relevance_score >= flt.min_relevance)
    if flt.originals_only:
        original = Article.original_id.is_(None)
        # Most articles are originals; without statistics SQLite would read them all
        # through ix_article_original_id and sort, instead of walking the date index.
        query = query.where(func.likely(original) if dialect == "sqlite" else original)
    parsed = flt.search_query()
    if parsed is None:
        return query, None
    search = search_sql(parsed, dialect)
    if search.join_on is not None:
        query = query.join(fts_table, fts_table.c.rowid == Article.id)
    return query.where(search.condition), search


def order_by(sort: Sort, search: SearchSql | None) -> list[Any]:
    if sort == "rank":
        if search is None:
            raise SearchQueryError("--sort rank needs --search: rank is how well an article matches the search")
        return [search.rank.desc(), Article.id.desc()]
    if sort == "oldest":
        return [Article.published_at.asc().nulls_last(), Article.id.asc()]
    if sort == "relevance":
        return [Article.relevance_score.desc().nulls_last(), Article.published_at.desc().nulls_last(), Article.id.desc()]
    return [Article.published_at.desc().nulls_last(), Article.id.desc()]


def run_search_safely(session: Session, statement: Any, flt: ArticleFilter) -> Any:
    """Execute ``statement``; an index that refuses the search becomes a :class:`SearchQueryError`."""
    try:
        return session.execute(statement)
    except DBAPIError as exc:
        explained = explain_search_error(exc, flt.search or "") if flt.search else None
        if explained is None:
            raise
        raise explained from None


# How many of the newest matches a search-only query ranks on SQLite (see _page).
RANK_WINDOW = 20_000


def _page(session: Session, flt: ArticleFilter, sort: Sort, limit: int | None) -> list[tuple[int, float | None]]:
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite" and sort == "rank" and flt.search is not None and flt == ArticleFilter(search=flt.search):
        # Nothing to check on the article rows: rank inside the FTS5 table alone, which
        # skips one article lookup per match (half the time of a common word's search).
        search = search_sql(parse_search(flt.search), dialect)
        # bm25 is computed for every match: for a word in most articles that alone takes
        # a second at 1M. Rank among the newest RANK_WINDOW matches only (found in rowid
        # order, which FTS5 walks without scoring): a monitor's best matches are recent.
        newest = (select(fts_table.c.rowid).where(search.condition)
                  .order_by(fts_table.c.rowid.desc()).limit(RANK_WINDOW).subquery())
        floor = select(func.min(newest.c.rowid)).scalar_subquery()
        query = select(fts_table.c.rowid, search.rank).where(search.condition, fts_table.c.rowid >= floor)
        query = query.order_by(search.rank.desc(), fts_table.c.rowid.desc())
    else:
        query, search = filter_query(select(Article.id), flt, dialect)
        if search is not None:
            query = query.add_columns(search.rank)
        query = query.order_by(*order_by(sort, search))
    if limit is not None:
        query = query.limit(limit)
    return [(row[0], row[1] if search is not None else None) for row in run_search_safely(session, query, flt)]


def _details(session: Session, ids: Sequence[int], flt: ArticleFilter) -> dict[int, ArticleRow]:
    copy = aliased(Article)
    copies = select(func.count()).where(copy.original_id == Article.id).scalar_subquery()
    query = (
        select(
            Article.id, Outlet.slug.label("outlet"), Outlet.name.label("outlet_name"), Article.published_at,
            Article.language, Article.title, Article.url, Article.description, Article.relevance_score,
            Article.is_relevant, Article.story_id, Article.original_id, copies.label("copies"),
        )
        .outerjoin(Outlet, Article.outlet_id == Outlet.id)
        .where(Article.id.in_(ids))
    )
    if flt.search is not None:
        query, search = filter_query(query, ArticleFilter(search=flt.search), session.get_bind().dialect.name)
        assert search is not None
        query = query.add_columns(search.snippet.label("snippet"))
    return {row.id: ArticleRow(**row._asdict()) for row in run_search_safely(session, query, flt)}


def iter_articles(session: Session, flt: ArticleFilter, *, sort: Sort | None = None,
                  limit: int | None = None) -> Iterator[ArticleRow]:
    """Matching articles in ``sort`` order (default: best match for a search, else newest);
    ``limit`` None or 0 means all, as ``--limit 0`` does."""
    sort = sort or ("rank" if flt.search is not None else "newest")
    page = _page(session, flt, sort, limit or None)
    for start in range(0, len(page), DETAIL_CHUNK):
        chunk = page[start:start + DETAIL_CHUNK]
        details = _details(session, [article_id for article_id, _ in chunk], flt)
        for article_id, rank in chunk:
            row = details.get(article_id)
            if row is not None:
                row.rank = rank
                yield row


def as_utc_datetime(value: datetime | date | str | None) -> datetime | None:
    """A notebook-friendly bound: a datetime, a date (midnight UTC) or an ISO string."""
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, str):
        return as_utc_datetime(datetime.fromisoformat(value))
    return datetime.combine(value, time.min, tzinfo=timezone.utc)


def articles(
    db: Engine | Session | str | None = None,
    *,
    outlets: Sequence[str] | str = (),
    since: datetime | date | str | None = None,
    until: datetime | date | str | None = None,
    language: str | None = None,
    min_relevance: float | None = None,
    search: str | None = None,
    originals_only: bool = False,
    sort: Sort | None = None,
    limit: int | None = None,
) -> list[ArticleRow]:
    """Articles as a list of flat rows, for notebooks: ``pd.DataFrame(articles(...))``.

    ``db`` is an engine, a session, a database URL or None (the default database).
    """
    flt = ArticleFilter(
        outlets=[outlets] if isinstance(outlets, str) else list(outlets), since=as_utc_datetime(since),
        until=as_utc_datetime(until), language=language, min_relevance=min_relevance, search=search,
        originals_only=originals_only,
    )
    if isinstance(db, Session):
        return list(iter_articles(db, flt, sort=sort, limit=limit))
    engine = db if isinstance(db, Engine) else open_database(db)
    try:
        with session_factory(engine)() as session:
            return list(iter_articles(session, flt, sort=sort, limit=limit))
    finally:
        if engine is not db:
            engine.dispose()
