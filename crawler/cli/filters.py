"""The article filter options shared by ``articles``, ``stats`` and ``export``.

One decorator declares them and :func:`article_filter` checks them, so a bad value gets
the same one-line error in every command and nothing unchecked reaches the database.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timezone
from typing import Any

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.cli.app import AppContext
from crawler.discovery.dates import parse_day
from storage.models import Outlet
from storage.query import ArticleFilter
from storage.search_query import SearchQueryError, parse_search

_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})?$")


@dataclass(frozen=True, slots=True)
class FilterOptions:
    """The filter options as typed on the command line, before checking."""

    outlets: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    language: str | None = None
    min_relevance: float | None = None
    search: str | None = None
    originals_only: bool = False


_OPTIONS = (
    click.option("--outlet", "-o", "outlets", multiple=True, metavar="NAME", help="Only this outlet (repeatable)."),
    click.option("--since", metavar="YYYY-MM-DD", help="Published on or after this day (UTC)."),
    click.option("--until", metavar="YYYY-MM-DD", help="Published before this day (UTC)."),
    click.option("--language", "-l", metavar="CODE", help="Only this language (ISO code: en, ar, fr)."),
    click.option("--min-relevance", type=float, metavar="SCORE", help="Relevance score at least this."),
    click.option("--search", "-s", metavar="QUERY",
                 help='Full-text search: words all required, "a phrase", OR, -word, prefix*.'),
    click.option("--originals-only", is_flag=True, help="A syndicated story appears once, as its original."),
)


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the filter options; the command receives them as one ``filters`` argument."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        kwargs["filters"] = FilterOptions(**{name: kwargs.pop(name) for name in FilterOptions.__slots__})
        return command(*args, **kwargs)

    for option in reversed(_OPTIONS):
        wrapper = option(wrapper)
    return wrapper


def day_start(value: str | None, param: str) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.combine(parse_day(value), time.min, tzinfo=timezone.utc)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint=param) from None


def check_outlets(app: AppContext, session: Session, names: tuple[str, ...] | list[str]) -> list[str]:
    """``names`` when each is a configured or stored outlet, else a usage error listing the known ones."""
    known = set(app.outlets)
    unknown = [n for n in names if n not in known]
    if unknown:
        known |= set(session.scalars(select(Outlet.slug)))
        missing = [n for n in unknown if n not in known]
        if missing:
            raise click.BadParameter(
                f"unknown outlet {', '.join(map(repr, missing))}; known outlets: {', '.join(sorted(known))}",
                param_hint="--outlet",
            )
    return list(names)


def article_filter(app: AppContext, session: Session, options: FilterOptions) -> ArticleFilter:
    """The checked filter, or a one-line usage error naming the bad option."""
    since, until = day_start(options.since, "--since"), day_start(options.until, "--until")
    if since is not None and until is not None and since >= until:
        raise click.BadParameter(f"--since {options.since} is not before --until {options.until}", param_hint="--since")
    language = options.language.strip().lower() if options.language is not None else None
    if language is not None and not _LANGUAGE.match(language):
        raise click.BadParameter(f"not a language code (expected e.g. en, ar, fr): {options.language!r}",
                                 param_hint="--language")
    if options.search is not None:
        try:
            parse_search(options.search)
        except SearchQueryError as exc:
            raise click.BadParameter(str(exc), param_hint="--search") from None
    return ArticleFilter(
        outlets=check_outlets(app, session, options.outlets), since=since, until=until, language=language,
        min_relevance=options.min_relevance, search=options.search, originals_only=options.originals_only,
    )
