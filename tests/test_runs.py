"""Which rejections keep a run from saving its feed validators."""

from __future__ import annotations

import pytest

from crawler.runs import will_be_retried


@pytest.mark.parametrize("reason", ["timeout", "dns", "rate_limited", "http_503", "http_403", "redirect_loop", "data_loss", "ignored"])
def test_failures_fetched_again_next_run(reason: str) -> None:
    assert will_be_retried(reason)


@pytest.mark.parametrize("reason", ["not_article", "too_short", "irrelevant", "binary", "too_large", "http_404",
                                    "robots_disallowed", "too_old"])
def test_permanent_rejections_and_deliberate_skips(reason: str) -> None:
    assert not will_be_retried(reason)
