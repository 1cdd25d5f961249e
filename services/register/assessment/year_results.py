"""The year's results (годишни резултати): the pass rule, correction exams and final grades (Чл. 141–143)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from services.register.assessment.grading import UPPER_SECONDARY_FROM, YearContext, messages
from services.register.assessment.rules.corrections import EducationForm, correction_exam_list
from services.register.assessment.rules.grades import GradeValue
from services.register.assessment.rules.results import EXEMPT, FINAL_ARTICLE, Mark, check_class_completion, final_grade
from services.register.assessment.term_results import shown
from services.register.exams.listing import outcomes_of
from services.register.models.assessment import ResultGrade
from services.register.models.people import Assignment, SchoolClass, Student
from services.register.models.school import SchoolYear


def _next_year_start(session: Session, year: SchoolYear) -> dt.date:
    """The next school year's first day if it is entered, otherwise 15 September (Чл. 113)."""
    entered = session.scalar(sa.select(SchoolYear.start).where(SchoolYear.start > year.end).order_by(SchoolYear.start))
    return entered or dt.date(year.end.year, 9, 15)


def class_results(session: Session, class_code: str, year: YearContext) -> dict[str, Any]:
    """Annual grades, the pass rule (Чл. 142) and the correction-exam list with sessions (Чл. 143)."""
    school_class = session.scalar(sa.select(SchoolClass).where(SchoolClass.code == class_code))
    subjects = sorted(set(session.scalars(sa.select(Assignment.subject).where(Assignment.class_code == class_code))))
    students = session.scalars(sa.select(Student).where(Student.class_code == class_code, Student.active.is_(True))
                               .order_by(Student.last_name, Student.first_name, Student.id)).all()
    annual = {(r.student_id, r.subject): r for r in session.scalars(sa.select(ResultGrade).where(
        ResultGrade.class_code == class_code, ResultGrade.school_year == year.row.name,
        ResultGrade.period == "annual"))}
    rows, marks_by_student = [], {}
    for student in students:
        marks: dict[str, Mark | None] = {}
        for subject in subjects:
            found = annual.get((student.id, subject))
            marks[subject] = None if found is None else (GradeValue(found.value) if found.value is not None else EXEMPT)
        marks_by_student[str(student.id)] = marks
        completion = check_class_completion(marks)
        rows.append({"student_id": student.id, "name": student.full_name,
                     "annual": {s: shown(annual.get((student.id, s))) for s in subjects},
                     "passed": completion.passed, "failed_subjects": list(completion.failed_subjects),
                     "unformed_subjects": list(completion.unformed_subjects),
                     "reasons": messages(completion.reasons)})
    plans = correction_exam_list(marks_by_student, school_class.grade, EducationForm.DAILY,
                                 classes_end=year.calendar.classes_end_of(school_class.grade),
                                 next_year_start=_next_year_start(session, year.row))
    # What the exams made of the year: a correction exam's next session or repeating the class (Чл. 143, ал. 9).
    outcomes = outcomes_of(session, year.row.name, [student.id for student in students])
    for row in rows:
        row["exam_outcomes"] = outcomes.get(row["student_id"], [])
    names = {str(s.id): s.full_name for s in students}
    corrections = [{"student_id": int(p.student_id), "name": names[p.student_id], "subjects": list(p.subjects),
                    "summer_tuition_required": p.summer_tuition_required,
                    "sessions": [{"name": w.name_bg, "start": w.start.isoformat(), "end": w.end.isoformat(),
                                  "article": w.article, "display": w.display} for w in p.sessions]}
                   for p in plans]
    return {"class_code": class_code, "school_year": year.row.name, "students": rows, "corrections": corrections}


def final_grades(session: Session, student: Student) -> dict[str, Any]:
    """Final grades: the mean of the annual grades of the upper-secondary stage to 0.01 (Чл. 141)."""
    by_subject: dict[str, list[Mark]] = {}
    for row in session.scalars(sa.select(ResultGrade).where(
            ResultGrade.student_id == student.id, ResultGrade.period == "annual",
            ResultGrade.grade_level >= UPPER_SECONDARY_FROM).order_by(ResultGrade.school_year)):
        by_subject.setdefault(row.subject, []).append(GradeValue(row.value) if row.value is not None else EXEMPT)
    answer: dict[str, Any] = {}
    for subject, marks in sorted(by_subject.items()):
        final = final_grade(marks)
        answer[subject] = None if final is None else {
            "value": f"{final.value:.2f}", "name": final.name_bg, "display": final.display, "article": FINAL_ARTICLE}
    return answer
