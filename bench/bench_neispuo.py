"""The НЕИСПУО monthly absence file for a school of 2,000 students and a full month of absences.

Figure (issue 8, item 5): the time of ``neispuo.build`` — the function behind
``GET /exports/neispuo-absences``: every student checked (ЕГН/ЛНЧ, Windows-1251, separators) and
written with the month's excused and unexcused hours — against a raw SQL aggregate of the same
month's absences per student and kind, measured in the same run on SQLite and on PostgreSQL.
Goal: the file in ≤ 0.5 s.  Median of several runs; the file is checked byte-identical each time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import on_each_database
from services.register.demo.school import school_year_for
from services.register.exports import neispuo
from services.register.models.absences import Absence
from services.register.models.people import Student
from services.register.models.school import School
from services.register.people.rules.personal_number import fake_egns
from services.register.school import years
from shared.auth.principal import Principal
from shared.bootstrap import build_process, upgrade_databases
from shared.settings import Settings

DIRECTOR = Principal(id=1, name="Директор", role="director")
CLASSES = [f"{grade}{letter}" for grade in range(8, 13) for letter in "абвгдежз"]


def load_school(rt, students: int, marks_per_student: int) -> int:
    """The school, its year, ``students`` students and October 2023's absences, loaded raw."""
    years.create_school_year(rt, DIRECTOR, school_year_for(dt.date(2023, 10, 1)))
    with rt.db.sessions() as s:
        days = years.calendar_for(s, dt.date(2023, 10, 2)).school_days(dt.date(2023, 10, 1),
                                                                               dt.date(2023, 10, 31))
    egns = fake_egns(students, seed=11, born_from=dt.date(2006, 1, 1), born_to=dt.date(2009, 12, 31))
    with rt.db.engine.begin() as conn:
        conn.execute(School.__table__.insert(), [{"id": 1, "name": "ПГЕС „Никола Вапцаров“", "neispuo_code": "2500603",
                                                  "address": "", "town": "Търговище", "director_name": "",
                                                  "phone": "", "email": ""}])
        conn.execute(Student.__table__.insert(), [
            {"first_name": "Александра", "middle_name": "Петрова", "last_name": f"Иванова-{i}", "egn": e.egn,
             "id_type": "egn", "birth_date": e.birth_date, "class_code": CLASSES[i % len(CLASSES)], "active": True}
            for i, e in enumerate(egns)])
        ids = list(conn.execute(sa.select(Student.id)).scalars())
        slots = [(day, lesson) for day in days for lesson in range(1, 8)]
        now = dt.datetime.now(dt.UTC)
        kinds = ("unexcused", "excused", "late", "excused")
        rows = [{"student_id": sid, "date": slots[(sid * 7 + k * 5) % len(slots)][0],
                 "lesson": slots[(sid * 7 + k * 5) % len(slots)][1], "subject": "Математика",
                 "kind": kinds[(sid + k) % 4], "recorded_by": 1, "recorded_at": now}
                for sid in ids for k in range(marks_per_student)]
        conn.execute(Absence.__table__.insert(), rows)
    return len(rows)


def raw_aggregate(rt, first: dt.date, last: dt.date) -> list:
    with rt.db.engine.connect() as conn:
        return conn.exec_driver_sql(
            "SELECT student_id, kind, count(*) FROM absences WHERE date >= ? AND date <= ? GROUP BY student_id, kind"
            if rt.db.is_sqlite else
            "SELECT student_id, kind, count(*) FROM absences WHERE date >= %s AND date <= %s GROUP BY student_id, kind",
            (first, last)).all()


def run(label: str, settings: Settings, url: str, args) -> None:
    upgrade_databases(settings, ("register",))
    process = build_process(settings, ("register",), broker_url=url)
    rt = process.runtime("register")
    marks = load_school(rt, args.students, args.marks)
    first, last = neispuo.calendar_month(2023, 10)
    ours, raw, contents = [], [], set()
    for _ in range(args.runs):
        begin = time.perf_counter()
        raw_aggregate(rt, first, last)
        raw.append(time.perf_counter() - begin)
        begin = time.perf_counter()
        with rt.db.sessions() as s:
            month_file = neispuo.build(s, 2023, 10, late_half_hours=1)
        ours.append(time.perf_counter() - begin)
        contents.add(month_file.content)
    assert month_file.students == args.students
    assert len(contents) == 1
    ours_s, raw_s = statistics.median(ours), statistics.median(raw)
    print(f"[{label}] НЕИСПУО file for {args.students:,} students and {marks:,} October marks "
          f"({len(month_file.content):,} bytes, identical in {args.runs} runs): {ours_s * 1000:.1f} ms "
          f"vs raw SQL aggregate {raw_s * 1000:.1f} ms → ratio {ours_s / raw_s:.2f} "
          f"(goal: the file in ≤ 500 ms: {'met' if ours_s <= 0.5 else 'NOT met'})")
    process.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--marks", type=int, default=30, help="absence marks per student in the month")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", choices=("sqlite", "postgresql"), default=None)
    args = parser.parse_args()
    on_each_database(run, args)


if __name__ == "__main__":
    main()
