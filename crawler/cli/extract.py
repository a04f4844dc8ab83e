"""``newsmon extract``: run the extraction stage on saved pages, without crawling.

For checking what newsmon makes of a page (one page, JSON on stdout) and for measuring
extraction on a corpus (``--manifest``: one JSON line per page, failures included, in
one process or a process pool, as the crawler runs it).
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import click

from crawler.cli.app import AppContext, cli, pass_app
from crawler.extraction import NotAnArticle, extract_article
from crawler.outlets import OutletConfig
from storage.records import ArticleRecord
from storage.urls import url_host


@dataclass(frozen=True, slots=True)
class PageTask:
    """One saved page to extract; ``id`` is carried through to the output line."""

    id: object
    path: Path
    url: str
    outlet: str
    language: str | None = None
    content_type: str | None = None


@dataclass(frozen=True, slots=True)
class PageOutcome:
    id: object
    record: ArticleRecord | None = None
    reason: str | None = None
    detail: str | None = None
    ms: float = 0.0


def read_page(path: Path) -> bytes:
    """The saved page's bytes; ``.gz`` files are decompressed."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def extract_task(task: PageTask) -> PageOutcome:
    """Extract one page; never raises, so one bad page cannot stop a manifest run."""
    try:
        body = read_page(task.path)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        return PageOutcome(task.id, reason="unreadable", detail=f"{task.path}: {exc}")
    started = time.process_time()
    try:
        record = extract_article(body, task.url, outlet=task.outlet, language=task.language,
                                 content_type=task.content_type)
    except NotAnArticle as exc:
        return PageOutcome(task.id, reason=exc.reason, detail=exc.detail,
                           ms=(time.process_time() - started) * 1000)
    return PageOutcome(task.id, record=record, ms=(time.process_time() - started) * 1000)


def _json_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return value


def record_json(record: ArticleRecord) -> dict[str, object]:
    """The record as JSON-ready values, dates in ISO 8601 UTC."""
    return {key: _json_value(value) for key, value in asdict(record).items()}


def outcome_line(outcome: PageOutcome, *, timings: bool) -> str:
    if outcome.record is not None:
        data: dict[str, object] = {"id": outcome.id, **record_json(outcome.record)}
    else:
        data = {"id": outcome.id, "error": outcome.reason, "detail": outcome.detail}
    if timings:
        data["ms"] = round(outcome.ms, 2)
    return json.dumps(data, ensure_ascii=False)


def outlet_for(app: AppContext, name: str | None, url: str) -> tuple[str, str | None]:
    """(outlet name, language hint): the named outlet, else the one the URL's host belongs to, else the host."""
    if name:
        outlet: OutletConfig | None = app.select_outlets([name])[0]
    else:
        host = url_host(url)
        outlet = next((o for o in app.outlets.values() if host in o.domains), None)
    if outlet is None:
        return url_host(url), None
    return outlet.slug, outlet.language


def _manifest_tasks(app: AppContext, manifest: Path, outlet_name: str | None,
                    content_type: str | None) -> Iterator[PageTask | PageOutcome]:
    """Tasks from the manifest's lines; a bad line becomes an error outcome in place."""
    base = manifest.resolve().parent
    with manifest.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                page_id, path, url = entry["id"], Path(entry["path"]), str(entry["url"])
            except (ValueError, KeyError, TypeError) as exc:
                yield PageOutcome(None, reason="bad_manifest_line", detail=f"line {number}: {exc}")
                continue
            outlet, language = outlet_for(app, outlet_name, url)
            yield PageTask(page_id, path if path.is_absolute() else base / path, url, outlet,
                           language, content_type)


def _run_manifest(tasks: Iterator[PageTask | PageOutcome], jobs: int) -> Iterator[PageOutcome]:
    entries = list(tasks)
    pages = [t for t in entries if isinstance(t, PageTask)]
    if jobs > 1 and len(pages) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            done = iter(pool.map(extract_task, pages, chunksize=4))
            yield from (next(done) if isinstance(t, PageTask) else t for t in entries)
    else:
        yield from (extract_task(t) if isinstance(t, PageTask) else t for t in entries)


@cli.command("extract")
@click.argument("page", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--url", help="Final URL the page was fetched from (required with PAGE).")
@click.option("--outlet", "outlet_name", metavar="NAME",
              help="Configured outlet slug (its language is the hint); default: the outlet of the URL's host.")
@click.option("--content-type", metavar="HEADER", help="Content-Type header the page was served with.")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help='JSONL file of {"id", "path", "url"} (path relative to the manifest): extract every page.')
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes for --manifest.")
@click.option("--timings", is_flag=True, help='Add the CPU milliseconds of each extraction ("ms").')
@pass_app
def extract_command(app: AppContext, page: Path | None, url: str | None, outlet_name: str | None,
                    content_type: str | None, manifest: Path | None, jobs: int, timings: bool) -> None:
    """Extract the article from a saved page (.html or .html.gz) and print it as JSON.

    A page that is not an article prints one error line and exits with status 1. With
    --manifest, every page gets one JSON line carrying its "id"; failures are lines
    with "error" and "detail" and the run goes on.

    Example: newsmon extract page.html.gz --url https://www.libyaherald.com/2024/05/x/
    """
    if (page is None) == (manifest is None):
        raise click.UsageError("give either PAGE (with --url) or --manifest")
    if manifest is not None:
        for outcome in _run_manifest(_manifest_tasks(app, manifest, outlet_name, content_type), jobs):
            click.echo(outcome_line(outcome, timings=timings))
        return
    if not url:
        raise click.BadParameter("the page's URL is needed to resolve its links", param_hint="--url")
    outlet, language = outlet_for(app, outlet_name, url)
    outcome = extract_task(PageTask(None, page, url, outlet, language, content_type))
    if outcome.record is None:
        raise click.ClickException(f"{page}: {outcome.reason}: {outcome.detail}")
    data = record_json(outcome.record)
    if timings:
        data["ms"] = round(outcome.ms, 2)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
