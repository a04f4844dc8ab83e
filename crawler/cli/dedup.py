"""``newsmon dedup --rebuild``: recompute every syndication link from the stored texts."""

from __future__ import annotations

import click

from crawler.cli.app import AppContext, cli, echo_err, pass_app
from storage.db import session_factory
from storage.syndication import rebuild_links, story_counts


@cli.command("dedup")
@click.option("--rebuild", is_flag=True, help="Drop every link and index row, then link every article again.")
@click.option("--batch", type=click.IntRange(min=1), default=500, show_default=True,
              help="Commit after this many articles.")
@pass_app
def dedup_command(app: AppContext, rebuild: bool, batch: int) -> None:
    """Show syndication counts, or rebuild every link (--rebuild).

    A rebuild replays the articles in storage order, so running it twice gives the
    same stories; it is needed after a change of the detection rules.

    Example: newsmon dedup --rebuild
    """
    with session_factory(app.engine)() as session:
        if rebuild:
            def committed(done: int) -> None:
                session.commit()
                session.expunge_all()
                echo_err(f"  {done} articles linked")

            counts = rebuild_links(session, batch=batch, on_batch=committed)
            session.commit()
            click.echo(f"rebuilt: {counts.articles} articles, {counts.stories} stories with copies, "
                       f"{counts.copies} copies linked")
        else:
            counts = story_counts(session)
            click.echo(f"{counts.articles} articles, {counts.stories} stories with copies, "
                       f"{counts.copies} copies linked")
