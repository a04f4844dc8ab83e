"""What a layout prints: the outlet's masthead and the view of one page, CMS-independent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from crawler.demo.content import Story


@dataclass(frozen=True, slots=True)
class Masthead:
    slug: str
    name: str
    base_url: str
    language: str
    utc_offset: timedelta
    nav: tuple[tuple[str, str], ...]
    topics: tuple[tuple[str, str], ...]
    footer: tuple[tuple[str, str], ...]
    feed_path: str
    twitter: str
    founded: int
    tagline: str

    def url(self, path: str) -> str:
        return self.base_url + path

    def local(self, when: datetime) -> datetime:
        return when.astimezone(timezone(self.utc_offset))

    @property
    def direction(self) -> str:
        return "rtl" if self.language == "ar" else "ltr"


@dataclass(frozen=True, slots=True)
class Teaser:
    title: str
    path: str
    image: str
    published: datetime
    summary: str
    section: str


@dataclass(frozen=True, slots=True)
class Comment:
    author: str
    posted: datetime
    text: str


@dataclass(frozen=True, slots=True)
class ArticleView:
    story: Story
    path: str
    section: tuple[str, str]
    related: tuple[Teaser, ...]
    popular: tuple[Teaser, ...]
    post_id: int = 0
    amp_path: str | None = None
    canonical_path: str | None = None
    # Outlet material printed inside the article body (a repost's caption, op-ed boilerplate).
    prelude_html: str = ""
    appendix_html: str = ""
    comments: tuple[Comment, ...] = ()
    byline_org: bool = False

    @property
    def canonical(self) -> str:
        return self.canonical_path or self.path


@dataclass(frozen=True, slots=True)
class ListingView:
    title: str
    path: str
    description: str
    teasers: tuple[Teaser, ...]
    page: int = 1
    prev_path: str | None = None
    next_path: str | None = None


@dataclass(frozen=True, slots=True)
class PlainView:
    """A page that is not an article: a hub, a gallery, a video, an about page."""

    title: str
    path: str
    description: str
    body_html: str
    og_type: str = "website"
    published: datetime | None = None
