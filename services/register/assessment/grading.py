"""Grades in the register (оценяване): the subject teacher's checks, current grades, regimes, PE exemptions.

The rules are the assessment domain's (``services.register.assessment.rules``); this module feeds them
the register's rows — assignments, absences, the calendar, PE exemption orders — and stores the
outcome. Every refusal names its article.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.assessment.rules.findings import AssessmentError, Violation
from services.register.assessment.rules.grades import (
    GradeKind,
    GradeValue,
    TeachingAssignment,
    check_entry_deadline,
    check_exit_level_subject,
    check_level_test_date,
    check_may_enter_grade,
)
from services.register.assessment.rules.minimums import AssessmentRegime, SubjectCategory, regime_for_admission
from services.register.assessment.rules.term_grades import PeExemption
from services.register.models import TABLES
from services.register.models.assessment import AssessmentProfile, ClassWork, Grade, PeExemptionOrder
from services.register.models.people import Assignment, SchoolClass
from services.register.models.school import SchoolYear
from services.register.people.students import student_or_422
from services.register.school.rules.calendar import SchoolCalendar
from services.register.school.years import calendar_of, year_containing
from shared import audit
from shared.auth.principal import Principal
from shared.errors import InvalidInputError, NotAllowedError
from shared.runtime import ServiceRuntime

#: Subject names (as in the curriculum) with their own rows in Чл. 129; all others are general.
CATEGORIES = {
    "физическо възпитание и спорт": SubjectCategory.PHYSICAL_EDUCATION,
    "учебна практика": SubjectCategory.EDUCATIONAL_PRACTICE,
    "производствена практика": SubjectCategory.PRODUCTION_PRACTICE,
}

#: First class of the upper-secondary stage (гимназиален етап, VIII–XII) whose annual grades make the final ones.
UPPER_SECONDARY_FROM = 8


def category_of(subject: str) -> SubjectCategory:
    name = subject.strip().lower()
    return next((c for prefix, c in CATEGORIES.items() if name.startswith(prefix)), SubjectCategory.GENERAL)


def messages(found: tuple[Violation, ...] | list[Violation]) -> list[str]:
    return [v.message for v in found]


@dataclass(frozen=True)
class YearContext:
    """The school year of a day with its calendar."""

    row: SchoolYear
    calendar: SchoolCalendar

    def term_dates(self, term: int) -> tuple[dt.date, dt.date]:
        chosen = self.calendar.terms[term - 1]
        return chosen.start, chosen.end

    def for_grade(self, grade: int | None) -> YearContext:
        """The year as ``grade`` lives it: XII's second term ends with its classes, in May (Чл. 143, ал. 5)."""
        return self if grade is None else YearContext(self.row, self.calendar.for_grade(grade))

    def for_class(self, session: Session, class_code: str) -> YearContext:
        return self.for_grade(session.scalar(sa.select(SchoolClass.grade).where(SchoolClass.code == class_code)))


def year_of(session: Session, day: dt.date, field: str = "date") -> YearContext:
    row = year_containing(session, day)
    if row is None:
        raise InvalidInputError({field: "Няма въведена учебна година за тази дата (POST /school-years)."})
    return YearContext(row, calendar_of(row))


def year_and_term(session: Session, today: dt.date, term: int | None) -> tuple[YearContext, int]:
    """The school year of ``today`` and the term asked for, or the current one (the API and the student's card)."""
    year = year_of(session, today, "term")
    if term is None:
        current = year.calendar.term_of(today)
        term = current.number if current else (2 if today > year.calendar.terms[1].start else 1)
    return year, term


def subject_assignments(session: Session, class_code: str, subject: str) -> list[Assignment]:
    return list(session.scalars(sa.select(Assignment).where(
        Assignment.class_code == class_code, Assignment.subject == subject)))


def check_subject_teacher(session: Session, who: Principal, class_code: str, subject: str) -> list[Assignment]:
    """Only the subject's teacher of that class, personally (Чл. 139, ал. 1); 422 for an unknown subject."""
    rows = subject_assignments(session, class_code, subject)
    if not rows:
        raise InvalidInputError({"subject": f"Предметът „{subject}“ не се преподава в паралелка {class_code}."})
    teaching = [TeachingAssignment(str(r.teacher_id), r.subject, r.class_code) for r in rows]
    refused = check_may_enter_grade(str(who.id), subject, class_code, teaching)
    if refused:
        raise NotAllowedError(refused[0].message)
    return rows


def enter_grade(rt: ServiceRuntime, who: Principal, data: dict[str, Any]) -> Grade:
    """A current grade, within the deadlines of Чл. 139, ал. 2, т. 1–2."""
    with rt.db.transaction() as s:
        row = insert_grade(s, rt, who, data)
        s.expunge(row)
        return row


def insert_grade(s: Session, rt: ServiceRuntime, who: Principal, data: dict[str, Any]) -> Grade:
    """:func:`enter_grade` inside the caller's transaction (the grade book adds a class work with it)."""
    today, settings = rt.clock.today(), rt.settings
    value, kind = GradeValue(data["value"]), GradeKind(data["kind"])
    student = student_or_422(s, data["student_id"])
    check_subject_teacher(s, who, student.class_code, data["subject"])
    late = check_entry_deadline(kind, data["date"], today, written_entry_days=settings.written_grade_entry_days)
    if late:
        raise InvalidInputError({"date": messages(late)})
    year = year_of(s, data["date"]).for_class(s, student.class_code)
    if not year.calendar.is_school_day(data["date"]):
        raise InvalidInputError({"date": f"{data['date']:%d.%m.%Y} не е учебен ден (Чл. 128, ал. 1)."})
    # The class's calendar: its second term ends on its own last day of classes (XII in May).
    level = check_level_test_date(kind, data["date"], year_start=year.calendar.terms[0].start,
                                  classes_end=year.calendar.terms[1].end, entry_weeks=settings.entry_level_weeks,
                                  exit_weeks=settings.exit_level_weeks)
    if level:
        raise InvalidInputError({"date": messages(level)})
    if kind is GradeKind.EXIT_LEVEL:
        start, end = year.calendar.terms[0].start, year.calendar.terms[1].end
        papers = s.scalar(sa.select(sa.func.count()).select_from(ClassWork).where(
            ClassWork.class_code == student.class_code, ClassWork.subject == data["subject"],
            ClassWork.kind == "classwork", ClassWork.date >= start, ClassWork.date <= end))
        refused = check_exit_level_subject(kind, has_term_paper=bool(papers))
        if refused:
            raise InvalidInputError({"kind": messages(refused)})
    row = Grade(student_id=student.id, class_code=student.class_code, subject=data["subject"], value=int(value),
                kind=str(kind), date=data["date"], teacher_id=who.id, entered_on=today)
    s.add(row)
    s.flush()
    audit.record(s, TABLES, who, "grade.create", "grade", row.id,
                 after={**data, "date": data["date"].isoformat()})
    return row


def regime_of(session: Session, student_id: int) -> AssessmentRegime:
    """The student's regime of Чл. 129; students with no setting are under ЗПУО (ал. 2)."""
    profile = session.get(AssessmentProfile, student_id)
    return AssessmentRegime(profile.regime) if profile else AssessmentRegime.ZPUO


def set_regime(rt: ServiceRuntime, who: Principal, student_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """Store the regime, given directly or by the year of admission (Чл. 129, ал. 1–2)."""
    if data.get("regime") is None and data.get("admission_year") is None:
        raise InvalidInputError({"admission_year": "Посочете годината на приемане или режима на оценяване (Чл. 129)."})
    regime = data.get("regime") or regime_for_admission(data["admission_year"]).value
    with rt.db.transaction() as s:
        student_or_422(s, student_id)
        row = s.get(AssessmentProfile, student_id)
        before = {"admission_year": row.admission_year, "regime": row.regime} if row else None
        if row is None:
            row = AssessmentProfile(student_id=student_id)
            s.add(row)
        row.admission_year, row.regime = data.get("admission_year"), regime
        after = {"admission_year": row.admission_year, "regime": regime}
        audit.record(s, TABLES, who, "assessment_regime.set", "student", student_id, before=before, after=after)
        return {"student_id": student_id, **after}


def record_pe_exemption(rt: ServiceRuntime, who: Principal, data: dict[str, Any]) -> int:
    """The director's PE exemption order for a student, with its period (Чл. 27, ал. 3)."""
    try:
        PeExemption(str(data["student_id"]), data["start"], data["end"])
    except AssessmentError as exc:
        raise InvalidInputError({"end": exc.message}) from exc
    with rt.db.transaction() as s:
        student_or_422(s, data["student_id"])
        row = PeExemptionOrder(recorded_by=who.id, **data)
        s.add(row)
        s.flush()
        audit.record(s, TABLES, who, "pe_exemption.create", "pe_exemption", row.id,
                     after={**data, "start": data["start"].isoformat(), "end": data["end"].isoformat()})
        return row.id
