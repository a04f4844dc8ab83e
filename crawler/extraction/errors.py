"""Why a fetched page yields no article.

The crawler counts rejections by :attr:`NotAnArticle.reason` (a short machine key) and
logs :attr:`NotAnArticle.detail` (one human line), so both must stay short and stable.
"""

from __future__ import annotations

REASONS = ("binary", "empty", "too_large", "not_article", "too_short", "parse_error")


class NotAnArticle(Exception):
    """The page is not a news article (or cannot be read as one)."""

    def __init__(self, reason: str, detail: str):
        if reason not in REASONS:
            raise ValueError(f"unknown rejection reason {reason!r}")
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail

    def __reduce__(self) -> tuple[type[NotAnArticle], tuple[str, str]]:
        # Raised inside ProcessPoolExecutor workers: pickling must rebuild both fields.
        return (type(self), (self.reason, self.detail))
