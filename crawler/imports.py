"""Articles from elsewhere: JSON Lines through the same classify, dedup and store steps
as crawled pages.

Each line is one object with ``url``, ``title`` (may be empty) and ``text``, and optionally ``outlet``,
``published_at``, ``authors``, ``language``, ``canonical_url`` and ``id`` (kept as the
article's external id). Every valid line is stored whatever its relevance score; a bad
line is reported with its number and skipped. Lines are committed in batches, so an
interrupted import keeps every batch committed before it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from crawler.discovery.dates import parse_date
from crawler.outlets import OutletConfig
from crawler.relevance import DEFAULT_THRESHOLD, classify_record
from storage.articles import ensure_outlet, save_article
from storage.locking import lock_writers
from storage.records import ArticleRecord
from storage.syndication import link_article
from storage.urls import normalize_url, url_host

_SLUG_JUNK = re.compile(r"[^a-z0-9]+")


class BadLine(ValueError):
    """A line that cannot be imported; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    message: str


@dataclass(slots=True)
class ImportSummary:
    lines: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    copies: int = 0
    errors: list[LineError] = field(default_factory=list)

    @property
    def stored(self) -> int:
        return self.new + self.updated + self.unchanged


def _string(obj: Mapping[str, Any], key: str, *, required: bool = False, empty: bool = False) -> str | None:
    """The string at ``key``, stripped (``text`` keeps its layout); ``empty`` allows ""."""
    value = obj.get(key)
    if value is None or (isinstance(value, str) and not value.strip() and not empty):
        if required:
            raise BadLine(f"missing {key!r}")
        return None
    if not isinstance(value, str):
        raise BadLine(f"{key!r} must be a string, got {type(value).__name__}")
    return value.strip() if key != "text" else value


def parse_line(raw: str) -> tuple[ArticleRecord, str | None]:
    """The record of one JSON line and the outlet it names (None when it names none)."""
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(obj, dict):
        raise BadLine(f"expected a JSON object, got {type(obj).__name__}")
    url, text = _string(obj, "url", required=True), _string(obj, "text", required=True)
    title = _string(obj, "title", required=True, empty=True)
    assert url is not None and title is not None and text is not None
    try:
        url = normalize_url(url)
        canonical = _string(obj, "canonical_url")
        canonical = normalize_url(canonical) if canonical else None
    except ValueError as exc:
        raise BadLine(str(exc)) from None
    published = _string(obj, "published_at")
    published_at = parse_date(published) if published else None
    if published and published_at is None:
        raise BadLine(f"'published_at' is not a date: {published!r}")
    authors = obj.get("authors") or []
    if isinstance(authors, str):
        authors = [authors]
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        raise BadLine("'authors' must be a string or a list of strings")
    external_id = obj.get("id")
    if external_id is not None and not isinstance(external_id, (str, int)):
        raise BadLine("'id' must be a string or a number")
    record = ArticleRecord(
        url=url, outlet="", title=title, text=text, canonical_url=canonical, authors=authors,
        published_at=published_at, language=_string(obj, "language"),
        word_count=len(text.split()), external_id=str(external_id) if external_id is not None else None,
        source="import",
    )
    return record, _string(obj, "outlet")


def slugify(value: str) -> str:
    """An outlet slug (``[a-z][a-z0-9_]*``) from a name or host."""
    slug = _SLUG_JUNK.sub("_", value.casefold()).strip("_")[:60]
    return slug if slug[:1].isalpha() else f"o_{slug}"


class OutletResolver:
    """The outlet of an imported line: a configured outlet named by slug, name or host,
    else one created from the name given, else from the URL's host."""

    def __init__(self, configured: Mapping[str, OutletConfig]):
        self.configured = configured
        self.by_name = {o.name.casefold(): o for o in configured.values()}
        self.by_host = {host: o for o in configured.values() for host in o.domains}

    def resolve(self, session: Session, named: str | None, url: str) -> str:
        config = None
        if named:
            config = self.configured.get(named) or self.by_name.get(named.casefold()) or self.by_host.get(
                named.casefold().removeprefix("www."))
        else:
            config = self.by_host.get(url_host(url))
        if config is not None:
            slug, kwargs = config.slug, {"name": config.name, "home_url": config.home,
                                         "language": config.language, "scope": config.scope}
        else:
            parts = urlsplit(url)
            label = named or url_host(url)
            slug, kwargs = slugify(label), {"name": label, "home_url": f"{parts.scheme}://{parts.netloc}/"}
        ensure_outlet(session, slug, **kwargs)
        return slug


def import_lines(
    sessions: sessionmaker[Session],
    lines: Iterable[str],
    *,
    outlets: Mapping[str, OutletConfig],
    threshold: float = DEFAULT_THRESHOLD,
    batch: int = 200,
    on_error: Callable[[LineError], None] | None = None,
) -> ImportSummary:
    """Store every valid line (classify, save, link), committing every ``batch`` lines."""
    summary = ImportSummary()
    resolver = OutletResolver(outlets)
    pending = 0
    with sessions() as session:
        for number, raw in enumerate(lines, 1):
            if not raw.strip():
                continue
            summary.lines += 1
            try:
                record, named = parse_line(raw)
                lock_writers(session, exclusive=True)  # a bulk writer: see storage.locking
                with session.begin_nested():
                    record.outlet = resolver.resolve(session, named, record.url)
                    classify_record(record, threshold=threshold)
                    saved = save_article(session, record)
                    linked = link_article(session, saved.article, changed=saved.text_changed)
            except (BadLine, IntegrityError) as exc:
                error = LineError(number, str(exc).splitlines()[0])
                summary.errors.append(error)
                if on_error is not None:
                    on_error(error)
                continue
            setattr(summary, saved.status, getattr(summary, saved.status) + 1)
            summary.copies += bool(linked and linked.is_copy)
            pending += 1
            if pending >= batch:
                session.commit()
                pending = 0
        session.commit()
    return summary
