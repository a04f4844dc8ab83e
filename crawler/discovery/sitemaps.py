"""Sitemaps, sitemap indexes and Google News sitemaps -> listed URLs and child sitemaps."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from scrapy.utils.gz import gunzip

from crawler.discovery import Listed, web_url
from crawler.discovery.dates import parse_date
from crawler.discovery.xml import child_text, iter_blocks


@dataclass(slots=True)
class SitemapPage:
    articles: list[Listed] = field(default_factory=list)
    children: list[tuple[str, datetime | None]] = field(default_factory=list)


def parse_sitemap(body: bytes, base_url: str, *, max_size: int = 50 * 1024 * 1024) -> SitemapPage:
    """URLs of a sitemap (with news publication dates) or child sitemaps of an index."""
    if body[:2] == b"\x1f\x8b":
        body = gunzip(body, max_size=max_size)
    page = SitemapPage()
    for el in iter_blocks(body, ("sitemap",)):
        if url := web_url(child_text(el, "loc"), base_url):
            page.children.append((url, parse_date(child_text(el, "lastmod"))))
    seen: set[str] = set()
    for el in iter_blocks(body, ("url",)):
        url = web_url(child_text(el, "loc"), base_url)
        if not url or url in seen:
            continue
        seen.add(url)
        published = parse_date(child_text(el, "publication_date")) or parse_date(child_text(el, "lastmod"))
        page.articles.append(Listed(url=url, published_at=published, title=child_text(el, "title")))
    return page
