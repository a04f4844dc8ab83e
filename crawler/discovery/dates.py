"""Lenient parsing of the dates feeds and sitemaps carry (RFC 822, ISO 8601 and the
near-ISO forms outlets actually emit, e.g. ``2024-10-18T23:05:21 +0100``)."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from email.utils import parsedate_to_datetime

_SPACED_OFFSET = re.compile(r"\s+([+-]\d{2}:?\d{2})$")


def parse_date(value: str | None) -> datetime | None:
    """A timezone-aware UTC datetime, or None when ``value`` is not a date; naive means UTC."""
    if not value:
        return None
    value = value.strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(_SPACED_OFFSET.sub(r"\1", value).replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def parse_day(value: str) -> date:
    """``YYYY-MM-DD`` for spider and CLI arguments; raises ValueError with a readable message."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"not a date (expected YYYY-MM-DD): {value!r}") from None
