"""Two months of realistic absences in the demo school, recorded lesson by lesson so the rules fire."""

from __future__ import annotations

import datetime as dt
import random

import sqlalchemy as sa

from services.register.absences import finalising, recording
from services.register.demo.school import CURRICULUM, SEED
from services.register.models.people import SchoolClass, User
from services.register.school.years import calendar_for
from shared.auth.principal import Principal
from shared.runtime import ServiceRuntime

LESSONS_PER_DAY = 6
#: Chance to miss a lesson, by kind of student: most rarely, a few often (the ones the rules are for).
PROFILES = ((0.72, 0.01), (0.23, 0.04), (0.05, 0.18))


def record_two_months(rt: ServiceRuntime, context: dict) -> None:
    if "students" not in context:
        return  # the school step found existing data and did nothing
    rng = random.Random(SEED + 1)  # noqa: S311 - demo data
    director = context["director"]
    today = rt.clock.today()
    with rt.db.sessions() as s:
        calendar = calendar_for(s, today)
    start = max(calendar.year_start, today - dt.timedelta(days=61))
    days = calendar.school_days(start, min(today - dt.timedelta(days=1), calendar.year_end))
    subjects = list(CURRICULUM)
    propensity = {sid: _profile(rng) for ids in context["students"].values() for sid in ids}
    for day in days:
        for code, ids in context["students"].items():
            for lesson in range(1, LESSONS_PER_DAY + 1):
                marks = [{"student_id": sid, "kind": _kind(rng, propensity[sid])}
                         for sid in ids if rng.random() < propensity[sid]]
                if not marks:
                    continue
                subject = subjects[(day.toordinal() + lesson + int(code[:-1])) % len(subjects)]
                recording.record_lesson(rt, director, {"date": day, "lesson": lesson, "subject": subject,
                                                       "marks": marks})
    finalise_past_weeks(rt, list(context["students"]), start)


def finalise_past_weeks(rt: ServiceRuntime, class_codes: list[str], start: dt.date) -> None:
    """Each class teacher has finalised the weeks before this one (Чл. 97, т. 9), as a school keeps its register:
    the demo's overdue board then shows the duties really missed, not one per class and day of the past."""
    through = finalising.last_week_end(rt.clock.today())
    if through < start:
        return
    with rt.db.sessions() as s:
        teachers = {code: s.get(User, teacher_id) for code, teacher_id in s.execute(
            sa.select(SchoolClass.code, SchoolClass.class_teacher_id).where(SchoolClass.code.in_(class_codes)))}
    for code, teacher in sorted(teachers.items()):
        if teacher is None:
            continue
        class_teacher = Principal(id=teacher.id, name=teacher.name, role="class_teacher", class_codes=(code,))
        finalising.finalise(rt, class_teacher, code, through)


def _profile(rng: random.Random) -> float:
    roll = rng.random()
    for share, chance in PROFILES:
        if roll < share:
            return chance
        roll -= share
    return PROFILES[-1][1]


def _kind(rng: random.Random, chance: float) -> str:
    roll = rng.random()
    if roll < 0.12:
        return "late"
    # Frequent absentees mostly miss without a reason; the others mostly bring a note.
    return "unexcused" if roll < (0.85 if chance > 0.1 else 0.35) else "excused"
