"""Reading and writing the syndication index: fingerprints, anchor and line postings.

Every read is a primary-key probe on a list of hashes, and a hash stops receiving
postings once it has :data:`POSTING_CAP` of them (it is boilerplate by then, or a
phrase every article uses), so the rows one check touches are bounded whatever the
size of the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from storage.models import Article, utcnow
from storage.syndication.fingerprint import VERSION, Fingerprint, pack, unpack
from storage.syndication.models import SyndicationAnchor, SyndicationFingerprint, SyndicationLine

POSTING_CAP = 64
_CHUNK = 500
PostingTable = type[SyndicationAnchor] | type[SyndicationLine]


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def postings(session: Session, table: PostingTable, hashes: Iterable[int]) -> dict[int, list[int]]:
    """Article ids holding each hash (at most :data:`POSTING_CAP` per hash)."""
    found: dict[int, list[int]] = defaultdict(list)
    values = sorted(set(hashes))
    for chunk in _chunks(values):
        for h, article_id in session.execute(select(table.hash, table.article_id).where(table.hash.in_(chunk))):
            found[h].append(article_id)
    return found


def _drop_postings(session: Session, table: PostingTable, article_id: int, hashes: list[int]) -> None:
    for chunk in _chunks(sorted(set(hashes))):
        session.execute(delete(table).where(table.article_id == article_id, table.hash.in_(chunk)))


def _add_postings(session: Session, table: PostingTable, article_id: int, hashes: list[int],
                  existing: dict[int, list[int]]) -> None:
    rows = [{"hash": h, "article_id": article_id} for h in dict.fromkeys(hashes)
            if len(existing.get(h, ())) < POSTING_CAP]
    if rows:
        session.execute(insert(table), rows)


def fingerprint_row(session: Session, article_id: int) -> SyndicationFingerprint | None:
    return session.get(SyndicationFingerprint, article_id)


def is_current(row: SyndicationFingerprint | None, article: Article) -> bool:
    return row is not None and row.version == VERSION and row.content_hash == article.content_hash


def write_index(session: Session, article: Article, fp: Fingerprint, canonical_key: str | None,
                anchor_postings: dict[int, list[int]], line_postings: dict[int, list[int]]) -> None:
    """Replace the article's postings and fingerprint row; the postings passed in are the
    other articles' (read before this write), used to respect the cap."""
    row = fingerprint_row(session, article.id)
    if row is not None:
        _drop_postings(session, SyndicationAnchor, article.id, unpack(row.anchors))
        _drop_postings(session, SyndicationLine, article.id, unpack(row.lines))
    anchors, lines = fp.anchors(), fp.line_hashes
    _add_postings(session, SyndicationAnchor, article.id, anchors, anchor_postings)
    _add_postings(session, SyndicationLine, article.id, lines, line_postings)
    values = {"version": VERSION, "content_hash": article.content_hash, "words": fp.words,
              "anchors": pack(anchors), "lines": pack(lines), "canonical_key": canonical_key,
              "indexed_at": utcnow()}
    if row is None:
        session.add(SyndicationFingerprint(article_id=article.id, **values))
    else:
        for key, value in values.items():
            setattr(row, key, value)
    session.flush()


def clear_index(session: Session) -> None:
    """Empty every index table (for a rebuild)."""
    for table in (SyndicationAnchor, SyndicationLine, SyndicationFingerprint):
        session.execute(delete(table))


def declaring_canonical(session: Session, url_keys: Iterable[str]) -> list[int]:
    """Articles whose rel=canonical names one of ``url_keys`` (copies stored first)."""
    keys = list(url_keys)
    if not keys:
        return []
    return list(session.scalars(select(SyndicationFingerprint.article_id)
                                .where(SyndicationFingerprint.canonical_key.in_(keys))))
