"""Bulk import of absence marks (e.g. from another register at the start of the year, or a migration).

One transaction for the whole file: the rows are loaded the database's fastest way (``COPY`` on
PostgreSQL, the driver's ``executemany`` on SQLite), each student's counters move once per period,
and the rules are evaluated once per student on the totals — so a 100,000-row import costs little
more than the load itself.  Its firings are stored with it and announced right after it by the
register's ``publish_firings`` job, each exactly once (see :mod:`services.register.absences.announcing`).
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import functools
import io
import operator

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from services.register.absences import covering, firings
from services.register.absences.rules.lesson_day import day_problem
from services.register.absences.student_rows import lesson_students
from services.register.models import TABLES
from services.register.models.absences import Absence
from services.register.models.people import SchoolClass
from services.register.school.years import calendar_for
from shared import audit
from shared.auth.principal import Principal
from shared.db import INT_MAX, INT_MIN
from shared.db_bulk.copy_load import copy_rows
from shared.errors import ConflictError, InvalidInputError
from shared.memory import cycle_collector_paused
from shared.platform_models import utcnow
from shared.runtime import ServiceRuntime

KINDS = ("unexcused", "excused", "late")
HEADING = ("student_id", "date", "lesson", "subject", "kind")
COLUMNS = ("student_id", "date", "lesson", "subject", "kind", "recorded_by", "recorded_at")


def parse_csv(content: bytes) -> list[dict]:
    """Rows ``student_id,date,lesson,subject,kind`` (the heading line first); 422 naming each bad row."""
    try:
        text: str | None = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:  # no text file holds NUL bytes; pictures and workbooks do
        raise InvalidInputError({"file": "Файлът не е текстов .csv в UTF-8."})
    try:
        return _parse_rows(csv.reader(io.StringIO(text)))
    except csv.Error:  # e.g. a field beyond the csv module's limit: no register's export has one
        raise InvalidInputError({"file": "Файлът не е валиден .csv."}) from None


def _parse_rows(reader) -> list[dict]:
    heading = tuple(cell.strip() for cell in next(reader, ()))
    if heading != HEADING:
        raise InvalidInputError({"file": f"Първият ред трябва да е: {','.join(HEADING)}."})
    rows, errors = [], {}
    line_of: dict[tuple, int] = {}
    for number, cells in enumerate(reader, start=2):
        if not cells:
            continue
        try:
            student_id, day, lesson, subject, kind = (c.strip() for c in cells)
            row = {"student_id": int(student_id), "date": dt.date.fromisoformat(day), "lesson": int(lesson),
                   "subject": subject, "kind": kind}
        except ValueError:
            errors[f"ред {number}"] = ["Очакват се 5 полета: ученик, дата ГГГГ-ММ-ДД, час, предмет, вид."]
            continue
        if kind not in KINDS or not 1 <= row["lesson"] <= 14 or not subject:
            errors[f"ред {number}"] = ["Невалиден вид, номер на час или предмет."]
            continue
        if not INT_MIN <= row["student_id"] <= INT_MAX:  # no such student; the database could not even look
            errors[f"ред {number}"] = ["Няма ученик с такъв номер."]
            continue
        key = (row["student_id"], row["date"], row["lesson"])
        if key in line_of:
            errors[f"ред {number}"] = [f"Същият ученик, дата и час са и на ред {line_of[key]}."]
            continue
        line_of[key] = number
        rows.append(row)
    if errors:
        raise InvalidInputError(errors)
    return rows


def _refusals(rows: list[dict], students: dict, bad_days: set[dt.date],
              class_day_problem) -> dict[str, list[str]]:
    """Every row that cannot be stored, by its index: an unknown student, a day that is not a past school day,
    a day after the end of classes of the student's grade (XII in May, Чл. 113, ал. 1; ``class_day_problem``
    answers for a class code and a day, "" when the day takes marks).

    The same student, day and lesson twice is caught by :func:`parse_csv` (by line) and, from any
    other caller, by the unique key (409).
    """
    errors: dict[str, list[str]] = {}
    for index, row in enumerate(rows):
        day = row["date"]
        if row["student_id"] not in students:
            errors[f"{index}.student_id"] = ["Няма такъв ученик."]
        elif day in bad_days:
            errors[f"{index}.date"] = [f"{day:%d.%m.%Y} не е минал учебен ден от въведена учебна година."]
        elif problem := class_day_problem(students[row["student_id"]].class_code, day):
            errors[f"{index}.date"] = [problem]
    return errors


#: A row's values in the order of :data:`COLUMNS` (without who recorded it and when).
_MARK = operator.itemgetter(*HEADING)


def _per_day(rt: ServiceRuntime, marks: list[tuple]) -> dict[tuple[int, dt.date], int]:
    """Unexcused half-hours per student and day: the rules see a day's marks as one change, not seven."""
    weight = {kind: firings.half_hours(kind, rt.settings.late_half_hours) for kind in KINDS}
    totals: collections.Counter[tuple[int, dt.date]] = collections.Counter()
    for student_id, day, _lesson, _subject, kind in marks:
        totals[student_id, day] += weight[kind]
    return totals


def import_absences(rt: ServiceRuntime, who: Principal, rows: list[dict]) -> int:
    """Insert all marks or none; returns how many.  Only management imports (it bypasses lesson ownership)."""
    if not rows:
        raise InvalidInputError({"file": "Няма отсъствия за внасяне."})
    today = rt.clock.today()
    with cycle_collector_paused(), rt.db.transaction() as s:
        students = lesson_students(s, list({r["student_id"] for r in rows}))
        calendars = {day: calendar_for(s, day) for day in {r["date"] for r in rows}}
        bad_days = {day for day, calendar in calendars.items()
                    if day > today or calendar is None or not calendar.is_school_day(day)}
        grades = dict(s.execute(sa.select(SchoolClass.code, SchoolClass.grade).where(
            SchoolClass.code.in_({st.class_code for st in students.values()}))).all())

        @functools.cache
        def class_day_problem(class_code: str, day: dt.date) -> str:
            # The same check as POST /absences and the lesson page (XII after its classes end).
            return day_problem(calendars[day], day, today, grades.get(class_code))

        errors = _refusals(rows, students, bad_days, class_day_problem)
        if errors:
            raise InvalidInputError(errors)
        # Marks on days an excuse already covers are stored excused (Чл. 61, ал. 1; covering.py).
        originally_excused = [r for r in rows if r["kind"] == "excused"]
        rows, turned = covering.excuse_imported(s, rows)
        marks = list(map(_MARK, rows))
        recorded = (who.id, utcnow())
        try:
            copy_rows(s, Absence.__table__, COLUMNS, [mark + recorded for mark in marks])
        except IntegrityError:
            raise ConflictError("Някое от отсъствията вече е въведено за същия ученик, дата и час.", "file") from None
        if turned:
            # The marks this import turned, by their unique key; only they get the history line.
            lessons = {(sid, day, lesson) for sid, day, lesson, _subject, kind in marks
                       if kind == "excused" and (sid, day) in turned}
            lessons -= {(r["student_id"], r["date"], r["lesson"]) for r in originally_excused}
            table = Absence.__table__
            stored = s.execute(sa.select(table.c.id, table.c.student_id, table.c.date, table.c.lesson).where(
                table.c.student_id.in_({sid for sid, _day in turned}),
                table.c.date.in_({d for _s, d in turned}))).all()
            covering.record_history(s, who.id, turned, [(r.id, r.student_id, r.date) for r in stored
                                                        if (r.student_id, r.date, r.lesson) in lessons])
        firings.apply_batch(s, rt, [(students[sid], day, delta) for (sid, day), delta in _per_day(rt, marks).items()],
                          calendars.__getitem__, announce_later=True)
        audit.record(s, TABLES, who, "absence.import", "absences", None, after={"rows": len(rows)})
        return len(rows)
