"""Conditional requests for discovery sources (feeds, sitemaps, listing pages).

A source request (``meta["newsmon_source"]``) carries the ETag / Last-Modified of its
last complete fetch, so an unchanged feed costs a 304. New validators are only saved by
:meth:`ConditionalRequestMiddleware.commit` when the run that saw them finished cleanly:
a crawl killed between fetching a feed and fetching its articles must see the feed again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.database import readers_for, sessions_for
from storage.models import SourceState, utcnow
from storage.retry import run_in_transaction

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from sqlalchemy.orm import Session
    from scrapy.http import Request, Response
    from typing_extensions import Self


class ConditionalRequestMiddleware:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.sessions = sessions_for(crawler.settings)
        self.readers = readers_for(crawler.settings)
        self.refresh = crawler.settings.getbool("NEWSMON_REFRESH")
        self.pending: dict[str, SourceState] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if not request.meta.get("newsmon_source") or self.refresh:
            return
        with self.readers() as session:
            state = session.get(SourceState, request.url)
        if state is None:
            return
        if state.etag:
            request.headers.setdefault("If-None-Match", state.etag)
        if state.last_modified:
            request.headers.setdefault("If-Modified-Since", state.last_modified)

    def process_response(self, request: Request, response: Response) -> Response:
        if not request.meta.get("newsmon_source"):
            return response
        if response.status == 304:
            self.crawler.stats.inc_value("newsmon/fetch/not_modified")
            return response
        if response.status == 200:
            etag = response.headers.get("ETag")
            modified = response.headers.get("Last-Modified")
            if etag or modified:
                self.pending[request.url] = SourceState(
                    url=request.url,
                    outlet_slug=getattr(self.crawler.spider, "name", None),
                    etag=etag.decode("latin-1") if etag else None,
                    last_modified=modified.decode("latin-1") if modified else None,
                    last_status=200,
                    checked_at=utcnow(),
                )
        return response

    def commit(self) -> int:
        """Save the validators seen in this run; called by the run recorder on a clean finish."""
        if not self.pending:
            return 0
        def save(session: Session) -> None:
            for state in self.pending.values():
                session.merge(state)

        # merge() is a read then an insert: a concurrent crawl may insert the same URL first
        run_in_transaction(self.sessions, save)
        saved = len(self.pending)
        self.pending.clear()
        return saved

    @classmethod
    def find(cls, crawler: Crawler) -> ConditionalRequestMiddleware | None:
        """The instance installed in ``crawler``'s downloader, if enabled."""
        engine = crawler.engine
        if engine is None:
            return None
        for mw in engine.downloader.middleware.middlewares:
            if isinstance(mw, cls):
                return mw
        return None

