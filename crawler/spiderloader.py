"""A Scrapy spider loader that makes one spider per configured outlet.

``scrapy list`` and ``scrapy crawl <outlet>`` then follow the outlet files (defaults,
``NEWSMON_OUTLETS``, ``-s NEWSMON_OUTLETS_FILES=...``) without a line of code per outlet.
A hand-written spider in SPIDER_MODULES with an outlet's name refines that outlet: it is
rebuilt on the configured outlet with the hand-written class as its base.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.spiderloader import SpiderLoader

from crawler.outlets import load_outlets
from spiders.base import OutletSpider, build_spider_class

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.settings import BaseSettings
    from typing_extensions import Self


class OutletSpiderLoader:
    def __init__(self, settings: BaseSettings):
        self._modules = SpiderLoader(settings)
        files = settings.getlist("NEWSMON_OUTLETS_FILES")
        self._spiders: dict[str, type[Spider]] = {}
        defaults = settings.getbool("NEWSMON_OUTLETS_DEFAULTS", True)
        for slug, outlet in load_outlets(files, defaults=defaults).items():
            base = OutletSpider
            if slug in self._modules.list():
                custom = self._modules.load(slug)
                if issubclass(custom, OutletSpider):
                    base = custom
            self._spiders[slug] = build_spider_class(outlet, base)
        for name in self._modules.list():
            self._spiders.setdefault(name, self._modules.load(name))

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Self:
        return cls(settings)

    def load(self, spider_name: str) -> type[Spider]:
        try:
            return self._spiders[spider_name]
        except KeyError:
            raise KeyError(f"Spider not found: {spider_name}") from None

    def list(self) -> list[str]:
        return list(self._spiders)

    def find_by_request(self, request: Request) -> list[str]:
        return [name for name, cls in self._spiders.items() if cls.handles_request(request)]
