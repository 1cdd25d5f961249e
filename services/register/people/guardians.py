"""The student's guardians (родители) with their contacts and postal address: who reads them, who corrects them.

Contacts and the postal address are personal data: the office, the director and the student's class
teacher keep them (the secretary posts the paper letters, the class teacher hands them over), the
parents read their own child's; a subject teacher, the psychologist and the IT administrator do not.
A correction is announced (``register.student_saved``) so that notifications and documents address
the next letter to it, and audited without the address itself.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models import TABLES
from services.register.models.people import Guardian, Student
from services.register.people.access import is_class_teacher
from services.register.people.students import audited_guardians, student_payload
from shared import audit
from shared.auth.principal import Principal
from shared.auth.roles import OFFICE
from shared.errors import NotAllowedError, NotFoundError
from shared.runtime import ServiceRuntime

#: Who reads a student's guardians (``GET /students/{id}/guardians``, the card's „Родители“).
GUARDIAN_READERS = (*OFFICE, "class_teacher", "parent")
#: Who corrects them (``PUT /students/{id}/guardians/{guardian_id}``, the card's form).
GUARDIAN_EDITORS = (*OFFICE, "class_teacher")


def _student(session: Session, student_id: int) -> Student:
    student = session.get(Student, student_id)
    if student is None:
        raise NotFoundError("Няма такъв ученик.")
    return student


def may_read(session: Session, who: Principal, student: Student) -> bool:
    """The office, the student's class teacher, the student's own parents."""
    if who.role in OFFICE:
        return True
    if who.role == "parent":
        return who.is_guardian_of(student.id)
    return is_class_teacher(session, who, student.class_code)


def may_edit(session: Session, who: Principal, student: Student) -> bool:
    """The office and the student's class teacher."""
    return who.role in OFFICE or is_class_teacher(session, who, student.class_code)


def of_student(session: Session, student_id: int) -> list[Guardian]:
    return list(session.scalars(sa.select(Guardian).where(Guardian.student_id == student_id).order_by(Guardian.id)))


def list_guardians(session: Session, who: Principal, student_id: int) -> list[Guardian]:
    """The student's guardians, for a caller who may read them (403 otherwise, 404 for no such student)."""
    student = _student(session, student_id)
    if not may_read(session, who, student):
        raise NotAllowedError("Данните на родителите виждат канцеларията, директорът, класният ръководител "
                              "и самите родители.")
    return of_student(session, student_id)


def update_guardian(rt: ServiceRuntime, who: Principal, student_id: int, guardian_id: int,
                    data: dict[str, Any]) -> Guardian:
    """Correct a guardian's name, e-mail, phone and postal address (the fields of ``GuardianSchema``)."""
    with rt.db.transaction() as s:
        student = _student(s, student_id)
        if not may_edit(s, who, student):
            raise NotAllowedError("Данните на родителите поправят канцеларията и класният ръководител.")
        guardian = s.get(Guardian, guardian_id)
        if guardian is None or guardian.student_id != student_id:
            raise NotFoundError("Няма такъв родител на ученика.")
        fields = ("name", "email", "phone", "address")
        before = {name: getattr(guardian, name) for name in fields}
        for name in fields:
            setattr(guardian, name, data.get(name))
        s.flush()
        rt.publish(s, "register.student_saved", student_payload(student, of_student(s, student_id)))
        [before_audited, after_audited] = audited_guardians([before, {name: data.get(name) for name in fields}])
        audit.record(s, TABLES, who, "guardian.update", "guardian", guardian_id,
                     before=before_audited, after=after_audited)
        s.expunge(guardian)
        return guardian
