"""The grade book of one subject in one class (дневник на оценките), for the page ``/register/classes/{code}/grades``.

A row per student with the term's current grades, their count against the minimum of Чл. 129,
the term and annual grades and whether the term grade may be formed, and why not — the same
``term_check`` as ``GET /students/{id}/grades``, fed with the whole class's rows read at once, so
that a class of 30 costs the same statements as a class of 5. Its forms enter grades through
:mod:`services.register.assessment.entering`, as ``POST /grades`` does (Чл. 136 for class works).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.absences.rules.counting import AbsenceMark, MarkKind
from services.register.assessment import class_works, grading, term_results
from services.register.assessment.rules.findings import AssessmentError
from services.register.assessment.rules.grades import GradeKind, GradeValue
from services.register.assessment.rules.minimums import AssessmentRegime, MinimumRequirement, minimum_current_grades
from services.register.assessment.rules.term_grades import (
    DateWindow,
    PeExemption,
    TermGradeCheck,
    check_term_grade_date,
    term_grade_window,
)
from services.register.models.absences import Absence
from services.register.models.assessment import AssessmentProfile, Grade, PeExemptionOrder, ResultGrade
from services.register.models.people import Assignment, SchoolClass, Student
from services.register.people.access import is_class_teacher
from shared.auth.principal import Principal
from shared.errors import NotAllowedError, NotFoundError

#: The kinds of a current grade as the teacher reads them, in the form's order (Чл. 130, 133, 134).
KINDS: tuple[tuple[str, str], ...] = tuple((k.value, k.name_bg) for k in GradeKind)
#: Grades a teacher may give: 2–6 with their names (Чл. 127, ал. 2).
VALUES: tuple[tuple[int, str], ...] = tuple((int(v), v.display) for v in GradeValue)


@dataclasses.dataclass
class BookRow:
    """One student's line of the book."""

    student: Student
    grades: list[Grade]
    #: The minimum for this student (the regime is the student's, Чл. 129, ал. 1–2); None if unknown.
    minimum: MinimumRequirement | None
    check: TermGradeCheck
    term_grade: int | str | None
    annual: int | str | None
    #: Every term the subject is taught in has its term grade, and the annual is not formed yet (Чл. 138).
    annual_ready: bool


@dataclasses.dataclass
class Book:
    class_code: str
    subject: str
    subjects: list[str]
    term: int
    school_year: str
    weekly_hours: int
    #: The caller teaches the subject in the class: they add grades and form results (Чл. 139, ал. 1).
    may_write: bool
    window: DateWindow
    #: Why term grades cannot be formed today (the window of Чл. 137, ал. 5), or None.
    window_problem: str | None
    rows: list[BookRow]
    works: list[dict[str, Any]]


def _open_book(session: Session, who: Principal, code: str,
               subject: str | None) -> tuple[list[Assignment], str, bool, list[str]]:
    """The class's assignments, the subject, whether the caller writes and the subjects they may open.

    A teacher outside the subject (and not the class teacher) is refused with 403.
    """
    if not session.scalar(sa.select(SchoolClass.id).where(SchoolClass.code == code)):
        raise NotFoundError(f"Няма паралелка {code}.")
    assignments = session.scalars(sa.select(Assignment).where(Assignment.class_code == code)
                                  .order_by(Assignment.subject)).all()
    own = [a.subject for a in assignments if a.teacher_id == who.id]
    chosen = subject or (own[0] if own else (assignments[0].subject if assignments else ""))
    rows = [a for a in assignments if a.subject == chosen]
    if not rows:
        raise NotFoundError(f"Предметът „{chosen}“ не се преподава в паралелка {code}.")
    writes = who.role in ("teacher", "class_teacher") and chosen in own
    reads_all = who.is_management or is_class_teacher(session, who, code)
    if not (writes or reads_all):
        raise NotAllowedError("Дневникът на оценките по предмета е за учителя по предмета; четат го класният "
                              "ръководител и ръководството (Чл. 139, ал. 1).")
    return list(assignments), chosen, writes, sorted({a.subject for a in assignments} if reads_all else set(own))


def grade_book(session: Session, who: Principal, code: str, subject: str | None, today: dt.date,
               term: int | None = None, *, absence_alone: bool = False) -> Book:
    """The book of ``subject`` (or the caller's first subject) in class ``code`` for ``term`` (or today's)."""
    assignments, subject, writes, subjects = _open_book(session, who, code, subject)
    year, term = grading.year_and_term(session, today, term)
    start, end = year.term_dates(term)
    own_rows = [a for a in assignments if a.subject == subject]
    hours = max((int((a.weekly_hours or {}).get(str(term), 0)) for a in own_rows), default=0)
    taught_in = [t for t in (1, 2) if any(int((a.weekly_hours or {}).get(str(t), 0)) > 0 for a in own_rows)]
    students = session.scalars(sa.select(Student).where(Student.class_code == code, Student.active.is_(True))
                               .order_by(Student.last_name, Student.first_name, Student.id)).all()
    ids = [s.id for s in students]
    grades: dict[int, list[Grade]] = {}
    for row in session.scalars(sa.select(Grade).where(
            Grade.student_id.in_(ids), Grade.subject == subject, Grade.date >= start, Grade.date <= end)
            .order_by(Grade.date, Grade.id)):
        grades.setdefault(row.student_id, []).append(row)
    marks: dict[int, list[AbsenceMark]] = {}
    for row in session.scalars(sa.select(Absence).where(
            Absence.student_id.in_(ids), Absence.date >= start, Absence.date <= end)):
        marks.setdefault(row.student_id, []).append(AbsenceMark(row.date, row.lesson, row.subject, MarkKind(row.kind)))
    regimes = {p.student_id: AssessmentRegime(p.regime) for p in session.scalars(
        sa.select(AssessmentProfile).where(AssessmentProfile.student_id.in_(ids)))}
    exemptions: dict[int, PeExemption] = {}
    for row in session.scalars(sa.select(PeExemptionOrder).where(
            PeExemptionOrder.student_id.in_(ids), PeExemptionOrder.start <= end, PeExemptionOrder.end >= start)
            .order_by(PeExemptionOrder.start.desc())):
        exemptions[row.student_id] = PeExemption(str(row.student_id), row.start, row.end, row.order_ref, row.activity)
    results = {(r.student_id, r.period): r for r in session.scalars(sa.select(ResultGrade).where(
        ResultGrade.student_id.in_(ids), ResultGrade.subject == subject, ResultGrade.school_year == year.row.name))}
    category = grading.category_of(subject)
    book_rows = []
    for student in students:
        own = grades.get(student.id, [])
        regime = regimes.get(student.id, AssessmentRegime.ZPUO)
        if hours > 0:
            check = term_results.term_check(session, student, subject, hours, term, year,
                                            kinds=[GradeKind(g.kind) for g in own], marks=marks.get(student.id, []),
                                            regime=regime, exemption=exemptions.get(student.id),
                                            absence_alone=absence_alone)
            try:
                minimum = minimum_current_grades(hours, regime, category)
            except AssessmentError:
                minimum = None
        else:
            check, minimum = TermGradeCheck(ok=False), None
        term_grade = term_results.shown(results.get((student.id, str(term))))
        annual = term_results.shown(results.get((student.id, "annual")))
        ready = bool(taught_in) and annual is None and all((student.id, str(t)) in results for t in taught_in)
        book_rows.append(BookRow(student, own, minimum, check, term_grade, annual, ready))
    window = term_grade_window(year.calendar, end)
    outside = check_term_grade_date(year.calendar, end, today)
    works = [{**w, "date": day} for w in class_works.class_works(session, code)
             if start <= (day := dt.date.fromisoformat(w["date"])) <= end]
    return Book(code, subject, subjects, term, year.row.name, hours, writes, window,
                grading.messages(outside)[0] if outside else None, book_rows, works)
