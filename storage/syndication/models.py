"""Tables of the syndication index: per-article fingerprints, the two posting tables
that make candidate lookup and boilerplate statistics indexed probes, and the verified
matches that stories are built from.

The posting tables carry no foreign key on purpose: SQLite checks a cascade by scanning
the child table when the child column is not indexed, and an index on ``article_id``
would double their size. Postings of a deleted article are dropped lazily (candidates
are joined to ``article``) and rewritten from the fingerprint's own lists on update.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, utcnow


class SyndicationFingerprint(Base):
    """What the index holds for one article, so its postings can be replaced on update."""

    __tablename__ = "syndication_fingerprint"

    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    words: Mapped[int] = mapped_column(Integer)
    anchors: Mapped[bytes] = mapped_column(LargeBinary)
    lines: Mapped[bytes] = mapped_column(LargeBinary)
    canonical_key: Mapped[str | None] = mapped_column(String(2000), index=True)
    indexed_at: Mapped[datetime] = mapped_column(default=utcnow)


class SyndicationAnchor(Base):
    """A sampled word shingle of an article: the candidate lookup probes these."""

    __tablename__ = "syndication_anchor"
    __table_args__ = {"sqlite_with_rowid": False}

    hash: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    article_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class SyndicationLine(Base):
    """A line (paragraph) of an article: lines found across unrelated stories are boilerplate."""

    __tablename__ = "syndication_line"
    __table_args__ = {"sqlite_with_rowid": False}

    hash: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    article_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class SyndicationMatch(Base):
    """A verified copy relation between two articles (``low_id < high_id``), undirected.

    Stories are the connected groups of matches; which side is the original is decided
    per story, so a match stays valid when an earlier version arrives later.
    """

    __tablename__ = "syndication_match"

    low_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    high_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    shared: Mapped[int] = mapped_column(Integer)
    low_in_high: Mapped[float] = mapped_column(Float)
    high_in_low: Mapped[float] = mapped_column(Float)
    resemblance: Mapped[float] = mapped_column(Float)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)

    __table_args__ = (Index("ix_syndication_match_high_id", "high_id"),)
