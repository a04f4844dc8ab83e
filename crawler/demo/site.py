"""One outlet of the demo site: its pages, how they are linked, and what a crawl should find.

An :class:`OutletSite` is built from an :class:`OutletSpec` (URL scheme, CMS layout,
feeds, listings, robots.txt) once its server's port is known. It writes the outlet's
generated stories, takes the special pages other modules add (copies, non-articles),
and then answers three questions: which endpoints to serve (:meth:`routes`), what a
crawl should store or reject (:meth:`expected`), and the outlet's entry in a newsmon
outlet file (:meth:`toml`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from random import Random

from crawler.demo import truth
from crawler.demo.content import DEMO_NOW, Newsroom, Story, slugify
from crawler.demo.feeds import Channel, FeedItem, atom, rss, sitemap_index, urlset, SitemapEntry
from crawler.demo.layouts import Layout
from crawler.demo.layouts.views import ArticleView, Comment, ListingView, Masthead, PlainView, Teaser
from crawler.demo.material import load_material
from crawler.demo.responses import Document, Endpoint, Fixed, Revisable
from crawler.demo.spintax import Slots, sentence
from crawler.demo.truth import ExpectedPage, PageKind

HTML = "text/html; charset=utf-8"
SPAN = timedelta(days=14)


@dataclass
class Entry:
    """One page of an outlet: an article (any kind) or a non-article page."""

    kind: PageKind
    title: str
    published: datetime
    story: Story | None = None
    summary: str = ""
    image: str = ""
    libya: bool = True
    in_feed: bool = True
    in_listing: bool = True
    path: str = ""
    post_id: int = 0
    section: tuple[str, str] = ("News", "/")
    prelude_html: str = ""
    appendix_html: str = ""
    byline_org: bool = False
    amp: bool = False
    revision: Story | None = None
    revision_note: str | None = None
    body: Callable[[OutletSite, Entry], PlainView] | None = None
    reason: str | None = None

    @property
    def is_story(self) -> bool:
        return self.story is not None

    def teaser(self) -> Teaser:
        return Teaser(self.title, self.path, self.image, self.published, self.summary, self.section[0])


@dataclass(frozen=True)
class ListingSpec:
    """A section page; page N>1 is ``next`` with {page} (1-based) or {page0} (0-based).

    Without ``next`` the listing is one page of the newest ``per_page`` entries (a page
    that loads more with JavaScript, like Al Jazeera's).
    """

    path: str
    next: str
    per_page: int
    title: str
    description: str
    libya_only: bool = False
    past_end_status: int = 404

    def page_path(self, number: int) -> str:
        if number == 1 or not self.next:
            return self.path
        return self.next.format(page=number, page0=number - 1)


@dataclass(frozen=True)
class FeedSpec:
    path: str
    format: str = "rss"
    size: int = 10
    # WordPress feeds use the post's shortlink as <guid>: "/?p={id}".
    guid: str | None = None


@dataclass(frozen=True)
class OutletSpec:
    slug: str
    name: str
    language: str
    scope: str
    layout: Layout
    article_regex: str
    path_for: Callable[[OutletSite, Entry], str]
    section_for: Callable[[Entry], tuple[str, str]]
    robots: str
    nav: tuple[tuple[str, str], ...]
    topics: tuple[tuple[str, str], ...]
    footer: tuple[tuple[str, str], ...]
    tagline: str
    twitter: str
    founded: int
    utc_offset: timedelta
    mix: str = "libya"
    feeds: tuple[FeedSpec, ...] = ()
    listings: tuple[ListingSpec, ...] = ()
    news_sitemap: bool = False
    first_id: int = 1000
    id_step: int = 3
    comments: bool = False
    outlet_mention: str | None = None
    extras: Callable[[OutletSite], list[Entry]] | None = None
    appendix: Callable[[OutletSite, Entry], str] | None = None
    generator: str = "newsmon demo"
    # The outlet's name in newsmon's configuration when the masthead shows another script.
    config_name: str | None = None


def topic_plan(language: str, mix: str, count: int, rng: Random) -> list[str]:
    """Topics of an outlet's generated stories, newest first.

    Libya-focused outlets write only Libya stories; general outlets (``mix="filter"``)
    mix in a quarter of other regional news and a tenth that names Libya in passing,
    with a Lebanon story set in Tripoli among the first of them.
    """
    material = load_material(language)
    libya = material.topic_names(relevant=True)
    if mix == "libya":
        rng.shuffle(libya)
        return [libya[i % len(libya)] for i in range(count)]
    world = sorted(material.topic_names(relevant=False), key=lambda t: t != "lebanon")
    passing = material.topic_names(relevant=False, mention=True)
    n_passing = max(1, round(count * 0.1)) if count >= 3 else 0
    n_world = max(1, round(count * 0.25)) if count >= 2 else 0
    plan = [passing[i % len(passing)] for i in range(n_passing)]
    plan += [world[i % len(world)] for i in range(n_world)]
    rng.shuffle(libya)
    plan += [libya[i % len(libya)] for i in range(count - len(plan))]
    rng.shuffle(plan)
    return plan


class OutletSite:
    """The pages of one outlet, served from ``base_url``."""

    def __init__(self, spec: OutletSpec, base_url: str, *, count: int, seed: int):
        self.spec = spec
        self.slug = spec.slug
        self.base_url = base_url
        self.seed = seed
        self.masthead = Masthead(
            slug=spec.slug, name=spec.name, base_url=base_url, language=spec.language, utc_offset=spec.utc_offset,
            nav=spec.nav, topics=spec.topics, footer=spec.footer, feed_path=spec.feeds[0].path if spec.feeds else "/",
            twitter=spec.twitter, founded=spec.founded, tagline=spec.tagline,
        )
        self.newsroom = Newsroom(outlet=spec.slug, outlet_name=spec.outlet_mention or spec.name,
                                 language=spec.language, seed=seed)
        self.entries: list[Entry] = []
        self._endpoints: dict[str, Endpoint] = {}
        self._revisable: list[tuple[str, Revisable, str]] = []
        self._write_stories(count)
        if spec.extras:
            self.entries.extend(spec.extras(self))

    # --- content --------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base_url + path

    def _write_stories(self, count: int) -> None:
        rng = Random(f"{self.seed}:{self.slug}:plan")
        spacing = SPAN / max(count, 1)
        titles: set[str] = set()
        for index, topic in enumerate(topic_plan(self.spec.language, self.spec.mix, count, rng)):
            published = (DEMO_NOW - spacing * (index + 0.25) - spacing * rng.uniform(0, 0.5)).replace(microsecond=0)
            for attempt in range(20):
                story = self.newsroom.write(topic, published, index=index, attempt=attempt)
                if story.title not in titles:
                    break
            titles.add(story.title)
            self.entries.append(self.story_entry(story))

    def story_entry(self, story: Story, **fields: object) -> Entry:
        """An entry for ``story``: an article, or an irrelevant one if the story is not Libya coverage."""
        topic = load_material(story.language).topics.get(story.topic)
        libya = story.relevant or bool(topic and topic.mention)  # tagged Libya by the outlet
        kind: PageKind = "article" if story.relevant else "irrelevant"
        entry = Entry(kind=kind, title=story.title, published=story.published, story=story, summary=story.standfirst,
                      image=story.figure.name, libya=libya)
        return replace(entry, **fields)  # type: ignore[arg-type]

    def add(self, *entries: Entry) -> None:
        self.entries.extend(entries)

    def finalize(self) -> None:
        """Order the entries newest first, number them like the CMS does, give each its URL."""
        self.entries.sort(key=lambda en: en.published, reverse=True)
        for rank, entry in enumerate(reversed(self.entries)):
            entry.post_id = self.spec.first_id + rank * self.spec.id_step
        used: set[str] = set()
        for entry in self.entries:
            entry.section = self.spec.section_for(entry)
            if not entry.path:
                entry.path = self.spec.path_for(self, entry)
            base, n = entry.path, 2
            while entry.path in used:
                entry.path = _numbered(base, n)
                n += 1
            used.add(entry.path)
        self._endpoints = self._build_routes()

    def slug_of(self, entry: Entry) -> str:
        return slugify(entry.title)

    @property
    def stories(self) -> list[Entry]:
        """Entries that are stories a reader would call articles (kept or not)."""
        return [en for en in self.entries if en.is_story and en.kind in ("article", "irrelevant")]

    def popular(self) -> tuple[Teaser, ...]:
        return tuple(en.teaser() for en in self.stories[:5])

    def related(self, entry: Entry) -> tuple[Teaser, ...]:
        stories = self.stories
        if entry not in stories:
            return tuple(en.teaser() for en in stories[:4])
        at = stories.index(entry)
        neighbours = stories[at + 1: at + 4] + stories[max(0, at - 2): at]
        return tuple(en.teaser() for en in neighbours[:4])

    def _comments(self, entry: Entry) -> tuple[Comment, ...]:
        if not self.spec.comments or self.spec.language != "en":
            return ()
        rng = Random(f"{self.seed}:{self.slug}:{entry.post_id}:comments")
        pools = load_material("en").pools
        slots = Slots(pools, rng)
        count = rng.choice((0, 0, 1, 2, 3))
        return tuple(
            Comment(author=f"{rng.choice(pools['first_name'])} {rng.choice(pools['last_name'])[0]}.",
                    posted=entry.published + timedelta(hours=rng.randint(1, 30)),
                    text=sentence(rng.choice(pools["comment"]), slots))
            for _ in range(count)
        )

    def article_view(self, entry: Entry, story: Story | None = None) -> ArticleView:
        story = story or entry.story
        assert story is not None
        appendix = entry.appendix_html + (self.spec.appendix(self, entry) if self.spec.appendix else "")
        return ArticleView(
            story=story, path=entry.path, section=entry.section, related=self.related(entry), popular=self.popular(),
            post_id=entry.post_id, amp_path=entry.path + "/amp" if entry.amp else None,
            prelude_html=entry.prelude_html, appendix_html=appendix, comments=self._comments(entry),
            byline_org=entry.byline_org,
        )

    # --- serving ----------------------------------------------------------------------------

    def endpoint(self, path: str) -> Endpoint | None:
        return self._endpoints.get(path)

    def _page(self, render: Callable[[], str], modified: datetime) -> Document:
        return Document(render, content_type=HTML, modified=modified)

    def _build_routes(self) -> dict[str, Endpoint]:
        layout, site = self.spec.layout, self.masthead
        routes: dict[str, Endpoint] = {
            "/robots.txt": Document(lambda: self.spec.robots.format(base=self.base_url), content_type="text/plain; charset=utf-8",
                                    modified=DEMO_NOW - timedelta(days=90)),
        }
        for entry in self.entries:
            routes[entry.path] = self._entry_endpoint(entry)
            if entry.amp:
                routes[entry.path + "/amp"] = self._page(
                    lambda en=entry: layout.amp_article(site, self.article_view(en)), entry.story.modified)  # type: ignore[attr-defined,union-attr]
        for spec in self.spec.feeds:
            routes[spec.path] = self._feed(spec)
        for listing in self.spec.listings:
            routes.update(self._listing_routes(listing))
        if self.spec.news_sitemap:
            routes.update(self._sitemap_routes())
        if "/" not in routes:
            routes["/"] = self._page(lambda: layout.listing(site, ListingView(
                self.spec.name, "/", self.spec.tagline, tuple(en.teaser() for en in self.stories[:20]))), DEMO_NOW)
        return routes

    def _entry_endpoint(self, entry: Entry) -> Endpoint:
        layout, site = self.spec.layout, self.masthead
        if entry.body is not None:
            body = entry.body
            return self._page(lambda: layout.plain(site, body(self, entry)), entry.published)
        story = entry.story
        assert story is not None
        original = self._page(lambda: layout.article(site, self.article_view(entry)), story.modified)
        if entry.revision is None:
            return original
        revision = self._page(lambda: layout.article(site, self.article_view(entry, entry.revision)), entry.revision.modified)
        switch = Revisable(original, revision)
        self._revisable.append((self.url(entry.path), switch, entry.revision_note or ""))
        return switch

    def revise(self) -> dict[str, str]:
        """Publish every pending revision; URL -> a sentence only the revised text has."""
        for _, switch, _ in self._revisable:
            switch.revise()
        return {url: note for url, _, note in self._revisable}

    @property
    def revisions(self) -> dict[str, str]:
        return {url: note for url, _, note in self._revisable}

    def _feed_items(self, spec: FeedSpec) -> list[Entry]:
        return [en for en in self.entries if en.in_feed][: spec.size]

    def _feed(self, spec: FeedSpec) -> Endpoint:
        items = self._feed_items(spec)
        newest = max((en.published for en in items), default=DEMO_NOW)
        channel = Channel(title=self.spec.name, home=self.url("/"), feed_url=self.url(spec.path),
                          description=self.spec.tagline, language=self.spec.language,
                          generator=self.spec.generator, updated=newest)
        feed_items = [
            FeedItem(title=en.title, url=self.url(en.path + ("/amp" if en.amp else "")), published=en.published,
                     author=en.story.author if en.story else self.spec.name, summary=en.summary,
                     categories=(en.section[0], *(en.story.tags if en.story else ())),
                     guid=self.url(spec.guid.format(id=en.post_id)) if spec.guid else None)
            for en in items
        ]
        render = (lambda: atom(channel, feed_items)) if spec.format == "atom" else (lambda: rss(channel, feed_items))
        content_type = "application/atom+xml; charset=utf-8" if spec.format == "atom" else "application/rss+xml; charset=utf-8"
        return Document(render, content_type=content_type, modified=newest, etag=True)

    def listing_entries(self, spec: ListingSpec) -> list[Entry]:
        return [en for en in self.entries if en.in_listing and (en.libya or not spec.libya_only)]

    def listing_pages(self, spec: ListingSpec) -> int:
        if not spec.next:
            return 1
        return max(1, math.ceil(len(self.listing_entries(spec)) / spec.per_page))

    def _listing_routes(self, spec: ListingSpec) -> dict[str, Endpoint]:
        layout, site = self.spec.layout, self.masthead
        entries = self.listing_entries(spec)
        pages = self.listing_pages(spec)
        routes: dict[str, Endpoint] = {}
        for number in range(1, pages + (2 if spec.next else 1)):
            chunk = entries[(number - 1) * spec.per_page: number * spec.per_page]
            if number > pages and spec.past_end_status == 404:
                routes[spec.page_path(number)] = Fixed(404, layout.plain(site, PlainView(
                    "Page not found", spec.page_path(number), "Nothing was found at this location.",
                    "<p>It looks like nothing was found at this location.</p>")).encode(), (("Content-Type", HTML),))
                continue
            view = ListingView(
                title=spec.title, path=spec.page_path(number), description=spec.description,
                teasers=tuple(en.teaser() for en in chunk), page=number,
                prev_path=spec.page_path(number - 1) if number > 1 else None,
                next_path=spec.page_path(number + 1) if number < pages else None,
            )
            modified = max((en.published for en in chunk), default=DEMO_NOW)
            routes[view.path] = self._page(lambda v=view: layout.listing(site, v), modified)
        if spec.next and "{page0}" in spec.next:
            routes[spec.next.format(page=1, page0=0)] = routes[spec.path]
        return routes

    def _sitemap_routes(self) -> dict[str, Endpoint]:
        """A sitemap index of daily Google News sitemaps, Al Jazeera style."""
        days: dict[str, list[Entry]] = {}
        for entry in self.entries:
            if entry.is_story:
                local = self.masthead.local(entry.published)
                days.setdefault(f"/sitemap.xml?yyyy={local:%Y}&mm={local:%m}&dd={local:%d}", []).append(entry)
        routes: dict[str, Endpoint] = {}
        index: list[SitemapEntry] = []
        for path, entries in days.items():
            items = [SitemapEntry(self.url(en.path), en.story.modified, en.title, en.published)  # type: ignore[union-attr]
                     for en in entries]
            modified = max(i.modified for i in items)
            index.append(SitemapEntry(self.url(path), modified))
            routes[path] = Document(lambda it=items: urlset(it, publication=self.spec.name, language=self.spec.language),
                                    content_type="application/xml; charset=utf-8", modified=modified, etag=True)
        newest = max((i.modified for i in index), default=DEMO_NOW)
        routes["/sitemap.xml"] = Document(lambda: sitemap_index(index), content_type="application/xml; charset=utf-8",
                                          modified=newest, etag=True)
        return routes

    # --- ground truth and configuration -----------------------------------------------------

    def expected(self) -> list[ExpectedPage]:
        pages = []
        for entry in self.entries:
            pages.append(self._expected(entry, entry.path))
            if entry.amp:
                pages.append(self._expected(entry, entry.path + "/amp"))
        return pages

    def _expected(self, entry: Entry, path: str) -> ExpectedPage:
        story = entry.story
        reason = entry.reason or {"non_article": truth.NOT_ARTICLE, "irrelevant": truth.IRRELEVANT,
                                  "disallowed": truth.ROBOTS}.get(entry.kind)
        if story is None or entry.kind == "disallowed":
            return ExpectedPage(outlet=self.slug, url=self.url(path), kind=entry.kind, title=entry.title, reason=reason)
        return ExpectedPage(
            outlet=self.slug, url=self.url(path), kind=entry.kind, title=story.title, relevant=story.relevant,
            reason=reason, first_sentence=story.first_sentence, last_sentence=story.last_sentence,
            published_at=story.published, story=story.key,
        )

    def sitemap_urls(self) -> list[str]:
        return [self.url("/sitemap.xml")] if self.spec.news_sitemap else []

    def article_pattern(self) -> str:
        return "^" + re.escape(self.base_url) + self.spec.article_regex + "$"

    def toml(self) -> str:
        listings = ", ".join(
            f"{{ url = {_q(self.url(li.path))}, pages = {self.listing_pages(li)}"
            + (f", next = {_q(self.url(li.next))} }}" if li.next else " }")
            for li in self.spec.listings
        )
        return "\n".join([
            f"[outlets.{self.slug}]",
            f"name = {_q(self.spec.config_name or self.spec.name)}",
            f"home = {_q(self.url('/'))}",
            f"language = {_q(self.spec.language)}",
            f"scope = {_q(self.spec.scope)}",
            f"feeds = [{', '.join(_q(self.url(f.path)) for f in self.spec.feeds)}]",
            f"sitemaps = [{', '.join(_q(u) for u in self.sitemap_urls())}]",
            f"listings = [{listings}]",
            f"article_pattern = '{self.article_pattern()}'",
            "",
        ])


def _q(text: str) -> str:
    """A TOML basic string (JSON string syntax is valid TOML)."""
    return json.dumps(text, ensure_ascii=False)


def _numbered(path: str, n: int) -> str:
    trailing = path.endswith("/")
    return path.rstrip("/") + f"-{n}" + ("/" if trailing else "")

