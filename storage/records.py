"""The normalized article as it flows through extract -> classify -> dedup -> store.

One typed record, produced by extraction (or by ``newsmon import``), enriched by the
relevance step, and written by :mod:`storage.articles`. Scrapy accepts it as an item
(dataclass items are supported by itemadapter).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class ArticleRecord:
    url: str
    outlet: str
    title: str
    text: str
    canonical_url: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    updated_at: datetime | None = None
    language: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    section: str | None = None
    image_url: str | None = None
    word_count: int = 0
    content_hash: str = ""
    fetched_at: datetime | None = None
    http_status: int | None = None
    relevance_score: float | None = None
    relevance_terms: list[str] = field(default_factory=list)
    is_relevant: bool | None = None
    external_id: str | None = None
    source: str = "crawl"
