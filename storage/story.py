"""One article with its story: the original it copies, and the copies of that original.

What ``newsmon show`` prints: an article is looked up by id or by any URL it was seen
under, and the story is read from ``article.original_id`` (the links the syndication
step made), with the scores of each link from ``syndication_link``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.articles import find_article, identity_keys
from storage.models import Article, ArticleUrl, Outlet, SyndicationLink


@dataclass(slots=True)
class LinkedArticle:
    """An article of the same story, as seen from the one shown."""

    id: int
    outlet: str | None
    title: str
    url: str
    published_at: datetime | None
    delay_seconds: float | None
    containment: float | None = None
    resemblance: float | None = None


@dataclass(slots=True)
class StoryView:
    article: Article
    outlet: str | None
    outlet_name: str | None
    url_keys: list[str]
    original: LinkedArticle | None
    copies: list[LinkedArticle] = field(default_factory=list)

    @property
    def is_copy(self) -> bool:
        return self.original is not None


def article_by_ref(session: Session, ref: str) -> Article | None:
    """The article with id ``ref`` (digits), or seen under the URL ``ref``."""
    ref = ref.strip()
    if ref.isdigit():
        return session.get(Article, int(ref))
    try:
        keys = identity_keys(ref, None)
    except ValueError:
        return None
    return find_article(session, keys)


def delay_seconds(original: datetime | None, copy: datetime | None) -> float | None:
    if original is None or copy is None:
        return None
    return (copy - original).total_seconds()


def _linked(session: Session, condition: object, original_published: datetime | None) -> list[LinkedArticle]:
    rows = session.execute(
        select(Article.id, Outlet.slug, Article.title, Article.url, Article.published_at,
               SyndicationLink.containment, SyndicationLink.resemblance)
        .outerjoin(Outlet, Article.outlet_id == Outlet.id)
        .outerjoin(SyndicationLink, SyndicationLink.copy_id == Article.id)
        .where(condition)
        .order_by(Article.published_at.asc().nulls_last(), Article.id)
    )
    return [
        LinkedArticle(id=i, outlet=slug, title=title, url=url, published_at=published,
                      delay_seconds=delay_seconds(original_published, published), containment=c, resemblance=r)
        for i, slug, title, url, published, c, r in rows
    ]


def story_view(session: Session, article: Article) -> StoryView:
    """``article`` with its original (when it is a copy) and the copies of the story's original."""
    outlet = session.get(Outlet, article.outlet_id) if article.outlet_id is not None else None
    url_keys = list(session.scalars(select(ArticleUrl.url_key).where(ArticleUrl.article_id == article.id)))
    root = session.get(Article, article.original_id) if article.original_id is not None else article
    original = None
    if root is not article:
        original = _linked(session, Article.id == root.id, root.published_at)[0]
        original.delay_seconds = delay_seconds(root.published_at, article.published_at)
        link = session.scalar(select(SyndicationLink).where(SyndicationLink.copy_id == article.id))
        if link is not None:
            original.containment, original.resemblance = link.containment, link.resemblance
    copies = _linked(session, (Article.original_id == root.id) & (Article.id != article.id), root.published_at)
    return StoryView(article=article, outlet=outlet.slug if outlet else None, outlet_name=outlet.name if outlet else None,
                     url_keys=url_keys, original=original, copies=copies)
