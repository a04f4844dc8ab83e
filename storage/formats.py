"""Writing rows as JSON Lines, JSON or CSV, for ``export``, ``articles``, ``show`` and ``stats``.

Rows are dicts of plain values (datetimes as ISO 8601 text); CSV joins lists with
``; `` so a spreadsheet gets one cell per field.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import IO, Any


def plain_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (datetime, date)) else value


def plain_row(obj: Any) -> dict[str, Any]:
    """A dataclass instance as a dict of plain values."""
    return {f.name: plain_value(getattr(obj, f.name)) for f in dataclasses.fields(obj)}


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_json(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    items = list(rows)
    json.dump(items, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return len(items)


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str], columns: Sequence[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=list(columns))
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({k: "; ".join(map(str, v)) if isinstance(v, list) else v for k, v in row.items()})
        count += 1
    return count
