"""Exit statuses of ``newsmon crawl``, shared with the scheduler that reads its children's."""

from __future__ import annotations

OK = 0
PARTIAL = 1  # with --strict only; also configuration and database errors
NOTHING_CRAWLED = 3
INTERRUPTED = 4
LOCKED = 75  # EX_TEMPFAIL: another run holds a lock, try again later
