"""Bulk import of absence marks (e.g. from another register at the start of the year, or a migration).

One transaction for the whole file: the rows are inserted with one ``executemany``, each student's
counters move once per period, and the rules are evaluated once per student on the totals — so a
100,000-row import costs little more than the insert itself, and a firing is still published once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from services.register import rules
from services.register.models import TABLES, Absence, Student
from services.register.school_years import calendar_for
from shared import audit
from shared.auth.principal import Principal
from shared.platform_models import utcnow
from shared.runtime import ServiceRuntime
from shared.web.errors import conflict, invalid

KINDS = ("unexcused", "excused", "late")
HEADING = ("student_id", "date", "lesson", "subject", "kind")


def parse_csv(content: bytes) -> list[dict]:
    """Rows ``student_id,date,lesson,subject,kind`` (the heading line first); 422 naming each bad row."""
    text = content.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    heading = tuple(cell.strip() for cell in next(reader, ()))
    if heading != HEADING:
        invalid({"file": f"Първият ред трябва да е: {','.join(HEADING)}."})
    rows, errors = [], {}
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
        rows.append(row)
    if errors:
        invalid(errors)
    return rows


def import_absences(rt: ServiceRuntime, who: Principal, rows: list[dict]) -> int:
    """Insert all marks or none; returns how many.  Only management imports (it bypasses lesson ownership)."""
    if not rows:
        invalid({"file": "Няма отсъствия за внасяне."})
    today = rt.clock.today()
    with rt.db.transaction() as s:
        students = {st.id: st for st in s.scalars(sa.select(Student).where(
            Student.id.in_({r["student_id"] for r in rows})))}
        calendars = {}
        errors: dict[str, list[str]] = {}
        for index, row in enumerate(rows):
            day = row["date"]
            if day not in calendars:
                calendars[day] = calendar_for(s, day)
            calendar = calendars[day]
            if row["student_id"] not in students:
                errors[f"{index}.student_id"] = ["Няма такъв ученик."]
            elif day > today or calendar is None or not calendar.is_school_day(day):
                errors[f"{index}.date"] = [f"{day:%d.%m.%Y} не е минал учебен ден от въведена учебна година."]
        if errors:
            invalid(errors)
        now = utcnow()
        try:
            s.execute(sa.insert(Absence.__table__), [
                {**row, "recorded_by": who.id, "recorded_at": now} for row in rows])
        except IntegrityError:
            conflict("Някое от отсъствията вече е въведено за същия ученик, дата и час.", "file")
        weight = {kind: rules.half_hours(kind, rt.settings.late_half_hours) for kind in KINDS}
        rules.apply_batch(s, rt, [(students[row["student_id"]], row["date"], weight[row["kind"]]) for row in rows],
                          calendars.__getitem__)
        audit.record(s, TABLES, who, "absence.import", "absences", None, after={"rows": len(rows)})
        return len(rows)
