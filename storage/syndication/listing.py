"""Stories with more than one version, as ``newsmon stories`` lists them: the original
and each copy with its outlet, date, containment and evidence.

Stories are read in pages of ids, newest original first, so a large database is never
loaded whole.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from storage.models import Article, Outlet, SyndicationLink

_PAGE = 200


@dataclass(slots=True)
class Version:
    """One version of a story; the scores and evidence are empty for the original."""

    id: int
    outlet: str | None
    url: str
    title: str
    published_at: datetime | None
    credited_source: str | None = None
    containment: float | None = None
    resemblance: float | None = None
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Story:
    id: int
    original: Version
    copies: list[Version]


def _story_ids(session: Session, since: datetime | None, outlet: str | None) -> Iterator[int]:
    """Ids of stories with copies, matching the filters on any of their versions."""
    original = aliased(Article)
    query = (
        select(original.id)
        .where(original.id.in_(select(SyndicationLink.original_id)))
        .order_by(original.published_at.desc().nulls_last(), original.id.desc())
    )
    member = aliased(Article)
    if since is not None or outlet is not None:
        matching = select(member.story_id).where(member.story_id == original.id)
        if since is not None:
            matching = matching.where(member.published_at >= since)
        if outlet is not None:
            matching = matching.join(Outlet, member.outlet_id == Outlet.id).where(Outlet.slug == outlet)
        query = query.where(matching.exists())
    offset = 0
    while True:
        page = list(session.scalars(query.offset(offset).limit(_PAGE)))
        yield from page
        if len(page) < _PAGE:
            return
        offset += _PAGE


def _stories(session: Session, ids: list[int]) -> list[Story]:
    rows = session.execute(
        select(Article.id, Article.story_id, Outlet.slug, Article.url, Article.title, Article.published_at,
               Article.credited_source, SyndicationLink.containment, SyndicationLink.resemblance,
               SyndicationLink.evidence)
        .outerjoin(Outlet, Article.outlet_id == Outlet.id)
        .outerjoin(SyndicationLink, SyndicationLink.copy_id == Article.id)
        .where(Article.story_id.in_(ids))
        .order_by(Article.published_at.asc().nulls_last(), Article.id)
    )
    originals: dict[int, Version] = {}
    copies: dict[int, list[Version]] = defaultdict(list)
    for i, story, slug, url, title, published, credited, containment, resemblance, evidence in rows:
        version = Version(id=i, outlet=slug, url=url, title=title, published_at=published, credited_source=credited,
                          containment=containment, resemblance=resemblance, evidence=evidence or {})
        if i == story:
            originals[story] = version
        else:
            copies[story].append(version)
    return [Story(id=s, original=originals[s], copies=copies[s]) for s in ids if s in originals and copies[s]]


def _all_stories(session: Session, since: datetime | None, outlet: str | None) -> Iterator[Story]:
    ids: list[int] = []
    for story_id in _story_ids(session, since, outlet):
        ids.append(story_id)
        if len(ids) == _PAGE:
            yield from _stories(session, ids)
            ids = []
    if ids:
        yield from _stories(session, ids)


def list_stories(session: Session, *, since: datetime | None = None, outlet: str | None = None,
                 limit: int | None = None) -> Iterator[Story]:
    """Stories with at least one copy, newest original first."""
    return islice(_all_stories(session, since, outlet), limit)
