"""What the term's approval orders are drawn up from: the weekly timetables in force (Чл. 113, ал. 3)
and the schedule of class and test papers (Чл. 136, ал. 2).

Each save announces the whole term (every class), so documents keeps one order per term up to date
until it is numbered; see ``services/documents/school_orders.py``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.assessment.rules.classwork import WrittenWorkKind
from services.register.models.assessment import ClassWork
from services.register.models.timetable import Timetable, TimetableLesson
from services.register.school.rules.calendar import Term
from services.register.school.years import calendar_of, year_containing
from shared.runtime import ServiceRuntime


def _term_from(session: Session, day: dt.date) -> tuple[str, Term] | None:
    """The school year's name and the term ``day`` falls in, or the next one if it is in a break."""
    year = year_containing(session, day)
    if year is None:
        return None
    terms = calendar_of(year).terms
    term = next((t for t in terms if day in t), None) or next((t for t in terms if t.start > day), None)
    return (year.name, term) if term is not None else None


def announce_timetables(session: Session, rt: ServiceRuntime, valid_from: dt.date) -> None:
    """``register.term_timetables``: every class's timetable in force in the term of ``valid_from``."""
    found = _term_from(session, valid_from)
    if found is None:
        return
    name, term = found
    day = max(term.start, valid_from)
    latest = sa.select(Timetable.class_code, sa.func.max(Timetable.valid_from).label("valid_from")).where(
        Timetable.valid_from <= day).group_by(Timetable.class_code).subquery()
    rows = session.execute(
        sa.select(Timetable.class_code, Timetable.valid_from, sa.func.count(TimetableLesson.id))
        .join(latest, sa.and_(latest.c.class_code == Timetable.class_code, latest.c.valid_from == Timetable.valid_from))
        .join(TimetableLesson, TimetableLesson.timetable_id == Timetable.id)
        .group_by(Timetable.class_code, Timetable.valid_from).order_by(Timetable.class_code)).all()
    classes = [{"class_code": code, "valid_from": max(since, term.start).isoformat(), "weekly_lessons": count}
               for code, since, count in rows]
    if classes:
        rt.publish(session, "register.term_timetables", {"school_year": name, "term": term.number,
                                                          "term_start": term.start.isoformat(), "classes": classes})


def announce_class_works(session: Session, rt: ServiceRuntime, day: dt.date) -> None:
    """``register.term_class_works``: every class's scheduled papers in the term of ``day``."""
    found = _term_from(session, day)
    if found is None:
        return
    name, term = found
    works: list[dict[str, Any]] = [
        {"class_code": w.class_code, "subject": w.subject, "kind": WrittenWorkKind(w.kind).name_bg,
         "date": w.date.isoformat()}
        for w in session.scalars(sa.select(ClassWork).where(ClassWork.date >= term.start, ClassWork.date <= term.end)
                                 .order_by(ClassWork.date, ClassWork.class_code, ClassWork.id))]
    if works:
        rt.publish(session, "register.term_class_works", {"school_year": name, "term": term.number,
                                                           "term_start": term.start.isoformat(), "works": works})
