"""Term and annual grades in the register (срочни и годишни оценки): the term check, forming them, the exam list.

The check of Чл. 129 and Чл. 137 (minimum current grades, the 25 % of absences, PE exemption) is
the assessment rules'; this module feeds it the register's grades, absences and orders and stores
the results. Every refusal names its article.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.absences.rules.counting import AbsenceMark, MarkKind, subject_share
from services.register.assessment.grading import (
    YearContext,
    category_of,
    check_subject_teacher,
    messages,
    regime_of,
    year_of,
)
from services.register.assessment.rules.findings import AssessmentError, Violation
from services.register.assessment.rules.grades import GradeKind, GradeValue
from services.register.assessment.rules.minimums import AssessmentRegime, SubjectCategory, minimum_current_grades
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
from services.register.models.assessment import Grade, PeExemptionOrder, ResultGrade
from services.register.models.people import Assignment, SchoolClass, Student
from services.register.people.students import student_or_422
from shared import audit
from shared.auth.principal import Principal
from shared.errors import ConflictError, InvalidInputError
from shared.runtime import ServiceRuntime

#: ``term_check``'s default: the PE exemption is not read yet.
UNREAD = object()


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
               marks: list[AbsenceMark] | None = None, regime: AssessmentRegime | None = None,
               exemption: PeExemption | object | None = UNREAD, absence_alone: bool = False) -> TermGradeCheck:
    """Can the term grade be formed: the minimum of Чл. 129, the 25 % of Чл. 137, ал. 2, PE exemption.

    Parameters:
      absence_alone: the stricter reading of Чл. 137, ал. 2 (setting ``term_grade_absence_alone``):
        more than 25 % absence withholds the term grade even with the minimum of assessments; by
        default, as the text says, only when the minimum is missing because of the absences.
      kinds, marks, regime, exemption: what the caller has already read for a whole class (the grade
        book), so that a class costs the same statements as one student; read here when left out.
    """
    start, end = year.term_dates(term)
    if kinds is None:
        kinds = [GradeKind(k) for k in session.scalars(sa.select(Grade.kind).where(
            Grade.student_id == student.id, Grade.subject == subject, Grade.date >= start, Grade.date <= end))]
    if marks is None:
        marks = _absence_marks(session, student.id, start, end)
    category = category_of(subject)
    try:
        requirement = minimum_current_grades(weekly_hours, regime or regime_of(session, student.id), category)
    except AssessmentError as exc:
        return TermGradeCheck(ok=False, reasons=(Violation("term.minimum_unknown", exc.message, exc.article or ""),))
    share = subject_share(marks, subject=subject, term=term, weekly_hours=Fraction(weekly_hours),
                          calendar=year.calendar)
    if category is not SubjectCategory.PHYSICAL_EDUCATION:
        exemption = None
    elif exemption is UNREAD:
        exemption = _exemption(session, student.id, start, end)
    # Whole hours on both sides: flooring the planned hours never changes "more than 25 %" for whole absences.
    return check_can_form_term_grade(requirement, kinds, subject_hours=int(share.planned_hours),
                                     absent_hours=int(share.missed_hours), term_start=start, term_end=end,
                                     pe_exemption=exemption, absence_requires_shortfall=not absence_alone)


def _hours(assignment_rows: list[Assignment], term: int) -> int:
    return max((int((a.weekly_hours or {}).get(str(term), 0)) for a in assignment_rows), default=0)


def shown(row: ResultGrade | None) -> int | str | None:
    if row is None:
        return None
    return row.value if row.value is not None else row.record


def student_grades(session: Session, student: Student, term: int, year: YearContext, *,
                   absence_alone: bool = False) -> dict[str, Any]:
    """``GET /students/{id}/grades``: every subject of the class with its current, term and annual grades."""
    year = year.for_class(session, student.class_code)
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
    regime = regime_of(session, student.id)  # once, not once per subject (a missing profile is not cached)
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
            check = term_check(session, student, subject, hours, term, year, kinds=[GradeKind(g.kind) for g in own],
                               marks=marks, regime=regime, absence_alone=absence_alone)
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
        year = year_of(s, today, "term").for_class(s, student.class_code)
        term = data["term"]
        outside = check_term_grade_date(year.calendar, year.term_dates(term)[1], today)
        if outside:
            raise InvalidInputError({"term": messages(outside)})
        hours = _hours(rows, term)
        if hours <= 0:
            raise InvalidInputError({"term": f"Предметът „{data['subject']}“ не се изучава през {term}. срок."})
        check = term_check(s, student, data["subject"], hours, term, year,
                           absence_alone=rt.settings.term_grade_absence_alone)
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


def term_exam_list(session: Session, class_code: str, term: int, year: YearContext, *,
                   absence_alone: bool = False) -> list[dict[str, Any]]:
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
            check = term_check(session, student, subject, hours, term, year, absence_alone=absence_alone)
            if check.exam_required:
                listed.append({"student_id": student.id, "name": student.full_name, "subject": subject,
                               "reasons": messages(check.reasons)})
    return listed
