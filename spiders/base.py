"""The outlet spider: discover article URLs from feeds, sitemaps and listing pages, and
fetch the articles. Extraction, relevance and storage happen in the item pipelines.

Spider arguments: ``-a since=YYYY-MM-DD`` (skip articles listed as published before),
``-a max_articles=N`` (fetch at most N articles in this run).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date, datetime, time, timezone
from typing import Any, ClassVar

import scrapy
from scrapy.http import Request, Response, TextResponse
from twisted.python.failure import Failure

from crawler import signals as newsmon_signals
from crawler.discovery import Listed
from crawler.discovery.dates import parse_day
from crawler.discovery.feeds import parse_feed
from crawler.discovery.listings import article_links, next_page_link
from crawler.discovery.sitemaps import parse_sitemap
from crawler.fetch.errors import classify_failure
from crawler.items import FetchedPage
from crawler.outlets import Listing, OutletConfig
from storage.models import utcnow

SOURCE_STATUSES = [304]


class OutletSpider(scrapy.Spider):
    outlet: ClassVar[OutletConfig]

    def __init__(self, *args: Any, since: str | date | None = None, max_articles: str | int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if isinstance(since, str):
            since = parse_day(since)
        self.since: datetime | None = datetime.combine(since, time.min, tzinfo=timezone.utc) if since else None
        self.max_articles: int | None = None
        if max_articles not in (None, ""):
            self.max_articles = int(max_articles)
            if self.max_articles < 0:
                raise ValueError(f"max_articles must be >= 0, got {max_articles!r}")
        self.allowed_domains = list(self.outlet.domains)
        self.scheduled_articles = 0
        self.discovered: set[str] = set()

    # -- discover -------------------------------------------------------------------------
    def _source(self, url: str, callback: Any, kind: str, **meta: Any) -> Request:
        return Request(
            url, callback=callback, errback=self.on_source_error, priority=10,
            meta={"newsmon_source": kind, "handle_httpstatus_list": SOURCE_STATUSES, **meta},
        )

    async def start(self) -> AsyncIterator[Request]:
        for url in self.outlet.feeds:
            yield self._source(url, self.parse_feed, "feed")
        for url in self.outlet.sitemaps:
            yield self._source(url, self.parse_sitemap, "sitemap")
        for index, listing in enumerate(self.outlet.listings):
            yield self._source(listing.url, self.parse_listing, "listing", newsmon_listing=index, newsmon_page=1)

    def _source_ok(self, response: Response) -> bool:
        stats = self.crawler.stats
        if response.status == 304:
            stats.inc_value("newsmon/source/not_modified")
            return False
        stats.inc_value("newsmon/source/ok")
        return True

    def parse_feed(self, response: Response) -> Iterator[Request]:
        if self._source_ok(response):
            yield from self.follow_articles(parse_feed(response.body, response.url), "feed")

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        if not self._source_ok(response):
            return
        page = parse_sitemap(response.body, response.url, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
        for url, lastmod in page.children:
            if self.since and lastmod and lastmod < self.since:
                continue
            yield self._source(url, self.parse_sitemap, "sitemap")
        yield from self.follow_articles(page.articles, "sitemap")

    def parse_listing(self, response: Response) -> Iterator[Request]:
        if not self._source_ok(response) or not isinstance(response, TextResponse):
            return
        links = article_links(response, self.outlet.is_article_url)
        yield from self.follow_articles(links, "listing")
        listing: Listing = self.outlet.listings[response.meta["newsmon_listing"]]
        page = response.meta["newsmon_page"]
        if page >= listing.pages or not links:
            return
        next_url = listing.page_url(page + 1) if listing.next else next_page_link(response)
        if next_url and next_url != response.url:
            yield self._source(next_url, self.parse_listing, "listing",
                               newsmon_listing=response.meta["newsmon_listing"], newsmon_page=page + 1)

    def follow_articles(self, listed: list[Listed], via: str) -> Iterator[Request]:
        stats = self.crawler.stats
        for entry in listed:
            if not self.outlet.is_article_url(entry.url) or entry.url in self.discovered:
                continue
            self.discovered.add(entry.url)
            stats.inc_value("newsmon/discovered")
            if self.since and entry.published_at and entry.published_at < self.since:
                stats.inc_value("newsmon/skipped/too_old")
                continue
            if self.max_articles is not None and self.scheduled_articles >= self.max_articles:
                stats.inc_value("newsmon/skipped/limit")
                continue
            self.scheduled_articles += 1
            yield Request(
                entry.url, callback=self.parse_article, errback=self.on_article_error,
                meta={"newsmon_article": True, "newsmon_via": via, "newsmon_listed": entry},
            )

    # -- fetch ------------------------------------------------------------------------------
    def parse_article(self, response: Response) -> Iterator[FetchedPage]:
        self.crawler.stats.inc_value("newsmon/fetched")
        listed: Listed = response.meta["newsmon_listed"]
        content_type = response.headers.get("Content-Type")
        yield FetchedPage(
            outlet=self.name, url=response.url, status=response.status, body=response.body,
            content_type=content_type.decode("latin-1") if content_type else None,
            fetched_at=utcnow(), discovered_via=response.meta["newsmon_via"],
            listed_published_at=listed.published_at, listed_title=listed.title,
        )

    def reject(self, url: str, reason: str, detail: str, http_status: int | None = None) -> None:
        """Count and report a URL that will not be stored (the run recorder persists it)."""
        self.crawler.stats.inc_value(f"newsmon/rejected/{reason}")
        self.crawler.signals.send_catch_log(
            newsmon_signals.url_rejected, url=url, outlet=self.name, reason=reason, detail=detail, http_status=http_status,
        )

    @staticmethod
    def requested_url(request: Request) -> str:
        """The URL discovery asked for, before any redirect."""
        return request.meta.get("redirect_urls", [request.url])[0]

    def on_article_error(self, failure: Failure) -> None:
        reason, detail, status = classify_failure(failure)
        url = self.requested_url(failure.request)  # type: ignore[attr-defined]
        self.logger.info("article failed: %s (%s: %s)", url, reason, detail)
        self.reject(url, reason, detail, status)

    def on_source_error(self, failure: Failure) -> None:
        reason, detail, status = classify_failure(failure)
        request = failure.request  # type: ignore[attr-defined]
        url = self.requested_url(request)
        self.crawler.stats.inc_value("newsmon/source/failed")
        self.crawler.stats.set_value("newsmon/source/last_error", f"{reason}: {detail}")
        self.logger.warning("%s %s failed: %s", request.meta.get("newsmon_source"), url, detail)
        self.reject(url, reason, detail, status)


def build_spider_class(outlet: OutletConfig, base: type[OutletSpider] = OutletSpider) -> type[OutletSpider]:
    """The spider class of one configured outlet."""
    attrs: dict[str, Any] = {"name": outlet.slug, "outlet": outlet, "__module__": __name__,
                             "__doc__": f"Spider of {outlet.name} ({outlet.home})."}
    return type(f"{outlet.slug.title().replace('_', '')}Spider", (base,), attrs)
