"""The school's lessons of one day by the timetable, and which of them the register has (вписани часове).

A lesson is recorded when the register has its page saved: absence marks of the class for that
date and lesson, or, for a lesson with every student present, its :class:`LessonHeld` row.  Each
function here is a fixed number of queries, whatever the number of classes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models.absences import Absence
from services.register.models.people import Student, User
from services.register.models.timetable import LessonHeld, Timetable, TimetableChange, TimetableLesson
from services.register.school.years import calendar_for
from services.register.timetable.rules.day import DayLesson, lessons_of_day


@dataclasses.dataclass(frozen=True)
class LessonState:
    """A lesson of the day with its teacher's name and whether the register has it."""

    lesson: DayLesson
    teacher: str
    recorded: bool


def is_school_day(session: Session, day: dt.date) -> bool:
    calendar = calendar_for(session, day)
    return bool(calendar and calendar.is_school_day(day))


def day_lessons(session: Session, day: dt.date, class_codes: list[str] | None = None, *,
                school_day: bool | None = None) -> list[DayLesson]:
    """Every class's lessons on ``day`` (none on a day that is not a school day), by class and lesson.

    Parameters:
      school_day: whether ``day`` is a school day, when the caller knows it already.
    """
    if not (is_school_day(session, day) if school_day is None else school_day):
        return []
    versions = sa.select(Timetable.class_code, sa.func.max(Timetable.valid_from).label("valid_from")).where(
        Timetable.valid_from <= day).group_by(Timetable.class_code)
    if class_codes is not None:
        versions = versions.where(Timetable.class_code.in_(class_codes))
    in_force = versions.subquery()
    slots: dict[str, list[tuple[int, str, int]]] = {}
    for code, lesson, subject, teacher in session.execute(
            sa.select(Timetable.class_code, TimetableLesson.lesson, TimetableLesson.subject, TimetableLesson.teacher_id)
            .join(TimetableLesson, TimetableLesson.timetable_id == Timetable.id)
            .join(in_force, sa.and_(in_force.c.class_code == Timetable.class_code,
                                    in_force.c.valid_from == Timetable.valid_from))
            .where(TimetableLesson.weekday == day.isoweekday())):
        slots.setdefault(code, []).append((lesson, subject, teacher))
    changes: dict[str, list] = {}
    query = sa.select(TimetableChange.class_code, TimetableChange.lesson, TimetableChange.subject,
                      TimetableChange.teacher_id, TimetableChange.cancelled).where(TimetableChange.date == day)
    if class_codes is not None:
        query = query.where(TimetableChange.class_code.in_(class_codes))
    for code, *change in session.execute(query):
        changes.setdefault(code, []).append(tuple(change))
    return [lesson for code in sorted(set(slots) | set(changes))
            for lesson in lessons_of_day(code, slots.get(code, []), changes.get(code, []))]


def recorded_slots(session: Session, day: dt.date) -> set[tuple[str, int]]:
    """(class, lesson) of every lesson of ``day`` that the register has."""
    marked = session.execute(sa.select(Student.class_code, Absence.lesson).distinct()
                             .join(Student, Student.id == Absence.student_id).where(Absence.date == day)).all()
    held = session.execute(sa.select(LessonHeld.class_code, LessonHeld.lesson).where(LessonHeld.date == day)).all()
    return {tuple(row) for row in marked} | {tuple(row) for row in held}


def lesson_states(session: Session, day: dt.date, *, teacher_id: int | None = None,
                  school_day: bool | None = None) -> list[LessonState]:
    """The day's lessons with their teachers' names and state: by class and lesson, or a teacher's
    only, in the order of the bells (the home's „Моите часове днес“, read as the day goes)."""
    lessons = day_lessons(session, day, school_day=school_day)
    if teacher_id is not None:
        lessons = sorted((lesson for lesson in lessons if lesson.teacher_id == teacher_id),
                         key=lambda lesson: (lesson.lesson, lesson.class_code))
    if not lessons:
        return []
    names = dict(tuple(row) for row in session.execute(sa.select(User.id, User.name).where(
        User.id.in_({lesson.teacher_id for lesson in lessons}))))
    done = recorded_slots(session, day)
    return [LessonState(lesson, names.get(lesson.teacher_id, f"№ {lesson.teacher_id}"),
                        (lesson.class_code, lesson.lesson) in done) for lesson in lessons]


def unrecorded(session: Session, day: dt.date, *, school_day: bool | None = None,
               begun: int | None = None) -> list[LessonState]:
    """``GET /lessons/unrecorded``: the day's timetabled lessons the register does not have.

    Parameters:
      begun: how many of the day's lessons have begun (today: by the bells, :func:`now.lessons_begun`);
        a lesson that has not begun is not missing yet.  ``None``: every lesson (a past day).
    """
    return [state for state in lesson_states(session, day, school_day=school_day)
            if not state.recorded and (begun is None or state.lesson.lesson <= begun)]
