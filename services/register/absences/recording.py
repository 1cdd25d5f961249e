"""Recording absences per lesson (отсъствия по учебни часове)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from services.register.absences import assessment_conditions, covering, firings
from services.register.absences.rules.lesson_day import day_problem
from services.register.absences.student_rows import lesson_students
from services.register.models import TABLES
from services.register.models.absences import Absence
from services.register.models.people import Assignment, SchoolClass, Student
from services.register.school.years import calendar_for
from services.register.timetable.substitutes import substitute_subjects
from services.register.timetable.timetables import lesson_count
from shared import audit
from shared.auth.principal import Principal
from shared.db_bulk.recordset_insert import RowsInsert
from shared.errors import ConflictError, InvalidInputError, NotAllowedError
from shared.platform_models import utcnow
from shared.runtime import ServiceRuntime

_ASSIGNMENTS = Assignment.__table__
_TEACHES = sa.select(_ASSIGNMENTS.c.id).where(
    _ASSIGNMENTS.c.teacher_id == sa.bindparam("teacher"), _ASSIGNMENTS.c.class_code == sa.bindparam("class_code"),
    _ASSIGNMENTS.c.subject == sa.bindparam("subject")).limit(1)
_ABSENCES = Absence.__table__
_MARKS_INSERT = RowsInsert(
    _ABSENCES, ("student_id", "date", "lesson", "subject", "kind", "recorded_by", "recorded_at"),
    lambda insert: insert.returning(_ABSENCES.c.id, _ABSENCES.c.student_id))


#: Why a lesson's marks are refused to someone who does not teach it.
NOT_THE_LESSONS_TEACHER = "Отсъствия въвежда само учителят, който преподава часа, или директорът."


def may_record(s, who: Principal, class_code: str, subject: str, day: dt.date | None = None,
               lesson: int | None = None) -> bool:
    """Only the teacher of that lesson (the subject's teacher in that class, or the teacher a one-day
    change of the timetable gave lesson ``lesson`` of ``day``, Чл. 114) or management."""
    if who.is_management:
        return True
    if who.role not in ("teacher", "class_teacher"):
        return False
    if s.execute(_TEACHES, {"teacher": who.id, "class_code": class_code, "subject": subject}).first() is not None:
        return True
    return day is not None and lesson is not None and subject in substitute_subjects(s, who.id, class_code, day,
                                                                                     lesson)


def class_grade(s, class_code: str) -> int | None:
    """The class's grade (клас), whose classes may end before the school year does (XII)."""
    return s.scalar(sa.select(SchoolClass.grade).where(SchoolClass.code == class_code))


@dataclasses.dataclass(frozen=True)
class RecordedMark:
    """One stored mark of the lesson, as the rules and the event need it."""

    id: int
    student_id: int
    date: dt.date
    lesson: int
    subject: str
    kind: str


@dataclasses.dataclass(frozen=True)
class CheckedClass:
    """The class whose lesson the caller (the lesson page) has already found ``who`` may record, for
    the same subject, day and lesson, in the same request, with its grade: not asked again."""

    code: str
    grade: int | None


class LessonTakenError(Exception):
    """Some of the students already have a mark for this lesson (the unique key refused the insert)."""


def _insert_marks(s, who: Principal, data: dict[str, Any]) -> list[RecordedMark]:
    """The lesson's marks in one INSERT that hands back their ids (not one statement per student).

    The unique key (student, date, lesson) is the duplicate check: a mark already there, recorded
    earlier or by a concurrent request, fails the whole statement.
    """
    now = utcnow()
    try:
        ids = {sid: absence_id for absence_id, sid in _MARKS_INSERT.execute(s, [
            {"student_id": m["student_id"], "date": data["date"], "lesson": data["lesson"],
             "subject": data["subject"], "kind": m["kind"], "recorded_by": who.id, "recorded_at": now}
            for m in data["marks"]])}
    except IntegrityError as exc:
        raise LessonTakenError from exc
    return [RecordedMark(ids[m["student_id"]], m["student_id"], data["date"], data["lesson"], data["subject"],
                         m["kind"]) for m in data["marks"]]


def _refuse_taken(rt: ServiceRuntime, data: dict[str, Any], student_ids: list[int]) -> None:
    """409 naming the students who already have a mark for the lesson (read after the rollback)."""
    with rt.db.sessions() as s:
        names = [student.full_name for student in s.scalars(
            sa.select(Student).join(Absence, Absence.student_id == Student.id).where(
                Absence.student_id.in_(student_ids), Absence.date == data["date"],
                Absence.lesson == data["lesson"]).order_by(Student.last_name, Student.first_name))]
    taken = f": {', '.join(names)}" if names else ""
    raise ConflictError(
        f"За {data['date']:%d.%m.%Y}, {data['lesson']}. час вече има въведено отсъствие{taken}.", "marks")


def record_lesson(rt: ServiceRuntime, who: Principal, data: dict[str, Any], *,
                  checked: CheckedClass | None = None) -> list[int]:
    """One lesson's marks for one class, all or nothing; returns the new absence ids.

    Parameters:
      checked: the class the caller has checked ``who`` for (the marks' students must still all be of it).
    """
    student_ids = [m["student_id"] for m in data["marks"]]
    if len(set(student_ids)) != len(student_ids):
        raise InvalidInputError({"marks": "Един ученик е посочен повече от веднъж за същия час."})
    try:
        return _record(rt, who, data, student_ids, checked)
    except LessonTakenError:
        _refuse_taken(rt, data, student_ids)
        raise


def _record(rt: ServiceRuntime, who: Principal, data: dict[str, Any], student_ids: list[int],
            checked: CheckedClass | None) -> list[int]:
    with rt.db.transaction() as s:
        calendar = calendar_for(s, data["date"])
        problem = day_problem(calendar, data["date"], rt.clock.today())
        if problem:
            raise InvalidInputError({"date": problem})
        if data["lesson"] > (last := lesson_count(rt)):
            raise InvalidInputError({"lesson": f"Номерът на часа е от 1 до {last} (звънецът, SCHOOL_SCHOOL_BELLS)."})
        students = lesson_students(s, student_ids)
        errors = {f"marks.{i}.student_id": "Няма такъв ученик."
                  for i, sid in enumerate(student_ids) if sid not in students}
        if errors:
            raise InvalidInputError(errors)
        classes = {st.class_code for st in students.values()}
        if len(classes) != 1:
            raise InvalidInputError({"marks": "Всички ученици в един запис трябва да са от една паралелка."})
        class_code = classes.pop()
        if checked is not None and checked.code == class_code:
            grade = checked.grade
        elif may_record(s, who, class_code, data["subject"], data["date"], data["lesson"]):
            grade = class_grade(s, class_code)
        else:
            raise NotAllowedError(NOT_THE_LESSONS_TEACHER)
        problem = day_problem(calendar, data["date"], rt.clock.today(), grade)
        if problem:  # the day is a school day, but not for this class's grade (XII after its classes end)
            raise InvalidInputError({"date": problem})
        # An excuse already made for the day (a permission granted beforehand) excuses the mark as it is stored.
        marks, turned = covering.excuse_on_recording(s, data["date"], data["marks"])
        rows = _insert_marks(s, who, {**data, "marks": marks})
        covering.record_history(s, who.id, turned, [(row.id, row.student_id) for row in rows])
        for sid in turned:
            assessment_conditions.check_after_excuse(s, rt, students[sid], [data["date"]])
        firings.apply_batch(s, rt, [(students[row.student_id], row.date,
                                   firings.half_hours(row.kind, rt.settings.late_half_hours)) for row in rows],
                          lambda _day: calendar)
        rt.publish(s, "register.absence_recorded", {
            "class_code": class_code, "date": data["date"].isoformat(), "lesson": data["lesson"],
            "subject": data["subject"],
            "marks": [{"absence_id": row.id, "student_id": row.student_id,
                       "student_name": students[row.student_id].full_name, "kind": row.kind} for row in rows],
        })
        audit.record(s, TABLES, who, "absence.record", "lesson", f"{class_code}/{data['date']}/{data['lesson']}",
                     after={"subject": data["subject"], "marks": data["marks"]})
        return [row.id for row in rows]
