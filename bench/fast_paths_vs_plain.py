"""The fast write paths of ``shared/db_bulk`` against the plain SQLAlchemy they replace, in one run.

The figures in each ``shared/db_bulk`` module's docstring come from here.  On SQLite and on
PostgreSQL (as ``bench_absences.py``, whose setup it reuses):

1. ``record_lesson`` for a class of 30, with ``RowsInsert`` and with a plain executemany of the
   dialect's insert instead, alternating lesson by lesson (each also against a raw insert of the
   same 30 rows), empty and with ``--history`` absences stored;
2. the bulk import of ``--bulk`` rows with ``copy_rows`` and with a plain executemany instead, for
   the marks, the firings or both, against the raw load, each undone afterwards (best of
   ``--rounds``); then the job announcing the import's firings.

Not one of the ``bench_*.py`` scripts: it compares the code with an alternative, not a figure with
its baseline.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import bench_absences as ba
from bench._common import on_each_database, percentile
from services.register import absences, bulk, firing_events, rules
from services.register.models import Absence, AbsenceCounter, RuleFiring
from shared.bootstrap import build_process, upgrade_databases
from shared.db import dialect_insert
from shared.db_bulk import recordset_insert

_plain_statements: dict = {}


def plain_rows_insert(self, session, rows):
    """``RowsInsert.execute`` done the plain way: an executemany of the dialect's insert."""
    key = (id(self), session.get_bind().dialect.name)
    if key not in _plain_statements:
        _plain_statements[key] = self._finish(dialect_insert(session, self.table))
    result = session.execute(_plain_statements[key], rows)
    return result.all() if result.returns_rows else result


def plain_copy_rows(session, table, columns, rows, skip_duplicates_of=()):
    """``copy_rows`` done the plain way: an executemany (skipping taken keys with ON CONFLICT)."""
    statement = table.insert()
    if skip_duplicates_of:
        statement = dialect_insert(session, table).on_conflict_do_nothing(index_elements=list(skip_duplicates_of))
    session.execute(statement, [dict(zip(columns, row, strict=True)) for row in rows])


LESSON_VARIANTS = {
    "ours": [],
    "plain RowsInsert": [(recordset_insert.RowsInsert, "execute", plain_rows_insert)],
}
IMPORT_VARIANTS = {
    "ours": [],
    "plain marks": [(bulk, "copy_rows", plain_copy_rows)],
    "plain firings": [(rules, "copy_rows", plain_copy_rows)],
    "plain both": [(bulk, "copy_rows", plain_copy_rows), (rules, "copy_rows", plain_copy_rows)],
}


@contextlib.contextmanager
def patched(patches):
    saved = [(owner, name, getattr(owner, name)) for owner, name, _new in patches]
    for owner, name, new in patches:
        setattr(owner, name, new)
    try:
        yield
    finally:
        for owner, name, old in saved:
            setattr(owner, name, old)


def time_lessons(rt, ids, calendar, n: int, start: dt.date) -> tuple[dict[str, list[float]], dt.date]:
    """``n`` lessons per variant, the variants taking turns, each lesson followed by a raw insert."""
    times: dict[str, list[float]] = {name: [] for name in [*LESSON_VARIANTS, "raw"]}
    names = list(LESSON_VARIANTS)
    day = start
    for i, (day, lesson) in enumerate(ba.lesson_slots(calendar, n * len(names), start)):
        name = names[i % len(names)]
        marks = [{"student_id": sid, "kind": "unexcused" if (sid + lesson) % 3 else "late"} for sid in ids]
        with patched(LESSON_VARIANTS[name]):
            begin = time.perf_counter()
            absences.record_lesson(rt, ba.DIRECTOR, {"date": day, "lesson": lesson, "subject": "Математика",
                                                     "marks": marks})
            times[name].append((time.perf_counter() - begin) * 1000)
        rows = [{"student_id": sid, "date": day, "lesson": lesson + 7, "subject": "Математика", "kind": "unexcused",
                 "recorded_by": 1, "recorded_at": dt.datetime.now(dt.UTC)} for sid in ids]
        begin = time.perf_counter()
        with rt.db.engine.begin() as conn:
            conn.execute(Absence.__table__.insert(), rows)
        times["raw"].append((time.perf_counter() - begin) * 1000)
    return times, day


def undo_import(rt, history: list[int]) -> None:
    with rt.db.engine.begin() as conn:
        conn.execute(Absence.__table__.delete().where(Absence.__table__.c.subject == "Физика"))
        conn.execute(RuleFiring.__table__.delete().where(RuleFiring.__table__.c.student_id.in_(history)))
        conn.execute(AbsenceCounter.__table__.delete().where(AbsenceCounter.__table__.c.student_id.in_(history)))


def run(label: str, settings, url: str, args) -> None:
    upgrade_databases(settings, ("register",))
    process = build_process(settings, ("register",), broker_url=url)
    rt = process.runtime("register")
    ids, calendar = ba.setup(rt)
    empty, last = time_lessons(rt, ids, calendar, args.requests, dt.date(2023, 9, 15))
    history = ba.add_history_students(rt)
    ba.load_history(rt, history, args.history)
    full, _last = time_lessons(rt, ids, calendar, args.requests, last + dt.timedelta(days=1))
    for name in [*LESSON_VARIANTS, "raw"]:
        e95, f95 = percentile(empty[name], 95), percentile(full[name], 95)
        print(f"[{label}] record_lesson, {name:16s} p95 empty {e95:6.2f} ms, {args.history:,} stored {f95:6.2f} ms "
              f"→ ratio {f95 / e95:.2f}; against raw {e95 / percentile(empty['raw'], 95):.2f} / "
              f"{f95 / percentile(full['raw'], 95):.2f}", flush=True)
    if args.bulk:
        rows = ba.import_rows(calendar, history, args.bulk)
        seconds: dict[str, list[float]] = {name: [] for name in ["raw", *IMPORT_VARIANTS]}
        announce: list[float] = []
        for _round in range(args.rounds):
            seconds["raw"].append(ba._timed_and_undone(rt, lambda: ba.load_raw(rt, rows)))
            for name, patches in IMPORT_VARIANTS.items():
                with patched(patches):
                    begin = time.perf_counter()
                    bulk.import_absences(rt, ba.DIRECTOR, rows)
                    seconds[name].append(time.perf_counter() - begin)
                if name == "ours":
                    begin = time.perf_counter()
                    firing_events.publish_waiting(rt)
                    announce.append(time.perf_counter() - begin)
                undo_import(rt, history)
        raw = min(seconds["raw"])
        for name, taken in seconds.items():
            print(f"[{label}] bulk import of {len(rows):,} rows, {name:13s} best {min(taken):.2f} s "
                  f"→ speed ratio {raw / min(taken):.2f} (goal ≥ 0.5 for ours)", flush=True)
        print(f"[{label}] the job announcing its firings: best {min(announce):.2f} s", flush=True)
    process.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=120, help="lessons per variant")
    parser.add_argument("--history", type=int, default=1_000_000)
    parser.add_argument("--bulk", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", choices=("sqlite", "postgresql"), default=None)
    on_each_database(run, parser.parse_args())


if __name__ == "__main__":
    main()
