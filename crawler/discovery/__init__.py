"""Discovery: article URLs (with their listed dates and titles) from feeds, sitemaps and
section pages. Pure functions over response bytes, so they are tested without a crawl."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Listed:
    """An article URL as a discovery source lists it."""

    url: str
    published_at: datetime | None = None
    title: str | None = None
