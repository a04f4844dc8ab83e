"""Syndication: every stored article is checked against the database, a copy is linked
to its original, and all versions of one story share a story id.

The crawler and ``newsmon import`` call :func:`link_article` right after
:func:`storage.articles.save_article`, in the same transaction; ``newsmon dedup
--rebuild`` calls :func:`rebuild_links`.

The names are loaded on first use: :mod:`storage.models` imports this package's models
module, and the linker imports :mod:`storage.models` and :mod:`storage.articles`, so an
eager import here would be circular.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storage.syndication.linker import LinkResult, RebuildResult, link_article, rebuild_links, story_counts

__all__ = ["LinkResult", "RebuildResult", "link_article", "rebuild_links", "story_counts"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from storage.syndication import linker

        return getattr(linker, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
