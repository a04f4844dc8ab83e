"""Article rows for export (JSON Lines or CSV), streamed so a large database never has
to fit in memory. The filter is :class:`storage.query.ArticleFilter`, as for
``newsmon articles``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from storage.formats import plain_value, write_csv
from storage.models import Article, Outlet
from storage.query import ArticleFilter, filter_query, run_search_safely

EXPORT_COLUMNS = (
    "id", "url", "canonical_url", "outlet", "title", "authors", "published_at", "updated_at",
    "language", "description", "tags", "section", "image_url", "word_count", "content_hash",
    "fetched_at", "http_status", "relevance_score", "relevance_terms", "is_relevant", "story_id",
    "original_url", "credited_source", "external_id", "text",
)


def export_query(flt: ArticleFilter, dialect: str) -> Select[Any]:
    original = aliased(Article)
    query = (
        select(Article, Outlet.slug, original.url)
        .outerjoin(Outlet, Article.outlet_id == Outlet.id)
        .outerjoin(original, Article.original_id == original.id)
        .order_by(Article.published_at.is_(None), Article.published_at, Article.id)
    )
    return filter_query(query, flt, dialect)[0]


def export_rows(session: Session, flt: ArticleFilter) -> Iterator[dict[str, Any]]:
    """One dict per article, in publication order, with the export columns."""
    query = export_query(flt, session.get_bind().dialect.name).execution_options(yield_per=500)
    for article, outlet_slug, original_url in run_search_safely(session, query, flt):
        row = {name: plain_value(getattr(article, name, None)) for name in EXPORT_COLUMNS}
        row["outlet"] = outlet_slug
        row["original_url"] = original_url
        yield row


def write_export_csv(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    return write_csv(rows, out, EXPORT_COLUMNS)
