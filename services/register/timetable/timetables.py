"""The weekly timetable of a class (седмично разписание, Чл. 113, ал. 3): saved as a version in force
from a day, read as the version in force on a day.

``PUT /classes/{code}/timetable`` with the ``valid_from`` of an existing version replaces it (the
same request twice stores the same timetable); a later ``valid_from`` starts a new version and the
earlier one stays the record of its weeks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models import TABLES
from services.register.models.people import Assignment, SchoolClass
from services.register.models.timetable import Timetable, TimetableChange, TimetableLesson
from services.register.timetable import approval
from services.register.timetable.rules.bells import parse_bells
from services.register.timetable.rules.checks import check_lessons
from shared import audit
from shared.auth.principal import Principal
from shared.errors import InvalidInputError, NotFoundError
from shared.runtime import ServiceRuntime


def check_class(session: Session, class_code: str) -> None:
    if session.scalar(sa.select(SchoolClass.id).where(SchoolClass.code == class_code)) is None:
        raise NotFoundError(f"Няма паралелка {class_code}.")


def class_assignments(session: Session, class_code: str) -> set[tuple[str, int]]:
    """The class's (subject, teacher id) pairs: who may stand in the timetable."""
    return {(subject, teacher) for subject, teacher in session.execute(
        sa.select(Assignment.subject, Assignment.teacher_id).where(Assignment.class_code == class_code))}


def lesson_count(rt: ServiceRuntime) -> int:
    """Lessons a day may have: the bell schedule's (``school_bells``)."""
    return len(parse_bells(rt.settings.school_bells))


def store_timetable(session: Session, rt: ServiceRuntime, who: Principal, class_code: str,
                    data: dict[str, Any]) -> int:
    """Check and store one class's timetable in the caller's transaction; returns the version's id."""
    check_class(session, class_code)
    errors = check_lessons(data["lessons"], lesson_count(rt), class_assignments(session, class_code))
    if errors:
        raise InvalidInputError(errors)
    version = session.scalar(sa.select(Timetable).where(Timetable.class_code == class_code,
                                                        Timetable.valid_from == data["valid_from"]))
    before = None
    if version is None:
        version = Timetable(class_code=class_code, valid_from=data["valid_from"], saved_by=who.id)
        session.add(version)
        session.flush()
    else:
        before = {"lessons": _lessons_of(session, version.id)}
        session.execute(sa.delete(TimetableLesson).where(TimetableLesson.timetable_id == version.id))
        version.saved_by = who.id
    if data["lessons"]:
        session.execute(sa.insert(TimetableLesson), [
            {"timetable_id": version.id, "weekday": e["weekday"], "lesson": e["lesson"], "subject": e["subject"],
             "teacher_id": e["teacher_id"]} for e in data["lessons"]])
    audit.record(session, TABLES, who, "timetable.save", "timetable", f"{class_code}/{data['valid_from']}",
                 before=before, after={"lessons": [dict(e) for e in data["lessons"]]})
    session.flush()
    approval.announce_timetables(session, rt, data["valid_from"])
    return version.id


def save_timetable(rt: ServiceRuntime, who: Principal, class_code: str, data: dict[str, Any]) -> dict:
    """``PUT /classes/{code}/timetable``: the class's timetable from ``valid_from``."""
    with rt.db.transaction() as s:
        store_timetable(s, rt, who, class_code, data)
    with rt.db.sessions() as s:
        return timetable_on(s, class_code, data["valid_from"])


def _lessons_of(session: Session, timetable_id: int) -> list[dict]:
    rows = session.execute(sa.select(TimetableLesson.weekday, TimetableLesson.lesson, TimetableLesson.subject,
                                     TimetableLesson.teacher_id)
                           .where(TimetableLesson.timetable_id == timetable_id)
                           .order_by(TimetableLesson.weekday, TimetableLesson.lesson))
    return [dict(row._mapping) for row in rows]


def version_in_force(session: Session, class_code: str, day: dt.date) -> Timetable | None:
    return session.scalar(sa.select(Timetable).where(Timetable.class_code == class_code, Timetable.valid_from <= day)
                          .order_by(Timetable.valid_from.desc()).limit(1))


def timetable_on(session: Session, class_code: str, day: dt.date) -> dict:
    """The timetable in force on ``day`` and that day's changes; 404 when the class has none yet."""
    check_class(session, class_code)
    version = version_in_force(session, class_code, day)
    if version is None:
        raise NotFoundError(f"Паралелка {class_code} няма седмично разписание в сила на {day:%d.%m.%Y}.")
    changes = session.scalars(sa.select(TimetableChange).where(TimetableChange.class_code == class_code,
                                                               TimetableChange.date == day)
                              .order_by(TimetableChange.lesson)).all()
    return {"class_code": class_code, "valid_from": version.valid_from, "lessons": _lessons_of(session, version.id),
            "changes": changes}
