"""Publication timestamps as pages write them -> timezone-aware UTC datetimes.

Pages use ISO 8601 with any offset, RFC 2822 (from feeds and CMS templates), or a bare
date. A value without a zone is taken as UTC: guessing the outlet's zone would be wrong
as often as it is right, and UTC keeps the error bounded to the offset.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

_EARLIEST_YEAR = 1990
# "2019-11-20 11:28:00 +0200" and "2019/11/20 11:28" are common in CMS meta tags.
_LOOSE_ISO = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)


def _loose_iso(value: str) -> datetime | None:
    m = _LOOSE_ISO.match(value)
    if not m:
        return None
    year, month, day, hour, minute, second, zone = m.groups()
    text = f"{year}-{int(month):02d}-{int(day):02d}T{int(hour or 0):02d}:{minute or '00'}:{second or '00'}"
    if zone:
        text += "+00:00" if zone.upper() == "Z" else zone
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_datetime(value: object) -> datetime | None:
    """A UTC datetime from an ISO 8601 / RFC 2822 / bare-date string, else None."""
    if not isinstance(value, str) or not (value := value.strip()):
        return None
    try:
        parsed: datetime | None = datetime.fromisoformat(value)
    except ValueError:
        parsed = _loose_iso(value)
    if parsed is None:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.year < _EARLIEST_YEAR:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
