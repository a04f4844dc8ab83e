"""Quality of syndication detection on the labelled sample in ../shared/dedup-dev.

Every text is imported through ``newsmon import``'s code path (classify, save, link)
into a fresh SQLite file; a text without URL gets its own placeholder URL
``https://sample.invalid/<id>`` and no outlet, so only words can link it. The labels
(family, variant, flags) are never read here: score.py alone uses them.

Two predictions are scored: ``links`` (each copy paired with its original, plus texts
stored as one article) and ``stories`` (every pair of texts in one story, what
``newsmon stories`` shows). Results go to bench/results/ (git-ignored).

    .venv/bin/python bench/dedup_quality.py [--data ../shared/dedup-dev] [--errors 10]
        [--order file|reverse|shuffle] [--rebuild]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from crawler.imports import import_lines  # noqa: E402
from crawler.outlets import load_outlets  # noqa: E402
from storage.db import open_database, session_factory  # noqa: E402
from storage.models import Article, ArticleUrl  # noqa: E402
from storage.syndication import rebuild_links  # noqa: E402
from storage.urls import url_key  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def import_file(docs: list[dict], path: Path) -> dict[str, str]:
    """Write the import file (no labels); returns the URL used for each doc id."""
    urls = {}
    with path.open("w", encoding="utf-8") as out:
        for doc in docs:
            url = doc["url"] or f"https://sample.invalid/{doc['id']}"
            urls[doc["id"]] = url
            line = {"id": doc["id"], "url": url, "title": doc["title"], "text": doc["text"]}
            if doc.get("outlet"):
                line["outlet"] = doc["outlet"]
            if doc.get("lang") and doc["lang"] != "xx":
                line["language"] = doc["lang"]
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    return urls


def predictions(session, urls: dict[str, str]) -> tuple[list[dict], list[dict]]:
    """(links, stories) prediction lines for score.py, in doc ids."""
    article_of = {}
    for doc_id, url in urls.items():
        article_of[doc_id] = session.scalar(select(ArticleUrl.article_id).where(ArticleUrl.url_key == url_key(url)))
    docs_of = defaultdict(list)
    for doc_id, article_id in article_of.items():
        docs_of[article_id].append(doc_id)
    rows = {a.id: (a.story_id, a.original_id) for a in session.scalars(select(Article))}
    links = []
    for article_id, docs in docs_of.items():
        links += [{"a": a, "b": b, "copy": True} for a, b in itertools.combinations(docs, 2)]
        original = rows[article_id][1]
        if original is not None:
            links += [{"a": a, "b": b, "copy": True} for a in docs for b in docs_of.get(original, [])]
    stories = [{"id": doc_id, "cluster": rows[a][0] or a} for doc_id, a in article_of.items()]
    return links, stories


def index_bytes_per_article(db: Path) -> int:
    """Pages of the syndication tables and indexes, per stored article (SQLite dbstat)."""
    con = sqlite3.connect(db)
    articles = con.execute("SELECT count(*) FROM article").fetchone()[0]
    pages = con.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE '%syndication%'").fetchone()[0]
    con.close()
    return round(pages / max(articles, 1))


def score(data: Path, pred: Path, report: Path, errors: int) -> dict:
    cmd = [sys.executable, str(data / "score.py"), "--set", str(data), "--pred", str(pred), "--json", str(report)]
    if errors:
        cmd += ["--errors", str(errors)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    (report.with_suffix(".txt")).write_text(out)
    return json.loads(report.read_text())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "dedup-dev")
    ap.add_argument("--errors", type=int, default=0, help="list this many false/missed pairs per prediction")
    ap.add_argument("--order", choices=("file", "reverse", "shuffle"), default="file",
                    help="import order (the result should not depend on it)")
    ap.add_argument("--seed", type=int, default=1, help="for --order shuffle")
    ap.add_argument("--rebuild", action="store_true", help="score after `newsmon dedup --rebuild` of the import")
    args = ap.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    docs = [json.loads(line) for line in (args.data / "docs.jsonl").open(encoding="utf-8") if line.strip()]
    if args.order == "reverse":
        docs.reverse()
    elif args.order == "shuffle":
        random.Random(args.seed).shuffle(docs)
    db = RESULTS / "dedup_quality.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    urls = import_file(docs, RESULTS / "dedup_quality_import.jsonl")
    engine = open_database(f"sqlite:///{db}")
    sessions = session_factory(engine)
    started = time.perf_counter()
    with (RESULTS / "dedup_quality_import.jsonl").open(encoding="utf-8") as lines:
        summary = import_lines(sessions, lines, outlets=load_outlets(), on_error=lambda e: print(e, file=sys.stderr))
    elapsed = time.perf_counter() - started
    if args.rebuild:
        with sessions.begin() as session:
            rebuild_links(session)
    print(f"imported {summary.stored} of {summary.lines} texts in {elapsed:.1f} s "
          f"({1000 * elapsed / max(summary.lines, 1):.1f} ms per text), {len(summary.errors)} bad lines")
    with sessions() as session:
        links, stories = predictions(session, urls)
    index_bytes = index_bytes_per_article(db)
    print(f"syndication index: {index_bytes} bytes per article on these texts")
    print(f"\n{'prediction':10} {'mode':8} {'view':5} {'precision':>9} {'recall':>7} {'F1':>6} {'tp':>5} {'fp':>4} {'fn':>4}")
    table = {}
    for name, rows in (("links", links), ("stories", stories)):
        pred = RESULTS / f"dedup_quality_{name}.jsonl"
        pred.write_text("".join(json.dumps(r) + "\n" for r in rows))
        report = score(args.data, pred, RESULTS / f"dedup_quality_{name}_score.json", args.errors)
        for mode in ("direct", "closure"):
            for view in ("core", "all"):
                m = report["modes"][mode][view]["all_pairs"]
                table[f"{name}/{mode}/{view}"] = m
                print(f"{name:10} {mode:8} {view:5} {m['precision']:9.3f} {m['recall']:7.3f} {m['f1']:6.3f} "
                      f"{m['tp']:5d} {m['fp']:4d} {m['fn']:4d}")
        if args.errors:
            print(RESULTS.joinpath(f"dedup_quality_{name}_score.txt").read_text().split("\nFP examples:")[-1])
    (RESULTS / "dedup_quality.json").write_text(json.dumps(
        {"texts": summary.lines, "seconds": round(elapsed, 2), "index_bytes_per_article": index_bytes,
         "order": args.order, "rebuild": args.rebuild, "scores": table}, indent=1))


if __name__ == "__main__":
    main()
