"""Writing articles: one row per article whatever the URL it is seen under.

An article is identified by the URL keys (:func:`storage.urls.url_key`) of its own URL
and of its canonical URL when that stays on the same site. A record whose keys are
already known updates that row (a re-crawl or a new revision) instead of adding one,
so the same article under two URLs of one outlet (AMP, print, query strings) stays one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal

from sqlalchemy import bindparam, delete, exists, insert, select
from sqlalchemy.orm import Session, make_transient_to_detached

from storage.models import Article, ArticleUrl, Outlet, RejectedUrl
from storage.records import ArticleRecord
from storage.syndication.attribution import credited_sources
from storage.syndication.fingerprint import fingerprint
from storage.text import content_hash
from storage.urls import normalize_url, url_host, url_key

SaveStatus = Literal["new", "updated", "unchanged"]
_CONTENT_FIELDS = (
    "title", "authors", "published_at", "updated_at", "language", "text", "description",
    "tags", "section", "image_url", "word_count", "content_hash", "relevance_score",
    "relevance_terms", "is_relevant",
)
_ARTICLE = Article.__table__
_URL = ArticleUrl.__table__
_REJECTED = RejectedUrl.__table__
# What saving needs to know first, in one statement: the outlet's id, the article one of
# the URL keys already names (as :func:`find_article`), and whether a key was rejected.
_LOOKUP = select(
    select(Outlet.__table__.c.id).where(Outlet.__table__.c.slug == bindparam("slug")).scalar_subquery(),
    select(_URL.c.article_id).where(_URL.c.url_key.in_(bindparam("keys", expanding=True)))
    .limit(1).scalar_subquery(),
    exists().where(_REJECTED.c.url_key.in_(bindparam("rejected", expanding=True))),
)


@dataclass(slots=True)
class SaveResult:
    article: Article
    status: SaveStatus

    @property
    def text_changed(self) -> bool:
        return self.status != "unchanged"


def ensure_outlet(
    session: Session, slug: str, *, name: str | None = None, home_url: str | None = None,
    language: str | None = None, scope: str | None = None,
) -> Outlet:
    """The outlet row for ``slug``, created or refreshed from its configuration."""
    outlet = session.scalar(select(Outlet).where(Outlet.slug == slug))
    if outlet is None:
        outlet = Outlet(slug=slug, name=name or slug, home_url=home_url, language=language, scope=scope or "all")
        session.add(outlet)
        session.flush()
        return outlet
    for attr, value in (("name", name), ("home_url", home_url), ("language", language), ("scope", scope)):
        if value is not None and getattr(outlet, attr) != value:
            setattr(outlet, attr, value)
    return outlet


def identity_keys(url: str, canonical_url: str | None) -> list[str]:
    """URL keys that name this article: its URL, and its canonical URL on the same site.

    A canonical URL on another site is a syndication hint, not the article's identity.
    """
    keys = [url_key(url)]
    if canonical_url:
        try:
            if url_host(canonical_url) == url_host(url):
                keys.append(url_key(canonical_url))
        except ValueError:
            pass
    return list(dict.fromkeys(keys))


def find_article(session: Session, keys: Iterable[str]) -> Article | None:
    article_id = session.scalar(select(ArticleUrl.article_id).where(ArticleUrl.url_key.in_(list(keys))).limit(1))
    return session.get(Article, article_id) if article_id is not None else None


def prepare_record(record: ArticleRecord) -> None:
    """The work of storing ``record`` that needs no database: its content hash, and its
    syndication fingerprint and credits (cached per process, read back while linking).
    Call it before the write transaction so a writer holds the lock for less time;
    :func:`save_article` calls it too (a second call costs nothing)."""
    record.content_hash = record.content_hash or content_hash(record.text)
    if record.title is not None:
        fingerprint(record.title, record.text).anchors()
        credited_sources(record.title, record.text)


def save_article(session: Session, record: ArticleRecord) -> SaveResult:
    """Insert or update the article of ``record``; the caller owns the transaction."""
    prepare_record(record)
    url = normalize_url(record.url)
    canonical = normalize_url(record.canonical_url) if record.canonical_url else None
    keys = identity_keys(url, canonical)
    conn = session.connection()
    outlet_id, article_id, rejected = conn.execute(
        _LOOKUP, {"slug": record.outlet, "keys": keys, "rejected": keys}).one()
    if outlet_id is None:
        outlet_id = ensure_outlet(session, record.outlet).id
    if article_id is None:
        values = {
            "outlet_id": outlet_id, "url": url, "url_key": keys[0], "canonical_url": canonical,
            "fetched_at": record.fetched_at, "http_status": record.http_status,
            "external_id": record.external_id, "source": record.source, "story_id": None, "original_id": None,
            "credited_source": None, **{f: getattr(record, f) for f in _CONTENT_FIELDS},
        }
        # A core insert, then the ORM object made persistent as if loaded: the unit of
        # work cost more than the insert itself.
        (article_id,) = conn.execute(insert(_ARTICLE), values).inserted_primary_key
        article = Article(id=article_id, **values)
        make_transient_to_detached(article)
        session.add(article)
        status: SaveStatus = "new"
        known: set[str] = set()
    else:
        article = session.get_one(Article, article_id)
        status = "unchanged" if article.content_hash == record.content_hash and article.title == record.title else "updated"
        for field_name in _CONTENT_FIELDS:
            value = getattr(record, field_name)
            if value is not None and value != getattr(article, field_name):
                setattr(article, field_name, value)
        article.canonical_url = canonical or article.canonical_url
        article.fetched_at = record.fetched_at or article.fetched_at
        article.http_status = record.http_status or article.http_status
        article.external_id = record.external_id or article.external_id
        known = set(conn.scalars(select(_URL.c.url_key).where(_URL.c.url_key.in_(keys))))
    if unknown := [key for key in keys if key not in known]:
        conn.execute(insert(_URL), [{"url_key": key, "article_id": article.id} for key in unknown])
    if rejected:
        conn.execute(delete(_REJECTED).where(_REJECTED.c.url_key.in_(keys)))
    session.flush()
    return SaveResult(article=article, status=status)


def known_url_keys(session: Session, urls: Iterable[str]) -> set[str]:
    """Keys among ``urls`` that need no fetch: stored articles and permanently rejected URLs."""
    keys = {url_key(u) for u in urls}
    if not keys:
        return set()
    found = set(session.scalars(select(ArticleUrl.url_key).where(ArticleUrl.url_key.in_(keys))))
    found |= set(
        session.scalars(
            select(RejectedUrl.url_key).where(RejectedUrl.url_key.in_(keys - found), RejectedUrl.permanent.is_(True))
        )
    )
    return found
