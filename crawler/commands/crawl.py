"""``scrapy crawl <outlet>``: Scrapy's command, run the way ``newsmon crawl`` runs a crawl.

Scrapy's own command knows nothing of newsmon's outlet locks and exits 0 whatever
happened. Run by hand beside a cron job, it would crawl an outlet the cron run is
already crawling (twice the load on the outlet's server, the same pages fetched
twice). This one holds the outlet's lock for the whole crawl, marks the runs a killed
crawl left ``running`` as interrupted, and ends like ``newsmon crawl``: one line per
problem and the same exit statuses (:mod:`crawler.exit_codes`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from crawler import exit_codes
from crawler.crawl import run_summaries
from crawler.database import sessions_for
from crawler.locking import LockHeld, OutletLocks
from crawler.outcome import report
from storage.runs import close_abandoned_runs

if TYPE_CHECKING:
    import argparse


class Command(ScrapyCrawlCommand):
    def long_desc(self) -> str:
        return (f"{self.short_desc()}, holding the outlet's lock as `newsmon crawl` does. Exit status: 0 crawled, "
                f"{exit_codes.NOTHING_CRAWLED} unreachable, {exit_codes.INTERRUPTED} interrupted, "
                f"{exit_codes.PARTIAL} the database refused a write, {exit_codes.LOCKED} another run holds the lock.")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            super().run(args, opts)  # raises Scrapy's usage error
        assert self.crawler_process is not None and self.settings is not None
        try:
            crawler = self._create_crawler(args[0])  # an unknown name fails here, before any lock
        except KeyError:
            known = ", ".join(self.crawler_process.spider_loader.list())
            raise UsageError(f"unknown outlet {args[0]!r}; known outlets: {known}", print_help=False) from None
        outlet = crawler.spidercls.name
        try:
            with OutletLocks([outlet]):
                sessions = sessions_for(self.settings)
                with sessions.begin() as session:
                    close_abandoned_runs(session, [outlet])
                self.crawler_process.crawl(crawler, **opts.spargs)
                self.crawler_process.start()
        except LockHeld as exc:
            click.echo(f"{exc}; exiting", err=True)
            self.exitcode = exit_codes.LOCKED
            return
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        self.exitcode = report(run_summaries(sessions, [(outlet, crawler)]), show_table=False, strict=False)
