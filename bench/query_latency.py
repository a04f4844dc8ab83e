"""Latency of full-text search and filtered listings on large SQLite databases.

Builds one database per size (synthetic but realistic articles: Zipf-distributed
English and Arabic vocabulary, 80-400 words, named entities at known frequencies, 7
outlets over two years, one article in ten a copy), through the real migrations, then times the real
query path (:func:`storage.query.iter_articles`: page of ids, then columns, copy
counts and snippets). Each query runs once to warm the cache, then ``--runs`` times;
the median is reported, with its ratio to the smallest size. Databases are kept in
bench/results/ (git-ignored) and reused when their size matches.

    .venv/bin/python bench/query_latency.py [--sizes 100000,1000000] [--runs 7] [--rebuild]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storage.db import open_database, session_factory  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from storage.models import Article  # noqa: E402
from storage.query import ArticleFilter, filter_query, iter_articles  # noqa: E402

RESULTS = ROOT / "bench" / "results"
OUTLETS = ("libyaobserver", "libyaherald", "libyanexpress", "libyareview", "alwasat", "aljazeera", "middleeasteye")
START = datetime(2024, 1, 1, tzinfo=timezone.utc)
SPAN_DAYS = 730
BATCH = 5_000
POOL = 50_000
MIGRATION = ROOT / "storage" / "migrations" / "versions" / "0003_search.py"

COMMON_EN = (
    "the of and to in a said that on for with was is by as at from it his has he have are were be an "
    "which after had its their not but this they been who will also about over more than two one new "
    "government forces city officials people minister country military security statement week state "
    "capital president council group armed oil east west south north local international support "
    "year told added month report attack killed police election national political talks ceasefire "
    "agreement fighting war peace army leader parliament spokesman ministry interior health water power "
    "port airport road border migrants coast guard central bank revenue budget salaries prices fuel"
).split()
ENTITIES_EN = {  # word -> share of English articles that mention it
    "libya": 0.60, "tripoli": 0.35, "benghazi": 0.15, "haftar": 0.08, "dbeibah": 0.04, "misrata": 0.03,
    "sirte": 0.02, "wagner": 0.005, "ghadames": 0.001, "kufra": 0.0005,
}
COMMON_AR = (
    "في من على إلى أن قال التي الذي مع عن هذا بين بعد كما حكومة الوطنية المجلس القوات وزير العاصمة "
    "الأمن المدينة الرئاسي الانتخابات النفط المؤسسة المصرف المركزي الجيش المواطنين البلديات اجتماع "
    "مصادر أعلنت وأكد الليبية الدولة الحدود المهاجرين الكهرباء الوقود الميزانية المرتبات"
).split()
ENTITIES_AR = {"ليبيا": 0.55, "طرابلس": 0.35, "بنغازي": 0.15, "حفتر": 0.08, "الدبيبة": 0.04, "غدامس": 0.001}


def pseudo_words(count: int, syllables: tuple[str, ...], rng: random.Random) -> list[str]:
    return ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(count)]


@dataclass
class Vocabulary:
    """Zipf-weighted words for one language, plus entities mentioned at fixed rates."""

    words: list[str]
    cum_weights: list[float]
    entities: dict[str, float]

    @classmethod
    def build(cls, common: list[str], tail: list[str], entities: dict[str, float]) -> Vocabulary:
        words = common + tail
        weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(words))]
        cumulative, total = [], 0.0
        for w in weights:
            total += w
            cumulative.append(total)
        return cls(words, cumulative, entities)

    def text(self, rng: random.Random, length: int) -> tuple[str, list[str]]:
        words = rng.choices(self.words, cum_weights=self.cum_weights, k=length)
        mentioned = [e for e, share in self.entities.items() if rng.random() < share]
        for entity in mentioned:
            for _ in range(rng.randint(1, 3)):
                words[rng.randrange(length)] = entity.capitalize()
        sentences, start = [], 0
        while start < length:
            end = min(length, start + rng.randint(12, 28))
            chunk = words[start:end]
            sentences.append(" ".join([chunk[0].capitalize(), *chunk[1:]]) + ".")
            start = end
        return " ".join(sentences), mentioned


def search_insert_trigger() -> str:
    """The SQL of migration 0003's insert trigger, to put back after the bulk load."""
    spec = importlib.util.spec_from_file_location("search_migration", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return next(sql for sql in module.FTS5_TRIGGERS if "article_search_insert" in sql)


def build(path: Path, size: int, seed: int = 20260101) -> float:
    """Create ``path`` with ``size`` articles; returns the seconds it took.

    Texts come from a pool of ``POOL`` generated articles (each reused with its own id,
    outlet, date and URL), and the FTS5 index is built in one pass after the load with
    its insert trigger dropped meanwhile: a 1M database then builds in minutes, with the
    index and posting lists of 1M articles.
    """
    started = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = open_database(f"sqlite:///{path}")
    rng = random.Random(seed)
    english = Vocabulary.build(COMMON_EN, pseudo_words(6000, ("ka", "ri", "lo", "ven", "tar", "mi", "sul", "bo", "ne", "dra"), rng), ENTITIES_EN)
    arabic = Vocabulary.build(COMMON_AR, pseudo_words(4000, ("بـ", "مر", "سل", "كا", "نو", "ري", "طا", "حم", "دي"), rng), ENTITIES_AR)
    pools = {language: [(v.text(rng, rng.randint(6, 12))[0].rstrip("."), *v.text(rng, rng.randint(80, 400)))
                        for _ in range(POOL if language == "en" else POOL // 4)]
             for language, v in (("en", english), ("ar", arabic))}
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.000000")
    insert = (
        "INSERT INTO article (id, outlet_id, url, url_key, title, authors, published_at, language, text, tags, "
        "word_count, content_hash, relevance_score, relevance_terms, is_relevant, source, story_id, original_id, "
        "created_at, modified_at) VALUES (?, ?, ?, ?, ?, '[]', ?, ?, ?, '[]', ?, ?, ?, '[]', ?, 'import', ?, ?, ?, ?)"
    )
    with engine.begin() as connection:
        for number, slug in enumerate(OUTLETS, 1):
            connection.exec_driver_sql(
                "INSERT INTO outlet (id, slug, name, scope, created_at) VALUES (?, ?, ?, 'all', ?)",
                (number, slug, slug, now))
        connection.exec_driver_sql("DROP TRIGGER article_search_insert")
    raw = engine.raw_connection()
    cursor = raw.cursor()
    # a bulk load: a large page cache keeps the random-key indexes (url_key, content_hash)
    # in memory, and a crash only loses a benchmark database
    cursor.execute("PRAGMA cache_size = -262144")
    cursor.execute("PRAGMA synchronous = OFF")
    rows = []
    for article_id in range(1, size + 1):
        outlet = rng.randrange(len(OUTLETS)) + 1
        language = "ar" if OUTLETS[outlet - 1] == "alwasat" or rng.random() < 0.05 else "en"
        title, text, mentioned = rng.choice(pools[language])
        published = START + timedelta(seconds=rng.randrange(SPAN_DAYS * 86400))
        original_id = rng.randrange(1, article_id) if article_id > 10 and rng.random() < 0.1 else None
        score = round(rng.uniform(3, 40), 2) if mentioned else round(rng.uniform(0, 3), 2)
        rows.append((
            article_id, outlet, f"https://{OUTLETS[outlet - 1]}.example/{article_id}",
            f"{OUTLETS[outlet - 1]}.example/{article_id}", title, published.strftime("%Y-%m-%d %H:%M:%S.000000"),
            language, text, len(text.split()), hashlib.sha1(f"{article_id}{text}".encode()).hexdigest(), score,
            score >= 3, original_id or (article_id if rng.random() < 0.05 else None), original_id, now, now,
        ))
        if len(rows) == BATCH or article_id == size:
            cursor.execute("BEGIN")
            cursor.executemany(insert, rows)
            cursor.execute("COMMIT")
            rows.clear()
    cursor.execute("BEGIN")
    cursor.execute("INSERT INTO article_search(article_search) VALUES ('rebuild')")
    cursor.execute(search_insert_trigger())
    cursor.execute("COMMIT")
    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    engine.dispose()
    path.with_suffix(".json").write_text(json.dumps({"size": size, "seed": seed}))
    return time.perf_counter() - started


@dataclass
class Case:
    name: str
    flt: ArticleFilter
    limit: int = 20
    sort: str | None = None
    timings: dict[int, float] = field(default_factory=dict)
    rows: dict[int, int] = field(default_factory=dict)
    matches: dict[int, int] = field(default_factory=dict)


def cases() -> list[Case]:
    month = (datetime(2025, 6, 1, tzinfo=timezone.utc), datetime(2025, 7, 1, tzinfo=timezone.utc))
    return [
        Case("search rare word (ghadames)", ArticleFilter(search="ghadames")),
        Case("search name (haftar)", ArticleFilter(search="haftar")),
        Case("search common word (libya)", ArticleFilter(search="libya")),
        Case("search two words (haftar misrata)", ArticleFilter(search="haftar misrata")),
        Case('search phrase ("central bank")', ArticleFilter(search='"central bank"')),
        Case("search prefix (dbeib*)", ArticleFilter(search="dbeib*")),
        Case("search Arabic (حفتر)", ArticleFilter(search="حفتر")),
        Case("search + outlet + month", ArticleFilter(search="haftar", outlets=["libyaherald"], since=month[0], until=month[1])),
        Case("list newest 50", ArticleFilter(), limit=50),
        Case("list outlet + month, newest 50", ArticleFilter(outlets=["libyaherald"], since=month[0], until=month[1]), limit=50),
        Case("list language ar + min relevance, 50", ArticleFilter(language="ar", min_relevance=20), limit=50),
        Case("list originals only, newest 50", ArticleFilter(originals_only=True), limit=50),
        Case("list outlet, oldest 50", ArticleFilter(outlets=["alwasat"]), limit=50, sort="oldest"),
    ]


def measure(path: Path, size: int, all_cases: list[Case], runs: int) -> None:
    engine = open_database(f"sqlite:///{path}")
    with session_factory(engine)() as session:
        for case in all_cases:
            found = len(list(iter_articles(session, case.flt, sort=case.sort, limit=case.limit)))  # type: ignore[arg-type]
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                list(iter_articles(session, case.flt, sort=case.sort, limit=case.limit))  # type: ignore[arg-type]
                samples.append(time.perf_counter() - started)
            case.timings[size] = statistics.median(samples) * 1000
            case.rows[size] = found
            counted, _ = filter_query(select(func.count()).select_from(Article), case.flt, "sqlite")
            case.matches[size] = session.scalar(counted) or 0
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000", help="comma-separated article counts (default: 100000)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the databases even if they exist")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    RESULTS.mkdir(parents=True, exist_ok=True)
    all_cases = cases()
    for size in sizes:
        path = RESULTS / f"query_latency_{size}.db"
        meta = path.with_suffix(".json")
        if args.rebuild or not path.exists() or not meta.exists() or json.loads(meta.read_text())["size"] != size:
            seconds = build(path, size)
            print(f"built {size:,} articles in {seconds:.0f} s ({path.stat().st_size / 1e6:.0f} MB)", flush=True)
        measure(path, size, all_cases, args.runs)
    base = sizes[0]
    header = f"{'query':40}" + "".join(f"{f'{s:,} ms':>14}{'rows':>5}{'matching':>10}" for s in sizes)
    header += "".join(f"{f'x{s // base}':>9}" for s in sizes[1:])
    print(header)
    for case in all_cases:
        line = f"{case.name:40}" + "".join(f"{case.timings[s]:14.1f}{case.rows[s]:5d}{case.matches[s]:10,d}" for s in sizes)
        line += "".join(f"{case.timings[s] / case.timings[base]:9.2f}" for s in sizes[1:])
        print(line)
    (RESULTS / "query_latency.json").write_text(json.dumps(
        {c.name: {"median_ms": c.timings, "rows": c.rows, "matching": c.matches} for c in all_cases}, indent=2))


if __name__ == "__main__":
    main()
