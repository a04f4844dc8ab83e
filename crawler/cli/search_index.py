"""``newsmon db rebuild-search``: rebuild the full-text index from the article table.

Triggers keep the index in step with every insert, update and delete; a rebuild is
for repairs (an index damaged by hand-made SQL or an interrupted restore) and after
bulk loads done with the triggers dropped.
"""

from __future__ import annotations

import time

import click
from sqlalchemy import func, select

from crawler.cli.app import AppContext, pass_app
from crawler.cli.database import db_group
from storage.models import Article
from storage.search import rebuild_search_index, search_index_in_step


@db_group.command("rebuild-search")
@click.option("--check", is_flag=True, help="Only check that the index agrees with the articles (exit 1 if not).")
@pass_app
def rebuild_search(app: AppContext, check: bool) -> None:
    """Rebuild (or check) the full-text search index.

    Example: newsmon db rebuild-search
    """
    with app.engine.begin() as connection:
        if check:
            if not search_index_in_step(connection):
                raise click.ClickException("the search index does not match the articles: run newsmon db rebuild-search")
            click.echo("search index is in step with the articles")
            return
        started = time.perf_counter()
        rebuild_search_index(connection)
        count = connection.scalar(select(func.count()).select_from(Article))
    click.echo(f"search index rebuilt: {count} articles in {time.perf_counter() - started:.1f} s")
