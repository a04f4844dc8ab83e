"""Syndication: every stored article is checked against the database, a copy is linked
to its original, and all versions of one story share a story id.

The crawler and ``newsmon import`` call :func:`link_article` right after
:func:`storage.articles.save_article`, in the same transaction; ``newsmon dedup
--rebuild`` calls :func:`rebuild_links`.
"""

from __future__ import annotations

from storage.syndication.linker import LinkResult, RebuildResult, link_article, rebuild_links, story_counts

__all__ = ["LinkResult", "RebuildResult", "link_article", "rebuild_links", "story_counts"]
