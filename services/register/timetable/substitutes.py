"""A substitute's lessons (заместване, Чл. 114, ал. 1, т. 2): on the day of a one-day change, its
teacher records the lesson of that class and subject as the subject's own teacher would."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models.timetable import TimetableChange


def substitute_subjects(session: Session, teacher_id: int, class_code: str, day: dt.date,
                        lesson: int | None = None) -> list[str]:
    """The subjects the teacher was given in the class on ``day`` (in lesson ``lesson``, when given) by a
    one-day change."""
    query = sa.select(TimetableChange.subject).distinct().where(
        TimetableChange.teacher_id == teacher_id, TimetableChange.class_code == class_code,
        TimetableChange.date == day, TimetableChange.cancelled.is_(False))
    if lesson is not None:
        query = query.where(TimetableChange.lesson == lesson)
    return list(session.scalars(query))
