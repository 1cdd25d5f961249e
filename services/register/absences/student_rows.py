"""Students read as light rows (not ORM objects) for the hot paths: a lesson, an import, a firing's event."""

from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa

from services.register.models.people import Student, full_name

_STUDENTS = Student.__table__
# Built once: building a statement costs more than running it, and this runs on every lesson.
_BY_IDS = sa.select(_STUDENTS.c.id, _STUDENTS.c.class_code, _STUDENTS.c.first_name, _STUDENTS.c.middle_name,
                    _STUDENTS.c.last_name).where(_STUDENTS.c.id.in_(sa.bindparam("ids", expanding=True)))


class LessonStudent(NamedTuple):
    """A student as the rules and the events need them (lighter than the ORM object)."""

    id: int
    class_code: str
    first_name: str
    middle_name: str
    last_name: str

    @property
    def full_name(self) -> str:
        return full_name(self.first_name, self.middle_name, self.last_name)


def lesson_students(s, student_ids: list[int]) -> dict[int, LessonStudent]:
    """The students with these ids (those that exist), by id."""
    return {st.id: st for st in map(LessonStudent._make, s.execute(_BY_IDS, {"ids": student_ids}))}
