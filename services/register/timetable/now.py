"""The lesson a teacher is in now (текущ час), by the timetable, the bell schedule and the school's clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from services.register.timetable.day import day_lessons
from services.register.timetable.rules.bells import current_lesson as bell_lesson
from services.register.timetable.rules.bells import parse_bells
from shared.auth.principal import Principal
from shared.auth.roles import TEACHERS
from shared.runtime import ServiceRuntime


def school_time(rt: ServiceRuntime) -> dt.time:
    """The time of day at the school (``timezone``), on the school's clock."""
    return rt.clock.now().astimezone(ZoneInfo(rt.settings.timezone)).time()


def current_lesson(session: Session, rt: ServiceRuntime, who: Principal, class_code: str, day: dt.date) -> int | None:
    """The caller's lesson in the class in progress now (or the latest started, or the day's first).

    A teacher's own lessons by the day's timetable; the management's, any of the class's.
    ``None`` when the timetable gives the caller no lesson in the class that day.
    """
    numbers = [lesson.lesson for lesson in day_lessons(session, day, [class_code])
               if who.role not in TEACHERS or lesson.teacher_id == who.id]
    return bell_lesson(parse_bells(rt.settings.school_bells), school_time(rt), numbers)
