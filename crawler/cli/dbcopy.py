"""``newsmon db copy``: move the whole database to another one (SQLite to PostgreSQL)."""

from __future__ import annotations

import click
from sqlalchemy.engine import make_url

from crawler.cli.app import AppContext, pass_app
from crawler.cli.database import db_group
from storage.copy import DEFAULT_BATCH, CopyError, TableCopy, copy_database
from storage.db import open_database


@db_group.command("copy")
@click.option("--to", "target_url", required=True, metavar="URL",
              help="Database URL to copy into (created or upgraded).")
@click.option("--force", is_flag=True, help="Replace the rows of a target that is not empty.")
@click.option("--batch", type=click.IntRange(min=1), default=DEFAULT_BATCH, show_default=True,
              help="Rows read and written at a time.")
@pass_app
def db_copy(app: AppContext, target_url: str, force: bool, batch: int) -> None:
    """Copy every article, URL, link, story, run, rejected URL and source state into
    another database, ids kept, and check the row counts.

    Example: newsmon db copy --to postgresql+psycopg://newsmon@dbhost/newsmon
    """
    if make_url(target_url) == make_url(app.db_url):
        raise click.BadParameter("the target is the current database", param_hint="--to")
    target = open_database(target_url)

    def report(copied: TableCopy) -> None:
        click.echo(f"{copied.table:<24} {copied.rows:>9}")

    try:
        copied = copy_database(app.engine, target, force=force, batch=batch, on_table=report)
    except CopyError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        target.dispose()
    total = sum(c.rows for c in copied)
    click.echo(f"copied {total} rows into {make_url(target_url).render_as_string(hide_password=True)}")
