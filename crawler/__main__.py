"""``python -m crawler`` is ``newsmon``."""

from crawler.cli import main

main()
