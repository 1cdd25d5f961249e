"""The director's order on the conditions of assessment when it falls due (заповед по Чл. 61, ал. 2; O5).

Checked where excused hours grow (an excuse made, a mark recorded on an excused day): for each
subject of the student's class in the term, if the excused hours pass 25 % of the term's hours and
the minimum of current assessments is not reached, the case is recorded once
(``assessment_conditions_orders``), the director gets the duty in planning
(``procedure.deadline_set``) and documents draws up the order (``documents.document_requested``,
template ``assessment_conditions_order``), with the extended term when an excuse of the student
proves 20 consecutive days in hospital, of temporary incapacity or abroad for treatment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from fractions import Fraction

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.absences.rules.assessment_conditions import (
    ARTICLE,
    ExtendedGround,
    GroundPeriod,
    extended_term_ground,
    order_due,
)
from services.register.absences.rules.counting import AbsenceMark, MarkKind, subject_share
from services.register.assessment.grading import YearContext, category_of, regime_of, year_of
from services.register.assessment.rules.findings import AssessmentError
from services.register.assessment.rules.grades import GradeKind
from services.register.assessment.rules.minimums import minimum_current_grades, shortfall
from services.register.models.absences import Absence, AssessmentConditionsOrder, Excuse
from services.register.models.assessment import Grade
from services.register.models.people import Assignment, Student
from services.register.school.rules.dates import add_months, format_date
from shared.db import dialect_insert
from shared.errors import InvalidInputError
from shared.runtime import ServiceRuntime

TEMPLATE = "assessment_conditions_order"
#: Who sees to the order's execution, as the order names it (the office may change it in the document).
CONTROL_BY = "заместник-директора по учебната дейност"


def extended_ground(s: Session, student_id: int, start: dt.date, end: dt.date, min_days: int
                    ) -> GroundPeriod | None:
    """The student's proven run of days giving the extended term, from the excuses that record a ground."""
    rows = s.scalars(sa.select(Excuse).where(
        Excuse.student_id == student_id, Excuse.extended_ground.is_not(None),
        Excuse.date_from <= end, Excuse.date_to >= start - dt.timedelta(days=min_days)))
    return extended_term_ground((GroundPeriod(ExtendedGround(r.extended_ground), r.date_from, r.date_to)
                                 for r in rows), min_days=min_days)


def _due_subjects(s: Session, student: Student, year: YearContext, term: int) -> list[dict]:
    start, end = year.term_dates(term)
    marks = [AbsenceMark(r.date, r.lesson, r.subject, MarkKind(r.kind)) for r in s.scalars(
        sa.select(Absence).where(Absence.student_id == student.id, Absence.date >= start, Absence.date <= end))]
    kinds: dict[str, list[GradeKind]] = {}
    for subject, kind in s.execute(sa.select(Grade.subject, Grade.kind).where(
            Grade.student_id == student.id, Grade.date >= start, Grade.date <= end)):
        kinds.setdefault(subject, []).append(GradeKind(kind))
    hours: dict[str, int] = {}
    for row in s.scalars(sa.select(Assignment).where(Assignment.class_code == student.class_code)):
        hours[row.subject] = max(hours.get(row.subject, 0), int((row.weekly_hours or {}).get(str(term), 0)))
    regime = regime_of(s, student.id)
    due = []
    for subject, weekly in sorted(hours.items()):
        if weekly <= 0:
            continue
        share = subject_share(marks, subject=subject, term=term, weekly_hours=Fraction(weekly),
                              calendar=year.calendar, counted=frozenset({MarkKind.EXCUSED}))
        try:
            missing = bool(shortfall(minimum_current_grades(weekly, regime, category_of(subject)),
                                     kinds.get(subject, [])))
        except AssessmentError:
            continue  # no minimum to measure against: nothing says the grade cannot be formed
        if order_due(share.missed_hours, share.planned_hours, minimum_missing=missing):
            due.append({"subject": subject, "excused_hours": int(share.missed_hours),
                        "planned_hours": int(share.planned_hours)})
    return due


def _insert_new(s: Session, rows: list[dict]) -> dict[str, int]:
    """Record the cases; the unique key keeps a case recorded once, RETURNING names the new ones."""
    table = AssessmentConditionsOrder.__table__
    stmt = dialect_insert(s, table).values(rows).on_conflict_do_nothing(
        index_elements=["student_id", "school_year", "term", "subject"]).returning(table.c.subject, table.c.id)
    return dict(s.execute(stmt).all())


def check_after_excuse(s: Session, rt: ServiceRuntime, student: Student, days: Iterable[dt.date]) -> None:
    """Record and announce the orders of Чл. 61, ал. 2 that the newly excused hours on ``days`` make due."""
    terms: dict[tuple[str, int], tuple[YearContext, int]] = {}
    for day in days:
        try:
            year = year_of(s, day).for_class(s, student.class_code)
        except InvalidInputError:
            continue
        term = year.calendar.term_of(day)
        if term is not None:
            terms.setdefault((year.row.name, term.number), (year, term.number))
    for year, term in terms.values():
        due = _due_subjects(s, student, year, term)
        if not due:
            continue
        start, end = year.term_dates(term)
        ground = extended_ground(s, student.id, start, end, rt.settings.extended_term_min_days)
        new = _insert_new(s, [{**d, "student_id": student.id, "school_year": year.row.name, "term": term,
                               "extended_ground": ground.ground.value if ground else None,
                               "created_at": rt.clock.now()} for d in due])
        if new:
            _announce(s, rt, student, year.row.name, term, end, [d for d in due if d["subject"] in new], ground,
                      min(new.values()))


def _announce(s: Session, rt: ServiceRuntime, student: Student, school_year: str, term: int, term_end: dt.date,
              subjects: list[dict], ground: GroundPeriod | None, case_id: int) -> None:
    names = ", ".join(d["subject"] for d in subjects)
    rt.publish(s, "procedure.deadline_set", {
        "source": "register", "key": f"O5:{student.id}:{school_year}:{term}:{case_id}",
        "title": f"Заповед за условията и реда за оценяване на {student.full_name} ({student.class_code}) – "
                 f"{names}, {term}. срок",
        "due": term_end.isoformat(), "responsible_roles": ["director"], "article": ARTICLE,
        "student_id": student.id, "details": {"subjects": subjects}})
    context = {
        "student": {"name": student.full_name, "class_name": student.class_code}, "school_year": school_year,
        "term": term, "subjects": subjects, "assess_by": term_end.isoformat(), "control_by": CONTROL_BY,
    }
    if ground is not None:
        # The length of the extended term is not set by Чл. 61, ал. 2; the month of Чл. 137, ал. 6 (§10.B-16).
        context.update({"extended_ground": ground.ground.label, "extended_days": ground.days,
                        "extended_from": ground.start.isoformat(), "extended_to": ground.end.isoformat(),
                        "extended_until": add_months(term_end, 1).isoformat()})
    rt.publish(s, "documents.document_requested", {
        "template": TEMPLATE, "context": context, "student_id": student.id,
        "reason": f"{ARTICLE}: над 25 % извинени отсъствия по {names} до {format_date(term_end)}"})
