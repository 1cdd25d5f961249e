"""The lesson a teacher is in now (текущ час), by the timetable, the bell schedule and the school's clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from services.register.timetable.rules.bells import current_lesson as bell_lesson
from services.register.timetable.rules.bells import parse_bells
from services.register.timetable.rules.day import DayLesson
from shared.auth.principal import Principal
from shared.auth.roles import TEACHERS
from shared.runtime import ServiceRuntime


def school_time(rt: ServiceRuntime) -> dt.time:
    """The time of day at the school (``timezone``), on the school's clock."""
    return rt.clock.now().astimezone(ZoneInfo(rt.settings.timezone)).time()


def lessons_begun(rt: ServiceRuntime, day: dt.date) -> int | None:
    """How many lessons of ``day`` have begun by the bells (``school_bells``): today those whose bell has
    rung, a later day none; ``None`` for a past day (all of them)."""
    today = rt.clock.today()
    if day < today:
        return None
    if day > today:
        return 0
    now = school_time(rt)
    return sum(1 for bell in parse_bells(rt.settings.school_bells) if bell.start <= now)


def current_lesson(rt: ServiceRuntime, who: Principal, lessons: list[DayLesson]) -> int | None:
    """The caller's lesson in progress now among a class's ``lessons`` of today (or the latest started,
    or the day's first): a teacher's own, the management's any.  ``None`` when none is the caller's.
    """
    numbers = [lesson.lesson for lesson in lessons if who.role not in TEACHERS or lesson.teacher_id == who.id]
    return bell_lesson(parse_bells(rt.settings.school_bells), school_time(rt), numbers)
