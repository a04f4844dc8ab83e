"""``newsmon demo``: the whole pipeline, offline, in under a minute.

Serves the bundled sample outlet sites on 127.0.0.1, crawls them into a fresh database
and prints what was stored, so a newcomer sees discover -> fetch -> extract -> classify
-> dedup -> store work without the internet.
"""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

import click
from sqlalchemy import func, select

from crawler.cli.app import AppContext, cli, pass_app
from crawler.crawl import crawl_settings, run_crawl
from crawler.demo import DemoSite
from crawler.logs import configure_logging
from crawler.outcome import report
from crawler.outlets import load_outlets
from storage.db import open_database, session_factory
from storage.models import Article, Outlet, RejectedUrl

# Fast but still polite-shaped settings for a local server.
DEMO_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "DOWNLOAD_TIMEOUT": 5,
    "RETRY_BACKOFF_BASE": 0.2,
    "NEWSMON_RETRY_AFTER_MAX": 10,
    "NEWSMON_PROGRESS_INTERVAL": 5,
}


def print_articles(db_url: str) -> None:
    engine = open_database(db_url)
    with session_factory(engine)() as session:
        total = session.scalar(select(func.count(Article.id)))
        copies = session.scalar(select(func.count(Article.id)).where(Article.original_id.is_not(None)))
        click.echo(f"\n{total} articles stored ({copies} linked as syndicated copies). A few of them:")
        rows = session.execute(
            select(Outlet.slug, Article.published_at, Article.title, Article.relevance_score)
            .join(Outlet, Article.outlet_id == Outlet.id).order_by(Article.published_at.desc()).limit(8)
        )
        for slug, published, title, score in rows:
            day = published.date().isoformat() if published else "????-??-??"
            click.echo(f"  {day}  {slug:<14} {title[:70]}  (relevance {score or 0:.1f})")
        click.echo("\nNot stored, and why:")
        for reason, count in session.execute(
            select(RejectedUrl.reason, func.count()).group_by(RejectedUrl.reason).order_by(func.count().desc())
        ):
            click.echo(f"  {reason:<20} {count}")
    engine.dispose()


@cli.command("demo")
@click.option("--keep", type=click.Path(file_okay=False, path_type=Path),
              help="Directory to keep the demo database and outlet file in [default: a temporary one].")
@click.option("--no-hostile", is_flag=True, help="Leave out the hostile corner (tarpit, gzip bomb, ...).")
@pass_app
def demo_command(app: AppContext, keep: Path | None, no_hostile: bool) -> None:
    """Crawl a bundled sample of outlet sites served on 127.0.0.1 into a fresh database.

    Example: newsmon demo --keep ./demo && newsmon --db sqlite:///demo/demo.db export
    """
    workdir = keep or Path(tempfile.mkdtemp(prefix="newsmon-demo-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db_url = f"sqlite:///{(workdir / 'demo.db').resolve()}"
    with DemoSite(hostile=not no_hostile) as site:
        outlets_file = site.write_outlets(workdir / "outlets.toml")
        outlets = list(load_outlets([outlets_file], defaults=False).values())
        click.echo(f"serving {len(site.base_urls)} sample outlet sites on 127.0.0.1; crawling into {db_url}")
        configure_logging(console_level=logging.INFO, log_file=workdir / "demo.log", verbose=False)
        settings = crawl_settings(db_url, [str(outlets_file)], default_outlets=False, overrides=DEMO_SETTINGS)
        summaries = run_crawl(settings, outlets)
    status = report(summaries, show_table=True, strict=False)
    print_articles(db_url)
    click.echo(f"\ndatabase: {db_url}\nlog: {workdir / 'demo.log'}")
    sys.exit(status)
