"""``python -m crawler.demo``: serve the demo outlets in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path

from crawler.demo.server import DemoSite


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.demo", description=__doc__)
    parser.add_argument("--port-base", type=int, metavar="N", help="serve outlet i on port N+i (default: free ports)")
    parser.add_argument("--articles-per-outlet", type=int, metavar="N", help="generated articles per outlet (default: a small site)")
    parser.add_argument("--write-outlets", type=Path, metavar="FILE", help="write the newsmon outlet file here")
    parser.add_argument("--seed", type=int, default=0, help="content seed (default 0)")
    parser.add_argument("--latency", type=float, default=0.0, metavar="SECONDS", help="delay every response")
    parser.add_argument("--no-hostile", action="store_true", help="leave out the hostile corner")
    args = parser.parse_args(argv)
    if args.articles_per_outlet is not None and args.articles_per_outlet < 1:
        parser.error("--articles-per-outlet must be at least 1")

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        site = DemoSite(articles_per_outlet=args.articles_per_outlet, hostile=not args.no_hostile, seed=args.seed,
                        latency=args.latency, port_base=args.port_base).start()
    except OSError as exc:
        print(f"cannot start the demo site: {exc}", file=sys.stderr)
        return 1
    with site:
        target = args.write_outlets or Path(tempfile.gettempdir()) / "newsmon-demo-outlets.toml"
        site.write_outlets(target)
        for slug, url in site.base_urls.items():
            print(f"{slug:14} {url}/")
        kinds = Counter(page.kind for page in site.expected)
        print("pages:", ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())))
        print(f"outlet file: {target}")
        print("serving until Ctrl-C", flush=True)
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
