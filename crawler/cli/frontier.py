"""The shared-frontier side of ``newsmon crawl --redis URL``: queue the outlets' discovery
sources in Redis for the workers, and optionally wait until they have done it all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click
from redis.exceptions import RedisError
from scrapy.settings import Settings

from crawler import exit_codes
from crawler.distributed.frontier import FrontierStatus
from crawler.distributed.seed import frontier_of, frontier_server, seed_outlet, wait_until_drained
from crawler.distributed.settings import DEFAULT_PREFIX, ENV_REDIS_PREFIX, ENV_REDIS_URL, frontier_settings
from crawler.outlets import OutletConfig

F = TypeVar("F", bound=Callable[..., Any])


def redis_options(*, required: bool) -> Callable[[F], F]:
    """``--redis URL`` and ``--redis-prefix``, shared by ``crawl`` and ``worker``."""
    def decorate(fn: F) -> F:
        fn = click.option("--redis-prefix", envvar=ENV_REDIS_PREFIX, default=DEFAULT_PREFIX,
                          show_default=True, metavar="PREFIX",
                          help="Key prefix of this deployment in Redis [env NEWSMON_REDIS_PREFIX].")(fn)
        return click.option("--redis", "redis_url", envvar=ENV_REDIS_URL, required=required, metavar="URL",
                            help="Shared crawl frontier, e.g. redis://host:6379/0 "
                                 "[env NEWSMON_REDIS_URL].")(fn)
    return decorate


def _progress(quiet: bool) -> Callable[[dict[str, FrontierStatus]], None]:
    last: list[tuple[int, int]] = []

    def show(statuses: dict[str, FrontierStatus]) -> None:
        totals = (sum(s.queued for s in statuses.values()), sum(s.in_flight for s in statuses.values()))
        if not quiet and totals != (last[-1] if last else None):
            click.echo(f"frontier: {totals[0]} queued, {totals[1]} in flight", err=True)
        last[:] = [totals]
    return show


def seed_frontier(settings: Settings, redis_url: str, prefix: str, outlets: list[OutletConfig], *,
                  wait: bool, timeout: float | None, quiet: bool) -> int:
    """Seed the frontier with ``outlets``' sources (and wait for it to drain); the exit status."""
    frontier_settings(settings, redis_url, prefix=prefix)
    try:
        server = frontier_server(settings)
        for outlet in outlets:
            seeded = seed_outlet(server, settings, outlet)
            if not quiet:
                run = "new run" if seeded.new_run else "run in progress"
                click.echo(f"{seeded.outlet}: queued {seeded.queued} source(s) ({run}; "
                           f"{seeded.already_seen} already seen)", err=True)
        if not wait:
            return exit_codes.OK
        frontiers = [frontier_of(server, settings, o.slug) for o in outlets]
        drained = wait_until_drained(frontiers, timeout=timeout, on_poll=_progress(quiet))
    except RedisError as exc:
        raise click.ClickException(f"Redis at {redis_url}: {exc}") from None
    if not drained:
        raise click.ClickException(f"the frontier did not drain within {timeout:g} s")
    if not quiet:
        click.echo("frontier drained: every queued request was crawled", err=True)
    return exit_codes.OK
