"""Grades and sanction procedures in the demo school: a month of current grades and one procedure per state.

Grades of past days are written as entered on their day (a replayed month, as the teachers would
have entered them under Чл. 139); sanction procedures go through the register's own functions, so
their events reach planning, notifications and documents as in real use.
"""

from __future__ import annotations

import datetime as dt
import random

import sqlalchemy as sa

from services.register.assessment import grading
from services.register.demo.school import SEED
from services.register.models.assessment import Grade
from services.register.models.people import SchoolClass
from services.register.sanctions import procedures
from services.register.school.years import calendar_for
from shared.auth.principal import Principal
from shared.errors import DomainError
from shared.runtime import ServiceRuntime

#: Days back from today that get current grades.
GRADE_DAYS = 30
#: Chance that a student is examined in a subject on a day the subject gets grades.
EXAMINED = 0.3
VALUES = (2, 3, 4, 5, 6)
VALUE_WEIGHTS = (4, 14, 30, 32, 20)
#: The procedures of the demo: (sanction type, last completed step, reason); one per state (Чл. 52–60).
PROCEDURES = (
    ("remark", "proposal", "7 отсъствия по неуважителни причини и непристойно поведение в час"),
    ("warning_transfer", "parent_notified", "12 отсъствия по неуважителни причини и нарушение на Правилника"),
    ("warning_transfer", "hearing", "13 отсъствия по неуважителни причини и напускане на час без разрешение"),
    ("warning_transfer", "decision", "11 отсъствия по неуважителни причини и тютюнопушене в сградата"),
    ("warning_transfer", "order", "14 отсъствия по неуважителни причини и пререкания с учител"),
    ("warning_transfer", "letter", "12 отсъствия по неуважителни причини и увреждане на училищно имущество"),
    ("transfer", "ruo_informed", "18 отсъствия по неуважителни причини и груби нарушения на Правилника"),
    ("remark", "in_force", "6 отсъствия по неуважителни причини и използване на телефон в час"),
    ("remark", "erased", "5 отсъствия по неуважителни причини и закъснения"),
)
STEP_EXTRAS = {
    "parent_notified": {"child_protection_notified": True},
    "hearing": {"present": ["class_teacher", "psychologist"], "parent_attended": True},
    "decision": {"note": "Решение на педагогическия съвет", "protocol_number": "7"},
    "order": {"note": "Ученикът е допуснал отсъствия по неуважителни причини и е нарушил Правилника."},
    "erasure_proposal": {"note": "Ученикът подобри поведението си", "protocol_number": "12"},
    "erasure_order": {"note": "Ученикът няма нови нарушения и участва активно в часа на класа."},
}


def load_assessment_demo(rt: ServiceRuntime, context: dict) -> None:
    """Demo step: current grades for the last month and one sanction procedure in each state."""
    if "students" not in context:
        return  # the school step found existing data and did nothing
    _grades(rt, context)
    _pe_exemption(rt, context)
    _procedures(rt, context)


def _grades(rt: ServiceRuntime, context: dict) -> None:
    rng = random.Random(SEED + 2)  # noqa: S311 - demo data
    today = rt.clock.today()
    with rt.db.sessions() as s:
        calendar = calendar_for(s, today)
    if calendar is None:
        return
    start = max(calendar.year_start, today - dt.timedelta(days=GRADE_DAYS))
    days = calendar.school_days(start, min(today, calendar.year_end)) if start <= today else ()
    with rt.db.transaction() as s:
        for code, ids in context["students"].items():
            for subject, teacher in context["teachers"].items():
                for day in days:
                    if rng.random() > 0.25:
                        continue  # the subject is not examined every day
                    kind = "written" if rng.random() < 0.3 else "oral"
                    s.add_all(Grade(student_id=sid, class_code=code, subject=subject,
                                    value=rng.choices(VALUES, VALUE_WEIGHTS)[0], kind=kind, date=day,
                                    teacher_id=teacher.id, entered_on=day)
                              for sid in ids if rng.random() < EXAMINED)


def _pe_exemption(rt: ServiceRuntime, context: dict) -> None:
    with rt.db.sessions() as s:
        calendar = calendar_for(s, rt.clock.today())
    if calendar is None:
        return
    student = context["students"]["9а"][0]
    grading.record_pe_exemption(rt, context["director"], {
        "student_id": student, "start": calendar.year_start, "end": calendar.year_end,
        "order_ref": "№ 1061", "activity": "присъства в часа и подпомага учителя"})


def _class_teacher(rt: ServiceRuntime, code: str) -> Principal:
    with rt.db.sessions() as s:
        teacher_id = s.scalar(sa.select(SchoolClass.class_teacher_id).where(SchoolClass.code == code))
    return Principal(id=teacher_id, name="класен ръководител", role="class_teacher", class_codes=(code,))


def _procedures(rt: ServiceRuntime, context: dict) -> None:
    today = rt.clock.today()
    with rt.db.sessions() as s:
        calendar = calendar_for(s, today)
    if calendar is None or not calendar.year_start <= today <= calendar.year_end:
        return
    director = context["director"]
    codes = list(context["students"])
    first = max(calendar.year_start, today - dt.timedelta(days=12))
    for index, (kind, last_step, reason) in enumerate(PROCEDURES):
        code = codes[index % len(codes)]
        student = context["students"][code][1 + index // len(codes)]
        proposer = _class_teacher(rt, code) if kind == "remark" else director
        try:
            sanction_id = procedures.open_sanction(rt, proposer, {
                "student_id": student, "type": kind, "proposed_on": first, "reason": reason,
                "hearing_on": min(first + dt.timedelta(days=3), today), "hearing_time": "13:30",
                "hearing_place": "кабинета на директора"})
            _advance(rt, director, sanction_id, kind, last_step, first, today)
        except DomainError:
            continue  # too close to the start or the end of the year for this state: the demo leaves it out


def _advance(rt: ServiceRuntime, director: Principal, sanction_id: int, kind: str, last_step: str,
             first: dt.date, today: dt.date) -> None:
    order = ["parent_notified", "hearing", "decision", "order", "letter"]
    order += ["ruo_informed"] if kind == "transfer" else []
    # An erasure before the end of the term goes the route of the imposition (Чл. 60, ал. 1).
    order += ["in_force", "erasure_proposal", "erasure_order", "erased"]
    if last_step == "proposal":
        return
    for number, name in enumerate(order[: order.index(last_step) + 1], start=1):
        done_on = min(first + dt.timedelta(days=number), today)
        data = {"done_on": done_on, "note": "", "present": [], "parent_attended": False,
                "child_protection_notified": False, **STEP_EXTRAS.get(name, {})}
        procedures.complete_step(rt, director, sanction_id, name, data)
