"""Progress lines per outlet during long crawls (replaces Scrapy's LogStats).

Every ``NEWSMON_PROGRESS_INTERVAL`` seconds: ``<outlet>: discovered N, fetched N,
stored N, skipped N, failed N``, on the ``newsmon.progress`` logger.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.runs import run_counts

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.spiders import Spider
    from typing_extensions import Self

logger = logging.getLogger("newsmon.progress")


def progress_line(name: str, counts: dict[str, int]) -> str:
    return (f"{name}: discovered {counts['discovered']}, fetched {counts['fetched']}, "
            f"stored {counts['stored'] + counts['updated']}, skipped {counts['skipped']}, failed {counts['failed']}")


class ProgressReporter:
    def __init__(self, crawler: Crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        interval = crawler.settings.getfloat("NEWSMON_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        o = cls(crawler, interval)
        crawler.signals.connect(o.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        return o

    def spider_opened(self, spider: Spider) -> None:
        self.loop = task.LoopingCall(self.report, spider)
        self.loop.start(self.interval, now=False)

    def report(self, spider: Spider) -> None:
        logger.info(progress_line(spider.name, run_counts(self.crawler.stats.get_stats())))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
