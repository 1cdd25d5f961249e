"""Recording absences with the rules evaluated, against raw inserts into the same database.

Figures (each as a ratio to a raw baseline measured in the same run, on SQLite and PostgreSQL):
1. a class of 30 marks saved with its rules evaluated: p50/p95 server time of ``record_lesson`` (the
   function behind ``POST /absences``) and of the whole request through the WSGI app, each vs a raw
   ``executemany`` of the same 30 rows in a transaction, timed alternately with it;
2. the same with 1,000,000 absences already stored (loaded raw, then settled: checkpointed and,
   on PostgreSQL, vacuumed and analysed, as years of history would be), as a ratio to the empty
   case (target ≤ 1.2×: rule cost must not grow with history);
3. bulk import of 100,000 absence rows (``bulk.import_absences``: rules evaluated, firings stored,
   their announcement enqueued) vs loading the same rows raw: ``COPY`` on PostgreSQL, the driver's
   ``executemany`` on SQLite (target ≥ 0.5); and, for comparison, vs one SQLAlchemy Core
   ``executemany``.  The register's job then announces the firings after the import; its time is
   printed too (events built, checked and written to the outbox), so nothing is left uncounted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import on_each_database, percentile, summary
from services.register.absences import announcing, bulk, recording
from services.register.demo.school import school_year_for
from services.register.models.absences import Absence, RuleFiring
from services.register.models.people import Student
from services.register.people import classes, students
from services.register.people.rules.personal_number import fake_egns
from services.register.school import years
from shared.auth.principal import Principal
from shared.bootstrap import build_process, upgrade_databases
from shared.settings import Settings

DIRECTOR = Principal(id=1, name="Директор", role="director")
CLASS_SIZE = 30
HISTORY_STUDENTS = 2000


def setup(rt) -> tuple[list[int], object]:
    year = school_year_for(dt.date(2023, 10, 1))
    years.create_school_year(rt, DIRECTOR, year)
    classes.create_class(rt, DIRECTOR, {"code": "10а", "grade": 10, "class_teacher_id": None})
    classes.create_assignment(rt, DIRECTOR, {"teacher_id": 1, "class_code": "10а", "subject": "Математика",
                                            "weekly_hours": {"1": 4, "2": 4}})

    egns = fake_egns(CLASS_SIZE, seed=7, born_from=dt.date(2007, 1, 1), born_to=dt.date(2008, 12, 31))
    ids = [students.create_student(rt, DIRECTOR, {"first_name": "Ученик", "middle_name": "", "last_name": str(i),
                                                "egn": e.egn, "birth_date": None, "class_code": "10а",
                                                "guardians": []}) for i, e in enumerate(egns)]
    with rt.db.sessions() as s:
        calendar = years.calendar_for(s, dt.date(2023, 10, 2))
    return ids, calendar


def lesson_slots(calendar, count: int, start: dt.date):
    days = calendar.school_days(start, calendar.year_end)
    for i in range(count):
        yield days[i // 7], i % 7 + 1


def time_lessons(rt, ids, calendar, n: int, start: dt.date, record=None) -> tuple[list[float], list[float]]:
    """``n`` lessons recorded by ``record(lesson)`` and ``n`` raw inserts of the same 30 rows, alternating.

    ``record`` defaults to ``recording.record_lesson``; :func:`http_recorder` gives the whole request.
    The raw insert goes to the same day in lessons 8–14, so the two never collide, and alternating
    puts both under the same noise of the shared machine: their ratio means something even when the
    absolute times drift.
    """
    record = record or (lambda lesson: recording.record_lesson(rt, DIRECTOR, lesson))
    ours, raw = [], []
    table = Absence.__table__
    for day, lesson in lesson_slots(calendar, n, start):
        marks = [{"student_id": sid, "kind": "unexcused" if (sid + lesson) % 3 else "late"} for sid in ids]
        begin = time.perf_counter()
        record({"date": day, "lesson": lesson, "subject": "Математика", "marks": marks})
        ours.append((time.perf_counter() - begin) * 1000)
        rows = [{"student_id": sid, "date": day, "lesson": lesson + 7, "subject": "Математика",
                 "kind": "unexcused", "recorded_by": 1, "recorded_at": dt.datetime.now(dt.UTC)} for sid in ids]
        begin = time.perf_counter()
        with rt.db.engine.begin() as conn:
            conn.execute(table.insert(), rows)
        raw.append((time.perf_counter() - begin) * 1000)
    return ours, raw


def http_recorder(process, rt):
    """``POST /api/register/absences`` through the WSGI app as the director: token check, request
    validation, ``record_lesson`` and the JSON answer (everything but the network)."""
    from werkzeug.test import Client  # noqa: PLC0415

    from shared.web.combined import create_combined_app  # noqa: PLC0415

    with rt.db.transaction() as s:
        _uid, token = rt.definition.commands["users.add"](rt, s, name="Директор", role="director", class_codes=[],
                                                          student_ids=[], email=None, password=None)
    client = Client(create_combined_app(process.runtimes))
    headers = {"Authorization": f"Bearer {token}"}

    def record(lesson: dict) -> None:
        answer = client.post("/api/register/absences", headers=headers,
                             json={**lesson, "date": lesson["date"].isoformat()})
        assert answer.status_code == 201, answer.get_data(as_text=True)

    return record


def add_history_students(rt) -> list[int]:
    table = Student.__table__
    rows = [{"first_name": "История", "middle_name": "", "last_name": str(i), "egn": f"H{i:09d}", "id_type": "egn",
             "birth_date": dt.date(2007, 1, 1), "class_code": "10а", "active": True} for i in range(HISTORY_STUDENTS)]
    with rt.db.engine.begin() as conn:
        conn.execute(table.insert(), rows)
        return list(conn.execute(sa.select(table.c.id).where(table.c.first_name == "История")).scalars())


def load_history(rt, students: list[int], total: int) -> None:
    """``total`` absences of other students over past years, loaded raw (COPY on PostgreSQL)."""
    per_student = total // len(students)
    base = dt.date(2015, 9, 15)

    def rows():
        for sid in students:
            for k in range(per_student):
                yield (sid, base + dt.timedelta(days=k // 10), k % 10 + 1, "История", "unexcused", 1,
                       dt.datetime(2020, 1, 1, tzinfo=dt.UTC))

    columns = ("student_id", "date", "lesson", "subject", "kind", "recorded_by", "recorded_at")
    if rt.db.is_sqlite:
        with rt.db.engine.begin() as conn:
            conn.exec_driver_sql(f"INSERT INTO absences ({', '.join(columns)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                 list(rows()))
        settle(rt)
        return
    raw = rt.db.engine.raw_connection()
    try:
        with raw.cursor() as cur, cur.copy(f"COPY absences ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows():
                copy.write_row(row)
        raw.commit()
    finally:
        raw.close()
    settle(rt)


def settle(rt) -> None:
    """Let the loaded history settle as years of it would have: in the database file, with statistics.

    Without this the timed lessons would share the machine with the write-back of a 100 MB load
    (SQLite's log checkpoint, PostgreSQL's checkpoint and autovacuum), which says nothing about
    whether rule cost grows with history.
    """
    raw = rt.db.engine.raw_connection()
    try:
        if rt.db.is_sqlite:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            return
        driver = raw.driver_connection
        driver.autocommit = True  # VACUUM runs outside a transaction
        try:
            driver.execute("VACUUM ANALYZE absences")
            driver.execute("CHECKPOINT")
        finally:
            driver.autocommit = False  # the connection goes back to the pool as it came
    finally:
        raw.close()


def import_rows(calendar, students: list[int], n: int) -> list[dict]:
    slots = [(day, lesson) for day in calendar.school_days(dt.date(2024, 2, 6), dt.date(2024, 6, 28))
             for lesson in range(1, 8)]
    per_student = n // len(students)
    return [{"student_id": sid, "date": slots[k][0], "lesson": slots[k][1], "subject": "Физика",
             "kind": "unexcused" if k % 4 else "excused"} for sid in students for k in range(per_student)]


IMPORT_COLUMNS = ("student_id", "date", "lesson", "subject", "kind", "recorded_by", "recorded_at")


def load_raw(rt, rows: list[dict]) -> None:
    """The rows through the driver alone: ``COPY`` on PostgreSQL, ``executemany`` on SQLite."""
    now = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    raw = rt.db.engine.raw_connection()
    try:
        cur = raw.cursor()
        if rt.db.is_sqlite:
            cur.execute("BEGIN")
            cur.executemany(f"INSERT INTO absences ({', '.join(IMPORT_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [(r["student_id"], r["date"].isoformat(), r["lesson"], r["subject"], r["kind"], 1,
                              "2024-01-01 00:00:00.000000") for r in rows])
            cur.execute("COMMIT")
            return
        with cur.copy(f"COPY absences ({', '.join(IMPORT_COLUMNS)}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row((r["student_id"], r["date"], r["lesson"], r["subject"], r["kind"], 1, now))
        raw.commit()
    finally:
        raw.close()


def load_core(rt, rows: list[dict]) -> None:
    """The rows as an application would write them with SQLAlchemy Core: one ``executemany``."""
    now = dt.datetime.now(dt.UTC)
    with rt.db.engine.begin() as conn:
        conn.execute(Absence.__table__.insert(), [{**r, "recorded_by": 1, "recorded_at": now} for r in rows])


def _timed_and_undone(rt, load) -> float:
    begin = time.perf_counter()
    load()
    seconds = time.perf_counter() - begin
    with rt.db.engine.begin() as conn:
        conn.execute(Absence.__table__.delete().where(Absence.__table__.c.subject == "Физика"))
    return seconds


def _firings(rt) -> int:
    with rt.db.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(RuleFiring.__table__)).scalar_one()


def run(label: str, settings: Settings, url: str, args) -> None:
    upgrade_databases(settings, ("register",))
    process = build_process(settings, ("register",), broker_url=url)
    rt = process.runtime("register")
    ids, calendar = setup(rt)
    empty, raw = time_lessons(rt, ids, calendar, args.requests, dt.date(2023, 9, 18))
    print(f"[{label}] 30 marks + rules, empty register: {summary(empty)} ms")
    print(f"[{label}] raw executemany of 30 rows:       {summary(raw)} ms")
    for p in (50, 95):
        ratio = percentile(empty, p) / percentile(raw, p)
        print(f"[{label}] p{p} save-a-class: {percentile(empty, p):.2f} ms vs raw {percentile(raw, p):.2f} ms "
              f"→ ratio {ratio:.2f}")
    http, raw_http = time_lessons(rt, ids, calendar, args.requests, dt.date(2023, 11, 6), http_recorder(process, rt))
    print(f"[{label}] the same as a whole POST /api/register/absences: {summary(http)} ms "
          f"(raw alongside: p50 {percentile(raw_http, 50):.2f}, p95 {percentile(raw_http, 95):.2f} ms)")
    history = add_history_students(rt)
    begin = time.perf_counter()
    load_history(rt, history, args.history)
    print(f"[{label}] loaded {args.history:,} past absences in {time.perf_counter() - begin:.1f} s")
    full, raw_full = time_lessons(rt, ids, calendar, args.requests, dt.date(2024, 1, 8))
    print(f"[{label}] 30 marks + rules, {args.history:,} stored: {summary(full)} ms "
          f"(raw alongside: p95 {percentile(raw_full, 95):.2f} ms)")
    print(f"[{label}] p95 with history / p95 empty: {percentile(full, 95):.2f} / {percentile(empty, 95):.2f} ms "
          f"→ ratio {percentile(full, 95) / percentile(empty, 95):.2f} (goal ≤ 1.2); "
          f"each against its raw: {percentile(full, 95) / percentile(raw_full, 95):.2f} / "
          f"{percentile(empty, 95) / percentile(raw, 95):.2f}")
    rows = import_rows(calendar, history, args.bulk)
    driver_s = _timed_and_undone(rt, lambda: load_raw(rt, rows))
    core_s = _timed_and_undone(rt, lambda: load_core(rt, rows))
    fired_before = _firings(rt)
    begin = time.perf_counter()
    bulk.import_absences(rt, DIRECTOR, rows)
    ours_s = time.perf_counter() - begin
    fired = _firings(rt) - fired_before
    begin = time.perf_counter()
    announced = announcing.publish_waiting(rt)
    announce_s = time.perf_counter() - begin
    driver = "COPY" if not rt.db.is_sqlite else "sqlite3 executemany"
    print(f"[{label}] bulk import of {len(rows):,} rows ({fired:,} rule firings stored): "
          f"{len(rows) / ours_s:,.0f} rows/s in {ours_s:.2f} s")
    print(f"[{label}]   then the job announced {announced:,} firings in {announce_s:.2f} s "
          f"({announce_s / max(announced, 1) * 1e6:.0f} µs each; import and announcement together "
          f"{ours_s + announce_s:.2f} s → speed ratio {driver_s / (ours_s + announce_s):.2f})")
    print(f"[{label}]   vs raw {driver} {len(rows) / driver_s:,.0f} rows/s ({driver_s:.2f} s) "
          f"→ speed ratio {driver_s / ours_s:.2f} (goal ≥ 0.5)")
    print(f"[{label}]   vs SQLAlchemy Core executemany {len(rows) / core_s:,.0f} rows/s ({core_s:.2f} s) "
          f"→ speed ratio {core_s / ours_s:.2f}")
    process.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--history", type=int, default=1_000_000)
    parser.add_argument("--bulk", type=int, default=100_000)
    parser.add_argument("--only", choices=("sqlite", "postgresql"), default=None)
    args = parser.parse_args()
    on_each_database(run, args)


if __name__ == "__main__":
    main()
