"""A local news site for demos, end-to-end tests and benchmarks: seven real-looking outlets
and a hostile corner served on 127.0.0.1, with the ground truth of what a crawl should do."""

from crawler.demo.server import DemoSite
from crawler.demo.truth import ExpectedPage, RequestRecord

__all__ = ["DemoSite", "ExpectedPage", "RequestRecord"]
