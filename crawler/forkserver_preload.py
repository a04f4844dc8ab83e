"""Loaded into the extraction pool's forkserver (``set_forkserver_preload``), never imported
elsewhere: the forkserver and every worker it forks ignore SIGINT and SIGTERM from the
moment they exist. A Ctrl-C or a SIGTERM sent to the whole process group (a terminal,
systemd) then reaches only the crawl process, which lets in-flight extractions finish
and shuts the pool down; a worker still starting up would otherwise die and break the
pool (BrokenProcessPool for every item in flight).
"""

import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
