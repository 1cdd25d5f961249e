"""A lesson held with every student present (проведен час без отсъстващи).

The lesson page saved with nobody absent stores no absence, yet the lesson is recorded: its
:class:`LessonHeld` row says so, for the lesson page („Записано“) and the lessons not recorded.
Saving the same lesson so again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.models import TABLES
from services.register.models.timetable import LessonHeld
from shared import audit
from shared.auth.principal import Principal
from shared.runtime import ServiceRuntime


def held_subject(session: Session, class_code: str, day: dt.date, lesson: int) -> str | None:
    """The subject of the lesson if it was saved with nobody absent."""
    return session.scalar(sa.select(LessonHeld.subject).where(
        LessonHeld.class_code == class_code, LessonHeld.date == day, LessonHeld.lesson == lesson))


def hold_lesson(rt: ServiceRuntime, who: Principal, class_code: str, data: dict[str, Any]) -> None:
    """Record the lesson as held (the caller has checked who may record it and the day)."""
    with rt.db.transaction() as s:
        if held_subject(s, class_code, data["date"], data["lesson"]) is not None:
            return
        s.add(LessonHeld(class_code=class_code, date=data["date"], lesson=data["lesson"], subject=data["subject"],
                         recorded_by=who.id))
        audit.record(s, TABLES, who, "lesson.held", "lesson", f"{class_code}/{data['date']}/{data['lesson']}",
                     after={"subject": data["subject"], "marks": []})
