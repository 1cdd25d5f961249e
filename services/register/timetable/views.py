"""What the timetable's pages and home cards read, besides the API's own functions."""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models.people import Assignment, SchoolClass, User
from services.register.timetable import day as day_reads
from services.register.timetable import timetables
from shared.auth.principal import Principal
from shared.auth.roles import MANAGEMENT, TEACHERS
from shared.errors import NotFoundError


@dataclasses.dataclass(frozen=True)
class ClassWeek:
    """One class's weekly grid as the page shows it."""

    class_code: str
    valid_from: dt.date | None
    #: (weekday, lesson) → (subject, teacher's name)
    grid: dict[tuple[int, int], tuple[str, str]]
    #: The chosen day's changes, with the teacher's name ("" when cancelled).
    changes: list[tuple[object, str]]
    subjects: list[str]


def class_codes(session: Session) -> list[str]:
    return list(session.scalars(sa.select(SchoolClass.code).order_by(SchoolClass.grade, SchoolClass.code)))


def teachers(session: Session) -> list[tuple[int, str]]:
    """The school's active teachers (id, name), by name: who may be given a lesson."""
    return [(row.id, row.name) for row in session.execute(sa.select(User.id, User.name).where(
        User.role.in_(TEACHERS), User.active.is_(True)).order_by(User.name))]


def class_week(session: Session, class_code: str, day: dt.date) -> ClassWeek:
    """The class's timetable in force on ``day`` (an empty grid when it has none yet)."""
    try:
        found = timetables.timetable_on(session, class_code, day)
    except NotFoundError:
        timetables.check_class(session, class_code)
        found = {"valid_from": None, "lessons": [], "changes": []}
    names = dict(teachers(session))
    grid = {(e["weekday"], e["lesson"]): (e["subject"], names.get(e["teacher_id"], "")) for e in found["lessons"]}
    changes = [(c, names.get(c.teacher_id, "") if c.teacher_id else "") for c in found["changes"]]
    subjects = sorted(set(session.scalars(sa.select(Assignment.subject).where(Assignment.class_code == class_code))))
    return ClassWeek(class_code, found["valid_from"], grid, changes, subjects)


def teacher_today(session: Session, who: Principal, today: dt.date, begun: int | None = None) -> dict | None:
    """The home card's part: a teacher's lessons of today with their state, the management's count of
    lessons not recorded (of those ``begun`` by the bells); ``None`` for other roles."""
    if who.role not in (*TEACHERS, *MANAGEMENT):
        return None
    school_day = day_reads.is_school_day(session, today)
    if who.role in TEACHERS:
        return {"school_day": school_day,
                "lessons": day_reads.lesson_states(session, today, teacher_id=who.id, school_day=school_day)}
    return {"school_day": school_day,
            "unrecorded": len(day_reads.unrecorded(session, today, school_day=school_day, begun=begun))}
