"""The distributed crawl: one crawl frontier in Redis shared by worker processes on any
number of machines, through scrapy-redis's scheduler and duplicate filter.

- :mod:`crawler.distributed.settings` switches a crawl's Scrapy settings to the shared
  frontier (the ``--redis URL`` / ``NEWSMON_REDIS_URL`` of ``newsmon crawl`` and
  ``newsmon worker``);
- :mod:`crawler.distributed.frontier` is the frontier of one outlet: scrapy-redis's
  priority queue, plus leases on the requests a worker has taken, so that the queued
  work of a worker that dies goes back to the queue instead of being lost;
- :mod:`crawler.distributed.scheduler` is scrapy-redis's scheduler with those leases,
  released when Scrapy is done with a request, and a worker that waits for more work;
- :mod:`crawler.distributed.politeness` holds the per-domain delay across workers;
- :mod:`crawler.distributed.seed` puts an outlet's discovery sources into the frontier
  and waits for the frontier to drain.
"""
