"""``newsmon stories``: stories published in more than one version, each with its
original and the copies linked to it."""

from __future__ import annotations

import sys

import click
from rich.console import Console
from rich.table import Table

from crawler.cli.app import AppContext, cli, pass_app
from crawler.cli.filters import check_outlets, day_start
from storage.db import session_factory
from storage.formats import plain_row, write_json
from storage.syndication.listing import Story, Version, list_stories


def evidence_text(version: Version) -> str:
    """The evidence of a link in a few words: overlap first, then what the copy declared."""
    evidence = version.evidence
    parts = []
    overlap = evidence.get("text_overlap", {})
    if overlap:
        parts.append(f"{overlap.get('shared_shingles', 0)} shared shingles")
    if "attribution" in evidence:
        parts.append(f"credits {evidence['attribution']}")
    if "canonical" in evidence:
        parts.append("canonical")
    if evidence.get("title"):
        parts.append("same title")
    if "via" in evidence:
        parts.append(f"via #{evidence['via']}")
    return ", ".join(parts)


def _day(version: Version) -> str:
    return version.published_at.strftime("%Y-%m-%d %H:%M") if version.published_at else "-"


def render_story(story: Story, console: Console) -> None:
    original = story.original
    credited = f"  (credits {original.credited_source})" if original.credited_source else ""
    console.print(f"[bold]story {story.id}[/bold]: {original.title}")
    table = Table(header_style="bold", expand=True, show_edge=False)
    for name in ("#", "role", "outlet", "published", "containment", "evidence"):
        table.add_column(name, overflow="fold")
    table.add_row(str(original.id), "original", original.outlet or "?", _day(original), "", credited.strip())
    for copy in story.copies:
        containment = f"{copy.containment:.2f}" if copy.containment is not None else ""
        table.add_row(str(copy.id), "copy", copy.outlet or "?", _day(copy), containment, evidence_text(copy))
    console.print(table)
    console.print()


def story_dict(story: Story) -> dict[str, object]:
    return {"story_id": story.id, "original": plain_row(story.original),
            "copies": [plain_row(c) for c in story.copies]}


@cli.command("stories")
@click.option("--since", metavar="YYYY-MM-DD", help="Stories with a version published on or after this day (UTC).")
@click.option("--outlet", "-o", metavar="NAME", help="Stories with a version from this outlet.")
@click.option("--limit", "-n", type=click.IntRange(min=0), default=0, help="At most this many stories (0: all).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_app
def stories_command(app: AppContext, since: str | None, outlet: str | None, limit: int, fmt: str) -> None:
    """List stories with more than one version: the original (outlet, date, title) and
    each copy with its outlet, date, containment and evidence.

    Example: newsmon stories --since 2026-11-01 --outlet libyanexpress
    """
    start = day_start(since, "--since")
    with session_factory(app.engine)() as session:
        if outlet is not None:
            check_outlets(app, session, [outlet])
        stories = list_stories(session, since=start, outlet=outlet, limit=limit or None)
        if fmt == "json":
            write_json((story_dict(s) for s in stories), sys.stdout)
            return
        console = Console()
        shown = 0
        for story in stories:
            render_story(story, console)
            shown += 1
        if not shown:
            console.print("No stories with more than one version.", style="dim")
