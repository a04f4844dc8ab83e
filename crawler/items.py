"""Items passed from the spiders to the pipelines.

A spider yields a :class:`FetchedPage`; the extraction pipeline turns it into a
:class:`storage.records.ArticleRecord`, which the relevance and storage pipelines
complete and store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(slots=True)
class FetchedPage:
    """An article page as downloaded, before extraction."""

    outlet: str
    url: str
    status: int
    body: bytes
    content_type: str | None
    fetched_at: datetime
    discovered_via: str
    listed_published_at: datetime | None = None
    listed_title: str | None = None
