"""Cost of storing and checking one article as the database grows (10k, 100k, 1M).

A SQLite database is filled with synthetic articles up to each size, then probe
articles go through the storage step the crawler runs (``save_article``, then
``link_article``, then commit) and are timed one by one. Half the probes are new
stories, half are truncated reposts of a filler article (so candidates are found and
verified against the big index). The target: the cost at 1M is at most 2x the cost at
10k.

The filler is built fast but through the same index code: two worker processes write
articles with their fingerprints, anchors and lines (:mod:`storage.syndication`) to
staging files, which are merged with ``INSERT ... SELECT ORDER BY`` so the B-trees fill
in key order. Filler articles are 180 words in six paragraphs plus the two-line footer
of one of 20 outlets, and 10% of them are reposts of an earlier one. Postings per hash
are capped as :mod:`storage.syndication.index` caps them (up to one staging batch over
the cap, a bound of the same kind).

    .venv/bin/python bench/dedup_scale.py [--sizes 10000,100000,1000000] [--probes 100]

Results go to bench/results/dedup_scale.json (and the database to bench/results/).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import random
import sqlite3
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storage.articles import ensure_outlet, save_article  # noqa: E402
from storage.db import open_database, session_factory  # noqa: E402
from storage.records import ArticleRecord  # noqa: E402
from storage.syndication import link_article  # noqa: E402
from storage.syndication.fingerprint import fingerprint, pack  # noqa: E402
from storage.syndication.index import POSTING_CAP  # noqa: E402

RESULTS = ROOT / "bench" / "results"
OUTLETS = 20
T0 = datetime(2020, 1, 1, tzinfo=timezone.utc)
_SYLLABLES = ["ba", "ka", "li", "mo", "ra", "ti", "su", "ne", "do", "fa", "gi", "ha", "ja", "lu", "ma", "no",
              "pe", "qa", "ri", "sa", "tu", "wa", "ya", "za", "el", "an", "or", "is"]


def vocabulary(size: int = 20000) -> tuple[list[str], list[float]]:
    """Pseudo-words with Zipf weights: frequent words make common 5-grams, as in news."""
    rng = random.Random(7)
    words = list(dict.fromkeys("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4)))
                                for _ in range(size * 2)))[:size]
    weights = [1 / (rank + 1) for rank in range(len(words))]
    total = 0.0
    cumulative = []
    for w in weights:
        total += w
        cumulative.append(total)
    return words, cumulative


WORDS, CUMULATIVE = vocabulary()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(WORDS, cum_weights=CUMULATIVE, k=n)).capitalize() + "."


def paragraph(rng: random.Random, words: int = 30) -> str:
    return " ".join(sentence(rng, words // 3) for _ in range(3))


def footer(outlet: int) -> str:
    rng = random.Random(1000 + outlet)
    return f"{paragraph(rng, 21)}\nCopyright outlet {outlet}. {sentence(rng, 12)}"


def filler_article(i: int) -> tuple[int, str, str]:
    """(outlet, title, text) of filler article ``i``; every tenth reposts an earlier one."""
    rng = random.Random(i)
    outlet = i % OUTLETS
    if i > 20 and i % 10 == 0:
        source = rng.randrange(1, i)
        _, title, text = filler_article(source)
        body = "\n\n".join(text.split("\n\n")[: rng.randint(2, 4)])
        return outlet, title + ", outlet reported", body + "\n\n" + footer(outlet)
    title = sentence(rng, 8)
    body = "\n\n".join(paragraph(rng) for _ in range(6))
    return outlet, title, body + "\n\n" + footer(outlet)


STAGING = """
CREATE TABLE s_article (id INTEGER, outlet INTEGER, url TEXT, title TEXT, text TEXT, published TEXT,
                        words INTEGER, hash TEXT);
CREATE TABLE s_anchor (hash INTEGER, article_id INTEGER);
CREATE TABLE s_line (hash INTEGER, article_id INTEGER);
CREATE TABLE s_fp (article_id INTEGER, words INTEGER, anchors BLOB, lines BLOB, hash TEXT);
"""


def stage(args: tuple[int, int, int, str]) -> str:
    """Write filler articles ``start..end-1`` (stored as ids ``start+offset..``) and their
    index rows to a staging file, in batches so memory stays small."""
    start, end, offset, path = args
    con = sqlite3.connect(path)
    con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + STAGING)
    for batch in range(start, end, 10000):
        articles, anchors, lines, fps = [], [], [], []
        for i in range(batch, min(batch + 10000, end)):
            outlet, title, text = filler_article(i)
            fp = fingerprint(title, text)
            a, ls = fp.anchors(), fp.line_hashes
            h = hashlib.sha256(text.encode()).hexdigest()
            published = (T0 + timedelta(minutes=i)).strftime("%Y-%m-%d %H:%M:%S.000000")
            row = i + offset
            articles.append((row, outlet, f"https://outlet{outlet}.example/news/{i}", title, text, published,
                             len(text.split()), h))
            anchors += [(x, row) for x in a]
            lines += [(x, row) for x in ls]
            fps.append((row, fp.words, pack(a), pack(ls), h))
        con.executemany("INSERT INTO s_article VALUES (?,?,?,?,?,?,?,?)", articles)
        con.executemany("INSERT INTO s_anchor VALUES (?,?)", anchors)
        con.executemany("INSERT INTO s_line VALUES (?,?)", lines)
        con.executemany("INSERT INTO s_fp VALUES (?,?,?,?,?)", fps)
        con.commit()
    con.close()
    return path


def merge(db: Path, staged: list[str], outlet_ids: dict[int, int]) -> None:
    """Move staged rows into the database in key order, capping postings per hash."""
    con = sqlite3.connect(db, isolation_level=None)
    con.executescript("PRAGMA synchronous=OFF; PRAGMA cache_size=-1000000; PRAGMA temp_store=FILE;")
    con.execute("CREATE TEMP TABLE outlet_map (n INTEGER PRIMARY KEY, id INTEGER)")
    con.executemany("INSERT INTO outlet_map VALUES (?,?)", outlet_ids.items())
    for n, path in enumerate(staged):
        con.execute(f"ATTACH DATABASE '{path}' AS s{n}")
    union = lambda table: " UNION ALL ".join(f"SELECT * FROM s{n}.{table}" for n in range(len(staged)))  # noqa: E731
    con.execute("BEGIN")
    con.execute(f"""INSERT INTO article (id, outlet_id, url, url_key, title, authors, published_at, text, tags,
                    word_count, content_hash, relevance_terms, source, created_at, modified_at, story_id)
                    SELECT a.id, m.id, a.url, a.url, a.title, '[]', a.published,
                           a.text, '[]', a.words, a.hash, '[]', 'crawl', a.published, a.published, a.id
                    FROM ({union('s_article')}) a JOIN outlet_map m ON m.n = a.outlet ORDER BY a.id""")
    con.execute(f"INSERT INTO article_url (url_key, article_id) SELECT url, id FROM ({union('s_article')}) ORDER BY url")
    con.execute(f"""INSERT INTO syndication_fingerprint (article_id, version, content_hash, words, anchors, lines,
                    indexed_at) SELECT article_id, 1, hash, words, anchors, lines, '2020-01-01 00:00:00.000000'
                    FROM ({union('s_fp')}) ORDER BY article_id""")
    for table, staged_table in (("syndication_anchor", "s_anchor"), ("syndication_line", "s_line")):
        con.execute(f"CREATE TEMP TABLE saturated AS SELECT hash FROM {table} GROUP BY hash HAVING count(*) >= {POSTING_CAP}")
        con.execute(f"""INSERT OR IGNORE INTO {table} (hash, article_id)
                        SELECT hash, article_id FROM (
                            SELECT hash, article_id, row_number() OVER (PARTITION BY hash ORDER BY article_id) AS rn
                            FROM ({union(staged_table)}) WHERE hash NOT IN (SELECT hash FROM saturated))
                        WHERE rn <= {POSTING_CAP} ORDER BY hash, article_id""")
        con.execute("DROP TABLE saturated")
    con.execute("COMMIT")
    for n in range(len(staged)):
        con.execute(f"DETACH DATABASE s{n}")
    con.close()


def fill(db: Path, start: int, end: int, outlet_ids: dict[int, int], workers: int = 2) -> float:
    """Add filler articles ``start..end-1`` after the rows already there (probes included)."""
    began = time.perf_counter()
    con = sqlite3.connect(db)
    offset = (con.execute("SELECT coalesce(max(id), 0) FROM article").fetchone()[0] + 1) - start
    con.close()
    step = (end - start + workers - 1) // workers
    jobs = [(s, min(s + step, end), offset, str(RESULTS / f"staging-{n}.db"))
            for n, s in enumerate(range(start, end, step))]
    for *_, path in jobs:
        Path(path).unlink(missing_ok=True)
    with multiprocessing.Pool(workers) as pool:
        staged = pool.map(stage, jobs)
    staged_at = time.perf_counter()
    merge(db, staged, outlet_ids)
    for path in staged:
        Path(path).unlink()
    print(f"  filler {start:,}..{end - 1:,}: staged in {staged_at - began:.0f} s, merged in "
          f"{time.perf_counter() - staged_at:.0f} s", flush=True)
    return time.perf_counter() - began


def probe_records(size: int, count: int, seed: int) -> list[ArticleRecord]:
    """New stories (about 600 words) and truncated reposts of filler articles."""
    rng = random.Random(seed)
    records = []
    for n in range(count):
        outlet = f"probe{n % 5}"
        if n % 2:
            _, title, text = filler_article(rng.randrange(1, size))
            text = "\n\n".join(text.split("\n\n")[:3]) + "\n\n" + footer(3)
            title += ", outlet reported"
        else:
            title = sentence(rng, 9)
            text = "\n\n".join(paragraph(rng, 42) for _ in range(14))
        records.append(ArticleRecord(url=f"https://{outlet}.example/{size}/{seed}/{n}", outlet=outlet, title=title,
                                     text=text, published_at=T0 + timedelta(days=4000, minutes=n)))
    return records


def measure(db_url: str, size: int, count: int) -> dict[str, float]:
    engine = open_database(db_url)
    sessions = session_factory(engine)
    times, cpu, copies = [], [], 0
    records = probe_records(size, count + 5, seed=size)
    for n, record in enumerate(records):
        began, began_cpu = time.perf_counter(), time.process_time()
        with sessions.begin() as session:
            saved = save_article(session, record)
            result = link_article(session, saved.article, changed=True)
        elapsed, elapsed_cpu = time.perf_counter() - began, time.process_time() - began_cpu
        if n >= 5:  # the first few warm the caches
            times.append(elapsed)
            cpu.append(elapsed_cpu)
            copies += bool(result and result.matched)
    engine.dispose()
    return {"median_ms": round(1000 * statistics.median(times), 2), "mean_ms": round(1000 * statistics.fmean(times), 2),
            "p90_ms": round(1000 * sorted(times)[int(0.9 * len(times))], 2),
            "cpu_median_ms": round(1000 * statistics.median(cpu), 2), "probes": len(times), "probes_matched": copies}


def sizes_per_article(db: Path) -> dict[str, float]:
    con = sqlite3.connect(db)
    articles = con.execute("SELECT count(*) FROM article").fetchone()[0]
    pages = dict(con.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall())
    con.close()
    syndication = sum(v for k, v in pages.items() if "syndication" in k)
    return {"articles": articles, "db_bytes_per_article": round(os.path.getsize(db) / articles),
            "syndication_index_bytes_per_article": round(syndication / articles),
            "anchor_bytes_per_article": round(pages.get("syndication_anchor", 0) / articles)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000", help="comma-separated filler sizes (e.g. 10000,100000,1000000)")
    ap.add_argument("--probes", type=int, default=100, help="timed articles per size")
    args = ap.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    RESULTS.mkdir(parents=True, exist_ok=True)
    db = RESULTS / "dedup_scale.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    engine = open_database(f"sqlite:///{db}")
    with session_factory(engine).begin() as session:
        outlet_ids = {n: ensure_outlet(session, f"outlet{n}", name=f"Outlet {n}").id for n in range(OUTLETS)}
        for n in range(5):
            ensure_outlet(session, f"probe{n}", name=f"Probe {n}")
    engine.dispose()
    report: dict[str, object] = {"sizes": {}}
    filled = 1
    for size in sizes:
        seconds = fill(db, filled, size + 1, outlet_ids)
        filled = size + 1
        timing = measure(f"sqlite:///{db}", size, args.probes)
        timing["fill_seconds"] = round(seconds, 1)
        timing.update(sizes_per_article(db))
        report["sizes"][str(size)] = timing  # type: ignore[index]
        print(f"{size:>9,} articles: filled in {seconds:6.1f} s; store+check median {timing['median_ms']:.2f} ms "
              f"(mean {timing['mean_ms']:.2f}, p90 {timing['p90_ms']:.2f}; {timing['probes_matched']} of "
              f"{timing['probes']} probes matched); {timing['db_bytes_per_article']} bytes/article "
              f"({timing['syndication_index_bytes_per_article']} in the syndication index)", flush=True)
    base = report["sizes"][str(sizes[0])]  # type: ignore[index]
    print(f"\n{'articles':>10} {'median ms':>10} {'ratio':>6} {'mean ms':>8} {'ratio':>6} {'CPU ms':>7} {'ratio':>6}"
          f" {'bytes/article':>14}")
    for size in sizes:
        t = report["sizes"][str(size)]  # type: ignore[index]
        for key in ("median", "mean", "cpu_median"):
            t[f"{key}_ratio"] = round(t[f"{key}_ms"] / base[f"{key}_ms"], 2)
        print(f"{size:>10,} {t['median_ms']:>10.2f} {t['median_ratio']:>6.2f} {t['mean_ms']:>8.2f} {t['mean_ratio']:>6.2f}"
              f" {t['cpu_median_ms']:>7.2f} {t['cpu_median_ratio']:>6.2f} {t['db_bytes_per_article']:>14,}")
    (RESULTS / "dedup_scale.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
