"""Main-text and metadata extraction: raw page bytes -> :class:`storage.records.ArticleRecord`.

Runs in process-pool workers: no Scrapy imports, no state beyond caches.
"""

from __future__ import annotations

from crawler.extraction.article import extract_article, warm_up
from crawler.extraction.errors import NotAnArticle

__all__ = ["NotAnArticle", "extract_article", "warm_up"]
