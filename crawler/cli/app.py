"""The ``newsmon`` click group, its global options and the mapping of known errors to
one-line messages (no tracebacks for expected failures)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import click
from sqlalchemy import Engine

from crawler.outlets import OutletConfig, OutletConfigError, load_outlets
from storage.db import DatabaseError, open_database
from storage.location import database_url


@dataclass
class AppContext:
    """What every command needs: the database URL and the outlet files, resolved once."""

    db_url: str
    outlet_files: list[str] = field(default_factory=list)
    default_outlets: bool = True

    @cached_property
    def outlets(self) -> dict[str, OutletConfig]:
        return load_outlets(self.outlet_files, defaults=self.default_outlets)

    @cached_property
    def engine(self) -> Engine:
        return open_database(self.db_url)

    def select_outlets(self, names: tuple[str, ...] | list[str]) -> list[OutletConfig]:
        """The named outlets (all when none named); unknown names are a usage error."""
        if not names:
            return list(self.outlets.values())
        unknown = [n for n in names if n not in self.outlets]
        if unknown:
            raise click.BadParameter(
                f"unknown outlet {', '.join(map(repr, unknown))}; known outlets: {', '.join(self.outlets)}",
                param_hint="--outlet",
            )
        return [self.outlets[n] for n in names]


pass_app = click.make_pass_decorator(AppContext)


class NewsmonGroup(click.Group):
    """Turns configuration and database errors into one readable line and exit status 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (OutletConfigError, DatabaseError) as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=NewsmonGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_url", envvar="NEWSMON_DATABASE_URL", metavar="URL",
              help="SQLAlchemy database URL [env NEWSMON_DATABASE_URL; default: the SQLite file in the user data dir].")
@click.option("--outlets", "outlet_files", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              metavar="FILE", help="Extra outlet TOML file merged over the defaults (repeatable) [env NEWSMON_OUTLETS].")
@click.option("--no-default-outlets", is_flag=True, envvar="NEWSMON_NO_DEFAULT_OUTLETS",
              help="Use only the --outlets files, not the shipped outlets nor NEWSMON_OUTLETS.")
@click.version_option(package_name="newsmon")
@click.pass_context
def cli(ctx: click.Context, db_url: str | None, outlet_files: tuple[Path, ...], no_default_outlets: bool) -> None:
    """newsmon: monitor news coverage of the Libya conflict.

    Crawl the configured outlets into one article database, link syndicated copies to
    their originals, and query what was published.
    """
    if no_default_outlets and not outlet_files:
        raise click.UsageError("--no-default-outlets needs at least one --outlets FILE")
    ctx.obj = AppContext(db_url=database_url(db_url), outlet_files=[str(p) for p in outlet_files],
                         default_outlets=not no_default_outlets)


def main() -> None:
    cli.main(prog_name="newsmon", windows_expand_args=False)


def echo_err(message: str) -> None:
    click.echo(message, err=True)


def is_terminal() -> bool:
    return sys.stdout.isatty()
