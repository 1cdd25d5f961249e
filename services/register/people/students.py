"""Enrolling students with their guardians (записване на ученици и родители)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models import TABLES
from services.register.models.people import Guardian, SchoolClass, Student
from services.register.people.identification import check_identification
from shared import audit
from shared.auth.principal import Principal
from shared.errors import ConflictError, InvalidInputError
from shared.runtime import ServiceRuntime


def student_payload(student: Student, guardians: list[Guardian]) -> dict[str, Any]:
    """The ``register.student_saved`` event: names, contacts and postal addresses, never the ЕГН."""
    return {
        "student_id": student.id, "first_name": student.first_name, "middle_name": student.middle_name,
        "last_name": student.last_name, "class_code": student.class_code, "active": student.active,
        "guardians": [{"guardian_id": g.id, "name": g.name, "email": g.email, "phone": g.phone,
                       "address": g.address} for g in guardians],
    }


def create_student(rt: ServiceRuntime, who: Principal, data: dict[str, Any]) -> int:
    identification = check_identification(data["egn"], data.get("birth_date"), rt.clock.today())
    with rt.db.transaction() as s:
        if not s.scalar(sa.select(SchoolClass.id).where(SchoolClass.code == data["class_code"])):
            raise InvalidInputError({"class_code": f"Няма паралелка {data['class_code']}."})
        if s.scalar(sa.select(Student.id).where(Student.egn == data["egn"])):
            raise ConflictError("Ученик с това ЕГН/ЛНЧ вече е записан.", "egn")
        return insert_student(s, rt, who, data, identification)


def insert_student(s, rt: ServiceRuntime, who: Principal, data: dict[str, Any], identification) -> int:
    """Add a checked student with guardians in the caller's transaction; announce and audit it."""
    student = Student(first_name=data["first_name"], middle_name=data["middle_name"],
                      last_name=data["last_name"], egn=data["egn"], id_type=identification.kind,
                      birth_date=identification.birth_date, class_code=data["class_code"])
    s.add(student)
    s.flush()
    guardians = [Guardian(student_id=student.id, **g) for g in data["guardians"]]
    s.add_all(guardians)
    s.flush()
    rt.publish(s, "register.student_saved", student_payload(student, guardians))
    audit.record(s, TABLES, who, "student.create", "student", student.id,
                 after={**data, "guardians": audited_guardians(data["guardians"])})
    return student.id


def audited_guardians(guardians: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The guardians as the audit log keeps them: a postal address is personal data, so only that one was given."""
    return [{**g, "address": "***"} if g.get("address") else g for g in guardians]


def student_or_422(session: Session, student_id: int) -> Student:
    """The student with this id, or 422 on ``student_id`` (the id came in the request's body)."""
    student = session.get(Student, student_id)
    if student is None:
        raise InvalidInputError({"student_id": "Няма такъв ученик."})
    return student
