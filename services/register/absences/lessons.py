"""One lesson of one class as the register shows it (учебен час): its students, marks and state.

The lesson page reads everything here in a fixed number of queries, whatever the size of the class
(Gibbon's attendance page had n+1 queries that users felt); recording goes through
:func:`services.register.absences.recording.record_lesson`, the API's own function.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.absences import recording
from services.register.absences.rules.edit_window import EditWindow, edit_window
from services.register.absences.rules.lesson_day import day_problem
from services.register.absences.student_rows import LessonStudent
from services.register.models.absences import Absence
from services.register.models.people import Assignment, SchoolClass, Student
from services.register.models.timetable import TimetableChange
from services.register.school.rules.calendar import SchoolCalendar
from services.register.school.rules.errors import CalendarError
from services.register.school.years import calendar_for
from services.register.timetable import held
from services.register.timetable.day import day_lessons
from services.register.timetable.now import current_lesson
from services.register.timetable.substitutes import substitute_subjects
from services.register.timetable.timetables import lesson_count
from shared.auth.principal import Principal
from shared.auth.roles import MANAGEMENT, TEACHERS
from shared.errors import ConflictError, InvalidInputError, NotAllowedError, NotFoundError
from shared.runtime import ServiceRuntime

_STUDENTS = Student.__table__
_ABSENCES = Absence.__table__
_CLASS_STUDENTS = sa.select(_STUDENTS.c.id, _STUDENTS.c.class_code, _STUDENTS.c.first_name,
                            _STUDENTS.c.middle_name, _STUDENTS.c.last_name).where(
    _STUDENTS.c.class_code == sa.bindparam("class_code"), _STUDENTS.c.active.is_(True)).order_by(
    _STUDENTS.c.last_name, _STUDENTS.c.first_name, _STUDENTS.c.middle_name, _STUDENTS.c.id)
_LESSON_MARKS = sa.select(_ABSENCES.c.id, _ABSENCES.c.student_id, _ABSENCES.c.kind, _ABSENCES.c.subject).join(
    _STUDENTS, _STUDENTS.c.id == _ABSENCES.c.student_id).where(
    _STUDENTS.c.class_code == sa.bindparam("class_code"), _ABSENCES.c.date == sa.bindparam("day"),
    _ABSENCES.c.lesson == sa.bindparam("lesson"))
_LESSONS_OF_DAY = sa.select(_ABSENCES.c.lesson).distinct().join(
    _STUDENTS, _STUDENTS.c.id == _ABSENCES.c.student_id).where(
    _STUDENTS.c.class_code == sa.bindparam("class_code"), _ABSENCES.c.date == sa.bindparam("day"))


@dataclasses.dataclass(frozen=True)
class LessonMark:
    id: int
    student_id: int
    kind: str
    subject: str


@dataclasses.dataclass(frozen=True)
class LessonSheet:
    """What the lesson page shows: the class's students, the lesson's marks and what may be done."""

    class_code: str
    day: dt.date
    lesson: int
    students: list[LessonStudent]
    marks: dict[int, LessonMark]
    #: The teacher's subjects in the class (empty for a reader).
    subjects: list[str]
    #: Why nothing can be recorded that day ("" on a school day).
    day_problem: str
    window: EditWindow | None
    previous_day: dt.date
    next_day: dt.date
    #: The subject of a lesson saved with every student present (:mod:`services.register.timetable.held`).
    held: str | None = None
    #: The lesson's subject by the day's timetable (with its one-day changes), if it has one.
    planned: str | None = None

    @property
    def recorded(self) -> bool:
        return bool(self.marks) or self.held is not None

    @property
    def subject(self) -> str | None:
        return next(iter(self.marks.values())).subject if self.marks else self.held

    @property
    def may_record(self) -> bool:
        # A lesson held with everybody present may still get the marks of a student noticed late.
        return bool(self.subjects) and not self.day_problem and not self.marks

    @property
    def may_correct(self) -> bool:
        return bool(self.marks) and self.subject in self.subjects and self.window is not None and self.window.open


def check_may_open(session: Session, who: Principal, class_code: str, day: dt.date | None = None) -> int | None:
    """The class's teachers and its class teacher record (and on ``day`` a substitute, Чл. 114); the
    director and deputies read.  Returns the class's grade (клас), read with its class teacher: the
    page needs it for the day's rules, and one statement fewer counts in the rush (issue 17)."""
    found = session.execute(sa.select(SchoolClass.class_teacher_id, SchoolClass.grade)
                            .where(SchoolClass.code == class_code)).first()
    if found is None:
        raise NotFoundError(f"Няма паралелка {class_code}.")
    if who.role in MANAGEMENT:
        return found.grade
    if who.role in TEACHERS and (who.teaches_class(class_code) or found.class_teacher_id == who.id):
        return found.grade
    if who.role in TEACHERS and day is not None and substitute_subjects(session, who.id, class_code, day):
        return found.grade
    raise NotAllowedError("Часовете на паралелката виждат само учителите ѝ и ръководството.")


def teachable_subjects(session: Session, teacher_id: int, class_code: str, day: dt.date, lesson: int) -> list[str]:
    """The teacher's subjects in the class (alphabetically), then those a one-day change of ``day`` gave
    them in lesson ``lesson`` (Чл. 114): one statement for both."""
    own = sa.select(Assignment.subject.label("subject"), sa.literal(0).label("given")).where(
        Assignment.teacher_id == teacher_id, Assignment.class_code == class_code)
    given = sa.select(TimetableChange.subject, sa.literal(1)).where(
        TimetableChange.teacher_id == teacher_id, TimetableChange.class_code == class_code,
        TimetableChange.date == day, TimetableChange.lesson == lesson, TimetableChange.cancelled.is_(False))
    subjects = session.scalars(sa.union_all(own, given).order_by(sa.literal_column("given"),
                                                                  sa.literal_column("subject")))
    return list(dict.fromkeys(subjects))


def next_unrecorded(session: Session, class_code: str, day: dt.date, last: int) -> int:
    """The first lesson number of the day with no mark in the class (1 when none is recorded; ``last``,
    the bell schedule's last lesson, when all are)."""
    taken = set(session.scalars(_LESSONS_OF_DAY, {"class_code": class_code, "day": day}))
    return next((n for n in range(1, last + 1) if n not in taken), last)


def _neighbour(calendar: SchoolCalendar | None, day: dt.date, step: int) -> dt.date:
    """The previous or next school day (the next calendar day outside the known year)."""
    if calendar is not None:
        try:
            return calendar.add_school_days(day, step)
        except CalendarError:
            pass
    return day + dt.timedelta(days=step)


def lesson_sheet(rt: ServiceRuntime, who: Principal, class_code: str, day: dt.date | None,
                 lesson: int | None) -> LessonSheet:
    """The lesson's sheet; a missing day is today, a missing lesson the first one not yet recorded."""
    today = rt.clock.today()
    day = day or today
    with rt.db.reads() as s:
        grade = check_may_open(s, who, class_code, day)
        calendar = calendar_for(s, day)
        timetabled = day_lessons(s, day, [class_code], school_day=bool(calendar and calendar.is_school_day(day)))
        last = lesson_count(rt)
        lesson = lesson or (current_lesson(rt, who, timetabled) if day == today else None) or next_unrecorded(
            s, class_code, day, last)
        if not 1 <= lesson <= last:
            raise InvalidInputError({"lesson": f"Номерът на часа е от 1 до {last} (звънецът има {last} часа)."})
        students = [LessonStudent._make(row) for row in s.execute(_CLASS_STUDENTS, {"class_code": class_code})]
        marks = {row.student_id: LessonMark(row.id, row.student_id, row.kind, row.subject) for row in s.execute(
            _LESSON_MARKS, {"class_code": class_code, "day": day, "lesson": lesson})}
        subjects = teachable_subjects(s, who.id, class_code, day, lesson) if who.role in TEACHERS else []
        held_subject = held.held_subject(s, class_code, day, lesson)
    problem = day_problem(calendar, day, today, grade)
    window = edit_window(calendar, day, today, rt.settings.absence_edit_days) if marks and calendar else None
    planned = next((entry.subject for entry in timetabled if entry.lesson == lesson), None)
    return LessonSheet(class_code, day, lesson, students, marks, subjects, problem, window,
                       _neighbour(calendar, day, -1), _neighbour(calendar, day, 1), held_subject, planned)


def record_class_lesson(rt: ServiceRuntime, who: Principal, class_code: str, data: dict[str, Any]) -> list[int]:
    """Record a lesson from the page: refused when the lesson already has marks in the class.

    The API takes a lesson's marks student by student (a second request for other students is
    fine there); the page records a whole class at once, so a second sheet for the same lesson is
    a teacher who did not see the first one.
    """
    with rt.db.reads() as s:
        grade = check_may_open(s, who, class_code, data["date"])
        # Who may not record the subject's lesson is refused before anything else, as by ``POST /absences``
        # (a class teacher of the class who does not teach it too), even for a sheet with nobody absent.
        if not recording.may_record(s, who, class_code, data["subject"], data["date"], data["lesson"]):
            raise NotAllowedError(recording.NOT_THE_LESSONS_TEACHER)
        if not data["marks"]:  # no absence to store, but a wrong day is still said to be one
            problem = day_problem(calendar_for(s, data["date"]), data["date"], rt.clock.today(), grade)
            if problem:
                raise InvalidInputError({"date": problem})
        elif s.execute(_LESSONS_OF_DAY.where(_ABSENCES.c.lesson == data["lesson"]),
                     {"class_code": class_code, "day": data["date"]}).first() is not None:
            raise ConflictError(f"{data['lesson']}. час на {class_code} клас от {data['date']:%d.%m.%Y} вече е "
                                "записан: отворете го, за да видите или поправите отсъствията.")
    if not data["marks"]:  # the lesson was held: the register has it, with nobody absent
        held.hold_lesson(rt, who, class_code, data)
        return []
    return recording.record_lesson(rt, who, data, checked=recording.CheckedClass(class_code, grade))
