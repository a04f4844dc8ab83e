"""Ground truth of the demo site: what a crawl should store or reject, and what was requested.

Tests of the crawler compare its database with :class:`ExpectedPage` records and the
server's :class:`RequestRecord` log instead of guessing from the pages themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

PageKind = Literal["article", "non_article", "hostile", "irrelevant", "disallowed"]

# The rejection reasons the crawler is expected to record for pages it must not store.
NOT_ARTICLE = "not_article"
IRRELEVANT = "irrelevant"
ROBOTS = "robots_txt"
TIMEOUT = "timeout"
TOO_LARGE = "too_large"
REDIRECT_LOOP = "redirect_loop"
DATA_LOSS = "data_loss"
BINARY = "binary"
HTTP_500 = "http_500"


@dataclass(frozen=True)
class ExpectedPage:
    """One URL a full crawl meets, and what should become of it.

    ``kind`` "article" pages must be stored (``first_sentence`` and ``last_sentence`` are
    in the stored text); every other kind must not be, for ``reason``. Pages with the same
    ``story`` are copies of one story (syndication, wire copies, an AMP twin); different
    stories about the same event have different keys.
    """

    outlet: str
    url: str
    kind: PageKind
    title: str | None = None
    relevant: bool | None = None
    reason: str | None = None
    first_sentence: str | None = None
    last_sentence: str | None = None
    published_at: datetime | None = None
    story: str | None = None


@dataclass(frozen=True)
class RequestRecord:
    """One request the demo site answered (or, for streamed bodies, started to answer)."""

    slug: str
    method: str
    path: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    at: float = 0.0
    url: str = ""
