"""Article rows for export (JSON Lines or CSV), streamed so a large database never has
to fit in memory."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from storage.models import Article, Outlet

EXPORT_COLUMNS = (
    "id", "url", "canonical_url", "outlet", "title", "authors", "published_at", "updated_at",
    "language", "description", "tags", "section", "image_url", "word_count", "content_hash",
    "fetched_at", "http_status", "relevance_score", "relevance_terms", "is_relevant", "story_id",
    "original_url", "credited_source", "external_id", "text",
)


@dataclass(slots=True)
class ExportFilter:
    outlets: list[str] = field(default_factory=list)
    since: datetime | None = None
    until: datetime | None = None
    originals_only: bool = False


def export_query(flt: ExportFilter) -> Select[Any]:
    original = aliased(Article)
    query = (
        select(Article, Outlet.slug, original.url)
        .outerjoin(Outlet, Article.outlet_id == Outlet.id)
        .outerjoin(original, Article.original_id == original.id)
        .order_by(Article.published_at.is_(None), Article.published_at, Article.id)
    )
    if flt.outlets:
        query = query.where(Outlet.slug.in_(flt.outlets))
    if flt.since is not None:
        query = query.where(Article.published_at >= flt.since)
    if flt.until is not None:
        query = query.where(Article.published_at < flt.until)
    if flt.originals_only:
        query = query.where(Article.original_id.is_(None))
    return query


def _value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def export_rows(session: Session, flt: ExportFilter) -> Iterator[dict[str, Any]]:
    """One dict per article, in publication order, with the export columns."""
    for article, outlet_slug, original_url in session.execute(export_query(flt).execution_options(yield_per=500)):
        row = {name: _value(getattr(article, name, None)) for name in EXPORT_COLUMNS}
        row["outlet"] = outlet_slug
        row["original_url"] = original_url
        yield row


def write_jsonl(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    """CSV with lists joined by ``; `` so spreadsheets get one cell per field."""
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()})
        count += 1
    return count
