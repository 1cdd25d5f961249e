"""Who may act on or see a student or a class (права за достъп), as the правилник assigns them.

Plain functions of the caller and the session, so the API, the web pages and the jobs ask the
same question the same way; a refusal is a :class:`shared.errors.NotAllowedError`.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models.people import SchoolClass, Student
from shared.auth.principal import Principal
from shared.auth.roles import MANAGEMENT
from shared.errors import NotAllowedError, NotFoundError

#: Who reads a whole class's results and schedules besides its teachers.
CLASS_READERS = (*MANAGEMENT, "secretary", "psychologist")


def is_class_teacher(session: Session, who: Principal, class_code: str) -> bool:
    """Чл. 97, т. 14: only the class teacher (класен ръководител) of the class, nobody else.

    That is the class teacher appointed for the class; while none is appointed, a class teacher
    who teaches the class stands in.
    """
    if who.role != "class_teacher":
        return False
    appointed = session.scalar(sa.select(SchoolClass.class_teacher_id).where(SchoolClass.code == class_code))
    return appointed == who.id or (appointed is None and who.teaches_class(class_code))


def check_may_see_student(session: Session, who: Principal, student_id: int, *,
                          refuse_it_admin: bool = False) -> Student:
    """A parent sees only their child; a teacher only the classes they teach; the office everything.

    Parameters:
      refuse_it_admin: grades and sanctions are kept from the IT administrator as well.
    """
    student = session.get(Student, student_id)
    if student is None:
        raise NotFoundError("Няма такъв ученик.")
    if who.role == "parent" and not who.is_guardian_of(student_id):
        raise NotAllowedError("Родителят вижда само данните на своето дете.")
    if who.role in ("teacher", "class_teacher") and not who.teaches_class(student.class_code):
        raise NotAllowedError("Учителят вижда само учениците от паралелките, в които преподава.")
    if refuse_it_admin and who.role == "it_admin":
        raise NotAllowedError("Ролята няма достъп до данните на учениците.")
    return student


def check_may_see_class(session: Session, who: Principal, class_code: str) -> None:
    """A class's results and schedules: management, the office's readers and the class's own teachers."""
    if not session.scalar(sa.select(SchoolClass.id).where(SchoolClass.code == class_code)):
        raise NotFoundError(f"Няма паралелка {class_code}.")
    if who.role in CLASS_READERS:
        return
    if who.role in ("teacher", "class_teacher") and who.teaches_class(class_code):
        return
    raise NotAllowedError("Резултатите на паралелката виждат ръководството и учителите ѝ.")
