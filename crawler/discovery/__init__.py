"""Discovery: article URLs (with their listed dates and titles) from feeds, sitemaps and
section pages. Pure functions over response bytes, so they are tested without a crawl."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit


@dataclass(frozen=True, slots=True)
class Listed:
    """An article URL as a discovery source lists it."""

    url: str
    published_at: datetime | None = None
    title: str | None = None


def web_url(href: str | None, base: str) -> str | None:
    """``href`` made absolute against ``base`` if it is an http(s) URL; None for
    ``javascript:``, ``mailto:`` and garbage."""
    if not href:
        return None
    url = urljoin(base, href.strip())
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.hostname else None
