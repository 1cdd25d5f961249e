"""One-day changes of the timetable (различно от седмичното разписание разпределение, Чл. 114).

On a given date lesson N of a class is taught by another teacher or subject (a substitution of
an absent teacher, т. 2; a term paper's two consecutive hours, т. 3; an external assessment, т. 1)
or is not held.  The director's order must describe the circumstances (Чл. 114, ал. 2), so a change
without them is refused.  A second change of the same lesson on the same day replaces the first.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from services.register.models import TABLES
from services.register.models.people import Assignment, User
from services.register.models.timetable import TimetableChange
from services.register.timetable.timetables import check_class, lesson_count
from shared import audit
from shared.auth.principal import Principal
from shared.auth.roles import TEACHERS
from shared.errors import InvalidInputError
from shared.runtime import ServiceRuntime

#: Чл. 114, ал. 1: the grounds of a timetable deviation order.
GROUNDS: dict[int, str] = {
    1: "национално или регионално външно оценяване (Чл. 114, ал. 1, т. 1)",
    2: "заместване на отсъстващ учител (Чл. 114, ал. 1, т. 2)",
    3: "два последователни часа по един предмет за класна работа (Чл. 114, ал. 1, т. 3)",
}


def _check(session, rt: ServiceRuntime, class_code: str, data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    last = lesson_count(rt)
    if not 1 <= data["lesson"] <= last:
        errors["lesson"] = f"Номерът на часа е от 1 до {last} (според звънеца)."
    if not data["circumstances"].strip():
        errors["circumstances"] = "Заповедта трябва да описва обстоятелствата (Чл. 114, ал. 2)."
    if not data["cancelled"]:
        subjects = set(session.scalars(sa.select(Assignment.subject).where(Assignment.class_code == class_code)))
        if not data.get("subject"):
            errors["subject"] = "Посочете предмета или отбележете, че часът отпада."
        elif data["subject"] not in subjects:
            errors["subject"] = f"Паралелката няма предмет „{data['subject']}“."
        teacher = session.get(User, data["teacher_id"]) if data.get("teacher_id") is not None else None
        if teacher is None or teacher.role not in TEACHERS or not teacher.active:
            errors["teacher_id"] = "Посочете учител от училището."
    if errors:
        raise InvalidInputError(errors)


def save_change(rt: ServiceRuntime, who: Principal, class_code: str, data: dict[str, Any]) -> int:
    """``POST /classes/{code}/timetable/changes``: store (or replace) the day's change of one lesson."""
    with rt.db.transaction() as s:
        check_class(s, class_code)
        _check(s, rt, class_code, data)
        values = {"subject": None if data["cancelled"] else data["subject"],
                  "teacher_id": None if data["cancelled"] else data["teacher_id"],
                  "cancelled": data["cancelled"], "ground": data["ground"],
                  "circumstances": data["circumstances"].strip(), "saved_by": who.id}
        change = s.scalar(sa.select(TimetableChange).where(
            TimetableChange.class_code == class_code, TimetableChange.date == data["date"],
            TimetableChange.lesson == data["lesson"]))
        if change is None:
            change = TimetableChange(class_code=class_code, date=data["date"], lesson=data["lesson"], **values)
            s.add(change)
        else:
            for name, value in values.items():
                setattr(change, name, value)
        s.flush()
        audit.record(s, TABLES, who, "timetable.change", "timetable_change",
                     f"{class_code}/{data['date']}/{data['lesson']}",
                     after={**values, "date": data["date"].isoformat(), "lesson": data["lesson"]})
        # The director's order covers the school day (Чл. 114, ал. 1): documents gets the whole day.
        rt.publish(s, "register.timetable_changed", {"date": data["date"].isoformat(),
                                                     "changes": days_changes(s, data["date"])})
        return change.id


def days_changes(session, day) -> list[dict[str, Any]]:
    """Every change of one school day, by class and lesson, with the substitute teacher's name."""
    rows = session.execute(sa.select(TimetableChange, User.name).outerjoin(
        User, User.id == TimetableChange.teacher_id).where(TimetableChange.date == day).order_by(
        TimetableChange.class_code, TimetableChange.lesson)).all()
    return [{"class_code": change.class_code, "lesson": change.lesson, "subject": change.subject or "",
             "teacher": name or "", "cancelled": change.cancelled, "ground": change.ground,
             "circumstances": change.circumstances} for change, name in rows]
