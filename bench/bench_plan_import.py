"""Importing the annual plan: parse (text and .docx) and store, against raw baselines in the same run.

Usage: python bench/bench_plan_import.py [N]   (default N = 20)

- parse text: ``parse_plan_text`` on the seed vs splitting its lines into tab-separated cells;
- parse .docx: ``parse_plan_docx`` vs reading the same table's cell texts with python-docx;
- store: the whole upsert into SQLite (``importing.store``) vs one raw INSERT per activity row.

The run fails if any parse does not give the seed's 82 activities.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

import docx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import report
from services.planning.models import Base
from services.planning.plans import importing
from services.planning.plans.rules import parse_plan_docx, parse_plan_text
from shared.db import Database
from tests.planning.unit.test_planning_docx import seed_docx

SEED = Path(__file__).resolve().parents[1] / "tests" / "planning" / "fixtures" / "annual_plan_2023_2024.txt"


def _timed(fn, count: int) -> tuple[float, object]:
    started = time.perf_counter()
    result = None
    for _ in range(count):
        result = fn()
    return (time.perf_counter() - started) / count * 1000, result


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    text = SEED.read_text(encoding="utf-8")
    data = seed_docx(text)

    ours, plan = _timed(lambda: parse_plan_text(text, school_year_start=2023), count)
    raw, _ = _timed(lambda: [line.split("\t") for line in text.split("\n") if "\t" in line], count)
    report("parse text (ms per plan)", ours, raw)
    ok = len(plan.activities) == 82

    ours, from_docx = _timed(lambda: parse_plan_docx(data, school_year_start=2023), count)
    raw, _ = _timed(lambda: [[c.text for c in row.cells] for row in docx.Document(BytesIO(data)).tables[0].rows],
                    count)
    report("parse .docx (ms per plan)", ours, raw)
    ok = ok and len(from_docx.activities) == 82

    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{folder}/planning.sqlite3")
        Base.metadata.create_all(db.engine)

        def store() -> None:
            with db.transaction() as s:
                importing.store(s, plan, data=text.encode(), filename="plan.txt", who_id=1)

        ours, _ = _timed(store, count)
        db.dispose()
        connection = sqlite3.connect(f"{folder}/raw.sqlite3")
        connection.execute("CREATE TABLE a (key TEXT PRIMARY KEY, number TEXT, text TEXT, deadline TEXT)")

        def raw_store() -> None:
            with connection:
                connection.executemany("INSERT OR REPLACE INTO a VALUES (?, ?, ?, ?)",
                                       [(a.key, a.number, a.text, a.deadline.raw) for a in plan.activities])

        raw, _ = _timed(raw_store, count)
        connection.close()
    report("store / re-import (ms per plan)", ours, raw)
    print(f"activities: {len(plan.activities)} (text), {len(from_docx.activities)} (.docx); runs: {count}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
