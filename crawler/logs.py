"""Log set-up shared by ``newsmon crawl`` and ``newsmon schedule``: one line per event, the
outlet in every line, to a rotating file and to the console.

``2026-11-24 10:00:00 INFO [libyaherald] scrapy.core.engine: Spider opened``: the outlet
comes from an explicit ``extra={"outlet": ...}``, else from the Scrapy spider a record
carries (Scrapy passes ``extra={"spider": ...}``), else from the process's own tag (the
only outlet of a one-outlet crawl, ``*`` for several, ``scheduler`` for the daemon).
Multi-line messages (Scrapy's settings and stats dumps, tracebacks) are folded onto
their line with `` | `` so ``grep`` and ``tail -f`` see whole events.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

CONSOLE_FORMAT = "%(message)s"
LINE_FORMAT = "%(asctime)s %(levelname)s [%(outlet)s] %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
LOG_FILE_BYTES = 10 * 1024 * 1024
LOG_FILE_BACKUPS = 5


class OneLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return " | ".join(line for line in super().format(record).splitlines() if line.strip())


class OutletTag(logging.Filter):
    """Gives every record an ``outlet`` attribute for the line format."""

    def __init__(self, default: str):
        super().__init__()
        self.default = default

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "outlet", None):
            spider = getattr(record, "spider", None)
            record.outlet = getattr(spider, "name", None) or self.default
        return True


def process_tag(outlets: list[str]) -> str:
    """The tag of lines not tied to one outlet in a crawl of ``outlets``."""
    return outlets[0] if len(outlets) == 1 else "*"


def configure_logging(*, console_level: int | None, log_file: Path | None, verbose: bool, tag: str = "*",
                      full_console: bool = False) -> None:
    """newsmon's own messages on the console; Scrapy's (with any tracebacks) only in the log file
    unless ``verbose``. ``full_console`` (the daemon's journal) prints whole lines of every logger."""
    full_console = full_console or verbose
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    outlet_tag = OutletTag(tag)
    if console_level is not None:
        console = logging.StreamHandler()
        console.setFormatter(OneLineFormatter(LINE_FORMAT, DATE_FORMAT) if full_console else logging.Formatter(CONSOLE_FORMAT))
        console.setLevel(logging.INFO if verbose else console_level)
        console.addFilter(outlet_tag)
        if not full_console:
            console.addFilter(lambda record: record.name.startswith("newsmon"))
        root.addHandler(console)
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(log_file, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_BACKUPS, encoding="utf-8")
        handler.setFormatter(OneLineFormatter(LINE_FORMAT, DATE_FORMAT))
        handler.setLevel(logging.INFO)
        handler.addFilter(outlet_tag)
        root.addHandler(handler)
