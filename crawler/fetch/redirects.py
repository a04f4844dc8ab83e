"""Report redirect loops instead of losing them.

A loop (``a -> b -> a``) sends the redirected request back through Scrapy's duplicate
filter, which drops it with a DEBUG line and no errback, so the URL would vanish from
the crawl's accounting. This middleware sits just below RedirectMiddleware and turns a
redirect to a URL already in the chain into an ``IgnoreRequest("redirect loop ...")``,
which the spider's errback records as ``redirect_loop``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urljoin

from scrapy.exceptions import IgnoreRequest

if TYPE_CHECKING:
    from scrapy.http import Request, Response

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class RedirectLoopMiddleware:
    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in REDIRECT_STATUSES or "Location" not in response.headers:
            return response
        target = urljoin(request.url, response.headers["Location"].decode("latin-1"))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in chain:
            raise IgnoreRequest(f"redirect loop: {' -> '.join([*chain, target])} (max redirections reached)")
        return response
