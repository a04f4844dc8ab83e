"""Serializing concurrent writers that could see each other, on PostgreSQL.

Under READ COMMITTED two transactions do not see each other's uncommitted rows. When an
original and its copy are stored at the same moment by two processes, each linker looks
for candidates before the other has committed, finds none, and the pair stays unlinked.
Transaction-scoped advisory locks close that gap: before reading the syndication index,
a writer locks every key its article can be matched on (its anchor and line hashes, its
URL keys and the URL it declares canonical). Two articles that could match share a key,
so the second waits until the first commits and then sees it; articles that share
nothing do not wait for each other.

Locks are taken in one order, so waiting cannot form a cycle:

1. the writers lock, shared by one-article writers (the crawler) and exclusive for bulk
   writers (imports, rebuilds), which then need no per-key locks;
2. the article's keys, sorted;
3. the stories lock, around rewriting stories (connected groups of matches), so two
   writers joining one story through different keys rebuild it one after the other.

A transaction that would hold more than :data:`MAX_KEYS` keys takes the writers lock
exclusively instead, which keeps PostgreSQL's shared lock table small. SQLite needs
none of this: ``BEGIN IMMEDIATE`` already admits one writer at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session, SessionTransaction

from storage.syndication.fingerprint import stable_hash

# Two-integer advisory locks live apart from the single-bigint keys of articles.
_NAMESPACE = 0x6E6D  # "nm"
_WRITERS = 1
_STORIES = 2
MAX_KEYS = 1000


@dataclass(slots=True)
class _Held:
    transaction: SessionTransaction
    writers: str | None = None  # None, "shared" or "exclusive"
    keys: int = 0


def _held(session: Session) -> _Held | None:
    """What this session's current transaction holds (None off PostgreSQL)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    transaction = session.get_transaction()
    if transaction is None:
        session.connection()
        transaction = session.get_transaction()
    assert transaction is not None
    held = session.info.get("newsmon_locks")
    if held is None or held.transaction is not transaction:
        held = session.info["newsmon_locks"] = _Held(transaction)
    return held


def lock_writers(session: Session, *, exclusive: bool = False) -> None:
    """Take the writers lock; call it first in the transaction (before any row is written)."""
    held = _held(session)
    if held is None or held.writers == "exclusive" or (held.writers == "shared" and not exclusive):
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    session.execute(text(f"SELECT {function}(:ns, :id)"), {"ns": _NAMESPACE, "id": _WRITERS})
    held.writers = "exclusive" if exclusive else "shared"


def key_of(value: int | str) -> int:
    """The advisory lock key of a hash (already 64-bit) or of a string (hashed)."""
    return value if isinstance(value, int) else stable_hash(value)


def lock_keys(session: Session, values: Iterable[int | str | None]) -> None:
    """Lock the keys an article can be matched on, in sorted order, until commit."""
    held = _held(session)
    if held is None:
        return
    keys = sorted({key_of(v) for v in values if v is not None and v != ""})
    if held.writers == "exclusive" or not keys:
        return
    if held.keys + len(keys) > MAX_KEYS:
        lock_writers(session, exclusive=True)
        return
    lock_writers(session)
    # unnest yields the keys in array order, so they are locked in sorted order
    session.execute(text("SELECT count(pg_advisory_xact_lock(k)) "
                         "FROM unnest(CAST(:keys AS bigint[])) AS t(k)"), {"keys": keys})
    held.keys += len(keys)


def lock_stories(session: Session) -> None:
    """Take the stories lock (after the keys); held until commit."""
    held = _held(session)
    if held is None or held.writers == "exclusive":
        return
    session.execute(text("SELECT pg_advisory_xact_lock(:ns, :id)"), {"ns": _NAMESPACE, "id": _STORIES})
