"""Skip article URLs that need no fetch: already stored, or rejected for good.

A spider middleware, so every discovery path (feeds, sitemaps, listings) goes through
it; one indexed ``IN (...)`` lookup per listing response. ``NEWSMON_REFRESH`` (``newsmon
crawl --refresh``) turns it off to re-fetch and update stored articles.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any

from scrapy import Request
from scrapy.exceptions import NotConfigured

from crawler.database import readers_for
from storage.articles import known_url_keys
from storage.urls import url_key

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from typing_extensions import Self


class SkipKnownArticlesMiddleware:
    def __init__(self, crawler: Crawler):
        if crawler.settings.getbool("NEWSMON_REFRESH"):
            raise NotConfigured("NEWSMON_REFRESH is set")
        self.crawler = crawler
        self.sessions = readers_for(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def _filter(self, output: list[Any]) -> list[Any]:
        urls = [r.url for r in output if isinstance(r, Request) and r.meta.get("newsmon_article")]
        if not urls:
            return output
        with self.sessions() as session:
            known = known_url_keys(session, urls)
        if not known:
            return output
        kept = []
        for r in output:
            if isinstance(r, Request) and r.meta.get("newsmon_article") and url_key(r.url) in known:
                self.crawler.stats.inc_value("newsmon/skipped/known")
                continue
            kept.append(r)
        return kept

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        return self._filter(list(result))

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        for r in self._filter([r async for r in result]):
            yield r
