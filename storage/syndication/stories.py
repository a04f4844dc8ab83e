"""From matches to stories: connected groups, their original, and one link per copy.

A story is a connected group of matched articles; its id is the id of its original, and
every other member gets a :class:`storage.models.SyndicationLink` to that original. The
original is the earliest published member. Where dates are missing or equal, evidence
decides: a member that credits another member's outlet or names it as rel=canonical is
not the original. An earlier member that itself credits a later one is not its original
either (reposts often carry the local time as UTC), and when nothing else decides, the
member holding the most text (a truncated repost is shorter than its source), then the
first stored, is.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Row, bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from storage.models import Article, SyndicationLink
from storage.syndication.models import SyndicationFingerprint, SyndicationMatch

# Matches are read and written as core rows (attribute access like the ORM class): no
# ORM object is built, and none can go stale in the session's identity map.
Match = SyndicationMatch | Row
_ARTICLE = Article.__table__
_MATCH = SyndicationMatch.__table__
_LINK = SyndicationLink.__table__
_FINGERPRINT = SyndicationFingerprint.__table__
_MEMBERS = (
    select(_ARTICLE.c.id, _ARTICLE.c.published_at, _FINGERPRINT.c.words, _ARTICLE.c.story_id,
           _ARTICLE.c.original_id)
    .outerjoin(_FINGERPRINT, _FINGERPRINT.c.article_id == _ARTICLE.c.id)
    .where(_ARTICLE.c.id.in_(bindparam("ids", expanding=True)))
)
_MATCHES = select(_MATCH).where(or_(_MATCH.c.low_id.in_(bindparam("low", expanding=True)),
                                    _MATCH.c.high_id.in_(bindparam("high", expanding=True))))


_LAST = datetime.max.replace(tzinfo=timezone.utc)


@dataclass(frozen=True, slots=True)
class Member:
    id: int
    published_at: datetime | None
    words: int


def matches_of(session: Session, ids: Iterable[int]) -> list[Match]:
    ids = list(set(ids))
    if not ids:
        return []
    return list(session.connection().execute(_MATCHES, {"low": ids, "high": ids}))


def neighbours(session: Session, article_id: int) -> set[int]:
    return {m.high_id if m.low_id == article_id else m.low_id for m in matches_of(session, [article_id])}


def components(session: Session, start: Iterable[int]) -> list[tuple[set[int], list[Match]]]:
    """The stories holding ``start``, each with its matches, found breadth-first."""
    seen: set[int] = set()
    found = []
    for root in start:
        if root in seen:
            continue
        members, edges, frontier = {root}, {}, {root}
        while frontier:
            batch = matches_of(session, frontier)
            frontier = set()
            for m in batch:
                edges[(m.low_id, m.high_id)] = m
                for node in (m.low_id, m.high_id):
                    if node not in members:
                        members.add(node)
                        frontier.add(node)
        seen |= members
        found.append((members, list(edges.values())))
    return found


def _credits(edges: list[Match]) -> set[tuple[int, int]]:
    """(copy, original) pairs declared by credit or canonical evidence."""
    pairs = set()
    for m in edges:
        for kind in ("credit", "canonical"):
            by = (m.evidence or {}).get(kind, {}).get("by")
            if by is not None:
                pairs.add((by, m.high_id if by == m.low_id else m.low_id))
    return pairs


def choose_original(members: list[Member], edges: list[Match]) -> int:
    declared = _credits(edges)
    dated = [m.published_at for m in members if m.published_at is not None]
    if dated:
        first = min(dated)
        pool = {m.id for m in members if m.published_at is None or m.published_at == first}
        while True:
            credited = {original for copy, original in declared if copy in pool} - pool
            if not credited:
                break
            pool |= credited
    else:
        pool = {m.id for m in members}
    crediting = {copy for copy, _ in declared}
    pool = (pool - crediting) or pool
    incoming = defaultdict(int)
    for _, original in declared:
        incoming[original] += 1
    candidates = [m for m in members if m.id in pool]
    best = min(candidates, key=lambda m: (-incoming[m.id], m.published_at is None,
                                          m.published_at or _LAST, -m.words, m.id))
    return best.id


def _paths(original: int, edges: list[Match]) -> dict[int, Match]:
    """For each member, the match leading one step closer to the original."""
    adjacent: dict[int, list[Match]] = defaultdict(list)
    for m in edges:
        adjacent[m.low_id].append(m)
        adjacent[m.high_id].append(m)
    for ms in adjacent.values():
        ms.sort(key=lambda m: -m.shared)
    step: dict[int, Match] = {}
    queue = deque([original])
    reached = {original}
    while queue:
        node = queue.popleft()
        for m in adjacent[node]:
            other = m.high_id if m.low_id == node else m.low_id
            if other not in reached:
                reached.add(other)
                step[other] = m
                queue.append(other)
    return step


def link_evidence(copy: int, original: int, match: Match) -> dict[str, Any]:
    """What the link of ``copy`` shows: text overlap, and the evidence the copy declared."""
    low = copy == match.low_id
    evidence: dict[str, Any] = {"text_overlap": {
        "shared_shingles": match.shared,
        "copy_in_original": match.low_in_high if low else match.high_in_low,
        "original_in_copy": match.high_in_low if low else match.low_in_high,
    }}
    declared = match.evidence or {}
    if declared.get("credit", {}).get("by") == copy:
        evidence["attribution"] = declared["credit"]["name"]
    if declared.get("canonical", {}).get("by") == copy:
        evidence["canonical"] = declared["canonical"]["url"]
    if declared.get("title"):
        evidence["title"] = True
    parent = match.high_id if low else match.low_id
    if parent != original:
        evidence["via"] = parent
    return evidence


def write_story(session: Session, members: set[int], edges: list[Match], *,
                lone: tuple[int | None, int | None] | None = None) -> int:
    """Set story, original and links of one story; returns the original's id.

    ``lone`` is the (story_id, original_id) of the only member, when the caller has read
    it. Only articles whose story or original changes are updated, and only former copies
    can have a link to delete (a link exists exactly when ``original_id`` is set); their
    ORM objects in the session, if any, are expired so they read the new values."""
    conn = session.connection()
    if lone is not None and len(members) == 1:
        rows = [(*members, None, 0, *lone)]
    else:
        rows = conn.execute(_MEMBERS, {"ids": list(members)}).all()
    infos = [Member(id=i, published_at=p, words=w or 0) for i, p, w, _, _ in rows]
    original = choose_original(infos, edges) if len(infos) > 1 else infos[0].id
    step = _paths(original, edges)
    former_copies = [i for i, _, _, _, original_id in rows if original_id is not None]
    if former_copies:
        conn.execute(delete(_LINK).where(_LINK.c.copy_id.in_(former_copies)))
    moved: dict[int | None, list[int]] = defaultdict(list)
    links = []
    for i, _, _, story_id, original_id in rows:
        copy_of = None if i == original or i not in step else original
        if story_id != original or original_id != copy_of:
            moved[copy_of].append(i)
        if copy_of is not None:
            match = step[i]
            low = i == match.low_id
            links.append({"copy_id": i, "original_id": original,
                          "containment": match.low_in_high if low else match.high_in_low,
                          "resemblance": match.resemblance, "evidence": link_evidence(i, original, match)})
    for copy_of, ids in moved.items():
        conn.execute(update(_ARTICLE).where(_ARTICLE.c.id.in_(ids))
                     .values(story_id=original, original_id=copy_of))
        for i in ids:
            loaded = session.identity_map.get(identity_key(Article, i))
            if loaded is not None:
                session.expire(loaded, ["story_id", "original_id"])
    if links:
        conn.execute(insert(_LINK), links)
    return original
