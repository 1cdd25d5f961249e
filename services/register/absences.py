"""Recording absences per lesson (отсъствия по учебни часове)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from services.register import rules
from services.register.models import TABLES, Absence, Assignment, Student
from services.register.school_years import calendar_for
from shared import audit
from shared.auth.principal import Principal
from shared.platform_models import utcnow
from shared.runtime import ServiceRuntime
from shared.web.errors import conflict, forbidden, invalid


def _may_record(s, who: Principal, class_code: str, subject: str) -> bool:
    """Only the teacher of that lesson (the subject's teacher in that class) or management."""
    if who.is_management:
        return True
    if who.role not in ("teacher", "class_teacher"):
        return False
    return bool(s.scalar(sa.select(Assignment.id).where(
        Assignment.teacher_id == who.id, Assignment.class_code == class_code, Assignment.subject == subject)))


@dataclasses.dataclass(frozen=True)
class RecordedMark:
    """One stored mark of the lesson, as the rules and the event need it."""

    id: int
    student_id: int
    date: dt.date
    lesson: int
    subject: str
    kind: str


def _insert_marks(s, who: Principal, data: dict[str, Any], student_ids: list[int]) -> list[RecordedMark]:
    """The lesson's marks in one multi-row INSERT (not one statement per student), then their ids."""
    table = Absence.__table__
    now = utcnow()
    try:
        s.execute(table.insert(), [
            {"student_id": m["student_id"], "date": data["date"], "lesson": data["lesson"],
             "subject": data["subject"], "kind": m["kind"], "recorded_by": who.id, "recorded_at": now}
            for m in data["marks"]])
    except IntegrityError:
        # A concurrent request recorded the same lesson between our check and our insert.
        conflict("За някой от учениците вече има отсъствие за този час.", "marks")
    ids = dict(s.execute(sa.select(table.c.student_id, table.c.id).where(
        table.c.student_id.in_(student_ids), table.c.date == data["date"], table.c.lesson == data["lesson"])).all())
    return [RecordedMark(ids[m["student_id"]], m["student_id"], data["date"], data["lesson"], data["subject"],
                         m["kind"]) for m in data["marks"]]


def record_lesson(rt: ServiceRuntime, who: Principal, data: dict[str, Any]) -> list[int]:
    """One lesson's marks for one class, all or nothing; returns the new absence ids."""
    if data["date"] > rt.clock.today():
        invalid({"date": "Не може да се въвеждат отсъствия за бъдеща дата."})
    student_ids = [m["student_id"] for m in data["marks"]]
    if len(set(student_ids)) != len(student_ids):
        invalid({"marks": "Един ученик е посочен повече от веднъж за същия час."})
    with rt.db.transaction() as s:
        calendar = calendar_for(s, data["date"])
        if calendar is None or not calendar.year_start <= data["date"] <= calendar.year_end:
            invalid({"date": "Няма въведена учебна година, която да съдържа тази дата (POST /school-years)."})
        if not calendar.is_school_day(data["date"]):
            invalid({"date": f"{data['date']:%d.%m.%Y} не е учебен ден."})
        students = {st.id: st for st in s.scalars(sa.select(Student).where(Student.id.in_(student_ids)))}
        errors = {f"marks.{i}.student_id": "Няма такъв ученик."
                  for i, sid in enumerate(student_ids) if sid not in students}
        if errors:
            invalid(errors)
        classes = {st.class_code for st in students.values()}
        if len(classes) != 1:
            invalid({"marks": "Всички ученици в един запис трябва да са от една паралелка."})
        class_code = classes.pop()
        if not _may_record(s, who, class_code, data["subject"]):
            forbidden("Отсъствия въвежда само учителят, който преподава часа, или директорът.")
        taken = s.scalars(sa.select(Absence.student_id).where(
            Absence.student_id.in_(student_ids), Absence.date == data["date"], Absence.lesson == data["lesson"]
        )).all()
        if taken:
            conflict(f"За {len(taken)} от учениците вече има отсъствие за този час.", "marks")
        rows = _insert_marks(s, who, data, student_ids)
        rules.apply_batch(s, rt, [(students[row.student_id], row.date,
                                   rules.half_hours(row.kind, rt.settings.late_half_hours)) for row in rows],
                          lambda _day: calendar)
        for row in rows:
            student = students[row.student_id]
            rt.publish(s, "register.absence_recorded", {
                "absence_id": row.id, "student_id": row.student_id, "student_name": student.full_name,
                "class_code": class_code, "date": row.date.isoformat(), "lesson": row.lesson,
                "subject": row.subject, "kind": row.kind,
            })
        audit.record(s, TABLES, who, "absence.record", "lesson", f"{class_code}/{data['date']}/{data['lesson']}",
                     after={"subject": data["subject"], "marks": data["marks"]})
        return [row.id for row in rows]
