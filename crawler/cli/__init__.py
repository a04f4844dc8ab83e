"""The ``newsmon`` command line: one module per command (group), found at import time.

Each module in this package registers its commands on :data:`crawler.cli.app.cli`, so
adding a command is adding a module.
"""

from __future__ import annotations

import importlib
import pkgutil

from crawler.cli.app import cli, main

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "app":
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = ["cli", "main"]
