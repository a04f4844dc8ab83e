"""Reading and writing the syndication index: fingerprints, anchor and line postings.

Every read is a primary-key probe on a list of hashes, and a hash stops receiving
postings once it has :data:`POSTING_CAP` of them (it is boilerplate by then, or a
phrase every article uses), so the rows one check touches are bounded whatever the
size of the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import zip_longest

from sqlalchemy import Connection, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from storage.models import Article, utcnow
from storage.syndication.fingerprint import VERSION, Fingerprint, pack, unpack
from storage.syndication.models import SyndicationAnchor, SyndicationFingerprint, SyndicationLine

POSTING_CAP = 64
_CHUNK = 500
PostingTable = type[SyndicationAnchor] | type[SyndicationLine]
_FINGERPRINT = SyndicationFingerprint.__table__
# Statements built once: core statements on the session's connection skip the ORM's
# per-statement work, and a prebuilt statement is compiled once.
_INDEXED = select(_FINGERPRINT.c.version, _FINGERPRINT.c.content_hash, _FINGERPRINT.c.anchors,
                  _FINGERPRINT.c.lines).where(_FINGERPRINT.c.article_id == bindparam("id"))


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _marks(conn: Connection, count: int) -> str:
    """``count`` positional placeholders of the driver, or NULL (an empty list)."""
    return ", ".join(("?" if conn.dialect.paramstyle == "qmark" else "%s",) * count) or "NULL"


def _driver_rows(conn: Connection, sql: str, params: tuple[int, ...]) -> list[tuple[int, ...]]:
    """Rows of ``sql`` as the driver returns them. Postings are read and written through
    the driver (engine events still see the statement): per value, SQLAlchemy's parameter
    handling and its Row objects cost more than the database's index probe, and a check
    reads thousands of postings when an article has many copies."""
    with conn.exec_driver_sql(sql, params) as result:
        return result.cursor.fetchall()


def postings(session: Session, table: PostingTable, hashes: Iterable[int]) -> dict[int, list[int]]:
    """Article ids holding each hash (at most :data:`POSTING_CAP` per hash)."""
    found: dict[int, list[int]] = defaultdict(list)
    conn = session.connection()
    for chunk in _chunks(sorted(set(hashes))):
        sql = f"SELECT hash, article_id FROM {table.__tablename__} WHERE hash IN ({_marks(conn, len(chunk))})"
        for h, article_id in _driver_rows(conn, sql, tuple(chunk)):
            found[h].append(article_id)
    return found


def anchor_and_line_postings(session: Session, anchors: Iterable[int], lines: Iterable[int],
                             ) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """:func:`postings` of both tables, read in one statement."""
    found: tuple[dict[int, list[int]], dict[int, list[int]]] = (defaultdict(list), defaultdict(list))
    conn = session.connection()
    for a, l in zip_longest(_chunks(sorted(set(anchors))), _chunks(sorted(set(lines))), fillvalue=()):
        sql = (f"SELECT 0, hash, article_id FROM {SyndicationAnchor.__tablename__} "
               f"WHERE hash IN ({_marks(conn, len(a))}) UNION ALL "
               f"SELECT 1, hash, article_id FROM {SyndicationLine.__tablename__} "
               f"WHERE hash IN ({_marks(conn, len(l))})")
        for kind, h, article_id in _driver_rows(conn, sql, (*a, *l)):
            found[kind][h].append(article_id)
    return found


def _drop_postings(conn: Connection, table: PostingTable, article_id: int, hashes: list[int]) -> None:
    for chunk in _chunks(sorted(set(hashes))):
        conn.execute(delete(table).where(table.article_id == article_id, table.hash.in_(chunk)))


def _add_postings(conn: Connection, table: PostingTable, article_id: int, hashes: list[int],
                  existing: dict[int, list[int]]) -> None:
    rows = [(h, article_id) for h in dict.fromkeys(hashes) if len(existing.get(h, ())) < POSTING_CAP]
    if rows:
        sql = f"INSERT INTO {table.__tablename__} (hash, article_id) VALUES ({_marks(conn, 2)})"
        conn.exec_driver_sql(sql, rows)


def indexed(session: Session, article_id: int) -> tuple[int, str, bytes, bytes] | None:
    """(version, content hash, anchors, lines) of the article's fingerprint row."""
    row = session.connection().execute(_INDEXED, {"id": article_id}).first()
    return None if row is None else tuple(row)  # type: ignore[return-value]


def is_current(row: tuple[int, str, bytes, bytes] | None, article: Article) -> bool:
    return row is not None and row[0] == VERSION and row[1] == article.content_hash


def write_index(session: Session, article: Article, fp: Fingerprint, canonical_key: str | None,
                anchor_postings: dict[int, list[int]], line_postings: dict[int, list[int]]) -> None:
    """Replace the article's postings and fingerprint row; the postings passed in are the
    other articles' (read before this write), used to respect the cap."""
    row = indexed(session, article.id)
    conn = session.connection()
    if row is not None:
        _drop_postings(conn, SyndicationAnchor, article.id, unpack(row[2]))
        _drop_postings(conn, SyndicationLine, article.id, unpack(row[3]))
    anchors, lines = fp.anchors(), fp.line_hashes
    _add_postings(conn, SyndicationAnchor, article.id, anchors, anchor_postings)
    _add_postings(conn, SyndicationLine, article.id, lines, line_postings)
    values = {"version": VERSION, "content_hash": article.content_hash, "words": fp.words,
              "anchors": pack(anchors), "lines": pack(lines), "canonical_key": canonical_key,
              "indexed_at": utcnow()}
    if row is None:
        conn.execute(insert(_FINGERPRINT), {"article_id": article.id, **values})
    else:
        conn.execute(update(_FINGERPRINT).where(_FINGERPRINT.c.article_id == article.id), values)


def clear_index(session: Session) -> None:
    """Empty every index table (for a rebuild)."""
    for table in (SyndicationAnchor, SyndicationLine, SyndicationFingerprint):
        session.execute(delete(table))

