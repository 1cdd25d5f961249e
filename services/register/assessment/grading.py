"""Grades in the register (оценяване): entering current grades, the term check, term and annual grades.

The rules are the assessment domain's (``services.register.assessment.rules``); this module feeds them
the register's rows — assignments, absences, the calendar, PE exemption orders — and stores the
outcome. Every refusal names its article.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.absences.rules.counting import AbsenceMark, MarkKind, subject_share
from services.register.assessment.rules.findings import AssessmentError, Violation
from services.register.assessment.rules.grades import (
    GradeKind,
    GradeValue,
    TeachingAssignment,
    check_entry_deadline,
    check_may_enter_grade,
)
from services.register.assessment.rules.minimums import (
    AssessmentRegime,
    SubjectCategory,
    minimum_current_grades,
    regime_for_admission,
)
from services.register.assessment.rules.results import EXEMPT, Mark, form_annual_grade
from services.register.assessment.rules.term_grades import (
    EXEMPT_LABEL,
    PeExemption,
    TermGradeCheck,
    check_can_form_term_grade,
    check_term_grade_date,
)
from services.register.models import TABLES
from services.register.models.absences import Absence
from services.register.models.assessment import AssessmentProfile, Grade, PeExemptionOrder, ResultGrade
from services.register.models.people import Assignment, SchoolClass, Student
from services.register.models.school import SchoolYear
from services.register.people.students import student_or_422
from services.register.school.rules.calendar import SchoolCalendar
from services.register.school.years import calendar_of, year_containing
from shared import audit
from shared.auth.principal import Principal
from shared.errors import ConflictError, InvalidInputError, NotAllowedError
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


def year_of(session: Session, day: dt.date, field: str = "date") -> YearContext:
    row = year_containing(session, day)
    if row is None:
        raise InvalidInputError({field: "Няма въведена учебна година за тази дата (POST /school-years)."})
    return YearContext(row, calendar_of(row))


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
    today = rt.clock.today()
    value, kind = GradeValue(data["value"]), GradeKind(data["kind"])
    with rt.db.transaction() as s:
        student = student_or_422(s, data["student_id"])
        check_subject_teacher(s, who, student.class_code, data["subject"])
        late = check_entry_deadline(kind, data["date"], today)
        if late:
            raise InvalidInputError({"date": messages(late)})
        year = year_of(s, data["date"])
        if not year.calendar.is_school_day(data["date"]):
            raise InvalidInputError({"date": f"{data['date']:%d.%m.%Y} не е учебен ден (Чл. 128, ал. 1)."})
        row = Grade(student_id=student.id, class_code=student.class_code, subject=data["subject"], value=int(value),
                    kind=str(kind), date=data["date"], teacher_id=who.id, entered_on=today)
        s.add(row)
        s.flush()
        audit.record(s, TABLES, who, "grade.create", "grade", row.id,
                     after={**data, "date": data["date"].isoformat()})
        s.expunge(row)
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


def _absence_marks(session: Session, student_id: int, start: dt.date, end: dt.date) -> list[AbsenceMark]:
    rows = session.scalars(sa.select(Absence).where(
        Absence.student_id == student_id, Absence.date >= start, Absence.date <= end))
    return [AbsenceMark(r.date, r.lesson, r.subject, MarkKind(r.kind)) for r in rows]


def _exemption(session: Session, student_id: int, start: dt.date, end: dt.date) -> PeExemption | None:
    row = session.scalar(sa.select(PeExemptionOrder).where(
        PeExemptionOrder.student_id == student_id, PeExemptionOrder.start <= end, PeExemptionOrder.end >= start,
    ).order_by(PeExemptionOrder.start))
    return PeExemption(str(student_id), row.start, row.end, row.order_ref, row.activity) if row else None


def term_check(session: Session, student: Student, subject: str, weekly_hours: int, term: int,
               year: YearContext, *, kinds: list[GradeKind] | None = None,
               marks: list[AbsenceMark] | None = None) -> TermGradeCheck:
    """Can the term grade be formed: the minimum of Чл. 129, the 25 % of Чл. 137, ал. 2, PE exemption."""
    start, end = year.term_dates(term)
    if kinds is None:
        kinds = [GradeKind(k) for k in session.scalars(sa.select(Grade.kind).where(
            Grade.student_id == student.id, Grade.subject == subject, Grade.date >= start, Grade.date <= end))]
    if marks is None:
        marks = _absence_marks(session, student.id, start, end)
    category = category_of(subject)
    try:
        requirement = minimum_current_grades(weekly_hours, regime_of(session, student.id), category)
    except AssessmentError as exc:
        return TermGradeCheck(ok=False, reasons=(Violation("term.minimum_unknown", exc.message, exc.article or ""),))
    share = subject_share(marks, subject=subject, term=term, weekly_hours=Fraction(weekly_hours),
                          calendar=year.calendar)
    exemption = _exemption(session, student.id, start, end) if category is SubjectCategory.PHYSICAL_EDUCATION else None
    # Whole hours on both sides: flooring the planned hours never changes "more than 25 %" for whole absences.
    return check_can_form_term_grade(requirement, kinds, subject_hours=int(share.planned_hours),
                                     absent_hours=int(share.missed_hours), term_start=start, term_end=end,
                                     pe_exemption=exemption)


def _hours(assignment_rows: list[Assignment], term: int) -> int:
    return max((int((a.weekly_hours or {}).get(str(term), 0)) for a in assignment_rows), default=0)


def shown(row: ResultGrade | None) -> int | str | None:
    if row is None:
        return None
    return row.value if row.value is not None else row.record


def student_grades(session: Session, student: Student, term: int, year: YearContext) -> dict[str, Any]:
    """``GET /students/{id}/grades``: every subject of the class with its current, term and annual grades."""
    start, end = year.term_dates(term)
    subjects: dict[str, list[Assignment]] = {}
    for row in session.scalars(sa.select(Assignment).where(Assignment.class_code == student.class_code)
                               .order_by(Assignment.subject)):
        subjects.setdefault(row.subject, []).append(row)
    grades = session.scalars(sa.select(Grade).where(Grade.student_id == student.id, Grade.date >= start,
                                                    Grade.date <= end).order_by(Grade.date, Grade.id)).all()
    results = {(r.subject, r.period): r for r in session.scalars(sa.select(ResultGrade).where(
        ResultGrade.student_id == student.id, ResultGrade.school_year == year.row.name))}
    marks = _absence_marks(session, student.id, start, end)
    answer: dict[str, Any] = {}
    for subject, rows in subjects.items():
        hours = _hours(rows, term)
        own = [g for g in grades if g.subject == subject]
        if hours <= 0 and not own:
            continue  # not taught in this term
        current = [{"id": g.id, "value": g.value, "name": GradeValue(g.value).name_bg, "kind": g.kind,
                    "kind_name": GradeKind(g.kind).name_bg, "date": g.date.isoformat(), "teacher_id": g.teacher_id}
                   for g in own]
        if hours > 0:
            check = term_check(session, student, subject, hours, term, year,
                               kinds=[GradeKind(g.kind) for g in own], marks=marks)
        else:
            check = TermGradeCheck(ok=False)
        term_row = results.get((subject, str(term)))
        term_shown = shown(term_row)
        if term_shown is None and check.record:
            term_shown = check.record
        answer[subject] = {"current": current, "term": term_shown, "annual": shown(results.get((subject, "annual"))),
                           "can_form_term_grade": check.ok, "reasons": messages(check.reasons)}
    return answer


def _result_row(session: Session, student: Student, subject: str, school_year: str, period: str) -> ResultGrade | None:
    return session.scalar(sa.select(ResultGrade).where(
        ResultGrade.student_id == student.id, ResultGrade.subject == subject,
        ResultGrade.school_year == school_year, ResultGrade.period == period))


def _store_result(session: Session, who: Principal, student: Student, subject: str, year: YearContext,
                  period: str, mark: Mark | None, today: dt.date) -> ResultGrade:
    if _result_row(session, student, subject, year.row.name, period) is not None:
        what = "годишна" if period == "annual" else "срочна"
        raise ConflictError(f"{what.capitalize()} оценка по {subject} за {year.row.name} вече е оформена.", "subject")
    grade_level = session.scalar(sa.select(SchoolClass.grade).where(SchoolClass.code == student.class_code))
    row = ResultGrade(student_id=student.id, class_code=student.class_code, grade_level=grade_level or 0,
                      subject=subject, school_year=year.row.name, period=period,
                      value=int(mark) if isinstance(mark, GradeValue) else None,
                      record=EXEMPT_LABEL if mark is EXEMPT else "", formed_on=today, teacher_id=who.id)
    session.add(row)
    session.flush()
    audit.record(session, TABLES, who, f"result_grade.{period}", "result_grade", row.id,
                 after={"student_id": student.id, "subject": subject, "value": row.value, "record": row.record})
    return row


def form_term_grade(rt: ServiceRuntime, who: Principal, data: dict[str, Any]) -> ResultGrade:
    """A term grade, formed and entered today inside the window of Чл. 137, ал. 5 (Чл. 139, ал. 2, т. 3)."""
    today = rt.clock.today()
    with rt.db.transaction() as s:
        student = student_or_422(s, data["student_id"])
        rows = check_subject_teacher(s, who, student.class_code, data["subject"])
        year = year_of(s, today, "term")
        term = data["term"]
        outside = check_term_grade_date(year.calendar, year.term_dates(term)[1], today)
        if outside:
            raise InvalidInputError({"term": messages(outside)})
        hours = _hours(rows, term)
        if hours <= 0:
            raise InvalidInputError({"term": f"Предметът „{data['subject']}“ не се изучава през {term}. срок."})
        check = term_check(s, student, data["subject"], hours, term, year)
        if check.record == EXEMPT_LABEL:
            mark: Mark = EXEMPT
        elif not check.ok:
            raise InvalidInputError({"value": messages(check.reasons)})
        elif data.get("value") is None:
            raise InvalidInputError({"value": "Посочете срочната оценка (Чл. 137)."})
        else:
            mark = GradeValue(data["value"])
        row = _store_result(s, who, student, data["subject"], year, str(term), mark, today)
        s.expunge(row)
        return row


def form_annual(rt: ServiceRuntime, who: Principal, data: dict[str, Any]) -> ResultGrade:
    """The annual grade from the term grades (Чл. 138): the teacher's choice, or the only term's grade."""
    today = rt.clock.today()
    with rt.db.transaction() as s:
        student = student_or_422(s, data["student_id"])
        rows = check_subject_teacher(s, who, student.class_code, data["subject"])
        year = year_of(s, today, "subject")
        marks: list[Mark] = []
        for term in (1, 2):
            if _hours(rows, term) <= 0:
                continue
            found = _result_row(s, student, data["subject"], year.row.name, str(term))
            if found is None:
                raise InvalidInputError(
                    {"subject": f"Няма срочна оценка по {data['subject']} за {term}. срок; годишна оценка "
                                 "не се оформя без нея (Чл. 138, ал. 1)."})
            marks.append(GradeValue(found.value) if found.value is not None else EXEMPT)
        choice = GradeValue(data["value"]) if data.get("value") is not None else None
        try:
            mark = form_annual_grade(marks, choice)
        except AssessmentError as exc:
            raise InvalidInputError({"value": exc.message}) from exc
        row = _store_result(s, who, student, data["subject"], year, "annual", mark, today)
        s.expunge(row)
        return row


def term_exam_list(session: Session, class_code: str, term: int, year: YearContext) -> list[dict[str, Any]]:
    """Students who sit an exam for a term grade (Чл. 137, ал. 1–2), by subject."""
    students = session.scalars(sa.select(Student).where(Student.class_code == class_code, Student.active.is_(True))
                               .order_by(Student.last_name, Student.first_name, Student.id)).all()
    assignments: dict[str, list[Assignment]] = {}
    for row in session.scalars(sa.select(Assignment).where(Assignment.class_code == class_code)):
        assignments.setdefault(row.subject, []).append(row)
    listed = []
    for student in students:
        for subject in sorted(assignments):
            hours = _hours(assignments[subject], term)
            if hours <= 0:
                continue
            check = term_check(session, student, subject, hours, term, year)
            if check.exam_required:
                listed.append({"student_id": student.id, "name": student.full_name, "subject": subject,
                               "reasons": messages(check.reasons)})
    return listed
