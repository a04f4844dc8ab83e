"""``newsmon show ID|URL``: one article in full, with its original and its copies."""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from crawler.cli.app import AppContext, cli, pass_app
from storage.db import session_factory
from storage.formats import plain_row, plain_value
from storage.story import LinkedArticle, StoryView, article_by_ref, story_view
from storage.stats import human_delay

DETAIL_FIELDS = (
    "url", "canonical_url", "published_at", "updated_at", "authors", "language", "section", "tags",
    "word_count", "relevance_score", "relevance_terms", "is_relevant", "credited_source", "external_id",
    "source", "fetched_at", "http_status", "story_id", "content_hash",
)


def story_dict(view: StoryView) -> dict[str, object]:
    article = view.article
    data: dict[str, object] = {"id": article.id, "outlet": view.outlet, "outlet_name": view.outlet_name,
                               "title": article.title, "description": article.description}
    data.update({name: plain_value(getattr(article, name)) for name in DETAIL_FIELDS})
    data.update(url_keys=view.url_keys, text=article.text,
                original=plain_row(view.original) if view.original else None,
                copies=[plain_row(c) for c in view.copies])
    return data


def linked_table(title: str, items: list[LinkedArticle]) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", header_style="bold", expand=True)
    for name in ("#", "outlet", "published", "after original", "containment", "title"):
        table.add_column(name, overflow="fold", ratio=1 if name == "title" else None)
    for item in items:
        table.add_row(str(item.id), item.outlet or "?",
                      item.published_at.strftime("%Y-%m-%d %H:%M") if item.published_at else "-",
                      human_delay(item.delay_seconds),
                      f"{item.containment:.2f}" if item.containment is not None else "",
                      item.title)
    return table


def render_story(view: StoryView, console: Console) -> None:
    article = view.article
    meta = Table.grid(padding=(0, 2))
    meta.add_column(style="bold", no_wrap=True)
    meta.add_column(overflow="fold")
    named = view.outlet_name and view.outlet_name != view.outlet
    meta.add_row("outlet", f"{view.outlet_name} ({view.outlet})" if named else str(view.outlet))
    for name in DETAIL_FIELDS:
        value = getattr(article, name)
        if value in (None, [], ""):
            continue
        value = ", ".join(value) if isinstance(value, list) else plain_value(value)
        meta.add_row(name.replace("_", " "), str(value))
    other_urls = [key for key in view.url_keys if key != article.url_key]
    if other_urls:
        meta.add_row("also seen as", "\n".join(other_urls))
    parts: list[object] = [meta]
    if article.description:
        parts += [Text(""), Text(article.description, style="italic")]
    parts += [Text(""), Text(article.text)]
    console.print(Panel(Group(*parts), title=Text(f"#{article.id}  {article.title}", style="bold"), title_align="left"))
    if view.original is not None:
        console.print(linked_table("Original (this article is a copy)", [view.original]))
    if view.copies:
        console.print(linked_table("Other copies of the original" if view.is_copy else "Copies", view.copies))
    elif view.original is None:
        console.print("No known copies.", style="dim")


@cli.command("show")
@click.argument("ref", metavar="ID|URL")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text", show_default=True)
@pass_app
def show_command(app: AppContext, ref: str, fmt: str) -> None:
    """Show one article (by id or by any URL it was seen under) with its story.

    Example: newsmon show 42; newsmon show https://libyaherald.com/2026/01/07/some-story
    """
    with session_factory(app.engine)() as session:
        article = article_by_ref(session, ref)
        if article is None:
            kind = "id" if ref.strip().isdigit() else "URL"
            raise click.ClickException(f"no article with {kind} {ref.strip()!r}")
        view = story_view(session, article)
    if fmt == "json":
        json.dump(story_dict(view), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        render_story(view, Console())
