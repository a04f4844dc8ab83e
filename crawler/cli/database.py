"""``newsmon db``: schema upgrades and the location of the database."""

from __future__ import annotations

import click

from crawler.cli.app import AppContext, cli, pass_app
from storage.db import make_engine, upgrade


@cli.group("db")
def db_group() -> None:
    """Manage the article database."""


@db_group.command("upgrade")
@pass_app
def db_upgrade(app: AppContext) -> None:
    """Apply pending schema migrations (also done automatically on open).

    Example: newsmon --db sqlite:///news.db db upgrade
    """
    engine = make_engine(app.db_url)
    upgrade(engine)
    click.echo(f"database is up to date: {engine.url.render_as_string(hide_password=True)}")


@db_group.command("path")
@pass_app
def db_path(app: AppContext) -> None:
    """Print the database URL every command uses.

    Example: newsmon db path
    """
    click.echo(app.db_url)
