"""Spiders: one per configured outlet, generated from the outlet files by
:class:`crawler.spiderloader.OutletSpiderLoader` on top of :class:`spiders.base.OutletSpider`.
An outlet that needs code of its own gets a subclass in a module here (same ``name``)."""
