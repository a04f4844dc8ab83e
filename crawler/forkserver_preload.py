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

Last, it freezes the garbage collector's view of everything loaded so far (Python's
advice for a process that forks workers): the workers' collections then skip those
long-lived objects instead of scanning them again and again (~0.5 ms a page on real
pages), and do not write to, and so copy, the memory pages they share with the server.
"""

import gc
import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)

import crawler.pipelines  # noqa: E402, F401  (after the signals: this takes a while; what workers run)
from crawler.extraction import warm_up  # noqa: E402
from crawler.relevance import load_lexicon  # noqa: E402

warm_up()
load_lexicon()
gc.freeze()
