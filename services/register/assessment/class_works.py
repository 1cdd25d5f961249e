"""The class's schedule of control and class works (график на контролните и класните работи, Чл. 136).

The limits — one a day, two a week per class, none in a term's last two weeks — are the
assessment domain's; this module checks who may schedule and stores the work.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.assessment.grading import check_subject_teacher, messages, subject_assignments, year_of
from services.register.assessment.rules.classwork import (
    SCHOOL_DAY_ARTICLE,
    ScheduledWork,
    WrittenWorkKind,
    validate_written_work_schedule,
)
from services.register.models import TABLES
from services.register.models.assessment import ClassWork
from services.register.models.people import SchoolClass
from services.register.timetable import approval
from shared import audit
from shared.auth.principal import Principal
from shared.errors import InvalidInputError
from shared.runtime import ServiceRuntime


def schedule_class_work(rt: ServiceRuntime, who: Principal, data: dict[str, Any]) -> int:
    """A control or class work in the class's schedule, within the limits of Чл. 136, ал. 1."""
    with rt.db.transaction() as s:
        work_id = add_to_schedule(s, who, data)
        # The term's schedule is approved by order (Чл. 136, ал. 2): documents keeps it up to date.
        approval.announce_class_works(s, rt, data["date"])
        return work_id


def add_to_schedule(s: Session, who: Principal, data: dict[str, Any]) -> int:
    """:func:`schedule_class_work` inside the caller's transaction (the grade book's class-work grade)."""
    if not s.scalar(sa.select(SchoolClass.id).where(SchoolClass.code == data["class_code"])):
        raise InvalidInputError({"class_code": f"Няма паралелка {data['class_code']}."})
    if not who.is_management:
        check_subject_teacher(s, who, data["class_code"], data["subject"])
    elif not subject_assignments(s, data["class_code"], data["subject"]):
        raise InvalidInputError(
            {"subject": f"Предметът „{data['subject']}“ не се преподава в паралелка {data['class_code']}."})
    year = year_of(s, data["date"]).for_class(s, data["class_code"])
    term = year.calendar.term_of(data["date"])
    if term is None:
        raise InvalidInputError(
            {"date": f"{data['date']:%d.%m.%Y} е извън учебните срокове ({SCHOOL_DAY_ARTICLE})."})
    existing = s.scalars(sa.select(ClassWork).where(
        ClassWork.class_code == data["class_code"], ClassWork.date >= term.start, ClassWork.date <= term.end))
    planned = [ScheduledWork(w.class_code, w.subject, WrittenWorkKind(w.kind), w.date) for w in existing]
    new = ScheduledWork(data["class_code"], data["subject"], WrittenWorkKind(data["kind"]), data["date"])
    broken = validate_written_work_schedule([*planned, new], year.calendar, term_start=term.start,
                                            term_end=term.end)
    if broken:
        raise InvalidInputError({"date": messages(broken)})
    row = ClassWork(teacher_id=who.id, **data)
    s.add(row)
    s.flush()
    audit.record(s, TABLES, who, "class_work.create", "class_work", row.id,
                 after={**data, "date": data["date"].isoformat()})
    return row.id


def class_works(session: Session, class_code: str) -> list[dict[str, Any]]:
    rows = session.scalars(sa.select(ClassWork).where(ClassWork.class_code == class_code)
                           .order_by(ClassWork.date, ClassWork.id))
    return [{"id": w.id, "class_code": w.class_code, "subject": w.subject, "kind": w.kind,
             "kind_name": WrittenWorkKind(w.kind).name_bg, "date": w.date.isoformat()} for w in rows]
