"""Loaded into the worker pools' forkserver (``set_forkserver_preload``), never imported
elsewhere.

The forkserver and every worker it forks ignore SIGINT and SIGTERM from the moment they
exist. A Ctrl-C or a SIGTERM sent to the whole process group (a terminal, systemd) then
reaches only the crawl process, which lets in-flight extractions finish and shuts the
pools down; a worker still starting up would otherwise die and break the pool
(BrokenProcessPool for every item in flight).

It also pays, once, the first-page cost of extraction (~0.45 s of CPU: the language
model, trafilatura's lazy set-up) and compiles the relevance lexicon, so every worker is
forked warm instead of each paying it on its first page.
"""

import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)

from crawler.extraction import warm_up  # noqa: E402  (after the signals: this takes a while)
from crawler.relevance import load_lexicon  # noqa: E402

warm_up()
load_lexicon()
