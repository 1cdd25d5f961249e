"""Entering current grades (вписване на текущи оценки): ``POST /grades`` and the grade book's forms alike.

A control or class work (контролна, класна работа) is a grade and a date in the class's schedule at
once: its grade is entered only if the schedule can hold it within the limits of Чл. 136, ал. 1,
in the same transaction, so the API and the page refuse the same works with the same words.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from services.register.assessment import class_works, grading
from services.register.assessment.rules.classwork import WrittenWorkKind
from services.register.models.assessment import ClassWork, Grade
from shared.auth.principal import Principal
from shared.runtime import ServiceRuntime


def enter_grade(rt: ServiceRuntime, who: Principal, data: dict[str, Any]) -> Grade:
    """``POST /grades``'s grade; a control or class work not yet in the schedule is put there (Чл. 136, ал. 1)."""
    common = {k: v for k, v in data.items() if k not in ("student_id", "value")}
    return enter_grades(rt, who, common, {data["student_id"]: data["value"]})[0]


def enter_grades(rt: ServiceRuntime, who: Principal, common: dict[str, Any], values: dict[int, int]) -> list[Grade]:
    """Grades of one subject, kind and date for several students (the book's quick entry): all or none.

    Parameters:
      common: ``subject``, ``kind`` and ``date`` as ``POST /grades`` takes them.
      values: student id → grade; each is entered as ``POST /grades`` enters it (Чл. 139).
    """
    with rt.db.transaction() as s:
        rows = [grading.insert_grade(s, rt, who, {**common, "student_id": sid, "value": value})
                for sid, value in values.items()]
        if rows and common["kind"] in {k.value for k in WrittenWorkKind}:
            first = rows[0]
            scheduled = s.scalar(sa.select(ClassWork.id).where(
                ClassWork.class_code == first.class_code, ClassWork.subject == first.subject,
                ClassWork.kind == first.kind, ClassWork.date == first.date))
            if scheduled is None:
                class_works.add_to_schedule(s, who, {"class_code": first.class_code, "subject": first.subject,
                                                     "kind": first.kind, "date": first.date})
        for row in rows:
            s.expunge(row)
        return rows
