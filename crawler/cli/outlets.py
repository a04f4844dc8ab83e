"""``newsmon outlets``: the configured outlets and their discovery sources."""

from __future__ import annotations

import click

from crawler.cli.app import AppContext, cli, pass_app


@cli.command("outlets")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@pass_app
def outlets_command(app: AppContext, fmt: str) -> None:
    """List configured outlets with their feeds, sitemaps and listing pages.

    Example: newsmon --outlets my-outlets.toml outlets
    """
    outlets = app.outlets
    if fmt == "json":
        import json

        click.echo(json.dumps([
            {"slug": o.slug, "name": o.name, "home": o.home, "language": o.language, "scope": o.scope,
             "feeds": list(o.feeds), "sitemaps": list(o.sitemaps),
             "listings": [{"url": li.url, "pages": li.pages, "next": li.next} for li in o.listings],
             "article_pattern": o.article_pattern, "interval_seconds": o.interval.total_seconds(),
             "source_file": o.source_file}
            for o in outlets.values()
        ], indent=2, ensure_ascii=False))
        return
    for o in outlets.values():
        click.echo(f"{o.slug:<16} {o.name} [{o.language or '?'}, scope={o.scope}, every {o.interval}]  {o.home}")
        for kind, url in o.discovery_sources:
            click.echo(f"    {kind:<12} {url}")
