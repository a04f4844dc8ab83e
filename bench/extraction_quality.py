"""Extraction quality: ``newsmon extract`` against plain trafilatura on the same pages.

Uses the extraction sample (real pages with hand-made main text, see its README): writes
a manifest, runs the real ``newsmon extract --manifest`` in a subprocess and
``trafilatura.extract(html)`` with default settings in this process, scores both with
the sample's own ``score.py`` (dev split and all pages), prints one table and writes it
to ``bench/results/``.

    .venv/bin/python bench/extraction_quality.py [--data-dir ../shared/extraction-dev] [--jobs 1]

The metric is token-shingle precision/recall of the main text; ``ms/page`` is the
median CPU time of one extraction (decoding included for newsmon, which gets bytes).
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "extraction-dev"
RESULTS = ROOT / "bench" / "results"
SPLITS = ("dev", "all")


@dataclass(frozen=True, slots=True)
class Prediction:
    """One extractor's output for one page, in score.py's JSONL shape."""

    id: str
    text: str
    ms: float

    def line(self) -> str:
        return json.dumps({"id": self.id, "text": self.text, "ms": round(self.ms, 3)}, ensure_ascii=False)


def write_manifest(data_dir: Path, path: Path) -> list[str]:
    """Manifest of every sample page with its URL; returns the page ids."""
    truth = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)
    with path.open("w", encoding="utf-8") as out:
        for page_id in ids:
            page = (data_dir / "html" / f"{page_id}.html.gz").resolve()
            out.write(json.dumps({"id": page_id, "path": str(page), "url": truth[page_id]["url"]}) + "\n")
    return ids


def run_newsmon(manifest: Path, jobs: int) -> tuple[list[Prediction], int]:
    """``newsmon extract --manifest`` as a user runs it; failures score as empty text."""
    command = [sys.executable, "-c", "from crawler.cli import main; main()",
               "extract", "--manifest", str(manifest), "--jobs", str(jobs), "--timings"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    predictions, failures = [], 0
    for line in done.stdout.splitlines():
        data = json.loads(line)
        failures += "error" in data
        predictions.append(Prediction(str(data["id"]), data.get("text") or "", float(data.get("ms", 0.0))))
    return predictions, failures


def run_plain(data_dir: Path, ids: list[str]) -> list[Prediction]:
    """``trafilatura.extract(html)`` with its default settings, timed per page."""
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    predictions = []
    for page_id in ids:
        html = gzip.decompress((data_dir / "html" / f"{page_id}.html.gz").read_bytes())
        started = time.process_time()
        text = trafilatura.extract(html) or ""
        predictions.append(Prediction(page_id, text, (time.process_time() - started) * 1000))
    return predictions


def score(data_dir: Path, runs: dict[str, Path], report: Path) -> dict:
    command = [sys.executable, str(data_dir / "score.py"), "--data-dir", str(data_dir),
               "--json", str(report), *[a for s in SPLITS for a in ("--split", s)],
               *[f"--pred={name}={path}" for name, path in runs.items()]]
    subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(report.read_text(encoding="utf-8"))["results"]


def table(results: dict, timing: dict[str, list[float]], failures: dict[str, int]) -> str:
    rows = ["| extractor | split | pages | precision | recall | F1 | fail share | rejected | ms/page (median) | ms/page (mean) |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, entry in results.items():
        for split, m in entry["splits"].items():
            ms = timing[name]
            rows.append(f"| {name} | {split} | {m['n']} | {m['precision']:.3f} | {m['recall']:.3f} | "
                        f"{m['f1']:.3f} | {m['fail_share']:.1%} | {failures.get(name, 0)} | "
                        f"{statistics.median(ms):.1f} | {statistics.fmean(ms):.1f} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("EXTRACTION_DATA_DIR", DEFAULT_DATA)))
    parser.add_argument("--jobs", type=int, default=1, help="worker processes for newsmon extract")
    args = parser.parse_args(argv)
    if not (args.data_dir / "score.py").is_file():
        parser.error(f"no extraction sample at {args.data_dir} (need score.py, ground-truth.json, html/)")

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    work = RESULTS / f"extraction-{stamp}"
    work.mkdir(parents=True, exist_ok=True)
    ids = write_manifest(args.data_dir, work / "manifest.jsonl")

    newsmon, rejected = run_newsmon(work / "manifest.jsonl", args.jobs)
    plain = run_plain(args.data_dir, ids)
    runs = {"newsmon": work / "newsmon.jsonl", "plain-trafilatura": work / "plain-trafilatura.jsonl"}
    for predictions, path in ((newsmon, runs["newsmon"]), (plain, runs["plain-trafilatura"])):
        path.write_text("".join(p.line() + "\n" for p in predictions), encoding="utf-8")

    results = score(args.data_dir, runs, work / "scores.json")
    timing = {"newsmon": [p.ms for p in newsmon], "plain-trafilatura": [p.ms for p in plain]}
    text = (f"# Extraction quality, {stamp}\n\n{len(ids)} pages from {args.data_dir}; trafilatura "
            f"{trafilatura.__version__}; newsmon --jobs {args.jobs}\n\n"
            f"{table(results, timing, {'newsmon': rejected})}\n")
    (work / "table.md").write_text(text, encoding="utf-8")
    (RESULTS / "extraction_quality.md").write_text(text, encoding="utf-8")
    print(text)
    print(f"written to {work.relative_to(ROOT)}/ and bench/results/extraction_quality.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
